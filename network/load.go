package network

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Load reads and validates the network description at path. Relative paths
// inside it (spike files, connection CSVs, profile files) are resolved
// against the directory of path.
func Load(path string) (*Network, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("cannot read: %v", unwrapPath(err))}
	}
	return Parse(data, path)
}

// unwrapPath drops the path from an *os.PathError, which the caller already names.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Parse validates a network description held in memory; file names it in
// errors and its directory is used to resolve relative paths.
func Parse(data []byte, file string) (net *Network, err error) {
	var root yaml.Node
	if perr := safeUnmarshal(data, &root); perr != nil {
		return nil, yamlError(file, perr)
	}
	d := &dec{file: file}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, &Error{File: file, Msg: "empty network description"}
	}
	n := &Network{File: file, Dir: filepath.Dir(file)}
	if err := d.network(root.Content[0], n); err != nil {
		return nil, err
	}
	return n, nil
}

// safeUnmarshal guards against panics inside the YAML library: user input
// must never crash the toolkit.
func safeUnmarshal(data []byte, v *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(data, v)
}

func (d *dec) network(root *yaml.Node, n *Network) error {
	o, err := d.object(root, "")
	if err != nil {
		return err
	}
	name, ok, err := o.optStr("name")
	if err != nil {
		return err
	}
	if !ok {
		base := filepath.Base(d.file)
		name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	n.Name = name
	n.Target, ok, err = o.optStr("target")
	if err != nil {
		return err
	}
	if !ok {
		n.Target = "sim"
	}
	n.TargetLine = o.line("target")
	if n.Dt, err = o.reqFloat("dt"); err != nil {
		return err
	}
	if n.Dt <= 0 {
		return d.err(o.get("dt"), "dt", "must be > 0, got %g", n.Dt)
	}
	steps, ok, err := o.optInt("steps", 1, MaxSteps)
	if err != nil {
		return err
	}
	n.Steps = 1000
	if ok {
		n.Steps = int(steps)
	}
	if sn := o.get("seed"); sn != nil {
		s, err := d.integer(sn, "seed", 0, 1<<62)
		if err != nil {
			return err
		}
		n.Seed = uint64(s)
	}

	if dn := o.get("datasets"); dn != nil {
		items, err := d.list(dn, "datasets")
		if err != nil {
			return err
		}
		names := map[string]int{}
		for i, it := range items {
			field := fmt.Sprintf("datasets[%d]", i)
			ds, err := d.dataset(it, field, n)
			if err != nil {
				return err
			}
			if j, dup := names[ds.Name]; dup {
				return d.err(it, field+".name", "duplicate dataset name %q (also datasets[%d])", ds.Name, j)
			}
			names[ds.Name] = i
			n.Datasets = append(n.Datasets, ds)
		}
	}

	pn := o.get("populations")
	if pn == nil {
		return o.missing("populations")
	}
	items, err := d.list(pn, "populations")
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return d.err(pn, "populations", "must list at least one population")
	}
	seen := map[string]int{}
	for i, it := range items {
		p, err := d.population(it, fmt.Sprintf("populations[%d]", i), n)
		if err != nil {
			return err
		}
		if j, dup := seen[p.Name]; dup {
			return d.err(it, fmt.Sprintf("populations[%d].name", i), "duplicate population name %q (also populations[%d])", p.Name, j)
		}
		seen[p.Name] = i
		n.Populations = append(n.Populations, p)
	}

	if jn := o.get("projections"); jn != nil {
		items, err := d.list(jn, "projections")
		if err != nil {
			return err
		}
		names := map[string]int{}
		for i, it := range items {
			field := fmt.Sprintf("projections[%d]", i)
			pr, err := d.projection(it, field, n, seen)
			if err != nil {
				return err
			}
			if j, dup := names[pr.Name]; dup {
				return d.err(it, field+".name", "duplicate projection name %q (also projections[%d])", pr.Name, j)
			}
			names[pr.Name] = i
			n.Projections = append(n.Projections, pr)
		}
	}
	// A population whose trace is read by an STDP rule must have one; a
	// BDSP rule reads the presynaptic trace only.
	for i, pr := range n.Projections {
		var read []int
		rule := "stdp"
		switch {
		case pr.STDP != nil:
			read = []int{pr.PreIdx, pr.PostIdx}
		case pr.BDSP != nil:
			read, rule = []int{pr.PreIdx}, "bdsp"
		}
		for _, pi := range read {
			p := n.Populations[pi]
			if p.Trace == nil && p.Raw == nil {
				return errAt(d.file, p.Line, fmt.Sprintf("populations[%d].trace", pi),
					"required: projection %q (projections[%d]) has %s and reads this population's trace", pr.Name, i, rule)
			}
		}
	}
	if tn := o.get("teacher"); tn != nil {
		if n.Teacher, err = d.teacher(tn, "teacher", n); err != nil {
			return err
		}
	}
	// Teaching inputs belong to the output layer only.
	for k, p := range n.Populations {
		if p.Apical == nil || p.Apical.Teach == 0 {
			continue
		}
		field := fmt.Sprintf("populations[%d].apical.teach", k)
		if n.Teacher != nil && n.Teacher.PopIdx == k {
			return errAt(d.file, p.Apical.Line, field, "cannot be combined with the teacher, which drives population %q", p.Name)
		}
		if msg := n.hiddenLayer(k); msg != "" {
			return errAt(d.file, p.Apical.Line, field, "teaching inputs on hidden layers are not allowed: %s", msg)
		}
	}

	if ln := o.get("learning"); ln != nil {
		if n.Learning, err = d.learning(ln, "learning", n); err != nil {
			return err
		}
	}

	if qn := o.get("probes"); qn != nil {
		items, err := d.list(qn, "probes")
		if err != nil {
			return err
		}
		for i, it := range items {
			pb, err := d.probe(it, fmt.Sprintf("probes[%d]", i), n)
			if err != nil {
				return err
			}
			n.Probes = append(n.Probes, pb)
		}
	}
	return o.done()
}

