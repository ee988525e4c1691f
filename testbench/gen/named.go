package gen

import (
	"math"

	"github.com/ncx-project/ncx/core"
)

// Named returns the hand-built reference networks whose expected outputs are
// checked into testbench/golden (one <name>.txt each).
func Named() []*Case {
	p := core.Profiles["tiny"]
	return []*Case{
		chargeToThreshold(p),
		refractory(p),
		saturation(p),
		stdpPair(p),
		fanOut(p),
		ring(p),
		burstThreshold(p),
		bdspLearning(p),
		resetSubtract(p),
		bdspFrac(p),
	}
}

// resetSubtract: neurons in the reset-by-subtraction mode (spec section 4,
// rsub) next to one that resets to vreset. 0 charges by a bias and keeps the
// remainder above thr (4 resets to vreset with the same drive); 1 leaks, is
// refractory after each spike and is forced while refractory (v held, then
// lowered by thr); 2 is forced far below thr and hits the negative rail; 3
// has thr at the negative rail, so v - thr saturates high; 5 has a negative
// thr, so each spike raises v until it sticks at the positive rail. 0's
// spikes reach 1 through a saturating synapse.
func resetSubtract(p core.Profile) *Case {
	im := image(p, "reset_subtract", 6)
	lo, hi := p.VMin(), p.VMax()
	im.Params[0] = core.NeuronParams{Thr: 100, VReset: -20, Bias: 37, DV: 4096, DI: 4096, TrShift: 2, TrInc: 60, RSub: true}
	im.Params[1] = core.NeuronParams{Thr: 500, VReset: 77, Bias: 60, DV: 3900, DI: 3000, TRef: 2, TrShift: 3, TrInc: 90, RSub: true}
	im.Params[2] = core.NeuronParams{Thr: hi, VReset: 0, Bias: 0, DV: 4096, DI: 4096, TrShift: 1, TrInc: 255, RSub: true}
	im.Params[3] = core.NeuronParams{Thr: lo, VReset: 0, Bias: 1000, DV: 4096, DI: 4096, TrShift: 0, TrInc: 7, RSub: true}
	im.Params[4] = core.NeuronParams{Thr: 100, VReset: -20, Bias: 37, DV: 4096, DI: 4096, TrShift: 2, TrInc: 60}
	im.Params[5] = core.NeuronParams{Thr: -50, VReset: 0, Bias: -10, DV: 4096, DI: 4096, TrShift: 5, TrInc: 1, RSub: true}
	im.State[2] = core.NeuronState{V: lo + 5}
	im.State[5] = core.NeuronState{V: hi - 400}
	im.Syn = append(im.Syn, core.Synapse{Tgt: 1, W: 127, WExp: 7})
	im.Fanout[0] = core.Fanout{FoBase: 0, FoCnt: 1}
	return named(im, 40, map[int][]uint32{0: {2}, 5: {2}, 9: {1}, 10: {1}, 21: {1, 2}})
}

func image(p core.Profile, name string, n int) *core.Image {
	im := &core.Image{Profile: p, NumNeurons: n}
	im.Meta.Name = name
	for k := 0; k < n; k++ {
		im.Params = append(im.Params, core.NeuronParams{Thr: 100, DV: core.DecayOne, DI: core.DecayOne, TrShift: 2, TrInc: 64})
		im.State = append(im.State, core.NeuronState{})
		im.Trace = append(im.Trace, 0)
		im.Fanout = append(im.Fanout, core.Fanout{})
	}
	return im
}

func named(im *core.Image, steps int, stim map[int][]uint32) *Case {
	c := &Case{Image: im, Steps: steps, Stim: make([][]uint32, steps)}
	for s, ids := range stim {
		c.Stim[s] = ids
	}
	if err := im.Validate(); err != nil {
		panic(im.Meta.Name + ": " + err.Error())
	}
	return c
}

