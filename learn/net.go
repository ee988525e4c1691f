package learn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
	"github.com/ncx-project/ncx/network"
)

// NetConfig describes a three-layer burst network and its training protocol
// in hardware units: the knobs of parameter studies. YAML renders it as a
// network description (docs/network-format.md), which BuildNet compiles and
// runs like any other: the examples/*.yaml learning networks are renderings
// of DefaultXORNet and DefaultDigitsNet. Zero fields take the defaults of
// DefaultNetConfig.
type NetConfig struct {
	Profile string `json:"profile"` // "a7" (default: the CMod A7 board) or another profile the network fits
	Inputs  int    `json:"inputs"`
	Hidden  int    `json:"hidden"`
	Outputs int    `json:"outputs"`

	FrozenHidden bool `json:"frozen_hidden"` // input->hidden rate held at 0: only the output layer learns

	// Protocol, in time steps (1 step = 1 ms).
	Steps      int     `json:"steps"`       // forward (inference) phase: teach at rest, counts decide
	TeachSteps int     `json:"teach_steps"` // teaching phase
	GapSteps   int     `json:"gap_steps"`   // silence before each forward phase and after the teaching phase
	RelaxSteps int     `json:"relax_steps"` // then outputs forced every step at rest teach: pbar relaxes with pre traces ~0
	InputRate  float64 `json:"input_rate"`  // spike probability per step of an input at x = 1
	FullCount  float64 `json:"full_count"`  // forward-phase count that means e = 1
	// TeachGain is the output teach per unit error in LUT-index units:
	// teach = TeachGain·(t − e) bins of the burst LUT.
	TeachGain float64 `json:"teach_gain"`

	// Hardware parameters.
	HidThr    int32   `json:"hid_thr"`
	OutThr    int32   `json:"out_thr"`
	OutTRef   uint8   `json:"out_tref"` // refractory steps of the output units (0: may fire every step)
	WExpIn    uint8   `json:"wexp_in"`
	WExpOut   uint8   `json:"wexp_out"`
	WInit1    float64 `json:"winit1"` // input->hidden initial weights: uniform ±WInit1 weight LSB
	WInit2    float64 `json:"winit2"`
	FbWeight  float64 `json:"fb_weight"` // output->hidden burst feedback, uniform ± (weight LSB), zero-sum per hidden unit
	FbWExp    uint8   `json:"fb_wexp"`
	HidAShift uint8   `json:"hid_ashift"`
	EtaHidden uint8   `json:"eta_hidden"` // aplus of the BDSP rules (eta = aplus/2^16 per event)
	EtaOutput uint8   `json:"eta_output"`
	PShift    uint8   `json:"pshift"`     // output units' pbar average: 2^pshift events
	HidPShift uint8   `json:"hid_pshift"` // hidden units' (0: PShift)
	// HidAOff is the hidden units' apical offset in LUT-index units.
	HidAOff int `json:"hid_aoff"`
	// EvalRepeats presentations of each test sample, counts summed.
	EvalRepeats int `json:"eval_repeats"`
	// InTrInc is the input neurons' trace increment: the presynaptic trace of
	// the input->hidden BDSP rule, so it scales the hidden learning rate below
	// aplus = 1.
	InTrInc uint8 `json:"in_tr_inc"`
	// HidTrInc is the hidden units' trace increment: the presynaptic trace
	// of the hidden->output rule (default 48).
	HidTrInc uint8 `json:"hid_tr_inc"`
	// ErrorsOnly teaches only the samples the forward phase gets wrong.
	ErrorsOnly bool `json:"errors_only"`
	// HiddenEpochs > 0 stops hidden learning after that many epochs.
	HiddenEpochs int `json:"hidden_epochs"`
	// AnnealInput halves InTrInc (down to 1) with the rates every
	// RateHalving epochs: the hidden layer's learning-rate schedule.
	AnnealInput bool `json:"anneal_input"`
	// RateHalving > 0 halves both aplus values (down to 1) every RateHalving
	// epochs, written by the host between epochs.
	RateHalving int  `json:"rate_halving"`
	Stoch       bool `json:"stochastic"` // stochastic burst mode (else threshold mode)
	// HidDA is the hidden units' apical decay factor in 1/4096 (default
	// 3072: the apical input integrates the fed-back bursts over ~4 steps).
	HidDA uint16 `json:"hid_da"`
	// Ensemble > 1 groups the hidden units in ensembles of this size that
	// share their initial input weights and their feedback weights: the
	// output averages their independent stochastic updates.
	Ensemble int `json:"ensemble"`
	// Fraction gives both BDSP rules 8 fraction bits per weight (spec
	// section 8.4): updates below one weight LSB accumulate on the core
	// instead of being rounded stochastically to 0 or ±1 each event.
	Fraction bool `json:"fraction"`

	Seed uint64 `json:"seed"`
}