var lifFields = []string{"tau_mem", "tau_syn", "v_rest", "v_thresh", "v_reset", "t_ref", "bias"}

func (d *dec) population(node *yaml.Node, path string, n *Network) (*Population, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	p := &Population{Line: o.node.Line}
	if p.Name, err = o.reqStr("name"); err != nil {
		return nil, err
	}
	if strings.ContainsAny(p.Name, "> \t") {
		return nil, d.err(o.get("name"), o.sub("name"), "must not contain spaces or '>', got %q", p.Name)
	}
	if p.Kind, err = o.reqStr("kind"); err != nil {
		return nil, err
	}
	size, hasSize, err := o.optInt("size", -1<<62, 1<<62)
	if err != nil {
		return nil, err
	}
	if !hasSize && p.Kind == KindDatasetInput {
		size = 1 // the dataset's feature count, set below
	} else if !hasSize {
		return nil, o.missing("size")
	}
	if size < 1 || size > MaxPopulationSize {
		return nil, d.err(o.get("size"), o.sub("size"), "must be between 1 and %d, got %d", MaxPopulationSize, size)
	}
	p.Size = int(size)
	if tn := o.get("trace"); tn != nil {
		if p.Trace, err = d.trace(tn, o.sub("trace")); err != nil {
			return nil, err
		}
	}
	switch p.Kind {
	case KindLIF:
		if err := d.lif(o, p); err != nil {
			return nil, err
		}
	case KindBurst:
		if err := d.lif(o, p); err != nil {
			return nil, err
		}
		an := o.get("apical")
		if an == nil {
			return nil, o.missing("apical")
		}
		if p.Apical, err = d.apical(an, o.sub("apical"), p.Raw != nil); err != nil {
			return nil, err
		}
		e, ok, err := o.optInt("ensemble", 1, int64(p.Size))
		if err != nil {
			return nil, err
		}
		p.Ensemble = 1
		if ok {
			p.Ensemble = int(e)
		}
	case KindDatasetInput:
		name, err := o.reqStr("dataset")
		if err != nil {
			return nil, err
		}
		ds := n.Dataset(name)
		if ds == nil {
			return nil, d.err(o.get("dataset"), o.sub("dataset"), "no dataset named %q", name)
		}
		for i := range n.Datasets {
			if n.Datasets[i] == ds {
				p.DatasetIdx = i
			}
		}
		p.Dataset = name
		if !hasSize {
			p.Size = ds.Features
		} else if p.Size != ds.Features {
			return nil, d.err(o.get("size"), o.sub("size"), "must equal the %d features of dataset %q, got %d", ds.Features, name, p.Size)
		}
		if p.RateHz, err = o.reqFloat("rate_hz"); err != nil {
			return nil, err
		}
		if p.RateHz < 0 || p.RateHz*n.Dt/1000 > 1 {
			return nil, d.err(o.get("rate_hz"), o.sub("rate_hz"), "must be in 0..%g (one spike per step at dt=%g ms), got %g", 1000/n.Dt, n.Dt, p.RateHz)
		}
		ps, err := o.reqInt("present_steps", 1, MaxSteps)
		if err != nil {
			return nil, err
		}
		gs, _, err := o.optInt("gap_steps", 0, MaxSteps)
		if err != nil {
			return nil, err
		}
		p.PresentSteps, p.GapSteps = int(ps), int(gs)
	case KindPoisson:
		if p.RateHz, err = o.reqFloat("rate_hz"); err != nil {
			return nil, err
		}
		if p.RateHz < 0 || p.RateHz*n.Dt/1000 > 1 {
			return nil, d.err(o.get("rate_hz"), o.sub("rate_hz"), "must be in 0..%g (one spike per step at dt=%g ms), got %g", 1000/n.Dt, n.Dt, p.RateHz)
		}
	case KindSpikeTimes:
		file, err := o.reqStr("file")
		if err != nil {
			return nil, err
		}
		p.SpikeFile = resolvePath(n.Dir, file)
		if p.Spikes, err = readSpikeCSV(p.SpikeFile, p, n.Dt, d.file, o.line("file"), o.sub("file")); err != nil {
			return nil, err
		}
	case KindSpikeList:
		tn := o.get("times")
		if tn == nil {
			return nil, o.missing("times")
		}
		items, err := d.list(tn, o.sub("times"))
		if err != nil {
			return nil, err
		}
		p.Spikes = make([]Spike, 0, len(items))
		for k, it := range items {
			f := fmt.Sprintf("%s[%d]", o.sub("times"), k)
			pair, line, err := d.floats(it, f, 2)
			if err != nil {
				return nil, err
			}
			idx, step := pair[0], pair[1]
			if idx != float64(int(idx)) || idx < 0 || int(idx) >= p.Size {
				return nil, errAt(d.file, line, f, "neuron index %g outside population %q (size %d)", idx, p.Name, p.Size)
			}
			if step != float64(int(step)) || step < 0 || step >= MaxSteps {
				return nil, errAt(d.file, line, f, "step must be a non-negative integer, got %g", step)
			}
			p.Spikes = append(p.Spikes, Spike{Step: int(step), Index: int(idx)})
		}
	default:
		return nil, d.err(o.get("kind"), o.sub("kind"), "unknown kind %q (want lif, burst, poisson, spike_times, spike_list or dataset_input)", p.Kind)
	}
	if p.IsInput() {
		// Inputs have no dynamics: reject physical parameters rather than
		// silently ignoring them.
		for _, f := range append(lifFields, "raw", "v_init", "apical", "reset") {
			if o.has(f) {
				return nil, d.err(o.get(f), o.sub(f), "not allowed for input population kind %s", p.Kind)
			}
		}
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	return p, nil
}

func (d *dec) trace(node *yaml.Node, path string) (*Trace, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	t := &Trace{}
	if t.Tau, err = o.reqFloat("tau"); err != nil {
		return nil, err
	}
	if t.Tau <= 0 {
		return nil, d.err(o.get("tau"), o.sub("tau"), "must be > 0, got %g", t.Tau)
	}
	inc, err := o.reqInt("inc", 0, 255)
	if err != nil {
		return nil, err
	}
	t.Inc = int(inc)
	return t, o.done()
}

func (d *dec) lif(o *obj, p *Population) error {
	var err error
	p.Reset = ResetZero
	if m, ok, err := o.optStr("reset"); err != nil {
		return err
	} else if ok {
		if m != ResetZero && m != ResetSubtract {
			return d.err(o.get("reset"), o.sub("reset"), "unknown reset %q (want zero or subtract)", m)
		}
		p.Reset = m
	}
	if rn := o.get("raw"); rn != nil {
		for _, f := range append(lifFields, "trace") {
			if o.has(f) {
				return d.err(o.get(f), o.sub(f), "cannot be combined with raw (give hardware values in raw instead)")
			}
		}
		if p.Raw, err = d.raw(rn, o.sub("raw")); err != nil {
			return err
		}
		p.VInit = Dist{Kind: DistConst}
	} else {
		req := func(key string, dst *float64) error {
			v, err := o.reqFloat(key)
			*dst = v
			return err
		}
		for _, f := range []struct {
			k string
			v *float64
		}{{"tau_mem", &p.TauMem}, {"tau_syn", &p.TauSyn}, {"v_rest", &p.VRest}, {"v_thresh", &p.VThresh}, {"v_reset", &p.VReset}} {
			if f.k == "v_reset" && p.Reset == ResetSubtract {
				if o.has(f.k) {
					return d.err(o.get(f.k), o.sub(f.k), "not used with reset: subtract (v drops by v_thresh − v_rest after a spike); remove it")
				}
				p.VReset = p.VRest
				continue
			}
			if err := req(f.k, f.v); err != nil {
				return err
			}
		}
		for _, f := range []struct {
			k string
			v float64
		}{{"tau_mem", p.TauMem}, {"tau_syn", p.TauSyn}} {
			if f.v <= 0 {
				return d.err(o.get(f.k), o.sub(f.k), "must be > 0, got %g", f.v)
			}
		}
		if p.Reset == ResetSubtract && p.VThresh <= p.VRest {
			return d.err(o.get("v_thresh"), o.sub("v_thresh"), "must be above v_rest (%g) with reset: subtract, got %g", p.VRest, p.VThresh)
		}
		if p.Reset == ResetZero && p.VReset >= p.VThresh {
			return d.err(o.get("v_reset"), o.sub("v_reset"), "must be below v_thresh (%g), got %g", p.VThresh, p.VReset)
		}
		if p.TRef, _, err = o.optFloat("t_ref"); err != nil {
			return err
		}
		if p.TRef < 0 {
			return d.err(o.get("t_ref"), o.sub("t_ref"), "must be >= 0, got %g", p.TRef)
		}
		if p.Bias, _, err = o.optFloat("bias"); err != nil {
			return err
		}
		p.VInit = Dist{Kind: DistConst, A: p.VRest}
	}
	if vn := o.get("v_init"); vn != nil {
		if p.VInit, err = d.dist(vn, o.sub("v_init")); err != nil {
			return err
		}
	}
	return nil
}

func (d *dec) raw(node *yaml.Node, path string) (*Raw, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	r := &Raw{}
	const big = 1 << 29 // the widest profile has VW=30
	fields := []struct {
		k      string
		v      *int64
		lo, hi int64
		req    bool
	}{
		{"thr", &r.Thr, -big, big - 1, true},
		{"vreset", &r.VReset, -big, big - 1, true},
		{"bias", &r.Bias, -big, big - 1, false},
		{"dv", &r.DV, 0, 4096, true},
		{"di", &r.DI, 0, 4096, true},
		{"tref", &r.TRef, 0, 255, false},
		{"tr_shift", &r.TrShift, 0, 7, false},
		{"tr_inc", &r.TrInc, 0, 255, false},
	}
	for _, f := range fields {
		v, ok, err := o.optInt(f.k, f.lo, f.hi)
		if err != nil {
			return nil, err
		}
		if !ok && f.req {
			return nil, o.missing(f.k)
		}
		*f.v = v
	}
	return r, o.done()
}

// dist parses a number, {uniform: [lo, hi]} or {normal: [mean, sd]}.
func (d *dec) dist(node *yaml.Node, path string) (Dist, error) {
	n, err := d.resolve(node, path)
	if err != nil {
		return Dist{}, err
	}
	if n.Kind == yaml.ScalarNode {
		v, err := d.float(n, path)
		return Dist{Kind: DistConst, A: v}, err
	}
	o, err := d.object(n, path)
	if err != nil {
		return Dist{}, err
	}
	if len(o.keys) != 1 {
		return Dist{}, d.err(n, path, "must be a number, {uniform: [lo, hi]} or {normal: [mean, sd]}")
	}
	k := o.keys[0].Value
	vals, line, err := d.floats(o.get(k), o.sub(k), 2)
	if err != nil {
		return Dist{}, err
	}
	switch k {
	case DistUniform:
		if vals[0] > vals[1] {
			return Dist{}, errAt(d.file, line, o.sub(k), "lower bound %g is above upper bound %g", vals[0], vals[1])
		}
	case DistNormal:
		if vals[1] < 0 {
			return Dist{}, errAt(d.file, line, o.sub(k), "standard deviation must be >= 0, got %g", vals[1])
		}
	default:
		return Dist{}, d.err(o.keys[0], o.sub(k), "unknown distribution (want uniform or normal)")
	}
	return Dist{Kind: k, A: vals[0], B: vals[1]}, nil
}

func (d *dec) projection(node *yaml.Node, path string, n *Network, pops map[string]int) (*Projection, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	pr := &Projection{Line: o.node.Line}
	if pr.Pre, err = o.reqStr("pre"); err != nil {
		return nil, err
	}
	if pr.Post, err = o.reqStr("post"); err != nil {
		return nil, err
	}
	var ok bool
	if pr.PreIdx, ok = pops[pr.Pre]; !ok {
		return nil, d.err(o.get("pre"), o.sub("pre"), "no population named %q", pr.Pre)
	}
	if pr.PostIdx, ok = pops[pr.Post]; !ok {
		return nil, d.err(o.get("post"), o.sub("post"), "no population named %q", pr.Post)
	}
	if post := n.Populations[pr.PostIdx]; post.IsInput() {
		return nil, d.err(o.get("post"), o.sub("post"), "population %q is an input (%s) and cannot receive synapses", pr.Post, post.Kind)
	}
	name, ok, err := o.optStr("name")
	if err != nil {
		return nil, err
	}
	if !ok {
		name = pr.Pre + "->" + pr.Post
	}
	pr.Name = name
	pre, post := n.Populations[pr.PreIdx], n.Populations[pr.PostIdx]

	cn := o.get("connect")
	if cn == nil {
		return nil, o.missing("connect")
	}
	if err := d.connect(cn, o.sub("connect"), n, pre, post, &pr.Connect); err != nil {
		return nil, err
	}
	if wn := o.get("weight"); wn != nil {
		if pr.Weight, err = d.dist(wn, o.sub("weight")); err != nil {
			return nil, err
		}
		pr.HasWeight = true
	} else if pr.Connect.ListW == nil {
		return nil, o.missing("weight")
	}
	if sn := o.get("stdp"); sn != nil {
		if pr.STDP, err = d.stdp(sn, o.sub("stdp")); err != nil {
			return nil, err
		}
	}
	pr.Channel = ChannelEvent
	if ch, ok, err := o.optStr("channel"); err != nil {
		return nil, err
	} else if ok {
		cf := o.sub("channel")
		switch ch {
		case ChannelEvent:
		case ChannelBurst:
			if !pre.IsBurst() {
				return nil, d.err(o.get("channel"), cf, "burst projection from non-burst population '%s'", pre.Name)
			}
			if !post.IsBurst() {
				return nil, d.err(o.get("channel"), cf, "burst projection into non-burst population '%s'", post.Name)
			}
			if pr.STDP != nil {
				return nil, d.err(o.get("stdp"), o.sub("stdp"), "not allowed on a burst projection: burst synapses are static")
			}
			if o.has("bdsp") {
				return nil, d.err(o.get("bdsp"), o.sub("bdsp"), "not allowed on a burst projection: burst synapses are static")
			}
		default:
			return nil, d.err(o.get("channel"), cf, "unknown channel %q (want event or burst)", ch)
		}
		pr.Channel = ch
	}
	if zs, ok, err := o.optBool("zero_sum"); err != nil {
		return nil, err
	} else if ok && zs {
		if pr.Connect.Kind != ConnAllToAll {
			return nil, d.err(o.get("zero_sum"), o.sub("zero_sum"), "needs connect: all_to_all (every post neuron's weights are centred)")
		}
		pr.ZeroSum = true
	}
	if bn := o.get("bdsp"); bn != nil {
		if pr.STDP != nil {
			return nil, d.err(bn, o.sub("bdsp"), "cannot be combined with stdp (a synapse has one rule)")
		}
		if !post.IsBurst() {
			return nil, d.err(bn, o.sub("bdsp"), "needs a burst post population; %q is %s", post.Name, post.Kind)
		}
		if pr.BDSP, err = d.bdsp(bn, o.sub("bdsp")); err != nil {
			return nil, err
		}
	}
	return pr, o.done()
}

func (d *dec) connect(node *yaml.Node, path string, n *Network, pre, post *Population, c *Connect) error {
	node, err := d.resolve(node, path)
	if err != nil {
		return err
	}
	c.AllowSelf = pre != post // self-synapses within one population are opt-in
	if node.Kind == yaml.ScalarNode {
		switch node.Value {
		case ConnAllToAll:
			c.Kind = ConnAllToAll
			return nil
		case ConnOneToOne:
			c.Kind = ConnOneToOne
			return checkOneToOne(d, node, path, pre, post)
		}
		return d.err(node, path, "unknown connection %q (want all_to_all, one_to_one, {fixed_probability: p}, {list: ...} or {csv: file})", node.Value)
	}
	o, err := d.object(node, path)
	if err != nil {
		return err
	}
	if sn := o.get("seed"); sn != nil {
		s, err := d.integer(sn, o.sub("seed"), 0, 1<<62)
		if err != nil {
			return err
		}
		c.Seed, c.HasSeed = uint64(s), true
	}
	if an := o.get("allow_self"); an != nil {
		if c.AllowSelf, err = d.boolean(an, o.sub("allow_self")); err != nil {
			return err
		}
	}
	kinds := 0
	for _, k := range []string{ConnAllToAll, ConnOneToOne, ConnFixedProb, ConnList, ConnCSV} {
		if o.has(k) {
			kinds++
			c.Kind = k
		}
	}
	if kinds != 1 {
		return d.err(node, path, "must name exactly one of all_to_all, one_to_one, fixed_probability, list, csv")
	}
	switch c.Kind {
	case ConnAllToAll:
		// all_to_all: {allow_self: false} puts the options under the kind.
		v := o.get(ConnAllToAll)
		if v, err = d.resolve(v, o.sub(ConnAllToAll)); err != nil {
			return err
		}
		if v.Kind == yaml.MappingNode {
			ao, err := d.object(v, o.sub(ConnAllToAll))
			if err != nil {
				return err
			}
			if an := ao.get("allow_self"); an != nil {
				if c.AllowSelf, err = d.boolean(an, ao.sub("allow_self")); err != nil {
					return err
				}
			}
			if err := ao.done(); err != nil {
				return err
			}
		} else if v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
			if _, err := d.boolean(v, o.sub(ConnAllToAll)); err != nil {
				return err
			}
		}
	case ConnOneToOne:
		o.get(ConnOneToOne)
		if err := checkOneToOne(d, node, path, pre, post); err != nil {
			return err
		}
	case ConnFixedProb:
		if c.P, err = d.float(o.get(ConnFixedProb), o.sub(ConnFixedProb)); err != nil {
			return err
		}
		if c.P < 0 || c.P > 1 {
			return d.err(o.get(ConnFixedProb), o.sub(ConnFixedProb), "probability must be in [0, 1], got %g", c.P)
		}
	case ConnList:
		if err := d.connList(o.get(ConnList), o.sub(ConnList), pre, post, c); err != nil {
			return err
		}
	case ConnCSV:
		file, err := d.str(o.get(ConnCSV), o.sub(ConnCSV))
		if err != nil {
			return err
		}
		c.File = resolvePath(n.Dir, file)
		if err := readConnCSV(c.File, pre, post, c, d.file, o.line(ConnCSV), o.sub(ConnCSV)); err != nil {
			return err
		}
	}
	return o.done()
}