// chargeToThreshold: one neuron with a constant bias and a leak charges up,
// crosses thr, resets to vreset and charges again.
func chargeToThreshold(p core.Profile) *Case {
	im := image(p, "charge", 1)
	im.Params[0] = core.NeuronParams{Thr: 1000, VReset: -50, Bias: 90, DV: 3900, DI: 4096, TRef: 0, TrShift: 3, TrInc: 100}
	return named(im, 40, nil)
}

// refractory: forced neurons with tref 0, 1, 3 and 255 and a bias that would
// make them fire every step: v is held while ref counts down.
func refractory(p core.Profile) *Case {
	im := image(p, "refractory", 4)
	for k, tref := range []uint8{0, 1, 3, 255} {
		im.Params[k] = core.NeuronParams{Thr: 10, VReset: 0, Bias: 6, DV: 4096, DI: 2048, TRef: tref, TrShift: 1, TrInc: 255}
		im.State[k] = core.NeuronState{I: 40}
	}
	return named(im, 20, map[int][]uint32{0: {0, 1, 2, 3}, 9: {2, 3}})
}

// saturation: v, i and acc hit both rails: many maximal synapses (w << 7)
// onto one target, a huge bias, and a neuron driven to the negative rail.
func saturation(p core.Profile) *Case {
	im := image(p, "saturation", 4)
	lo, hi := p.VMin(), p.VMax()
	im.Params[0] = core.NeuronParams{Thr: lo, VReset: hi, Bias: hi, DV: 4096, DI: 4096, TRef: 0, TrShift: 0, TrInc: 255}
	im.Params[1] = core.NeuronParams{Thr: hi, VReset: lo, Bias: hi, DV: 4096, DI: 4096, TrShift: 7, TrInc: 200}
	im.Params[2] = core.NeuronParams{Thr: hi, VReset: 0, Bias: lo, DV: 4096, DI: 4096, TrShift: 7, TrInc: 1}
	im.Params[3] = core.NeuronParams{Thr: hi, VReset: 0, Bias: 0, DV: 1, DI: 0, TrShift: 4, TrInc: 9}
	im.State[1] = core.NeuronState{V: hi - 3, I: hi}
	im.State[2] = core.NeuronState{V: lo + 3, I: lo}
	// neuron 0 fires every step (thr = min) and hits 1 with +127<<7 and 2 with -128<<7, four times each
	for k := 0; k < 4; k++ {
		im.Syn = append(im.Syn, core.Synapse{Tgt: 1, W: 127, WExp: 7}, core.Synapse{Tgt: 1, W: 127, WExp: 7})
	}
	for k := 0; k < 4; k++ {
		im.Syn = append(im.Syn, core.Synapse{Tgt: 2, W: -128, WExp: 7})
	}
	im.Syn = append(im.Syn, core.Synapse{Tgt: 3, W: -128, WExp: 7}, core.Synapse{Tgt: 3, W: 127, WExp: 7})
	im.Fanout[0] = core.Fanout{FoBase: 0, FoCnt: uint32(len(im.Syn))}
	return named(im, 12, nil)
}

// stdpPair: a plastic synapse 0 -> 1 (rule 1) and 1 -> 0 (rule 2): pre
// before post, post before pre, both in the same step, and clipping at
// wmin/wmax.
func stdpPair(p core.Profile) *Case {
	im := image(p, "stdp_pair", 2)
	for k := range im.Params {
		im.Params[k] = core.NeuronParams{Thr: 30000, DV: 4096, DI: 0, TrShift: 2, TrInc: 200}
	}
	im.Syn = []core.Synapse{{Tgt: 1, W: 20, WExp: 0, Rule: 1}, {Tgt: 0, W: -100, WExp: 1, Rule: 2}}
	im.Fanout[0] = core.Fanout{FoBase: 0, FoCnt: 1, FiBase: 0, FiCnt: 1}
	im.Fanout[1] = core.Fanout{FoBase: 1, FoCnt: 1, FiBase: 1, FiCnt: 1}
	im.Rev = []core.RevEntry{{SAddr: 1, Src: 1}, {SAddr: 0, Src: 0}}
	im.Rules[1] = core.Rule{APlus: 40, AMinus: 30, WMin: -10, WMax: 60}
	im.Rules[2] = core.Rule{APlus: 255, AMinus: 255, WMin: -128, WMax: 127}
	stim := map[int][]uint32{
		1: {0}, 2: {1}, // pre then post
		6: {1}, 7: {0}, // post then pre
		10: {0, 1}, 11: {0, 1}, 12: {0, 1}, 13: {0, 1}, 14: {0, 1}, 15: {0, 1}, // together, until clipped
		20: {0}, 21: {0}, 22: {0},
	}
	return named(im, 26, stim)
}

