package compiler

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler/compilertest"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
)

// runBurst runs im on the emulator with the given teach writes and returns
// the spikes and bursts of every step.
func runBurst(t testing.TB, im *core.Image, steps int, teach []TeachWrite) (spikes, bursts [][]uint32) {
	t.Helper()
	return compilertest.Run(t, im, steps, coreTeach(teach))
}

// count returns the spikes (or bursts) of neurons [first, first+n) in steps
// [from, to), and those of neuron first+label.
func count(ev [][]uint32, from, to, first, n, label int) (all, lab int) {
	for s := from; s < to && s < len(ev); s++ {
		for _, id := range ev[s] {
			if int(id) >= first && int(id) < first+n {
				all++
				if int(id) == first+label {
					lab++
				}
			}
		}
	}
	return all, lab
}

func TestBurstExample(t *testing.T) {
	net := load(t, "../examples/burst.yaml")
	up5k := core.Profiles["up5k"]
	_, _, err := Compile(net, Options{Profile: &up5k})
	if err == nil || !strings.Contains(err.Error(), `burst population "hid" needs burst units, which profile up5k does not build`) {
		t.Fatalf("up5k: want a no-burst-units error, got %v", err)
	}
	for _, prof := range []string{"tiny", "a7"} {
		p := core.Profiles[prof]
		im, rep, err := Compile(net, Options{Profile: &p})
		if err != nil {
			t.Fatalf("%s: %v", prof, err)
		}
		if im.Burst == nil || len(rep.BurstPopulations) != 2 || rep.BurstSynapses == 0 || rep.Teacher == nil {
			t.Fatalf("%s: burst tables %v, report %+v", prof, im.Burst != nil, rep.BurstPopulations)
		}
		if im.Burst.LFSR == 0 || im.Burst.RuleKind != 0b110 {
			t.Errorf("%s: lfsr %#x, rule_kind %#b", prof, im.Burst.LFSR, im.Burst.RuleKind)
		}
		for _, b := range rep.BurstPopulations {
			if b.LUTMaxErr > 0.03 {
				t.Errorf("%s: population %s LUT error %g", prof, b.Name, b.LUTMaxErr)
			}
		}
		var buf bytes.Buffer
		if err := rep.WriteText(&buf); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"burst populations", "apical.slope", "bdsp", "fb (burst)", "teacher of out"} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("%s: report lacks %q", prof, want)
			}
		}
		if _, err := core.EncodeImage(im); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBurstTeaching: the output layer bursts more often when the teacher
