// Package gen builds random ncx-core networks for the differential test of
// the RTL against the emulator. Everything is derived from one seed, so a
// failing network is reproduced by its seed alone.
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ncx-project/ncx/core"
)

// Case is one random network with its stimulus.
type Case struct {
	Seed  uint64
	Image *core.Image
	Steps int
	Stim  [][]uint32 // neurons forced in each step
}

type rng struct{ *rand.Rand }

func (r rng) pick(xs ...int) int { return xs[r.IntN(len(xs))] }

// sv returns a VW-bit signed value, often at or near the edges.
func (r rng) sv(p core.Profile) int32 {
	lo, hi := p.VMin(), p.VMax()
	switch r.IntN(8) {
	case 0:
		return lo
	case 1:
		return hi
	case 2:
		return 0
	case 3:
		return int32(r.IntN(64)) - 32
	case 4:
		return lo + int32(r.IntN(16))
	case 5:
		return hi - int32(r.IntN(16))
	}
	return lo + int32(r.Int64N(int64(hi)-int64(lo)+1))
}

// small returns a modest signed value, the kind a real network has.
func (r rng) small(span int) int32 { return int32(r.IntN(2*span+1) - span) }

func (r rng) decay() uint16 {
	switch r.IntN(6) {
	case 0:
		return 0
	case 1:
		return core.DecayOne
	case 2:
		return core.DecayOne - 1
	case 3:
		return uint16(1 + r.IntN(8))
	}
	return uint16(r.IntN(core.DecayOne + 1))
}

func (r rng) u8edge() uint8 {
	switch r.IntN(5) {
	case 0:
		return 0
	case 1:
		return 255
	case 2:
		return uint8(1 + r.IntN(4))
	}
	return uint8(r.IntN(256))
}

