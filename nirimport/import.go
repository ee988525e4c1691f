package nirimport

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir"
)

// Options control the lowering.
type Options struct {
	Dt      float64      // time step, seconds (> 0)
	Profile core.Profile // target core (its VW sets the voltage scale)
	Method  string       // MethodExact (default) or MethodEuler
	// Reset is "zero" (reset to v_reset, NIR's semantics), "subtract" (v
	// drops by the threshold, snnTorch's default) or "" (each node's
	// metadata reset_mechanism says, else zero).
	Reset string
	Steps int    // run length (default 1000)
	Name  string // network name (default: file name without extension)
	// Inputs holds spikes for the graph's Input nodes by node name
	// (indices into the flattened input).
	Inputs map[string][]network.Spike
	// MaxV, when > 0, bounds |threshold| + the largest |weight| arriving
	// at a spiking neuron, in LSB of v: the voltage scale is made coarser
	// where needed so that a neuron just below threshold that receives its
	// strongest input stays within MaxV. For a core whose voltage wraps
	// (NeuroCoreX: 16,383 LSB at weight exponent 7, the ±128.0 of its
	// Q7.10 register) that input then fires the neuron instead of wrapping
	// it to a negative voltage.
	MaxV float64
}

// Result is a lowered graph.
type Result struct {
	Net    *network.Network
	Report *Report
	// Nodes maps every neuron node, Input and readout to its neurons:
	// for element k of the node, population index and index within it.
	Nodes map[string]*NodeMap

	targets []*target // the populations' discretised neurons and input maps, for Reference
}

// NodeMap places the elements of a NIR node on populations.
type NodeMap struct {
	Type  string
	Shape []int
	Pop   []int32 // population index per element
	Index []int32 // neuron index within the population per element
}

// Report says what the import did and what the discretisation costs.
type Report struct {
	Dt       float64       `json:"dt_s"`
	Method   string        `json:"method"`
	Reset    string        `json:"reset"` // zero, subtract, or graph (per node, from its metadata)
	Nodes    []NodeReport  `json:"nodes"`
	Params   []ParamReport `json:"params"`
	Warnings []string      `json:"warnings,omitempty"`
	// Latency: steps from an input spike to the first effect on each
	// neuron node (one step per synapse hop, docs/core-spec.md section 4).
	Latency map[string]int `json:"latency_steps"`
}

// NodeReport describes one node of the flattened graph.
type NodeReport struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Shape       []int    `json:"shape"`
	Populations []string `json:"populations,omitempty"`
	FoldedInto  string   `json:"folded_into,omitempty"` // linear nodes: "weights" or "weights and biases"
	Reset       string   `json:"reset,omitempty"`       // neuron nodes with a v_reset: zero or subtract
	Synapses    int      `json:"synapses,omitempty"`    // synapses arriving at a neuron node
}

// linmap expresses a node's output as Σ_src M_src · spikes(src) + bias.
type linmap struct {
	src  map[string]*sparse
	bias []float64
}

