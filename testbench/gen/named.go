package gen

import (
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
	}
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
