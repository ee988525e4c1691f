package core

import (
	"errors"
	"fmt"
)

// NeuronParams is one word of the param memory.
type NeuronParams struct {
	Thr     int32  `json:"thr"`
	VReset  int32  `json:"vreset"`
	Bias    int32  `json:"bias"`
	DV      uint16 `json:"dv"` // 0..4096, membrane decay multiplier
	DI      uint16 `json:"di"` // 0..4096, current decay multiplier
	TRef    uint8  `json:"tref"`
	TrShift uint8  `json:"tr_shift"` // 0..7
	TrInc   uint8  `json:"tr_inc"`
	// RSub selects reset by subtraction (spec section 4): on a spike v drops
	// by thr instead of being set to vreset.
	RSub bool `json:"rsub,omitempty"`
}

// NeuronState is one word of the state memory.
type NeuronState struct {
	V   int32 `json:"v"`
	I   int32 `json:"i"`
	Ref uint8 `json:"ref"`
}

// Fanout is one word of the fanout memory.
type Fanout struct {
	FoBase, FoCnt uint32
	FiBase, FiCnt uint32
}

// Synapse is one word of the syn memory.
type Synapse struct {
	Tgt  uint32
	W    int8
	WExp uint8
	Rule uint8
}

// RevEntry is one word of the rev memory: a plastic synapse and its source.
type RevEntry struct {
	SAddr uint32
	Src   uint32
}

// Rule is one word of the rule memory.
type Rule struct {
	APlus  uint8 `json:"aplus"`
	AMinus uint8 `json:"aminus"`
	WMin   int8  `json:"wmin"`
	WMax   int8  `json:"wmax"`
}

// Image is a compiled network: the contents of every core memory, plus the
// host-side description (Meta) that names populations and carries stimulus.
type Image struct {
	Profile    Profile
	NumNeurons int
	Params     []NeuronParams // len NumNeurons
	State      []NeuronState  // len NumNeurons: initial state
	Trace      []uint8        // len NumNeurons: initial traces
	Fanout     []Fanout       // len NumNeurons
	Syn        []Synapse      // used synapse words, addresses 0..len-1
	Rev        []RevEntry     // used fan-in words
	Rules      [NumRules]Rule
	Burst      *BurstTables // nil when the network has no burst units
	Meta       Meta
}

// Meta is the host-side part of an image: nothing here is loaded into the core.
type Meta struct {
	Name        string         `json:"name"`
	Source      string         `json:"source,omitempty"`
	DtMs        float64        `json:"dt_ms"`
	Steps       int            `json:"steps"`
	Seed        uint64         `json:"seed"`
	Populations []Population   `json:"populations"`
	Projections []Projection   `json:"projections"`
	Probes      []Probe        `json:"probes,omitempty"`
	Stimulus    []InputSpike   `json:"-"` // stored in its own binary section
	Teach       []TeachWrite   `json:"-"` // host writes of teach registers, in step order
	SynProj     []uint16       `json:"-"` // projection index of each synapse word
	Extra       map[string]any `json:"extra,omitempty"`
}

// Population is a named range of neuron slots.
type Population struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"` // "lif", "burst" or "input"
	First int    `json:"first"`
	Count int    `json:"count"`
	// VScale is millivolts per LSB of v, i and acc; 0 for raw populations.
	VScale float64 `json:"vscale,omitempty"`
	// VRest is the resting potential in mV that v = 0 stands for (the
	// hardware leaks toward 0); 0 for raw populations.
	VRest float64 `json:"v_rest,omitempty"`
}

// Projection names a set of synapses between two populations.
type Projection struct {
	Name   string  `json:"name"`
	Pre    string  `json:"pre"`
	Post   string  `json:"post"`
	Rule   uint8   `json:"rule"`
	Count  int     `json:"count"`
	WExp   uint8   `json:"wexp"`
	WScale float64 `json:"wscale,omitempty"` // physical units per LSB of w
}

// Probe asks the emulator to record variables of some neurons.
type Probe struct {
	Population string   `json:"population"`
	Neurons    []int    `json:"neurons"` // absolute neuron ids
	Vars       []string `json:"vars"`    // spikes, v, i, trace
	Projection string   `json:"projection,omitempty"`
}

// InputSpike is an external spike: neuron Neuron is forced to spike in step Step.
type InputSpike struct {
	Step   uint32
	Neuron uint32
}

// TeachWrite is a host write of a burst unit's teach register (spec section
// 8.1) made just before step Step runs.
type TeachWrite struct {
	Step   uint32
	Neuron uint32
	Teach  int32
}

// PopulationByName returns the population called name.
func (m *Meta) PopulationByName(name string) (Population, bool) {
	for _, p := range m.Populations {
		if p.Name == name {
			return p, true
		}
	}
	return Population{}, false
}

// ErrInvalidImage is wrapped by every consistency error of Validate.
var ErrInvalidImage = errors.New("core: invalid image")

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidImage}, a...)...)
}