// fanOut: neuron 0 drives every neuron of the profile (64) with mixed
// weights and exponents, including itself; some targets get multapses.
func fanOut(p core.Profile) *Case {
	n := p.Neurons()
	im := image(p, "fan_out", n)
	for k := 0; k < n; k++ {
		im.Params[k] = core.NeuronParams{Thr: 200 + int32(k), VReset: -20, Bias: 0, DV: 3000, DI: 3500, TRef: uint8(k % 4), TrShift: uint8(k % 8), TrInc: uint8(4 * k)}
	}
	for k := 0; k < n; k++ {
		im.Syn = append(im.Syn, core.Synapse{Tgt: uint32(k), W: int8(k*7 - 100), WExp: uint8(k % 4)})
		if k%5 == 0 {
			im.Syn = append(im.Syn, core.Synapse{Tgt: uint32(k), W: 90, WExp: 2})
		}
	}
	im.Fanout[0] = core.Fanout{FoBase: 0, FoCnt: uint32(len(im.Syn))}
	return named(im, 12, map[int][]uint32{0: {0}, 1: {0}, 4: {0}, 5: {0}, 6: {0}})
}

// ring: eight neurons each exciting the next; one kick keeps a wave going,
// and a second kick makes two waves.
func ring(p core.Profile) *Case {
	const n = 8
	im := image(p, "ring", n)
	for k := 0; k < n; k++ {
		im.Params[k] = core.NeuronParams{Thr: 100, VReset: 0, DV: 2048, DI: 0, TRef: 2, TrShift: 1, TrInc: 50}
		im.Syn = append(im.Syn, core.Synapse{Tgt: uint32((k + 1) % n), W: 100, WExp: 1})
		im.Fanout[k] = core.Fanout{FoBase: uint32(k), FoCnt: 1}
	}
	return named(im, 30, map[int][]uint32{0: {0}, 13: {4}})
}

// burstTables returns burst tables for n neurons, none of them a burst unit
// yet, with a sigmoid LUT of the given slope (in LUT entries).
func burstTables(n int, slope float64) *core.BurstTables {
	b := &core.BurstTables{
		Params: make([]core.BurstParams, n), State: make([]core.BurstState, n), BFanout: make([]core.BFanout, n),
		LFSR: 0xace1,
	}
	for i := range b.LUT {
		b.LUT[i] = uint8(min(255, 255/(1+math.Exp(-(float64(i)-core.LUTCenter)/slope))+0.5))
	}
	return b
}

