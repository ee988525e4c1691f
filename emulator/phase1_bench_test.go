package emulator

import "testing"

// BenchmarkPhase1 measures the neuron-update loop alone (no spikes delivered)
// on the CUBA neurons, in ns per neuron.
func BenchmarkPhase1(b *testing.B) {
	im := cubaImage(4000, 1)
	c, err := New(im)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]uint32, len(c.neurons))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		phase1Range(c.neurons, c.acc, out, 0, c.vmin, c.vmax)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/4000, "ns/neuron")
}