// DefaultNetConfig returns the defaults used by the demos.
func DefaultNetConfig() NetConfig {
	return NetConfig{
		Profile: "a7", Inputs: 64, Hidden: 150, Outputs: 10,
		Steps: 30, TeachSteps: 20, GapSteps: 8, InputRate: 0.5,
		RelaxSteps: 16, FullCount: 12, TeachGain: 32,
		HidThr: 1536, OutThr: 2048, WExpIn: 3, WExpOut: 3,
		WInit1: 80, WInit2: 4, FbWeight: 64, FbWExp: 3, HidAShift: 6,
		EtaHidden: 1, EtaOutput: 4, PShift: 6, HidPShift: 7, Stoch: true, RateHalving: 3,
		InTrInc: 4, AnnealInput: true, EvalRepeats: 3, HidDA: 3072, Ensemble: 1, HidTrInc: 48,
	}
}

func (c *NetConfig) fill() {
	d := DefaultNetConfig()
	d.HidPShift = c.PShift
	orDefault(&c.Profile, d.Profile)
	orDefault(&c.HidPShift, d.HidPShift)
	orDefault(&c.HidDA, d.HidDA)
	orDefault(&c.InTrInc, d.InTrInc)
	orDefault(&c.HidTrInc, d.HidTrInc)
	orDefault(&c.EvalRepeats, d.EvalRepeats)
	orDefault(&c.Inputs, d.Inputs)
	orDefault(&c.Hidden, d.Hidden)
	orDefault(&c.Outputs, d.Outputs)
	orDefault(&c.Steps, d.Steps)
	orDefault(&c.TeachSteps, d.TeachSteps)
	orDefault(&c.GapSteps, d.GapSteps)
	orDefault(&c.RelaxSteps, d.RelaxSteps)
	orDefault(&c.InputRate, d.InputRate)
	orDefault(&c.FullCount, d.FullCount)
	orDefault(&c.TeachGain, d.TeachGain)
	orDefault(&c.WInit1, d.WInit1)
	orDefault(&c.FbWeight, d.FbWeight)
	orDefault(&c.HidThr, d.HidThr)
	orDefault(&c.OutThr, d.OutThr)
	orDefault(&c.HidAShift, d.HidAShift)
	orDefault(&c.EtaHidden, d.EtaHidden)
	orDefault(&c.EtaOutput, d.EtaOutput)
	orDefault(&c.Ensemble, d.Ensemble)
}

// orDefault sets *p to v when *p is the zero value.
func orDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

// outAShift is the apical shift of output units: one LUT bin is 2^8 LSB of
// teach.
const outAShift = 8

// Pop is a range of neuron slots of one population.
type Pop struct {
	Name  string
	First int
	Count int
}

// ID is the absolute neuron id of the k-th neuron of the population.
func (p Pop) ID(k int) uint32 { return uint32(p.First + k) }

// tally adds one to dst[k] for every id of ids that is the population's k-th
// neuron; dst nil counts nothing.
func (p Pop) tally(ids []uint32, dst []int) {
	if dst == nil {
		return
	}
	for _, id := range ids {
		if k := int(id) - p.First; k >= 0 && k < p.Count {
			dst[k]++
		}
	}
}

