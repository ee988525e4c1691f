package compiler

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/errw"
	"github.com/ncx-project/ncx/network"
)

// Report tells how a network was lowered and how faithful the hardware
// values are to the requested ones. It marshals to JSON as is.
type Report struct {
	Network         string             `json:"network"`
	Source          string             `json:"source"`
	Profile         string             `json:"profile"`
	DtMs            float64            `json:"dt_ms"`
	Steps           int                `json:"steps"`
	Seed            uint64             `json:"seed"`
	Neurons         int                `json:"neurons"`
	Synapses        int                `json:"synapses"`
	PlasticSynapses int                `json:"plastic_synapses"`
	BurstSynapses   int                `json:"burst_synapses,omitempty"` // words in burst rows (included in Synapses)
	StimulusSpikes  int                `json:"stimulus_spikes"`
	Capacity        Capacity           `json:"capacity"`
	Populations     []PopulationReport `json:"populations"`
	Projections     []ProjectionReport `json:"projections"`
	Rules           []RuleReport       `json:"rules,omitempty"`
	// CommonWExp is set when Options.CommonWExp gave every projection one
	// weight exponent.
	CommonWExp *CommonWExpReport `json:"common_wexp,omitempty"`
	// BurstPopulations describes the apical compartment of each burst
	// population; Teacher the lowered teaching input.
	BurstPopulations []BurstReport  `json:"burst_populations,omitempty"`
	Teacher          *TeacherReport `json:"teacher,omitempty"`
	Warnings         []string       `json:"warnings,omitempty"`
}

// Capacity is the size of the target profile.
type Capacity struct {
	Neurons  int `json:"neurons"`
	Synapses int `json:"synapses"`
	FanIn    int `json:"fan_in"`
}

// ParamReport compares one requested value with what the hardware does.
type ParamReport struct {
	Name      string  `json:"name"`
	Unit      string  `json:"unit,omitempty"`
	Requested float64 `json:"requested"`
	Hardware  float64 `json:"hardware"` // the hardware value converted back to the requested units
	Raw       int64   `json:"raw"`      // the register value
	RelErr    float64 `json:"rel_err"`  // |hardware - requested| / |requested| (absolute if requested is 0)
	Note      string  `json:"note,omitempty"`
}

// PopulationReport describes one lowered population.
type PopulationReport struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	First  int     `json:"first"`
	Size   int     `json:"size"`
	VScale float64 `json:"vscale_mv_per_lsb,omitempty"`
	Raw    bool    `json:"raw,omitempty"`
	// Reset is "subtract" for a population that resets by subtraction,
	// empty for the default reset to v_reset.
	Reset string `json:"reset,omitempty"`
	// WeightLimited is true when vscale was made coarser than the voltages
	// need so that the largest incoming weight fits in 127<<7 LSB.
	WeightLimited bool          `json:"weight_limited,omitempty"`
	Params        []ParamReport `json:"params,omitempty"`
}

// HistBins is the number of bins of the weight quantisation histograms,
// which cover -0.5..+0.5 LSB of w.
const HistBins = 10

// ProjectionReport describes one lowered projection's weights.
type ProjectionReport struct {
	Name    string  `json:"name"`
	Pre     string  `json:"pre"`
	Post    string  `json:"post"`
	Channel string  `json:"channel,omitempty"` // event or burst
	Count   int     `json:"count"`
	WExp    uint8   `json:"wexp"`
	WScale  float64 `json:"wscale"` // physical units per LSB of w
	Rule    uint8   `json:"rule"`
	// Relative weight error |w_hw - w| / |w| over synapses with w != 0.
	MaxRelErr  float64 `json:"max_rel_err"`
	MeanRelErr float64 `json:"mean_rel_err"`
	// Hist counts the quantisation error (w_hw - w in LSB of w) of each
	// synapse in HistBins equal bins over [-0.5, 0.5]; saturated weights are
	// counted in Saturated instead.
	Hist      []int `json:"hist"`
	Saturated int   `json:"saturated"`

	sumRel float64
	nRel   int
}

