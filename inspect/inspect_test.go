package inspect

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
)

// demoImage is a valid image small enough to check by hand: two raw input
// neurons, two LIF neurons at 0.25 mV/LSB (one resetting by subtraction),
// and one neuron in no population; three synapse words, one plastic under
// rule 1, and a rule 5 that no synapse uses.
func demoImage() *core.Image {
	im := &core.Image{Profile: core.Profiles["tiny"], NumNeurons: 5,
		Params: []core.NeuronParams{
			{Thr: 1}, {Thr: 1},
			{Thr: 64, VReset: -8, Bias: 4, DV: core.DecayOne, DI: 2048, TRef: 3, TrShift: 2, TrInc: 100},
			{Thr: 40, RSub: true, DV: 3000, DI: 0},
			{Thr: 5, DV: core.DecayOne, DI: core.DecayOne},
		},
		State:  []core.NeuronState{{}, {}, {V: -4, I: 8, Ref: 1}, {V: 12}, {V: 3}},
		Trace:  []uint8{0, 0, 7, 0, 0},
		Fanout: []core.Fanout{{FoBase: 0, FoCnt: 2}, {FoBase: 2, FoCnt: 1}, {}, {FiBase: 0, FiCnt: 1}, {}},
		Syn: []core.Synapse{
			{Tgt: 2, W: 10, WExp: 2},
			{Tgt: 3, W: -3, Rule: 1},
			{Tgt: 3, W: 5, WExp: 1},
		},
		Rev: []core.RevEntry{{SAddr: 1, Src: 0}},
	}
	im.Rules[1] = core.Rule{APlus: 4, AMinus: 5, WMin: -20, WMax: 30}
	im.Rules[5] = core.Rule{APlus: 1}
	im.Meta = core.Meta{Name: "demo", Source: "demo.yaml", DtMs: 0.5, Steps: 100, Seed: 9,
		Populations: []core.Population{
			{Name: "in", Kind: "input", First: 0, Count: 2},
			{Name: "out", Kind: "lif", First: 2, Count: 2, VScale: 0.25, VRest: -70},
		},
		Projections: []core.Projection{
			{Name: "in->out", Pre: "in", Post: "out", Count: 2, WExp: 2, WScale: 0.1},
			{Name: "plastic", Pre: "in", Post: "out", Rule: 1, Count: 1},
		},
		Probes:   []core.Probe{{Population: "out", Neurons: []int{2, 3}, Vars: []string{"spikes", "v"}}},
		Stimulus: []core.InputSpike{{Step: 3, Neuron: 0}, {Step: 3, Neuron: 1}, {Step: 7, Neuron: 0}, {Step: 5, Neuron: 4}},
		SynProj:  []uint16{0, 1, 0},
	}
	return im
}

func f(v float64) *float64 { return &v }

// near compares optional floats to 1e-9 relative.
func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*b))
}

