package bench

import (
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
)

// The network and run length of BenchmarkCUBA, overridable so that
// scripts/bench-cuba.sh can run both lengths and the activity-matched variant
// from one test binary.
const (
	netEnv   = "NCX_CUBA_NET"   // network file, default examples/cuba.yaml
	stepsEnv = "NCX_CUBA_STEPS" // steps per run, default 10,000
)

func compileCUBA(tb testing.TB) *core.Image {
	tb.Helper()
	path := "../examples/cuba.yaml"
	if p := os.Getenv(netEnv); p != "" {
		path = p
	}
	im, _, err := compiler.CompileFile(path, compiler.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return im
}

func cubaSteps(tb testing.TB) int {
	s := os.Getenv(stepsEnv)
	if s == "" {
		return 10000
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		tb.Fatalf("bench: %s=%q is not a positive step count", stepsEnv, s)
	}
	return n
}

// BenchmarkCUBA emulates CUBA-4000 (10,000 steps = 1 s at dt = 0.1 ms unless
// NCX_CUBA_STEPS says otherwise), the run that scripts/bench-cuba.sh sets
// against Brian2. Compilation is not timed.
func BenchmarkCUBA(b *testing.B) {
	im := compileCUBA(b)
	steps := cubaSteps(b)
	var spikes, events uint64
	var peak uint64
	b.ResetTimer() // the compilation above is not part of the run
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		c, err := emulator.New(im)
		if err != nil {
			b.Fatal(err)
		}
		// finish the collection of the compiler's garbage now, not during
		// the timed run (Brian2's setup is not timed either)
		runtime.GC()
		b.StartTimer()
		for s := 0; s < steps; s++ {
			r := c.Step()
			spikes += uint64(len(r.Spikes))
			events += r.F
		}
		b.StopTimer()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapSys)
		b.StartTimer()
	}
	sec := b.Elapsed().Seconds()
	simSec := float64(steps) * im.Meta.DtMs / 1000
	b.ReportMetric(float64(b.N)*float64(steps)*float64(im.NumNeurons)/sec, "neuron-updates/s")
	b.ReportMetric(float64(events)/sec, "syn-events/s")
	b.ReportMetric(float64(spikes)/float64(b.N), "spikes/run")
	b.ReportMetric(float64(events)/float64(b.N), "syn-events/run")
	b.ReportMetric(float64(spikes)/float64(b.N)/float64(im.NumNeurons)/simSec, "Hz")
	b.ReportMetric(sec/float64(b.N), "wall-s/run")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// TestCUBAIsActive keeps the benchmark honest: the compiled network must fire
// at a plausible cortical rate, or the speed figure would mean nothing.
func TestCUBAIsActive(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 320k-synapse network")
	}
	for _, tc := range []struct {
		path   string
		lo, hi float64
	}{{"../examples/cuba.yaml", 8, 20}, {"../examples/cuba_matched.yaml", 3, 9}} {
		t.Setenv(netEnv, tc.path)
		im := compileCUBA(t)
		c, err := emulator.New(im)
		if err != nil {
			t.Fatal(err)
		}
		const steps = 2000
		var spikes int
		for s := 0; s < steps; s++ {
			spikes += len(c.Step().Spikes)
		}
		rate := float64(spikes) / float64(im.NumNeurons) / (steps * im.Meta.DtMs / 1000)
		if rate < tc.lo || rate > tc.hi {
			t.Fatalf("%s: rate %.1f Hz outside %g..%g Hz", tc.path, rate, tc.lo, tc.hi)
		}
		t.Logf("%s: %.1f Hz over %d steps", tc.path, rate, steps)
	}
}
