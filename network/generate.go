package network

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ncx-project/ncx/core"
)

// Random streams: every random quantity draws from its own PCG stream, keyed
// by purpose and by the index of its population or projection, so adding a
// projection never changes the connectivity or stimulus of another.
const (
	streamConn uint64 = iota + 1
	streamWeight
	streamVInit
	streamPoisson
	streamDataset
	streamBurst
)

func newRand(seed, purpose uint64, idx int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, purpose<<40|uint64(idx)))
}

// draw returns a value of d.
func (d Dist) draw(r *rand.Rand) float64 {
	switch d.Kind {
	case DistUniform:
		return d.A + (d.B-d.A)*r.Float64()
	case DistNormal:
		return d.A + d.B*r.NormFloat64()
	}
	return d.A
}

// Connections calls fn for every synapse of projection k with its pre and
// post indices (relative to their populations) and its weight. The sequence
// is deterministic for a given seed: generated kinds come ordered by pre,
// then post; list and csv entries come in file order. Calling it twice gives
// the same synapses, which lets the compiler count first and fill second
// without storing an intermediate list.
func (n *Network) Connections(k int, fn func(pre, post int32, w float64)) {
	pr := n.Projections[k]
	c := &pr.Connect
	pre, post := n.Populations[pr.PreIdx], n.Populations[pr.PostIdx]
	wr := newRand(n.Seed, streamWeight, k)
	weight := func() float64 { return pr.Weight.draw(wr) }
	noSelf := pr.PreIdx == pr.PostIdx && !c.AllowSelf
	switch c.Kind {
	case ConnAllToAll:
		if pr.ZeroSum || post.Ensemble > 1 {
			shapedAllToAll(pre.Size, post.Size, max(1, post.Ensemble), pr.ZeroSum, noSelf, weight, fn)
			return
		}
		for i := 0; i < pre.Size; i++ {
			for j := 0; j < post.Size; j++ {
				if noSelf && i == j {
					continue
				}
				fn(int32(i), int32(j), weight())
			}
		}
	case ConnOneToOne:
		for i := 0; i < pre.Size; i++ {
			fn(int32(i), int32(i), weight())
		}
	case ConnFixedProb:
		seed, idx := n.Seed, k
		if c.HasSeed {
			seed, idx = c.Seed, 0
		}
		cr := newRand(seed, streamConn, idx)
		total := int64(pre.Size) * int64(post.Size)
		eachBernoulli(cr, c.P, total, func(x int64) {
			i, j := x/int64(post.Size), x%int64(post.Size)
			if noSelf && i == j {
				return
			}
			fn(int32(i), int32(j), weight())
		})
	case ConnList, ConnCSV:
		for e := range c.ListPre {
			w := 0.0
			if c.ListW != nil {
				w = c.ListW[e]
			} else {
				w = weight()
			}
			fn(c.ListPre[e], c.ListPost[e], w)
		}
	}
}

// shapedAllToAll draws an all_to_all weight matrix in pre-major order with
// one draw per pre neuron and ensemble of ens post neurons (the ensemble's
// units share it), optionally centres each post neuron's weights (zeroSum),
// and calls fn in the same order as a plain all_to_all.
func shapedAllToAll(npre, npost, ens int, zeroSum, noSelf bool, weight func() float64, fn func(pre, post int32, w float64)) {
	w := make([]float64, npre*npost)
	for i := range npre {
		for j := range npost {
			switch {
			case noSelf && i == j:
			case j%ens == 0:
				w[i*npost+j] = weight()
			default:
				w[i*npost+j] = w[i*npost+j-j%ens]
			}
		}
	}
	if zeroSum {
		for j := range npost {
			sum, cnt := 0.0, 0
			for i := range npre {
				if !(noSelf && i == j) {
					sum += w[i*npost+j]
					cnt++
				}
			}
			for i := range npre {
				if cnt > 0 {
					w[i*npost+j] -= sum / float64(cnt)
				}
			}
		}
	}
	for i := range npre {
		for j := range npost {
			if !(noSelf && i == j) {
				fn(int32(i), int32(j), w[i*npost+j])
			}
		}
	}
}

