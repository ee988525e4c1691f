package emulator

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

// trace replays the step's work through the timing formula and emits the
// events; it returns the spike output cycles.
func (c *Core) trace(r StepResult) []uint64 {
	t := c.timing
	emit := c.Tracer
	emit(CycleEvent{Step: r.Step, Cycle: 0, Kind: EvStart})
	cyc := make([]uint64, len(r.Spikes))
	for j, s := range r.Spikes {
		cyc[j] = t.SpikeCycle(uint64(s))
		emit(CycleEvent{Step: r.Step, Cycle: cyc[j], Kind: EvSpike, A: s})
	}
	at := t.CStart + uint64(len(c.neurons)) + t.P1
	for _, s := range r.Spikes {
		at += t.CRow
		for k := uint32(0); k < c.foCnt[s]; k++ {
			emit(CycleEvent{Step: r.Step, Cycle: at, Kind: EvDeliver, A: s, B: c.foBase[s] + k})
			at++
		}
		if u := c.burst; u != nil && u.isBurst[s] {
			at += t.CRow
			for k := uint32(0); k < u.boCnt[s]; k++ {
				emit(CycleEvent{Step: r.Step, Cycle: at, Kind: EvBurst, A: s, B: u.boBase[s] + k})
				at++
			}
		}
	}
	at += t.P2
	for _, s := range r.Spikes {
		at += t.CRow
		for k := uint32(0); k < c.fiCnt[s]; k++ {
			emit(CycleEvent{Step: r.Step, Cycle: at, Kind: EvPotent, A: s, B: c.fiBase[s] + k})
			at++
		}
	}
	at += t.P3
	emit(CycleEvent{Step: r.Step, Cycle: r.Cycles, Kind: EvDone})
	return cyc
}
