package learn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
)

// Rule slots used by the demos.
const (
	ruleHidden = 1 // input -> hidden, BDSP (static when the hidden layer is frozen)
	ruleOutput = 2 // hidden -> output, BDSP
)

// TeachMode chooses what the host writes into the output units' teach
// registers during the teaching phase.
type TeachMode string

const (
	// TeachFixed writes +on for the target class and off for the others: the
	// plain teaching current of Payeur et al.
	TeachFixed TeachMode = "fixed"
	// TeachError writes center + gain·(t − e), with e the unit's normalised
	// event count of the forward phase: the output error of the rate-form
	// burstprop, so that the target's and the non-targets' burst
	// probabilities move by the error.
	TeachError TeachMode = "error"
)

// NetConfig is a three-layer burst network and its training protocol. Zero
// fields take the defaults of DefaultNetConfig.
type NetConfig struct {
	Profile string `json:"profile"` // "sim" (default) or a profile the network fits
	Inputs  int    `json:"inputs"`
	Hidden  int    `json:"hidden"`
	Outputs int    `json:"outputs"`

	FrozenHidden bool      `json:"frozen_hidden"` // input->hidden static: only the output layer learns
	Teach        TeachMode `json:"teach"`

	// Protocol, in time steps (1 step = 1 ms).
	Steps      int     `json:"steps"`       // forward (inference) phase: teach at rest, counts decide
	TeachSteps int     `json:"teach_steps"` // teaching phase
	GapSteps   int     `json:"gap_steps"`   // silence after the teaching phase: input off, traces decay
	RelaxSteps int     `json:"relax_steps"` // then outputs forced every step at rest teach: pbar relaxes with pre traces ~0
	InputRate  float64 `json:"input_rate"`  // spike probability per step of an input at x = 1
	// TeachInputRate is the input rate of the teaching phase (0: InputRate):
	// a stronger drive gives the hidden units more teaching-phase events.
	TeachInputRate float64 `json:"teach_input_rate"`
	ForceEvery     int     `json:"force_every"` // teaching phase: force output events every k steps (0: none)
	FullCount      float64 `json:"full_count"`  // TeachError: forward-phase count that means e = 1

	// Teach values in LUT-index units (multiplied by 2^ashift of the output units).
	TeachRest int     `json:"teach_rest"` // forward phase and gaps
	TeachOn   int     `json:"teach_on"`   // target class
	TeachOff  int     `json:"teach_off"`  // other classes
	TeachGain float64 `json:"teach_gain"` // TeachError: index units per unit error
	TeachMid  int     `json:"teach_mid"`  // TeachError: teach at zero error

	// Hardware parameters.
	HidThr    int32   `json:"hid_thr"`
	OutThr    int32   `json:"out_thr"`
	OutTRef   uint8   `json:"out_tref"` // refractory steps of the output units (0: may fire every step)
	WExpIn    uint8   `json:"wexp_in"`
	WExpOut   uint8   `json:"wexp_out"`
	WInit1    float64 `json:"winit1"` // input->hidden initial weights: uniform ±WInit1 LSB
	WInit2    float64 `json:"winit2"`
	FbWeight  float64 `json:"fb_weight"` // output->hidden burst feedback, uniform ±, zero-sum per hidden unit
	FbWExp    uint8   `json:"fb_wexp"`
	HidAShift uint8   `json:"hid_ashift"`
	EtaHidden uint8   `json:"eta_hidden"` // aplus of the BDSP rules (eta = aplus/2^16 per event)
	EtaOutput uint8   `json:"eta_output"`
	PShift    uint8   `json:"pshift"`     // output units' pbar average: 2^pshift events
	HidPShift uint8   `json:"hid_pshift"` // hidden units' (0: PShift)
	// HidAOff is the hidden units' apical offset in LUT-index units: the
	// burst probability at zero apical input is σ(−HidAOff/4).
	HidAOff int `json:"hid_aoff"`
	// Feedback chooses the output->hidden burst weights: FbZeroSum (random,
	// zero sum per hidden unit) or FbSymmetric (the sign-balanced transpose of
	// the initial hidden->output weights plus random).
	Feedback string `json:"feedback"`
	// RelaxHidden also forces the hidden units in the relax phase, so their
	// pbar returns to the rest burst probability too.
	RelaxHidden bool `json:"relax_hidden"`
	// EvalRepeats presentations of each test sample, counts summed (default 3).
	EvalRepeats int `json:"eval_repeats"`
	// InTrInc is the input neurons' trace increment: the presynaptic trace of
	// the input->hidden BDSP rule, so it scales the hidden learning rate below
	// aplus = 1 (default 4).
	InTrInc uint8 `json:"in_tr_inc"`
	// AnnealInput halves InTrInc (down to 1) with the rates every
	// RateHalving epochs: the hidden layer's learning-rate schedule.
	AnnealInput bool `json:"anneal_input"`
	// RateHalving > 0 halves both aplus values (down to 1) every RateHalving
	// epochs, written by the host between epochs.
	RateHalving int  `json:"rate_halving"`
	Stoch       bool `json:"stochastic"` // stochastic burst mode (else threshold mode)
	// HidThresh puts the hidden units in the deterministic threshold burst
	// mode (burst when the apical index reaches 32, i.e. va ≥ aoff).
	HidThresh bool `json:"hid_thresh"`
	// HidDA is the hidden units' apical decay factor in 1/4096 (default
	// 3072: the apical input integrates the fed-back bursts over ~4 steps).
	HidDA uint16 `json:"hid_da"`
	// Ensemble > 1 groups the hidden units in ensembles of this size that
	// share their initial input weights and their feedback weights: the
	// output averages their independent stochastic updates.
	Ensemble int `json:"ensemble"`

	Seed uint64 `json:"seed"`
}

