// Package inspect describes a compiled image for people (text tables) and
// programs (the JSON of ncx inspect --json): header, populations,
// projections, rules, memory use against the profile, probes, stimulus, and
// chosen neurons and synapse words in physical units.
package inspect

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/errw"
	"github.com/ncx-project/ncx/run/output"
)

// ProfileInfo is a profile with its capacities.
type ProfileInfo struct {
	core.Profile
	Neurons  int `json:"neurons"`
	Synapses int `json:"synapses"`
	FanIn    int `json:"fan_in"`
}

// RuleInfo is one plasticity rule in use.
type RuleInfo struct {
	Index       int      `json:"index"`
	Kind        string   `json:"kind"`               // stdp or bdsp
	Fraction    bool     `json:"fraction,omitempty"` // BDSP weights keep 8 fraction bits (rule_frac)
	core.Rule            // aplus, aminus, wmin, wmax
	Synapses    int      `json:"synapses"`
	Projections []string `json:"projections,omitempty"`
}

// StimulusInfo summarises the stored input spikes.
type StimulusInfo struct {
	Spikes      int            `json:"spikes"`
	Neurons     int            `json:"neurons"` // distinct neurons
	FirstStep   int            `json:"first_step"`
	LastStep    int            `json:"last_step"`
	Populations map[string]int `json:"populations,omitempty"` // spikes per population
}

// NeuronInfo is one neuron's parameters and initial state.
type NeuronInfo struct {
	ID         int      `json:"id"`
	Population string   `json:"population"`
	Thr        int32    `json:"thr"`
	VReset     int32    `json:"vreset"`
	RSub       bool     `json:"rsub,omitempty"` // resets by subtraction (vreset unused)
	Bias       int32    `json:"bias"`
	ThrMV      *float64 `json:"thr_mv,omitempty"`
	VResetMV   *float64 `json:"vreset_mv,omitempty"`
	BiasMV     *float64 `json:"bias_mv,omitempty"`
	DV         uint16   `json:"dv"`
	DI         uint16   `json:"di"`
	TauMemMs   *float64 `json:"tau_mem_ms,omitempty"` // absent: no decay
	TauSynMs   *float64 `json:"tau_syn_ms,omitempty"`
	TRef       uint8    `json:"tref"`
	TrShift    uint8    `json:"tr_shift"`
	TrTauMs    float64  `json:"trace_tau_ms"`
	TrInc      uint8    `json:"tr_inc"`
	V          int32    `json:"v"`
	I          int32    `json:"i"`
	VMV        *float64 `json:"v_mv,omitempty"`
	IMV        *float64 `json:"i_mv,omitempty"`
	Ref        uint8    `json:"ref"`
	Trace      uint8    `json:"trace"`
	FanOut     uint32   `json:"fan_out"`
	FanIn      uint32   `json:"plastic_fan_in"`
}

// SynapseInfo is one synapse word.
type SynapseInfo struct {
	Address    int      `json:"address"`
	Pre        int32    `json:"pre"`
	Post       uint32   `json:"post"`
	Projection string   `json:"projection,omitempty"`
	Rule       uint8    `json:"rule"`
	WExp       uint8    `json:"wexp"`
	W          int8     `json:"weight_raw"`
	WPhys      *float64 `json:"weight_physical,omitempty"`
	Contrib    int32    `json:"contribution"`              // w << wexp, LSB of the target's i
	ContribMV  *float64 `json:"contribution_mv,omitempty"` // the same in mV
}

// Info is the description of an image; its JSON form is the output of
// `ncx inspect --json`.
type Info struct {
	File        string            `json:"file"`
	Format      int               `json:"format"`
	CoreVersion int               `json:"core_version"`
	Name        string            `json:"name"`
	Source      string            `json:"source,omitempty"`
	DtMs        float64           `json:"dt_ms"`
	Steps       int               `json:"steps"`
	Seed        uint64            `json:"seed"`
	Profile     ProfileInfo       `json:"profile"`
	Populations []core.Population `json:"populations"`
	Projections []core.Projection `json:"projections"`
	Rules       []RuleInfo        `json:"rules"`
	Usage       []ResourceUse     `json:"usage"`
	BurstUnits  int               `json:"burst_units"`
	Probes      []core.Probe      `json:"probes,omitempty"`
	Stimulus    StimulusInfo      `json:"stimulus"`
	Neurons     []NeuronInfo      `json:"neurons,omitempty"`
	Synapses    []SynapseInfo     `json:"synapses,omitempty"`
}

