package output

import (
	"time"

	"github.com/ncx-project/ncx/core"
)

// Spike is one spike of a run.
type Spike struct {
	Step   uint32 `json:"step"`
	Neuron uint32 `json:"neuron"`
	// Cycle is the clock cycle of the spike output event, counted from the
	// start of the run (0 when the source does not know it).
	Cycle uint64 `json:"cycle"`
	// Burst is set when the spike carries the burst flag (burst units only).
	Burst bool `json:"burst,omitempty"`
}

// StepStats is the work done in one step.
type StepStats struct {
	Step        int    `json:"step"`
	Cycles      uint64 `json:"cycles"`
	Spikes      int    `json:"spikes"`
	SynEvents   uint64 `json:"synapse_events"` // synapse words read in phase 2 (F)
	FanInEvents uint64 `json:"fanin_events"`   // fan-in words read in phase 3 (G)
	Bursts      int    `json:"bursts"`         // spikes with the burst flag (B)
	BurstEvents uint64 `json:"burst_events"`   // burst-row words read in phase 2 (FB)
}

// Trace is the value of one probed variable of one neuron after every step.
type Trace struct {
	Neuron     int    `json:"neuron"`
	Population string `json:"population"`
	Var        string `json:"var"` // v, i, trace, va (apical voltage) or pbar
	// Scale is the physical value of one LSB (millivolts for v and i), 0 when unknown.
	Scale float64 `json:"scale,omitempty"`
	// Offset is added after scaling: the resting potential for v, so that
	// physical values are absolute millivolts.
	Offset float64 `json:"offset,omitempty"`
	Values []int32 `json:"values"`
}

// Run is everything recorded during one run of an image.
type Run struct {
	// Source says what produced the run: "emulator" or a board name.
	Source string
	// Image is the image that was run; it names populations and projections.
	Image *core.Image
	// Steps is the number of steps run.
	Steps int
	// Spikes lists the spikes in step order, neurons ascending within a step.
	Spikes []Spike
	// StepStats has one entry per step; it may be empty if the source
	// does not report per-step work.
	StepStats []StepStats
	// Traces are the probed variables.
	Traces []Trace
	// Weights are the final synapse words, nil when they were not recorded.
	Weights []core.Synapse
	// Wall is the wall-clock time the run took.
	Wall time.Duration
	// Interrupted is set when a signal stopped the run early: Steps steps
	// ran, fewer than asked for.
	Interrupted bool
}

// popIndex maps neuron ids to population names.
type popIndex struct {
	names []string // by neuron id
}

func newPopIndex(im *core.Image) popIndex {
	if im == nil {
		return popIndex{}
	}
	names := make([]string, im.NumNeurons)
	for _, p := range im.Meta.Populations {
		for n := p.First; n < p.First+p.Count && n < len(names); n++ {
			if n >= 0 {
				names[n] = p.Name
			}
		}
	}
	return popIndex{names: names}
}

func (p popIndex) name(n uint32) string {
	if int(n) < len(p.names) {
		return p.names[n]
	}
	return ""
}

// dtMs is the step length of an image in milliseconds, or 0 when unknown.
func dtMs(im *core.Image) float64 {
	if im == nil {
		return 0
	}
	return im.Meta.DtMs
}

// SynapseSources returns the source neuron of every synapse word of im,
// from the fan-out rows; -1 for a word in no row.
func SynapseSources(im *core.Image) []int32 {
	src := make([]int32, len(im.Syn))
	for i := range src {
		src[i] = -1
	}
	for n, f := range im.Fanout {
		for a := uint64(f.FoBase); a < uint64(f.FoBase)+uint64(f.FoCnt) && a < uint64(len(src)); a++ {
			src[a] = int32(n)
		}
	}
	return src
}
