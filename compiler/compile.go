// Package compiler lowers a network description (package network) onto an
// ncx-core image (package core): it lays neurons out, converts physical
// parameters into hardware values, quantises weights and plasticity rules,
// builds the fan-out and plastic fan-in tables, expands the input stimulus,
// checks that everything fits the target profile, and reports how faithful the
// hardware values are to the requested ones. docs/network-format.md describes
// the conversions.
package compiler

import (
	"fmt"
	"math"
	"slices"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
)

// Options override parts of the network description.
type Options struct {
	Profile *core.Profile // target profile instead of the description's target
	Steps   int           // run length instead of the description's steps (0: keep)
	Seed    *uint64       // seed instead of the description's seed
	// AllowLoss keeps a network whose quantisation loses more than MaxLoss
	// (the report still shows it, and Warn gets the reason); by default such
	// a network is refused with the parameter named.
	AllowLoss bool
	// Warn, when set, receives warnings (see AllowLoss).
	Warn func(msg string)
	// CommonWExp gives every event-channel projection one weight exponent
	// instead of one each, for a core that scales all weights alike
	// (NeuroCoreX). The exponent is the one that minimises the summed
	// squared quantisation error of all those synapses (commonWExp); the
	// report's CommonWExp says what it costs against per-projection
	// exponents.
	CommonWExp bool
	// MaxVUnits, with CommonWExp and when > 0, bounds every LIF neuron's
	// |thr| + its largest incoming |weight|, |v_reset| and |bias| in units
	// of the common weight LSB (2^wexp LSB of v): a core whose voltage
	// register holds that many weight units and wraps beyond (NeuroCoreX:
	// Q7.10, 131071/1024) needs an exponent at least that coarse, so that
	// a neuron just below threshold receiving its strongest input fires
	// instead of wrapping. Smaller exponents are not considered.
	MaxVUnits float64
}

// projLowering is what the compiler decided for one projection.
type projLowering struct {
	count   int
	maxAbs  float64 // largest |weight| in physical units (including STDP bounds)
	wexp    uint8
	factor  float64 // LSB of acc per physical unit
	wscale  float64 // physical units per LSB of w
	rule    uint8
	plastic bool
	burst   bool // burst channel: rows in bfanout, weights into acca
}

// Compile lowers net onto a core image for the target of the description (or
// opts.Profile). Errors about the description are *network.Error; a network
// that does not fit its profile gives a *FitError. Every error is prefixed
// with "compile <file>: ".
func Compile(net *network.Network, opts Options) (*core.Image, *Report, error) {
	im, rep, err := compile(net, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("compile %s: %w", net.File, err)
	}
	return im, rep, nil
}

// CompileFile loads the network description at path and compiles it.
func CompileFile(path string, opts Options) (*core.Image, *Report, error) {
	net, err := network.Load(path)
	if err != nil {
		return nil, nil, err
	}
	return Compile(net, opts)
}

// compilation carries one compile through its stages; each stage fills
// the fields the next ones read.
type compilation struct {
	net   *network.Network
	opts  Options
	prof  core.Profile
	steps int
	rep   *Report
	off   []int // first neuron of each population

	nNeurons int
	hasBurst bool
	projs    []projLowering
	pops     []popLowering
	fo       []core.Fanout
	bfo      []core.BFanout // burst rows, only when the network has burst units
	total    int            // synapse words

	rules    [core.NumRules]core.Rule
	ruleKind uint8 // bit r: rule r is BDSP
	ruleFrac uint8 // bit r: BDSP rule r keeps fraction bits

	im *core.Image
}

func (c *compilation) warn(format string, a ...any) {
	c.rep.Warnings = append(c.rep.Warnings, fmt.Sprintf(format, a...))
}

