package nirexport

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/compiler/compilertest"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir"
	"github.com/ncx-project/ncx/nirimport"
)

// synapses lists every non-zero synapse as (source, target, weight << wexp).
func synapses(im *core.Image) [][3]int {
	var out [][3]int
	for src := 0; src < im.NumNeurons; src++ {
		fo := im.Fanout[src]
		for a := fo.FoBase; a < fo.FoBase+fo.FoCnt; a++ {
			s := im.Syn[a]
			if s.W != 0 {
				out = append(out, [3]int{src, int(s.Tgt), int(int32(s.W) << s.WExp)})
			}
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a][0] != out[b][0] {
			return out[a][0] < out[b][0]
		}
		return out[a][1] < out[b][1]
	})
	return out
}

// TestRoundTrip: import → compile → emulate → export → (HDF5 bytes) →
// re-import → compile → emulate gives the same neurons, the same non-zero
// synapses and the same spikes.
func TestRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name   string
		inputs int
		method string
		reset  string // --reset of the first import; the re-import reads the export's metadata
	}{{"lif1", 1, nirimport.MethodExact, ""}, {"cuba60", 12, nirimport.MethodEuler, ""}, {"conv", 2 * 12 * 12, nirimport.MethodExact, ""},
		{"zoo", 4, nirimport.MethodExact, ""}, {"cuba60", 12, nirimport.MethodEuler, network.ResetSubtract}} {
		t.Run(c.name+c.reset, func(t *testing.T) {
			path := filepath.Join("..", "nirimport", "testdata", c.name+".nir")
			f, err := nir.Read(path)
			if err != nil {
				t.Fatal(err)
			}
			prof, _ := compiler.ResolveTarget("a7", ".")
			const steps = 300
			r := rand.New(rand.NewPCG(5, 6))
			var spikes []network.Spike
			for s := 0; s < steps; s++ {
				for i := 0; i < c.inputs; i++ {
					if r.Float64() < 0.2 {
						spikes = append(spikes, network.Spike{Step: s, Index: i})
					}
				}
			}
			opts := nirimport.Options{Dt: 1e-3, Profile: prof, Steps: steps, Method: c.method, Reset: c.reset, Inputs: map[string][]network.Spike{"input": spikes}}
			res, err := nirimport.Import(f, path, opts)
			if err != nil {
				t.Fatal(err)
			}
			im1, _, err := compiler.Compile(res.Net, compiler.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := Export(im1)
			if err != nil {
				t.Fatal(err)
			}
			b, err := nir.Encode(out)
			if err != nil {
				t.Fatal(err)
			}
			h, err := hdf5.NewFile(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			back, err := nir.ReadHDF5(h, "export.nir")
			if err != nil {
				t.Fatal(err)
			}
			opts.Method, opts.Reset = nirimport.MethodExact, ""
			res2, err := nirimport.Import(back, "export.nir", opts)
			if err != nil {
				t.Fatal(err)
			}
			im2, _, err := compiler.Compile(res2.Net, compiler.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(im1.Params, im2.Params) || !reflect.DeepEqual(im1.State, im2.State) {
				for i := range im1.Params {
					if i < len(im2.Params) && (im1.Params[i] != im2.Params[i] || im1.State[i] != im2.State[i]) {
						t.Fatalf("neuron %d: %+v %+v, after the round trip %+v %+v", i, im1.Params[i], im1.State[i], im2.Params[i], im2.State[i])
					}
				}
				t.Fatalf("neurons differ: %d vs %d", len(im1.Params), len(im2.Params))
			}
			if s1, s2 := synapses(im1), synapses(im2); !reflect.DeepEqual(s1, s2) {
				t.Fatalf("synapses differ: %d vs %d non-zero", len(s1), len(s2))
			}
			if rsub := slices.ContainsFunc(im1.Params, func(q core.NeuronParams) bool { return q.RSub }); rsub != (c.reset == network.ResetSubtract) {
				t.Fatalf("some neuron subtracts: %v, want %v", rsub, !rsub)
			}
			sp1 := compilertest.Spikes(t, im1, steps)
			sp2 := compilertest.Spikes(t, im2, steps)
			if !reflect.DeepEqual(sp1, sp2) {
				t.Fatal("spikes differ after the round trip")
			}
			n := 0
			for _, s := range sp1 {
				n += len(s)
			}
			t.Logf("%d neurons, %d synapses, %d spikes identical", im1.NumNeurons, len(synapses(im1)), n)
		})
	}
}

// Names and neurons that the image's description does not account for are
// errors naming them, never wired to population 0.
func TestExportUnknownNames(t *testing.T) {
	net, err := network.Parse([]byte(`
name: pair
target: tiny
dt: 1
steps: 20
populations:
  - {name: src, kind: spike_list, size: 2, times: [[0, 1], [1, 3]]}
  - {name: dst, kind: lif, size: 3, tau_mem: 10, tau_syn: 2, v_rest: -70, v_thresh: -54, v_reset: -70}
projections:
  - {name: w, pre: src, post: dst, connect: all_to_all, weight: 2}
probes:
  - {population: dst, vars: [spikes, v]}
`), "pair.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, _, err := compiler.Compile(net, compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(m *core.Meta)
		want string // in the error; "" for none
	}{
		{"as compiled", func(*core.Meta) {}, ""},
		{"probe of a missing population", func(m *core.Meta) { m.Probes[0].Population = "ghost" },
			`nirexport: pair: a probe names population "ghost", which the image does not have`},
		{"neuron in no population", func(m *core.Meta) { m.Populations[1].Count = 2 },
			"nirexport: pair: synapse word 2 (neuron 0 -> 4) joins a neuron that is in no population: a NIR edge needs a node at each end"},
		{"population past the last neuron", func(m *core.Meta) { m.Populations[1].Count = 4 },
			"nirexport: pair: population dst: neurons 2..5 outside the image's 5"},
		{"empty population", func(m *core.Meta) { m.Populations[0].Count = 0 },
			"nirexport: pair: population src: neurons 0..-1 outside the image's 5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			im := *base
			im.Meta.Populations = slices.Clone(base.Meta.Populations)
			im.Meta.Probes = slices.Clone(base.Meta.Probes)
			c.edit(&im.Meta)
			f, err := Export(&im)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if out := f.Graph.Nodes["dst_out"]; out == nil || out.Params["shape"].I[0] != 3 {
					t.Fatalf("output node %+v, want dst_out of 3", out)
				}
				return
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("error %v, want %q", err, c.want)
			}
		})
	}
}
