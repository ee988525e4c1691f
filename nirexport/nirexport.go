// Package nirexport writes what a compiled ncx-core image computes as a NIR
// graph: one neuron node per population with the core's actual decay
// factors (as time constants at the image's dt), thresholds and resets, and
// one Linear (or Affine, carrying the neuron biases) node per pair of
// populations with the quantised weights. Voltages are in the core's LSB and
// every neuron node carries the metadata entry nirimport.MetaVScale, so that
// importing the export at the same dt reproduces the image exactly; other
// NIR tools read ordinary LIF/CubaLIF/IF/LI/I/Threshold nodes (docs/nir.md).
package nirexport

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir"
	"github.com/ncx-project/ncx/nirimport"
)

// MaxDense bounds the elements of one exported weight matrix: NIR has no
// sparse layer, so a projection is written as a dense pre × post matrix.
const MaxDense = 1 << 25

// Export converts an image.
func Export(im *core.Image) (*nir.File, error) {
	if im.Burst != nil {
		return nil, fmt.Errorf("nirexport: %s: burst units have no NIR equivalent", im.Meta.Name)
	}
	dt := im.Meta.DtMs / 1000
	if !(dt > 0) {
		return nil, fmt.Errorf("nirexport: %s: image has no time step", im.Meta.Name)
	}
	g := &nir.Graph{Nodes: map[string]*nir.Node{}}
	// Dots separate subgraph paths in NIR names: an imported subgraph's
	// populations ("sub.lif") become flat nodes ("sub_lif").
	pops := append([]core.Population(nil), im.Meta.Populations...)
	for k := range pops {
		pops[k].Name = strings.ReplaceAll(pops[k].Name, ".", "_")
	}
	popOf := make([]int, im.NumNeurons) // population index, -1 for none
	for i := range popOf {
		popOf[i] = -1
	}
	for k, p := range pops {
		if p.Count < 1 || p.First < 0 || p.First+p.Count > im.NumNeurons {
			return nil, fmt.Errorf("nirexport: %s: population %s: neurons %d..%d outside the image's %d", im.Meta.Name, p.Name, p.First, p.First+p.Count-1, im.NumNeurons)
		}
		for i := p.First; i < p.First+p.Count; i++ {
			popOf[i] = k
		}
	}
	vec := func(n int, f func(i int) float64) *hdf5.Value {
		x := make([]float64, n)
		for i := range x {
			x[i] = f(i)
		}
		return hdf5.Floats([]uint64{uint64(n)}, x)
	}
	vmax := im.Profile.VMax()
	// biases[k]: per-neuron bias of population k in the units of the input
	// of its NIR node (β), nil when all zero.
	biases := make([][]float64, len(pops))
	var firstInput string
	for k, p := range pops {
		if p.Kind == "input" {
			g.Nodes[p.Name] = &nir.Node{Type: "Input", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{1}, []int64{int64(p.Count)})}}
			if firstInput == "" {
				firstInput = p.Name
			}
			continue
		}
		if p.Kind != "lif" {
			return nil, fmt.Errorf("nirexport: population %s: kind %s has no NIR equivalent", p.Name, p.Kind)
		}
		node, bias, err := neuronNode(im, p, dt, vmax, vec)
		if err != nil {
			return nil, err
		}
		g.Nodes[p.Name] = node
		biases[k] = bias
	}
	// Weights: one dense matrix per (pre, post) pair, in LSB of acc.
	type pair struct{ pre, post int }
	mats := map[pair][]float64{}
	var order []pair
	for src := 0; src < im.NumNeurons; src++ {
		fo := im.Fanout[src]
		for a := fo.FoBase; a < fo.FoBase+fo.FoCnt; a++ {
			s := im.Syn[a]
			kp := pair{popOf[src], popOf[s.Tgt]}
			if kp.pre < 0 || kp.post < 0 {
				return nil, fmt.Errorf("nirexport: %s: synapse word %d (neuron %d -> %d) joins a neuron that is in no population: a NIR edge needs a node at each end", im.Meta.Name, a, src, s.Tgt)
			}
			pre, post := pops[kp.pre], pops[kp.post]
			m, ok := mats[kp]
			if !ok {
				if n := pre.Count * post.Count; n > MaxDense {
					return nil, fmt.Errorf("nirexport: %s -> %s: a dense %d × %d weight matrix (NIR has no sparse layer) exceeds %d elements", pre.Name, post.Name, post.Count, pre.Count, MaxDense)
				}
				m = make([]float64, pre.Count*post.Count)
				mats[kp] = m
				order = append(order, kp)
			}
			m[(int(s.Tgt)-post.First)*pre.Count+(src-pre.First)] += float64(int32(s.W) << s.WExp)
		}
	}
	sort.Slice(order, func(a, b int) bool {
		if order[a].post != order[b].post {
			return order[a].post < order[b].post
		}
		return order[a].pre < order[b].pre
	})
	hasBias := make([]bool, len(pops))
	for _, kp := range order {
		pre, post := pops[kp.pre], pops[kp.post]
		name := fmt.Sprintf("w_%s_%s", pre.Name, post.Name)
		node := &nir.Node{Type: "Linear", Params: map[string]*hdf5.Value{
			"weight": hdf5.Floats([]uint64{uint64(post.Count), uint64(pre.Count)}, mats[kp])}}
		if b := biases[kp.post]; b != nil && !hasBias[kp.post] {
			node.Type = "Affine"
			node.Params["bias"] = hdf5.Floats([]uint64{uint64(post.Count)}, b)
			hasBias[kp.post] = true
		}
		g.Nodes[name] = node
		g.Edges = append(g.Edges, [2]string{pre.Name, name}, [2]string{name, post.Name})
	}
	// A bias with no incoming synapses rides on a zero-weight Affine from an input.
	for k, b := range biases {
		if b == nil || hasBias[k] {
			continue
		}
		if firstInput == "" {
			return nil, fmt.Errorf("nirexport: population %s has a bias but the image has no input population to hang it on", pops[k].Name)
		}
		in := g.Nodes[firstInput].Params["shape"].I[0]
		name := fmt.Sprintf("bias_%s", pops[k].Name)
		g.Nodes[name] = &nir.Node{Type: "Affine", Params: map[string]*hdf5.Value{
			"weight": hdf5.Floats([]uint64{uint64(pops[k].Count), uint64(in)}, make([]float64, pops[k].Count*int(in))),
			"bias":   hdf5.Floats([]uint64{uint64(pops[k].Count)}, b)}}
		g.Edges = append(g.Edges, [2]string{firstInput, name}, [2]string{name, pops[k].Name})
	}
	// Outputs: the probed populations.
	seen := map[string]bool{}
	for _, pr := range im.Meta.Probes {
		if pr.Population == "" || seen[pr.Population] {
			continue
		}
		seen[pr.Population] = true
		k := slices.IndexFunc(im.Meta.Populations, func(p core.Population) bool { return p.Name == pr.Population })
		if k < 0 {
			return nil, fmt.Errorf("nirexport: %s: a probe names population %q, which the image does not have", im.Meta.Name, pr.Population)
		}
		p := pops[k]
		name := p.Name + "_out"
		g.Nodes[name] = &nir.Node{Type: "Output", Params: map[string]*hdf5.Value{"shape": hdf5.Ints([]uint64{1}, []int64{int64(p.Count)})}}
		g.Edges = append(g.Edges, [2]string{p.Name, name})
	}
	return &nir.File{Version: "1.0.0", Graph: g}, nil
}