func fptr(v float64) *float64 { return &v }

// tauMs turns a decay multiplier into a time constant (compiler.TauOf);
// nil means no decay.
func tauMs(m uint16, dt float64) *float64 {
	switch {
	case m >= core.DecayOne:
		return nil
	case dt <= 0:
		return fptr(0)
	}
	return fptr(compiler.TauOf(dt, m))
}

// Describe describes image im read from path, with the neurons nlo..nhi-1
// and the synapse words slo..shi-1 listed row by row (empty ranges list
// none).
func Describe(path string, im *core.Image, nlo, nhi, slo, shi int) *Info {
	m := &im.Meta
	p := im.Profile
	info := &Info{
		File: path, Format: core.ImageFormat, CoreVersion: core.CoreVersion,
		Name: m.Name, Source: m.Source, DtMs: m.DtMs, Steps: m.Steps, Seed: m.Seed,
		Profile:     NewProfileInfo(p),
		Populations: m.Populations, Projections: m.Projections, Probes: m.Probes,
		Usage: Usage(im),
	}
	if info.Populations == nil {
		info.Populations = []core.Population{}
	}
	if info.Projections == nil {
		info.Projections = []core.Projection{}
	}
	if im.Burst != nil {
		for _, b := range im.Burst.Params {
			if b.BU {
				info.BurstUnits++
			}
		}
	}
	ruleSyn := make([]int, core.NumRules)
	for _, s := range im.Syn {
		ruleSyn[s.Rule]++
	}
	for r, rl := range im.Rules {
		if r == 0 || (rl == core.Rule{} && ruleSyn[r] == 0) {
			continue
		}
		ri := RuleInfo{Index: r, Kind: "stdp", Rule: rl, Synapses: ruleSyn[r]}
		if im.Burst != nil && im.Burst.IsBDSP(uint8(r)) {
			ri.Kind = "bdsp"
			ri.Fraction = im.Burst.HasFrac(uint8(r))
		}
		for _, pj := range m.Projections {
			if int(pj.Rule) == r {
				ri.Projections = append(ri.Projections, pj.Name)
			}
		}
		info.Rules = append(info.Rules, ri)
	}
	if info.Rules == nil {
		info.Rules = []RuleInfo{}
	}

	popOf := make([]int, im.NumNeurons) // population index, -1 for none
	for n := range popOf {
		popOf[n] = -1
	}
	for k, pop := range m.Populations {
		for n := max(pop.First, 0); n < pop.First+pop.Count && n < len(popOf); n++ {
			popOf[n] = k
		}
	}
	popName := func(n int) string {
		if n >= 0 && n < len(popOf) && popOf[n] >= 0 {
			return m.Populations[popOf[n]].Name
		}
		return ""
	}
	vscale := func(n int) float64 {
		if n >= 0 && n < len(popOf) && popOf[n] >= 0 {
			return m.Populations[popOf[n]].VScale
		}
		return 0
	}

	st := StimulusInfo{FirstStep: -1, LastStep: -1}
	if len(m.Stimulus) > 0 {
		seen := map[uint32]bool{}
		st.Populations = map[string]int{}
		st.FirstStep, st.LastStep = math.MaxInt, 0
		for _, s := range m.Stimulus {
			seen[s.Neuron] = true
			st.FirstStep = min(st.FirstStep, int(s.Step))
			st.LastStep = max(st.LastStep, int(s.Step))
			st.Populations[popName(int(s.Neuron))]++
		}
		st.Spikes, st.Neurons = len(m.Stimulus), len(seen)
	}
	info.Stimulus = st

	for n := nlo; n < nhi; n++ {
		q, s := im.Params[n], im.State[n]
		ni := NeuronInfo{
			ID: n, Population: popName(n), Thr: q.Thr, VReset: q.VReset, RSub: q.RSub, Bias: q.Bias,
			DV: q.DV, DI: q.DI, TauMemMs: tauMs(q.DV, m.DtMs), TauSynMs: tauMs(q.DI, m.DtMs),
			TRef: q.TRef, TrShift: q.TrShift, TrTauMs: compiler.TraceTau(m.DtMs, q.TrShift), TrInc: q.TrInc,
			V: s.V, I: s.I, Ref: s.Ref, Trace: im.Trace[n],
			FanOut: im.Fanout[n].FoCnt, FanIn: im.Fanout[n].FiCnt,
		}
		if math.IsInf(ni.TrTauMs, 0) || math.IsNaN(ni.TrTauMs) {
			ni.TrTauMs = 0
		}
		if vs := vscale(n); vs != 0 {
			ni.ThrMV, ni.VResetMV, ni.BiasMV = fptr(float64(q.Thr)*vs), fptr(float64(q.VReset)*vs), fptr(float64(q.Bias)*vs)
			ni.VMV, ni.IMV = fptr(float64(s.V)*vs), fptr(float64(s.I)*vs)
		}
		info.Neurons = append(info.Neurons, ni)
	}

	if shi > slo {
		src := output.SynapseSources(im)
		for a := slo; a < shi; a++ {
			s := im.Syn[a]
			si := SynapseInfo{Address: a, Pre: src[a], Post: s.Tgt, Rule: s.Rule, WExp: s.WExp, W: s.W, Contrib: int32(s.W) << s.WExp}
			if a < len(m.SynProj) && int(m.SynProj[a]) < len(m.Projections) {
				pj := m.Projections[m.SynProj[a]]
				si.Projection = pj.Name
				if pj.WScale != 0 {
					si.WPhys = fptr(float64(s.W) * pj.WScale)
				}
			}
			if vs := vscale(int(s.Tgt)); vs != 0 {
				si.ContribMV = fptr(float64(si.Contrib) * vs)
			}
			info.Synapses = append(info.Synapses, si)
		}
	}
	return info
}

