package emulator

import "testing"

// BenchmarkPhase1 measures the neuron pass alone (no spikes delivered) on
// the CUBA neurons with every kernel this machine has, in ns per neuron;
// "traced" makes the kernels run the trace decay that CUBA does not need;
// "rsub" makes every neuron reset by subtraction.
func BenchmarkPhase1(b *testing.B) {
	im := cubaImage(4000, 1)
	for _, k := range kernels() {
		for _, variant := range []string{"", "-traced", "-rsub"} {
			b.Run(k.name+variant, func(b *testing.B) {
				c, err := New(im)
				if err != nil {
					b.Fatal(err)
				}
				c.nt.noTrace = variant != "-traced"
				if variant == "-rsub" {
					for n := range im.NumNeurons {
						q := im.Params[n]
						q.RSub = true
						c.SetParams(n, q)
					}
				}
				np := len(c.nt.v)
				for b.Loop() {
					k.fn(c.nt, 0, np, c.vmin, c.vmax)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(im.NumNeurons), "ns/neuron")
			})
		}
	}
}