// BurstReport describes the lowered apical compartment of a burst population.
type BurstReport struct {
	Name   string `json:"name"`
	Mode   string `json:"mode"`
	AShift uint8  `json:"ashift"`
	PShift uint8  `json:"pshift"`
	// LUTMaxErr is the largest |hardware − float| burst probability over
	// apical voltages within 40 LUT bins of the offset.
	LUTMaxErr float64       `json:"lut_max_err"`
	Params    []ParamReport `json:"params"`
}

// TeacherReport describes the lowered teacher: its on and off values.
type TeacherReport struct {
	Population string        `json:"population"`
	Dataset    string        `json:"dataset"`
	Params     []ParamReport `json:"params"`
}

// RuleReport describes one plasticity rule word.
type RuleReport struct {
	Index       int           `json:"index"`
	Kind        string        `json:"kind,omitempty"`     // "stdp" or "bdsp" (rule_kind bit set)
	Fraction    bool          `json:"fraction,omitempty"` // BDSP weights keep 8 fraction bits (rule_frac bit set)
	Rule        core.Rule     `json:"rule"`
	Projections []string      `json:"projections"`
	Params      []ParamReport `json:"params"`
}

func newProjReport(pr *network.Projection, pl *projLowering) *ProjectionReport {
	return &ProjectionReport{Name: pr.Name, Pre: pr.Pre, Post: pr.Post, Count: pl.count, WExp: pl.wexp,
		WScale: pl.wscale, Rule: pl.rule, Hist: make([]int, HistBins)}
}

// observe records one synapse: w requested, x its exact value in LSB of w,
// q the stored value.
func (r *ProjectionReport) observe(w, x, q, wscale float64) {
	d := q - x
	if d > 0.5 || d < -0.5 {
		r.Saturated++
	} else {
		b := int((d + 0.5) * HistBins)
		if b >= HistBins {
			b = HistBins - 1
		}
		r.Hist[b]++
	}
	if w != 0 {
		rel := math.Abs(q*wscale-w) / math.Abs(w)
		r.sumRel += rel
		r.nRel++
		if rel > r.MaxRelErr {
			r.MaxRelErr = rel
		}
	}
}

func (r *ProjectionReport) finish() ProjectionReport {
	if r.nRel > 0 {
		r.MeanRelErr = r.sumRel / float64(r.nRel)
	}
	return *r
}

// FitError says that a network does not fit its target profile, and which
// populations or projections are responsible.
type FitError struct {
	Profile string
	// Each overflow names a resource (neurons, synapses, plastic synapses),
	// the amount needed, the capacity and the largest contributors.
	Overflows []Overflow
}

// Overflow is one resource that is exceeded.
type Overflow struct {
	Resource    string
	Need, Have  int
	Approximate bool // Need is an expectation (the network was too big to count)
	Largest     []Contributor
}

// Contributor is a population or projection and how much it uses.
type Contributor struct {
	Name  string
	Count int
}

func (e *FitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "does not fit profile %s: ", e.Profile)
	for i, o := range e.Overflows {
		if i > 0 {
			b.WriteString("; ")
		}
		approx := ""
		if o.Approximate {
			approx = "about "
		}
		fmt.Fprintf(&b, "%s %s%s > capacity %s (over by %s%s)", o.Resource, approx, thousands(o.Need), thousands(o.Have), approx, thousands(o.Need-o.Have))
		if len(o.Largest) > 0 {
			kind := "projections"
			if o.Resource == "neurons" {
				kind = "populations"
			}
			fmt.Fprintf(&b, "; largest %s: ", kind)
			for j, c := range o.Largest {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%s %s", c.Name, thousands(c.Count))
			}
		}
	}
	return b.String()
}

func largest(cs []Contributor, n int) []Contributor {
	cs = slices.Clone(cs)
	slices.SortStableFunc(cs, func(a, b Contributor) int { return b.Count - a.Count })
	for len(cs) > 0 && cs[len(cs)-1].Count == 0 {
		cs = cs[:len(cs)-1]
	}
	if len(cs) > n {
		cs = cs[:n]
	}
	return cs
}