// Feedback weight schemes.
const (
	FbZeroSum   = "zero-sum"
	FbSymmetric = "symmetric"
)

// DefaultNetConfig returns the defaults used by the demos.
func DefaultNetConfig() NetConfig {
	return NetConfig{
		Profile: "sim", Inputs: 64, Hidden: 150, Outputs: 10,
		Teach: TeachError, Steps: 30, TeachSteps: 20, GapSteps: 8, InputRate: 0.5,
		RelaxSteps: 16, ForceEvery: 1, FullCount: 12,
		TeachRest: 0, TeachOn: 12, TeachOff: -12, TeachGain: 24,
		HidThr: 1536, OutThr: 2048, WExpIn: 3, WExpOut: 3,
		WInit1: 80, WInit2: 4, FbWeight: 64, FbWExp: 3, HidAShift: 6,
		EtaHidden: 1, EtaOutput: 4, PShift: 6, HidPShift: 7, Stoch: true, RateHalving: 3,
		InTrInc: 4, AnnealInput: true, EvalRepeats: 3,
	}
}

func (c *NetConfig) fill() {
	d := DefaultNetConfig()
	d.Feedback, d.HidPShift, d.HidDA = FbZeroSum, c.PShift, 3072
	orDefault(&c.Profile, d.Profile)
	orDefault(&c.Teach, d.Teach)
	orDefault(&c.Feedback, d.Feedback)
	orDefault(&c.HidPShift, d.HidPShift)
	orDefault(&c.HidDA, d.HidDA)
	orDefault(&c.InTrInc, d.InTrInc)
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
}

// orDefault sets *p to v when *p is the zero value.
func orDefault[T comparable](p *T, v T) {
	var zero T
	if *p == zero {
		*p = v
	}
}

// lutSlope is the sigmoid slope of the burst LUT in index units: p(idx) =
// σ((idx − 32)/lutSlope).
const lutSlope = 4.0

// SigmoidLUT is the burst-probability table of the demos.
func SigmoidLUT() [core.LUTSize]uint8 {
	var lut [core.LUTSize]uint8
	for i := range lut {
		p := 1 / (1 + math.Exp(-(float64(i)-core.LUTCenter)/lutSlope))
		lut[i] = uint8(math.Round(255 * p))
	}
	return lut
}