func checkOneToOne(d *dec, node *yaml.Node, path string, pre, post *Population) error {
	if pre.Size != post.Size {
		return d.err(node, path, "one_to_one needs equal sizes, but %q has %d and %q has %d", pre.Name, pre.Size, post.Name, post.Size)
	}
	return nil
}

func (d *dec) connList(node *yaml.Node, path string, pre, post *Population, c *Connect) error {
	items, err := d.list(node, path)
	if err != nil {
		return err
	}
	c.ListPre = make([]int32, len(items))
	c.ListPost = make([]int32, len(items))
	withW := 0
	for k, it := range items {
		f := path + "[" + strconv.Itoa(k) + "]"
		vals, line, err := d.floats(it, f, -1)
		if err != nil {
			return err
		}
		if len(vals) != 2 && len(vals) != 3 {
			return errAt(d.file, line, f, "must be [pre, post] or [pre, post, weight], got %d numbers", len(vals))
		}
		i, j := vals[0], vals[1]
		if i != float64(int(i)) || i < 0 || int(i) >= pre.Size {
			return errAt(d.file, line, f, "pre index %g outside population %q (size %d)", i, pre.Name, pre.Size)
		}
		if j != float64(int(j)) || j < 0 || int(j) >= post.Size {
			return errAt(d.file, line, f, "post index %g outside population %q (size %d)", j, post.Name, post.Size)
		}
		c.ListPre[k], c.ListPost[k] = int32(i), int32(j)
		if len(vals) == 3 {
			if c.ListW == nil {
				c.ListW = make([]float64, len(items))
			}
			c.ListW[k] = vals[2]
			withW++
		}
	}
	if withW != 0 && withW != len(items) {
		return d.err(node, path, "either every entry or none carries a weight (%d of %d do)", withW, len(items))
	}
	return nil
}

