package emulator

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ncx-project/ncx/core"
)

// cubaImage builds the CUBA network of Brette et al. (2007) directly in
// hardware units (0.1 uV per LSB on the sim profile), without the compiler,
// so that the emulator kernel can be measured on its own.
func cubaImage(n int, seed uint64) *core.Image {
	r := rand.New(rand.NewPCG(seed, 1))
	prof := core.Profiles["sim"]
	const lsb = 1e-4 // mV
	am := math.Exp(-0.1 / 20)
	dv := uint16(math.Round(4096 * am))
	di := uint16(math.Round(4096 * math.Exp(-0.1/5)))
	im := &core.Image{Profile: prof, NumNeurons: n}
	ne := n * 4 / 5
	for k := 0; k < n; k++ {
		im.Params = append(im.Params, core.NeuronParams{Thr: int32(-1 / lsb), VReset: int32(-11 / lsb), DV: dv, DI: di, TRef: 50})
		im.State = append(im.State, core.NeuronState{V: int32((-11 + 10*r.Float64()) / lsb)})
	}
	im.Trace = make([]uint8, n)
	im.Fanout = make([]core.Fanout, n)
	we := int8(math.Round(1.62 * (1 - am) / lsb))
	wi := int8(math.Round(-9 * (1 - am) / lsb / 4))
	for src := 0; src < n; src++ {
		im.Fanout[src].FoBase = uint32(len(im.Syn))
		for tgt := 0; tgt < n; tgt++ {
			if r.Float64() < 0.02 {
				s := core.Synapse{Tgt: uint32(tgt), W: we}
				if src >= ne {
					s.W, s.WExp = wi, 2
				}
				im.Syn = append(im.Syn, s)
			}
		}
		im.Fanout[src].FoCnt = uint32(len(im.Syn)) - im.Fanout[src].FoBase
	}
	return im
}

func BenchmarkCUBA4000(b *testing.B) {
	for _, par := range []bool{false, true} {
		name := "serial"
		if par {
			name = "parallel"
		}
		b.Run(name, func(b *testing.B) { benchCUBA(b, par) })
	}
}

func benchCUBA(b *testing.B, par bool) {
	im := cubaImage(4000, 1)
	const steps = 10000
	var spikes, events uint64
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		c, err := New(im)
		if err != nil {
			b.Fatal(err)
		}
		c.SetParallel(par)
		b.StartTimer()
		for s := 0; s < steps; s++ {
			r := c.Step()
			spikes += uint64(len(r.Spikes))
			events += r.F
		}
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)*steps*4000/sec, "neuron-updates/s")
	b.ReportMetric(float64(events)/sec, "syn-events/s")
	b.ReportMetric(float64(spikes)/float64(b.N), "spikes/run")
	b.ReportMetric(sec/float64(b.N), "s/10k-steps")
}
