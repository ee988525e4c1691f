package network

import (
	"bytes"
	"compress/gzip"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const burstGood = `name: b
dt: 1
steps: 300
seed: 2
datasets:
  - name: d
    file: d.csv
    features: 3
    classes: 2
    scale: 4
    split: {train: 0.5, seed: 1}
populations:
  - {name: in, kind: dataset_input, dataset: d, rate_hz: 100, present_steps: 20, gap_steps: 5, trace: {tau: 20, inc: 64}}
  - name: hid
    kind: burst
    size: 5
    tau_mem: 20
    tau_syn: 5
    v_rest: -65
    v_thresh: -50
    v_reset: -65
    trace: {tau: 20, inc: 64}
    apical: {tau: 10, offset: 4, slope: 0.8, mode: stochastic, pbar_tau: 8}
  - name: out
    kind: burst
    size: 2
    tau_mem: 20
    tau_syn: 5
    v_rest: -65
    v_thresh: -50
    v_reset: -65
    apical: {tau: 10, offset: 4, slope: 0.8}
  - {name: inh, kind: lif, size: 2, tau_mem: 10, tau_syn: 5, v_rest: -65, v_thresh: -50, v_reset: -65}
projections:
  - {name: ih, pre: in, post: hid, connect: all_to_all, weight: 5, bdsp: {eta: 0.1, w_min: 0, w_max: 10}}
  - {name: ho, pre: hid, post: out, connect: all_to_all, weight: 5}
  - {name: fb, pre: out, post: hid, channel: burst, connect: all_to_all, weight: 2}
  - {name: som, pre: hid, post: hid, channel: burst, connect: all_to_all, weight: -1}
  - {name: hi, pre: hid, post: inh, connect: all_to_all, weight: 3}
teacher: {population: out, dataset: d, on: 10, off: -5}
`

const burstCSV = "f1,f2,f3,label\n0,1,2,0\n4,4,4,1\n# comment\n1,0,0,1\n2,2,2,0\n"

func TestLoadBurst(t *testing.T) {
	n, err := Load(write(t, burstGood, map[string]string{"d.csv": burstCSV}))
	if err != nil {
		t.Fatal(err)
	}
	hid, out := n.Populations[1], n.Populations[2]
	if !hid.IsBurst() || hid.IsInput() || hid.Apical.Mode != ModeStochastic || hid.Apical.PBarTau != 8 || out.Apical.Mode != ModeThreshold {
		t.Errorf("burst populations: %+v %+v", hid.Apical, out.Apical)
	}
	in := n.Populations[0]
	if !in.IsInput() || in.Size != 3 || in.PresentSteps != 20 || in.GapSteps != 5 {
		t.Errorf("dataset input %+v", in)
	}
	if n.Projections[0].BDSP == nil || n.Projections[0].Channel != ChannelEvent || !n.Projections[2].IsBurst() {
		t.Errorf("projections %+v", n.Projections)
	}
	if n.Projections[0].BDSP.Fraction {
		t.Errorf("fraction defaults to false: %+v", n.Projections[0].BDSP)
	}
	fr, err := Load(write(t, strings.Replace(burstGood, "w_max: 10}}", "w_max: 10, fraction: true}}", 1), map[string]string{"d.csv": burstCSV}))
	if err != nil {
		t.Fatal(err)
	}
	if b := fr.Projections[0].BDSP; !b.Fraction || b.Eta != 0.1 || b.WMax != 10 {
		t.Errorf("bdsp with fraction: %+v", b)
	}
	if n.Teacher == nil || n.Teacher.PopIdx != 2 || n.Teacher.InputIdx != 0 {
		t.Errorf("teacher %+v", n.Teacher)
	}
	data, err := LoadDataset(n.Datasets[0])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(data.Labels, []int{0, 1, 1, 0}) || !slices.Equal(data.Features[1], []float64{4, 4, 4}) {
		t.Errorf("data %+v", data)
	}
	if len(data.Train) != 2 || len(data.Test) != 2 {
		t.Errorf("split %v %v", data.Train, data.Test)
	}
	tr, te := Split(4, 0.5, 1)
	if !slices.Equal(tr, data.Train) || !slices.Equal(te, data.Test) {
		t.Errorf("Split disagrees with the dataset's split")
	}
	all := slices.Concat(tr, te)
	slices.Sort(all)
	if !slices.Equal(all, []int{0, 1, 2, 3}) {
		t.Errorf("split is not a permutation: %v %v", tr, te)
	}
	// Presentations cycle through the training split.
	pres := n.Presentations(0, 100)
	if len(pres) != 4 || pres[1].Start != 25 || pres[2].Sample != pres[0].Sample || pres[3].Steps != 20 {
		t.Errorf("presentations %+v", pres)
	}
	// Stimulus: no spikes in gaps, and only during presentations; a feature
	// of 0 never spikes.
	for _, s := range n.Stimulus(100) {
		k := int(s.Step) / 25
		if int(s.Step)%25 >= 20 {
			t.Fatalf("spike in a gap at step %d", s.Step)
		}
		if data.Features[pres[k].Sample][s.Neuron] == 0 {
			t.Fatalf("feature 0 spiked: step %d neuron %d", s.Step, s.Neuron)
		}
	}
	tw := n.TeachWrites(100)
	if len(tw) != 4*2*2 || tw[0].Step != 0 || tw[2].Step != 20 || tw[2].MV != 0 {
		t.Fatalf("teach writes %+v", tw)
	}
	lab := pres[0].Label
	if tw[lab].MV != 10 || tw[1-lab].MV != -5 {
		t.Errorf("teach writes for label %d: %+v", lab, tw[:2])
	}
}

func TestDatasetGzip(t *testing.T) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(burstCSV))
	zw.Close()
	y := strings.Replace(burstGood, "file: d.csv", "file: d.csv.gz", 1)
	p := write(t, y, nil)
	if err := os.WriteFile(filepath.Join(filepath.Dir(p), "d.csv.gz"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := LoadDataset(n.Datasets[0])
	if len(d.Labels) != 4 {
		t.Errorf("%d samples", len(d.Labels))
	}
}

// TestBurstBadInputs: every mistake in the burst additions names the file,
// line and field.
func TestBurstBadInputs(t *testing.T) {
	csv := map[string]string{"d.csv": burstCSV}
	with := func(name, body string) map[string]string { return map[string]string{name: body} }
	cases := []struct {
		name, old, new string
		files          map[string]string
		want, inFile   string
	}{
		{"burst into lif", "{name: som, pre: hid, post: hid,", "{name: som, pre: hid, post: inh,", csv,
			"net.yaml:38: projections[3].channel: burst projection into non-burst population 'inh'", ""},
		{"burst from lif", "{name: fb, pre: out,", "{name: fb, pre: in,", csv,
			"net.yaml:37: projections[2].channel: burst projection from non-burst population 'in'", ""},
		{"unknown channel", "channel: burst, connect: all_to_all, weight: -1", "channel: apical, connect: all_to_all, weight: -1", csv,
			`net.yaml:38: projections[3].channel: unknown channel "apical" (want event or burst)`, ""},
		{"stdp on burst channel", "channel: burst, connect: all_to_all, weight: 2}", "channel: burst, connect: all_to_all, weight: 2, stdp: {a_plus: 1, a_minus: 1, w_min: 0, w_max: 3}}", csv,
			"net.yaml:37: projections[2].stdp: not allowed on a burst projection: burst synapses are static", ""},
		{"bdsp on burst channel", "channel: burst, connect: all_to_all, weight: 2}", "channel: burst, connect: all_to_all, weight: 2, bdsp: {eta: 1, w_min: 0, w_max: 3}}", csv,
			"net.yaml:37: projections[2].bdsp: not allowed on a burst projection", ""},
		{"bdsp and stdp", "bdsp: {eta: 0.1, w_min: 0, w_max: 10}}", "bdsp: {eta: 0.1, w_min: 0, w_max: 10}, stdp: {a_plus: 1, a_minus: 1, w_min: 0, w_max: 3}}", csv,
			"net.yaml:35: projections[0].bdsp: cannot be combined with stdp", ""},
		{"bdsp into lif", "weight: 3}\nteacher", "weight: 3, bdsp: {eta: 1, w_min: 0, w_max: 5}}\nteacher", csv,
			`net.yaml:39: projections[4].bdsp: needs a burst post population; "inh" is lif`, ""},
		{"bdsp needs pre trace", "present_steps: 20, gap_steps: 5, trace: {tau: 20, inc: 64}}", "present_steps: 20, gap_steps: 5}", csv,
			`net.yaml:13: populations[0].trace: required: projection "ih" (projections[0]) has bdsp`, ""},
		{"bdsp bounds", "w_min: 0, w_max: 10}}", "w_min: 11, w_max: 10}}", csv,
			"net.yaml:35: projections[0].bdsp.w_min: must be <= w_max (10), got 11", ""},
		{"negative eta", "eta: 0.1", "eta: -0.1", csv, "net.yaml:35: projections[0].bdsp.eta: must be >= 0, got -0.1", ""},
		{"fraction not a bool", "w_min: 0, w_max: 10}}", "w_min: 0, w_max: 10, fraction: 8}}", csv, `net.yaml:35: projections[0].bdsp.fraction: must be true or false, got "8"`, ""},
		{"teacher on hidden layer", "teacher: {population: out,", "teacher: {population: hid,", csv,
			`net.yaml:40: teacher.population: teaching inputs on hidden layers are not allowed: "hid" feeds burst population "out" through event projection "ho" (projections[1])`, ""},
		{"teach on hidden layer", "mode: stochastic, pbar_tau: 8}", "mode: stochastic, pbar_tau: 8, teach: 3}", csv,
			"net.yaml:23: populations[1].apical.teach: teaching inputs on hidden layers are not allowed", ""},
		{"teach and teacher", "apical: {tau: 10, offset: 4, slope: 0.8}\n", "apical: {tau: 10, offset: 4, slope: 0.8, teach: 2}\n", csv,
			`net.yaml:32: populations[2].apical.teach: cannot be combined with the teacher`, ""},
		{"teacher on lif", "teacher: {population: out,", "teacher: {population: in,", csv,
			`net.yaml:40: teacher.population: population "in" is dataset_input; teaching inputs need burst units`, ""},
		{"teacher classes", "    size: 2\n", "    size: 3\n", csv,
			`teacher.population: population "out" has 3 neurons but dataset "d" has 2 classes`, ""},
		{"teacher dataset", "dataset: d, on: 10", "dataset: e, on: 10", csv, `net.yaml:40: teacher.dataset: no dataset named "e"`, ""},
		{"teacher field", "on: 10, off: -5}", "on: 10, of: -5}", csv, "net.yaml:40: teacher.of: unknown field", ""},
		{"missing apical", "    apical: {tau: 10, offset: 4, slope: 0.8}\n", "", csv, "net.yaml:24: populations[2].apical: required field is missing", ""},
		{"apical slope", "slope: 0.8}\n", "slope: 0}\n", csv, "net.yaml:32: populations[2].apical.slope: must be > 0 (per mV), got 0", ""},
		{"apical tau", "apical: {tau: 10, offset: 4, slope: 0.8}\n", "apical: {tau: -1, offset: 4, slope: 0.8}\n", csv, "net.yaml:32: populations[2].apical.tau: must be > 0, got -1", ""},
		{"apical mode", "mode: stochastic", "mode: random", csv, `net.yaml:23: populations[1].apical.mode: unknown mode "random" (want threshold or stochastic)`, ""},
		{"pbar_tau range", "pbar_tau: 8", "pbar_tau: 500", csv, "net.yaml:23: populations[1].apical.pbar_tau: must be in 1..181 events, got 500", ""},
		{"apical on lif", "kind: lif, size: 2,", "kind: lif, apical: {tau: 1, offset: 1, slope: 1}, size: 2,", csv, "net.yaml:33: populations[3].apical: unknown field", ""},
		{"raw burst", "    apical: {tau: 10, offset: 4, slope: 0.8}\n", "    apical: {tau: 10, offset: 4, slope: 0.8}\n    raw: {thr: 1, vreset: 0, dv: 1, di: 1}\n", csv,
			"net.yaml:27: populations[2].tau_mem: cannot be combined with raw", ""},
		{"raw burst slope", "    tau_mem: 20\n    tau_syn: 5\n    v_rest: -65\n    v_thresh: -50\n    v_reset: -65\n    apical: {tau: 10, offset: 4, slope: 0.8}\n",
			"    raw: {thr: 1, vreset: 0, dv: 1, di: 1}\n    apical: {tau: 10, offset: 4, slope: 0.8}\n", csv,
			"populations[2].apical.slope: not allowed for a raw population (give ashift", ""},
		{"physical ashift", "apical: {tau: 10, offset: 4, slope: 0.8}\n", "apical: {tau: 10, offset: 4, slope: 0.8, ashift: 3}\n", csv,
			"net.yaml:32: populations[2].apical.ashift: only for raw populations (give slope)", ""},
		{"pbar_init range", "pbar_tau: 8", "pbar_tau: 8, pbar_init: 2", csv, "net.yaml:23: populations[1].apical.pbar_init: must be in 0..1, got 2", ""},
		{"ensemble size", "mode: stochastic, pbar_tau: 8}\n", "mode: stochastic, pbar_tau: 8}\n    ensemble: 0\n", csv, "net.yaml:24: populations[1].ensemble: must be in 1..5, got 0", ""},
		{"zero_sum needs all_to_all", "{name: fb, pre: out, post: hid, channel: burst, connect: all_to_all,", "{name: fb, pre: out, post: hid, channel: burst, connect: {fixed_probability: 0.5}, zero_sum: true,", csv,
			"net.yaml:37: projections[2].zero_sum: needs connect: all_to_all", ""},
		{"learning without teacher", "teacher: {population: out, dataset: d, on: 10, off: -5}", "learning: {epochs: 1, teach_steps: 5, full_count: 3}", csv,
			"learning: needs a teacher", ""},
		{"learning teach mode", "off: -5}", "off: -5}\nlearning: {epochs: 1, teach_steps: 5, teach: both}", csv,
			`learning.teach: unknown teaching mode "both" (want label or error)`, ""},
		{"learning full_count", "off: -5}", "off: -5}\nlearning: {epochs: 1, teach_steps: 5}", csv,
			"learning.full_count: required field is missing", ""},
		{"learning eval set", "off: -5}", "off: -5}\nlearning: {epochs: 1, teach_steps: 5, teach: label, eval_set: all}", csv,
			`learning.eval_set: unknown set "all" (want test or train)`, ""},
		{"learning epochs", "off: -5}", "off: -5}\nlearning: {epochs: 0, teach_steps: 5, teach: label}", csv,
			"learning.epochs: must be", ""},
		{"dataset missing file", "file: d.csv", "file: nope.csv", csv, "net.yaml:7: datasets[0].file: cannot open nope.csv", ""},
		{"dataset columns", "", "", with("d.csv", "0,1,2,0\n0,1,0\n"), "d.csv:2: want 4 columns (3 features and a label), got 3", "d.csv"},
		{"dataset label range", "", "", with("d.csv", "0,1,2,0\n# x\n0,1,2,2\n"), "d.csv:3: label 2 outside 0..1 (classes: 2)", "d.csv"},
		{"dataset label negative", "", "", with("d.csv", "0,1,2,-1\n"), "d.csv:1: label -1 outside 0..1", "d.csv"},
		{"dataset label fraction", "", "", with("d.csv", "0,1,2,0.5\n"), "d.csv:1: label 0.5 outside 0..1", "d.csv"},
		{"dataset feature range", "", "", with("d.csv", "0,1,2,0\n0,9,2,1\n"), "d.csv:2: column 2: feature 9 outside 0..4 (scale)", "d.csv"},
		{"dataset bad number", "", "", with("d.csv", "0,1,2,0\n0,x,2,1\n"), `d.csv:2: column 2: bad number "x"`, "d.csv"},
		{"dataset empty", "", "", with("d.csv", "# nothing\n"), "net.yaml:7: datasets[0].file: ", ""},
		{"dataset split", "train: 0.5", "train: 1.5", csv, "net.yaml:11: datasets[0].split.train: must be in (0, 1], got 1.5", ""},
		{"dataset label column", "scale: 4", "scale: 4\n    label_column: middle", csv, `net.yaml:11: datasets[0].label_column: must be first, last or a column number 0..3, got "middle"`, ""},
		{"dataset duplicate", "populations:\n", "  - {name: d, file: d.csv, features: 3, classes: 2, scale: 4}\npopulations:\n", csv, `net.yaml:12: datasets[1].name: duplicate dataset name "d"`, ""},
		{"dataset_input size", "dataset: d, rate_hz", "dataset: d, size: 4, rate_hz", csv, `net.yaml:13: populations[0].size: must equal the 3 features of dataset "d", got 4`, ""},
		{"dataset_input unknown", "kind: dataset_input, dataset: d,", "kind: dataset_input, dataset: x,", csv, `net.yaml:13: populations[0].dataset: no dataset named "x"`, ""},
		{"dataset_input present", "present_steps: 20, ", "", csv, "net.yaml:13: populations[0].present_steps: required field is missing", ""},
		{"dataset_input rate", "rate_hz: 100", "rate_hz: 2000", csv, "net.yaml:13: populations[0].rate_hz: must be in 0..1000", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(burstGood, c.old) {
				t.Fatalf("test bug: %q not in the good file", c.old)
			}
			path := write(t, strings.Replace(burstGood, c.old, c.new, 1), c.files)
			_, err := Load(path)
			checkLoadErr(t, path, err, c.want, c.inFile)
		})
	}
}