func compile(net *network.Network, opts Options) (*core.Image, *Report, error) {
	c, err := newCompilation(net, opts)
	if err != nil {
		return nil, nil, err
	}
	for _, stage := range []func() error{
		c.checkNeurons,     // neurons: the layout and a first fit check
		c.countSynapses,    // pass 1: row lengths and weight ranges
		c.lowerPopulations, // neuron parameters and voltage scales
		c.chooseWeights,    // weight exponents, scales and plasticity rules
		c.placeSynapses,    // row bases, pass 2 (synapse words), fan-in rows
		c.lowerBurstUnits,  // burst-unit tables and the teacher
		c.describe,         // initial state, meta, probes, stimulus
	} {
		if err := stage(); err != nil {
			return nil, nil, err
		}
	}
	if err := c.im.Validate(); err != nil {
		// A compiler bug, not a user error: say so.
		return nil, nil, fmt.Errorf("internal error, the compiled image is inconsistent: %w", err)
	}
	if err := checkLoss(c.net, c.rep); err != nil {
		if !opts.AllowLoss {
			return nil, nil, err
		}
		if opts.Warn != nil {
			opts.Warn(err.Error() + " (kept: --allow-loss)")
		}
	}
	return c.im, c.rep, nil
}

// newCompilation resolves the target profile, the run length and the seed.
func newCompilation(net *network.Network, opts Options) (*compilation, error) {
	if opts.Seed != nil && *opts.Seed != net.Seed {
		// Connectivity, weights, initial voltages and stimulus all derive
		// from the seed: a shallow copy with another seed regenerates them.
		cp := *net
		cp.Seed = *opts.Seed
		net = &cp
	}
	var prof core.Profile
	if opts.Profile != nil {
		prof = *opts.Profile
		if err := prof.Validate(); err != nil {
			return nil, err
		}
	} else {
		p, err := ResolveTarget(net.Target, net.Dir)
		if err != nil {
			return nil, &network.Error{File: net.File, Line: net.TargetLine, Field: "target", Msg: err.Error()}
		}
		prof = p
	}
	if !prof.Burst {
		for i, p := range net.Populations {
			if p.IsBurst() {
				return nil, &network.Error{File: net.File, Line: p.Line, Field: fmt.Sprintf("populations[%d].kind", i),
					Msg: fmt.Sprintf("burst population %q needs burst units, which profile %s does not build", p.Name, prof.Name)}
			}
		}
	}
	steps := net.Steps
	if opts.Steps > 0 {
		steps = opts.Steps
	}
	if err := checkStimulus(net, steps); err != nil {
		return nil, err
	}
	if len(net.Projections) > math.MaxUint16+1 {
		return nil, fmt.Errorf("%d projections, at most %d supported", len(net.Projections), math.MaxUint16+1)
	}
	rep := &Report{Network: net.Name, Source: net.File, Profile: prof.Name, DtMs: net.Dt, Steps: steps, Seed: net.Seed,
		Capacity: Capacity{Neurons: prof.Neurons(), Synapses: prof.Synapses(), FanIn: prof.FanIn()}}
	return &compilation{net: net, prof: prof, steps: steps, rep: rep, opts: opts}, nil
}

// checkNeurons counts the neurons and rejects a network that cannot fit:
// too many neurons, or far too many synapses by the expected counts
// (computed without generating anything, so a network that is far too big
// is rejected before the exact counting pass, and a neuron overflow can
// mention the synapses as well).
func (c *compilation) checkNeurons() error {
	net, prof := c.net, c.prof
	c.nNeurons = net.NumNeurons()
	c.rep.Neurons = c.nNeurons
	est := make([]int, len(net.Projections))
	estTotal := 0.0
	for k, pr := range net.Projections {
		e := expectedCount(net, pr)
		estTotal += e
		est[k] = int(math.Min(e, math.MaxInt32))
	}
	if c.nNeurons > prof.Neurons() {
		fe := neuronFitError(net, prof, c.nNeurons)
		fe.Overflows = append(fe.Overflows, synapseFitError(net, prof, est, 0, true).Overflows...)
		return fe
	}
	if estTotal > 2*float64(prof.Synapses())+1e6 {
		return synapseFitError(net, prof, est, 0, true)
	}
	c.off = net.Offsets()
	for _, p := range net.Populations {
		c.hasBurst = c.hasBurst || p.IsBurst()
	}
	return nil
}