// neuronNode describes one population. With u = v − v_leak in LSB, the
// importer's exact discretisation gives back a = exp(−dt/τ) = dv/4096 and,
// with r = 1/(1 − a_m) and w_in = 1/(1 − a_s) (IF: r = 1/dt), an input gain
// of 1 LSB per unit of weight.
func neuronNode(im *core.Image, p core.Population, dt float64, vmax int32, vec func(int, func(int) float64) *hdf5.Value) (*nir.Node, []float64, error) {
	ps := im.Params[p.First : p.First+p.Count]
	st := im.State[p.First : p.First+p.Count]
	q := ps[0]
	for i, x := range ps {
		if x.DV != q.DV || x.DI != q.DI || (x.Thr >= vmax) != (q.Thr >= vmax) || x.RSub != q.RSub {
			return nil, nil, fmt.Errorf("nirexport: population %s: neuron %d decays, fires or resets unlike neuron 0; NIR nodes of one type cannot mix them", p.Name, i)
		}
		if x.TRef != 0 {
			return nil, nil, fmt.Errorf("nirexport: population %s: refractory period %d steps has no NIR equivalent", p.Name, x.TRef)
		}
	}
	spiking := q.Thr < vmax
	am, as := float64(q.DV)/core.DecayOne, float64(q.DI)/core.DecayOne
	tau := func(a float64) float64 { return -dt / math.Log(a) }
	n := p.Count
	params := map[string]*hdf5.Value{}
	leak := func(i int) float64 { return float64(-st[i].V) } // u starts at −v_leak
	var typ string
	win := 1.0
	switch {
	case q.DV == 0 && q.DI == 0 && spiking:
		typ = "Threshold"
		params["threshold"] = vec(n, func(i int) float64 { return float64(ps[i].Thr) })
	case q.DV == core.DecayOne && q.DI == 0:
		typ = map[bool]string{true: "IF", false: "I"}[spiking]
		params["r"] = vec(n, func(int) float64 { return 1 / dt })
		leak = func(int) float64 { return 0 }
		for i := range st {
			if st[i].V != 0 {
				return nil, nil, fmt.Errorf("nirexport: population %s: an integrator starting at v = %d has no NIR equivalent", p.Name, st[i].V)
			}
		}
	case q.DV == core.DecayOne || q.DI == core.DecayOne:
		return nil, nil, fmt.Errorf("nirexport: population %s: a non-decaying current (di = 4096) has no NIR equivalent", p.Name)
	default:
		tm := tau(am)
		if q.DV == 0 {
			tm = dt / 20 // exp(−20) rounds to a multiplier of 0
			am = math.Exp(-20)
		}
		if q.DI == 0 {
			typ = map[bool]string{true: "LIF", false: "LI"}[spiking]
			params["tau"] = vec(n, func(int) float64 { return tm })
		} else {
			typ = map[bool]string{true: "CubaLIF", false: "CubaLI"}[spiking]
			params["tau_mem"] = vec(n, func(int) float64 { return tm })
			params["tau_syn"] = vec(n, func(int) float64 { return tau(as) })
			win = 1 / (1 - as)
			params["w_in"] = vec(n, func(int) float64 { return win })
		}
		params["r"] = vec(n, func(int) float64 { return 1 / (1 - am) })
		params["v_leak"] = vec(n, leak)
	}
	if spiking && typ != "Threshold" {
		params["v_threshold"] = vec(n, func(i int) float64 { return float64(ps[i].Thr) + leak(i) })
		params["v_reset"] = vec(n, func(i int) float64 { return float64(ps[i].VReset) + leak(i) })

	}
	var bias []float64
	for i, x := range ps {
		if x.Bias != 0 {
			if bias == nil {
				bias = make([]float64, n)
			}
			bias[i] = float64(x.Bias) / win
		}
	}
	node := &nir.Node{Type: typ, Params: params, Metadata: map[string]*hdf5.Value{nirimport.MetaVScale: hdf5.ScalarFloat(1)}}
	if q.RSub && typ != "Threshold" {
		// NIR has no reset by subtraction: the node's metadata carries it
		// (snnTorch's word for it), and ncx import reads it back
		node.Metadata[nirimport.MetaReset] = hdf5.ScalarString(network.ResetSubtract)
	}
	return node, bias, nil
}