func TestDemoImageIsValid(t *testing.T) {
	if err := demoImage().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestDescribeHeader(t *testing.T) {
	im := demoImage()
	info := Describe("demo.ncx", im, 0, 0, 0, 0)
	if info.File != "demo.ncx" || info.Name != "demo" || info.Source != "demo.yaml" || info.DtMs != 0.5 || info.Steps != 100 || info.Seed != 9 {
		t.Errorf("header: %+v", info)
	}
	if info.Format != core.ImageFormat || info.CoreVersion != core.CoreVersion {
		t.Errorf("format %d core version %d, want %d %d", info.Format, info.CoreVersion, core.ImageFormat, core.CoreVersion)
	}
	if p := info.Profile; p.Name != "tiny" || p.Neurons != 64 || p.Synapses != 4096 || p.FanIn != 2048 {
		t.Errorf("profile %+v", p)
	}
	wantUse := []ResourceUse{
		{"neurons", 5, 64, 100 * 5.0 / 64},
		{"synapses", 3, 4096, 100 * 3.0 / 4096},
		{"fan-in", 1, 2048, 100 * 1.0 / 2048},
	}
	if !reflect.DeepEqual(info.Usage, wantUse) {
		t.Errorf("usage %+v, want %+v", info.Usage, wantUse)
	}
	wantRules := []RuleInfo{
		{Index: 1, Kind: "stdp", Rule: im.Rules[1], Synapses: 1, Projections: []string{"plastic"}},
		{Index: 5, Kind: "stdp", Rule: im.Rules[5]},
	}
	if !reflect.DeepEqual(info.Rules, wantRules) {
		t.Errorf("rules %+v, want %+v", info.Rules, wantRules)
	}
	wantSt := StimulusInfo{Spikes: 4, Neurons: 3, FirstStep: 3, LastStep: 7, Populations: map[string]int{"in": 3, "": 1}}
	if !reflect.DeepEqual(info.Stimulus, wantSt) {
		t.Errorf("stimulus %+v, want %+v", info.Stimulus, wantSt)
	}
	if info.BurstUnits != 0 || len(info.Neurons) != 0 || len(info.Synapses) != 0 {
		t.Errorf("burst units %d, %d neuron rows, %d synapse rows; want none", info.BurstUnits, len(info.Neurons), len(info.Synapses))
	}
	if len(info.Populations) != 2 || len(info.Projections) != 2 || len(info.Probes) != 1 {
		t.Errorf("populations %v projections %v probes %v", info.Populations, info.Projections, info.Probes)
	}
}

// An image with nothing optional still gives empty lists (JSON [] rather
// than null, which scripts iterate over) and "no stimulus" as steps -1.
func TestDescribeEmpty(t *testing.T) {
	im := demoImage()
	im.Meta.Populations, im.Meta.Projections, im.Meta.Stimulus, im.Meta.Probes = nil, nil, nil, nil
	im.Rules = [core.NumRules]core.Rule{}
	for a := range im.Syn {
		im.Syn[a].Rule = 0
	}
	info := Describe("e.ncx", im, 0, 0, 0, 0)
	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"populations":[]`, `"projections":[]`, `"rules":[]`, `"stimulus":{"spikes":0,"neurons":0,"first_step":-1,"last_step":-1}`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON lacks %s:\n%s", want, b)
		}
	}
	if bytes.Contains(b, []byte(`"probes"`)) {
		t.Errorf("JSON has probes:\n%s", b)
	}
}

func TestDescribeNeurons(t *testing.T) {
	im := demoImage()
	trTau2 := -0.5 / math.Log(0.75) // tr_shift 2: ratio 1 − 2^−2 a step of 0.5 ms
	all := []NeuronInfo{
		{ID: 0, Population: "in", Thr: 1},
		{ID: 1, Population: "in", Thr: 1},
		{ID: 2, Population: "out", Thr: 64, VReset: -8, Bias: 4, ThrMV: f(16), VResetMV: f(-2), BiasMV: f(1),
			DV: core.DecayOne, DI: 2048, TauSynMs: f(-0.5 / math.Log(0.5)), TRef: 3, TrShift: 2, TrTauMs: trTau2, TrInc: 100,
			V: -4, I: 8, VMV: f(-1), IMV: f(2), Ref: 1, Trace: 7},
		{ID: 3, Population: "out", Thr: 40, RSub: true, ThrMV: f(10), VResetMV: f(0), BiasMV: f(0),
			DV: 3000, TauMemMs: f(-0.5 / math.Log(3000.0/4096)), TauSynMs: f(0), V: 12, VMV: f(3), IMV: f(0), FanIn: 1},
		{ID: 4, Thr: 5, DV: core.DecayOne, DI: core.DecayOne, V: 3},
	}
	all[0].TauMemMs, all[0].TauSynMs = f(0), f(0) // dv = di = 0: gone in one step
	all[1].TauMemMs, all[1].TauSynMs = f(0), f(0)
	all[0].FanOut, all[1].FanOut = 2, 1
	for _, c := range []struct {
		name   string
		lo, hi int
	}{
		{"none", 0, 0},
		{"one", 2, 3},
		{"raw and scaled", 1, 4},
		{"all", 0, 5},
		{"no population", 4, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Describe("demo.ncx", im, c.lo, c.hi, 0, 0).Neurons
			want := all[c.lo:c.hi]
			if len(got) != len(want) {
				t.Fatalf("%d rows, want %d", len(got), len(want))
			}
			for k := range want {
				g, w := got[k], want[k]
				ptrs := [][2]*float64{{g.ThrMV, w.ThrMV}, {g.VResetMV, w.VResetMV}, {g.BiasMV, w.BiasMV}, {g.TauMemMs, w.TauMemMs},
					{g.TauSynMs, w.TauSynMs}, {g.VMV, w.VMV}, {g.IMV, w.IMV}}
				for i, p := range ptrs {
					if !near(p[0], p[1]) {
						t.Errorf("neuron %d: physical value %d is %v, want %v", w.ID, i, deref(p[0]), deref(p[1]))
					}
				}
				if !near(&g.TrTauMs, &w.TrTauMs) {
					t.Errorf("neuron %d: trace tau %g, want %g", w.ID, g.TrTauMs, w.TrTauMs)
				}
				g.ThrMV, g.VResetMV, g.BiasMV, g.TauMemMs, g.TauSynMs, g.VMV, g.IMV, g.TrTauMs = nil, nil, nil, nil, nil, nil, nil, 0
				w.ThrMV, w.VResetMV, w.BiasMV, w.TauMemMs, w.TauSynMs, w.VMV, w.IMV, w.TrTauMs = nil, nil, nil, nil, nil, nil, nil, 0
				if g != w {
					t.Errorf("neuron %d:\n got %+v\nwant %+v", w.ID, g, w)
				}
			}
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestDescribeSynapses(t *testing.T) {
	all := []SynapseInfo{
		{Address: 0, Pre: 0, Post: 2, Projection: "in->out", WExp: 2, W: 10, WPhys: f(1), Contrib: 40, ContribMV: f(10)},
		{Address: 1, Pre: 0, Post: 3, Projection: "plastic", Rule: 1, W: -3, Contrib: -3, ContribMV: f(-0.75)},
		{Address: 2, Pre: 1, Post: 3, Projection: "in->out", WExp: 1, W: 5, WPhys: f(0.5), Contrib: 10, ContribMV: f(2.5)},
	}
	for _, c := range []struct {
		name   string
		lo, hi int
		edit   func(*core.Image)
		want   []SynapseInfo
	}{
		{"all", 0, 3, nil, all},
		{"middle", 1, 2, nil, all[1:2]},
		{"empty range", 2, 2, nil, nil},
		// a target in no population has no scale; an image without the
		// synapse-to-projection map has no projection names or weights
		{"unscaled target", 0, 1, func(im *core.Image) { im.Syn[0].Tgt = 4 },
			[]SynapseInfo{{Address: 0, Pre: 0, Post: 4, Projection: "in->out", WExp: 2, W: 10, WPhys: f(1), Contrib: 40}}},
		{"no projection map", 2, 3, func(im *core.Image) { im.Meta.SynProj = nil },
			[]SynapseInfo{{Address: 2, Pre: 1, Post: 3, WExp: 1, W: 5, Contrib: 10, ContribMV: f(2.5)}}},
		{"projection index out of range", 2, 3, func(im *core.Image) { im.Meta.SynProj[2] = 9 },
			[]SynapseInfo{{Address: 2, Pre: 1, Post: 3, WExp: 1, W: 5, Contrib: 10, ContribMV: f(2.5)}}},
		{"most negative word", 0, 1, func(im *core.Image) { im.Syn[0].W, im.Syn[0].WExp = -128, 7 },
			[]SynapseInfo{{Address: 0, Pre: 0, Post: 2, Projection: "in->out", WExp: 7, W: -128, WPhys: f(-12.8), Contrib: -16384, ContribMV: f(-4096)}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			im := demoImage()
			if c.edit != nil {
				c.edit(im)
			}
			got := Describe("demo.ncx", im, 0, 0, c.lo, c.hi).Synapses
			if len(got) != len(c.want) {
				t.Fatalf("%d rows, want %d: %+v", len(got), len(c.want), got)
			}
			for k, w := range c.want {
				g := got[k]
				if !near(g.WPhys, w.WPhys) || !near(g.ContribMV, w.ContribMV) {
					t.Errorf("word %d: weight %v mV %v, want %v %v", w.Address, deref(g.WPhys), deref(g.ContribMV), deref(w.WPhys), deref(w.ContribMV))
				}
				g.WPhys, g.ContribMV, w.WPhys, w.ContribMV = nil, nil, nil, nil
				if g != w {
					t.Errorf("word %d:\n got %+v\nwant %+v", w.Address, g, w)
				}
			}
		})
	}
}

// compileYAML compiles a network description written in the test.
func compileYAML(t *testing.T, y string) *core.Image {
	t.Helper()
	net, err := network.Parse([]byte(y), "net.yaml")
	if err != nil {
		t.Fatal(err)
	}
	im, _, err := compiler.Compile(net, compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return im
}

// A compiled image is described in the description's own units: the
// threshold and reset in mV above rest to within one LSB, the time
// constants to within the 12-bit multiplier's rounding, each spike of the
// list counted once.
func TestDescribeCompiled(t *testing.T) {
	im := compileYAML(t, `
name: two
target: tiny
dt: 0.5
steps: 50
populations:
  - name: src
    kind: spike_list
    size: 3
    times: [[0, 1], [2, 4], [0, 4]]
  - name: dst
    kind: lif
    size: 2
    tau_mem: 10
    tau_syn: 2
    v_rest: -70
    v_thresh: -54
    v_reset: -66
    t_ref: 1
projections:
  - {name: w, pre: src, post: dst, connect: all_to_all, weight: 1.5}
probes:
  - {population: dst, vars: [spikes, v]}
`)
	info := Describe("two.ncx", im, 0, im.NumNeurons, 0, len(im.Syn))
	if info.Name != "two" || info.DtMs != 0.5 || info.Steps != 50 {
		t.Fatalf("header %+v", info)
	}
	st := info.Stimulus
	if st.Spikes != 3 || st.Neurons != 2 || st.FirstStep != 1 || st.LastStep != 4 || st.Populations["src"] != 3 {
		t.Errorf("stimulus %+v", st)
	}
	dst, ok := im.Meta.PopulationByName("dst")
	if !ok || dst.VScale <= 0 {
		t.Fatalf("dst population %+v", dst)
	}
	rows := 0
	for _, n := range info.Neurons {
		if n.Population != "dst" {
			continue
		}
		rows++
		if n.ThrMV == nil || math.Abs(*n.ThrMV-16) > dst.VScale || n.VResetMV == nil || math.Abs(*n.VResetMV-4) > dst.VScale {
			t.Errorf("neuron %d: thr %v reset %v mV above rest, want 16 and 4 within %g", n.ID, deref(n.ThrMV), deref(n.VResetMV), dst.VScale)
		}
		if n.TauMemMs == nil || math.Abs(*n.TauMemMs-10) > 0.1 || n.TauSynMs == nil || math.Abs(*n.TauSynMs-2) > 0.02 {
			t.Errorf("neuron %d: tau_mem %v tau_syn %v, want 10 and 2", n.ID, deref(n.TauMemMs), deref(n.TauSynMs))
		}
		if n.TRef != 2 {
			t.Errorf("neuron %d: tref %d steps, want 2 (1 ms at 0.5 ms)", n.ID, n.TRef)
		}
	}
	if rows != 2 {
		t.Errorf("%d dst rows, want 2", rows)
	}
	if len(info.Synapses) != 6 {
		t.Fatalf("%d synapse rows, want 6", len(info.Synapses))
	}
	for _, s := range info.Synapses {
		if s.Projection != "w" || s.WPhys == nil || math.Abs(*s.WPhys-1.5) > 0.02 || s.Contrib != int32(s.W)<<s.WExp {
			t.Errorf("synapse %+v (weight %v)", s, deref(s.WPhys))
		}
	}
}

// Burst units are counted and a BDSP rule is named as such, with the
// projections that use it.
func TestDescribeBurst(t *testing.T) {
	net, err := network.Load("../examples/burst.yaml")
	if err != nil {
		t.Fatal(err)
	}
	im, _, err := compiler.Compile(net, compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	info := Describe("burst.ncx", im, 0, 0, 0, 0)
	if info.BurstUnits != 24+4 {
		t.Errorf("%d burst units, want 28 (hid and out)", info.BurstUnits)
	}
	kinds := map[string]string{}
	for _, r := range info.Rules {
		for _, pj := range r.Projections {
			kinds[pj] = r.Kind
		}
		if r.Synapses == 0 {
			t.Errorf("rule %d lists no synapses", r.Index)
		}
	}
	if kinds["ih"] != "bdsp" || kinds["ho"] != "bdsp" {
		t.Errorf("rule kinds by projection %v, want ih and ho under bdsp", kinds)
	}

	// fraction bits on ih's rule (spec section 8.4): flagged in the info
	// and shown as bdsp+frac, ho's rule without them
	for _, pr := range net.Projections {
		if pr.Name == "ih" {
			pr.BDSP.Fraction = true
		}
	}
	if im, _, err = compiler.Compile(net, compiler.Options{}); err != nil {
		t.Fatal(err)
	}
	info = Describe("burst.ncx", im, 0, 0, 0, 0)
	frac := map[string]bool{}
	for _, r := range info.Rules {
		for _, pj := range r.Projections {
			frac[pj] = r.Fraction
		}
	}
	if !frac["ih"] || frac["ho"] {
		t.Errorf("fraction bits by projection %v, want ih only", frac)
	}
	var b strings.Builder
	if err := info.WriteText(&b, im); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "bdsp+frac") {
		t.Errorf("the rules table does not show the fraction bits:\n%s", b.String())
	}
}

func TestWriteText(t *testing.T) {
	for _, c := range []struct {
		name          string
		edit          func(*core.Image)
		nlo, nhi      int
		slo, shi      int
		want, notWant []string
	}{
		{name: "summary", want: []string{
			`image demo.ncx: "demo", format`,
			"compiled from demo.yaml, seed 9\n",
			"dt 0.5 ms, 100 steps (50 ms)\n",
			"profile tiny (tests): 64 neurons, 4096 synapse words, 2048 fan-in words, VW 16 bits, clock 50 MHz\n",
			"\nplasticity rules\n",
			"plastic", // rule 1's projection
			"\nusage\n",
			"largest fan-out row 2 synapses, largest fan-in 2 synapses per neuron\n",
			"\nprobes\n  out (2 neurons): spikes, v\n",
			"  4 spikes on 3 neurons, steps 3..7\n",
			"  (no population): 1\n", "  in: 3\n",
		}, notWant: []string{"\nneurons (", "\nsynapses\n", "burst units", "none (all synapses static)"}},
		{name: "static and silent", edit: func(im *core.Image) {
			im.Rules = [core.NumRules]core.Rule{}
			im.Syn[1].Rule = 0
			im.Meta.Stimulus, im.Meta.Probes, im.Meta.Source = nil, nil, ""
		}, want: []string{"  none (all synapses static)\n", "\nstimulus\n  none\n"}, notWant: []string{"\nprobes\n", "compiled from"}},
		{name: "neuron rows", nlo: 2, nhi: 5, want: []string{
			"\nneurons (voltages in mV", "16.000", "-2.000", "v−thr", "3 (1.5 ms)", "∞",
		}},
		{name: "synapse rows", slo: 0, shi: 3, want: []string{"\nsynapses\n", "in->out", "10.000", "-0.750"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			im := demoImage()
			if c.edit != nil {
				c.edit(im)
			}
			var b strings.Builder
			if err := Describe("demo.ncx", im, c.nlo, c.nhi, c.slo, c.shi).WriteText(&b, im); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// The neuron and synapse tables have a header and one row per neuron or
// word asked for, in order, each starting with its id or address.
func TestWriteTextRows(t *testing.T) {
	im := demoImage()
	var b strings.Builder
	if err := Describe("demo.ncx", im, 1, 5, 0, 3).WriteText(&b, im); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, sec := range []struct {
		head, first string
		ids         []string
	}{
		{"\nneurons (", "id", []string{"1", "2", "3", "4"}},
		{"\nsynapses", "address", []string{"0", "1", "2"}},
	} {
		_, rest, ok := strings.Cut(out, sec.head)
		if !ok {
			t.Fatalf("no %q section", sec.head)
		}
		_, rest, _ = strings.Cut(rest, "\n") // the section title
		table, _, _ := strings.Cut(rest, "\n\n")
		lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
		var got []string
		for _, l := range lines {
			got = append(got, strings.Fields(l)[0])
		}
		if want := append([]string{sec.first}, sec.ids...); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: rows start %q, want %q", strings.TrimSpace(sec.head), got, want)
		}
	}
}

// failAfter accepts n bytes, then fails every write.
type failAfter struct{ n int }

var errFull = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errFull
	}
	w.n -= len(p)
	return len(p), nil
}

// A write error anywhere in the text is returned, not swallowed: cut the
// output at every tenth byte.
func TestWriteTextError(t *testing.T) {
	im := demoImage()
	info := Describe("demo.ncx", im, 0, 5, 0, 3)
	var full bytes.Buffer
	if err := info.WriteText(&full, im); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < full.Len(); n += 10 {
		if err := info.WriteText(&failAfter{n: n}, im); !errors.Is(err, errFull) {
			t.Fatalf("cut after %d of %d bytes: error %v, want %v", n, full.Len(), err, errFull)
		}
	}
	if err := WriteProfiles(&failAfter{n: 5}); !errors.Is(err, errFull) {
		t.Errorf("WriteProfiles: error %v, want %v", err, errFull)
	}
	if err := WriteUsage(&failAfter{n: 5}, im); !errors.Is(err, errFull) {
		t.Errorf("WriteUsage: error %v, want %v", err, errFull)
	}
}

func TestWriteUsage(t *testing.T) {
	im := demoImage()
	var b strings.Builder
	if err := WriteUsage(&b, im); err != nil {
		t.Fatal(err)
	}
	want := []string{"neurons", "5", "64", "7.8%", "synapses", "3", "4096", "0.1%", "fan-in", "1", "2048", "0.0%"}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want header, three resources and the row line:\n%s", len(lines), b.String())
	}
	var cells []string
	for _, l := range lines[1:4] {
		cells = append(cells, strings.Fields(l)...)
	}
	if !reflect.DeepEqual(cells, want) {
		t.Errorf("cells %q, want %q", cells, want)
	}
	if lines[4] != "largest fan-out row 2 synapses, largest fan-in 2 synapses per neuron" {
		t.Errorf("last line %q", lines[4])
	}
}

func TestProfiles(t *testing.T) {
	list := Profiles()
	if len(list) != len(core.Profiles) {
		t.Fatalf("%d profiles, want %d", len(list), len(core.Profiles))
	}
	for k, p := range list {
		if p.Neurons != 1<<p.NB || p.Synapses != 1<<p.SB || p.FanIn != 1<<p.RB {
			t.Errorf("%s: capacities %d/%d/%d for NB %d SB %d RB %d", p.Name, p.Neurons, p.Synapses, p.FanIn, p.NB, p.SB, p.RB)
		}
		if k > 0 && (p.Neurons < list[k-1].Neurons || (p.Neurons == list[k-1].Neurons && p.Synapses < list[k-1].Synapses)) {
			t.Errorf("%s listed after the larger %s", p.Name, list[k-1].Name)
		}
	}
	var b strings.Builder
	if err := WriteProfiles(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 1+len(list) || !strings.Contains(lines[0], "clock MHz") {
		t.Fatalf("table:\n%s", b.String())
	}
	for k, p := range list {
		cells := strings.Fields(lines[1+k])
		if cells[0] != p.Name || cells[1] != strconv.Itoa(p.Neurons) || cells[2] != strconv.Itoa(p.Synapses) || cells[3] != strconv.Itoa(p.FanIn) {
			t.Errorf("row %q for %+v", lines[1+k], p)
		}
		if burst := map[bool]string{true: "yes", false: "no"}[p.Burst]; cells[8] != burst {
			t.Errorf("%s: burst %q, want %q", p.Name, cells[8], burst)
		}
	}
}

// withPayload replaces an encoded image's payload and fixes the header's
// length and checksum, so that fuzzing reaches the decoder's sections
// instead of stopping at the checksum.
func withPayload(enc, payload []byte) []byte {
	const header = 20 // magic, format, core version, length, CRC-32C
	out := append(append([]byte(nil), enc[:header]...), payload...)
	binary.LittleEndian.PutUint64(out[8:], uint64(len(payload)))
	binary.LittleEndian.PutUint32(out[16:], crc32.Checksum(payload, crc32.MakeTable(crc32.Castagnoli)))
	return out
}

// FuzzDescribe: any image that decodes (ncx inspect reads whatever file it
// is given) is described, rendered as text and as JSON, with every neuron
// and synapse word listed, without a panic.
func FuzzDescribe(f *testing.F) {
	enc, err := core.EncodeImage(demoImage())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(enc[20:])
	if net, err := network.Load("../examples/burst.yaml"); err == nil {
		if im, _, err := compiler.Compile(net, compiler.Options{}); err == nil {
			if b, err := core.EncodeImage(im); err == nil {
				f.Add(b[20:])
			}
		}
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		im, err := core.DecodeImage(withPayload(enc, payload))
		if err != nil {
			return
		}
		info := Describe("fuzz.ncx", im, 0, im.NumNeurons, 0, len(im.Syn))
		if len(info.Neurons) != im.NumNeurons || len(info.Synapses) != len(im.Syn) {
			t.Fatalf("%d neuron rows and %d synapse rows for %d neurons and %d words", len(info.Neurons), len(info.Synapses), im.NumNeurons, len(im.Syn))
		}
		if err := info.WriteText(&bytes.Buffer{}, im); err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(info); err != nil {
			t.Fatalf("JSON: %v", err)
		}
	})
}
