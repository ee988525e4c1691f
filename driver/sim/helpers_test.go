package sim_test

import (
	"math/rand/v2"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
)

// randomImage builds a valid image of n neurons with about k synapses per
// neuron, a third of them plastic, from seed.
func randomImage(t testing.TB, prof core.Profile, n, k int, seed uint64) *core.Image {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	im := &core.Image{Profile: prof, NumNeurons: n}
	im.Rules[1] = core.Rule{APlus: 40, AMinus: 20, WMin: -60, WMax: 100}
	im.Rules[2] = core.Rule{APlus: 10, AMinus: 30, WMin: -100, WMax: 60}
	for i := 0; i < n; i++ {
		im.Params = append(im.Params, core.NeuronParams{
			Thr: int32(150 + r.IntN(300)), VReset: int32(-r.IntN(20)), Bias: int32(r.IntN(5)),
			DV: uint16(3600 + r.IntN(497)), DI: uint16(2500 + r.IntN(1500)),
			TRef: uint8(r.IntN(4)), TrShift: uint8(1 + r.IntN(4)), TrInc: uint8(20 + r.IntN(60)),
		})
		im.State = append(im.State, core.NeuronState{V: int32(r.IntN(100)), I: int32(r.IntN(30) - 10)})
		im.Trace = append(im.Trace, uint8(r.IntN(20)))
		cnt := r.IntN(2*k + 1)
		if len(im.Syn)+cnt > prof.Synapses() {
			cnt = prof.Synapses() - len(im.Syn)
		}
		im.Fanout = append(im.Fanout, core.Fanout{FoBase: uint32(len(im.Syn)), FoCnt: uint32(cnt)})
		for j := 0; j < cnt; j++ {
			s := core.Synapse{Tgt: uint32(r.IntN(n)), W: int8(r.IntN(120) - 40), WExp: uint8(r.IntN(3))}
			if r.IntN(3) == 0 && len(im.Rev) < prof.FanIn() {
				s.Rule = uint8(1 + r.IntN(2))
				im.Rev = append(im.Rev, core.RevEntry{}) // placeholder, rebuilt below
			}
			im.Syn = append(im.Syn, s)
		}
	}
	buildRev(im)
	if err := im.Validate(); err != nil {
		t.Fatalf("random image: %v", err)
	}
	return im
}

func randomInput(n, steps, perStep int, seed uint64) []core.InputSpike {
	r := rand.New(rand.NewPCG(seed, 9))
	var in []core.InputSpike
	for s := 0; s < steps; s++ {
		for range r.IntN(perStep + 1) {
			in = append(in, core.InputSpike{Step: uint32(s), Neuron: uint32(r.IntN(n))})
		}
	}
	return in
}

type emuStep struct {
	cycles uint64
	spikes []uint32
}

// emulate runs the golden model on im with input.
func emulate(t testing.TB, im *core.Image, steps int, in []core.InputSpike) ([]emuStep, *emulator.Core) {
	t.Helper()
	c, err := emulator.New(im)
	if err != nil {
		t.Fatal(err)
	}
	by := map[uint32][]uint32{}
	for _, s := range in {
		by[s.Step] = append(by[s.Step], s.Neuron)
	}
	out := make([]emuStep, steps)
	for s := 0; s < steps; s++ {
		if err := c.Force(by[uint32(s)]...); err != nil {
			t.Fatal(err)
		}
		r := c.Step()
		out[s] = emuStep{cycles: r.Cycles, spikes: append([]uint32(nil), r.Spikes...)}
	}
	return out, c
}

// buildRev fills the fan-in rows from the plastic synapse words.
func buildRev(im *core.Image) {
	im.Rev = im.Rev[:0]
	owner := make([]uint32, len(im.Syn))
	for i, f := range im.Fanout {
		for a := f.FoBase; a < f.FoBase+f.FoCnt; a++ {
			owner[a] = uint32(i)
		}
	}
	byTgt := make([][]uint32, im.NumNeurons)
	for a, s := range im.Syn {
		if s.Rule != 0 {
			byTgt[s.Tgt] = append(byTgt[s.Tgt], uint32(a))
		}
	}
	for tgt := range im.NumNeurons {
		im.Fanout[tgt].FiBase = uint32(len(im.Rev))
		for _, a := range byTgt[tgt] {
			im.Rev = append(im.Rev, core.RevEntry{SAddr: a, Src: owner[a]})
		}
		im.Fanout[tgt].FiCnt = uint32(len(im.Rev)) - im.Fanout[tgt].FiBase
	}
}

// fullImage fills every neuron, synapse and fan-in word of the profile.
func fullImage(t testing.TB, prof core.Profile) *core.Image {
	im := randomImage(t, prof, prof.Neurons(), 0, 3)
	per := prof.Synapses() / prof.Neurons()
	im.Syn = im.Syn[:0]
	r := rand.New(rand.NewPCG(5, 5))
	plastic := 0
	for i := range im.Fanout {
		im.Fanout[i].FoBase, im.Fanout[i].FoCnt = uint32(len(im.Syn)), uint32(per)
		for range per {
			s := core.Synapse{Tgt: uint32(r.IntN(prof.Neurons())), W: int8(r.IntN(256) - 128), WExp: uint8(r.IntN(8))}
			if plastic < prof.FanIn() && r.IntN(2) == 0 {
				s.Rule = uint8(1 + r.IntN(7))
				plastic++
			}
			im.Syn = append(im.Syn, s)
		}
	}
	buildRev(im)
	if err := im.Validate(); err != nil {
		t.Fatal(err)
	}
	return im
}