// Net is a compiled learning network and the core that trains it.
type Net struct {
	Network      *network.Network
	Image        *core.Image
	In, Hid, Out Pop
	Core         *emulator.Core
	Proto        Protocol
	Train, Test  *Dataset // the description's training and evaluation sets
	rng          *rand.Rand
	forces       []uint32
	counts       []int
	diag         *Diag        // per-layer measurements, when enabled
	fb           [][]float64  // output->hidden burst weights [output][hidden], acca LSB
	faDir        []float64    // Σ over samples of (Yᵀ(t − e))_j · x_i, [hidden·inputs]
	inHid        int          // index of the input->hidden projection
	fbProj       int          // index of the output->hidden burst projection
	hidOut       int          // index of the hidden->output projection
	rules        map[int]bool // BDSP rule words in use
	hidRule      int          // the input->hidden rule (0: static)
	frozen       bool         // hidden rule's rate held at 0
}

// frozenCopy is a core holding the current weights with every BDSP rate set
// to 0: inference that cannot change the weights it measures.
func (n *Net) frozenCopy() (*emulator.Core, error) {
	im := n.Core.Image(n.Image)
	for r := range n.rules {
		im.Rules[r].APlus = 0
	}
	c, err := emulator.New(im)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	return c, nil
}

// present runs k steps with input x (Poisson forcing) on c, adding output
// events and bursts to counts and bursts; forceOut also forces every output
// unit every step.
func (n *Net) present(c *emulator.Core, x []float64, k int, forceOut bool, counts, bursts []int) {
	rate := n.Proto.InputRate
	out := n.Out
	for range k {
		f := n.forces[:0]
		for i, xi := range x {
			if xi > 0 && n.rng.Float64() < xi*rate {
				f = append(f, n.In.ID(i))
			}
		}
		if forceOut {
			for j := range out.Count {
				f = append(f, out.ID(j))
			}
		}
		n.forces = f
		if len(f) > 0 {
			_ = c.Force(f...)
		}
		r := c.Step()
		if n.diag != nil && c == n.Core {
			n.diag.record(n, c, r)
		}
		out.tally(r.Spikes, counts)
		out.tally(r.Bursts, bursts)
	}
}

func (n *Net) setTeach(c *emulator.Core, regs []int32) {
	for j, v := range regs {
		c.SetTeach(n.Out.First+j, v)
	}
}

func (n *Net) rest(c *emulator.Core) {
	for j := range n.Out.Count {
		c.SetTeach(n.Out.First+j, 0)
	}
}

func argmax(c []int) int {
	best := 0
	for j, v := range c {
		if v > c[best] {
			best = j
		}
	}
	return best
}

// SampleStats is what one training sample produced.
type SampleStats struct {
	Pred          int
	BurstTarget   float64 // teaching phase: burst fraction of the target unit's events
	BurstOther    float64 // same, mean over the other units
	PBarTarget    float64 // pbar (0..1) of the target unit after the sample
	PBarOther     float64
	ForwardEvents int
}

// errorOf is output j's error t − e for a sample of class label, e from its
// forward-phase event count.
func (n *Net) errorOf(j, label int) float64 {
	t := 0.0
	if j == label {
		t = 1
	}
	return t - min(1, float64(n.counts[j])/n.Proto.FullCount)
}