// countSynapses is pass 1: it counts the synapses of every source neuron
// (fan-out and burst row lengths) and the weight range of each projection,
// and checks that the synapse and fan-in memories hold them.
func (c *compilation) countSynapses() error {
	net := c.net
	c.fo = make([]core.Fanout, c.nNeurons)
	if c.hasBurst {
		c.bfo = make([]core.BFanout, c.nNeurons)
	}
	c.projs = make([]projLowering, len(net.Projections))
	total, plastic, burstWords := 0, 0, 0
	for k, pr := range net.Projections {
		pl := &c.projs[k]
		pl.burst = pr.IsBurst()
		base := uint32(c.off[pr.PreIdx])
		maxAbs := 0.0
		n := 0
		net.Connections(k, func(i, _ int32, w float64) {
			if pl.burst {
				c.bfo[base+uint32(i)].BoCnt++
			} else {
				c.fo[base+uint32(i)].FoCnt++
			}
			if a := math.Abs(w); a > maxAbs {
				maxAbs = a
			}
			n++
		})
		if s := pr.STDP; s != nil {
			maxAbs = math.Max(maxAbs, math.Max(math.Abs(s.WMin), math.Abs(s.WMax)))
		}
		if b := pr.BDSP; b != nil {
			maxAbs = math.Max(maxAbs, math.Max(math.Abs(b.WMin), math.Abs(b.WMax)))
		}
		if pr.Plastic() {
			pl.plastic = true
			plastic += n
		}
		if pl.burst {
			burstWords += n
		}
		pl.count, pl.maxAbs = n, maxAbs
		total += n
	}
	c.total = total
	c.rep.Synapses, c.rep.PlasticSynapses, c.rep.BurstSynapses = total, plastic, burstWords
	// fo_cnt has SB+1 bits and fi_cnt RB+1 bits, so any row fits its count
	// field once the totals fit their memories: checking totals suffices.
	if total > c.prof.Synapses() || plastic > c.prof.FanIn() {
		counts := make([]int, len(c.projs))
		for k := range c.projs {
			counts[k] = c.projs[k].count
		}
		return synapseFitError(net, c.prof, counts, plastic, false)
	}
	return nil
}

// lowerPopulations converts every population's parameters. The largest
// weight arriving at each population bounds its voltage scale from below:
// the core adds at most 127<<7 LSB per synapse, so a scale fine enough for
// the voltages may be too fine for the weights (typical of the 24-bit sim
// profile).
func (c *compilation) lowerPopulations() error {
	net := c.net
	maxIn := make([]float64, len(net.Populations))
	maxA := make([]float64, len(net.Populations))
	for k, pr := range net.Projections {
		if c.projs[k].burst {
			maxA[pr.PostIdx] = math.Max(maxA[pr.PostIdx], c.projs[k].maxAbs)
		} else {
			maxIn[pr.PostIdx] = math.Max(maxIn[pr.PostIdx], c.projs[k].maxAbs)
		}
	}
	c.pops = make([]popLowering, len(net.Populations))
	for k := range net.Populations {
		l, err := lowerPopulation(net, k, c.prof, maxIn[k], maxA[k], c.warn)
		if err != nil {
			return err
		}
		c.pops[k] = l
	}
	return nil
}

