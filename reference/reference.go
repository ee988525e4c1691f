// Package reference runs a network description in float64: the same
// discrete-time model the core implements (docs/core-spec.md section 4, with
// the physical-to-hardware mapping of docs/network-format.md), but with exact
// exponential decays, no quantisation of parameters, weights or state, no
// saturation, and STDP in float. Burst units (section 8) are simulated with
// the float sigmoid instead of the LUT, a float burst-probability estimate
// with the requested pbar_tau, float BDSP, and, in stochastic mode, a float
// RNG (network.Network.BurstRand) instead of the LFSR: threshold mode is
// deterministic in both. Comparing its spikes with the core's (Compare)
// measures what quantisation costs.
package reference

import (
	"fmt"
	"math"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
)

// Result is the outcome of a float run.
type Result struct {
	Steps  int
	Spikes [][]uint32 // per step, the neurons that spiked, ascending
	Counts []int      // spikes per neuron over the run
	// Bursts lists, per step, the spikes that were bursts (burst units only).
	Bursts [][]uint32
	// Weights holds the final weight of every synapse of each projection, in
	// the order network.Network.Connections generates them, in the
	// projection's weight units.
	Weights [][]float64
}

// model holds a population's float parameters in the units the run uses:
// voltages relative to v_rest in mV (raw populations: LSB), the current in
// mV of drive per step, so v' = am·v + i' + bias exactly as in hardware.
type model struct {
	am, as      float64
	thr, vreset float64
	rsub        bool // reset by subtraction: v drops by thr
	bias        float64
	tref        int
	trDecay     float64
	trInc       float64
	input       bool
	drive       float64 // a weight w of an incoming synapse adds w·drive to acc
	vrest       float64

	// Burst units: apical decay per step, sigmoid offset (mV) and slope
	// (per mV), the pbar averaging constant (events), stochastic mode.
	burst      bool
	ad         float64
	offset     float64
	slope      float64
	pbarTau    float64
	stochastic bool
	teachMV    float64 // constant teaching input (steady-state mV)
}