// TrainSample presents one labelled sample: forward phase (prediction),
// teaching phase (teach registers set, outputs forced), gap and relax.
func (n *Net) TrainSample(x []float64, label int) SampleStats {
	c := n.Core
	pr := &n.Proto
	clear(n.counts)
	n.setPhase(PhaseForward)
	n.present(c, x, pr.Forward, false, n.counts, nil)
	st := SampleStats{Pred: argmax(n.counts)}
	for _, v := range n.counts {
		st.ForwardEvents += v
	}
	teach := make([]int32, n.Out.Count)
	for j := range teach {
		switch {
		case pr.Mode == network.TeachError:
			teach[j] = int32(math.Round(float64(pr.On) * n.errorOf(j, label)))
		case j == label:
			teach[j] = pr.On
		default:
			teach[j] = pr.Off
		}
	}
	n.accumulateFA(x, label)
	n.setTeach(c, teach)
	n.setPhase(PhaseTeach)
	ev := make([]int, n.Out.Count)
	bu := make([]int, n.Out.Count)
	if !pr.ErrorsOnly || st.Pred != label {
		n.present(c, x, pr.Teach, true, ev, bu)
	}
	n.rest(c)
	n.setPhase(PhaseRest)
	n.present(c, nil, pr.Gap, false, nil, nil)
	n.present(c, nil, pr.Relax, true, nil, nil)
	frac := func(j int) float64 {
		if ev[j] == 0 {
			return 0
		}
		return float64(bu[j]) / float64(ev[j])
	}
	st.BurstTarget = frac(label)
	st.PBarTarget = float64(c.PBar(n.Out.First+label)) / core.MaxPBar
	for j := range n.Out.Count {
		if j != label {
			st.BurstOther += frac(j) / float64(n.Out.Count-1)
			st.PBarOther += float64(c.PBar(n.Out.First+j)) / core.MaxPBar / float64(n.Out.Count-1)
		}
	}
	return st
}

// Evaluate returns the accuracy on (xs, ys) of a frozen copy of the current
// weights: forward phases only, argmax of output event counts summed over
// the protocol's eval_repeats presentations.
func (n *Net) Evaluate(xs [][]float64, ys []int) (float64, error) {
	c, err := n.frozenCopy()
	if err != nil {
		return 0, err
	}
	correct := 0
	for i, x := range xs {
		clear(n.counts)
		for range max(1, n.Proto.EvalRepeats) {
			n.present(c, nil, n.Proto.Gap, false, nil, nil)
			n.present(c, x, n.Proto.Forward, false, n.counts, nil)
		}
		if argmax(n.counts) == ys[i] {
			correct++
		}
	}
	if len(xs) == 0 {
		return 0, nil
	}
	return float64(correct) / float64(len(xs)), nil
}

// SetRates is the host's learning-rate schedule, written between epochs
// through the host port: every BDSP rule's aplus becomes its compiled value
// divided by scale (at least 1; the hidden rule stays 0 when frozen), and,
// with inputTrace, the input neurons' trace increment too (the presynaptic
// trace of the input->hidden rule, so the hidden rate falls below aplus = 1).
func (n *Net) SetRates(scale int, inputTrace bool) error {
	scale = max(1, scale)
	for r := range n.rules {
		rl := n.Image.Rules[r]
		rl.APlus = uint8(max(1, int(rl.APlus)/scale))
		if n.frozen && r == n.hidRule {
			rl.APlus = 0
		}
		if err := n.Core.SetRule(r, rl); err != nil {
			return fmt.Errorf("learn: %w", err)
		}
	}
	if inputTrace {
		for k := range n.In.Count {
			q := n.Image.Params[n.In.First+k]
			q.TrInc = uint8(max(1, int(q.TrInc)/scale))
			n.Core.SetParams(n.In.First+k, q)
		}
	}
	return nil
}

// Cycles is the emulated cycle count of all training steps so far.
func (n *Net) Cycles() uint64 { return n.Core.Cycles() }

// Steps is the number of core steps run by the training core so far.
func (n *Net) Steps() int { return n.Core.Steps() }

// accumulateFA adds the feedback-alignment direction of one sample to
// faDir: hidden unit j's error is its feedback-weighted output error
// g_j = Σ_k Y_kj (t_k − e_k) (e from the forward counts), and the direction
// of its input weights is g_j·x. The correlation of the weight change made by
// the core with this direction measures whether credit reaches the hidden
// layer.
func (n *Net) accumulateFA(x []float64, label int) {
	if n.faDir == nil {
		n.faDir = make([]float64, n.Hid.Count*n.In.Count)
	}
	for j := range n.Hid.Count {
		g := 0.0
		for k := range n.Out.Count {
			g += n.fb[k][j] * n.errorOf(k, label)
		}
		row := n.faDir[j*n.In.Count:]
		for i, xi := range x {
			row[i] += g * xi
		}
	}
}
