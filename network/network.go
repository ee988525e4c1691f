// Package network reads and validates ncx network descriptions: YAML (or
// JSON) files that name populations of LIF neurons, burst units and input
// sources, projections between them (event or burst channel) with optional
// STDP or BDSP, labelled datasets, a teacher and probes. The format is
// documented in docs/network-format.md.
//
// Load returns a *Network whose every field has been checked, so the compiler
// and the float reference can trust it. Every error is an *Error naming the
// file, the line and the field. The network also knows how to expand itself
// deterministically (connections, initial voltages, input spikes), so that the
// compiler and the reference see exactly the same synapses and stimulus.
package network

// Population kinds.
const (
	KindLIF        = "lif"
	KindPoisson    = "poisson"
	KindSpikeTimes = "spike_times"
	KindSpikeList  = "spike_list"
	// KindBurst is a LIF soma with an apical compartment (docs/core-spec.md
	// section 8).
	KindBurst = "burst"
	// KindDatasetInput presents the samples of a dataset as Poisson spike
	// trains whose rates are proportional to the feature values.
	KindDatasetInput = "dataset_input"
)

// Projection channels.
const (
	ChannelEvent = "event" // every spike, into the soma (acc)
	ChannelBurst = "burst" // bursting spikes only, into the apical compartment (acca)
)

// Apical modes.
const (
	ModeThreshold  = "threshold"
	ModeStochastic = "stochastic"
)

// Reset modes of a neuron population (docs/core-spec.md section 4).
const (
	ResetZero     = "zero"     // v is set to v_reset after a spike
	ResetSubtract = "subtract" // v drops by the threshold after a spike
)

// Limits that keep a description from asking for absurd amounts of memory
// before the compiler gets to compare it with a profile.
const (
	MaxPopulationSize = 1 << 24
	MaxSteps          = 1 << 31
)

// Network is a validated network description.
type Network struct {
	File string // path of the description as given to Load (or the name given to Parse)
	Dir  string // directory that relative paths in the file are resolved against

	Name       string
	Target     string // profile name or path to a profile file (resolved by the compiler)
	TargetLine int    // line of the target field, for errors found while resolving it
	Dt         float64
	Steps      int
	Seed       uint64

	Populations []*Population
	Projections []*Projection
	Probes      []Probe
	Datasets    []*Dataset
	// Teacher drives the apical teaching input of the output layer from a
	// dataset's labels (nil: no teacher).
	Teacher *Teacher
	// Learning is the training protocol of a learning network (nil: none);
	// ncx learn runs it, ncx compile only checks it.
	Learning *Learning
}

// Population is a group of neurons of one kind.
type Population struct {
	Name string
	Kind string // KindLIF, KindBurst or one of the input kinds
	Size int
	Line int

	// LIF populations described physically (Raw == nil). Voltages in mV,
	// times in ms.
	TauMem, TauSyn, VRest, VThresh, VReset, TRef, Bias float64
	// VInit is the initial membrane potential: mV for physical populations,
	// LSB for raw ones.
	VInit Dist
	// Reset is ResetZero or ResetSubtract (lif and burst populations). With
	// ResetSubtract there is no v_reset (VReset = VRest, vreset = 0).
	Reset string
	// Raw holds hardware values given directly (kind lif only).
	Raw *Raw
	// Trace is the STDP trace of this population (nil: no trace). For raw
	// populations the trace lives in Raw.
	Trace *Trace

	// Apical is the apical compartment of a burst population (nil otherwise).
	Apical *Apical
	// Ensemble > 1 (burst populations) groups consecutive neurons in
	// ensembles of this size: every all_to_all projection into the
	// population draws one initial weight per pre neuron and ensemble, which
	// its units share (they then learn apart by their own stochastic
	// updates).
	Ensemble int

	// Input populations.
	RateHz    float64 // poisson; dataset_input: the rate of a feature at its maximum (scale)
	SpikeFile string  // spike_times: path as resolved against Network.Dir
	Spikes    []Spike // spike_times and spike_list, indices relative to the population

	// dataset_input populations.
	Dataset      string // dataset name
	DatasetIdx   int    // index into Network.Datasets
	PresentSteps int    // steps each sample is shown
	GapSteps     int    // silent steps after each sample
}

// IsInput reports whether the population is an input (forced spikes only).
func (p *Population) IsInput() bool { return p.Kind != KindLIF && p.Kind != KindBurst }

// IsBurst reports whether the population is made of burst units.
func (p *Population) IsBurst() bool { return p.Kind == KindBurst }

// Apical is the apical compartment of a burst population. Voltages are mV
// relative to v_rest, like the soma's; in LSB of the apical voltage for raw
// populations.
type Apical struct {
	Tau    float64 // apical time constant, ms
	Offset float64 // E_d: burst probability is 1/2 at this apical voltage
	Slope  float64 // per mV: p = sigmoid(slope · (v_apical − offset)); 0 for raw populations
	// AShift (raw populations only) maps the apical voltage onto the LUT:
	// one LUT bin is 2^AShift LSB.
	AShift int
	// PBarInit is the initial burst-probability estimate, 0..1.
	PBarInit float64
	Mode     string // ModeThreshold or ModeStochastic
	// PBarTau is the number of events the burst-probability estimate
	// averages over (the hardware uses the nearest power of two).
	PBarTau float64
	// Teach is a constant teaching input: the steady-state apical
	// depolarisation it causes, mV (0: none).
	Teach float64
	// Line is the line of teach when given, else of the apical block.
	Line int
}

