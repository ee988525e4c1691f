package nirimport

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/compiler/compilertest"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir"
	"github.com/ncx-project/ncx/reference"
)

func scalar(x float64) *hdf5.Value { return hdf5.Floats([]uint64{1}, []float64{x}) }

// oneLIF is Input(1) → Linear(w) → LIF(tau, r=1, v_leak=0, thr) → Output.
func oneLIF(w, tau, thr float64) *nir.File {
	return &nir.File{Graph: &nir.Graph{Nodes: map[string]*nir.Node{
		"in":  {Type: "Input", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{1}, []int64{1})}},
		"w":   {Type: "Linear", Params: map[string]*hdf5.Value{"weight": hdf5.Floats([]uint64{1, 1}, []float64{w})}},
		"lif": {Type: "LIF", Params: map[string]*hdf5.Value{"tau": scalar(tau), "r": scalar(1), "v_leak": scalar(0), "v_threshold": scalar(thr)}},
		"out": {Type: "Output", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{1}, []int64{1})}},
	}, Edges: [][2]string{{"in", "w"}, {"w", "lif"}, {"lif", "out"}}}}
}

// everyStep is an input spike on neuron 0 in each of steps steps.
func everyStep(steps int) []network.Spike {
	var spikes []network.Spike
	for s := 0; s < steps; s++ {
		spikes = append(spikes, network.Spike{Step: s, Index: 0})
	}
	return spikes
}

