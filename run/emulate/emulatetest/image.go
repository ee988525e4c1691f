// Package emulatetest builds small, valid core images by hand for tests of
// the emulator's users, so they do not depend on the compiler.
package emulatetest

import "github.com/ncx-project/ncx/core"

// Image returns a 12-neuron image on the tiny profile: population "in" (4
// input neurons, 0..3) drives population "exc" (8 LIF neurons, 4..11) all to
// all through the plastic projection "in_exc" (rule 1). The stimulus makes
// input k spike at steps k, k+4, k+8, ...; probes record v and i of exc
// neurons 4 and 5, the trace of neuron 4, and the weights of in_exc. It runs
// 40 steps of 1 ms by default.
func Image() *core.Image {
	const nIn, nExc = 4, 8
	n := nIn + nExc
	im := &core.Image{
		Profile:    core.Profiles["tiny"],
		NumNeurons: n,
		Params:     make([]core.NeuronParams, n),
		State:      make([]core.NeuronState, n),
		Trace:      make([]uint8, n),
		Fanout:     make([]core.Fanout, n),
	}
	for k := 0; k < nIn; k++ {
		im.Params[k] = core.NeuronParams{Thr: im.Profile.VMax(), DV: core.DecayOne, DI: 0, TrShift: 2, TrInc: 100}
		im.Fanout[k].FoCnt = nExc
		for j := 0; j < nExc; j++ {
			im.Syn = append(im.Syn, core.Synapse{Tgt: uint32(nIn + j), W: 40, WExp: 3, Rule: 1})
			im.Meta.SynProj = append(im.Meta.SynProj, 0)
		}
	}
	for j := 0; j < nExc; j++ {
		im.Params[nIn+j] = core.NeuronParams{Thr: 1500, VReset: -200, Bias: int32(j), DV: 3900, DI: 3500, TRef: 2, TrShift: 3, TrInc: 64}
		im.State[nIn+j] = core.NeuronState{V: int32(-50 * j)}
	}
	core.PlaceRows(im.Fanout, nil)
	im.Rev = core.PlaceFanIn(im.Fanout, im.Syn)
	im.Rules[1] = core.Rule{APlus: 20, AMinus: 12, WMin: -10, WMax: 100}
	im.Meta = core.Meta{
		Name:  "small",
		DtMs:  1,
		Steps: 40,
		Seed:  1,
		Populations: []core.Population{
			{Name: "in", Kind: "input", First: 0, Count: nIn},
			{Name: "exc", Kind: "lif", First: nIn, Count: nExc, VScale: 0.01},
		},
		Projections: []core.Projection{{Name: "in_exc", Pre: "in", Post: "exc", Rule: 1, Count: nIn * nExc, WExp: 3, WScale: 0.08}},
		Probes: []core.Probe{
			{Population: "exc", Neurons: []int{4, 5}, Vars: []string{"v", "i", "spikes"}},
			{Population: "exc", Neurons: []int{4}, Vars: []string{"trace"}},
			{Projection: "in_exc", Vars: []string{"weights"}},
		},
		SynProj: im.Meta.SynProj,
	}
	for step := 0; step < 40; step++ {
		im.Meta.Stimulus = append(im.Meta.Stimulus, core.InputSpike{Step: uint32(step), Neuron: uint32(step % nIn)})
	}
	return im
}