// chooseWeights picks every projection's weight exponent and scale and
// quantises its plasticity rule into one of the core's rule words (equal
// rules share a word).
func (c *compilation) chooseWeights() error {
	net, rep := c.net, c.rep
	nRules := 1 // rule 0 is static
	for k, pr := range net.Projections {
		pl := &c.projs[k]
		pl.factor = c.pops[pr.PostIdx].wfactor
		if pl.burst {
			pl.factor = c.pops[pr.PostIdx].afactor
		}
		pl.wexp = chooseWExp(pl.maxAbs * pl.factor)
	}
	if c.opts.CommonWExp {
		c.commonWExp()
	}
	for k, pr := range net.Projections {
		pl := &c.projs[k]
		pl.wscale = math.Ldexp(1, int(pl.wexp)) / pl.factor
		if pl.maxAbs*pl.factor/math.Ldexp(1, int(pl.wexp)) > 127.5 {
			c.warn("projection %s: weights up to %g need %.0f LSB, more than 127<<%d; they saturate", pr.Name, pl.maxAbs, pl.maxAbs*pl.factor, pl.wexp)
		}
		if !pr.Plastic() {
			continue
		}
		var r core.Rule
		var rr RuleReport
		kind, frac, kfield := uint8(0), uint8(0), "stdp"
		if pr.BDSP != nil {
			r, rr = quantiseBDSP(pr, pl.wscale, c.warn)
			kind, kfield = 1, "bdsp"
			if pr.BDSP.Fraction {
				frac = 1
			}
		} else {
			r, rr = quantiseRule(pr, pl.wscale, c.warn)
			rr.Kind = "stdp"
		}
		idx := -1
		for j := 1; j < nRules; j++ {
			if c.rules[j] == r && c.ruleKind>>j&1 == kind && c.ruleFrac>>j&1 == frac {
				idx = j
			}
		}
		if idx < 0 {
			if nRules == core.NumRules {
				return &network.Error{File: net.File, Line: pr.Line, Field: fmt.Sprintf("projections[%d].%s", k, kfield),
					Msg: fmt.Sprintf("projection %q needs an 8th distinct plasticity rule; the core has %d", pr.Name, core.NumRules-1)}
			}
			idx = nRules
			c.rules[idx] = r
			c.ruleKind |= kind << idx
			c.ruleFrac |= frac << idx
			nRules++
		}
		pl.rule = uint8(idx)
		rr.Index = idx
		rr.Projections = []string{pr.Name}
		merged := false
		for j := range rep.Rules {
			if rep.Rules[j].Index == idx {
				rep.Rules[j].Projections = append(rep.Rules[j].Projections, pr.Name)
				merged = true
			}
		}
		if !merged {
			rep.Rules = append(rep.Rules, rr)
		}
	}
	if !c.hasBurst && c.ruleKind != 0 {
		return fmt.Errorf("internal error: BDSP rules without burst units")
	}
	return nil
}

// placeSynapses lays the rows out (core.PlaceRows), then pass 2
// regenerates every projection and counting-sorts its synapses straight
// into their final words (for each source, projections land in file order
// because projections are processed one after the other), and last places
// the plastic fan-in rows (core.PlaceFanIn). It creates the image.
func (c *compilation) placeSynapses() error {
	net := c.net
	core.PlaceRows(c.fo, c.bfo)
	cursor := make([]uint32, c.nNeurons)
	for n := range c.fo {
		cursor[n] = c.fo[n].FoBase
	}
	var bcursor []uint32
	if c.bfo != nil {
		bcursor = make([]uint32, c.nNeurons)
		for n := range c.bfo {
			bcursor[n] = c.bfo[n].BoBase
		}
	}
	syn := make([]core.Synapse, c.total)
	synProj := make([]uint16, c.total)
	for k, pr := range net.Projections {
		pl := &c.projs[k]
		preBase := uint32(c.off[pr.PreIdx])
		postBase := uint32(c.off[pr.PostIdx])
		inv := 1 / math.Ldexp(1, int(pl.wexp))
		pr0 := newProjReport(pr, pl)
		pr0.Channel = pr.Channel
		cur := cursor
		if pl.burst {
			cur = bcursor
		}
		var starts []uint32
		explicit := pr.Connect.Kind == network.ConnList || pr.Connect.Kind == network.ConnCSV
		if explicit {
			starts = slices.Clone(cur)
		}
		net.Connections(k, func(i, j int32, w float64) {
			x := w * pl.factor * inv // exact weight in LSB of w
			q := roundW(x)
			pr0.observe(w, x, q, pl.wscale)
			src := preBase + uint32(i)
			a := cur[src]
			cur[src]++
			syn[a] = core.Synapse{Tgt: postBase + uint32(j), W: int8(q), WExp: pl.wexp, Rule: pl.rule}
			synProj[a] = uint16(k)
		})
		if explicit {
			// Lists come in file order; within a source's row the synapses
			// of one projection are ordered by target like generated ones.
			for n := range cur {
				if cur[n]-starts[n] > 1 {
					slices.SortStableFunc(syn[starts[n]:cur[n]], func(a, b core.Synapse) int { return int(a.Tgt) - int(b.Tgt) })
				}
			}
		}
		c.rep.Projections = append(c.rep.Projections, pr0.finish())
	}
	c.im = &core.Image{
		Profile:    c.prof,
		NumNeurons: c.nNeurons,
		Params:     make([]core.NeuronParams, c.nNeurons),
		State:      make([]core.NeuronState, c.nNeurons),
		Trace:      make([]uint8, c.nNeurons),
		Fanout:     c.fo,
		Syn:        syn,
		Rev:        core.PlaceFanIn(c.fo, syn),
		Rules:      c.rules,
	}
	c.im.Meta.SynProj = synProj
	return nil
}

