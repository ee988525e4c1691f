package neurocorex_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir/nirtest"
	"github.com/ncx-project/ncx/nirimport"
)

// maxV is what ncx gives nirimport.Options.MaxV for NeuroCoreX.
var maxV = neurocorex.MaxVUnits*(1<<core.MaxWExp) - 1

// compileNIR imports a graph at dt = 1 ms on profile a7 and compiles it as
// ncx compile --target neurocorex does: one weight exponent, thresholds
// and a strongest input within Q7.10.
func compileNIR(t *testing.T, l nirtest.Layer, spikes []network.Spike, steps int, reset string) (*core.Image, *compiler.Report, error) {
	t.Helper()
	f, path, err := l.Load(t.TempDir(), "g")
	if err != nil {
		t.Fatal(err)
	}
	res, err := nirimport.Import(f, path, nirimport.Options{Dt: 1e-3, Profile: core.Profiles["a7"], Steps: steps, Reset: reset,
		Inputs: map[string][]network.Spike{"input": spikes}, MaxV: maxV})
	if err != nil {
		return nil, nil, err
	}
	return compiler.Compile(res.Net, compiler.Options{CommonWExp: true, MaxVUnits: neurocorex.MaxVUnits})
}

// TestNIRIFOnNeuroCoreX: IF graphs from NIR lower to NeuroCoreX with one
// weight exponent (7: at 6 the threshold, a quarter of a7's 16-bit range,
// would be 128.0 in Q7.10), every ncx value exactly representable (8 Q7.10
// LSB per ncx LSB), and the board model agrees with ncx-core within the
// stated bounds (measured, with some margin; the runs are seeded). The
// differences are NeuroCoreX's datapath (docs/neurocorex.md, "What the VHDL
// computes": a neuron loses its input in a step where the neuron in the
// slot before it fires, refractoriness of at least a step) and its 18-bit
// wrap where ncx saturates (a leaking IF neuron without input sinks below
// −128.0 and wraps); they grow with the input rate. A recurrent graph also
// meets the shared lateral register, which accumulates while neurons spike
// in consecutive steps, so only its low-rate case is bounded.
func TestNIRIFOnNeuroCoreX(t *testing.T) {
	ex, exSpikes := nirtest.Example()
	for _, c := range []struct {
		name   string
		layer  nirtest.Layer
		spikes []network.Spike
		steps  int
		// bounds: |spikes on NeuroCoreX − on ncx| / on ncx, and the share of
		// ncx spikes matched (neurocorex.Latency, ±MatchWindow)
		maxCountErr, minMatched float64
	}{
		{"example", ex, exSpikes, 200, 0.10, 0.45},
		{"feed-forward 30 %", nirtest.RandomIF(8, 24, 1, false), nirtest.Spikes(8, 300, 0.3, 5), 300, 0.10, 0.45},
		{"feed-forward 90 %", nirtest.RandomIF(8, 24, 1, false), nirtest.Spikes(8, 300, 0.9, 5), 300, 0.30, 0.45},
		{"feed-forward 90 neurons", nirtest.RandomIF(16, 90, 3, false), nirtest.Spikes(16, 300, 0.5, 6), 300, 0.20, 0.45},
		{"recurrent 30 %", nirtest.RandomIF(8, 24, 1, true), nirtest.Spikes(8, 300, 0.3, 5), 300, 0.10, 0.35},
		{"weights up to 1.8 × threshold", strongIF(), nirtest.Spikes(8, 300, 0.3, 5), 300, 0.20, 0.75},
	} {
		t.Run(c.name, func(t *testing.T) {
			im, rep, err := compileNIR(t, c.layer, c.spikes, c.steps, "")
			if err != nil {
				t.Fatal(err)
			}
			if r := rep.CommonWExp; r == nil || r.WExp != 7 || !r.VUnitsLimited {
				t.Fatalf("common exponent %+v, want 7 set by the thresholds", r)
			}
			tb, m, err := neurocorex.Lower(im)
			if err != nil {
				t.Fatal(err)
			}
			thr := im.Params[len(im.Params)-1].Thr
			if m.QPerLSB != 8 || tb.VThr[neurocorex.FirstNeuron] != thr*8 || tb.TauMem[neurocorex.LeakWord] != -im.Params[len(im.Params)-1].Bias*8 {
				t.Fatalf("QPerLSB %d, vthr %d, leak %d", m.QPerLSB, tb.VThr[neurocorex.FirstNeuron], tb.TauMem[neurocorex.LeakWord])
			}
			// a neuron just below threshold stays below +128.0 on its
			// strongest input
			for p := neurocorex.FirstNeuron; p < neurocorex.FirstNeuron+c.layer.Neurons; p++ {
				w := int32(0)
				for _, x := range tb.FF[p+2] {
					w = max(w, int32(x))
				}
				if tb.VThr[p]+w*1024 > 1<<17-1 {
					t.Fatalf("neuron %d: threshold %d + weight %d wraps", p, tb.VThr[p], w)
				}
			}
			a, err := neurocorex.Compare(im, c.steps)
			if err != nil {
				t.Fatal(err)
			}
			countErr := float64(abs(a.SpikesNX-a.SpikesNCX)) / float64(a.SpikesNCX)
			matched := float64(a.Matched) / float64(a.SpikesNCX)
			t.Logf("%d neurons, %d steps: %d spikes on ncx-core, %d on NeuroCoreX (%.1f%%), %d of them matched (%.1f%%), %d neurons with equal counts",
				a.Neurons, a.Steps, a.SpikesNCX, a.SpikesNX, 100*countErr, a.Matched, 100*matched, a.EqualCounts)
			if a.SpikesNCX < c.steps/10 || countErr > c.maxCountErr || matched < c.minMatched {
				t.Fatalf("outside the bounds: count error %.3f (max %.2f), matched %.3f (min %.2f)", countErr, c.maxCountErr, matched, c.minMatched)
			}
		})
	}
}