// burstThreshold: deterministic burst units (bmode 0). Neuron 0 fires every
// few steps from its bias; its apical voltage climbs from below aoff towards
// its teach level until its events become bursts, and its burst row feeds
// back: onto itself (negative, so a burst pushes va down and the next event
// is a single spike again), onto unit 1 (saturating +127<<7 words) and onto
// unit 3 (saturating -128<<7 words). Neuron 2 is a plain LIF neuron that
// receives the event rows. pbar/err follow every event.
func burstThreshold(p core.Profile) *Case {
	im := image(p, "burst_threshold", 4)
	im.Params[0] = core.NeuronParams{Thr: 300, VReset: 0, Bias: 110, DV: 4096, DI: 0, TRef: 0, TrShift: 2, TrInc: 80}
	im.Params[1] = core.NeuronParams{Thr: 30000, DV: 4096, DI: 0, TrShift: 2, TrInc: 80}
	im.Params[2] = core.NeuronParams{Thr: 150, VReset: -10, DV: 3500, DI: 2048, TRef: 1, TrShift: 3, TrInc: 40}
	im.Params[3] = core.NeuronParams{Thr: 30000, DV: 4096, DI: 0, TrShift: 2, TrInc: 80}
	b := burstTables(4, 3)
	b.Params[0] = core.BurstParams{BU: true, BMode: core.BModeThresh, DA: 3600, AOff: 0, AShift: 3, PShift: 2, Teach: 12}
	b.Params[1] = core.BurstParams{BU: true, BMode: core.BModeThresh, DA: 2048, AOff: 100, AShift: 5, PShift: 0, Teach: 0}
	b.Params[3] = core.BurstParams{BU: true, BMode: core.BModeThresh, DA: 4096, AOff: -50, AShift: 0, PShift: 7, Teach: -3}
	b.State[0] = core.BurstState{VA: -200, PBar: 0, Err: 0}
	b.State[3] = core.BurstState{VA: 0, PBar: core.MaxPBar, Err: 255}
	im.Syn = append(im.Syn, core.Synapse{Tgt: 2, W: 50, WExp: 1}, core.Synapse{Tgt: 2, W: 30, WExp: 0})
	im.Fanout[0] = core.Fanout{FoBase: 0, FoCnt: 2}
	// burst row of 0: feedback onto itself, saturating words onto 1 and 3
	base := uint32(len(im.Syn))
	im.Syn = append(im.Syn, core.Synapse{Tgt: 0, W: -60, WExp: 2})
	for k := 0; k < 3; k++ {
		im.Syn = append(im.Syn, core.Synapse{Tgt: 1, W: 127, WExp: 7}, core.Synapse{Tgt: 3, W: -128, WExp: 7})
	}
	b.BFanout[0] = core.BFanout{BoBase: base, BoCnt: uint32(len(im.Syn)) - base}
	// unit 1 (forced) bursts while acca from 0 keeps its va high; its burst
	// row is empty; unit 3 (forced) never bursts after 0's first burst
	b.BFanout[1] = core.BFanout{BoBase: uint32(len(im.Syn)), BoCnt: 0}
	im.Burst = b
	stim := map[int][]uint32{}
	for s := 1; s < 40; s += 3 {
		stim[s] = []uint32{1, 3}
	}
	return named(im, 40, stim)
}

