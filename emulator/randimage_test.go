package emulator

import (
	"math/rand/v2"

	"github.com/ncx-project/ncx/core"
)

// randomImage builds a valid image that leans on the edges of every rule:
// saturating weights and biases, extreme decays, zero and long refractory
// periods, multapses and self-connections, plastic synapses, either reset
// mode, and BDSP rules with and without fraction bits.
func randomImage(r *rand.Rand, prof core.Profile, withBurst bool) *core.Image {
	n := 1 + r.IntN(min(prof.Neurons(), 48))
	im := &core.Image{Profile: prof, NumNeurons: n}
	lo, hi := prof.VMin(), prof.VMax()
	pick := func(vals ...int32) int32 { return vals[r.IntN(len(vals))] }
	randV := func() int32 {
		switch r.IntN(4) {
		case 0:
			return pick(lo, hi, 0, -1, 1)
		default:
			return int32(r.Int64N(int64(hi)-int64(lo)+1) + int64(lo))
		}
	}
	rsub := r.IntN(3) // 0: every neuron resets to vreset, 1: some subtract, 2: all do
	for k := 0; k < n; k++ {
		q := core.NeuronParams{
			RSub:    rsub == 2 || (rsub == 1 && r.IntN(2) == 0),
			Thr:     int32(r.IntN(3000)) - 200,
			VReset:  int32(r.IntN(400)) - 300,
			Bias:    int32(r.IntN(200)) - 40,
			DV:      uint16(pick(0, 4096, 4095, 3900, int32(r.IntN(4097)))),
			DI:      uint16(pick(0, 4096, 3500, int32(r.IntN(4097)))),
			TRef:    uint8(pick(0, 1, 2, 255, int32(r.IntN(8)))),
			TrShift: uint8(r.IntN(8)),
			TrInc:   uint8(pick(0, 255, int32(r.IntN(256)))),
		}
		if r.IntN(8) == 0 {
			q.Thr, q.VReset, q.Bias = randV(), randV(), randV()
		}
		im.Params = append(im.Params, q)
		im.State = append(im.State, core.NeuronState{V: randV() / int32(1+r.IntN(64)), I: randV() / int32(1+r.IntN(64)), Ref: uint8(r.IntN(3))})
		im.Trace = append(im.Trace, uint8(r.IntN(256)))
	}
	for k := 1; k < core.NumRules; k++ {
		a, b := int8(r.IntN(256)-128), int8(r.IntN(256)-128)
		im.Rules[k] = core.Rule{APlus: uint8(r.IntN(256)), AMinus: uint8(r.IntN(256)), WMin: min(a, b), WMax: max(a, b)}
	}
	im.Fanout = make([]core.Fanout, n)
	var rev [][]core.RevEntry = make([][]core.RevEntry, n)
	for src := 0; src < n; src++ {
		cnt := r.IntN(12)
		if len(im.Syn)+cnt > prof.Synapses() {
			cnt = 0
		}
		im.Fanout[src].FoBase = uint32(len(im.Syn))
		im.Fanout[src].FoCnt = uint32(cnt)
		for j := 0; j < cnt; j++ {
			s := core.Synapse{Tgt: uint32(r.IntN(n)), W: int8(r.IntN(256) - 128), WExp: uint8(r.IntN(8))}
			if j > 0 && r.IntN(4) == 0 {
				s.Tgt = im.Syn[len(im.Syn)-1].Tgt // multapse
			}
			if r.IntN(3) == 0 {
				s.Rule = uint8(1 + r.IntN(core.NumRules-1))
			}
			if s.Rule != 0 {
				rev[s.Tgt] = append(rev[s.Tgt], core.RevEntry{SAddr: uint32(len(im.Syn)), Src: uint32(src)})
			}
			im.Syn = append(im.Syn, s)
		}
	}
	if withBurst {
		b := &core.BurstTables{LFSR: uint16(1 + r.IntN(65535)), RuleKind: uint8(r.IntN(256)) &^ 1}
		for k := 0; k < n; k++ {
			b.Params = append(b.Params, core.BurstParams{BU: r.IntN(4) != 0, BMode: uint8(r.IntN(2)), DA: uint16(pick(0, 4096, int32(r.IntN(4097)))),
				AOff: int32(r.IntN(400)) - 200, AShift: uint8(r.IntN(16)), PShift: uint8(r.IntN(8)), Teach: int32(r.IntN(100)) - 50})
			b.State = append(b.State, core.BurstState{VA: int32(r.IntN(1000)) - 500, PBar: uint16(r.IntN(core.MaxPBar + 1)), Err: int16(r.IntN(511) - 256)})
		}
		for i := range b.LUT {
			b.LUT[i] = uint8(r.IntN(256))
		}
		b.BFanout = make([]core.BFanout, n)
		for src := 0; src < n; src++ {
			b.BFanout[src].BoBase = uint32(len(im.Syn))
			for j := r.IntN(6); j > 0; j-- {
				t := r.IntN(n)
				if !b.Params[t].BU {
					continue
				}
				im.Syn = append(im.Syn, core.Synapse{Tgt: uint32(t), W: int8(r.IntN(256) - 128), WExp: uint8(r.IntN(8))})
				b.BFanout[src].BoCnt++
			}
		}
		im.Burst = b
	}
	for t := 0; t < n; t++ {
		im.Fanout[t].FiBase = uint32(len(im.Rev))
		im.Fanout[t].FiCnt = uint32(len(rev[t]))
		im.Rev = append(im.Rev, rev[t]...)
	}
	if b := im.Burst; b != nil {
		// fraction bits (spec section 8.4) on some BDSP rules, stray bits
		// of STDP rules left out (Validate refuses them); wfrac words from
		// a previous run's residue or none
		if r.IntN(3) != 0 {
			b.RuleFrac = uint8(r.IntN(256)) & b.RuleKind
		}
		if r.IntN(2) == 0 {
			b.WFrac = make([]uint8, len(im.Rev))
			for a := range b.WFrac {
				b.WFrac[a] = uint8(pick(0, 255, int32(r.IntN(256))))
			}
		}
	}
	return im
}
