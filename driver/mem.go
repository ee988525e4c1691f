package driver

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// MemReader reads count words of memory sel starting at addr.
type MemReader func(sel, addr, count int) ([]core.Word, error)

// ImageFromMemories rebuilds an image from a core's memories: num_neurons,
// then every neuron table, then as many synapse and fan-in words as the
// fan-out and fan-in rows use. Meta is left empty (it is host-side only);
// the image is validated.
func ImageFromMemories(p core.Profile, read MemReader) (*core.Image, error) {
	nn, err := read(core.HostSelNumNeurons, 0, 1)
	if err != nil {
		return nil, err
	}
	n := int(nn[0][0])
	if n < 1 || n > p.Neurons() {
		return nil, fmt.Errorf("%w: num_neurons %d outside 1..%d", core.ErrInvalidImage, n, p.Neurons())
	}
	im := &core.Image{Profile: p, NumNeurons: n}
	if im.Params, err = readAs(read, core.MemParam, n, p.UnpackParam); err != nil {
		return nil, err
	}
	if im.State, err = readAs(read, core.MemState, n, p.UnpackState); err != nil {
		return nil, err
	}
	if im.Trace, err = readAs(read, core.MemTrace, n, func(w core.Word) uint8 { return uint8(w[0]) }); err != nil {
		return nil, err
	}
	if im.Fanout, err = readAs(read, core.MemFanout, n, p.UnpackFanout); err != nil {
		return nil, err
	}
	nsyn, nrev := 0, 0
	for _, f := range im.Fanout {
		nsyn = max(nsyn, int(f.FoBase+f.FoCnt))
		nrev = max(nrev, int(f.FiBase+f.FiCnt))
	}
	if p.Burst {
		if im.Burst, err = burstFromMemories(p, n, read); err != nil {
			return nil, err
		}
		if im.Burst != nil {
			for _, f := range im.Burst.BFanout {
				nsyn = max(nsyn, int(f.BoBase+f.BoCnt))
			}
		}
	}
	if nsyn > p.Synapses() || nrev > p.FanIn() {
		return nil, fmt.Errorf("%w: fan-out rows reach word %d of %d, fan-in rows %d of %d", core.ErrInvalidImage, nsyn, p.Synapses(), nrev, p.FanIn())
	}
	if im.Syn, err = readAs(read, core.MemSyn, nsyn, p.UnpackSyn); err != nil {
		return nil, err
	}
	if im.Rev, err = readAs(read, core.MemRev, nrev, p.UnpackRev); err != nil {
		return nil, err
	}
	if b := im.Burst; b != nil {
		if err := readFrac(b, nrev, read); err != nil {
			return nil, err
		}
	}
	rules, err := readAs(read, core.MemRule, core.NumRules, core.UnpackRule)
	if err != nil {
		return nil, err
	}
	copy(im.Rules[:], rules)
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}

// readAs reads the first count words of memory sel and unpacks each with
// unpack; it returns nil, without reading, for no words.
func readAs[T any](read MemReader, sel, count int, unpack func(core.Word) T) ([]T, error) {
	if count == 0 {
		return nil, nil
	}
	ws, err := read(sel, 0, count)
	if err != nil || len(ws) == 0 {
		return nil, err
	}
	out := make([]T, len(ws))
	for k, w := range ws {
		out[k] = unpack(w)
	}
	return out, nil
}

// burstFromMemories reads the burst-unit memories and registers of a burst
// build. It returns nil tables when bparam, bstate, bfanout, lut and
// rule_kind are all zero: the network has no burst units.
func burstFromMemories(p core.Profile, n int, read MemReader) (*core.BurstTables, error) {
	var all []core.Word
	get := func(sel, count int) ([]core.Word, error) {
		ws, err := read(sel, 0, count)
		all = append(all, ws...)
		return ws, err
	}
	bp, err := get(core.MemBParam, n)
	if err != nil {
		return nil, err
	}
	bs, err := get(core.MemBState, n)
	if err != nil {
		return nil, err
	}
	bf, err := get(core.MemBFanout, n)
	if err != nil {
		return nil, err
	}
	lut, err := get(core.MemLUT, core.LUTSize)
	if err != nil {
		return nil, err
	}
	kind, err := get(core.HostSelKind, 1)
	if err != nil {
		return nil, err
	}
	used := false
	for _, w := range all {
		used = used || w != (core.Word{})
	}
	if !used {
		return nil, nil
	}
	lfsr, err := read(core.HostSelLFSR, 0, 1)
	if err != nil {
		return nil, err
	}
	b := &core.BurstTables{RuleKind: uint8(kind[0][0]), LFSR: uint16(lfsr[0][0])}
	for k := 0; k < n; k++ {
		b.Params = append(b.Params, p.UnpackBParam(bp[k]))
		b.State = append(b.State, p.UnpackBState(bs[k]))
		b.BFanout = append(b.BFanout, p.UnpackBFanout(bf[k]))
	}
	for k := range b.LUT {
		b.LUT[k] = uint8(lut[k][0])
	}
	return b, nil
}

// readFrac reads the rule_frac register and the nrev used wfrac words of a
// burst build (spec section 8.4); all-zero words read as nil.
func readFrac(b *core.BurstTables, nrev int, read MemReader) error {
	rf, err := read(core.HostSelRuleFrac, 0, 1)
	if err != nil {
		return err
	}
	b.RuleFrac = uint8(rf[0][0])
	wf, err := readAs(read, core.MemWFrac, nrev, func(w core.Word) uint8 { return uint8(w[0]) })
	if err != nil {
		return err
	}
	b.SetWFrac(wf)
	return nil
}

// ImageMemories lists what Flash writes, in order: every memory's used words
// (acc and force cleared), for an image with burst units the burst memories
// (acca cleared, wfrac included) and the rule_kind, lfsr and rule_frac
// registers, then num_neurons.
func ImageMemories(im *core.Image) []MemBlock {
	var out []MemBlock
	for _, m := range im.Memories() {
		out = append(out, MemBlock{Sel: m, Words: im.MemWords(m)})
	}
	if b := im.Burst; b != nil {
		out = append(out, MemBlock{Sel: core.HostSelKind, Words: []core.Word{{uint64(b.RuleKind)}}},
			MemBlock{Sel: core.HostSelLFSR, Words: []core.Word{{uint64(b.LFSR)}}},
			MemBlock{Sel: core.HostSelRuleFrac, Words: []core.Word{{uint64(b.RuleFrac)}}})
	}
	return append(out, MemBlock{Sel: core.HostSelNumNeurons, Words: []core.Word{{uint64(im.NumNeurons)}}})
}

// MemBlock is a run of words of one memory starting at address Addr.
type MemBlock struct {
	Sel   int
	Addr  int
	Words []core.Word
}