func popModel(net *network.Network, p *network.Population) model {
	dt := net.Dt
	var m model
	trace := func(t *network.Trace) {
		if t != nil {
			m.trDecay, m.trInc = math.Exp(-dt/t.Tau), float64(t.Inc)
		}
	}
	switch {
	case p.IsInput():
		m.input = true
		trace(p.Trace)
	case p.Raw != nil:
		r := p.Raw
		m.am, m.as = float64(r.DV)/core.DecayOne, float64(r.DI)/core.DecayOne
		m.thr, m.vreset, m.bias = float64(r.Thr), float64(r.VReset), float64(r.Bias)
		m.tref = int(r.TRef)
		m.trInc = float64(r.TrInc)
		if r.TrShift > 0 {
			m.trDecay = 1 - math.Ldexp(1, -int(r.TrShift))
		}
		m.drive = 1
	default:
		m.am, m.as = math.Exp(-dt/p.TauMem), math.Exp(-dt/p.TauSyn)
		m.vrest = p.VRest
		m.thr, m.vreset = p.VThresh-p.VRest, p.VReset-p.VRest
		m.bias = p.Bias * (1 - m.am)
		m.tref = int(math.Round(p.TRef / dt))
		m.drive = 1 - m.am
		trace(p.Trace)
	}
	m.rsub = p.Reset == network.ResetSubtract
	if a := p.Apical; a != nil {
		m.burst = true
		m.ad = math.Exp(-dt / a.Tau)
		m.offset, m.slope, m.pbarTau = a.Offset, a.Slope, a.PBarTau
		if p.Raw != nil {
			// raw: voltages in LSB, one LUT bin is 2^ashift LSB
			m.slope = core.LUTUnit / math.Ldexp(1, a.AShift)
		}
		m.stochastic = a.Mode == network.ModeStochastic
		m.teachMV = a.Teach
	}
	return m
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Run simulates net for steps steps. stim gives the forced input spikes
// (absolute neuron ids, e.g. a compiled image's Meta.Stimulus); nil means
// net.Stimulus(steps), which is what the compiler puts in the image.
func Run(net *network.Network, steps int, stim []core.InputSpike) (*Result, error) {
	if steps < 0 {
		return nil, fmt.Errorf("reference: negative step count %d", steps)
	}
	if stim == nil {
		stim = net.Stimulus(steps)
	}
	n := net.NumNeurons()
	off := net.Offsets()
	pop := make([]int32, n) // population of each neuron
	models := make([]model, len(net.Populations))
	v := make([]float64, n)
	for k, p := range net.Populations {
		models[k] = popModel(net, p)
		for i := off[k]; i < off[k]+p.Size; i++ {
			pop[i] = int32(k)
		}
		if !p.IsInput() {
			for i, x := range net.InitialV(k) {
				v[off[k]+i] = x - models[k].vrest
			}
		}
	}

	// Synapses in CSR form by source, like the core's fan-out rows.
	type syn struct {
		tgt  int32
		proj int32
		idx  int32 // index within the projection's Weights slice
		// burst: the synapse carries bursts into the apical compartment.
		burst bool
	}
	cnt := make([]int, n+1)
	for k, pr := range net.Projections {
		base := off[pr.PreIdx]
		net.Connections(k, func(i, _ int32, _ float64) { cnt[base+int(i)+1]++ })
	}
	for i := 1; i <= n; i++ {
		cnt[i] += cnt[i-1]
	}
	syns := make([]syn, cnt[n])
	cur := append([]int(nil), cnt[:n]...)
	weights := make([][]float64, len(net.Projections))
	for k, pr := range net.Projections {
		preBase, postBase := off[pr.PreIdx], off[pr.PostIdx]
		net.Connections(k, func(i, j int32, w float64) {
			s := preBase + int(i)
			syns[cur[s]] = syn{tgt: int32(postBase) + j, proj: int32(k), idx: int32(len(weights[k])), burst: pr.IsBurst()}
			cur[s]++
			weights[k] = append(weights[k], w)
		})
	}
	// Plastic fan-in: for each target, the (source, synapse) pairs.
	type fin struct{ src, s int32 }
	fanIn := make([][]fin, n)
	for src := 0; src < n; src++ {
		for s := cnt[src]; s < cnt[src+1]; s++ {
			if net.Projections[syns[s].proj].Plastic() {
				t := syns[s].tgt
				fanIn[t] = append(fanIn[t], fin{int32(src), int32(s)})
			}
		}
	}

	// Burst units: apical voltage (mV relative to v_rest), apical input for
	// the next step, burst-probability estimate, learning signal B − Pbar,
	// teaching input, and this step's burst flags.
	var va, acca, pbar, bErr, teach []float64
	var isBurst []bool
	var teachW []network.TeachWrite
	var brng interface{ Float64() float64 }
	hasBurst := false
	for _, p := range net.Populations {
		hasBurst = hasBurst || p.IsBurst()
	}
	if hasBurst {
		va, acca, pbar, bErr, teach = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		isBurst = make([]bool, n)
		for x := range teach {
			teach[x] = models[pop[x]].teachMV
			if a := net.Populations[pop[x]].Apical; a != nil {
				pbar[x] = a.PBarInit
			}
		}
		teachW = net.TeachWrites(steps)
		brng = net.BurstRand()
	}
	teacherFirst := 0
	if net.Teacher != nil {
		teacherFirst = off[net.Teacher.PopIdx]
	}

	i := make([]float64, n)
	acc := make([]float64, n)
	tr := make([]float64, n)
	ref := make([]int, n)
	force := make([]bool, n)
	res := &Result{Steps: steps, Spikes: make([][]uint32, steps), Counts: make([]int, n), Weights: weights}
	if hasBurst {
		res.Bursts = make([][]uint32, steps)
	}
	si := 0
	for t := 0; t < steps; t++ {
		for ; len(teachW) > 0 && teachW[0].Step <= t; teachW = teachW[1:] {
			teach[teacherFirst+teachW[0].Index] = teachW[0].MV
		}
		for ; si < len(stim) && int(stim[si].Step) <= t; si++ {
			if int(stim[si].Step) == t {
				if int(stim[si].Neuron) >= n {
					return nil, fmt.Errorf("reference: stimulus spike for neuron %d, network has %d", stim[si].Neuron, n)
				}
				force[stim[si].Neuron] = true
			}
		}
		var spikes []uint32
		for x := 0; x < n; x++ {
			m := &models[pop[x]]
			a := acc[x]
			acc[x] = 0
			f := force[x]
			force[x] = false
			spike := f
			if !m.input {
				i[x] = m.as*i[x] + a
				wasRef := ref[x] > 0
				if wasRef {
					ref[x]--
				} else {
					v[x] = m.am*v[x] + i[x] + m.bias
				}
				spike = f || (!wasRef && v[x] >= m.thr)
				if spike {
					if m.rsub {
						v[x] -= m.thr
					} else {
						v[x] = m.vreset
					}
					ref[x] = m.tref
				}
			}
			tr[x] *= m.trDecay
			if spike {
				tr[x] = math.Min(255, tr[x]+m.trInc)
				spikes = append(spikes, uint32(x))
				res.Counts[x]++
			}
			if m.burst {
				aa := acca[x]
				acca[x] = 0
				isBurst[x] = false
				va[x] = m.ad*va[x] + aa + teach[x]*(1-m.ad)
				if spike {
					u := m.slope * (va[x] - m.offset)
					b := 0.0
					if m.stochastic {
						if brng.Float64() < sigmoid(u) {
							b = 1
						}
					} else if u >= 0 {
						b = 1
					}
					bErr[x] = b - pbar[x]
					pbar[x] += bErr[x] / m.pbarTau
					if b == 1 {
						isBurst[x] = true
						res.Bursts[t] = append(res.Bursts[t], uint32(x))
					}
				}
			}
		}
		res.Spikes[t] = spikes
		// Delivery with the weight before this step's change, then
		// depression by the target's trace.
		for _, s := range spikes {
			for a := cnt[s]; a < cnt[s+1]; a++ {
				sy := syns[a]
				w := &weights[sy.proj][sy.idx]
				if sy.burst {
					// Burst synapses: only bursts, a jump of the apical voltage.
					if isBurst[s] {
						acca[sy.tgt] += *w
					}
					continue
				}
				acc[sy.tgt] += *w * models[pop[sy.tgt]].drive
				if st := net.Projections[sy.proj].STDP; st != nil {
					*w = clip(*w-st.AMinus*tr[sy.tgt]/255, st.WMin, st.WMax)
				}
			}
		}
		// Potentiation by the source's trace.
		for _, s := range spikes {
			for _, e := range fanIn[s] {
				sy := syns[e.s]
				pr := net.Projections[sy.proj]
				w := &weights[sy.proj][sy.idx]
				if b := pr.BDSP; b != nil {
					// BDSP at each postsynaptic event: eta·(B − Pbar)·Etilde.
					*w = clip(*w+b.Eta*bErr[s]*tr[e.src]/255, b.WMin, b.WMax)
					continue
				}
				st := pr.STDP
				*w = clip(*w+st.APlus*tr[e.src]/255, st.WMin, st.WMax)
			}
		}
	}
	return res, nil
}

func clip(x, lo, hi float64) float64 { return math.Min(math.Max(x, lo), hi) }