// New builds the random case of seed. Most cases use the tiny profile; about
// one in bigEvery (0: never) uses big instead, with more neurons. On a
// profile with burst units, half of the cases have burst tables (spec
// section 8): a random mix of LIF neurons and burst units, random LUT,
// BDSP rules, burst rows.
func New(seed uint64, tiny, big core.Profile, bigEvery int) (*Case, error) {
	r := rng{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	p := tiny
	if bigEvery > 0 && r.IntN(bigEvery) == 0 {
		p = big
	}
	withBurst := p.Burst && r.IntN(2) == 0
	N := p.Neurons()
	var n int
	switch r.IntN(6) {
	case 0:
		n = 1 + r.IntN(3)
	case 1:
		n = N
	default:
		n = 1 + r.IntN(N)
	}
	im := &core.Image{Profile: p, NumNeurons: n}
	im.Meta.Name = fmt.Sprintf("random-%d", seed)
	im.Meta.Seed = seed

	// Parameter style of the whole network: realistic, or extreme.
	extreme := r.IntN(3) == 0
	for k := 0; k < n; k++ {
		var q core.NeuronParams
		var s core.NeuronState
		if extreme || r.IntN(10) == 0 {
			q = core.NeuronParams{Thr: r.sv(p), VReset: r.sv(p), Bias: r.sv(p), DV: r.decay(), DI: r.decay(),
				TRef: r.u8edge(), TrShift: uint8(r.IntN(8)), TrInc: r.u8edge()}
			s = core.NeuronState{V: r.sv(p), I: r.sv(p), Ref: r.u8edge()}
		} else {
			q = core.NeuronParams{Thr: 200 + r.small(150), VReset: r.small(50), Bias: r.small(40),
				DV: uint16(3000 + r.IntN(1097)), DI: uint16(2000 + r.IntN(2097)),
				TRef: uint8(r.IntN(5)), TrShift: uint8(r.IntN(8)), TrInc: uint8(r.IntN(256))}
			s = core.NeuronState{V: r.small(200), I: r.small(50), Ref: uint8(r.IntN(3))}
		}
		im.Params = append(im.Params, q)
		im.State = append(im.State, s)
		im.Trace = append(im.Trace, r.u8edge())
	}
	// Reset modes (spec section 4, rsub) draw from a stream of their own, so
	// every other quantity of a seed is what it was before the mode existed:
	// a third of the cases mix both modes, a third subtract everywhere.
	rs := rand.New(rand.NewPCG(seed, seed^0x7265736574))
	switch mode := rs.IntN(3); mode {
	case 1, 2:
		for k := range im.Params {
			im.Params[k].RSub = mode == 2 || rs.IntN(2) == 0
		}
	}

	// Rules: rule 0 is static, the others random with edge cases.
	for k := 1; k < core.NumRules; k++ {
		a, b := int8(r.IntN(256)-128), int8(r.IntN(256)-128)
		switch r.IntN(5) {
		case 0:
			a, b = -128, 127
		case 1:
			b = a
		}
		if a > b {
			a, b = b, a
		}
		im.Rules[k] = core.Rule{APlus: r.u8edge(), AMinus: r.u8edge(), WMin: a, WMax: b}
	}
	if r.IntN(4) == 0 { // garbage in rule 0: must be ignored
		im.Rules[0] = core.Rule{APlus: 255, AMinus: 255, WMin: 5, WMax: 5}
	}

	// Fan-out rows, laid out in a random order of neurons.
	S, R := p.Synapses(), p.FanIn()
	density := r.IntN(4) // 0 sparse .. 3 dense
	plasticP := []float64{0, 0.3, 0.7, 1}[r.IntN(4)]
	im.Fanout = make([]core.Fanout, n)
	order := r.Perm(n)
	budget := S
	if budget > 6000 {
		budget = 6000
	}
	if withBurst {
		budget = budget * 3 / 4 // room for burst rows
	}
	plastic := 0
	for _, src := range order {
		var cnt int
		switch {
		case r.IntN(5) == 0:
			cnt = 0
		case density == 3:
			cnt = r.IntN(2*n + 1)
		default:
			cnt = r.IntN(3 + density*n/4)
		}
		if cnt > budget-len(im.Syn) {
			cnt = budget - len(im.Syn)
		}
		base := len(im.Syn)
		for k := 0; k < cnt; k++ {
			var tgt uint32
			switch {
			case k > 0 && r.IntN(4) == 0: // multapse: same target twice in a row
				tgt = im.Syn[len(im.Syn)-1].Tgt
			case r.IntN(8) == 0: // self-connection
				tgt = uint32(src)
			default:
				tgt = uint32(r.IntN(n))
			}
			w := int8(r.IntN(256) - 128)
			if r.IntN(6) == 0 {
				w = int8([]int{-128, 127, 0, -1, 1}[r.IntN(5)])
			}
			var wexp uint8
			if extreme {
				wexp = uint8(r.IntN(8))
			} else {
				wexp = uint8(r.IntN(4))
			}
			var rule uint8
			if plastic < R && r.Float64() < plasticP {
				rule = uint8(1 + r.IntN(core.NumRules-1))
				plastic++
			}
			im.Syn = append(im.Syn, core.Synapse{Tgt: tgt, W: w, WExp: wexp, Rule: rule})
		}
		im.Fanout[src].FoBase, im.Fanout[src].FoCnt = uint32(base), uint32(cnt)
		if cnt == 0 && r.IntN(2) == 0 {
			im.Fanout[src].FoBase = uint32(r.IntN(len(im.Syn) + 1)) // empty rows may point anywhere
		}
	}

	// Plastic fan-in rows: for each target, its plastic synapses in a random order.
	owner := make([]uint32, len(im.Syn))
	for src, f := range im.Fanout {
		for a := f.FoBase; a < f.FoBase+f.FoCnt; a++ {
			owner[a] = uint32(src)
		}
	}
	byTgt := make([][]core.RevEntry, n)
	for a, s := range im.Syn {
		if s.Rule != 0 {
			byTgt[s.Tgt] = append(byTgt[s.Tgt], core.RevEntry{SAddr: uint32(a), Src: owner[a]})
		}
	}
	for _, tgt := range r.Perm(n) {
		es := byTgt[tgt]
		r.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		im.Fanout[tgt].FiBase, im.Fanout[tgt].FiCnt = uint32(len(im.Rev)), uint32(len(es))
		im.Rev = append(im.Rev, es...)
	}

	if withBurst {
		addBurst(r, im, extreme)
		addFrac(seed, im.Burst, len(im.Rev))
	}

	// Stimulus: per-step style.
	c := &Case{Seed: seed, Image: im, Steps: 3 + r.IntN(30)}
	rate := []float64{0, 0.05, 0.3, 1}[r.IntN(4)]
	for st := 0; st < c.Steps; st++ {
		var ids []uint32
		switch r.IntN(10) {
		case 0: // silent
		case 1: // all neurons fire
			for k := 0; k < n; k++ {
				ids = append(ids, uint32(k))
			}
		default:
			for k := 0; k < n; k++ {
				if r.Float64() < rate {
					ids = append(ids, uint32(k))
				}
			}
			r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			if len(ids) > 0 && r.IntN(4) == 0 {
				ids = append(ids, ids[0]) // forcing twice is the same as once
			}
		}
		c.Stim = append(c.Stim, ids)
	}
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("gen seed %d: %w", seed, err)
	}
	return c, nil
}

// addFrac gives the BDSP rules of b fraction bits (spec section 8.4) and
// wfrac initial words for nrev fan-in words. Like the reset modes it draws
// from a stream of its own, so every other quantity of a seed is what it was
// before fraction bits existed. A quarter of the networks keep rule_frac 0,
// most of them with wfrac words nonetheless (which the host port must keep
// and phase 3 must leave alone); wfrac words are often 0 or 255, so that
// carries into and borrows from the weight and the clipping at
// (wmax << 8) | 255 are exercised.
func addFrac(seed uint64, b *core.BurstTables, nrev int) {
	fs := rand.New(rand.NewPCG(seed, seed^0x6672616362697473))
	switch fs.IntN(4) {
	case 0: // no fraction bits
	case 1:
		b.RuleFrac = b.RuleKind
	default:
		b.RuleFrac = b.RuleKind & uint8(fs.IntN(256))
	}
	if fs.IntN(4) == 0 || nrev == 0 {
		return
	}
	b.WFrac = make([]uint8, nrev)
	for a := range b.WFrac {
		switch fs.IntN(5) {
		case 0:
			b.WFrac[a] = 0
		case 1:
			b.WFrac[a] = 255
		default:
			b.WFrac[a] = uint8(fs.IntN(256))
		}
	}
}

