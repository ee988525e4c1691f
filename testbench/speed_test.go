package testbench

import (
	"fmt"
	"testing"
	"time"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
	"github.com/ncx-project/ncx/testbench/rtl"
)

// cubaA7 compiles the CUBA-like network sized for the a7 profile, the largest
// built-in profile that synthesises for the NeuroCoreX board's part.
func cubaA7(tb testing.TB) *core.Image {
	tb.Helper()
	im, _, err := compiler.CompileFile("../examples/cuba_a7.yaml", compiler.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return im
}

type speed struct {
	steps                 int
	cycles                uint64
	rtlSecs, emuSecs      float64
	rtlCyclesPerSec       float64
	rtlStepsPerSec        float64
	emuStepsPerSec        float64
	ratio                 float64
	spikes                int
	finalStateIdentical   bool
	perStepCyclesIdentity bool
}

// measureSpeed runs the same image through the Verilated RTL (state read back
// only after the last step, so host-port traffic is not counted) and through
// the emulator, checks that they end in the same state with the same cycle
// count on every step, and returns both speeds.
func measureSpeed(tb testing.TB, im *core.Image, steps int) speed {
	bin := harness(tb, rtl.Variant{Profile: im.Profile})
	got, err := rtl.Run(bin, im, nil, steps, tb.TempDir(), "--dump", "final")
	if err != nil {
		tb.Fatal(err)
	}
	var best float64
	var c *emulator.Core
	var cycles []uint64
	spikes := 0
	for rep := 0; rep < 5; rep++ { // best of 5: the emulator run is short
		c, err = emulator.New(im)
		if err != nil {
			tb.Fatal(err)
		}
		cycles = cycles[:0]
		spikes = 0
		t0 := time.Now()
		for s := 0; s < steps; s++ {
			r := c.Step()
			cycles = append(cycles, r.Cycles)
			spikes += len(r.Spikes)
		}
		if d := time.Since(t0).Seconds(); rep == 0 || d < best {
			best = d
		}
	}
	sp := speed{steps: steps, cycles: got.TotalCycles, rtlSecs: got.Seconds, emuSecs: best, spikes: spikes,
		perStepCyclesIdentity: len(got.Steps) == steps}
	for s := 0; s < steps && sp.perStepCyclesIdentity; s++ {
		sp.perStepCyclesIdentity = got.Steps[s].Cycles == cycles[s]
	}
	last := got.Steps[steps-1]
	sp.finalStateIdentical = fmt.Sprint(last.State) == fmt.Sprint(c.State()) && fmt.Sprint(last.Acc) == fmt.Sprint(c.Acc()) &&
		fmt.Sprint(last.Trace) == fmt.Sprint(c.Trace())
	sp.rtlCyclesPerSec = float64(got.TotalCycles) / got.Seconds
	sp.rtlStepsPerSec = float64(steps) / got.Seconds
	sp.emuStepsPerSec = float64(steps) / best
	sp.ratio = sp.emuStepsPerSec / sp.rtlStepsPerSec
	return sp
}

// TestRTLSpeedRunAgrees is the CI-sized speed comparison: it checks that the
// two implementations agree on the CUBA-like a7 network and logs both speeds.
// Speeds are not asserted (a loaded CI machine makes them noisy); the full
// figure comes from BenchmarkRTLvsEmulator.
func TestRTLSpeedRunAgrees(t *testing.T) {
	im := cubaA7(t)
	sp := measureSpeed(t, im, 200)
	if !sp.perStepCyclesIdentity || !sp.finalStateIdentical {
		t.Fatalf("RTL and emulator disagree on the CUBA-like a7 network (cycles per step equal: %v, final state equal: %v)",
			sp.perStepCyclesIdentity, sp.finalStateIdentical)
	}
	if sp.spikes == 0 {
		t.Fatal("the network is silent: the comparison would prove nothing")
	}
	t.Logf("CUBA-like a7, %d steps, %d spikes: Verilator %.2f Mcycles/s (%.0f steps/s), emulator %.0f steps/s: emulator %.0fx faster",
		sp.steps, sp.spikes, sp.rtlCyclesPerSec/1e6, sp.rtlStepsPerSec, sp.emuStepsPerSec, sp.ratio)
}

// BenchmarkRTLvsEmulator runs 2,000 steps (200 ms at dt = 0.1 ms) of the
// CUBA-like a7 network on both implementations and reports the ratio.
func BenchmarkRTLvsEmulator(b *testing.B) {
	im := cubaA7(b)
	var sp speed
	for i := 0; i < b.N; i++ {
		sp = measureSpeed(b, im, 2000)
	}
	if !sp.perStepCyclesIdentity || !sp.finalStateIdentical {
		b.Fatal("RTL and emulator disagree")
	}
	b.ReportMetric(sp.rtlCyclesPerSec, "rtl-cycles/s")
	b.ReportMetric(sp.rtlStepsPerSec, "rtl-steps/s")
	b.ReportMetric(sp.emuStepsPerSec, "emu-steps/s")
	b.ReportMetric(sp.ratio, "emu/rtl")
}