// phys renders a value in mV when known, else the raw value.
func phys(mv *float64, raw int64) string {
	if mv != nil {
		return strconv.FormatFloat(*mv, 'f', 3, 64)
	}
	return strconv.FormatInt(raw, 10)
}

func optMs(v *float64) string {
	if v == nil {
		return "∞"
	}
	return strconv.FormatFloat(*v, 'g', 4, 64)
}

// WriteText renders the description as text tables.
func (info *Info) WriteText(w io.Writer, im *core.Image) error {
	ew := errTrack{errw.New(w)}
	p := info.Profile
	ew.Printf("image %s: %q, format %d, core version %d\n", info.File, info.Name, info.Format, info.CoreVersion)
	if info.Source != "" {
		ew.Printf("compiled from %s, seed %d\n", info.Source, info.Seed)
	}
	ew.Printf("dt %g ms, %d steps (%s ms)\n", info.DtMs, info.Steps, output.FormatMs(float64(info.Steps)*info.DtMs))
	ew.Printf("profile %s (%s): %d neurons, %d synapse words, %d fan-in words, VW %d bits, clock %g MHz\n",
		p.Name, p.Target, p.Neurons, p.Synapses, p.FanIn, p.VW, p.ClockHz/1e6)

	ew.Printf("\npopulations\n")
	tw := ew.table()
	ew.row(tw, "name", "kind", "first", "count", "vscale (mV/LSB)")
	for _, pop := range info.Populations {
		vs := "raw"
		if pop.VScale != 0 {
			vs = strconv.FormatFloat(pop.VScale, 'g', 4, 64)
		}
		ew.row(tw, pop.Name, pop.Kind, strconv.Itoa(pop.First), strconv.Itoa(pop.Count), vs)
	}
	ew.flush(tw)

	ew.Printf("\nprojections\n")
	tw = ew.table()
	ew.row(tw, "name", "pre", "post", "count", "rule", "wexp", "scale (units/LSB)")
	for _, pj := range info.Projections {
		ew.row(tw, pj.Name, pj.Pre, pj.Post, strconv.Itoa(pj.Count), strconv.Itoa(int(pj.Rule)), strconv.Itoa(int(pj.WExp)), strconv.FormatFloat(pj.WScale, 'g', 4, 64))
	}
	ew.flush(tw)

	ew.Printf("\nplasticity rules\n")
	if len(info.Rules) == 0 {
		ew.Printf("  none (all synapses static)\n")
	} else {
		tw = ew.table()
		ew.row(tw, "rule", "kind", "aplus", "aminus", "wmin", "wmax", "synapses", "projections")
		for _, r := range info.Rules {
			kind := r.Kind
			if r.Fraction {
				kind += "+frac"
			}
			ew.row(tw, strconv.Itoa(r.Index), kind, strconv.Itoa(int(r.APlus)), strconv.Itoa(int(r.AMinus)), strconv.Itoa(int(r.WMin)), strconv.Itoa(int(r.WMax)), strconv.Itoa(r.Synapses), strings.Join(r.Projections, ","))
		}
		ew.flush(tw)
	}

	ew.Printf("\nusage\n")
	if ew.Err() == nil {
		ew.Keep(WriteUsage(w, im))
	}
	if info.BurstUnits > 0 {
		ew.Printf("burst units: %d\n", info.BurstUnits)
	}

	if len(info.Probes) > 0 {
		ew.Printf("\nprobes\n")
		for _, pr := range info.Probes {
			what := pr.Population
			if pr.Projection != "" {
				what = "projection " + pr.Projection
			}
			n := ""
			if len(pr.Neurons) > 0 {
				n = fmt.Sprintf(" (%d neurons)", len(pr.Neurons))
			}
			ew.Printf("  %s%s: %s\n", what, n, strings.Join(pr.Vars, ", "))
		}
	}

	st := info.Stimulus
	ew.Printf("\nstimulus\n")
	if st.Spikes == 0 {
		ew.Printf("  none\n")
	} else {
		ew.Printf("  %d spikes on %d neurons, steps %d..%d\n", st.Spikes, st.Neurons, st.FirstStep, st.LastStep)
		names := make([]string, 0, len(st.Populations))
		for name := range st.Populations {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			label := name
			if label == "" {
				label = "(no population)"
			}
			ew.Printf("  %s: %d\n", label, st.Populations[name])
		}
	}

	if len(info.Neurons) > 0 {
		ew.Printf("\nneurons (voltages in mV above rest where the scale is known, else raw; times in ms)\n")
		tw = ew.table()
		ew.row(tw, "id", "pop", "thr", "vreset", "bias", "tau_mem", "tau_syn", "tref", "tr_tau", "tr_inc", "v", "i", "ref", "trace", "fan-out", "fan-in")
		for _, n := range info.Neurons {
			vreset := phys(n.VResetMV, int64(n.VReset))
			if n.RSub {
				vreset = "v−thr"
			}
			ew.row(tw, strconv.Itoa(n.ID), n.Population, phys(n.ThrMV, int64(n.Thr)), vreset, phys(n.BiasMV, int64(n.Bias)),
				optMs(n.TauMemMs), optMs(n.TauSynMs), fmt.Sprintf("%d (%g ms)", n.TRef, float64(n.TRef)*info.DtMs),
				strconv.FormatFloat(n.TrTauMs, 'g', 4, 64), strconv.Itoa(int(n.TrInc)),
				phys(n.VMV, int64(n.V)), phys(n.IMV, int64(n.I)), strconv.Itoa(int(n.Ref)), strconv.Itoa(int(n.Trace)),
				strconv.Itoa(int(n.FanOut)), strconv.Itoa(int(n.FanIn)))
		}
		ew.flush(tw)
	}
	if len(info.Synapses) > 0 {
		ew.Printf("\nsynapses\n")
		tw = ew.table()
		ew.row(tw, "address", "pre", "post", "projection", "rule", "wexp", "w", "weight", "w<<wexp", "mV")
		for _, s := range info.Synapses {
			wp, cm := "", ""
			if s.WPhys != nil {
				wp = strconv.FormatFloat(*s.WPhys, 'g', 5, 64)
			}
			if s.ContribMV != nil {
				cm = strconv.FormatFloat(*s.ContribMV, 'f', 3, 64)
			}
			ew.row(tw, strconv.Itoa(s.Address), strconv.Itoa(int(s.Pre)), strconv.Itoa(int(s.Post)), s.Projection,
				strconv.Itoa(int(s.Rule)), strconv.Itoa(int(s.WExp)), strconv.Itoa(int(s.W)), wp, strconv.Itoa(int(s.Contrib)), cm)
		}
		ew.flush(tw)
	}
	return ew.Err()
}

