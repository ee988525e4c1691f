package compiler

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler/compilertest"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
	"github.com/ncx-project/ncx/network"
)

func load(t testing.TB, path string) *network.Network {
	t.Helper()
	n, err := network.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func parse(t testing.TB, y string) *network.Network {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "net.yaml")
	if err := os.WriteFile(p, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	return load(t, p)
}

func TestExamplesCompileAndSpike(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.yaml")
	if len(files) < 4 {
		t.Fatalf("found only %v", files)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			net := load(t, f)
			im, rep, err := Compile(net, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := rep.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			if _, err := json.Marshal(rep); err != nil {
				t.Fatalf("report does not marshal: %v", err)
			}
			if _, err := core.EncodeImage(im); err != nil {
				t.Fatal(err)
			}
			steps := min(im.Meta.Steps, 2000)
			spikes := compilertest.Spikes(t, im, steps)
			// Every LIF population must spike, and keep spiking in the
			// second half of the run (sustained activity). The output layer
			// of a learning network starts with near-zero weights: only
			// training (ncx learn) makes it fire.
			for _, p := range im.Meta.Populations {
				if p.Kind != "lif" && p.Kind != "burst" {
					continue
				}
				if t := net.Teacher; t != nil && net.Learning != nil && p.Name == t.Population {
					continue
				}
				first, second := 0, 0
				for s, ids := range spikes {
					for _, id := range ids {
						if int(id) >= p.First && int(id) < p.First+p.Count {
							if s < steps/2 {
								first++
							} else {
								second++
							}
						}
					}
				}
				if first == 0 || second == 0 {
					t.Errorf("population %s: %d spikes in the first half, %d in the second", p.Name, first, second)
				}
			}
		})
	}
}