func neuronFitError(net *network.Network, prof core.Profile, n int) *FitError {
	var cs []Contributor
	for _, p := range net.Populations {
		cs = append(cs, Contributor{p.Name, p.Size})
	}
	return &FitError{Profile: prof.Name, Overflows: []Overflow{{Resource: "neurons", Need: n, Have: prof.Neurons(), Largest: largest(cs, 4)}}}
}

func synapseFitError(net *network.Network, prof core.Profile, counts []int, plastic int, approx bool) *FitError {
	e := &FitError{Profile: prof.Name}
	var all, pl []Contributor
	total := 0
	for k, pr := range net.Projections {
		all = append(all, Contributor{pr.Name, counts[k]})
		total += counts[k]
		if pr.Plastic() {
			pl = append(pl, Contributor{pr.Name, counts[k]})
			if approx {
				plastic += counts[k]
			}
		}
	}
	if total > prof.Synapses() {
		e.Overflows = append(e.Overflows, Overflow{Resource: "synapses", Need: total, Have: prof.Synapses(), Approximate: approx, Largest: largest(all, 4)})
	}
	if plastic > prof.FanIn() {
		e.Overflows = append(e.Overflows, Overflow{Resource: "plastic synapses", Need: plastic, Have: prof.FanIn(), Approximate: approx, Largest: largest(pl, 4)})
	}
	return e
}

