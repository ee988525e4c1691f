package compiler

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
)

// wexpNet is a raw network (weights in LSB) with two projections into one
// population: big synapses of weight a and count small ones of weight b.
func wexpNet(t *testing.T, thr int, a float64, count int, b float64) string {
	t.Helper()
	var y strings.Builder
	fmt.Fprintf(&y, `name: wexp
target: a7
dt: 1
steps: 10
populations:
  - {name: in, kind: spike_list, size: %d, times: [[0, 1]]}
  - {name: out, kind: lif, size: 1, raw: {thr: %d, vreset: 0, bias: 0, dv: 4096, di: 0, tref: 0, tr_shift: 0, tr_inc: 0}}
projections:
  - {name: big, pre: in, post: out, connect: {list: [[0, 0]]}, weight: %g}
  - {name: small, pre: in, post: out, connect: {list: [`, count+1, thr, a)
	for i := 1; i <= count; i++ {
		if i > 1 {
			y.WriteString(", ")
		}
		fmt.Fprintf(&y, "[%d, 0]", i)
	}
	fmt.Fprintf(&y, "]}, weight: %g}\n", b)
	return y.String()
}

// TestCommonWExp: the common exponent minimises the summed squared weight
// error (which may clip an outlier), MaxVUnits raises it, and the report
// states the cost against per-projection exponents.
func TestCommonWExp(t *testing.T) {
	vunits := float64(1<<17-1) / 1024 // NeuroCoreX's Q7.10
	for _, c := range []struct {
		name      string
		thr       int
		a         float64
		count     int
		b         float64
		maxVUnits float64
		want      uint8
		own       [2]uint8 // big, small
		limited   bool
		saturated int // of big
	}{
		// the big projection needs 3; the small weights lose precision
		{"max of own", 100, 1000, 20, 5, 0, 3, [2]uint8{3, 0}, false, 0},
		// clipping one weight of 130 to 127 costs less than rounding 200
		// weights of 1.3 to 2
		{"outlier clipped", 100, 130, 200, 1.3, 0, 0, [2]uint8{1, 0}, false, 1},
		// a threshold of 8192 LSB (plus 1000) is 143.6 units at 6: only 7 fits Q7.10
		{"voltage bound", 8192, 1000, 20, 5, vunits, 7, [2]uint8{3, 0}, true, 0},
		{"voltage bound not binding", 40, 20, 5, 10, vunits, 0, [2]uint8{0, 0}, false, 0},
		// 100 + 1000 LSB is 137.5 units at 3: a neuron just below threshold
		// would wrap on its strongest input
		{"threshold plus weight", 100, 1000, 20, 5, vunits, 4, [2]uint8{3, 0}, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			net := parse(t, wexpNet(t, c.thr, c.a, c.count, c.b))
			_, own, err := Compile(net, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for k, want := range c.own {
				if own.Projections[k].WExp != want {
					t.Fatalf("own exponent of %s: %d, want %d", own.Projections[k].Name, own.Projections[k].WExp, want)
				}
			}
			im, rep, err := Compile(net, Options{CommonWExp: true, MaxVUnits: c.maxVUnits})
			if err != nil {
				t.Fatal(err)
			}
			r := rep.CommonWExp
			if r == nil || r.WExp != c.want || r.VUnitsLimited != c.limited {
				t.Fatalf("common exponent %+v, want %d (limited %v)", r, c.want, c.limited)
			}
			for a, s := range im.Syn {
				if s.WExp != c.want {
					t.Fatalf("synapse %d has exponent %d", a, s.WExp)
				}
			}
			for _, p := range rep.Projections {
				if p.WExp != c.want {
					t.Fatalf("report: %s exponent %d", p.Name, p.WExp)
				}
			}
			if rep.Projections[0].Saturated != c.saturated {
				t.Fatalf("big saturated %d, want %d", rep.Projections[0].Saturated, c.saturated)
			}
			// the cost: never below what each projection's own exponent gives
			if r.RMSErrLSB < r.OwnRMSErrLSB || (c.want != c.own[0] || c.want != c.own[1]) != (len(r.Changed) > 0) {
				t.Fatalf("cost %+v", r)
			}
			var buf bytes.Buffer
			if err := rep.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), fmt.Sprintf("common weight exponent %d for every projection", c.want)) || !strings.Contains(buf.String(), "cost: RMS weight error") {
				t.Fatalf("report text:\n%s", buf.String())
			}
		})
	}
}

// TestCommonWExpKeepsNeuroCoreXExample: examples/neurocorex.yaml already
// uses one exponent, so the option leaves its image byte for byte alike.
func TestCommonWExpKeepsNeuroCoreXExample(t *testing.T) {
	net := load(t, "../examples/neurocorex.yaml")
	a, _, err := Compile(net, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, rep, err := Compile(net, Options{CommonWExp: true, MaxVUnits: float64(1<<17-1) / 1024})
	if err != nil {
		t.Fatal(err)
	}
	ea, err := core.EncodeImage(a)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := core.EncodeImage(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ea, eb) || rep.CommonWExp.WExp != 0 || len(rep.CommonWExp.Changed) != 0 || rep.CommonWExp.RMSErrLSB != rep.CommonWExp.OwnRMSErrLSB {
		t.Fatalf("images differ or report %+v", rep.CommonWExp)
	}
}