func TestCubaFitsSimNotA7(t *testing.T) {
	net := load(t, "../examples/cuba.yaml")
	im, rep, err := Compile(net, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if im.Profile.Name != "sim" || rep.Neurons != 4000 || rep.Synapses < 300000 || rep.Synapses > 340000 {
		t.Errorf("profile %s, %d neurons, %d synapses", im.Profile.Name, rep.Neurons, rep.Synapses)
	}
	a7 := core.Profiles["a7"]
	_, _, err = Compile(net, Options{Profile: &a7})
	var fe *FitError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FitError, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"compile ", "cuba.yaml: does not fit profile a7: neurons 4,000 > capacity 1,024 (over by 2,976); largest populations: exc 3,200, inh 800",
		"synapses about 3", "> capacity 32,768", "largest projections: ee 204,"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

const base = `name: t
target: tiny
dt: 1
steps: 200
seed: 9
populations:
  - {name: in, kind: poisson, size: 8, rate_hz: 50, trace: {tau: 20, inc: 100}}
  - name: a
    kind: lif
    size: 20
    tau_mem: 20
    tau_syn: 5
    v_rest: -65
    v_thresh: -50
    v_reset: -70
    t_ref: 3
    trace: {tau: 20, inc: 100}
projections:
`

// TestResetSubtract: reset: subtract sets rsub on the population's neurons
// only (physical and raw), leaves vreset 0, and the report says so; the
// image of a description without it has no subtracting neuron.
func TestResetSubtract(t *testing.T) {
	im, _, err := Compile(parse(t, base+"  []\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, q := range im.Params {
		if q.RSub {
			t.Fatalf("neuron %d subtracts without reset: subtract", k)
		}
	}
	y := strings.Replace(base, "    v_reset: -70\n", "    reset: subtract\n", 1) +
		"  []\n"
	y = strings.Replace(y, "projections:\n  []\n", `  - {name: r, kind: lif, size: 2, reset: subtract, raw: {thr: 50, vreset: 0, dv: 4096, di: 0, bias: 20}}
projections:
  []
`, 1)
	im, rep, err := Compile(parse(t, y), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, q := range im.Params {
		if want := k >= 8; q.RSub != want || (want && q.VReset != 0) {
			t.Fatalf("neuron %d: rsub %v vreset %d, want rsub %v and vreset 0", k, q.RSub, q.VReset, want)
		}
	}
	for _, p := range rep.Populations[1:] {
		if p.Reset != "subtract" {
			t.Errorf("population %s: report reset %q", p.Name, p.Reset)
		}
		for _, q := range p.Params {
			if q.Name == "v_reset" {
				t.Errorf("population %s reports a v_reset", p.Name)
			}
		}
	}
	var txt strings.Builder
	if err := rep.WriteText(&txt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(txt.String(), "reset subtract") {
		t.Errorf("text report does not name the reset mode:\n%s", txt.String())
	}
	// the raw neurons charge by 20 a step and keep the remainder over 50
	c, err := emulator.New(im)
	if err != nil {
		t.Fatal(err)
	}
	var vs []int32
	for range 5 {
		c.Step()
		vs = append(vs, c.V(28))
	}
	if !slices.Equal(vs, []int32{20, 40, 10, 30, 0}) {
		t.Errorf("raw subtracting neuron: v %v, want [20 40 10 30 0]", vs)
	}
}

func TestSynapsesOverflowNamesProjections(t *testing.T) {
	net := parse(t, base+`  - {name: big, pre: a, post: a, connect: all_to_all, weight: 1}
  - {name: dense, pre: in, post: a, connect: all_to_all, weight: 1, stdp: {a_plus: 0.1, a_minus: 0.1, w_min: 0, w_max: 2}}
`)
	p := core.Profile{Name: "mini", NB: 6, SB: 8, RB: 7, VW: 16}
	_, _, err := Compile(net, Options{Profile: &p})
	if err == nil {
		t.Fatal("no error")
	}
	want := "does not fit profile mini: synapses 540 > capacity 256 (over by 284); largest projections: big 380, dense 160; plastic synapses 160 > capacity 128 (over by 32); largest projections: dense 160"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestTooManyRules(t *testing.T) {
	y := base
	for k := 0; k < 8; k++ {
		y += fmt.Sprintf("  - {name: p%d, pre: in, post: a, connect: one_to_one, weight: 1, stdp: {a_plus: %d, a_minus: 0.1, w_min: 0, w_max: 20}}\n", k, k+1)
	}
	y = strings.Replace(y, "size: 8,", "size: 20,", 1)
	_, _, err := Compile(parse(t, y), Options{})
	if err == nil || !strings.Contains(err.Error(), `projections[7].stdp: projection "p7" needs an 8th distinct plasticity rule`) {
		t.Fatalf("got %v", err)
	}
}

func TestTRefTooLong(t *testing.T) {
	y := strings.Replace(base, "t_ref: 3", "t_ref: 300", 1)
	_, _, err := Compile(parse(t, y+"  []\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "populations[1].t_ref: 300 ms is 300 steps at dt=1 ms, above the hardware maximum 255") {
		t.Fatalf("got %v", err)
	}
}

// TestTables checks the layout promises: rows by source, projections in file
// order within a row, targets ascending within a projection; rev rows per
// target; weights and parameters as documented.
func TestTables(t *testing.T) {
	net := parse(t, base+`  - {name: x, pre: in, post: a, connect: {fixed_probability: 0.5}, weight: {uniform: [1, 4]}, stdp: {a_plus: 0.2, a_minus: 0.25, w_min: 0, w_max: 5}}
  - {name: y, pre: a, post: a, connect: {fixed_probability: 0.3}, weight: -2}
  - {name: z, pre: in, post: a, connect: {list: [[0, 5, 1], [0, 2, 1], [3, 1, -1]]}}
`)
	im, rep, err := Compile(net, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for src, f := range im.Fanout {
		row := im.Syn[f.FoBase : f.FoBase+f.FoCnt]
		proj := im.Meta.SynProj[f.FoBase : f.FoBase+f.FoCnt]
		for k := 1; k < len(row); k++ {
			if proj[k] < proj[k-1] || (proj[k] == proj[k-1] && row[k].Tgt <= row[k-1].Tgt) {
				t.Fatalf("neuron %d: row not ordered by (projection, target): %v %v", src, proj, row)
			}
		}
		if k := f.FoBase; src > 0 && k != im.Fanout[src-1].FoBase+im.Fanout[src-1].FoCnt {
			t.Fatalf("rows not contiguous at neuron %d", src)
		}
	}
	if len(im.Rev) != rep.PlasticSynapses || rep.PlasticSynapses != im.Meta.Projections[0].Count {
		t.Errorf("rev %d, plastic %d", len(im.Rev), rep.PlasticSynapses)
	}
	// in (8 neurons) -> a: weights up to 4 mV, factor (1-e^-1/20)/vscale.
	pop := im.Meta.Populations[1]
	if pop.First != 8 || pop.Kind != "lif" {
		t.Errorf("layout %+v", pop)
	}
	factor := (1 - mathExp(-1.0/20)) / pop.VScale
	wexp := im.Meta.Projections[0].WExp
	if got := chooseWExp(5 * factor); got != wexp {
		t.Errorf("wexp %d, want %d (w_max included)", wexp, got)
	}
	q := im.Params[pop.First]
	if q.DV != uint16(mathRound(4096*mathExp(-1.0/20))) || q.DI != uint16(mathRound(4096*mathExp(-1.0/5))) || q.TRef != 3 {
		t.Errorf("params %+v", q)
	}
	if q.Thr != int32(mathRound(15/pop.VScale)) || q.VReset != int32(mathRound(-5/pop.VScale)) {
		t.Errorf("thr %d vreset %d vscale %g", q.Thr, q.VReset, pop.VScale)
	}
	// The largest voltage (thr 15 mV from rest) uses a quarter of 16 bits.
	if q.Thr != 8192 {
		t.Errorf("thr %d, want 8192", q.Thr)
	}
	if in := im.Params[0]; in.Thr != im.Profile.VMax() || in.DV != 0 || in.TrInc != 100 {
		t.Errorf("input params %+v", in)
	}
	if im.Rules[1].APlus == 0 || im.Rules[1].WMax == 0 || im.Syn[im.Rev[0].SAddr].Rule != 1 {
		t.Errorf("rule %+v", im.Rules[1])
	}
	// Deterministic: the same image twice.
	im2, _, _ := Compile(net, Options{})
	b1, _ := core.EncodeImage(im)
	b2, _ := core.EncodeImage(im2)
	if !bytes.Equal(b1, b2) {
		t.Error("compiling twice gives different images")
	}
	// Seed and steps overrides.
	seed := uint64(10)
	im3, _, err := Compile(net, Options{Seed: &seed, Steps: 50})
	if err != nil {
		t.Fatal(err)
	}
	b3, _ := core.EncodeImage(im3)
	if bytes.Equal(b1, b3) || im3.Meta.Steps != 50 || im3.Meta.Seed != 10 {
		t.Error("overrides ignored")
	}
	for _, s := range im3.Meta.Stimulus {
		if s.Step >= 50 {
			t.Fatalf("stimulus beyond steps: %+v", s)
		}
	}
}

func TestResolveTarget(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "p.yaml"), []byte("name: mine\nnb: 7\nsb: 12\nrb: 10\nvw: 18\nclock_hz: 1e6\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("name: mine\nnb: 7\nsb: 12\nrb: 10\nvw: 18\nextra: 1\n"), 0o644)
	p, err := ResolveTarget("p.yaml", dir)
	if err != nil || p.Name != "mine" || p.NB != 7 || p.VW != 18 {
		t.Fatalf("%+v %v", p, err)
	}
	if p, err := ResolveTarget("a7", dir); err != nil || p.NB != 10 {
		t.Fatalf("%+v %v", p, err)
	}
	if _, err := ResolveTarget("bad.yaml", dir); err == nil || !strings.Contains(err.Error(), "extra") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := ResolveTarget("a8", dir); err == nil || !strings.Contains(err.Error(), "known: tiny") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := ResolveTarget("none.yaml", dir); err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("missing file: %v", err)
	}
	net := parse(t, strings.Replace(base, "target: tiny", "target: nope.yaml", 1)+"  []\n")
	if _, _, err := Compile(net, Options{}); err == nil || !strings.Contains(err.Error(), "net.yaml:2: target:") {
		t.Errorf("compile with missing profile file: %v", err)
	}
}

// bigNet is two populations with fixed_probability connections giving about
// nSyn synapses, for the speed and memory checks.
func bigNet(t testing.TB, nSyn int) *network.Network {
	const n = 5000
	p := float64(nSyn) / (2 * n * n)
	return parse(t, fmt.Sprintf(`name: big
target: sim
dt: 0.1
populations:
  - {name: a, kind: lif, size: %d, tau_mem: 20, tau_syn: 5, v_rest: -49, v_thresh: -50, v_reset: -60}
  - {name: b, kind: lif, size: %d, tau_mem: 20, tau_syn: 5, v_rest: -49, v_thresh: -50, v_reset: -60, trace: {tau: 20, inc: 64}}
projections:
  - {pre: a, post: b, connect: {fixed_probability: %g}, weight: {uniform: [0, 2]}}
  - {pre: b, post: a, connect: {fixed_probability: %g}, weight: -3}
`, n, n, p, p))
}

func TestCompileMemory(t *testing.T) {
	net := bigNet(t, 200000)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	im, rep, err := Compile(net, Options{})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	// TotalAlloc counts every byte allocated during Compile, which bounds
	// the peak heap it needs from above.
	per := float64(after.TotalAlloc-before.TotalAlloc) / float64(rep.Synapses)
	t.Logf("%d synapses, %.1f bytes allocated per synapse", rep.Synapses, per)
	if per >= 64 {
		t.Errorf("%.1f bytes per synapse, want < 64", per)
	}
	runtime.KeepAlive(im)
}

func BenchmarkCompile1M(b *testing.B) {
	net := bigNet(b, 1000000)
	b.ReportAllocs()
	var syn int
	for b.Loop() {
		_, rep, err := Compile(net, Options{})
		if err != nil {
			b.Fatal(err)
		}
		syn = rep.Synapses
	}
	b.ReportMetric(float64(syn), "synapses")
}