// bdspLearning: stochastic burst units (bmode 1) learning with BDSP. Inputs
// 0..2 are forced in a pattern; outputs 3 (positive teach: mostly bursts) and
// 4 (negative teach: mostly single spikes) are forced one step later, so
// every output event finds presynaptic traces. The input->output synapses
// use the BDSP rule 1 (weights onto 3 grow, onto 4 shrink, clipped at
// wmin/wmax); 2->3 uses the STDP rule 2 for contrast. Unit 3's burst row
// pushes 4's apical voltage down (negative acca).
func bdspLearning(p core.Profile) *Case {
	im := image(p, "bdsp_learning", 5)
	for k := 0; k < 3; k++ {
		im.Params[k] = core.NeuronParams{Thr: 30000, DV: 4096, DI: 0, TrShift: 1, TrInc: 200}
	}
	for k := 3; k < 5; k++ {
		im.Params[k] = core.NeuronParams{Thr: 30000, DV: 4096, DI: 1024, TrShift: 2, TrInc: 100}
	}
	b := burstTables(5, 4)
	b.RuleKind = 1 << 1
	b.LFSR = 0x1d2c
	b.Params[3] = core.BurstParams{BU: true, BMode: core.BModeStochas, DA: 2048, AOff: 0, AShift: 4, PShift: 3, Teach: 60}
	b.Params[4] = core.BurstParams{BU: true, BMode: core.BModeStochas, DA: 2048, AOff: 0, AShift: 4, PShift: 3, Teach: -60}
	b.State[3] = core.BurstState{PBar: 0x8000}
	b.State[4] = core.BurstState{PBar: 0x8000}
	im.Rules[1] = core.Rule{APlus: 255, AMinus: 255, WMin: -100, WMax: 100}
	im.Rules[2] = core.Rule{APlus: 30, AMinus: 20, WMin: -128, WMax: 127}
	im.Syn = []core.Synapse{
		{Tgt: 3, W: 10, WExp: 1, Rule: 1}, {Tgt: 4, W: 10, WExp: 1, Rule: 1}, // from 0
		{Tgt: 3, W: -5, WExp: 1, Rule: 1}, {Tgt: 4, W: 90, WExp: 1, Rule: 1}, // from 1
		{Tgt: 3, W: 0, WExp: 1, Rule: 2}, {Tgt: 4, W: -95, WExp: 1, Rule: 1}, // from 2
		{Tgt: 4, W: -40, WExp: 3}, // burst row of 3: inhibits 4's apical input
	}
	for k := 0; k < 3; k++ {
		im.Fanout[k] = core.Fanout{FoBase: uint32(2 * k), FoCnt: 2}
	}
	im.Rev = []core.RevEntry{{SAddr: 0, Src: 0}, {SAddr: 2, Src: 1}, {SAddr: 4, Src: 2}, {SAddr: 1, Src: 0}, {SAddr: 3, Src: 1}, {SAddr: 5, Src: 2}}
	im.Fanout[3].FiBase, im.Fanout[3].FiCnt = 0, 3
	im.Fanout[4].FiBase, im.Fanout[4].FiCnt = 3, 3
	b.BFanout[3] = core.BFanout{BoBase: 6, BoCnt: 1}
	im.Burst = b
	stim := map[int][]uint32{}
	for s := 0; s < 48; s += 2 {
		switch (s / 2) % 3 {
		case 0:
			stim[s] = []uint32{0, 1}
		case 1:
			stim[s] = []uint32{1, 2}
		default:
			stim[s] = []uint32{0, 2, 3}
		}
		stim[s+1] = []uint32{3, 4}
	}
	return named(im, 48, stim)
}

// bdspFrac: the network of bdspLearning with fraction bits (spec section
// 8.4). Rules 1 (aplus 255) and 4 (aplus 6) are BDSP rules with fraction
// bits, rule 3 one without, rule 2 STDP. 0->3 starts just under wmax and
// 1->4 just over wmin on rule 1, so they clip at (wmax << 8) | 255 and
// wmin << 8 within a few events; 0->4 and 1->3 on rule 4 change by less than
// one weight LSB an event, which only the fraction bits keep. The wfrac words
// of the STDP synapse 2->3 and of 2->4 (rule 3) are not 0 and must stay as
// they are.
func bdspFrac(p core.Profile) *Case {
	c := bdspLearning(p)
	im := c.Image
	im.Meta.Name = "bdsp_frac"
	b := im.Burst
	b.RuleKind = 1<<1 | 1<<3 | 1<<4
	b.RuleFrac = 1<<1 | 1<<4
	im.Rules[3] = core.Rule{APlus: 20, AMinus: 0, WMin: -110, WMax: 110}
	im.Rules[4] = core.Rule{APlus: 6, AMinus: 0, WMin: -128, WMax: 127}
	im.Syn[0].W = 99                     // 0 -> 3, rule 1
	im.Syn[1].W, im.Syn[1].Rule = 10, 4  // 0 -> 4
	im.Syn[2].Rule = 4                   // 1 -> 3
	im.Syn[3].W = -99                    // 1 -> 4, rule 1
	im.Syn[5].W, im.Syn[5].Rule = -95, 3 // 2 -> 4
	// per rev entry: syn 0, 2, 4, 1, 3, 5
	b.WFrac = []uint8{0xf0, 0x01, 0x55, 0x80, 0x10, 0xaa}
	if err := im.Validate(); err != nil {
		panic(im.Meta.Name + ": " + err.Error())
	}
	return c
}