// drives it than when its teaching input is held at 0.
func TestBurstTeaching(t *testing.T) {
	net := load(t, "../examples/burst.yaml")
	im, _, err := Compile(net, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ti, ok := TeacherOf(im)
	if !ok || ti.Population != "out" || ti.On <= 0 || ti.Off >= 0 {
		t.Fatalf("teacher %+v %v", ti, ok)
	}
	steps := 2000
	sched := TeachSchedule(net, im, steps)
	if len(sched) == 0 {
		t.Fatal("no teach writes")
	}
	frac := func(teach []TeachWrite) (float64, int) {
		sp, bu := runBurst(t, im, steps, teach)
		s, _ := count(sp, 0, steps, ti.First, ti.Count, 0)
		b, _ := count(bu, 0, steps, ti.First, ti.Count, 0)
		if s == 0 {
			t.Fatal("the output layer never spikes")
		}
		return float64(b) / float64(s), s
	}
	// Teaching on: the labelled neuron gets "on" (all others "off").
	on, sOn := frac(sched)
	// Teaching on for everyone, all the time.
	var all []TeachWrite
	for n := ti.First; n < ti.First+ti.Count; n++ {
		all = append(all, TeachWrite{Step: 0, Neuron: n, Teach: ti.On})
	}
	allOn, _ := frac(all)
	off, sOff := frac(nil)
	t.Logf("burst fraction: teacher %.3f (%d spikes), all on %.3f, off %.3f (%d spikes)", on, sOn, allOn, off, sOff)
	if !(allOn > off+0.2) {
		t.Errorf("burst fraction with teach on %.3f is not clearly above teach off %.3f", allOn, off)
	}
	// With the teacher, the labelled neuron bursts more than the others.
	sp, bu := runBurst(t, im, steps, sched)
	var labS, labB, othS, othB int
	for _, pr := range net.Presentations(0, steps) {
		s, ls := count(sp, pr.Start, pr.Start+pr.Steps, ti.First, ti.Count, pr.Label)
		b, lb := count(bu, pr.Start, pr.Start+pr.Steps, ti.First, ti.Count, pr.Label)
		labS, labB, othS, othB = labS+ls, labB+lb, othS+s-ls, othB+b-lb
	}
	t.Logf("labelled neuron: %d bursts / %d spikes; others: %d / %d", labB, labS, othB, othS)
	if labS == 0 || othS == 0 || float64(labB)/float64(labS) < float64(othB)/float64(othS)+0.2 {
		t.Errorf("labelled neuron bursts %d/%d, others %d/%d: teaching does not select the label", labB, labS, othB, othS)
	}
}

// TestBurstLUT checks the LUT mapping: a threshold-mode burst unit bursts
// exactly when va >= aoff, and the LUT is the sigmoid at bin centres.
func TestBurstLUT(t *testing.T) {
	lut := BurstLUT()
	for i, p := range lut {
		want := 255 / (1 + math.Exp(-(float64(i-32)+0.5)*LUTUnit))
		if math.Abs(float64(p)-want) > 0.5 {
			t.Errorf("lut[%d] = %d, want %.2f", i, p, want)
		}
		if (p >= 128) != (i >= 32) {
			t.Errorf("lut[%d] = %d: threshold mode must switch at bin 32", i, p)
		}
	}
	for _, c := range []struct{ vscale, slope float64 }{{0.001, 1}, {0.01, 0.3}, {0.0018, 0.8}, {1e-5, 2}} {
		vs, s, ok := lutAlign(c.vscale, c.slope)
		if !ok || vs < c.vscale || vs >= 2*c.vscale || math.Abs(c.slope*vs*math.Ldexp(1, int(s))-LUTUnit) > 1e-12 {
			t.Errorf("lutAlign(%g, %g) = %g, %d", c.vscale, c.slope, vs, s)
		}
		q := core.BurstParams{AShift: s, AOff: 100}
		if e := lutMaxErr(&lut, q, vs, c.slope, 100*vs); e > 0.03 {
			t.Errorf("lutAlign(%g, %g): LUT error %g", c.vscale, c.slope, e)
		}
	}
	for _, c := range []struct{ vscale, slope float64 }{{0.01, 1000}, {1e-3, 1e-6}} {
		if _, _, ok := lutAlign(c.vscale, c.slope); ok {
			t.Errorf("lutAlign(%g, %g) accepted a slope no 4-bit ashift can express", c.vscale, c.slope)
		}
	}
	net := load(t, "../examples/burst.yaml")
	net.Populations[1].Apical.Slope = 1e6
	_, _, err := Compile(net, Options{})
	if err == nil || !strings.Contains(err.Error(), "populations[1].apical.slope: 1e+06 per mV is too steep") {
		t.Errorf("a slope the LUT cannot cover: got %v", err)
	}
}

// TestBDSPMapping checks aplus against the documented formula and that the
// emulator's mean weight change matches eta·(B−Pbar)·Etilde.
func TestBDSPMapping(t *testing.T) {
	pr := &network.Projection{Name: "p", BDSP: &network.BDSP{Eta: 0.5, WMin: -10, WMax: 10}}
	r, rr := quantiseBDSP(pr, 0.25, func(string, ...any) {})
	want := math.Round(0.5 / 0.25 * 65536 / 65025)
	if float64(r.APlus) != want || r.WMin != -40 || r.WMax != 40 || rr.Kind != "bdsp" {
		t.Errorf("rule %+v, want aplus %g", r, want)
	}
	// Mean hardware change for trace 255, err 255: aplus·255·255/2^16 LSB
	// of w, i.e. about eta/wscale.
	dw := float64(r.APlus) * 255 * 255 / 65536 * 0.25
	if math.Abs(dw-0.5) > 0.5*0.25 {
		t.Errorf("full-scale change %g, want about eta 0.5", dw)
	}
}

// inToBurst is a network of poisson inputs and burst units without
// projections yet: tests append them.
const inToBurst = `name: b
target: tiny
dt: 1
populations:
  - {name: in, kind: poisson, size: 4, rate_hz: 50, trace: {tau: 20, inc: 100}}
  - name: hid
    kind: burst
    size: 4
    tau_mem: 20
    tau_syn: 5
    v_rest: -65
    v_thresh: -50
    v_reset: -65
    apical: {tau: 10, offset: 4, slope: 0.8}
projections:
`

// TestBDSPFraction: fraction: true sets the rule's rule_frac bit; rules
// equal but for it get words of their own, equal ones with it share a word;
// the report and its text say which rules keep fraction bits.
func TestBDSPFraction(t *testing.T) {
	y := inToBurst + `  - {name: plain, pre: in, post: hid, connect: one_to_one, weight: 1, bdsp: {eta: 2, w_min: 0, w_max: 20}}
  - {name: frac, pre: in, post: hid, connect: one_to_one, weight: 1, bdsp: {eta: 2, w_min: 0, w_max: 20, fraction: true}}
  - {name: frac2, pre: in, post: hid, connect: one_to_one, weight: 1, bdsp: {eta: 2, w_min: 0, w_max: 20, fraction: true}}
`
	im, rep, err := Compile(parse(t, y), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rule := func(proj string) uint8 {
		for _, p := range im.Meta.Projections {
			if p.Name == proj {
				return p.Rule
			}
		}
		t.Fatalf("no projection %s", proj)
		return 0
	}
	rp, rf, rf2 := rule("plain"), rule("frac"), rule("frac2")
	if rp == rf || rf != rf2 || im.Rules[rp] != im.Rules[rf] {
		t.Errorf("rules plain %d frac %d frac2 %d (%+v %+v)", rp, rf, rf2, im.Rules[rp], im.Rules[rf])
	}
	if b := im.Burst; b.RuleFrac != 1<<rf || !b.HasFrac(rf) || b.HasFrac(rp) || !b.IsBDSP(rp) {
		t.Errorf("rule_kind %#x rule_frac %#x", b.RuleKind, b.RuleFrac)
	}
	if im.Burst.WFrac != nil {
		t.Errorf("a compiled image starts with zero fraction bits, got %v", im.Burst.WFrac)
	}
	for _, rr := range rep.Rules {
		if rr.Fraction != (rr.Index == int(rf)) {
			t.Errorf("report rule %d: fraction %v", rr.Index, rr.Fraction)
		}
	}
	var text strings.Builder
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d bdsp+frac", rf); !strings.Contains(text.String(), want) {
		t.Errorf("report text lacks %q:\n%s", want, text.String())
	}
}

func TestLFSRSeed(t *testing.T) {
	seen := map[uint16]bool{}
	for s := uint64(0); s < 1000; s++ {
		v := lfsrSeed(s)
		if v == 0 {
			t.Fatalf("seed %d gives lfsr 0", s)
		}
		seen[v] = true
	}
	if len(seen) < 980 {
		t.Errorf("only %d distinct LFSR seeds for 1000 network seeds", len(seen))
	}
}

func TestBurstErrors(t *testing.T) {
	y := inToBurst
	var rules strings.Builder
	for k := 0; k < 8; k++ {
		rules.WriteString("  - {name: p" + string(rune('0'+k)) + ", pre: in, post: hid, connect: one_to_one, weight: 1, bdsp: {eta: " + string(rune('1'+k)) + ", w_min: 0, w_max: 20}}\n")
	}
	_, _, err := Compile(parse(t, y+rules.String()), Options{})
	if err == nil || !strings.Contains(err.Error(), `projections[7].bdsp: projection "p7" needs an 8th distinct plasticity rule`) {
		t.Errorf("got %v", err)
	}
	// Burst rows count against the synapse capacity.
	big := y + "  - {name: fbk, pre: hid, post: hid, channel: burst, connect: {all_to_all: {allow_self: true}}, weight: 1}\n"
	p := core.Profile{Name: "mini", NB: 6, SB: 3, RB: 3, VW: 16, Burst: true}
	_, _, err = Compile(parse(t, big), Options{Profile: &p})
	var fe *FitError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "synapses 16 > capacity 8") || !strings.Contains(err.Error(), "fbk 16") {
		t.Errorf("got %v", err)
	}
}
