package core

// EventKind names a per-cycle event of the core.
type EventKind uint8

// Per-cycle events, as the RTL produces them (spec section 5).
const (
	EvStart   EventKind = iota // the cycle that latches start
	EvSpike                    // a spike on the spike output port; A = neuron
	EvDeliver                  // a synapse word read in phase 2; A = source, B = word address
	EvPotent                   // a fan-in word read in phase 3; A = neuron, B = rev address
	EvDone                     // done is high; the step's cycle count
	EvBurst                    // a burst-row word read in phase 2; A = source, B = word address
)

var eventNames = [...]string{"start", "spike", "deliver", "potentiate", "done", "burst"}

func (k EventKind) String() string { return eventNames[k] }

// CycleEvent is one thing the core does on one clock cycle of a step.
type CycleEvent struct {
	Step  int
	Cycle uint64 // step-relative
	Kind  EventKind
	A, B  uint32
}

// CycleTracer receives cycle events in cycle order.
type CycleTracer func(CycleEvent)