// importCompile imports f and compiles the result.
func importCompile(t *testing.T, f *nir.File, opts Options) (*Result, *core.Image) {
	t.Helper()
	res, err := Import(f, "test.nir", opts)
	if err != nil {
		t.Fatal(err)
	}
	im, _, err := compiler.Compile(res.Net, compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res, im
}

func spikeSteps(sp [][]uint32, id uint32) []int {
	var out []int
	for s, ids := range sp {
		for _, x := range ids {
			if x == id {
				out = append(out, s)
			}
		}
	}
	return out
}

// TestReferenceLIFAnalytic drives one LIF neuron with a spike every step:
// after n inputs, v = r·w·(1 − a^n) with a = exp(−dt/τ), so it fires after
// n* = ceil(ln(1 − θ/(r·w)) / ln a) inputs and again every n* steps (reset
// to 0). The float reference must fire exactly there (one step of synaptic
// latency: the first input arrives in step 1), and the emulator within a
// step.
func TestReferenceLIFAnalytic(t *testing.T) {
	const w, tau, thr, dt, steps = 2.0, 0.002, 1.0, 1e-4, 200
	spikes := everyStep(steps)
	res, im := importCompile(t, oneLIF(w, tau, thr), Options{Dt: dt, Profile: profile(t, "a7"), Steps: steps,
		Inputs: map[string][]network.Spike{"in": spikes}})
	ref, err := res.Reference(steps, im.Meta.Stimulus)
	if err != nil {
		t.Fatal(err)
	}
	nstar := int(math.Ceil(math.Log(1-thr/w) / math.Log(math.Exp(-dt/tau))))
	got := spikeSteps(ref, 1)
	if len(got) < 5 {
		t.Fatalf("reference spikes %v", got)
	}
	for k, s := range got {
		if want := (k + 1) * nstar; s != want {
			t.Fatalf("reference spike %d at step %d, want %d (n* = %d)", k, s, want, nstar)
		}
	}
	emu := spikeSteps(compilertest.Spikes(t, im, steps), 1)
	if len(emu) != len(got) {
		t.Fatalf("emulator fires %d times %v, reference %d times %v", len(emu), emu, len(got), got)
	}
	for k := range emu {
		if d := emu[k] - got[k]; d < -1 || d > 1 {
			t.Errorf("spike %d: emulator step %d, reference %d", k, emu[k], got[k])
		}
	}
}

// TestReferenceAgreement runs the recurrent CubaLIF fixture with Poisson-like
// input on the emulator and the float reference: spike counts agree within
// a few percent on the 24-bit profile.
func TestReferenceAgreement(t *testing.T) {
	f, _ := load(t, "cuba60")
	r := rand.New(rand.NewPCG(3, 4))
	const steps = 2000
	var spikes []network.Spike
	for s := 0; s < steps; s++ {
		for i := 0; i < 12; i++ {
			if r.Float64() < 0.3 {
				spikes = append(spikes, network.Spike{Step: s, Index: i})
			}
		}
	}
	res, im := importCompile(t, f, Options{Dt: 1e-3, Profile: profile(t, "sim"), Steps: steps, Method: MethodEuler,
		Inputs: map[string][]network.Spike{"input": spikes}})
	ref, err := res.Reference(steps, im.Meta.Stimulus)
	if err != nil {
		t.Fatal(err)
	}
	ag := reference.Compare(compilertest.Spikes(t, im, steps), ref, im.Meta.Populations, im.Meta.DtMs, 0)
	for _, p := range ag.Populations {
		t.Logf("%s: fixed %d float %d corr %.3f match %.1f%%", p.Name, p.FixedSpikes, p.FloatSpikes, p.CountCorr, 100*p.Matched)
		if p.Name == "cuba" {
			if p.FloatSpikes < 100 {
				t.Fatalf("too few spikes to compare: %d", p.FloatSpikes)
			}
			if ratio := float64(p.FixedSpikes) / float64(p.FloatSpikes); ratio < 0.95 || ratio > 1.05 {
				t.Errorf("spike count ratio %.3f", ratio)
			}
		}
	}
}

// TestEulerSnnTorch imports a LIF the way snnTorch exports a Leaky neuron
// (τ = dt/(1 − β), r = τ/dt) with --method euler: the core must get
// dv = round(4096·β) and a unit input gain, and the float model must follow
// snnTorch's recurrence u' = β·u + W·s (first spike after n inputs, the
// smallest n with W·(1 − β^n)/(1 − β) >= θ).
func TestEulerSnnTorch(t *testing.T) {
	const beta, dt, w, thr, steps = 0.9, 1e-3, 0.3, 1.0, 60
	tau := dt / (1 - beta)
	f := oneLIF(w, tau, thr)
	f.Graph.Nodes["lif"].Params["r"] = scalar(tau / dt)
	spikes := everyStep(steps)
	res, im := importCompile(t, f, Options{Dt: dt, Profile: profile(t, "sim"), Steps: steps, Method: MethodEuler,
		Inputs: map[string][]network.Spike{"in": spikes}})
	pop := res.Net.Populations[1]
	if want := int64(math.Round(4096 * beta)); pop.Raw.DV != want || pop.Raw.DI != 0 {
		t.Errorf("dv %d di %d, want %d and 0", pop.Raw.DV, pop.Raw.DI, want)
	}
	if g := res.targets[0].neur[0].gain; math.Abs(g-1) > 1e-12 {
		t.Errorf("input gain %g, want 1", g)
	}
	n := 1
	for w*(1-math.Pow(beta, float64(n)))/(1-beta) < thr {
		n++
	}
	ref, err := res.Reference(steps, im.Meta.Stimulus)
	if err != nil {
		t.Fatal(err)
	}
	got := spikeSteps(ref, 1)
	for k, s := range got {
		if s != (k+1)*n {
			t.Fatalf("spikes %v, want every %d steps", got, n)
		}
	}
	if len(got) != (steps-1)/n {
		t.Errorf("%d spikes in %d steps at a period of %d", len(got), steps, n)
	}
	if emu := spikeSteps(compilertest.Spikes(t, im, steps), 1); !reflect.DeepEqual(emu, got) {
		t.Errorf("emulator %v, float %v", emu, got)
	}
}

// TestResetSubtract drives an IF neuron (r·dt = 1, θ = 1) with w = 0.375
// every step. Reset by subtraction keeps the charge above θ, so input j
// (arriving in step j) makes a spike exactly when floor(0.375·j) steps up:
// steps 3, 6, 8, 11, 14, 16, …; reset to zero would fire every 3 steps. The
// mode comes from --reset or, without it, from the node's metadata; the float
// model, the YAML round trip and the emulator all follow it.
func TestResetSubtract(t *testing.T) {
	const w, dt, steps = 0.375, 1e-3, 64
	var want []int
	for j := 1; j < steps; j++ {
		if math.Floor(w*float64(j)) > math.Floor(w*float64(j-1)) {
			want = append(want, j)
		}
	}
	spikes := everyStep(steps)
	graph := func(meta string) *nir.File {
		f := oneLIF(w, 1, 1)
		n := f.Graph.Nodes["lif"]
		n.Type = "IF"
		n.Params = map[string]*hdf5.Value{"r": scalar(1 / dt), "v_threshold": scalar(1), "v_reset": scalar(0)}
		if meta != "" {
			n.Metadata = map[string]*hdf5.Value{MetaReset: hdf5.ScalarString(meta)}
		}
		return f
	}
	for _, c := range []struct {
		name, flag, meta string
		subtract         bool
	}{
		{"flag", "subtract", "", true},
		{"metadata", "", "subtract", true},
		{"flag overrides metadata", "zero", "subtract", false},
		{"default zero", "", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, im := importCompile(t, graph(c.meta), Options{Dt: dt, Profile: profile(t, "sim"), Steps: steps, Reset: c.flag,
				Inputs: map[string][]network.Spike{"in": spikes}})
			if im.Params[1].RSub != c.subtract {
				t.Fatalf("rsub %v, want %v", im.Params[1].RSub, c.subtract)
			}
			ref, err := res.Reference(steps, im.Meta.Stimulus)
			if err != nil {
				t.Fatal(err)
			}
			got := spikeSteps(ref, 1)
			if c.subtract && !reflect.DeepEqual(got, want) {
				t.Fatalf("float model spikes %v, want %v", got, want)
			}
			if !c.subtract && !reflect.DeepEqual(got, []int{3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60, 63}) {
				t.Fatalf("float model spikes %v, want every 3 steps", got)
			}
			if emu := spikeSteps(compilertest.Spikes(t, im, steps), 1); !reflect.DeepEqual(emu, got) {
				t.Errorf("emulator %v, float %v", emu, got)
			}
			sameImageViaYAML(t, res, "if.nir")
		})
	}
	f := graph("")
	f.Graph.Nodes["lif"].Params["v_threshold"] = scalar(-0.5)
	if _, err := Import(f, "if.nir", Options{Dt: dt, Profile: profile(t, "sim"), Reset: "subtract"}); err == nil || !strings.Contains(err.Error(), "reset by subtraction needs v_threshold") {
		t.Errorf("negative threshold with subtraction: %v", err)
	}
	f = graph("sideways")
	if _, err := Import(f, "if.nir", Options{Dt: dt, Profile: profile(t, "sim")}); err == nil || !strings.Contains(err.Error(), "metadata reset_mechanism") {
		t.Errorf("bad metadata: %v", err)
	}
}