// errTrack writes lines and tables, keeping the first error.
type errTrack struct{ *errw.Writer }

// table is a tabwriter whose Flush writes through e, so its errors stick.
func (e errTrack) table() *tabwriter.Writer {
	return tabwriter.NewWriter(e.Writer, 0, 0, 2, ' ', tabwriter.AlignRight)
}

func (e errTrack) row(tw *tabwriter.Writer, cells ...string) {
	if e.Err() == nil {
		_, err := fmt.Fprintf(tw, "  %s\t\n", strings.Join(cells, "\t"))
		e.Keep(err)
	}
}

func (e errTrack) flush(tw *tabwriter.Writer) { e.Keep(tw.Flush()) }

// ResourceUse is how much of one core memory an image uses.
type ResourceUse struct {
	Resource string  `json:"resource"`
	Used     int     `json:"used"`
	Capacity int     `json:"capacity"`
	Percent  float64 `json:"percent"`
}

// Usage lists the image's use of neurons, synapse words and plastic
// fan-in words against its profile's capacity.
func Usage(im *core.Image) []ResourceUse {
	p := im.Profile
	row := func(name string, used, capacity int) ResourceUse {
		return ResourceUse{Resource: name, Used: used, Capacity: capacity, Percent: 100 * float64(used) / float64(capacity)}
	}
	return []ResourceUse{
		row("neurons", im.NumNeurons, p.Neurons()),
		row("synapses", len(im.Syn), p.Synapses()),
		row("fan-in", len(im.Rev), p.FanIn()),
	}
}

