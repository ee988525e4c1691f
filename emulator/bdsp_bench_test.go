package emulator

import (
	"math/rand/v2"
	"testing"

	"github.com/ncx-project/ncx/core"
)

// bdspImage is the digits demo's first layer in hardware units, without the
// compiler: in inputs all-to-all into hid stochastic burst units through
// one BDSP rule (aplus 16, fraction bits when frac). Forcing every neuron
// each step makes every step deliver and update in·hid synapse words.
func bdspImage(in, hid int, frac bool) *core.Image {
	r := rand.New(rand.NewPCG(5, 5))
	n := in + hid
	im := &core.Image{Profile: core.Profiles["a7"], NumNeurons: n}
	for range n {
		im.Params = append(im.Params, core.NeuronParams{Thr: 30000, DV: 3584, TrShift: 2, TrInc: 48})
	}
	im.State, im.Trace, im.Fanout = make([]core.NeuronState, n), make([]uint8, n), make([]core.Fanout, n)
	b := &core.BurstTables{Params: make([]core.BurstParams, n), State: make([]core.BurstState, n), BFanout: make([]core.BFanout, n),
		RuleKind: 1 << 1, LFSR: 0xACE1}
	if frac {
		b.RuleFrac = 1 << 1
	}
	for i := range b.LUT {
		b.LUT[i] = uint8(4 * i)
	}
	for j := in; j < n; j++ {
		b.Params[j] = core.BurstParams{BU: true, BMode: core.BModeStochas, DA: 3072, AShift: 6, PShift: 7}
		b.State[j].PBar = 0x8000
	}
	im.Burst = b
	im.Rules[1] = core.Rule{APlus: 16, WMin: -127, WMax: 127}
	for i := range in {
		im.Fanout[i].FoBase = uint32(len(im.Syn))
		for j := in; j < n; j++ {
			im.Syn = append(im.Syn, core.Synapse{Tgt: uint32(j), W: int8(r.IntN(161) - 80), WExp: 3, Rule: 1})
		}
		im.Fanout[i].FoCnt = uint32(hid)
	}
	for j := in; j < n; j++ {
		im.Fanout[j].FiBase, im.Fanout[j].FiCnt = uint32(len(im.Rev)), uint32(in)
		for i := range in {
			im.Rev = append(im.Rev, core.RevEntry{SAddr: uint32(i*hid + j - in), Src: uint32(i)})
		}
	}
	return im
}

// BenchmarkBDSPStep is one step of bdspImage(64, 150) with every neuron
// forced: 9,600 synapse words delivered and 9,600 BDSP updates, with and
// without fraction bits (spec section 8.4).
func BenchmarkBDSPStep(b *testing.B) {
	for _, frac := range []bool{false, true} {
		b.Run(map[bool]string{false: "plain", true: "fraction"}[frac], func(b *testing.B) {
			im := bdspImage(64, 150, frac)
			c, err := New(im)
			if err != nil {
				b.Fatal(err)
			}
			all := make([]uint32, im.NumNeurons)
			for k := range all {
				all[k] = uint32(k)
			}
			var g uint64
			for b.Loop() {
				if err := c.Force(all...); err != nil {
					b.Fatal(err)
				}
				g += c.Step().G
			}
			if g != uint64(b.N)*64*150 {
				b.Fatalf("%d updates in %d steps, want 9600 a step", g, b.N)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(g), "ns/update")
		})
	}
}
