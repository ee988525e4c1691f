// Package network reads and validates ncx network descriptions: YAML (or
// JSON) files that name populations of LIF neurons and input sources,
// projections between them with optional STDP, and probes. The format is
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
}

// Population is a group of neurons of one kind.
type Population struct {
	Name string
	Kind string // KindLIF or one of the input kinds
	Size int
	Line int

	// LIF populations described physically (Raw == nil). Voltages in mV,
	// times in ms.
	TauMem, TauSyn, VRest, VThresh, VReset, TRef, Bias float64
	// VInit is the initial membrane potential: mV for physical populations,
	// LSB for raw ones.
	VInit Dist
	// Raw holds hardware values given directly (kind lif only).
	Raw *Raw
	// Trace is the STDP trace of this population (nil: no trace). For raw
	// populations the trace lives in Raw.
	Trace *Trace

	// Input populations.
	RateHz    float64 // poisson
	SpikeFile string  // spike_times: path as resolved against Network.Dir
	Spikes    []Spike // spike_times and spike_list, indices relative to the population
}

// IsInput reports whether the population is an input (forced spikes only).
func (p *Population) IsInput() bool { return p.Kind != KindLIF }

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
}

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