// Import lowers a NIR file read by nir.Read; file names it in errors.
func Import(f *nir.File, file string, opts Options) (*Result, error) {
	if !(opts.Dt > 0) || math.IsInf(opts.Dt, 0) {
		return nil, &Error{File: file, Msg: fmt.Sprintf("time step must be > 0 s, got %g", opts.Dt)}
	}
	if opts.Method == "" {
		opts.Method = MethodExact
	}
	if opts.Method != MethodExact && opts.Method != MethodEuler {
		return nil, &Error{File: file, Msg: fmt.Sprintf("discretisation %q: want exact or euler", opts.Method)}
	}
	switch opts.Reset {
	case "", network.ResetZero, network.ResetSubtract:
	default:
		return nil, &Error{File: file, Msg: fmt.Sprintf("reset %q: want zero or subtract", opts.Reset)}
	}
	if opts.Steps == 0 {
		opts.Steps = 1000
	}
	if opts.Name == "" {
		opts.Name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if f.Graph == nil {
		return nil, &Error{File: file, Msg: "no graph"}
	}
	g, err := flatten(file, f.Graph)
	if err != nil {
		return nil, err
	}
	if err := g.inferShapes(); err != nil {
		return nil, err
	}
	if err := g.fits(opts.Profile); err != nil {
		return nil, err
	}
	im := &importer{g: g, opts: opts, memo: map[string]*linmap{}, state: map[string]int{},
		res: &Result{Report: &Report{Dt: opts.Dt, Method: opts.Method, Reset: cmp.Or(opts.Reset, "graph"), Latency: map[string]int{}}, Nodes: map[string]*NodeMap{}}}
	if err := im.run(file); err != nil {
		return nil, err
	}
	return im.res, nil
}

type importer struct {
	g     *graph
	opts  Options
	memo  map[string]*linmap
	state map[string]int // 1 visiting, 2 done
	res   *Result
	net   *network.Network
}

// isSource reports whether a node's output is spikes of a population.
func (im *importer) isSource(n *node) bool {
	return neuronTypes[n.typ] || (n.typ == "Input" && n.top)
}

// lin computes the linear map of a node's output.
func (im *importer) lin(name string) (*linmap, error) {
	if m, ok := im.memo[name]; ok {
		return m, nil
	}
	n := im.g.nodes[name]
	if im.isSource(n) {
		m := &linmap{src: map[string]*sparse{name: identity(prod(n.shape))}}
		im.memo[name] = m
		return m, nil
	}
	if im.state[name] == 1 {
		return nil, im.g.errf(name, "is part of a loop with no neuron in it (an algebraic loop has no step-by-step meaning)")
	}
	im.state[name] = 1
	in, err := im.sumInputs(n)
	if err != nil {
		return nil, err
	}
	op, bias, err := im.g.linearOp(n, im.opts.Dt)
	if err != nil {
		return nil, err
	}
	out := &linmap{src: map[string]*sparse{}}
	for s, m := range in.src {
		if op != nil {
			if limit := 4 * im.opts.Profile.Synapses(); !m.ident && m.nnz() > limit/max(1, op.nnz()/max(1, len(op.rows))) {
				// composing could exceed any core: estimate before building
				return nil, &compiler.FitError{Profile: im.opts.Profile.Name, Overflows: []compiler.Overflow{{Resource: "synapses",
					Need: m.nnz() * max(1, op.nnz()/max(1, len(op.rows))), Have: im.opts.Profile.Synapses(), Approximate: true,
					Largest: []compiler.Contributor{{Name: s + "->" + name, Count: m.nnz() * max(1, op.nnz()/max(1, len(op.rows)))}}}}}
			}
			m = m.then(op)
		}
		out.src[s] = m
	}
	if in.bias != nil {
		if op != nil {
			out.bias = op.applyVec(in.bias)
		} else {
			out.bias = in.bias
		}
	}
	if bias != nil {
		if out.bias == nil {
			out.bias = make([]float64, len(bias))
		}
		for i, b := range bias {
			out.bias[i] += b
		}
	}
	im.state[name] = 2
	im.memo[name] = out
	return out, nil
}

// sumInputs adds the maps of every edge into n.
func (im *importer) sumInputs(n *node) (*linmap, error) {
	sum := &linmap{src: map[string]*sparse{}}
	for _, u := range n.in {
		m, err := im.lin(u)
		if err != nil {
			return nil, err
		}
		for s, x := range m.src {
			if prev, ok := sum.src[s]; ok {
				sum.src[s] = prev.plus(x)
			} else {
				sum.src[s] = x
			}
		}
		if m.bias != nil {
			if sum.bias == nil {
				sum.bias = make([]float64, len(m.bias))
			}
			for i, b := range m.bias {
				sum.bias[i] += b
			}
		}
	}
	return sum, nil
}

// target is a population-forming node with its discretised neurons.
type target struct {
	n      *node
	input  *linmap
	neur   []phys
	groups []int // group per neuron
	pops   []int // population index per group
	vscale []float64
	reset  string // neuron nodes with a v_reset: zero or subtract (resetOf)
}

func (im *importer) run(file string) error {
	g, opts, rep := im.g, im.opts, im.res.Report
	prof := opts.Profile
	net := &network.Network{File: file, Dir: filepath.Dir(file), Name: opts.Name, Target: prof.Name,
		Dt: opts.Dt * 1000, Steps: opts.Steps}
	im.net = net
	im.res.Net = net
	// Inputs first, in name order.
	for _, name := range g.order {
		n := g.nodes[name]
		if n.typ != "Input" || !n.top {
			continue
		}
		size := prod(n.shape)
		spikes := opts.Inputs[name]
		for _, s := range spikes {
			if s.Index < 0 || s.Index >= size {
				return g.errf(name, "input spike index %d outside the node's %d elements", s.Index, size)
			}
		}
		net.Populations = append(net.Populations, &network.Population{Name: name, Kind: network.KindSpikeList, Size: size, Spikes: spikes})
		im.place(n, len(net.Populations)-1)
		rep.Nodes = append(rep.Nodes, NodeReport{Name: name, Type: n.typ, Shape: n.shape, Populations: []string{name}})
	}
	// Neuron nodes and readouts (Outputs fed by linear layers).
	var targets []*target
	outputs := map[string][]string{} // output node -> source nodes whose neurons it shows
	for _, name := range g.order {
		n := g.nodes[name]
		isReadout := n.typ == "Output" && n.top && !(len(n.in) == 1 && im.isSource(g.nodes[n.in[0]]))
		if n.typ == "Output" && n.top && !isReadout {
			outputs[name] = n.in
		}
		if !neuronTypes[n.typ] && !isReadout {
			continue
		}
		in, err := im.sumInputs(n)
		if err != nil {
			return err
		}
		t := &target{n: n, input: in}
		if isReadout {
			// The core can only show neurons: a readout neuron with no
			// memory and no threshold holds the layer's output in v.
			t.n = &node{name: name, typ: "Readout", shape: n.shape, inShape: n.inShape, in: n.in}
			outputs[name] = []string{name}
		}
		targets = append(targets, t)
	}
	// Discretise and group.
	for _, t := range targets {
		if err := im.discretise(t); err != nil {
			return err
		}
	}
	// Lay out populations (one per group) in node order.
	for _, t := range targets {
		im.res.Nodes[t.n.name] = &NodeMap{Type: t.n.typ, Shape: t.n.shape, Pop: make([]int32, len(t.neur)), Index: make([]int32, len(t.neur))}
		if err := im.populations(t); err != nil {
			return err
		}
	}
	im.res.targets = targets
	// Synapses.
	for _, t := range targets {
		if err := im.projections(t); err != nil {
			return err
		}
	}
	// Probes: spikes and voltage of every population an Output shows.
	var outNames []string
	for o := range outputs {
		outNames = append(outNames, o)
	}
	sort.Strings(outNames)
	for _, o := range outNames {
		for _, s := range outputs[o] {
			nm := im.res.Nodes[s]
			if nm == nil {
				continue
			}
			seen := map[int32]bool{}
			for _, p := range nm.Pop {
				if !seen[p] {
					seen[p] = true
					all := make([]int, net.Populations[p].Size)
					for i := range all {
						all[i] = i
					}
					net.Probes = append(net.Probes, network.Probe{Population: net.Populations[p].Name, Neurons: all, Vars: []string{"spikes", "v"}})
				}
			}
		}
	}
	im.latency()
	return nil
}

func (im *importer) place(n *node, pop int) {
	size := prod(n.shape)
	m := &NodeMap{Type: n.typ, Shape: n.shape, Pop: make([]int32, size), Index: make([]int32, size)}
	for k := range m.Pop {
		m.Pop[k], m.Index[k] = int32(pop), int32(k)
	}
	im.res.Nodes[n.name] = m
}

// discretise computes every neuron's dynamics and groups equal ones.
func (im *importer) discretise(t *target) error {
	g := im.g
	size := prod(t.n.shape)
	bias := t.input.bias
	t.neur = make([]phys, size)
	if t.n.typ == "Readout" {
		for j := range t.neur {
			b := 0.0
			if bias != nil {
				b = bias[j]
			}
			t.neur[j] = phys{gain: 1, bias: b}
		}
	} else {
		tab, err := g.paramTable(t.n)
		if err != nil {
			return err
		}
		if t.reset, err = im.resetOf(t.n); err != nil {
			return err
		}
		for j := range t.neur {
			b := 0.0
			if bias != nil {
				b = bias[j]
			}
			if t.neur[j], err = g.discretise(t.n, tab, j, im.opts.Dt, b, im.opts.Method, t.reset == network.ResetSubtract); err != nil {
				return err
			}
		}
	}
	key := map[phys]int{}
	t.groups = make([]int, size)
	for j, p := range t.neur {
		k, ok := key[p]
		if !ok {
			k = len(key)
			key[p] = k
		}
		t.groups[j] = k
	}
	return nil
}

// MetaVScale is the metadata entry (volts per LSB) with which ncx export
// marks a node whose voltages are already in the core's units; importing it
// uses that scale instead of choosing one, so export → import is exact.
const MetaVScale = "ncx_vscale"

// MetaReset is the node metadata entry ("subtract" or "zero", snnTorch's
// names for its reset mechanisms) that chooses a neuron node's reset when
// --reset is not given; ncx export writes it on subtracting populations.
const MetaReset = "reset_mechanism"

// resetOf is the reset mode of neuron node n: the --reset option, else the
// node's metadata, else zero (NIR's semantics). Only nodes with a v_reset
// (LIF, CubaLIF, IF) have one.
func (im *importer) resetOf(n *node) (string, error) {
	switch n.typ {
	case "LIF", "CubaLIF", "IF":
	default:
		return "", nil
	}
	if im.opts.Reset != "" {
		return im.opts.Reset, nil
	}
	v := n.meta[MetaReset]
	if v == nil {
		return network.ResetZero, nil
	}
	if len(v.S) == 1 && (v.S[0] == network.ResetZero || v.S[0] == network.ResetSubtract) {
		return v.S[0], nil
	}
	return "", im.g.errf(n.name, "metadata %s: want the string zero or subtract", MetaReset)
}

// maxWeightLSB is the largest synaptic contribution the core makes:
// an int8 weight shifted by the largest exponent (docs/core-spec.md).
const maxWeightLSB = 127 << 7

// populations chooses each group's voltage scale and raw registers.
func (im *importer) populations(t *target) error {
	prof := im.opts.Profile
	ng := 0
	for _, k := range t.groups {
		ng = max(ng, k+1)
	}
	// Per target neuron: largest |weight| and sum of |weights| arriving.
	size := len(t.neur)
	maxIn := make([]float64, size)
	sumIn := make([]float64, size)
	synapses := 0
	for _, m := range t.input.src {
		for _, row := range m.rows {
			for _, e := range row {
				a := math.Abs(e.w)
				maxIn[e.j] = math.Max(maxIn[e.j], a)
				sumIn[e.j] += a
				synapses++
			}
		}
	}
	first := make([]int, ng)
	for i := range first {
		first[i] = -1
	}
	for j, k := range t.groups {
		if first[k] < 0 {
			first[k] = j
		}
	}
	t.vscale = make([]float64, ng)
	t.pops = make([]int, ng)
	sizes := make([]int, ng)
	for _, k := range t.groups {
		sizes[k]++
	}
	// A node's neurons with per-neuron parameters form many groups:
	// warnings are gathered over the groups and said once per node.
	var unbounded, coarse, nodecay int // neurons affected
	var coarseThr, coarseW, coarseVs float64
	nodecayMul := math.Inf(1) // the smallest exact multiplier that rounded to 4096
	var nodecayTau float64
	var names []string
	vmax := float64(prof.VMax())
	for k := 0; k < ng; k++ {
		p := t.neur[first[k]]
		wmax, wsum := 0.0, 0.0
		for j, gk := range t.groups {
			if gk == k {
				wmax = math.Max(wmax, maxIn[j]*math.Abs(p.gain))
				wsum = math.Max(wsum, sumIn[j]*math.Abs(p.gain))
			}
		}
		m := math.Max(math.Abs(p.reset), math.Abs(p.init))
		quarter := math.Ldexp(1, int(prof.VW)-3)
		vs := 0.0
		if p.spiking {
			m = math.Max(m, math.Abs(p.thr))
			vs = m / quarter
		} else {
			// No threshold: make the largest reachable |v| (every input
			// firing every step) use half the range, thr out of reach.
			var bound float64
			if p.am < 1 {
				drive := (wsum + math.Abs(p.bias)) / (1 - p.am)
				if p.as > 0 {
					drive /= 1 - p.as
				}
				bound = m + drive
			} else {
				bound = m + 1000*(wsum+math.Abs(p.bias))
				unbounded += sizes[k]
			}
			vs = bound / (2 * quarter)
		}
		if w := wmax / maxWeightLSB; w > vs {
			vs = w
		}
		if h := (math.Abs(p.thr) + wmax) / im.opts.MaxV; p.spiking && im.opts.MaxV > 0 && h > vs {
			vs = h
			coarse += sizes[k]
			if vs > coarseVs {
				coarseThr, coarseW, coarseVs = p.thr, wmax, vs
			}
		}
		if b := 2 * math.Abs(p.bias) / vmax; b > vs {
			vs = b
		}
		if vs == 0 || math.IsInf(vs, 0) || math.IsNaN(vs) {
			vs = 1
		}
		if v := t.n.meta[MetaVScale]; v != nil && len(v.F) == 1 && v.F[0] > 0 {
			// written by ncx export: the voltages are the core's own LSB
			vs = v.F[0]
		}
		t.vscale[k] = vs
		name := t.n.name
		if ng > 1 {
			// zero-padded so that names sort in group order
			name = fmt.Sprintf("%s#%0*d", t.n.name, len(fmt.Sprint(ng-1)), k)
		}
		thr := vmax
		if p.spiking {
			thr = math.Min(math.Round(p.thr/vs), vmax)
		}
		raw := &network.Raw{
			Thr:    int64(thr),
			VReset: int64(math.Round(p.reset / vs)),
			Bias:   int64(math.Round(p.bias / vs)),
			DV:     int64(math.Round(4096 * p.am)),
			DI:     int64(math.Round(4096 * p.as)),
		}
		init := math.Round(p.init / vs)
		pop := &network.Population{Name: name, Kind: network.KindLIF, Raw: raw, VInit: network.Dist{Kind: network.DistConst, A: init},
			Reset: cmp.Or(t.reset, network.ResetZero)}
		pop.Size = sizes[k]
		im.net.Populations = append(im.net.Populations, pop)
		t.pops[k] = len(im.net.Populations) - 1
		names = append(names, name)
		// what the core does, in the node's units
		rep := im.res.Report
		lost := false
		for _, d := range []struct {
			tau, a float64
			m      int64
		}{{p.tauMem, p.am, raw.DV}, {p.tauSyn, p.as, raw.DI}} {
			if d.tau > 0 && d.m == 4096 {
				lost = true
				if 4096*d.a < nodecayMul {
					nodecayMul, nodecayTau = 4096*d.a, d.tau
				}
			}
		}
		if lost {
			nodecay += sizes[k]
		}
		if p.tauMem > 0 {
			rep.Params = append(rep.Params, paramReport(t.n.name, name, "tau_mem", "s", p.tauMem, tauOf(raw.DV, im.opts.Dt, im.opts.Method)))
		}
		if p.tauSyn > 0 {
			rep.Params = append(rep.Params, paramReport(t.n.name, name, "tau_syn", "s", p.tauSyn, tauOf(raw.DI, im.opts.Dt, im.opts.Method)))
		}
		if p.spiking {
			rep.Params = append(rep.Params, paramReport(t.n.name, name, "v_threshold", "", p.thr+p.vleak, float64(raw.Thr)*vs+p.vleak))
			if !p.rsub {
				rep.Params = append(rep.Params, paramReport(t.n.name, name, "v_reset", "", p.reset+p.vleak, float64(raw.VReset)*vs+p.vleak))
			}
		}
		if p.bias != 0 {
			rep.Params = append(rep.Params, paramReport(t.n.name, name, "bias per step", "", p.bias, float64(raw.Bias)*vs))
		}
		if p.init != 0 {
			rep.Params = append(rep.Params, paramReport(t.n.name, name, "v_init", "", 0, init*vs+p.vleak))
		}
	}
	n := len(t.groups)
	if unbounded > 0 {
		im.warn("node %s: %d of %d neurons integrate without threshold and grow without bound; their voltage saturates after about 1000 steps of full input", t.n.name, unbounded, n)
	}
	if coarse > 0 {
		im.warn("node %s: %d of %d neurons: threshold plus the largest input would exceed the voltage range (%g LSB), so their scale is coarser; the coarsest is %.3g per LSB (threshold %g, input %g)", t.n.name, coarse, n, im.opts.MaxV, coarseVs, coarseThr, coarseW)
	}
	if nodecay > 0 {
		im.warn("node %s: %d of %d neurons have a time constant so long against dt = %g s that the 13-bit decay multiplier rounds to 4096 (no decay); the shortest, %g s, needs a multiplier of %.3f", t.n.name, nodecay, n, im.opts.Dt, nodecayTau, nodecayMul)
	}
	nm := im.res.Nodes[t.n.name]
	count := make([]int32, ng)
	for j, k := range t.groups {
		nm.Pop[j] = int32(t.pops[k])
		nm.Index[j] = count[k]
		count[k]++
	}
	im.res.Report.Nodes = append(im.res.Report.Nodes, NodeReport{Name: t.n.name, Type: t.n.typ, Shape: t.n.shape, Populations: names, Synapses: synapses, Reset: t.reset})
	return nil
}

// projections turns the target's input map into weighted synapse lists, one
// projection per (source population, target population). Two passes (count,
// then fill) keep the lists at their exact size.
func (im *importer) projections(t *target) error {
	type key struct{ pre, post int }
	idx := map[key]*network.Projection{}
	var order []key
	srcs := make([]string, 0, len(t.input.src))
	for s := range t.input.src {
		srcs = append(srcs, s)
	}
	sort.Strings(srcs)
	tm := im.res.Nodes[t.n.name]
	each := func(fn func(kk key, pre, post int32, w float64)) error {
		for _, s := range srcs {
			sm := im.res.Nodes[s]
			if sm == nil {
				return im.g.errf(s, "feeds %s but was not placed on the core", t.n.name)
			}
			for i, row := range t.input.src[s].rows {
				for _, e := range row {
					j := int(e.j)
					k := t.groups[j]
					w := e.w * t.neur[j].gain / t.vscale[k]
					if w != 0 {
						fn(key{int(sm.Pop[i]), t.pops[k]}, sm.Index[i], tm.Index[j], w)
					}
				}
			}
		}
		return nil
	}
	counts := map[key]int{}
	if err := each(func(kk key, _, _ int32, _ float64) {
		if counts[kk] == 0 {
			order = append(order, kk)
		}
		counts[kk]++
	}); err != nil {
		return err
	}
	// By target population, then source: the order does not depend on how
	// the graph grouped its nodes, so an exported image imports back alike.
	sort.Slice(order, func(a, b int) bool {
		if order[a].post != order[b].post {
			return order[a].post < order[b].post
		}
		return order[a].pre < order[b].pre
	})
	pops := im.net.Populations
	for _, kk := range order {
		n := counts[kk]
		idx[kk] = &network.Projection{Name: pops[kk.pre].Name + "->" + pops[kk.post].Name,
			Pre: pops[kk.pre].Name, Post: pops[kk.post].Name, PreIdx: kk.pre, PostIdx: kk.post,
			Connect: network.Connect{Kind: network.ConnList, ListPre: make([]int32, 0, n), ListPost: make([]int32, 0, n), ListW: make([]float64, 0, n)},
			Channel: network.ChannelEvent}
	}
	each(func(kk key, pre, post int32, w float64) {
		c := &idx[kk].Connect
		c.ListPre = append(c.ListPre, pre)
		c.ListPost = append(c.ListPost, post)
		c.ListW = append(c.ListW, w)
	})
	for _, kk := range order {
		im.net.Projections = append(im.net.Projections, idx[kk])
	}
	return nil
}

func (im *importer) warn(format string, a ...any) {
	im.res.Report.Warnings = append(im.res.Report.Warnings, fmt.Sprintf(format, a...))
}

// latency records, per neuron node, the fewest synapse hops from an Input.
func (im *importer) latency() {
	dist := map[string]int{}
	var queue []string
	for _, name := range im.g.order {
		if n := im.g.nodes[name]; n.typ == "Input" && n.top {
			dist[name] = 0
			queue = append(queue, name)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, v := range im.g.nodes[u].out {
			d := dist[u]
			if im.isSource(im.g.nodes[u]) {
				d++ // a synapse hop
			}
			if old, ok := dist[v]; !ok || d < old {
				dist[v] = d
				queue = append(queue, v)
			}
		}
	}
	for name, d := range dist {
		if neuronTypes[im.g.nodes[name].typ] {
			im.res.Report.Latency[name] = d
		}
	}
}