// strongIF is RandomIF(8, 24, 1) with its input weights tripled (0.3..1.8
// of the threshold).
func strongIF() nirtest.Layer {
	l := nirtest.RandomIF(8, 24, 1, false)
	for _, row := range l.WIn {
		for i := range row {
			row[i] *= 3
		}
	}
	return l
}

// TestNIRHeadroom: with weights above the threshold, MaxV makes the voltage
// scale coarser so that a neuron just below threshold fires on its
// strongest input instead of wrapping past +128.0 on NeuroCoreX; the board
// model then repeats more of ncx-core's spikes than at the usual scale.
func TestNIRHeadroom(t *testing.T) {
	spikes := nirtest.Spikes(8, 300, 0.3, 5)
	matched := map[bool]int{}
	for _, headroom := range []bool{false, true} {
		saved := maxV
		if !headroom {
			maxV = 0
		}
		im, _, err := compileNIR(t, strongIF(), spikes, 300, "")
		maxV = saved
		if err != nil {
			t.Fatal(err)
		}
		if thr := im.Params[8].Thr; (thr < 8192) != headroom {
			t.Fatalf("headroom %v: threshold %d LSB", headroom, thr)
		}
		a, err := neurocorex.Compare(im, 300)
		if err != nil {
			t.Fatal(err)
		}
		matched[headroom] = a.Matched
		t.Logf("headroom %v: %d spikes on ncx-core, %d on NeuroCoreX, %d matched", headroom, a.SpikesNCX, a.SpikesNX, a.Matched)
	}
	if matched[true] <= matched[false] {
		t.Fatalf("matched spikes %d with headroom, %d without", matched[true], matched[false])
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestNIRRefusedByNeuroCoreX: what NeuroCoreX cannot represent is refused
// with the reason and the node (population) named; too many neurons or
// inputs is ErrTooBig.
func TestNIRRefusedByNeuroCoreX(t *testing.T) {
	base := func() nirtest.Layer { return nirtest.RandomIF(4, 6, 2, false) }
	with := func(f func(*nirtest.Layer)) nirtest.Layer { l := base(); f(&l); return l }
	for _, c := range []struct {
		name   string
		layer  nirtest.Layer
		reset  string
		want   []string
		tooBig bool
	}{
		{"LIF per-neuron tau", with(func(l *nirtest.Layer) { l.Type, l.Tau = "LIF", []float64{0.01, 0.02} }), "", []string{"population hid", "multiplicative leak"}, false},
		{"CubaLIF", with(func(l *nirtest.Layer) { l.Type, l.Tau, l.TauSyn = "CubaLIF", []float64{0.02}, 0.005 }), "", []string{"population hid", "multiplicative leak"}, false},
		{"reset by subtraction", base(), network.ResetSubtract, []string{"population hid", "resets by subtraction"}, false},
		{"reset metadata", with(func(l *nirtest.Layer) { l.Reset = network.ResetSubtract }), "", []string{"population hid", "resets by subtraction"}, false},
		{"v_reset below 0", with(func(l *nirtest.Layer) { l.VReset = -0.5 }), "", []string{"population hid", "resets to -4096"}, false},
		{"positive bias", with(func(l *nirtest.Layer) { l.Bias = []float64{0.02} }), "", []string{"population hid", "positive bias"}, false},
		{"biases differ", with(func(l *nirtest.Layer) { l.Bias = []float64{-0.02, -0.01} }), "", []string{"population hid", "one global subtraction"}, false},
		{"91 neurons", nirtest.RandomIF(4, 91, 2, false), "", []string{"91 LIF neurons", "largest populations: hid 91"}, true},
		{"95 inputs", nirtest.RandomIF(95, 4, 2, false), "", []string{"95 inputs", "input 95"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			im, _, err := compileNIR(t, c.layer, nil, 10, c.reset)
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = neurocorex.Lower(im)
			if !errors.Is(err, neurocorex.ErrNotRepresentable) || errors.Is(err, neurocorex.ErrTooBig) != c.tooBig {
				t.Fatalf("want a refusal (too big %v), got %v", c.tooBig, err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q lacks %q", err, w)
				}
			}
		})
	}
}
