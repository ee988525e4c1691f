package learn

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// Pop is a range of neuron slots created by Builder.AddPop.
type Pop struct {
	Name  string
	First int
	Count int
}

// ID is the absolute neuron id of the k-th neuron of the population.
func (p Pop) ID(k int) uint32 { return uint32(p.First + k) }

// tally adds one to dst[k] for every id of ids that is the population's k-th
// neuron; dst nil counts nothing.
func (p Pop) tally(ids []uint32, dst []int) {
	if dst == nil {
		return
	}
	for _, id := range ids {
		if k := int(id) - p.First; k >= 0 && k < p.Count {
			dst[k]++
		}
	}
}

// Builder assembles a core.Image in hardware units, one population and one
// projection at a time. It lays the synapse memory out by source neuron:
// each neuron's event row, then its burst row; the plastic fan-in rows are
// built from the plastic synapses by target.
type Builder struct {
	prof   core.Profile
	params []core.NeuronParams
	burst  []core.BurstParams
	bstate []core.BurstState
	trace  []uint8
	pops   []Pop
	kinds  []string
	events [][]synRef // per source neuron
	bursts [][]synRef
	projs  []core.Projection
	rules  [core.NumRules]core.Rule
	kind   uint8
	lut    [core.LUTSize]uint8
	lfsr   uint16
	meta   core.Meta
}

type synRef struct {
	s    core.Synapse
	proj uint16
}

// NewBuilder starts an empty image for profile p.
func NewBuilder(p core.Profile, name string) *Builder {
	return &Builder{prof: p, lfsr: 0xACE1, meta: core.Meta{Name: name, DtMs: 1}}
}

// AddPop adds n neurons with the same parameters. bp nil makes plain LIF
// neurons; otherwise burst units with bp's burst parameters.
func (b *Builder) AddPop(name string, n int, np core.NeuronParams, bp *core.BurstParams) Pop {
	p := Pop{Name: name, First: len(b.params), Count: n}
	kind := "lif"
	if bp != nil {
		kind = "burst"
	}
	for range n {
		b.params = append(b.params, np)
		b.trace = append(b.trace, 0)
		q := core.BurstParams{}
		if bp != nil {
			q = *bp
		}
		b.burst = append(b.burst, q)
		b.bstate = append(b.bstate, core.BurstState{})
		b.events = append(b.events, nil)
		b.bursts = append(b.bursts, nil)
	}
	b.pops = append(b.pops, p)
	b.kinds = append(b.kinds, kind)
	return p
}

// SetRule sets rule r; bdsp makes it a BDSP rule (spec 8.4).
func (b *Builder) SetRule(r uint8, rl core.Rule, bdsp bool) {
	b.rules[r] = rl
	if bdsp {
		b.kind |= 1 << r
	} else {
		b.kind &^= 1 << r
	}
}

// SetLUT sets the burst-probability table.
func (b *Builder) SetLUT(lut [core.LUTSize]uint8) { b.lut = lut }

// SetLFSR sets the initial LFSR state (0 is replaced by 1).
func (b *Builder) SetLFSR(s uint16) {
	if s == 0 {
		s = 1
	}
	b.lfsr = s
}

// SetPBar sets the initial burst-probability estimate of a population, in
// 1/255 units (the register holds it as UQ8.8).
func (b *Builder) SetPBar(p Pop, pbar uint8) {
	for k := range p.Count {
		b.bstate[p.First+k].PBar = uint16(pbar) << 8
	}
}

// WeightFunc gives the weight of the synapse pre k -> post j; ok false means
// no synapse.
type WeightFunc func(k, j int) (w int8, ok bool)

// Connect adds event synapses pre -> post (into acc, the soma).
func (b *Builder) Connect(name string, pre, post Pop, wexp, rule uint8, wf WeightFunc) {
	b.connect(name, pre, post, wexp, rule, wf, b.events)
}

// ConnectBurst adds burst synapses pre -> post (into acca, the apical
// compartment); they are static and post must be burst units.
func (b *Builder) ConnectBurst(name string, pre, post Pop, wexp uint8, wf WeightFunc) {
	b.connect(name, pre, post, wexp, 0, wf, b.bursts)
}

func (b *Builder) connect(name string, pre, post Pop, wexp, rule uint8, wf WeightFunc, rows [][]synRef) {
	pi := uint16(len(b.projs))
	cnt := 0
	for k := range pre.Count {
		src := pre.First + k
		for j := range post.Count {
			w, ok := wf(k, j)
			if !ok {
				continue
			}
			rows[src] = append(rows[src], synRef{core.Synapse{Tgt: uint32(post.First + j), W: w, WExp: wexp, Rule: rule}, pi})
			cnt++
		}
	}
	b.projs = append(b.projs, core.Projection{Name: name, Pre: pre.Name, Post: post.Name, Rule: rule, Count: cnt, WExp: wexp})
}

// Build lays out the memories and validates the image.
func (b *Builder) Build() (*core.Image, error) {
	n := len(b.params)
	im := &core.Image{
		Profile:    b.prof,
		NumNeurons: n,
		Params:     append([]core.NeuronParams(nil), b.params...),
		State:      make([]core.NeuronState, n),
		Trace:      append([]uint8(nil), b.trace...),
		Fanout:     make([]core.Fanout, n),
		Rules:      b.rules,
		Meta:       b.meta,
	}
	for k := range n {
		im.State[k].V = b.params[k].VReset
	}
	bt := &core.BurstTables{
		Params:   append([]core.BurstParams(nil), b.burst...),
		State:    append([]core.BurstState(nil), b.bstate...),
		BFanout:  make([]core.BFanout, n),
		LUT:      b.lut,
		RuleKind: b.kind,
		LFSR:     b.lfsr,
	}
	im.Burst = bt
	fanin := make([][]core.RevEntry, n)
	for src := range n {
		im.Fanout[src].FoBase = uint32(len(im.Syn))
		im.Fanout[src].FoCnt = uint32(len(b.events[src]))
		for _, r := range b.events[src] {
			a := uint32(len(im.Syn))
			im.Syn = append(im.Syn, r.s)
			im.Meta.SynProj = append(im.Meta.SynProj, r.proj)
			if r.s.Rule != 0 {
				fanin[r.s.Tgt] = append(fanin[r.s.Tgt], core.RevEntry{SAddr: a, Src: uint32(src)})
			}
		}
		bt.BFanout[src].BoBase = uint32(len(im.Syn))
		bt.BFanout[src].BoCnt = uint32(len(b.bursts[src]))
		for _, r := range b.bursts[src] {
			im.Syn = append(im.Syn, r.s)
			im.Meta.SynProj = append(im.Meta.SynProj, r.proj)
		}
	}
	for t := range n {
		im.Fanout[t].FiBase = uint32(len(im.Rev))
		im.Fanout[t].FiCnt = uint32(len(fanin[t]))
		im.Rev = append(im.Rev, fanin[t]...)
	}
	for i, p := range b.pops {
		im.Meta.Populations = append(im.Meta.Populations, core.Population{Name: p.Name, Kind: b.kinds[i], First: p.First, Count: p.Count})
	}
	im.Meta.Projections = append([]core.Projection(nil), b.projs...)
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("learn: build %s: %w", b.meta.Name, err)
	}
	return im, nil
}