func (d *dec) stdp(node *yaml.Node, path string) (*STDP, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	s := &STDP{}
	for _, f := range []struct {
		k string
		v *float64
	}{{"a_plus", &s.APlus}, {"a_minus", &s.AMinus}, {"w_min", &s.WMin}, {"w_max", &s.WMax}} {
		if *f.v, err = o.reqFloat(f.k); err != nil {
			return nil, err
		}
	}
	if s.APlus < 0 {
		return nil, d.err(o.get("a_plus"), o.sub("a_plus"), "must be >= 0, got %g", s.APlus)
	}
	if s.AMinus < 0 {
		return nil, d.err(o.get("a_minus"), o.sub("a_minus"), "must be >= 0 (it is subtracted), got %g", s.AMinus)
	}
	if s.WMin > s.WMax {
		return nil, d.err(o.get("w_min"), o.sub("w_min"), "must be <= w_max (%g), got %g", s.WMax, s.WMin)
	}
	return s, o.done()
}

var popVars = map[string]bool{"spikes": true, "v": true, "i": true, "trace": true}

func (d *dec) probe(node *yaml.Node, path string, n *Network) (Probe, error) {
	o, err := d.object(node, path)
	if err != nil {
		return Probe{}, err
	}
	pb := Probe{Line: o.node.Line}
	popName, hasPop, err := o.optStr("population")
	if err != nil {
		return pb, err
	}
	projName, hasProj, err := o.optStr("projection")
	if err != nil {
		return pb, err
	}
	if hasPop == hasProj {
		return pb, d.err(node, path, "must name exactly one of population or projection")
	}
	vn := o.get("vars")
	if vn == nil {
		return pb, o.missing("vars")
	}
	vars, err := d.list(vn, o.sub("vars"))
	if err != nil {
		return pb, err
	}
	for k, v := range vars {
		f := fmt.Sprintf("%s[%d]", o.sub("vars"), k)
		s, err := d.str(v, f)
		if err != nil {
			return pb, err
		}
		if hasPop && !popVars[s] {
			return pb, d.err(v, f, "unknown population variable %q (want spikes, v, i or trace)", s)
		}
		if hasProj && s != "weights" {
			return pb, d.err(v, f, "unknown projection variable %q (want weights)", s)
		}
		pb.Vars = append(pb.Vars, s)
	}
	if hasProj {
		found := false
		for _, pr := range n.Projections {
			found = found || pr.Name == projName
		}
		if !found {
			return pb, d.err(o.get("projection"), o.sub("projection"), "no projection named %q", projName)
		}
		pb.Projection = projName
		return pb, o.done()
	}
	p := n.Population(popName)
	if p == nil {
		return pb, d.err(o.get("population"), o.sub("population"), "no population named %q", popName)
	}
	pb.Population = popName
	if nn := o.get("neurons"); nn != nil {
		items, err := d.list(nn, o.sub("neurons"))
		if err != nil {
			return pb, err
		}
		for k, it := range items {
			v, err := d.integer(it, fmt.Sprintf("%s[%d]", o.sub("neurons"), k), 0, int64(p.Size-1))
			if err != nil {
				return pb, err
			}
			pb.Neurons = append(pb.Neurons, int(v))
		}
	} else {
		for k := 0; k < p.Size; k++ {
			pb.Neurons = append(pb.Neurons, k)
		}
	}
	return pb, o.done()
}