// lut returns a burst-probability table: a sigmoid (what the compiler
// writes), random values, constants, or a step right at the 127/128 edge.
func (r rng) lut() [core.LUTSize]uint8 {
	var t [core.LUTSize]uint8
	style := r.IntN(6)
	slope := 1 + r.Float64()*6
	for i := range t {
		switch style {
		case 0, 1:
			x := (float64(i) - core.LUTCenter) / slope
			t[i] = uint8(min(255, 255/(1+math.Exp(-x))+0.5))
		case 2:
			t[i] = uint8(r.IntN(256))
		case 3:
			t[i] = []uint8{0, 255, 128, 127}[r.IntN(4)]
		case 4:
			t[i] = 127
			if i >= core.LUTCenter {
				t[i] = 128
			}
		default:
			t[i] = r.u8edge()
		}
	}
	return t
}

// addBurst gives im burst tables (spec section 8): burst units among the
// neurons, their parameters and initial state, the LUT, BDSP rules and burst
// rows appended after the event rows (static synapses onto burst units).
func addBurst(r rng, im *core.Image, extreme bool) {
	p, n := im.Profile, im.NumNeurons
	b := &core.BurstTables{
		LUT:   r.lut(),
		LFSR:  uint16(1 + r.IntN(0xffff)),
		State: make([]core.BurstState, n),
	}
	switch r.IntN(6) {
	case 0:
		b.LFSR = 1
	case 1:
		b.LFSR = 0xffff
	}
	switch r.IntN(4) {
	case 0: // STDP only
	case 1:
		b.RuleKind = 0xfe
	default:
		b.RuleKind = uint8(r.IntN(256)) &^ 1
	}
	buP := []float64{0.3, 0.7, 1}[r.IntN(3)]
	mode := r.IntN(3) // 0, 1: every unit in that mode; 2: mixed
	for k := 0; k < n; k++ {
		q := core.BurstParams{BU: r.Float64() < buP, BMode: uint8(mode), DA: r.decay(),
			AShift: uint8(r.IntN(core.MaxAShift + 1)), PShift: uint8(r.IntN(core.MaxPShift + 1))}
		if mode == 2 {
			q.BMode = uint8(r.IntN(2))
		}
		if extreme || r.IntN(8) == 0 {
			q.AOff, q.Teach = r.sv(p), r.sv(p)
		} else {
			q.AOff, q.Teach = r.small(100), r.small(60)
			q.AShift = uint8(r.IntN(6))
			if r.IntN(3) == 0 {
				q.Teach = 0
			}
		}
		s := core.BurstState{VA: r.small(300), PBar: min(uint16(r.u8edge())<<8|uint16(r.IntN(256)), core.MaxPBar), Err: int16(r.IntN(512) - 256)}
		switch r.IntN(6) {
		case 0:
			s.VA = r.sv(p)
		case 1:
			s.Err = []int16{-256, 255, 0, -1}[r.IntN(4)]
		}
		b.Params = append(b.Params, q)
		b.State[k] = s
	}
	var units []uint32
	for k, q := range b.Params {
		if q.BU {
			units = append(units, uint32(k))
		}
	}

	// Burst rows: static words onto burst units, after the event rows.
	b.BFanout = make([]core.BFanout, n)
	budget := p.Synapses() - len(im.Syn)
	for _, src := range r.Perm(n) {
		cnt := 0
		if len(units) > 0 && r.IntN(4) != 0 {
			cnt = r.IntN(3 + []int{2, 8, 2 * n}[r.IntN(3)])
		}
		cnt = min(cnt, budget)
		budget -= cnt
		base := len(im.Syn)
		for k := 0; k < cnt; k++ {
			tgt := units[r.IntN(len(units))]
			if k > 0 && r.IntN(4) == 0 { // same target twice in a row
				tgt = im.Syn[len(im.Syn)-1].Tgt
			}
			w := int8(r.IntN(256) - 128)
			if r.IntN(4) == 0 {
				w = int8([]int{-128, 127, 0, -1, 1}[r.IntN(5)])
			}
			wexp := uint8(r.IntN(4))
			if extreme || r.IntN(4) == 0 {
				wexp = uint8(r.IntN(8)) // up to 127 << 7: saturates acca quickly
			}
			im.Syn = append(im.Syn, core.Synapse{Tgt: tgt, W: w, WExp: wexp})
		}
		b.BFanout[src] = core.BFanout{BoBase: uint32(base), BoCnt: uint32(cnt)}
		if cnt == 0 && r.IntN(2) == 0 {
			b.BFanout[src].BoBase = uint32(r.IntN(len(im.Syn) + 1)) // empty rows may point anywhere
		}
	}
	im.Burst = b
}
