package nirimport

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// Reference runs the imported graph in float64 at the import's dt: the
// discretised NIR equations of docs/nir.md with exact decays (or Euler's,
// as chosen), unquantised weights, thresholds and biases, and no
// saturation, with the core's timing (a spike reaches the next neuron node
// one step later). Comparing its spikes with the emulator's measures what
// the core's integer arithmetic costs. stim holds the forced input spikes
// by absolute neuron id (an image's Meta.Stimulus); the result lists, per
// step, the neurons that spiked, ascending, with the image's numbering.
func (r *Result) Reference(steps int, stim []core.InputSpike) ([][]uint32, error) {
	if steps < 0 {
		return nil, fmt.Errorf("nirimport: negative step count %d", steps)
	}
	off := r.Net.Offsets()
	n := r.Net.NumNeurons()
	abs := func(name string) ([]int32, error) {
		m := r.Nodes[name]
		if m == nil {
			return nil, fmt.Errorf("nirimport: node %s has no neurons", name)
		}
		ids := make([]int32, len(m.Pop))
		for k := range ids {
			ids[k] = int32(off[m.Pop[k]]) + m.Index[k]
		}
		return ids, nil
	}
	type sim struct {
		t    *target
		ids  []int32
		srcs [][]int32 // absolute ids of each source node's elements
		mats []*sparse
		u, i []float64
		x    []float64
	}
	var sims []*sim
	for _, t := range r.targets {
		s := &sim{t: t}
		var err error
		if s.ids, err = abs(t.n.name); err != nil {
			return nil, err
		}
		for name, m := range t.input.src {
			ids, err := abs(name)
			if err != nil {
				return nil, err
			}
			s.srcs = append(s.srcs, ids)
			s.mats = append(s.mats, m)
		}
		size := len(t.neur)
		s.u, s.i, s.x = make([]float64, size), make([]float64, size), make([]float64, size)
		for j, p := range t.neur {
			s.u[j] = p.init
		}
		sims = append(sims, s)
	}
	prev := make([]bool, n)
	cur := make([]bool, n)
	out := make([][]uint32, steps)
	k := 0
	for step := 0; step < steps; step++ {
		for ; k < len(stim) && int(stim[k].Step) < step; k++ {
		}
		for ; k < len(stim) && int(stim[k].Step) == step; k++ {
			if id := int(stim[k].Neuron); id < n {
				cur[id] = true
			}
		}
		for _, s := range sims {
			clear(s.x)
			for m, mat := range s.mats {
				for e, row := range mat.rows {
					if !prev[s.srcs[m][e]] {
						continue
					}
					for _, en := range row {
						s.x[en.j] += en.w
					}
				}
			}
			for j := range s.u {
				p := &s.t.neur[j]
				s.i[j] = p.as*s.i[j] + p.gain*s.x[j]
				s.u[j] = p.am*s.u[j] + s.i[j] + p.bias
				if p.spiking && s.u[j] >= p.thr {
					if p.rsub {
						s.u[j] -= p.thr
					} else {
						s.u[j] = p.reset
					}
					cur[s.ids[j]] = true
				}
			}
		}
		for id, sp := range cur {
			if sp {
				out[step] = append(out[step], uint32(id))
			}
		}
		prev, cur = cur, prev
		clear(cur)
	}
	return out, nil
}
