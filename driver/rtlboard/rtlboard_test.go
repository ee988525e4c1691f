package rtlboard_test

import (
	"context"
	"errors"
	"math/bits"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/rtlboard"
	"github.com/ncx-project/ncx/emulator"
	"github.com/ncx-project/ncx/network"
)

// open builds (or reuses) the Verilated iCEBreaker top and connects a
// driver.Client to its UART. Without verilator the test fails under
// CI=true and is skipped otherwise.
func open(t *testing.T, prof ...core.Profile) (*driver.Client, *rtlboard.Board) {
	t.Helper()
	cfg := rtlboard.Config{Div: 4}
	if len(prof) > 0 {
		cfg.Profile = &prof[0]
	}
	return openConfig(t, cfg)
}

// openConfig is open for any build of a board top.
func openConfig(t *testing.T, cfg rtlboard.Config) (*driver.Client, *rtlboard.Board) {
	t.Helper()
	bin, err := rtlboard.Build(cfg)
	if errors.Is(err, rtlboard.ErrNoVerilator) {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := rtlboard.Start(bin, cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := driver.Open(b, &driver.Options{Timeout: time.Second})
	if err != nil {
		b.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, b
}

// randomImage builds a valid up5k image of n neurons, about k synapses a
// neuron, a third of them plastic.
func randomImage(t *testing.T, prof core.Profile, n, k int, seed uint64) *core.Image {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 11))
	im := &core.Image{Profile: prof, NumNeurons: n}
	im.Rules[1] = core.Rule{APlus: 40, AMinus: 20, WMin: -60, WMax: 100}
	im.Rules[2] = core.Rule{APlus: 10, AMinus: 30, WMin: -100, WMax: 60}
	owner := []uint32{}
	for i := 0; i < n; i++ {
		im.Params = append(im.Params, core.NeuronParams{
			Thr: int32(120 + r.IntN(250)), VReset: int32(-r.IntN(20)), Bias: int32(r.IntN(6)),
			DV: uint16(3600 + r.IntN(497)), DI: uint16(2500 + r.IntN(1500)),
			TRef: uint8(r.IntN(4)), TrShift: uint8(1 + r.IntN(4)), TrInc: uint8(20 + r.IntN(60)),
		})
		im.State = append(im.State, core.NeuronState{V: int32(r.IntN(100)), I: int32(r.IntN(30) - 10), Ref: uint8(r.IntN(2))})
		im.Trace = append(im.Trace, uint8(r.IntN(20)))
		cnt := min(r.IntN(2*k+1), prof.Synapses()-len(im.Syn))
		im.Fanout = append(im.Fanout, core.Fanout{FoBase: uint32(len(im.Syn)), FoCnt: uint32(cnt)})
		for range cnt {
			s := core.Synapse{Tgt: uint32(r.IntN(n)), W: int8(r.IntN(130) - 40), WExp: uint8(r.IntN(3))}
			if r.IntN(3) == 0 {
				s.Rule = uint8(1 + r.IntN(2))
			}
			im.Syn = append(im.Syn, s)
			owner = append(owner, uint32(i))
		}
	}
	// fan-in rows: the plastic synapse words of each target
	for tgt := 0; tgt < n; tgt++ {
		im.Fanout[tgt].FiBase = uint32(len(im.Rev))
		for a, s := range im.Syn {
			if s.Rule != 0 && int(s.Tgt) == tgt && len(im.Rev) < prof.FanIn() {
				im.Rev = append(im.Rev, core.RevEntry{SAddr: uint32(a), Src: owner[a]})
			}
		}
		im.Fanout[tgt].FiCnt = uint32(len(im.Rev)) - im.Fanout[tgt].FiBase
	}
	if err := im.Validate(); err != nil {
		t.Fatalf("random image: %v", err)
	}
	return im
}

func randomInput(n, steps, perStep int, seed uint64) []core.InputSpike {
	r := rand.New(rand.NewPCG(seed, 13))
	var in []core.InputSpike
	for s := 0; s < steps; s++ {
		for range r.IntN(perStep + 1) {
			in = append(in, core.InputSpike{Step: uint32(s), Neuron: uint32(r.IntN(n))})
		}
	}
	return in
}

// emulate runs the golden model and returns every step's cycles and spikes.
func emulate(t *testing.T, emu *emulator.Core, steps int, in []core.InputSpike) ([]uint64, [][]uint32) {
	t.Helper()
	by := map[int][]uint32{}
	for _, s := range in {
		by[int(s.Step)] = append(by[int(s.Step)], s.Neuron)
	}
	cyc := make([]uint64, steps)
	spk := make([][]uint32, steps)
	for s := 0; s < steps; s++ {
		if err := emu.Force(by[s]...); err != nil {
			t.Fatal(err)
		}
		r := emu.Step()
		cyc[s] = r.Cycles
		spk[s] = append([]uint32(nil), r.Spikes...)
	}
	return cyc, spk
}

func compareRun(t *testing.T, res *driver.RunResult, cyc []uint64, spk [][]uint32) int {
	t.Helper()
	if len(res.Steps) != len(cyc) {
		t.Fatalf("board ran %d steps, emulator %d", len(res.Steps), len(cyc))
	}
	mism, spikes := 0, 0
	for s := range cyc {
		g := res.Steps[s]
		want := spk[s]
		if len(want) == 0 {
			want = nil
		}
		got := g.Spikes
		if len(got) == 0 {
			got = nil
		}
		if uint64(g.Cycles) != cyc[s] || !reflect.DeepEqual(got, want) {
			mism++
			if mism <= 5 {
				t.Errorf("step %d: RTL board cycles %d spikes %v, emulator cycles %d spikes %v", s, g.Cycles, got, cyc[s], want)
			}
		}
		spikes += len(spk[s])
	}
	if mism > 0 {
		t.Fatalf("%d of %d steps differ", mism, len(cyc))
	}
	return spikes
}

// TestRTLBoardMatchesEmulator flashes an image into the Verilog board over
// its UART with the Go driver, runs it with streamed input and checks every
// step's spikes and cycle count, then the memories read back, against the
// emulator: zero mismatches.
func TestRTLBoardMatchesEmulator(t *testing.T) {
	c, _ := open(t)
	in := c.Info()
	t.Logf("INFO: %+v", in)
	if c.Profile().Name != "up5k" || in.Board != "ncx-icebreaker" || in.Has(core.FeatBurst) || !in.Has(core.FeatStop|core.FeatStatus) || in.Has(core.FeatReadOut) {
		t.Fatalf("unexpected INFO %+v (profile %s)", in, c.Profile().Name)
	}
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	prof := core.Profiles["up5k"]
	im := randomImage(t, prof, 40, 6, 1)
	start := time.Now()
	if err := c.Flash(im, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("flash + verify of %d neurons, %d synapse words in %v", im.NumNeurons, len(im.Syn), time.Since(start).Round(time.Millisecond))

	emu, err := emulator.New(im)
	if err != nil {
		t.Fatal(err)
	}
	const steps = 80
	input := randomInput(im.NumNeurons, steps, 3, 2)
	cyc, spk := emulate(t, emu, steps, input)
	start = time.Now()
	res, err := c.Run(context.Background(), steps, input)
	if err != nil {
		t.Fatal(err)
	}
	n := compareRun(t, res, cyc, spk)
	if n == 0 {
		t.Fatal("no spikes: the test network is too quiet to prove anything")
	}
	t.Logf("run of %d steps, %d input spikes, %d output spikes in %v: zero mismatches", steps, len(input), n, time.Since(start).Round(time.Millisecond))
	if res.Status.StepsRun != steps || res.Status.Dropped != 0 || res.Status.Running {
		t.Fatalf("status after the run: %+v", res.Status)
	}

	checkReadback(t, c, emu)
	acc, err := c.ReadMem(core.MemAcc, 0, im.NumNeurons)
	if err != nil {
		t.Fatal(err)
	}
	for k, a := range emu.Acc() {
		if acc[k] != (core.Word{uint64(uint32(a)) & (1<<prof.VW - 1)}) {
			t.Fatalf("acc[%d] = %x, emulator %d", k, acc[k][0], a)
		}
	}

	// a second run continues from the state the first one left
	input2 := randomInput(im.NumNeurons, 30, 2, 3)
	cyc, spk = emulate(t, emu, 30, input2)
	res, err = c.Run(context.Background(), 30, input2)
	if err != nil {
		t.Fatal(err)
	}
	compareRun(t, res, cyc, spk)
}

// TestRTLBoardLinkErrors sends the board a corrupted frame and a frame out
// of order: it answers NAK and the client carries on.
func TestRTLBoardLinkErrors(t *testing.T) {
	c, b := open(t)
	bad := driver.AppendFrame(nil, 200, core.CmdStatus, nil)
	bad[len(bad)-1] ^= 0x55
	if _, err := b.Write(append([]byte{0x00, 0xA5, 0x13}, bad...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	st, err := c.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.CRCErrors == 0 || st.NaksSent == 0 {
		t.Fatalf("status after a corrupted frame: %+v", st)
	}
	if err := c.WriteMem(core.HostSelNumNeurons, 0, []core.Word{{300}}); !errors.Is(err, driver.ErrRefused) {
		t.Fatalf("num_neurons 300 on a 256-neuron board: got %v, want ErrRefused", err)
	}
	if err := c.SetNumNeurons(5); err != nil {
		t.Fatal(err)
	}
	w, err := c.ReadMem(core.HostSelNumNeurons, 0, 1)
	if err != nil || w[0][0] != 5 {
		t.Fatalf("num_neurons read back %v, %v", w, err)
	}
	t.Logf("status: %+v", st)
}

// TestRTLBoardBurst builds the board with the tiny profile and burst units,
// flashes examples/burst.yaml (burst units, BDSP rules, LFSR) over the UART,
// one of its two BDSP rules given fraction bits (spec section 8.4) and every
// wfrac word a start value, and checks the run and the burst state, weights
// and fraction bits read back against the emulator; then that RESET clears
// wfrac and rule_frac.
func TestRTLBoardBurst(t *testing.T) {
	prof := core.Profiles["tiny"]
	c, _ := open(t, prof)
	if !c.Info().Has(core.FeatBurst) || !c.Profile().Burst {
		t.Fatalf("a burst build does not advertise burst units: %+v", c.Info())
	}
	net, err := network.Load("../../examples/burst.yaml")
	if err != nil {
		t.Fatal(err)
	}
	im, _, err := compiler.Compile(net, compiler.Options{Profile: &prof})
	if err != nil {
		t.Fatal(err)
	}
	b := im.Burst
	if b == nil || bits.OnesCount8(b.RuleKind) < 2 || len(im.Rev) == 0 {
		t.Fatalf("examples/burst.yaml no longer has two BDSP rules and plastic synapses")
	}
	b.RuleFrac = 1 << bits.TrailingZeros8(b.RuleKind)
	b.WFrac = make([]uint8, len(im.Rev))
	for a := range b.WFrac {
		b.WFrac[a] = uint8(37*a + 11)
	}
	if err := c.Flash(im, nil); err != nil {
		t.Fatal(err)
	}
	const steps = 150
	var input []core.InputSpike
	for _, s := range im.Meta.Stimulus {
		if s.Step < steps {
			input = append(input, s)
		}
	}
	emu, err := emulator.New(im)
	if err != nil {
		t.Fatal(err)
	}
	cyc, spk := emulate(t, emu, steps, input)
	res, err := c.Run(context.Background(), steps, input)
	if err != nil {
		t.Fatal(err)
	}
	n := compareRun(t, res, cyc, spk)
	if n == 0 {
		t.Fatal("no spikes: the burst network is too quiet to prove anything")
	}
	back, err := c.Readback(nil)
	if err != nil {
		t.Fatal(err)
	}
	if back.Burst == nil || !reflect.DeepEqual(back.Burst.State, emu.BurstState()) || back.Burst.LFSR != emu.LFSR() || !reflect.DeepEqual(back.Syn, emu.Syn()) {
		t.Fatal("burst state, lfsr or weights read back differ from the emulator's")
	}
	if back.Burst.RuleFrac != b.RuleFrac || !reflect.DeepEqual(back.Burst.WFrac, emu.WFrac()) {
		t.Fatalf("rule_frac %#x and wfrac %v read back, emulator %#x and %v", back.Burst.RuleFrac, back.Burst.WFrac, b.RuleFrac, emu.WFrac())
	}
	if reflect.DeepEqual(emu.WFrac(), b.WFrac) {
		t.Fatal("no fraction bits changed in the run: it proves nothing about them")
	}
	if err := c.Reset(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ sel, count int }{{core.MemWFrac, len(im.Rev)}, {core.HostSelRuleFrac, 1}} {
		ws, err := c.ReadMem(r.sel, 0, r.count)
		if err != nil {
			t.Fatal(err)
		}
		for a, w := range ws {
			if w != (core.Word{}) {
				t.Fatalf("after RESET %s word %d is %v, want 0", core.MemMap[r.sel].Name, a, w)
			}
		}
	}
	t.Logf("burst image: %d steps, %d input spikes, %d output spikes, burst state, weights and fraction bits equal", steps, len(input), n)
}

// TestRTLBoardCMODA7 drives the CMod A7 top (hdl/cmoda7/ncx_cmoda7.v, a7
// profile, queue and spike buffer in ncx_sp_ram) through its UART pins:
// INFO names the board and profile, then flash, a run with streamed input
// and readback agree with the emulator.
func TestRTLBoardCMODA7(t *testing.T) {
	c, b := openConfig(t, rtlboard.Config{Div: 4, Board: rtlboard.BoardCMODA7})
	in := c.Info()
	if c.Profile().Name != "a7" || in.Board != "ncx-cmoda7" || !in.Has(core.FeatBurst|core.FeatStop|core.FeatStatus) || b.String() != "rtl-cmoda7" {
		t.Fatalf("unexpected INFO %+v (profile %s, port %s)", in, c.Profile().Name, b)
	}
	prof := core.Profiles["a7"]
	im := randomImage(t, prof, 40, 6, 3)
	if err := c.Flash(im, nil); err != nil {
		t.Fatal(err)
	}
	emu, err := emulator.New(im)
	if err != nil {
		t.Fatal(err)
	}
	const steps = 60
	input := randomInput(im.NumNeurons, steps, 3, 4)
	cyc, spk := emulate(t, emu, steps, input)
	res, err := c.Run(context.Background(), steps, input)
	if err != nil {
		t.Fatal(err)
	}
	n := compareRun(t, res, cyc, spk)
	t.Logf("run of %d steps, %d input spikes, %d output spikes: zero mismatches", steps, len(input), n)
	if n == 0 || res.Status.StepsRun != steps || res.Status.Dropped != 0 || res.Status.Running {
		t.Fatalf("%d spikes (a silent network proves nothing), status after the run: %+v", n, res.Status)
	}
	checkReadback(t, c, emu)
}

// checkReadback reads the board's state, traces and weights back and
// compares them with the emulator's.
func checkReadback(t *testing.T, c *driver.Client, emu *emulator.Core) {
	t.Helper()
	back, err := c.Readback(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.State, emu.State()) || !reflect.DeepEqual(back.Trace, emu.Trace()) || !reflect.DeepEqual(back.Syn, emu.Syn()) {
		t.Fatal("state, traces or weights read back after the run differ from the emulator's")
	}
}

// TestBoardProfile: each board top's default profile is the one its FPGA
// holds, and an unknown board is an error naming it and the known ones.
func TestBoardProfile(t *testing.T) {
	want := map[string]string{rtlboard.BoardICEBreaker: "up5k", rtlboard.BoardCMODA7: "a7"}
	if len(rtlboard.Boards) != len(want) || rtlboard.Boards[0] != rtlboard.BoardICEBreaker {
		t.Fatalf("boards %v, want the iCEBreaker first of %d", rtlboard.Boards, len(want))
	}
	for _, b := range rtlboard.Boards {
		p, err := rtlboard.BoardProfile(b)
		if err != nil || p.Name != want[b] || !reflect.DeepEqual(p, core.Profiles[want[b]]) {
			t.Errorf("%s: profile %+v, %v; want %s", b, p, err, want[b])
		}
	}
	_, err := rtlboard.BoardProfile("arty")
	if err == nil || err.Error() != `rtlboard: unknown board "arty" (have icebreaker, cmoda7)` {
		t.Errorf("unknown board: %v", err)
	}
	if _, err := rtlboard.Build(rtlboard.Config{Board: "arty"}); err == nil || err.Error() != `rtlboard: unknown board "arty" (have icebreaker, cmoda7)` {
		t.Errorf("Build of an unknown board: %v", err)
	}
}
