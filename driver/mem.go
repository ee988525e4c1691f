package driver

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
)

func bits(w core.Word, lsb, width uint) uint64 {
	var v uint64
	for b := uint(0); b < width; b++ {
		p := lsb + b
		v |= (w[p/64] >> (p % 64) & 1) << b
	}
	return v
}

// UnpackFanout is the inverse of core.Profile.PackFanout.
func UnpackFanout(p core.Profile, w core.Word) core.Fanout {
	rb, sb := p.RB, p.SB
	return core.Fanout{
		FiCnt:  uint32(bits(w, 0, rb+1)),
		FiBase: uint32(bits(w, rb+1, rb)),
		FoCnt:  uint32(bits(w, 2*rb+1, sb+1)),
		FoBase: uint32(bits(w, 2*rb+sb+2, sb)),
	}
}

// UnpackRev is the inverse of core.Profile.PackRev.
func UnpackRev(p core.Profile, w core.Word) core.RevEntry {
	return core.RevEntry{Src: uint32(bits(w, 0, p.NB)), SAddr: uint32(bits(w, p.NB, p.SB))}
}

// UnpackRule is the inverse of core.PackRule.
func UnpackRule(w core.Word) core.Rule {
	return core.Rule{WMax: int8(bits(w, 0, 8)), WMin: int8(bits(w, 8, 8)), AMinus: uint8(bits(w, 16, 8)), APlus: uint8(bits(w, 24, 8))}
}

// MemReader reads count words of memory sel starting at addr.
type MemReader func(sel, addr, count int) ([]core.Word, error)

// ImageFromMemories rebuilds an image from a core's memories: num_neurons,
// then every neuron table, then as many synapse and fan-in words as the
// fan-out and fan-in rows use. Meta is left empty (it is host-side only);
// the image is validated.
func ImageFromMemories(p core.Profile, read MemReader) (*core.Image, error) {
	nn, err := read(SelNumNeurons, 0, 1)
	if err != nil {
		return nil, err
	}
	n := int(nn[0][0])
	if n < 1 || n > p.Neurons() {
		return nil, fmt.Errorf("%w: num_neurons %d outside 1..%d", core.ErrInvalidImage, n, p.Neurons())
	}
	im := &core.Image{Profile: p, NumNeurons: n}
	get := func(sel, count int) ([]core.Word, error) {
		if count == 0 {
			return nil, nil
		}
		return read(sel, 0, count)
	}
	ws, err := get(core.MemParam, n)
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		im.Params = append(im.Params, p.UnpackParam(w))
	}
	if ws, err = get(core.MemState, n); err != nil {
		return nil, err
	}
	for _, w := range ws {
		im.State = append(im.State, p.UnpackState(w))
	}
	if ws, err = get(core.MemTrace, n); err != nil {
		return nil, err
	}
	for _, w := range ws {
		im.Trace = append(im.Trace, uint8(w[0]))
	}
	if ws, err = get(core.MemFanout, n); err != nil {
		return nil, err
	}
	nsyn, nrev := 0, 0
	for _, w := range ws {
		f := UnpackFanout(p, w)
		im.Fanout = append(im.Fanout, f)
		nsyn = max(nsyn, int(f.FoBase+f.FoCnt))
		nrev = max(nrev, int(f.FiBase+f.FiCnt))
	}
	if nsyn > p.Synapses() || nrev > p.FanIn() {
		return nil, fmt.Errorf("%w: fan-out rows reach word %d of %d, fan-in rows %d of %d", core.ErrInvalidImage, nsyn, p.Synapses(), nrev, p.FanIn())
	}
	if ws, err = get(core.MemSyn, nsyn); err != nil {
		return nil, err
	}
	for _, w := range ws {
		im.Syn = append(im.Syn, p.UnpackSyn(w))
	}
	if ws, err = get(core.MemRev, nrev); err != nil {
		return nil, err
	}
	for _, w := range ws {
		im.Rev = append(im.Rev, UnpackRev(p, w))
	}
	if ws, err = get(core.MemRule, core.NumRules); err != nil {
		return nil, err
	}
	for r, w := range ws {
		im.Rules[r] = UnpackRule(w)
	}
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}

// ImageMemories lists what Flash writes, in order: every memory's used words
// (acc and force cleared), then num_neurons.
func ImageMemories(im *core.Image) []MemBlock {
	var out []MemBlock
	for m := 0; m < core.NumMems; m++ {
		out = append(out, MemBlock{Sel: m, Words: im.MemWords(m)})
	}
	return append(out, MemBlock{Sel: SelNumNeurons, Words: []core.Word{{uint64(im.NumNeurons)}}})
}

// MemBlock is a run of words of one memory starting at address 0.
type MemBlock struct {
	Sel   int
	Words []core.Word
}