// outAShift is the apical shift of output units: teach = index << outAShift.
const outAShift = 8

// Net is a built burst network and the core that runs it.
type Net struct {
	Cfg          NetConfig
	Image        *core.Image
	In, Hid, Out Pop
	Core         *emulator.Core
	rng          *rand.Rand
	forces       []uint32
	counts       []int
	steps        int       // steps of cores replaced by SetRates
	cycles       uint64    // their cycles
	forceHid     bool      // present also forces the hidden units
	rate         float64   // input rate override of present (0: Cfg.InputRate)
	diag         *Diag     // per-layer measurements, when enabled
	fb           [][]int8  // output->hidden burst weights [output][hidden]
	faDir        []float64 // Σ over samples of (Yᵀ(t − e))_j · x_i, [hidden·inputs]
}

func clampW(x float64) int8 { return int8(max(-127, min(127, math.Round(x)))) }

// BuildNet builds the image of cfg: inputs (plain LIF, driven only by
// force), hidden and output burst units, plastic input->hidden and
// hidden->output event synapses, static output->hidden burst feedback.
func BuildNet(cfg NetConfig) (*Net, error) {
	cfg.fill()
	prof, err := core.LookupProfile(cfg.Profile)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6c6561726e))
	b := NewBuilder(prof, "burstnet")
	b.SetLUT(SigmoidLUT())
	b.SetLFSR(uint16(rng.Uint32()))
	input := core.NeuronParams{Thr: prof.VMax(), DV: 0, DI: 0, TrShift: 3, TrInc: cfg.InTrInc}
	soma := func(thr int32) core.NeuronParams {
		return core.NeuronParams{Thr: thr, DV: 3584, DI: 0, TRef: 1, TrShift: 2, TrInc: 48}
	}
	mode := uint8(core.BModeThresh)
	if cfg.Stoch {
		mode = core.BModeStochas
	}
	hidMode := mode
	if cfg.HidThresh {
		hidMode = core.BModeThresh
	}
	hidB := &core.BurstParams{BU: true, BMode: hidMode, DA: cfg.HidDA, AShift: cfg.HidAShift, PShift: cfg.HidPShift,
		AOff: int32(cfg.HidAOff) << cfg.HidAShift}
	outB := &core.BurstParams{BU: true, BMode: mode, DA: 0, AShift: outAShift, PShift: cfg.PShift, Teach: int32(cfg.TeachRest) << outAShift}
	n := &Net{Cfg: cfg, rng: rng}
	n.In = b.AddPop("input", cfg.Inputs, input, nil)
	n.Hid = b.AddPop("hidden", cfg.Hidden, soma(cfg.HidThr), hidB)
	outP := soma(cfg.OutThr)
	outP.TRef = cfg.OutTRef
	n.Out = b.AddPop("output", cfg.Outputs, outP, outB)
	b.SetPBar(n.Hid, 128)
	b.SetPBar(n.Out, 128)
	hidRule := uint8(ruleHidden)
	if cfg.FrozenHidden {
		hidRule = 0
	}
	b.SetRule(ruleHidden, core.Rule{APlus: cfg.EtaHidden, WMin: -127, WMax: 127}, true)
	b.SetRule(ruleOutput, core.Rule{APlus: cfg.EtaOutput, WMin: -127, WMax: 127}, true)
	uni := func(a float64) float64 { return (2*rng.Float64() - 1) * a }
	ens := max(1, cfg.Ensemble)
	var w1 [][]int8
	if ens > 1 {
		w1 = make([][]int8, cfg.Inputs)
		for k := range w1 {
			w1[k] = make([]int8, cfg.Hidden)
			for j := range w1[k] {
				if j%ens == 0 {
					w1[k][j] = clampW(uni(cfg.WInit1))
				} else {
					w1[k][j] = w1[k][j-j%ens]
				}
			}
		}
	}
	b.Connect("in_hid", n.In, n.Hid, cfg.WExpIn, hidRule, func(k, j int) (int8, bool) {
		if w1 != nil {
			return w1[k][j], true
		}
		return clampW(uni(cfg.WInit1)), true
	})
	w2 := make([][]float64, cfg.Hidden)
	for j := range w2 {
		w2[j] = make([]float64, cfg.Outputs)
		for k := range w2[j] {
			w2[j][k] = uni(cfg.WInit2)
		}
	}
	b.Connect("hid_out", n.Hid, n.Out, cfg.WExpOut, ruleOutput, func(j, k int) (int8, bool) { return clampW(w2[j][k]), true })
	// Feedback: for each hidden unit a random vector over the outputs with
	// zero sum, so the apical drive is Y·(b − mean b): the burst-driven
	// inhibitory (SOM-like) part cancels the common burst rate.
	fb := make([][]int8, cfg.Outputs)
	for k := range fb {
		fb[k] = make([]int8, cfg.Hidden)
	}
	for j := range cfg.Hidden {
		if j%ens != 0 {
			for k := range fb {
				fb[k][j] = fb[k][j-j%ens]
			}
			continue
		}
		v := make([]float64, cfg.Outputs)
		mean := 0.0
		for k := range v {
			v[k] = uni(cfg.FbWeight)
			if cfg.Feedback == FbSymmetric {
				// the initial forward weight's direction, scaled to FbWeight, plus half as much noise
				v[k] = cfg.FbWeight*w2[j][k]/cfg.WInit2 + v[k]/2
			}
			mean += v[k] / float64(len(v))
		}
		for k := range v {
			fb[k][j] = clampW(v[k] - mean)
		}
	}
	n.fb = fb
	b.ConnectBurst("out_hid_fb", n.Out, n.Hid, cfg.FbWExp, func(k, j int) (int8, bool) { return fb[k][j], fb[k][j] != 0 })
	im, err := b.Build()
	if err != nil {
		return nil, err
	}
	n.Image = im
	if n.Core, err = emulator.New(im); err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	n.counts = make([]int, cfg.Outputs)
	return n, nil
}

