package nirimport

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/nir"
	"github.com/ncx-project/ncx/nir/nirtest"
)

func profile(t testing.TB, name string) core.Profile {
	t.Helper()
	p, err := compiler.ResolveTarget(name, ".")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, name string) (*nir.File, string) {
	t.Helper()
	path := filepath.Join("testdata", name+".nir")
	f, err := nir.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return f, path
}

// TestLinearChains checks the unrolled convolutions, pooling, scale, flatten
// and affine layers against outputs computed by explicit loops in
// scripts/nir-fixtures.py, element by element.
func TestLinearChains(t *testing.T) {
	b, err := os.ReadFile("testdata/expect.json")
	if err != nil {
		t.Fatal(err)
	}
	var expect map[string]struct{ X, Y []float64 }
	if err := json.Unmarshal(b, &expect); err != nil {
		t.Fatal(err)
	}
	if len(expect) < 4 {
		t.Fatalf("expectations missing: %d", len(expect))
	}
	for name, e := range expect {
		t.Run(name, func(t *testing.T) {
			f, path := load(t, name)
			g, err := flatten(path, f.Graph)
			if err != nil {
				t.Fatal(err)
			}
			if err := g.inferShapes(); err != nil {
				t.Fatal(err)
			}
			im := &importer{g: g, opts: Options{Dt: 1e-3, Profile: profile(t, "sim")}, memo: map[string]*linmap{}, state: map[string]int{}}
			m, err := im.lin("output")
			if err != nil {
				t.Fatal(err)
			}
			src := m.src["input"]
			if src == nil || len(src.rows) != len(e.X) {
				t.Fatalf("map from input: %v", src)
			}
			y := make([]float64, src.cols)
			copy(y, m.bias)
			for i, row := range src.rows {
				for _, en := range row {
					y[en.j] += e.X[i] * en.w
				}
			}
			if len(y) != len(e.Y) {
				t.Fatalf("%d outputs, want %d", len(y), len(e.Y))
			}
			for j := range y {
				if math.Abs(y[j]-e.Y[j]) > 1e-9*(1+math.Abs(e.Y[j])) {
					t.Fatalf("y[%d] = %.12g, want %.12g", j, y[j], e.Y[j])
				}
			}
		})
	}
}

// TestExamples imports the example graphs and compiles them.
func TestExamples(t *testing.T) {
	for _, c := range []struct {
		name     string
		pops     int
		synapses int
	}{
		{"lif1", 2, 1},
		{"cuba60", 2, -1}, // 60x12 dense plus the recurrent non-zeros, counted below
		{"conv", 1 + 4 + 10, 4*2*(144+4*132+4*121) + 4*12*12*10}, // 3x3 pad 1 on 12x12: 144 centre, 132 edge, 121 corner offsets
		{"zoo", 0, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, path := load(t, c.name)
			res, err := Import(f, path, Options{Dt: 1e-4, Profile: profile(t, "sim")})
			if err != nil {
				t.Fatal(err)
			}
			im, rep, err := compiler.Compile(res.Net, compiler.Options{})
			if err != nil {
				t.Fatal(err)
			}
			syn := 0
			for _, p := range rep.Projections {
				syn += p.Count
			}
			if c.pops > 0 && len(res.Net.Populations) != c.pops {
				t.Errorf("%d populations, want %d", len(res.Net.Populations), c.pops)
			}
			if c.synapses >= 0 && syn != c.synapses {
				t.Errorf("%d synapses, want %d", syn, c.synapses)
			}
			if im.NumNeurons == 0 {
				t.Error("empty image")
			}
		})
	}
}

// TestBadGraphs checks that each broken graph gives one error naming the
// file, the node and the problem.
func TestBadGraphs(t *testing.T) {
	for name, want := range map[string]string{
		"bad_type":    `node x: unknown NIR type "Spiral"`,
		"bad_shape":   "node a: weight is 2 × 4 but its input has 3 elements",
		"bad_missing": `node l: missing parameter "v_threshold"`,
		"bad_edge":    "node nowhere: named by an edge but not in the graph",
		"bad_delay":   "node d: delay 0.005 s is 50 steps",
		"bad_loop":    "is part of a loop with no neuron in it",
	} {
		f, path := load(t, name)
		_, err := Import(f, path, Options{Dt: 1e-4, Profile: profile(t, "sim")})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want %q with the file name", name, err, want)
		}
	}
}

// TestYAMLSameImage writes the imported network as YAML (with CSV files for
// big projections), loads and compiles that, and compares the image with the
// one compiled from the import directly, byte for byte.
func TestYAMLSameImage(t *testing.T) {
	for _, name := range []string{"lif1", "cuba60", "conv", "zoo"} {
		t.Run(name, func(t *testing.T) {
			f, path := load(t, name)
			res, err := Import(f, path, Options{Dt: 1e-4, Profile: profile(t, "a7")})
			if err != nil {
				t.Fatal(err)
			}
			sameImageViaYAML(t, res, path)
		})
	}
}

// sameImageViaYAML writes the import as YAML, compiles that, and checks the
// image is byte for byte the direct compile's.
func sameImageViaYAML(t *testing.T, res *Result, path string) {
	t.Helper()
	direct, _, err := compiler.Compile(res.Net, compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	yp := filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+".yaml")
	files, err := YAML(res, yp, path)
	if err != nil {
		t.Fatal(err)
	}
	for p, b := range files {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	viaYAML, _, err := compiler.CompileFile(yp, compiler.Options{})
	if err != nil {
		t.Fatalf("%v\n%s", err, files[yp])
	}
	direct.Meta.Source, viaYAML.Meta.Source = "", ""
	a, err := core.EncodeImage(direct)
	if err != nil {
		t.Fatal(err)
	}
	b, err := core.EncodeImage(viaYAML)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Errorf("image from YAML differs from the direct import (%d vs %d bytes)", len(b), len(a))
	}
}

