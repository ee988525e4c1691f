package sim_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/sim"
)

// TestBurstImageOverTheWire flashes examples/burst.yaml compiled for tiny
// (burst units, BDSP rules, stochastic LFSR), as written and with fraction
// bits on its BDSP rules, into the simulated board, runs it with the image's
// stimulus and checks every step's spikes and cycles, then the burst state,
// acca, lfsr, learned weights and their fraction bits read back, against the
// emulator.
func TestBurstImageOverTheWire(t *testing.T) {
	for _, frac := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "fraction"}[frac], func(t *testing.T) { testBurstOverTheWire(t, frac) })
	}
}

func testBurstOverTheWire(t *testing.T, frac bool) {
	prof := tiny()
	im := compileBurst(t, prof)
	if im.Burst == nil {
		t.Fatal("examples/burst.yaml compiled without burst tables")
	}
	if frac {
		// rule_frac and wfrac words the flash must write: a run from zero
		// fractions would not notice their loss
		im.Burst.RuleFrac = im.Burst.RuleKind
		im.Burst.WFrac = make([]uint8, len(im.Rev))
		for a := range im.Burst.WFrac {
			im.Burst.WFrac[a] = uint8(37*a + 1)
		}
	}
	const steps = 400
	var in []core.InputSpike
	for _, s := range im.Meta.Stimulus {
		if s.Step < steps {
			in = append(in, s)
		}
	}
	want, emu := emulate(t, im, steps, in)

	b := newBoard(t, prof)
	c, _ := openLink(t, b, sim.LinkConfig{}, nil)
	defer c.Close()
	if !c.Info().Has(core.FeatBurst) || !c.Profile().Burst {
		t.Fatalf("a tiny board does not advertise burst units: %+v", c.Info())
	}
	if err := c.Flash(im, nil); err != nil {
		t.Fatal(err)
	}
	res, err := c.Run(context.Background(), steps, in)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, res, want)

	back, err := c.Readback(nil)
	if err != nil {
		t.Fatal(err)
	}
	if back.Burst == nil {
		t.Fatal("readback lost the burst tables")
	}
	if !reflect.DeepEqual(back.Burst.State, emu.BurstState()) {
		t.Errorf("bstate after the run differs from the emulator's")
	}
	if back.Burst.LFSR != emu.LFSR() {
		t.Errorf("lfsr %#x, emulator %#x", back.Burst.LFSR, emu.LFSR())
	}
	if !reflect.DeepEqual(back.Syn, emu.Syn()) {
		t.Errorf("weights after the run differ from the emulator's")
	}
	if !reflect.DeepEqual(back.Burst.Params, im.Burst.Params) || back.Burst.LUT != im.Burst.LUT ||
		!reflect.DeepEqual(back.Burst.BFanout, im.Burst.BFanout) || back.Burst.RuleKind != im.Burst.RuleKind ||
		back.Burst.RuleFrac != im.Burst.RuleFrac {
		t.Errorf("burst parameters read back differ from the image")
	}
	if want := emu.Image(im).Burst.WFrac; !reflect.DeepEqual(back.Burst.WFrac, want) {
		t.Errorf("wfrac after the run %v, emulator %v", back.Burst.WFrac, want)
	}
	if frac && back.Burst.WFrac == nil {
		t.Error("no fraction bits moved: the run does not exercise them")
	}
	acca, err := c.ReadMem(core.MemAccA, 0, im.NumNeurons)
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range emu.AccA() {
		if acca[k] != (core.Word{uint64(uint32(a)) & 0xFFFF}) {
			t.Fatalf("acca[%d] = %v, emulator %d", k, acca[k], a)
		}
	}
}

// TestBurstImageRefusedWithoutFeature checks that a board without burst
// units (up5k) refuses a burst image before writing anything.
func TestBurstImageRefusedWithoutFeature(t *testing.T) {
	prof := tiny()
	im := compileBurst(t, prof)
	nb := prof
	nb.Burst = false
	b := newBoard(t, nb)
	c, _ := openLink(t, b, sim.LinkConfig{}, nil)
	defer c.Close()
	if c.Info().Has(core.FeatBurst) {
		t.Fatal("board without burst units advertises them")
	}
	if err := c.Flash(im, nil); err == nil {
		t.Fatal("burst image flashed into a board without burst units")
	} else {
		t.Log(err)
	}
}

// compileBurst compiles examples/burst.yaml for prof.
func compileBurst(t *testing.T, prof core.Profile) *core.Image {
	t.Helper()
	im, _, err := compiler.CompileFile("../../examples/burst.yaml", compiler.Options{Profile: &prof})
	if err != nil {
		t.Fatal(err)
	}
	return im
}
