package reference

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/compiler/compilertest"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
)

func parse(t *testing.T, y string) *network.Network {
	t.Helper()
	p := filepath.Join(t.TempDir(), "net.yaml")
	if err := os.WriteFile(p, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := network.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const feedforward = `name: ff
target: a7
dt: 0.5
steps: 4000
seed: 11
populations:
  - {name: in, kind: poisson, size: 100, rate_hz: 20}
  - name: out
    kind: lif
    size: 100
    tau_mem: 20
    tau_syn: 5
    v_rest: -65
    v_thresh: -50
    v_reset: -65
    t_ref: 2
    v_init: {uniform: [-65, -55]}
projections:
  - {pre: in, post: out, connect: {fixed_probability: 0.2}, weight: {uniform: [0, 12]}}
`

// TestAgreementFeedforward: a well-quantised network must agree closely with
// its float reference. On the 24-bit sim profile quantisation is negligible
// and spikes match in time; on 16-bit a7 the counts still agree, but the
// decay of small currents, which rounds toward zero by 1 LSB, removes a few
// percent of the charge, so rates are lower and spike times drift.
func TestAgreementFeedforward(t *testing.T) {
	for _, c := range []struct {
		profile              string
		corr, ratio, matched float64
	}{{"sim", 0.98, 0.03, 0.9}, {"a7", 0.95, 0.15, 0.4}} {
		t.Run(c.profile, func(t *testing.T) {
			prof := core.Profiles[c.profile]
			agreement(t, &prof, c.corr, c.ratio, c.matched)
		})
	}
}

func agreement(t *testing.T, prof *core.Profile, minCorr, maxRatioErr, minMatched float64) {
	net := parse(t, feedforward)
	im, _, err := compiler.Compile(net, compiler.Options{Profile: prof})
	if err != nil {
		t.Fatal(err)
	}
	steps := im.Meta.Steps
	fixed := compilertest.Spikes(t, im, steps)
	res, err := Run(net, steps, im.Meta.Stimulus)
	if err != nil {
		t.Fatal(err)
	}
	ag := Compare(fixed, res.Spikes, im.Meta.Populations, net.Dt, 0)
	out := ag.Populations[1]
	t.Logf("%+v", out)
	if out.FloatSpikes < 500 {
		t.Fatalf("float run barely spikes (%d): the test network is too quiet", out.FloatSpikes)
	}
	if out.CountCorr < minCorr || math.Abs(out.RateRatio-1) > maxRatioErr || out.Matched < minMatched {
		t.Errorf("poor agreement: corr %.3f ratio %.3f matched %.3f", out.CountCorr, out.RateRatio, out.Matched)
	}
	if in := ag.Populations[0]; in.CountCorr != 1 || in.Matched != 1 || in.RateRatio != 1 {
		t.Errorf("inputs are forced and must agree exactly: %+v", in)
	}
}

// TestNilStimulusIsNetworkStimulus: Run(nil) uses the same stimulus the
// compiler puts in the image.
func TestNilStimulusIsNetworkStimulus(t *testing.T) {
	net := parse(t, feedforward)
	a, err := Run(net, 500, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(net, 500, net.Stimulus(500))
	if err != nil {
		t.Fatal(err)
	}
	for s := range a.Spikes {
		if len(a.Spikes[s]) != len(b.Spikes[s]) {
			t.Fatalf("step %d differs", s)
		}
	}
	if _, err := Run(net, 10, []core.InputSpike{{Step: 1, Neuron: 1000}}); err == nil {
		t.Error("out-of-range stimulus accepted")
	}
}

// TestSTDPDirection: a pre neuron that always fires 2 steps before the post
// neuron potentiates; one that always fires 2 steps after depresses.
func TestSTDPDirection(t *testing.T) {
	net := parse(t, `dt: 1
steps: 400
populations:
  - {name: early, kind: spike_list, size: 1, times: [[0, 10], [0, 60], [0, 110], [0, 160]], trace: {tau: 10, inc: 200}}
  - {name: driver, kind: spike_list, size: 1, times: [[0, 12], [0, 62], [0, 112], [0, 162]]}
  - {name: late, kind: spike_list, size: 1, times: [[0, 16], [0, 66], [0, 116], [0, 166]], trace: {tau: 10, inc: 200}}
  - {name: post, kind: lif, size: 1, tau_mem: 10, tau_syn: 1, v_rest: 0, v_thresh: 10, v_reset: 0, t_ref: 10, trace: {tau: 10, inc: 200}}
projections:
  - {name: d, pre: driver, post: post, connect: all_to_all, weight: 500}
  - {name: e, pre: early, post: post, connect: all_to_all, weight: 1, stdp: {a_plus: 0.5, a_minus: 0.5, w_min: 0, w_max: 2}}
  - {name: l, pre: late, post: post, connect: all_to_all, weight: 1, stdp: {a_plus: 0.5, a_minus: 0.5, w_min: 0, w_max: 2}}
`)
	res, err := Run(net, 400, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts[3] != 4 {
		t.Fatalf("post spiked %d times, want 4", res.Counts[3])
	}
	if we, wl := res.Weights[1][0], res.Weights[2][0]; !(we > 1.5 && wl < 0.5) {
		t.Errorf("early weight %g (want up), late weight %g (want down)", we, wl)
	}
}

func TestCompareMatching(t *testing.T) {
	pops := []core.Population{{Name: "p", Kind: "lif", First: 0, Count: 2}}
	sp := func(ev ...[2]int) [][]uint32 {
		out := make([][]uint32, 20)
		for _, e := range ev {
			out[e[0]] = append(out[e[0]], uint32(e[1]))
		}
		return out
	}
	fixed := sp([2]int{1, 0}, [2]int{5, 0}, [2]int{9, 1})
	float := sp([2]int{3, 0}, [2]int{4, 0}, [2]int{15, 1})
	a := Compare(fixed, float, pops, 1, 2).Populations[0]
	// Float spike at 3 matches fixed 1 (±2), 4 matches fixed 5; 15 has no partner.
	if a.Matched != 2.0/3 || a.FixedMatched != 2.0/3 || a.RateRatio != 1 {
		t.Errorf("%+v", a)
	}
	if a.CountCorr != 1 { // counts (2,1) and (2,1)
		t.Errorf("corr %g", a.CountCorr)
	}
	silent := Compare(sp(), sp(), pops, 1, 0)
	if s := silent.Populations[0]; s.RateRatio != 1 || s.Matched != 1 || s.CountCorr != 1 || silent.Window != DefaultWindow {
		t.Errorf("silent runs: %+v", silent)
	}
}

// TestResetSubtract: a raw integrator charged by a constant bias of 30 LSB
// with thr 100 and reset by subtraction fires when 30·s crosses a multiple
// of 100 (steps 3, 6, 9, 13, …, every 10/3 steps on average); reset to 0 it
// would fire every 4th step. The float model and the emulator agree exactly
// (all values are integers).
func TestResetSubtract(t *testing.T) {
	const steps = 60
	y := `name: rs
target: tiny
dt: 1
steps: 60
populations:
  - {name: a, kind: lif, size: 1, reset: subtract, raw: {thr: 100, vreset: 0, bias: 30, dv: 4096, di: 0}}
  - {name: b, kind: lif, size: 1, raw: {thr: 100, vreset: 0, bias: 30, dv: 4096, di: 0}}
projections: []
`
	net := parse(t, y)
	res, err := Run(net, steps, nil)
	if err != nil {
		t.Fatal(err)
	}
	var a, b []int
	for s, ids := range res.Spikes {
		for _, id := range ids {
			if id == 0 {
				a = append(a, s)
			} else {
				b = append(b, s)
			}
		}
	}
	for k, s := range a {
		if want := (100*(k+1)+29)/30 - 1; s != want { // first step whose 30·(s+1) reaches 100·(k+1)
			t.Fatalf("subtracting neuron fires at %v; spike %d at step %d, want %d", a, k, s, want)
		}
	}
	if len(a) != 18 || len(b) != 15 {
		t.Errorf("%d and %d spikes in %d steps, want 18 (subtract) and 15 (reset to 0)", len(a), len(b), steps)
	}
	im, _, err := compiler.Compile(net, compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	emu := compilertest.Spikes(t, im, steps)
	for s := range emu {
		if len(emu[s]) != len(res.Spikes[s]) {
			t.Fatalf("step %d: emulator %v, float %v", s, emu[s], res.Spikes[s])
		}
	}
}