// FuzzImport feeds arbitrary bytes through the HDF5 reader, the NIR reader
// and the lowering: errors are fine, panics are not.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"lif1", "zoo", "bad_loop", "conv1d"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".nir"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	prof := profile(f, "tiny")
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := hdf5.NewFile(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		g, err := nir.ReadHDF5(h, "fuzz.nir")
		if err != nil {
			return
		}
		Import(g, "fuzz.nir", Options{Dt: 1e-3, Profile: prof})
	})
}

// importLayer imports l at dt = 1 ms onto the a7 profile with MaxV maxV.
func importLayer(t *testing.T, l nirtest.Layer, maxV float64) *Result {
	t.Helper()
	f, path, err := l.Load(t.TempDir(), "g")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(f, path, Options{Dt: 1e-3, Profile: profile(t, "a7"), MaxV: maxV})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMaxVHeadroom: MaxV makes the voltage scale coarser where a threshold
// plus the strongest input would exceed it, and says so; below the bound
// the scale is the usual one.
func TestMaxVHeadroom(t *testing.T) {
	for _, c := range []struct {
		w, maxV float64
		thr     int64 // LSB
		warned  bool
	}{
		{1.5, 0, 8192, false},
		{1.5, 16383, 6553, true},
		{0.5, 16383, 8192, false},
	} {
		res := importLayer(t, nirtest.Layer{Inputs: 1, Neurons: 1, Threshold: []float64{1}, R: 1000, WIn: [][]float64{{c.w}}}, c.maxV)
		raw := res.Net.Populations[1].Raw
		w := res.Net.Projections[0].Connect.ListW[0]
		warned := len(res.Report.Warnings) > 0 && strings.Contains(res.Report.Warnings[0], "largest input")
		if raw.Thr != c.thr || warned != c.warned || (c.maxV > 0 && float64(raw.Thr)+math.Round(w) > c.maxV) {
			t.Fatalf("w %g, MaxV %g: thr %d, weight %g LSB, warnings %q", c.w, c.maxV, raw.Thr, w, res.Report.Warnings)
		}
	}
}

// TestWarningsOncePerNode: a node whose neurons all differ (per-neuron time
// constants or biases, so one group each) gets each warning once, with the
// number of neurons affected and the worst case, not once per neuron.
func TestWarningsOncePerNode(t *testing.T) {
	const n = 100
	seq := func(a, step float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = a + step*float64(i)
		}
		return x
	}
	weights := func(w float64) [][]float64 {
		m := make([][]float64, n)
		for i := range m {
			m[i] = []float64{w}
		}
		return m
	}
	long := seq(10, 0.01) // 10..10.99 s at dt = 1 ms: exp(−dt/τ) rounds to 4096/4096
	half := seq(10, 0.01)
	for i := range n / 2 {
		half[i] = 0.02 // 20 ms: a multiplier of 3891, decays fine
	}
	for _, c := range []struct {
		name  string
		layer nirtest.Layer
		maxV  float64
		want  []string // one warning each, in this order
	}{
		{"per-neuron tau", nirtest.Layer{Type: "LIF", Tau: long},
			0, []string{"node hid: 100 of 100 neurons have a time constant so long against dt = 0.001 s that the 13-bit decay multiplier rounds to 4096 (no decay); the shortest, 10 s, needs a multiplier of 4095.590"}},
		{"per-neuron bias", nirtest.Layer{Type: "LIF", Tau: []float64{20}, Bias: seq(0.001, 0.0001)},
			0, []string{"node hid: 100 of 100 neurons have a time constant so long against dt = 0.001 s that the 13-bit decay multiplier rounds to 4096 (no decay); the shortest, 20 s, needs a multiplier of 4095.795"}},
		{"half affected", nirtest.Layer{Type: "LIF", Tau: half},
			0, []string{"node hid: 50 of 100 neurons have a time constant"}},
		{"unbounded integrators", nirtest.Layer{Type: "I", Bias: seq(0.001, 0.0001)},
			0, []string{"node hid: 100 of 100 neurons integrate without threshold and grow without bound"}},
		{"none affected", nirtest.Layer{Type: "LIF", Tau: seq(0.02, 0.0001)}, 0, nil},
		// thresholds below 1.5 leave too little headroom for an input of 1.5
		{"coarser scale", nirtest.Layer{Threshold: seq(1, 0.01), WIn: weights(1.5)},
			16383, []string{"node hid: 51 of 100 neurons: threshold plus the largest input would exceed the voltage range (16383 LSB), so their scale is coarser; the coarsest is 0.000183 per LSB (threshold 1.5, input 1.5)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := c.layer
			l.Inputs, l.Neurons, l.R = 1, n, 1000
			if l.WIn == nil {
				l.WIn = weights(0.5)
			}
			if l.Threshold == nil {
				l.Threshold = []float64{1}
			}
			res := importLayer(t, l, c.maxV)
			if groups := len(res.Net.Populations) - 1; c.want != nil && groups < n/2 {
				t.Fatalf("only %d populations: the neurons did not differ", groups)
			}
			got := res.Report.Warnings
			if len(got) != len(c.want) {
				t.Fatalf("%d warnings, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for k, w := range c.want {
				if !strings.HasPrefix(got[k], w) {
					t.Errorf("warning %d:\n%s\nwant it to start\n%s", k, got[k], w)
				}
			}
		})
	}
}