// maxFanIn is the largest number of synapse words targeting one neuron.
func maxFanIn(im *core.Image) int {
	in := make([]int, im.NumNeurons)
	best := 0
	for _, s := range im.Syn {
		if int(s.Tgt) < len(in) {
			in[s.Tgt]++
			best = max(best, in[s.Tgt])
		}
	}
	return best
}

// maxFanOut is the longest fan-out row.
func maxFanOut(im *core.Image) int {
	best := 0
	for _, f := range im.Fanout {
		best = max(best, int(f.FoCnt))
	}
	return best
}

// WriteUsage writes the usage table and the longest rows.
func WriteUsage(w io.Writer, im *core.Image) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "resource\tused\tcapacity\tused %%\t\n")
	for _, u := range Usage(im) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\t\n", u.Resource, u.Used, u.Capacity, u.Percent)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "largest fan-out row %d synapses, largest fan-in %d synapses per neuron\n", maxFanOut(im), maxFanIn(im))
	return err
}

// NewProfileInfo is p with its capacities.
func NewProfileInfo(p core.Profile) ProfileInfo {
	return ProfileInfo{Profile: p, Neurons: p.Neurons(), Synapses: p.Synapses(), FanIn: p.FanIn()}
}

// Profiles lists the built-in profiles from smallest to largest.
func Profiles() []ProfileInfo {
	var list []ProfileInfo
	for _, n := range core.ProfileNames() {
		list = append(list, NewProfileInfo(core.Profiles[n]))
	}
	return list
}

// WriteProfiles renders the built-in profiles as a table.
func WriteProfiles(w io.Writer) error {
	ew := errTrack{errw.New(w)}
	tw := ew.table()
	ew.row(tw, "name", "neurons", "synapses", "fan-in", "NB", "SB", "RB", "VW", "burst", "clock MHz", "target")
	for _, p := range Profiles() {
		burst := "no"
		if p.Burst {
			burst = "yes"
		}
		ew.row(tw, p.Name, strconv.Itoa(p.Neurons), strconv.Itoa(p.Synapses), strconv.Itoa(p.FanIn),
			fmt.Sprint(p.NB), fmt.Sprint(p.SB), fmt.Sprint(p.RB), fmt.Sprint(p.VW), burst, strconv.FormatFloat(p.ClockHz/1e6, 'g', 4, 64), p.Target)
	}
	ew.flush(tw)
	return ew.Err()
}
