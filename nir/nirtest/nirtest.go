// Package nirtest builds small NIR graphs in Go for tests: one layer of
// neurons fed by an Input through a Linear (or Affine) node, optionally
// with a recurrent Linear, shown by an Output. Example is the graph behind
// examples/neurocorex_if.nir.
package nirtest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir"
)

// Layer describes Input(Inputs) → Linear/Affine → neurons(Neurons) with an
// optional recurrent Linear, → Output.
type Layer struct {
	Inputs, Neurons int
	// Type is the neuron node: IF (default), LIF or CubaLIF.
	Type      string
	Threshold []float64 // v_threshold per neuron (one value: all alike)
	VReset    float64
	R         float64 // r (IF: dt·r is the input gain per step)
	Tau       []float64
	TauSyn    float64
	// WIn is [Neurons][Inputs], WRec [Neurons][Neurons] (nil: none).
	WIn, WRec [][]float64
	// Bias, when not nil, makes the input node an Affine with this bias.
	Bias []float64
	// Reset, when not "", is written as the neuron node's reset_mechanism
	// metadata.
	Reset string
}

func mat(m [][]float64) *hdf5.Value {
	var flat []float64
	for _, r := range m {
		flat = append(flat, r...)
	}
	return hdf5.Floats([]uint64{uint64(len(m)), uint64(len(m[0]))}, flat)
}

func vec(n int, x []float64) *hdf5.Value {
	v := make([]float64, n)
	for i := range v {
		v[i] = x[min(i, len(x)-1)]
	}
	return hdf5.Floats([]uint64{uint64(n)}, v)
}

// File returns the layer as a NIR graph: nodes input, w_in, hid, (w_rec),
// output.
func (l Layer) File() *nir.File {
	typ := l.Type
	if typ == "" {
		typ = "IF"
	}
	n := l.Neurons
	g := &nir.Graph{Nodes: map[string]*nir.Node{}}
	g.Nodes["input"] = &nir.Node{Type: "Input", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{1}, []int64{int64(l.Inputs)})}}
	g.Nodes["output"] = &nir.Node{Type: "Output", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{1}, []int64{int64(n)})}}
	win := &nir.Node{Type: "Linear", Params: map[string]*hdf5.Value{"weight": mat(l.WIn)}}
	if l.Bias != nil {
		win.Type = "Affine"
		win.Params["bias"] = vec(n, l.Bias)
	}
	g.Nodes["w_in"] = win
	hid := &nir.Node{Type: typ, Params: map[string]*hdf5.Value{
		"r":           vec(n, []float64{l.R}),
		"v_threshold": vec(n, l.Threshold),
		"v_reset":     vec(n, []float64{l.VReset}),
	}}
	switch typ {
	case "LIF":
		hid.Params["tau"] = vec(n, l.Tau)
		hid.Params["v_leak"] = vec(n, []float64{0})
	case "CubaLIF":
		hid.Params["tau_mem"] = vec(n, l.Tau)
		hid.Params["tau_syn"] = vec(n, []float64{l.TauSyn})
		hid.Params["v_leak"] = vec(n, []float64{0})
	}
	if l.Reset != "" {
		hid.Metadata = map[string]*hdf5.Value{"reset_mechanism": hdf5.ScalarString(l.Reset)}
	}
	g.Nodes["hid"] = hid
	g.Edges = [][2]string{{"input", "w_in"}, {"w_in", "hid"}, {"hid", "output"}}
	if l.WRec != nil {
		g.Nodes["w_rec"] = &nir.Node{Type: "Linear", Params: map[string]*hdf5.Value{"weight": mat(l.WRec)}}
		g.Edges = append(g.Edges, [2]string{"hid", "w_rec"}, [2]string{"w_rec", "hid"})
	}
	return &nir.File{Version: "1.0.0", Graph: g}
}

// Encode is File as HDF5 bytes.
func (l Layer) Encode() ([]byte, error) { return nir.Encode(l.File()) }

// RandomIF is an IF layer at dt = 1 ms (r = 1000: a weight of 1 moves v by
// 1 in a step) with threshold 1, reset to 0, input weights uniform in
// [0.1, 0.6] with probability 0.6, a constant leak of 0.02 a step as the
// Affine bias −0.02 and, if recurrent, recurrent weights uniform in
// [−0.3, 0.3] with probability 0.2 (no self-connections).
func RandomIF(inputs, neurons int, seed uint64, recurrent bool) Layer {
	rng := rand.New(rand.NewPCG(seed, 7))
	// the Affine bias is in input units: times dt·r = 1 it is the leak per step
	l := Layer{Inputs: inputs, Neurons: neurons, Threshold: []float64{1}, R: 1000, Bias: []float64{-0.02}}
	l.WIn = make([][]float64, neurons)
	if recurrent {
		l.WRec = make([][]float64, neurons)
	}
	for j := range neurons {
		l.WIn[j] = make([]float64, inputs)
		for i := range inputs {
			if rng.Float64() < 0.6 {
				l.WIn[j][i] = 0.1 + 0.5*rng.Float64()
			}
		}
		if !recurrent {
			continue
		}
		l.WRec[j] = make([]float64, neurons)
		for i := range neurons {
			if i != j && rng.Float64() < 0.2 {
				l.WRec[j][i] = -0.3 + 0.6*rng.Float64()
			}
		}
	}
	return l
}

// Spikes is a stimulus NeuroCoreX can take (at most one input spike a
// step): in each of steps steps, with probability p, one spike to a random
// input.
func Spikes(inputs, steps int, p float64, seed uint64) []network.Spike {
	rng := rand.New(rand.NewPCG(seed, 11))
	var out []network.Spike
	for s := range steps {
		if rng.Float64() < p {
			out = append(out, network.Spike{Step: s, Index: rng.IntN(inputs)})
		}
	}
	return out
}

// SpikesCSV writes spikes as ncx's --spikes CSV (step,index).
func SpikesCSV(spikes []network.Spike) []byte {
	var b strings.Builder
	b.WriteString("step,index\n")
	for _, s := range spikes {
		fmt.Fprintf(&b, "%d,%d\n", s.Step, s.Index)
	}
	return []byte(b.String())
}

// Example is the IF graph of examples/neurocorex_if.nir (8 inputs, 24 IF
// neurons, no recurrence) and the stimulus of
// examples/neurocorex_if_spikes.csv (200 steps, one spike in 30 % of them).
func Example() (Layer, []network.Spike) {
	return RandomIF(8, 24, 1, false), Spikes(8, 200, 0.3, 5)
}

// Write writes the layer as a NIR file at path.
func (l Layer) Write(path string) error {
	b, err := l.Encode()
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Load writes the layer as dir/name.nir and reads it back with nir.Read,
// as a NIR-reading tool would see it; it returns the file and its path.
func (l Layer) Load(dir, name string) (*nir.File, string, error) {
	path := filepath.Join(dir, name+".nir")
	if err := l.Write(path); err != nil {
		return nil, "", err
	}
	f, err := nir.Read(path)
	return f, path, err
}
