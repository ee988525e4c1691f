package emulator

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
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
	// p = 0.02 at 4,000 neurons; larger networks keep the mean fan-out of 80
	// (and so the activity), drawing targets by geometric gaps.
	p := min(0.02, 80/float64(n))
	for src := 0; src < n; src++ {
		im.Fanout[src].FoBase = uint32(len(im.Syn))
		add := func(tgt int) {
			s := core.Synapse{Tgt: uint32(tgt), W: we}
			if src >= ne {
				s.W, s.WExp = wi, 2
			}
			im.Syn = append(im.Syn, s)
		}
		if n <= 4000 {
			for tgt := 0; tgt < n; tgt++ {
				if r.Float64() < p {
					add(tgt)
				}
			}
		} else {
			for tgt := int(math.Log(1-r.Float64()) / math.Log1p(-p)); tgt < n; tgt += 1 + int(math.Log(1-r.Float64())/math.Log1p(-p)) {
				add(tgt)
			}
		}
		im.Fanout[src].FoCnt = uint32(len(im.Syn)) - im.Fanout[src].FoBase
	}
	return im
}

func BenchmarkCUBA4000(b *testing.B) {
	im := cubaImage(4000, 1)
	for _, mode := range []string{"serial", "default"} {
		b.Run(mode, func(b *testing.B) { benchCUBA(b, im, mode) })
	}
}

func benchCUBA(b *testing.B, im *core.Image, mode string) {
	const steps = 10000
	var spikes, events uint64
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		b.StopTimer()
		c := newInMode(b, im, mode)
		runtime.GC() // the image's garbage is not the run's
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

// newInMode is a core whose phase 1 runs serially ("serial"), on two
// goroutines at every step ("parallel") or as New chooses ("default").
func newInMode(tb testing.TB, im *core.Image, mode string) *Core {
	c, err := New(im)
	if err != nil {
		tb.Fatal(err)
	}
	switch mode {
	case "serial":
		c.SetParallel(false)
	case "parallel":
		c.alwaysParallel = true
		c.SetParallel(true)
	}
	return c
}

// BenchmarkDelivery measures phase 2 alone (static synapses: one packed word
// and one saturating add per event) by replaying the spike lists of 2,000
// CUBA-4000 steps, in ns per synaptic event.
func BenchmarkDelivery(b *testing.B) {
	im := cubaImage(4000, 1)
	c, err := New(im)
	if err != nil {
		b.Fatal(err)
	}
	var lists [][]uint32
	for range 2000 {
		lists = append(lists, slices.Clone(c.Step().Spikes))
	}
	var events uint64
	for b.Loop() {
		for _, l := range lists {
			events += c.deliver(l)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