// TestLearningNetwork: raw burst populations, ensembles, zero-sum weights
// and the learning block, as in examples/xor.yaml.
func TestLearningNetwork(t *testing.T) {
	const y = `dt: 1
seed: 3
datasets:
  - {name: d, file: d.csv, features: 3, classes: 2, scale: 4}
populations:
  - {name: in, kind: dataset_input, dataset: d, rate_hz: 100, present_steps: 20, gap_steps: 5, trace: {tau: 20, inc: 64}}
  - name: hid
    kind: burst
    size: 6
    ensemble: 3
    raw: {thr: 100, vreset: 0, dv: 3584, di: 0}
    apical: {tau: 4, offset: -64, ashift: 6, mode: stochastic, pbar_tau: 128, pbar_init: 0.5}
  - {name: out, kind: burst, size: 2, raw: {thr: 100, vreset: 0, dv: 3584, di: 0}, apical: {tau: 0.05, offset: 0, ashift: 8}}
projections:
  - {name: ih, pre: in, post: hid, connect: all_to_all, weight: {uniform: [-50, 50]}, bdsp: {eta: 8, w_min: -100, w_max: 100}}
  - {name: ho, pre: hid, post: out, connect: all_to_all, weight: 5, bdsp: {eta: 8, w_min: -100, w_max: 100}}
  - {name: fb, pre: out, post: hid, channel: burst, connect: all_to_all, zero_sum: true, weight: {uniform: [-40, 40]}}
teacher: {population: out, dataset: d, on: 2048}
learning: {epochs: 2, teach_steps: 10, full_count: 5, halve_every: 1, eval_set: train, eval_repeats: 2}
`
	n, err := Load(write(t, y, map[string]string{"d.csv": burstCSV}))
	if err != nil {
		t.Fatal(err)
	}
	hid := n.Populations[1]
	if hid.Raw == nil || hid.Ensemble != 3 || hid.Apical.AShift != 6 || hid.Apical.PBarInit != 0.5 || hid.Apical.Slope != 0 {
		t.Errorf("hidden %+v apical %+v", hid, hid.Apical)
	}
	l := n.Learning
	if l == nil || l.Epochs != 2 || l.TeachSteps != 10 || l.Teach != TeachError || l.FullCount != 5 || l.Repeat != 1 ||
		l.HalveEvery != 1 || l.EvalSet != EvalTrain || l.EvalRepeats != 2 || l.EvalCopies != 1 {
		t.Errorf("learning %+v", l)
	}
	// Ensembles: post neurons 0-2 and 3-5 get the same weight from each pre.
	w := map[[2]int32]float64{}
	n.Connections(0, func(pre, post int32, x float64) { w[[2]int32{pre, post}] = x })
	for i := range int32(3) {
		for j := range int32(6) {
			if w[[2]int32{i, j}] != w[[2]int32{i, j - j%3}] {
				t.Fatalf("pre %d post %d: %g, ensemble head %g", i, j, w[[2]int32{i, j}], w[[2]int32{i, j - j%3}])
			}
		}
		if w[[2]int32{i, 0}] == w[[2]int32{i, 3}] {
			t.Errorf("pre %d: both ensembles drew %g", i, w[[2]int32{i, 0}])
		}
	}
	// Zero sum: each hidden unit's feedback weights sum to 0, and ensemble
	// members share them.
	fb := map[int32]float64{}
	var first [6]float64
	n.Connections(2, func(pre, post int32, x float64) {
		fb[post] += x
		if pre == 0 {
			first[post] = x
		}
	})
	for j, s := range fb {
		if math.Abs(s) > 1e-9 {
			t.Errorf("feedback into %d sums to %g", j, s)
		}
	}
	if first[0] != first[2] || first[0] == 0 || first[0] == first[3] {
		t.Errorf("feedback from output 0: %v", first)
	}
}