// Raw are hardware parameter values used verbatim.
type Raw struct {
	Thr, VReset, Bias int64
	DV, DI            int64
	TRef              int64
	TrShift, TrInc    int64
}

// Trace describes a population's STDP trace: the decay time constant (ms)
// and the increment per spike (0..255).
type Trace struct {
	Tau float64
	Inc int
}

// Spike is an input spike of one neuron of a population at a step.
type Spike struct {
	Step  int
	Index int
}

// Dist kinds.
const (
	DistConst   = "const"
	DistUniform = "uniform"
	DistNormal  = "normal"
)

// Dist is a number or a random distribution: {uniform: [lo, hi]} or
// {normal: [mean, sd]}.
type Dist struct {
	Kind string
	A, B float64 // const: A; uniform: [A, B]; normal: mean A, sd B
}

// Bounds returns the smallest and largest value the distribution is expected
// to produce; a normal distribution is bounded at ±4 sd (draws beyond that are
// possible but rare, and are not clipped).
func (d Dist) Bounds() (lo, hi float64) {
	switch d.Kind {
	case DistUniform:
		return d.A, d.B
	case DistNormal:
		return d.A - 4*d.B, d.A + 4*d.B
	}
	return d.A, d.A
}

// Connection kinds.
const (
	ConnAllToAll  = "all_to_all"
	ConnOneToOne  = "one_to_one"
	ConnFixedProb = "fixed_probability"
	ConnList      = "list"
	ConnCSV       = "csv"
)

// Projection is a set of synapses from one population to another.
type Projection struct {
	Name      string
	Pre, Post string
	PreIdx    int // index into Network.Populations
	PostIdx   int
	Line      int

	Connect Connect
	// Weight is used for every synapse that does not carry its own weight
	// (list/csv entries with a third column do). HasWeight is false when
	// every synapse carries its own.
	Weight    Dist
	HasWeight bool
	STDP      *STDP
	// Channel is ChannelEvent (default) or ChannelBurst.
	Channel string
	// BDSP is the burst-dependent plasticity rule of an event projection into
	// a burst population (nil: none; exclusive with STDP).
	BDSP *BDSP
	// ZeroSum (all_to_all only) shifts the drawn weights arriving at each
	// post neuron by their mean, so that they sum to zero: a rate common to
	// all pre neurons cancels (the burst-driven SOM-like inhibition of
	// Payeur et al. folded into the feedback weights).
	ZeroSum bool
}

// IsBurst reports whether the projection carries bursts.
func (pr *Projection) IsBurst() bool { return pr.Channel == ChannelBurst }

// Plastic reports whether the projection's weights change (STDP or BDSP).
func (pr *Projection) Plastic() bool { return pr.STDP != nil || pr.BDSP != nil }

// Connect describes which pairs are connected.
type Connect struct {
	Kind      string
	P         float64 // fixed_probability
	Seed      uint64  // connection seed; meaningful when HasSeed
	HasSeed   bool
	AllowSelf bool // all_to_all and fixed_probability within one population
	File      string

	// Explicit pairs (list and csv), indices relative to the populations.
	// W is nil when no entry carries a weight.
	ListPre, ListPost []int32
	ListW             []float64
}

// STDP is a pair-based additive STDP rule. Amounts are in the projection's
// weight units, per full (255) trace of the partner neuron.
type STDP struct {
	APlus, AMinus float64
	WMin, WMax    float64
}

// BDSP is Payeur et al.'s burst-dependent rule, applied at each postsynaptic
// event: dw = eta · (B − Pbar) · Etilde_pre, where B is 1 for a burst and 0
// otherwise, Pbar the postsynaptic burst-probability estimate and Etilde_pre
// the presynaptic trace divided by 255. Eta and the bounds are in the
// projection's weight units.
type BDSP struct {
	Eta        float64
	WMin, WMax float64
	// Fraction keeps 8 fraction bits below each weight's LSB on the core
	// (spec section 8.4), so updates smaller than one LSB accumulate
	// instead of being rounded stochastically to 0 or ±1.
	Fraction bool
}

// Teacher drives the teaching input of an output burst population: while a
// sample of Dataset is presented, neuron c of Population (c the sample's
// label) gets On and every other neuron Off (mV, steady-state apical
// depolarisation, like Apical.Teach); between samples the input is 0.
type Teacher struct {
	Population string
	PopIdx     int
	Dataset    string
	// InputIdx is the dataset_input population whose presentations the
	// teacher follows.
	InputIdx int
	On, Off  float64
	Line     int
}

// Probe asks for recordings of a population's neurons or a projection's weights.
type Probe struct {
	Population string
	Projection string
	Neurons    []int // relative to the population
	Vars       []string
	Line       int
}

// Population returns the population called name, or nil.
func (n *Network) Population(name string) *Population {
	for _, p := range n.Populations {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Offsets returns the first neuron id of each population: populations are
// laid out in file order, contiguously, starting at 0.
func (n *Network) Offsets() []int {
	off := make([]int, len(n.Populations))
	k := 0
	for i, p := range n.Populations {
		off[i] = k
		k += p.Size
	}
	return off
}

// NumNeurons is the total number of neurons.
func (n *Network) NumNeurons() int {
	k := 0
	for _, p := range n.Populations {
		k += p.Size
	}
	return k
}
