package bench

import (
	"runtime"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
)

func compileCUBA(tb testing.TB) *core.Image {
	tb.Helper()
	im, _, err := compiler.CompileFile("../examples/cuba.yaml", compiler.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return im
}

// BenchmarkCUBA10k emulates CUBA-4000 for 10,000 steps (1 s at dt = 0.1 ms),
// the run that scripts/bench-cuba.sh sets against Brian2.
func BenchmarkCUBA10k(b *testing.B) {
	im := compileCUBA(b)
	const steps = 10000
	var spikes, events uint64
	var peak uint64
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		c, err := emulator.New(im)
		if err != nil {
			b.Fatal(err)
		}
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
	b.ReportMetric(float64(b.N)*steps*float64(im.NumNeurons)/sec, "neuron-updates/s")
	b.ReportMetric(float64(events)/sec, "syn-events/s")
	b.ReportMetric(float64(spikes)/float64(b.N), "spikes/run")
	b.ReportMetric(sec/float64(b.N), "wall-s/run")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// TestCUBAIsActive keeps the benchmark honest: the compiled network must fire
// at a plausible cortical rate, or the speed figure would mean nothing.
func TestCUBAIsActive(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a 320k-synapse network")
	}
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
	if rate < 1 || rate > 100 {
		t.Fatalf("CUBA rate %.1f Hz outside 1..100 Hz", rate)
	}
	t.Logf("CUBA-4000: %.1f Hz over %d steps", rate, steps)
}