// frozenCopy is a core holding the current weights with every BDSP rate set
// to 0: inference that cannot change the weights it measures.
func (n *Net) frozenCopy() (*emulator.Core, error) {
	im := n.Core.Image(n.Image)
	im.Rules[ruleHidden].APlus = 0
	im.Rules[ruleOutput].APlus = 0
	c, err := emulator.New(im)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	return c, nil
}

// present runs k steps with input x (Poisson forcing) on c, adding output
// events and bursts to counts and bursts; forceOut > 0 also forces every
// output unit every forceOut steps.
func (n *Net) present(c *emulator.Core, x []float64, k int, forceOut int, counts, bursts []int) {
	rate := n.Cfg.InputRate
	if n.rate > 0 {
		rate = n.rate
	}
	out := n.Out
	for s := range k {
		f := n.forces[:0]
		if x != nil {
			for i, xi := range x {
				if xi > 0 && n.rng.Float64() < xi*rate {
					f = append(f, n.In.ID(i))
				}
			}
		}
		if forceOut > 0 && s%forceOut == 0 {
			if n.forceHid {
				for j := range n.Hid.Count {
					f = append(f, n.Hid.ID(j))
				}
			}
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

func (n *Net) setTeach(c *emulator.Core, idx []int32) {
	for j, v := range idx {
		c.SetTeach(n.Out.First+j, v<<outAShift)
	}
}

func (n *Net) rest(c *emulator.Core) {
	r := int32(n.Cfg.TeachRest)
	for j := range n.Out.Count {
		c.SetTeach(n.Out.First+j, r<<outAShift)
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

// TrainSample presents one labelled sample: gap, forward phase (prediction),
// teaching phase (BDSP active with the teach registers set).
func (n *Net) TrainSample(x []float64, label int) SampleStats {
	c := n.Core
	cfg := n.Cfg
	clear(n.counts)
	n.setPhase(PhaseForward)
	n.present(c, x, cfg.Steps, 0, n.counts, nil)
	st := SampleStats{Pred: argmax(n.counts)}
	for _, v := range n.counts {
		st.ForwardEvents += v
	}
	teach := make([]int32, n.Out.Count)
	for j := range teach {
		t := 0.0
		if j == label {
			t = 1
		}
		switch cfg.Teach {
		case TeachError:
			e := min(1, float64(n.counts[j])/cfg.FullCount)
			teach[j] = int32(cfg.TeachMid) + int32(math.Round(cfg.TeachGain*(t-e)))
		default:
			if j == label {
				teach[j] = int32(cfg.TeachOn)
			} else {
				teach[j] = int32(cfg.TeachOff)
			}
		}
	}
	n.accumulateFA(x, label)
	n.setTeach(c, teach)
	n.setPhase(PhaseTeach)
	ev := make([]int, n.Out.Count)
	bu := make([]int, n.Out.Count)
	n.rate = cfg.TeachInputRate
	n.present(c, x, cfg.TeachSteps, cfg.ForceEvery, ev, bu)
	n.rate = 0
	n.rest(c)
	n.setPhase(PhaseRest)
	n.present(c, nil, cfg.GapSteps, 0, nil, nil)
	n.forceHid = cfg.RelaxHidden
	n.present(c, nil, cfg.RelaxSteps, 1, nil, nil)
	n.forceHid = false
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
// weights: forward phase only, argmax of output event counts.
func (n *Net) Evaluate(xs [][]float64, ys []int) (float64, error) {
	c, err := n.frozenCopy()
	if err != nil {
		return 0, err
	}
	correct := 0
	for i, x := range xs {
		clear(n.counts)
		for range max(1, n.Cfg.EvalRepeats) {
			n.present(c, nil, n.Cfg.GapSteps, 0, nil, nil)
			n.present(c, x, n.Cfg.Steps, 0, n.counts, nil)
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

// SetRates rewrites the aplus fields of the two BDSP rules, as the host does
// between epochs through the host port (a learning-rate schedule). The
// emulator has no rule-write call, so the core is reloaded from its own
// memories: weights, neuron and burst state, traces and the LFSR carry over.
//
// inTrInc > 0 also rewrites the input neurons' trace increment (a host write
// of their param words): the presynaptic trace of the input->hidden rule, so
// the hidden learning rate can fall below aplus = 1.
func (n *Net) SetRates(etaHidden, etaOutput, inTrInc uint8) error {
	c := n.Core
	im := c.Image(n.Image)
	bt := *n.Image.Burst
	bt.State = c.BurstState()
	bt.LFSR = c.LFSR()
	im.Burst = &bt
	im.Rules[ruleHidden].APlus = etaHidden
	im.Rules[ruleOutput].APlus = etaOutput
	if inTrInc > 0 {
		for k := range n.In.Count {
			im.Params[n.In.First+k].TrInc = inTrInc
		}
	}
	nc, err := emulator.New(im)
	if err != nil {
		return fmt.Errorf("learn: %w", err)
	}
	// carry the step and cycle counters over for the reports
	n.steps += c.Steps()
	n.cycles += c.Cycles()
	n.Core = nc
	n.Image.Rules = im.Rules
	n.Image.Params = im.Params
	return nil
}

// Cycles is the emulated cycle count of all training steps so far.
func (n *Net) Cycles() uint64 { return n.cycles + n.Core.Cycles() }

// Steps is the number of core steps run by the training core so far.
func (n *Net) Steps() int { return n.steps + n.Core.Steps() }

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
			t := 0.0
			if k == label {
				t = 1
			}
			g += float64(n.fb[k][j]) * (t - min(1, float64(n.counts[k])/n.Cfg.FullCount))
		}
		row := n.faDir[j*n.In.Count:]
		for i, xi := range x {
			row[i] += g * xi
		}
	}
}
