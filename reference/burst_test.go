package reference

import (
	"strconv"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/compiler/compilertest"
	"github.com/ncx-project/ncx/network"
)

// labelBursts counts, over the presentations of the teacher's input, the
// bursts and spikes of the labelled output neuron and of the others.
func labelBursts(net *network.Network, spikes, bursts [][]uint32, first, size int) (labB, labS, othB, othS int) {
	for _, pr := range net.Presentations(net.Teacher.InputIdx, len(spikes)) {
		for s := pr.Start; s < pr.Start+pr.Steps; s++ {
			for _, id := range spikes[s] {
				if int(id) >= first && int(id) < first+size {
					if int(id) == first+pr.Label {
						labS++
					} else {
						othS++
					}
				}
			}
			for _, id := range bursts[s] {
				if int(id) >= first && int(id) < first+size {
					if int(id) == first+pr.Label {
						labB++
					} else {
						othB++
					}
				}
			}
		}
	}
	return
}

// TestBurstReference runs examples/burst.yaml in float and on the emulator
// (with the teacher's schedule): the labelled output neuron bursts in both,
// the others do not, and the event rates agree.
func TestBurstReference(t *testing.T) {
	net, err := network.Load("../examples/burst.yaml")
	if err != nil {
		t.Fatal(err)
	}
	steps := 2000
	res, err := Run(net, steps, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Compiled for exactly steps, the image carries the teacher's schedule
	// (compiler.TeachSchedule) in Meta.Teach.
	im, _, err := compiler.Compile(net, compiler.Options{Steps: steps})
	if err != nil {
		t.Fatal(err)
	}
	spikes, bursts := compilertest.Run(t, im, steps, im.Meta.Teach)
	out, _ := im.Meta.PopulationByName("out")
	for _, run := range []struct {
		name   string
		sp, bu [][]uint32
	}{{"float", res.Spikes, res.Bursts}, {"emulator", spikes, bursts}} {
		lb, ls, ob, os := labelBursts(net, run.sp, run.bu, out.First, out.Count)
		t.Logf("%s: labelled %d/%d bursts/spikes, others %d/%d", run.name, lb, ls, ob, os)
		if ls == 0 || float64(lb)/float64(ls) < 0.8 || (os > 0 && float64(ob)/float64(os) > 0.2) {
			t.Errorf("%s: labelled %d/%d, others %d/%d", run.name, lb, ls, ob, os)
		}
	}
	ag := Compare(spikes, res.Spikes, im.Meta.Populations, net.Dt, 0)
	for _, p := range ag.Populations {
		t.Logf("%s: fixed %d float %d corr %.2f", p.Name, p.FixedSpikes, p.FloatSpikes, p.CountCorr)
		if p.Kind == "burst" && (p.RateRatio < 0.7 || p.RateRatio > 1.4) {
			t.Errorf("population %s: rate ratio %.2f", p.Name, p.RateRatio)
		}
	}
}

// TestBurstThresholdExact: in threshold mode with a constant teaching input
// and no other apical drive, every spike is a burst exactly when teach is
// above the offset, in float and on the emulator.
func TestBurstThresholdExact(t *testing.T) {
	for _, c := range []struct {
		teach float64
		want  bool
	}{{8, true}, {2, false}} {
		y := `dt: 1
steps: 300
target: tiny
populations:
  - {name: in, kind: poisson, size: 4, rate_hz: 200}
  - name: b
    kind: burst
    size: 2
    tau_mem: 20
    tau_syn: 5
    v_rest: -65
    v_thresh: -50
    v_reset: -65
    apical: {tau: 10, offset: 5, slope: 1, teach: TEACH}
projections:
  - {pre: in, post: b, connect: all_to_all, weight: 8}
`
		net := parse(t, strings.ReplaceAll(y, "TEACH", strconv.FormatFloat(c.teach, 'g', -1, 64)))
		res, err := Run(net, 300, nil)
		if err != nil {
			t.Fatal(err)
		}
		im, _, err := compiler.Compile(net, compiler.Options{})
		if err != nil {
			t.Fatal(err)
		}
		sp, bu := compilertest.Run(t, im, 300, nil)
		nsp, nbu := 0, 0
		fsp, fbu := 0, 0
		// Skip the first 100 steps while va settles.
		for s := 100; s < 300; s++ {
			for _, id := range sp[s] {
				if id >= 4 {
					nsp++
				}
			}
			nbu += len(bu[s])
			for _, id := range res.Spikes[s] {
				if id >= 4 {
					fsp++
				}
			}
			fbu += len(res.Bursts[s])
		}
		if nsp == 0 || fsp == 0 {
			t.Fatalf("teach %g: no spikes (%d, %d)", c.teach, nsp, fsp)
		}
		if c.want && (nbu != nsp || fbu != fsp) || !c.want && (nbu != 0 || fbu != 0) {
			t.Errorf("teach %g: emulator %d bursts / %d spikes, float %d / %d", c.teach, nbu, nsp, fbu, fsp)
		}
	}
}