// lowerBurstUnits builds the burst-unit tables of a network with burst
// populations and converts its teacher.
func (c *compilation) lowerBurstUnits() error {
	if !c.hasBurst {
		return nil
	}
	net, prof, off := c.net, c.prof, c.off
	b := &core.BurstTables{Params: make([]core.BurstParams, c.nNeurons), State: make([]core.BurstState, c.nNeurons),
		BFanout: c.bfo, LUT: BurstLUT(), RuleKind: c.ruleKind, RuleFrac: c.ruleFrac, LFSR: lfsrSeed(net.Seed)}
	for k, p := range net.Populations {
		if !p.IsBurst() {
			continue
		}
		q, br, err := lowerBurst(net, k, prof, &c.pops[k], &b.LUT, c.warn)
		if err != nil {
			return err
		}
		for n := off[k]; n < off[k]+p.Size; n++ {
			b.Params[n] = q
			b.State[n].PBar = initPBar(p.Apical.PBarInit)
		}
		c.rep.BurstPopulations = append(c.rep.BurstPopulations, br)
	}
	c.im.Burst = b
	if t := net.Teacher; t != nil {
		l := &c.pops[t.PopIdx]
		da := b.Params[off[t.PopIdx]].DA
		vs := apicalScale(l.vscale)
		on, sat1 := teachLSB(prof, t.On, da, vs)
		offv, sat2 := teachLSB(prof, t.Off, da, vs)
		if sat1 || sat2 {
			c.warn("teacher: on %g / off %g mV saturate the %d-bit teach register", t.On, t.Off, prof.VW)
		}
		ti := TeacherInfo{Population: t.Population, Dataset: t.Dataset, First: off[t.PopIdx], Count: net.Populations[t.PopIdx].Size, On: on, Off: offv}
		c.im.Meta.Extra = map[string]any{"teacher": ti}
		hw := func(x int32) float64 { return float64(x) * vs / (1 - float64(da)/core.DecayOne) }
		c.rep.Teacher = &TeacherReport{Population: t.Population, Dataset: t.Dataset, Params: []ParamReport{
			param("on", "mV", t.On, hw(on), int64(on)), param("off", "mV", t.Off, hw(offv), int64(offv))}}
	}
	return nil
}

// describe fills the neuron parameters and initial voltages, and the
// host-side description: populations, projections, probes, stimulus and
// teaching schedule.
func (c *compilation) describe() error {
	net, prof, off, im, rep := c.net, c.prof, c.off, c.im, c.rep
	meta := &im.Meta
	meta.Name, meta.Source, meta.DtMs, meta.Steps, meta.Seed = net.Name, net.File, net.Dt, c.steps, net.Seed
	for k, p := range net.Populations {
		l := &c.pops[k]
		kind := "lif"
		switch {
		case p.IsInput():
			kind = "input"
		case p.IsBurst():
			kind = "burst"
		}
		meta.Populations = append(meta.Populations, core.Population{Name: p.Name, Kind: kind, First: off[k], Count: p.Size, VScale: l.vscale, VRest: l.vrest})
		l.report.First = off[k]
		rep.Populations = append(rep.Populations, l.report)
		for n := off[k]; n < off[k]+p.Size; n++ {
			im.Params[n] = l.params
		}
		if !p.IsInput() {
			scale := l.vscale
			if scale == 0 {
				scale = 1
			}
			clipped := 0
			for i, v := range net.InitialV(k) {
				x, sat := clampV(prof, (v-l.vrest)/scale)
				if sat {
					clipped++
				}
				im.State[off[k]+i].V = x
			}
			if clipped > 0 {
				c.warn("population %s: %d initial voltages clipped to the %d-bit range", p.Name, clipped, prof.VW)
			}
		}
	}
	for k, pr := range net.Projections {
		pl := &c.projs[k]
		meta.Projections = append(meta.Projections, core.Projection{Name: pr.Name, Pre: pr.Pre, Post: pr.Post,
			Rule: pl.rule, Count: pl.count, WExp: pl.wexp, WScale: pl.wscale})
	}
	for _, pb := range net.Probes {
		if pb.Projection != "" {
			meta.Probes = append(meta.Probes, core.Probe{Projection: pb.Projection, Vars: slices.Clone(pb.Vars)})
			continue
		}
		first := 0
		for k, p := range net.Populations {
			if p.Name == pb.Population {
				first = off[k]
			}
		}
		ids := make([]int, len(pb.Neurons))
		for i, n := range pb.Neurons {
			ids[i] = first + n
		}
		meta.Probes = append(meta.Probes, core.Probe{Population: pb.Population, Neurons: ids, Vars: slices.Clone(pb.Vars)})
	}
	meta.Stimulus = net.Stimulus(c.steps)
	rep.StimulusSpikes = len(meta.Stimulus)
	meta.Teach = coreTeach(TeachSchedule(net, im, c.steps))
	return nil
}