// Validate checks that an image is something the core can run: every field
// fits its width, every row lies inside its memory, and the plastic fan-in
// table agrees with the synapse table.
func (im *Image) Validate() error {
	p := im.Profile
	if err := p.Validate(); err != nil {
		return invalid("%v", err)
	}
	n := im.NumNeurons
	if n < 1 || n > p.Neurons() {
		return invalid("num_neurons %d outside 1..%d of profile %s", n, p.Neurons(), p.Name)
	}
	if len(im.Params) != n || len(im.State) != n || len(im.Trace) != n || len(im.Fanout) != n {
		return invalid("neuron tables have %d/%d/%d/%d entries, want %d", len(im.Params), len(im.State), len(im.Trace), len(im.Fanout), n)
	}
	if len(im.Syn) > p.Synapses() {
		return invalid("%d synapse words exceed profile %s capacity %d", len(im.Syn), p.Name, p.Synapses())
	}
	if len(im.Rev) > p.FanIn() {
		return invalid("%d fan-in words exceed profile %s capacity %d", len(im.Rev), p.Name, p.FanIn())
	}
	lo, hi := p.VMin(), p.VMax()
	inV := func(x int32) bool { return x >= lo && x <= hi }
	for i, q := range im.Params {
		if !inV(q.Thr) || !inV(q.VReset) || !inV(q.Bias) {
			return invalid("neuron %d: thr/vreset/bias outside %d-bit range", i, p.VW)
		}
		if q.DV > DecayOne || q.DI > DecayOne {
			return invalid("neuron %d: decay multiplier above %d", i, DecayOne)
		}
		if q.TrShift > MaxTrShift {
			return invalid("neuron %d: tr_shift %d above %d", i, q.TrShift, MaxTrShift)
		}
	}
	for i, s := range im.State {
		if !inV(s.V) || !inV(s.I) {
			return invalid("neuron %d: initial v/i outside %d-bit range", i, p.VW)
		}
	}
	owner := make([]int32, len(im.Syn)) // which neuron's fan-out row holds each word
	for i := range owner {
		owner[i] = -1
	}
	for i, f := range im.Fanout {
		if uint64(f.FoBase)+uint64(f.FoCnt) > uint64(len(im.Syn)) {
			return invalid("neuron %d: fan-out row %d+%d outside %d synapse words", i, f.FoBase, f.FoCnt, len(im.Syn))
		}
		if uint64(f.FiBase)+uint64(f.FiCnt) > uint64(len(im.Rev)) {
			return invalid("neuron %d: fan-in row %d+%d outside %d fan-in words", i, f.FiBase, f.FiCnt, len(im.Rev))
		}
		for a := f.FoBase; a < f.FoBase+f.FoCnt; a++ {
			if owner[a] >= 0 {
				return invalid("synapse word %d is in the rows of neurons %d and %d", a, owner[a], i)
			}
			owner[a] = int32(i)
		}
	}
	plastic := 0
	for a, s := range im.Syn {
		if int(s.Tgt) >= n {
			return invalid("synapse word %d: target %d outside %d neurons", a, s.Tgt, n)
		}
		if s.WExp > MaxWExp || s.Rule >= NumRules {
			return invalid("synapse word %d: wexp %d or rule %d out of range", a, s.WExp, s.Rule)
		}
		if s.Rule != 0 {
			plastic++
		}
	}
	// after the target check: the burst rows look up their targets' params
	if err := im.validateBurst(owner); err != nil {
		return err
	}
	if plastic != len(im.Rev) {
		return invalid("%d plastic synapses but %d fan-in words", plastic, len(im.Rev))
	}
	seen := make([]bool, len(im.Syn))
	for i, f := range im.Fanout {
		for r := f.FiBase; r < f.FiBase+f.FiCnt; r++ {
			e := im.Rev[r]
			if int(e.SAddr) >= len(im.Syn) || int(e.Src) >= n {
				return invalid("fan-in word %d: synapse %d or source %d out of range", r, e.SAddr, e.Src)
			}
			s := im.Syn[e.SAddr]
			if s.Rule == 0 || int(s.Tgt) != i || owner[e.SAddr] != int32(e.Src) || seen[e.SAddr] {
				return invalid("fan-in word %d of neuron %d disagrees with synapse word %d", r, i, e.SAddr)
			}
			seen[e.SAddr] = true
		}
	}
	for r, rl := range im.Rules {
		if rl.WMin > rl.WMax {
			return invalid("rule %d: wmin %d above wmax %d", r, rl.WMin, rl.WMax)
		}
	}
	for k, st := range im.Meta.Stimulus {
		if int(st.Neuron) >= n {
			return invalid("stimulus spike %d: neuron %d outside %d neurons", k, st.Neuron, n)
		}
	}
	for k, w := range im.Meta.Teach {
		if int(w.Neuron) >= n || im.Burst == nil || !im.Burst.Params[w.Neuron].BU {
			return invalid("teach write %d: neuron %d is not a burst unit", k, w.Neuron)
		}
		if w.Teach < lo || w.Teach > hi {
			return invalid("teach write %d: value %d outside %d-bit range", k, w.Teach, p.VW)
		}
		if k > 0 && w.Step < im.Meta.Teach[k-1].Step {
			return invalid("teach write %d: steps out of order", k)
		}
	}
	if len(im.Meta.SynProj) != 0 && len(im.Meta.SynProj) != len(im.Syn) {
		return invalid("synapse projection map has %d entries, want %d", len(im.Meta.SynProj), len(im.Syn))
	}
	return nil
}