func resolvePath(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// MaxPBarTau is the largest pbar_tau: log2 rounds to the largest pshift, 7.
const MaxPBarTau = 181

// apical parses an apical block; raw populations give ashift (LSB per LUT
// bin as a power of two) instead of slope, and voltages in LSB.
func (d *dec) apical(node *yaml.Node, path string, raw bool) (*Apical, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	a := &Apical{Line: o.node.Line, Mode: ModeThreshold, PBarTau: 16}
	if a.Tau, err = o.reqFloat("tau"); err != nil {
		return nil, err
	}
	if a.Tau <= 0 {
		return nil, d.err(o.get("tau"), o.sub("tau"), "must be > 0, got %g", a.Tau)
	}
	if a.Offset, err = o.reqFloat("offset"); err != nil {
		return nil, err
	}
	if raw {
		if o.has("slope") {
			return nil, d.err(o.get("slope"), o.sub("slope"), "not allowed for a raw population (give ashift: one LUT bin is 2^ashift LSB)")
		}
		sh, err := o.reqInt("ashift", 0, 15)
		if err != nil {
			return nil, err
		}
		a.AShift = int(sh)
	} else {
		if o.has("ashift") {
			return nil, d.err(o.get("ashift"), o.sub("ashift"), "only for raw populations (give slope)")
		}
		if a.Slope, err = o.reqFloat("slope"); err != nil {
			return nil, err
		}
		if a.Slope <= 0 {
			return nil, d.err(o.get("slope"), o.sub("slope"), "must be > 0 (per mV), got %g", a.Slope)
		}
	}
	if v, ok, err := o.optFloat("pbar_init"); err != nil {
		return nil, err
	} else if ok {
		if v < 0 || v > 1 {
			return nil, d.err(o.get("pbar_init"), o.sub("pbar_init"), "must be in 0..1, got %g", v)
		}
		a.PBarInit = v
	}
	if m, ok, err := o.optStr("mode"); err != nil {
		return nil, err
	} else if ok {
		if m != ModeThreshold && m != ModeStochastic {
			return nil, d.err(o.get("mode"), o.sub("mode"), "unknown mode %q (want threshold or stochastic)", m)
		}
		a.Mode = m
	}
	if v, ok, err := o.optFloat("pbar_tau"); err != nil {
		return nil, err
	} else if ok {
		if v < 1 || v > MaxPBarTau {
			return nil, d.err(o.get("pbar_tau"), o.sub("pbar_tau"), "must be in 1..%d events, got %g", MaxPBarTau, v)
		}
		a.PBarTau = v
	}
	if a.Teach, _, err = o.optFloat("teach"); err != nil {
		return nil, err
	}
	if a.Teach != 0 {
		a.Line = o.line("teach")
	}
	return a, o.done()
}

func (d *dec) bdsp(node *yaml.Node, path string) (*BDSP, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	b := &BDSP{}
	for _, f := range []struct {
		k string
		v *float64
	}{{"eta", &b.Eta}, {"w_min", &b.WMin}, {"w_max", &b.WMax}} {
		if *f.v, err = o.reqFloat(f.k); err != nil {
			return nil, err
		}
	}
	if v, ok, err := o.optBool("fraction"); err != nil {
		return nil, err
	} else if ok {
		b.Fraction = v
	}
	if b.Eta < 0 {
		return nil, d.err(o.get("eta"), o.sub("eta"), "must be >= 0, got %g", b.Eta)
	}
	if b.WMin > b.WMax {
		return nil, d.err(o.get("w_min"), o.sub("w_min"), "must be <= w_max (%g), got %g", b.WMax, b.WMin)
	}
	return b, o.done()
}

func (d *dec) teacher(node *yaml.Node, path string, n *Network) (*Teacher, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	t := &Teacher{Line: o.node.Line}
	if t.Population, err = o.reqStr("population"); err != nil {
		return nil, err
	}
	if t.Dataset, err = o.reqStr("dataset"); err != nil {
		return nil, err
	}
	if t.On, err = o.reqFloat("on"); err != nil {
		return nil, err
	}
	if t.Off, _, err = o.optFloat("off"); err != nil {
		return nil, err
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	pf := o.sub("population")
	p := n.Population(t.Population)
	if p == nil {
		return nil, d.err(o.get("population"), pf, "no population named %q", t.Population)
	}
	for k := range n.Populations {
		if n.Populations[k] == p {
			t.PopIdx = k
		}
	}
	if !p.IsBurst() {
		return nil, d.err(o.get("population"), pf, "population %q is %s; teaching inputs need burst units", p.Name, p.Kind)
	}
	if msg := n.hiddenLayer(t.PopIdx); msg != "" {
		return nil, d.err(o.get("population"), pf, "teaching inputs on hidden layers are not allowed: %s", msg)
	}
	ds := n.Dataset(t.Dataset)
	if ds == nil {
		return nil, d.err(o.get("dataset"), o.sub("dataset"), "no dataset named %q", t.Dataset)
	}
	if p.Size != ds.Classes {
		return nil, d.err(o.get("population"), pf, "population %q has %d neurons but dataset %q has %d classes", p.Name, p.Size, ds.Name, ds.Classes)
	}
	t.InputIdx = -1
	for k, q := range n.Populations {
		if q.Kind == KindDatasetInput && q.Dataset == t.Dataset {
			t.InputIdx = k
			break
		}
	}
	if t.InputIdx < 0 {
		return nil, d.err(o.get("dataset"), o.sub("dataset"), "no dataset_input population presents dataset %q", t.Dataset)
	}
	return t, nil
}

// hiddenLayer explains why burst population k is a hidden layer (it feeds
// another burst population through an event projection), or returns "".
func (n *Network) hiddenLayer(k int) string {
	for i, pr := range n.Projections {
		if pr.PreIdx == k && pr.PostIdx != k && !pr.IsBurst() && n.Populations[pr.PostIdx].IsBurst() {
			return fmt.Sprintf("%q feeds burst population %q through event projection %q (projections[%d])",
				n.Populations[k].Name, pr.Post, pr.Name, i)
		}
	}
	return ""
}
