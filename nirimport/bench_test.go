package nirimport

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/nir"
)

// bigConv writes a Conv2d network of about 1.2 M synapses: (8, 32, 32) →
// 16 × 3 × 3 convolution, padding 1 → LIF (16, 32, 32).
func bigConv(tb testing.TB) string {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	w := make([]float64, 16*8*3*3)
	for i := range w {
		w[i] = r.NormFloat64() * 0.3
	}
	bias := make([]float64, 16)
	n := 16 * 32 * 32
	full := func(x float64) *hdf5.Value {
		v := make([]float64, n)
		for i := range v {
			v[i] = x
		}
		return hdf5.Float32s([]uint64{16, 32, 32}, v)
	}
	g := &nir.Graph{Nodes: map[string]*nir.Node{
		"input": {Type: "Input", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{3}, []int64{8, 32, 32})}},
		"conv": {Type: "Conv2d", Params: map[string]*hdf5.Value{
			"weight": hdf5.Float32s([]uint64{16, 8, 3, 3}, w), "bias": hdf5.Floats([]uint64{16}, bias),
			"stride": hdf5.Ints([]uint64{2}, []int64{1, 1}), "padding": hdf5.Ints([]uint64{2}, []int64{1, 1}),
			"dilation": hdf5.Ints([]uint64{2}, []int64{1, 1}), "groups": hdf5.ScalarInt(1),
			"input_shape": hdf5.Ints([]uint64{2}, []int64{32, 32})}},
		"lif":    {Type: "LIF", Params: map[string]*hdf5.Value{"tau": full(0.01), "r": full(1), "v_leak": full(0), "v_threshold": full(1), "v_reset": full(0)}},
		"output": {Type: "Output", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{3}, []int64{16, 32, 32})}},
	}, Edges: [][2]string{{"input", "conv"}, {"conv", "lif"}, {"lif", "output"}}}
	b, err := nir.Encode(&nir.File{Graph: g})
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "big.nir")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

func readAndLower(tb testing.TB, path string) *Result {
	tb.Helper()
	f, err := nir.Read(path)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := Import(f, path, Options{Dt: 1e-3, Profile: profile(tb, "sim")})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func synapses(res *Result) int {
	n := 0
	for _, p := range res.Net.Projections {
		n += len(p.Connect.ListPre)
	}
	return n
}

// BenchmarkReadLower1M reads and lowers a 1.2 M-synapse convolutional graph
// (issue 11: under 2 s and 100 MB).
func BenchmarkReadLower1M(b *testing.B) {
	path := bigConv(b)
	b.ReportAllocs()
	for b.Loop() {
		res := readAndLower(b, path)
		b.ReportMetric(float64(synapses(res)), "synapses")
	}
}

// TestReadLowerMemory bounds what reading and lowering the 1.2 M-synapse
// graph allocates in total (the peak is below that): under 100 MB.
func TestReadLowerMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1.2 M-synapse graph")
	}
	path := bigConv(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res := readAndLower(t, path)
	runtime.ReadMemStats(&after)
	n := synapses(res)
	if n < 1_000_000 {
		t.Fatalf("only %d synapses", n)
	}
	mb := float64(after.TotalAlloc-before.TotalAlloc) / 1e6
	t.Logf("%d synapses, %.1f MB allocated", n, mb)
	if mb > 100 {
		t.Errorf("reading and lowering allocated %.1f MB, over the 100 MB budget", mb)
	}
}