// thousands formats n with comma separators: 41212 -> "41,212".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// WriteText prints the report as human-readable tables.
func (r *Report) WriteText(w io.Writer) error {
	ew := errw.New(w)
	ew.Printf("network %s (%s) -> profile %s\n", r.Network, r.Source, r.Profile)
	ew.Printf("dt %g ms, %d steps, seed %d, %s stimulus spikes\n", r.DtMs, r.Steps, r.Seed, thousands(r.StimulusSpikes))
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(b) }
	ew.Printf("neurons %s / %s (%.1f%%), synapses %s / %s (%.1f%%), plastic %s / %s (%.1f%%)\n\n",
		thousands(r.Neurons), thousands(r.Capacity.Neurons), pct(r.Neurons, r.Capacity.Neurons),
		thousands(r.Synapses), thousands(r.Capacity.Synapses), pct(r.Synapses, r.Capacity.Synapses),
		thousands(r.PlasticSynapses), thousands(r.Capacity.FanIn), pct(r.PlasticSynapses, r.Capacity.FanIn))

	if r.BurstSynapses > 0 {
		ew.Printf("burst-row synapse words %s (included above)\n\n", thousands(r.BurstSynapses))
	}
	tw := tabwriter.NewWriter(ew, 2, 8, 2, ' ', tabwriter.AlignRight)
	ew.Printf("populations\n")
	fmt.Fprintf(tw, "name\tkind\tneurons\tparam\trequested\thardware\traw\trel.err\t\n")
	for _, p := range r.Populations {
		ids := fmt.Sprintf("%d..%d", p.First, p.First+p.Size-1)
		kind := p.Kind
		if p.Raw {
			kind += " (raw)"
		}
		if p.Reset != "" {
			kind += " reset " + p.Reset
		}
		if p.VScale != 0 {
			kind += fmt.Sprintf(" %.3g mV/LSB", p.VScale)
			if p.WeightLimited {
				kind += " (set by weights)"
			}
		}
		if len(p.Params) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\t\t\t\t\t\n", p.Name, kind, ids)
		}
		for i, q := range p.Params {
			if i > 0 {
				p.Name, kind, ids = "", "", ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t\n", p.Name, kind, ids, q.Name, num(q.Requested, q.Unit), num(q.Hardware, q.Unit), q.Raw, relErr(q))
		}
	}
	tw.Flush()

	if len(r.Projections) > 0 {
		ew.Printf("\nprojections (weight quantisation error histogram over -0.5..+0.5 LSB)\n")
		fmt.Fprintf(tw, "name\tpre\tpost\tsynapses\twexp\tunits/LSB\trule\tmax rel.err\tmean rel.err\tsaturated\thistogram\t\n")
		for _, p := range r.Projections {
			name := p.Name
			if p.Channel == network.ChannelBurst {
				name += " (burst)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%.4g\t%d\t%.2f%%\t%.2f%%\t%d\t%s\t\n", name, p.Pre, p.Post, thousands(p.Count),
				p.WExp, p.WScale, p.Rule, 100*p.MaxRelErr, 100*p.MeanRelErr, p.Saturated, sparkline(p.Hist))
		}
		tw.Flush()
	}
	if r.CommonWExp != nil {
		r.CommonWExp.writeText(ew)
	}
	if len(r.Rules) > 0 {
		ew.Printf("\nplasticity rules\n")
		fmt.Fprintf(tw, "rule\tprojections\tparam\trequested\thardware\traw\trel.err\t\n")
		for _, rl := range r.Rules {
			idx, names := strconv.Itoa(rl.Index), strings.Join(rl.Projections, ",")
			if rl.Kind != "" {
				idx += " " + rl.Kind
			}
			if rl.Fraction {
				idx += "+frac"
			}
			for i, q := range rl.Params {
				if i > 0 {
					idx, names = "", ""
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%.4g\t%.4g\t%d\t%s\t\n", idx, names, q.Name, q.Requested, q.Hardware, q.Raw, relErr(q))
			}
		}
		tw.Flush()
	}
	if len(r.BurstPopulations) > 0 {
		ew.Printf("\nburst populations (LUT error: max |hardware - sigmoid| burst probability)\n")
		fmt.Fprintf(tw, "name\tmode\tLUT err\tparam\trequested\thardware\traw\trel.err\t\n")
		for _, b := range r.BurstPopulations {
			name, mode, lerr := b.Name, b.Mode, fmt.Sprintf("%.4f", b.LUTMaxErr)
			for i, q := range b.Params {
				if i > 0 {
					name, mode, lerr = "", "", ""
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t\n", name, mode, lerr, q.Name, num(q.Requested, q.Unit), num(q.Hardware, q.Unit), q.Raw, relErr(q))
			}
		}
		tw.Flush()
	}
	if t := r.Teacher; t != nil {
		ew.Printf("\nteacher of %s (dataset %s)\n", t.Population, t.Dataset)
		fmt.Fprintf(tw, "param\trequested\thardware\traw\trel.err\t\n")
		for _, q := range t.Params {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t\n", q.Name, num(q.Requested, q.Unit), num(q.Hardware, q.Unit), q.Raw, relErr(q))
		}
		tw.Flush()
	}
	if len(r.Warnings) > 0 {
		ew.Printf("\nwarnings\n")
		for _, s := range r.Warnings {
			ew.Printf("  - %s\n", s)
		}
	}
	return ew.Err()
}

func num(v float64, unit string) string {
	s := strconv.FormatFloat(v, 'g', 5, 64)
	if unit != "" && unit != "w" {
		s += " " + unit
	}
	return s
}

func relErr(q ParamReport) string {
	if q.Note != "" {
		return q.Note
	}
	if q.Requested == 0 {
		if q.RelErr == 0 {
			return "exact"
		}
		return fmt.Sprintf("abs %.3g", q.RelErr)
	}
	switch {
	case q.RelErr == 0:
		return "exact"
	case q.RelErr < 1e-5:
		return "<0.001%"
	}
	return fmt.Sprintf("%.3f%%", 100*q.RelErr)
}

// sparkline draws a histogram in one line of block characters.
func sparkline(h []int) string {
	const bars = " ▁▂▃▄▅▆▇█"
	blocks := []rune(bars)
	m := 0
	for _, c := range h {
		m = max(m, c)
	}
	var b strings.Builder
	b.WriteRune('|')
	for _, c := range h {
		i := 0
		if m > 0 {
			i = (c*(len(blocks)-1) + m - 1) / m
		}
		b.WriteRune(blocks[i])
	}
	b.WriteRune('|')
	return b.String()
}
