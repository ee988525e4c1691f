package network

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// write puts files into a fresh directory and returns the path of net.yaml.
func write(t testing.TB, yaml string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(dir, "net.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const good = `name: t
dt: 0.1
steps: 100
seed: 3
populations:
  - name: in
    kind: poisson
    size: 10
    rate_hz: 20
    trace: {tau: 20, inc: 64}
  - name: exc
    kind: lif
    size: 20
    tau_mem: 20
    tau_syn: 5
    v_rest: -65
    v_thresh: -50
    v_reset: -70
    t_ref: 2
    v_init: {uniform: [-70, -55]}
    trace: {tau: 20, inc: 64}
projections:
  - name: ie
    pre: in
    post: exc
    connect: {fixed_probability: 0.5, seed: 7}
    weight: {normal: [2, 0.5]}
    stdp: {a_plus: 0.1, a_minus: 0.12, w_min: 0, w_max: 4}
  - pre: exc
    post: exc
    connect: all_to_all
    weight: 0.5
probes:
  - {population: exc, neurons: [0, 1], vars: [spikes, v]}
  - {projection: ie, vars: [weights]}
`

func TestLoadGood(t *testing.T) {
	n, err := Load(write(t, good, nil))
	if err != nil {
		t.Fatal(err)
	}
	if n.Name != "t" || n.Dt != 0.1 || n.Steps != 100 || n.Seed != 3 || n.Target != "sim" {
		t.Errorf("header: %+v", n)
	}
	if len(n.Populations) != 2 || len(n.Projections) != 2 || len(n.Probes) != 2 {
		t.Fatalf("counts: %d %d %d", len(n.Populations), len(n.Projections), len(n.Probes))
	}
	if got := n.Projections[1].Name; got != "exc->exc" {
		t.Errorf("default projection name %q", got)
	}
	if n.Projections[1].Connect.AllowSelf {
		t.Error("self-connections within a population must be opt-in")
	}
	self := 0
	cnt := 0
	n.Connections(1, func(i, j int32, w float64) {
		cnt++
		if i == j {
			self++
		}
	})
	if cnt != 20*19 || self != 0 {
		t.Errorf("all_to_all without self: %d synapses, %d self", cnt, self)
	}
	if off := n.Offsets(); off[1] != 10 || n.NumNeurons() != 30 {
		t.Errorf("offsets %v", off)
	}
}

func TestDeterministicExpansion(t *testing.T) {
	n, err := Load(write(t, good, nil))
	if err != nil {
		t.Fatal(err)
	}
	collect := func() (out []float64) {
		n.Connections(0, func(i, j int32, w float64) { out = append(out, float64(i), float64(j), w) })
		return out
	}
	a, b := collect(), collect()
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("lengths %d %d", len(a), len(b))
	}
	for k := range a {
		if a[k] != b[k] {
			t.Fatal("Connections is not deterministic")
		}
	}
	s1, s2 := n.Stimulus(1000), n.Stimulus(1000)
	if len(s1) == 0 || len(s1) != len(s2) {
		t.Fatalf("stimulus lengths %d %d", len(s1), len(s2))
	}
	// 10 neurons at 20 Hz for 100 ms: about 20 spikes.
	if len(s1) < 5 || len(s1) > 45 {
		t.Errorf("poisson produced %d spikes, want about 20", len(s1))
	}
	for k := 1; k < len(s1); k++ {
		if s1[k].Step < s1[k-1].Step || (s1[k].Step == s1[k-1].Step && s1[k].Neuron <= s1[k-1].Neuron) {
			t.Fatal("stimulus not sorted by (step, neuron)")
		}
	}
}

func TestFixedProbabilityRate(t *testing.T) {
	y := strings.Replace(good, "fixed_probability: 0.5, seed: 7", "fixed_probability: 0.02", 1)
	y = strings.Replace(y, "size: 10\n", "size: 1000\n", 1)
	y = strings.Replace(y, "size: 20\n", "size: 1000\n", 1)
	y = strings.Replace(y, "neurons: [0, 1], ", "", 1)
	n, err := Parse([]byte(y), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cnt := 0
	n.Connections(0, func(i, j int32, w float64) { cnt++ })
	if cnt < 19000 || cnt > 21000 {
		t.Errorf("p=0.02 over 1e6 pairs gave %d synapses", cnt)
	}
}

// TestBadInputs checks the message of every kind of mistake: each case
// replaces one piece of the good file (or adds files) and expects an error at
// a given line naming a given field.
func TestBadInputs(t *testing.T) {
	cases := []struct {
		name      string
		old, new  string // replacement in good
		files     map[string]string
		want      string // substring of the message, including file:line
		errInFile string // the file the error must name (default net.yaml)
	}{
		{"negative tau_mem", "tau_mem: 20", "tau_mem: -5", nil, "net.yaml:14: populations[1].tau_mem: must be > 0, got -5", ""},
		{"zero tau_syn", "tau_syn: 5", "tau_syn: 0", nil, "net.yaml:15: populations[1].tau_syn: must be > 0, got 0", ""},
		{"zero dt", "dt: 0.1", "dt: 0", nil, "net.yaml:2: dt: must be > 0, got 0", ""},
		{"negative dt", "dt: 0.1", "dt: -1", nil, "net.yaml:2: dt: must be > 0, got -1", ""},
		{"missing dt", "dt: 0.1\n", "", nil, "net.yaml:1: dt: required field is missing", ""},
		{"probability above 1", "fixed_probability: 0.5", "fixed_probability: 1.5", nil, "net.yaml:26: projections[0].connect.fixed_probability: probability must be in [0, 1], got 1.5", ""},
		{"negative probability", "fixed_probability: 0.5", "fixed_probability: -0.1", nil, "projections[0].connect.fixed_probability: probability must be in [0, 1], got -0.1", ""},
		{"dangling pre", "pre: in\n", "pre: nope\n", nil, `net.yaml:24: projections[0].pre: no population named "nope"`, ""},
		{"dangling post", "post: exc\n    connect: all", "post: nope\n    connect: all", nil, `net.yaml:30: projections[1].post: no population named "nope"`, ""},
		{"dangling probe", "{population: exc, neurons", "{population: exx, neurons", nil, `net.yaml:34: probes[0].population: no population named "exx"`, ""},
		{"dangling probe projection", "{projection: ie,", "{projection: xx,", nil, `probes[1].projection: no projection named "xx"`, ""},
		{"size zero", "size: 20", "size: 0", nil, "net.yaml:13: populations[1].size: must be between 1 and 16777216, got 0", ""},
		{"size negative", "size: 10", "size: -3", nil, "net.yaml:8: populations[0].size: must be between 1 and 16777216, got -3", ""},
		{"size fractional", "size: 10", "size: 2.5", nil, `populations[0].size: must be an integer, got "2.5"`, ""},
		{"missing size", "    size: 10\n", "", nil, "net.yaml:6: populations[0].size: required field is missing", ""},
		{"missing kind", "    kind: lif\n", "", nil, "net.yaml:11: populations[1].kind: required field is missing", ""},
		{"missing v_thresh", "    v_thresh: -50\n", "", nil, "populations[1].v_thresh: required field is missing", ""},
		{"missing weight", "    weight: 0.5\n", "", nil, "net.yaml:29: projections[1].weight: required field is missing", ""},
		{"unknown kind", "kind: lif", "kind: izh", nil, `net.yaml:12: populations[1].kind: unknown kind "izh"`, ""},
		{"unknown top field", "seed: 3\n", "seed: 3\nfoo: 1\n", nil, "net.yaml:5: foo: unknown field", ""},
		{"unknown population field", "t_ref: 2\n", "t_ref: 2\n    tau_ref: 2\n", nil, "net.yaml:20: populations[1].tau_ref: unknown field", ""},
		{"unknown stdp field", "w_max: 4}", "w_max: 4, tau: 3}", nil, "net.yaml:28: projections[0].stdp.tau: unknown field", ""},
		{"duplicate population", "name: exc", "name: in", nil, `net.yaml:11: populations[1].name: duplicate population name "in" (also populations[0])`, ""},
		{"duplicate projection", "  - pre: exc\n", "  - name: ie\n    pre: exc\n", nil, `projections[1].name: duplicate projection name "ie"`, ""},
		{"duplicate key", "seed: 3\n", "seed: 3\nseed: 4\n", nil, "net.yaml:5: seed: duplicate field", ""},
		{"input as target", "pre: exc\n    post: exc", "pre: exc\n    post: in", nil, `net.yaml:30: projections[1].post: population "in" is an input (poisson) and cannot receive synapses`, ""},
		{"reset above threshold", "v_reset: -70", "v_reset: -40", nil, "net.yaml:18: populations[1].v_reset: must be below v_thresh (-50), got -40", ""},
		{"unknown reset", "v_reset: -70\n", "v_reset: -70\n    reset: hold\n", nil, `net.yaml:19: populations[1].reset: unknown reset "hold" (want zero or subtract)`, ""},
		{"v_reset with subtract", "v_reset: -70\n", "v_reset: -70\n    reset: subtract\n", nil, "net.yaml:18: populations[1].v_reset: not used with reset: subtract", ""},
		{"subtract threshold below rest", "v_thresh: -50\n    v_reset: -70\n", "v_thresh: -66\n    reset: subtract\n", nil, "net.yaml:17: populations[1].v_thresh: must be above v_rest (-65) with reset: subtract, got -66", ""},
		{"reset on input", "rate_hz: 20\n", "rate_hz: 20\n    reset: subtract\n", nil, "populations[0].reset: not allowed for input population kind poisson", ""},
		{"negative t_ref", "t_ref: 2", "t_ref: -1", nil, "populations[1].t_ref: must be >= 0, got -1", ""},
		{"bad uniform", "uniform: [-70, -55]", "uniform: [-55, -70]", nil, "populations[1].v_init.uniform: lower bound -55 is above upper bound -70", ""},
		{"not a number", "rate_hz: 20", "rate_hz: fast", nil, `net.yaml:9: populations[0].rate_hz: must be a number, got "fast"`, ""},
		{"rate too high", "rate_hz: 20", "rate_hz: 20000", nil, "populations[0].rate_hz: must be in 0..10000", ""},
		{"trace inc range", "trace: {tau: 20, inc: 64}\n  - name: exc", "trace: {tau: 20, inc: 300}\n  - name: exc", nil, "net.yaml:10: populations[0].trace.inc: must be in 0..255, got 300", ""},
		{"trace needed by stdp", "    trace: {tau: 20, inc: 64}\nprojections", "projections", nil, `populations[1].trace: required: projection "ie"`, ""},
		{"stdp bounds", "w_min: 0, w_max: 4", "w_min: 5, w_max: 4", nil, "projections[0].stdp.w_min: must be <= w_max (4), got 5", ""},
		{"physical on input", "rate_hz: 20\n", "rate_hz: 20\n    tau_mem: 3\n", nil, "populations[0].tau_mem: not allowed for input population kind poisson", ""},
		{"probe neuron out of range", "neurons: [0, 1]", "neurons: [0, 20]", nil, "probes[0].neurons[1]: must be in 0..19, got 20", ""},
		{"probe var", "vars: [spikes, v]", "vars: [spikes, u]", nil, `probes[0].vars[1]: unknown population variable "u"`, ""},
		{"one_to_one sizes", "connect: all_to_all", "connect: one_to_one", nil, "", ""}, // same population: fine
		{"one_to_one mismatch", "connect: {fixed_probability: 0.5, seed: 7}", "connect: one_to_one", nil, `projections[0].connect: one_to_one needs equal sizes, but "in" has 10 and "exc" has 20`, ""},
		{"two connect kinds", "connect: all_to_all", "connect: {all_to_all: {}, one_to_one: true}", nil, "projections[1].connect: must name exactly one of", ""},
		{"list index", "connect: all_to_all", "connect: {list: [[0, 1], [2, 25]]}", nil, `net.yaml:31: projections[1].connect.list[1]: post index 25 outside population "exc" (size 20)`, ""},
		{"list mixed weights", "connect: all_to_all", "connect: {list: [[0, 1, 3], [2, 5]]}", nil, "projections[1].connect.list: either every entry or none carries a weight", ""},
		{"csv missing file", "connect: all_to_all", "connect: {csv: nofile.csv}", nil, "net.yaml:31: projections[1].connect.csv: cannot open nofile.csv", ""},
		{"csv columns", "connect: all_to_all", "connect: {csv: c.csv}", map[string]string{"c.csv": "pre,post,w\n0,1,2\n0,2\n"}, "c.csv:3: want 3 columns like the first row, got 2", "c.csv"},
		{"csv index", "connect: all_to_all", "connect: {csv: c.csv}", map[string]string{"c.csv": "0,1\n# comment\n\n30,2\n"}, `c.csv:4: pre index 30 outside population "exc" (size 20)`, "c.csv"},
		{"csv bad number", "connect: all_to_all", "connect: {csv: c.csv}", map[string]string{"c.csv": "0,1,2\n0,x,2\n"}, `c.csv:2: pre and post must be integers`, "c.csv"},
		{"spike file missing", "kind: poisson\n    size: 10\n    rate_hz: 20", "kind: spike_times\n    size: 10\n    file: none.csv", nil, "net.yaml:9: populations[0].file: cannot open", ""},
		{"spike file index", "kind: poisson\n    size: 10\n    rate_hz: 20", "kind: spike_times\n    size: 10\n    file: s.csv", map[string]string{"s.csv": "step,index\n1,2\n3,10\n"}, `s.csv:3: neuron index 10 outside population "in" (size 10)`, "s.csv"},
		{"spike file columns", "kind: poisson\n    size: 10\n    rate_hz: 20", "kind: spike_times\n    size: 10\n    file: s.csv", map[string]string{"s.csv": "1,2\n3,4,5\n"}, "s.csv:2: want 2 columns", "s.csv"},
		{"spike file header", "kind: poisson\n    size: 10\n    rate_hz: 20", "kind: spike_times\n    size: 10\n    file: s.csv", map[string]string{"s.csv": "when,who\n"}, `s.csv:1: header must be "step,index" or "time_ms,index"`, "s.csv"},
		{"spike list index", "kind: poisson\n    size: 10\n    rate_hz: 20", "kind: spike_list\n    size: 10\n    times: [[1, 5], [10, 5]]", nil, `net.yaml:9: populations[0].times[1]: neuron index 10 outside population "in" (size 10)`, ""},
		{"populations not a list", "populations:\n", "populations: 3\nx:\n", nil, "net.yaml:5: populations: must be a list, got \"3\"", ""},
		{"syntax error", "seed: 3\n", "seed: [3\n", nil, "net.yaml:", ""},
		{"raw and physical", "    t_ref: 2\n", "    t_ref: 2\n    raw: {thr: 1, vreset: 0, dv: 4000, di: 4000}\n", nil, "populations[1].tau_mem: cannot be combined with raw", ""},
		{"raw range", "kind: lif\n    size: 20\n    tau_mem: 20\n    tau_syn: 5\n    v_rest: -65\n    v_thresh: -50\n    v_reset: -70\n    t_ref: 2\n    v_init: {uniform: [-70, -55]}\n    trace: {tau: 20, inc: 64}\n", "kind: lif\n    size: 20\n    raw: {thr: 1, vreset: 0, dv: 5000, di: 4000}\n", nil, "net.yaml:14: populations[1].raw.dv: must be in 0..4096, got 5000", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.old) {
				t.Fatalf("test bug: %q not in the good file", c.old)
			}
			y := strings.Replace(good, c.old, c.new, 1)
			path := write(t, y, c.files)
			_, err := Load(path)
			checkLoadErr(t, path, err, c.want, c.errInFile)
		})
	}
}

// checkLoadErr checks Load(path)'s err: nil if want is empty, else an *Error
// naming file inFile (net.yaml if empty) whose message, with path's
// directory stripped, contains want.
func checkLoadErr(t *testing.T, path string, err error, want, inFile string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T is not *Error: %v", err, err)
	}
	if inFile == "" {
		inFile = "net.yaml"
	}
	if filepath.Base(e.File) != inFile {
		t.Errorf("error names file %q, want %s", e.File, inFile)
	}
	msg := strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), "")
	if !strings.Contains(msg, want) {
		t.Errorf("error\n  %s\nwant it to contain\n  %s", msg, want)
	}
}

func TestEmptyAndMissing(t *testing.T) {
	if _, err := Parse(nil, "e.yaml"); err == nil || !strings.HasPrefix(err.Error(), "e.yaml: ") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "no.yaml")); err == nil || !strings.Contains(err.Error(), "no.yaml: cannot read") {
		t.Errorf("missing file: %v", err)
	}
}

func TestJSONAccepted(t *testing.T) {
	j := `{"name": "j", "dt": 1, "populations": [{"name": "a", "kind": "spike_list", "size": 2, "times": [[0, 1], [1, 3]]},
	{"name": "b", "kind": "lif", "size": 2, "tau_mem": 10, "tau_syn": 2, "v_rest": 0, "v_thresh": 1, "v_reset": 0}],
	"projections": [{"pre": "a", "post": "b", "connect": "one_to_one", "weight": 2}]}`
	n, err := Parse([]byte(j), "net.json")
	if err != nil {
		t.Fatal(err)
	}
	st := n.Stimulus(10)
	if len(st) != 2 || st[0].Step != 1 || st[1].Neuron != 1 {
		t.Errorf("stimulus %v", st)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("dt: 1\npopulations: [{name: a, kind: lif, size: 1}]"))
	f.Add([]byte("a: &x [*x]"))
	f.Add([]byte("{\"dt\": 1e400}"))
	f.Add([]byte("populations:\n  - &p {name: a, kind: spike_list, size: 3, times: [[0, 1]]}\n  - *p\ndt: 1\n"))
	// Burst units, burst channels, BDSP and a teacher (the dataset file is
	// missing under the fuzzer, so these exercise the error paths too).
	f.Add([]byte(burstGood))
	f.Add([]byte(`dt: 1
populations:
  - {name: i, kind: poisson, size: 2, rate_hz: 10, trace: {tau: 5, inc: 9}}
  - {name: h, kind: burst, size: 2, tau_mem: 9, tau_syn: 2, v_rest: 0, v_thresh: 1, v_reset: 0, trace: {tau: 5, inc: 9}, apical: {tau: 3, offset: 1, slope: 2, mode: stochastic, pbar_tau: 4}}
  - {name: o, kind: burst, size: 2, tau_mem: 9, tau_syn: 2, v_rest: 0, v_thresh: 1, v_reset: 0, apical: {tau: 3, offset: 1, slope: 2, teach: 1}}
projections:
  - {pre: i, post: h, connect: all_to_all, weight: 1, bdsp: {eta: 1, w_min: 0, w_max: 2}}
  - {pre: h, post: o, connect: one_to_one, weight: 1, bdsp: {eta: 1, w_min: 0, w_max: 2}}
  - {pre: o, post: h, channel: burst, connect: all_to_all, weight: 1}
  - {pre: h, post: h, channel: burst, connect: all_to_all, weight: -1}
`))
	f.Add([]byte("dt: 1\ndatasets: [{name: d, file: /nonexistent.csv.gz, features: 2, classes: 2}]\npopulations: [{name: a, kind: dataset_input, dataset: d, rate_hz: 5, present_steps: 3}]\nteacher: {population: a, dataset: d, on: 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		// A loaded network must expand without trouble.
		if n.NumNeurons() < 1 || n.Dt <= 0 {
			t.Fatalf("accepted invalid network: %+v", n)
		}
	})
}