// chooseWExp returns the smallest exponent e such that a weight of maxLSB
// (in acc LSB) rounds into the int8 range after division by 2^e, or 7 if
// none does (the weights then saturate).
func chooseWExp(maxLSB float64) uint8 {
	for e := 0; e < core.MaxWExp; e++ {
		if math.Round(maxLSB/math.Ldexp(1, e)) <= 127 {
			return uint8(e)
		}
	}
	return core.MaxWExp
}

// roundW rounds x (in LSB of w) to the nearest int8 weight, saturating.
func roundW(x float64) float64 { return min(max(math.Round(x), -128), 127) }

// quantiseRule converts an STDP description into a rule word. Amounts are
// per full trace: the hardware change is rmul(a, 255) ≈ a LSB of w, so a is
// simply the amount divided by the weight scale.
func quantiseRule(pr *network.Projection, wscale float64, warn func(string, ...any)) (core.Rule, RuleReport) {
	s := pr.STDP
	amount := func(name string, v float64) (uint8, ParamReport) {
		x := math.Round(v / wscale)
		if x > 255 {
			warn("projection %s: stdp %s %g is %.0f weight LSB, clamped to 255", pr.Name, name, v, x)
			x = 255
		}
		if x == 0 && v > 0 {
			warn("projection %s: stdp %s %g is below half a weight LSB (%g) and rounds to 0", pr.Name, name, v, wscale)
		}
		return uint8(x), param(name, "w", v, x*wscale, int64(x))
	}
	bound := func(name string, v float64) (int8, ParamReport) {
		x := roundW(v / wscale)
		return int8(x), param(name, "w", v, x*wscale, int64(x))
	}
	var r core.Rule
	var rr RuleReport
	var p [4]ParamReport
	r.APlus, p[0] = amount("a_plus", s.APlus)
	r.AMinus, p[1] = amount("a_minus", s.AMinus)
	r.WMin, p[2] = bound("w_min", s.WMin)
	r.WMax, p[3] = bound("w_max", s.WMax)
	rr.Rule = r
	rr.Params = p[:]
	return r, rr
}

// expectedCount is the (expected) number of synapses of a projection,
// computed without generating them.
func expectedCount(net *network.Network, pr *network.Projection) float64 {
	a, b := float64(net.Populations[pr.PreIdx].Size), float64(net.Populations[pr.PostIdx].Size)
	self := pr.PreIdx == pr.PostIdx && !pr.Connect.AllowSelf
	switch pr.Connect.Kind {
	case network.ConnAllToAll:
		if self {
			return a*b - a
		}
		return a * b
	case network.ConnOneToOne:
		return a
	case network.ConnFixedProb:
		if self {
			return pr.Connect.P * (a*b - a)
		}
		return pr.Connect.P * a * b
	}
	return float64(len(pr.Connect.ListPre))
}