// eachBernoulli calls fn, in increasing order, for each x in [0, total) that
// succeeds an independent trial of probability p. It jumps from success to
// success with geometrically distributed gaps, so the cost is proportional to
// the number of successes, not to total (3200×3200 pairs at p=0.02 cost 200k
// draws instead of 10M).
func eachBernoulli(r *rand.Rand, p float64, total int64, fn func(x int64)) {
	if p <= 0 || total <= 0 {
		return
	}
	if p >= 1 {
		for x := int64(0); x < total; x++ {
			fn(x)
		}
		return
	}
	lq := math.Log1p(-p)
	x := int64(-1)
	for {
		gap := math.Floor(math.Log1p(-r.Float64()) / lq)
		if gap >= float64(total-x) { // also catches +Inf
			return
		}
		x += int64(gap) + 1
		if x >= total {
			return
		}
		fn(x)
	}
}

// InitialV returns the initial membrane potential of every neuron of
// population k (mV for physical populations, LSB for raw ones).
func (n *Network) InitialV(k int) []float64 {
	p := n.Populations[k]
	v := make([]float64, p.Size)
	r := newRand(n.Seed, streamVInit, k)
	for i := range v {
		v[i] = p.VInit.draw(r)
	}
	return v
}

// Stimulus expands every input population into forced spikes for steps
// steps, with absolute neuron ids (populations laid out as in Offsets),
// sorted by step then neuron and without duplicates. Poisson and
// dataset_input spikes are drawn from the network seed, so the result is the
// same on every call.
func (n *Network) Stimulus(steps int) []core.InputSpike {
	off := n.Offsets()
	var out []core.InputSpike
	sorted := true
	for k, p := range n.Populations {
		switch p.Kind {
		case KindPoisson:
			r := newRand(n.Seed, streamPoisson, k)
			base := uint32(off[k])
			size := int64(p.Size)
			eachBernoulli(r, p.RateHz*n.Dt/1000, int64(steps)*size, func(x int64) {
				out = append(out, core.InputSpike{Step: uint32(x / size), Neuron: base + uint32(x%size)})
			})
		case KindDatasetInput:
			// Rate coding: during a presentation, feature i of the sample
			// spikes in each step with probability rate·dt/1000·x_i/scale.
			r := newRand(n.Seed, streamDataset, k)
			ds := n.Datasets[p.DatasetIdx]
			data, err := LoadDataset(ds)
			if err != nil {
				continue
			}
			pmax := p.RateHz * n.Dt / 1000 / ds.Scale
			for _, pr := range n.Presentations(k, steps) {
				x := data.Features[pr.Sample]
				for i, v := range x {
					nid := uint32(off[k] + i)
					eachBernoulli(r, pmax*v, int64(pr.Steps), func(s int64) {
						out = append(out, core.InputSpike{Step: uint32(pr.Start) + uint32(s), Neuron: nid})
					})
				}
			}
		case KindSpikeTimes, KindSpikeList:
			for _, s := range p.Spikes {
				if s.Step < steps {
					out = append(out, core.InputSpike{Step: uint32(s.Step), Neuron: uint32(off[k] + s.Index)})
				}
			}
		default:
			continue
		}
		sorted = false
	}
	if !sorted {
		slices.SortFunc(out, func(a, b core.InputSpike) int {
			if c := cmp.Compare(a.Step, b.Step); c != 0 {
				return c
			}
			return cmp.Compare(a.Neuron, b.Neuron)
		})
		out = slices.Compact(out)
	}
	return out
}

// BurstRand returns the random stream a float simulation of the network uses
// for stochastic burst decisions (the hardware uses its LFSR instead).
func (n *Network) BurstRand() *rand.Rand { return newRand(n.Seed, streamBurst, 0) }
