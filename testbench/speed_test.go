package testbench

import (
	"fmt"
	"slices"
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

// measureSpeed runs the same image once through the Verilated RTL (state
// read back only after the last step, so host-port traffic is not counted)
// and once through the emulator, checks that they end in the same state with
// the same cycle count on every step, and returns both speeds.
func measureSpeed(tb testing.TB, bin string, im *core.Image, steps int) speed {
	got, err := rtl.Run(bin, im, nil, steps, tb.TempDir(), "--dump", "final")
	if err != nil {
		tb.Fatal(err)
	}
	c, err := emulator.New(im)
	if err != nil {
		tb.Fatal(err)
	}
	cycles := make([]uint64, 0, steps)
	spikes := 0
	t0 := time.Now()
	for s := 0; s < steps; s++ {
		r := c.Step()
		cycles = append(cycles, r.Cycles)
		spikes += len(r.Spikes)
	}
	emu := time.Since(t0).Seconds()
	sp := speed{steps: steps, cycles: got.TotalCycles, rtlSecs: got.Seconds, emuSecs: emu, spikes: spikes,
		perStepCyclesIdentity: len(got.Steps) == steps}
	for s := 0; s < steps && sp.perStepCyclesIdentity; s++ {
		sp.perStepCyclesIdentity = got.Steps[s].Cycles == cycles[s]
	}
	last := got.Steps[steps-1]
	sp.finalStateIdentical = fmt.Sprint(last.State) == fmt.Sprint(c.State()) && fmt.Sprint(last.Acc) == fmt.Sprint(c.Acc()) &&
		fmt.Sprint(last.Trace) == fmt.Sprint(c.Trace())
	sp.rtlCyclesPerSec = float64(got.TotalCycles) / got.Seconds
	sp.rtlStepsPerSec = float64(steps) / got.Seconds
	sp.emuStepsPerSec = float64(steps) / emu
	sp.ratio = sp.emuStepsPerSec / sp.rtlStepsPerSec
	return sp
}

// TestRTLSpeedRunAgrees is the CI-sized speed comparison: it checks that the
// two implementations agree on the CUBA-like a7 network and logs both speeds.
// Speeds are not asserted (a loaded CI machine makes them noisy); the full
// figure comes from BenchmarkRTLvsEmulator.
func TestRTLSpeedRunAgrees(t *testing.T) {
	im := cubaA7(t)
	sp := measureSpeed(t, harness(t, rtl.Variant{Profile: im.Profile}), im, 200)
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
// CUBA-like a7 network on both implementations as interleaved pairs (7 per
// benchmark iteration) and reports min/median/max of the per-pair speed
// ratio and the medians of both speeds. Every pair must agree bit for bit.
func BenchmarkRTLvsEmulator(b *testing.B) {
	im := cubaA7(b)
	bin := harness(b, rtl.Variant{Profile: im.Profile})
	const pairs = 7
	var ratio, rtlCyc, rtlSteps, emuSteps []float64
	for range b.N {
		for range pairs {
			sp := measureSpeed(b, bin, im, 2000)
			if !sp.perStepCyclesIdentity || !sp.finalStateIdentical {
				b.Fatal("RTL and emulator disagree")
			}
			ratio = append(ratio, sp.ratio)
			rtlCyc = append(rtlCyc, sp.rtlCyclesPerSec)
			rtlSteps = append(rtlSteps, sp.rtlStepsPerSec)
			emuSteps = append(emuSteps, sp.emuStepsPerSec)
		}
	}
	for _, x := range [][]float64{ratio, rtlCyc, rtlSteps, emuSteps} {
		slices.Sort(x)
	}
	med := func(x []float64) float64 { return x[len(x)/2] }
	b.ReportMetric(ratio[0], "emu/rtl-min")
	b.ReportMetric(med(ratio), "emu/rtl-median")
	b.ReportMetric(ratio[len(ratio)-1], "emu/rtl-max")
	b.ReportMetric(med(rtlCyc), "rtl-cycles/s-median")
	b.ReportMetric(med(rtlSteps), "rtl-steps/s-median")
	b.ReportMetric(med(emuSteps), "emu-steps/s-median")
}
