package emulator

import "github.com/ncx-project/ncx/core"

// trace replays the step's work through the timing formula and emits the
// events; it returns the spike output cycles.
func (c *Core) trace(r StepResult) []uint64 {
	t := c.timing
	emit := c.Tracer
	emit(core.CycleEvent{Step: r.Step, Cycle: 0, Kind: core.EvStart})
	cyc := make([]uint64, len(r.Spikes))
	for j, s := range r.Spikes {
		cyc[j] = t.SpikeCycle(uint64(s))
		emit(core.CycleEvent{Step: r.Step, Cycle: cyc[j], Kind: core.EvSpike, A: s})
	}
	at := t.CStart + uint64(c.nt.n) + t.P1
	for _, s := range r.Spikes {
		at += t.CRow
		for k := uint32(0); k < c.foCnt[s]; k++ {
			emit(core.CycleEvent{Step: r.Step, Cycle: at, Kind: core.EvDeliver, A: s, B: c.foBase[s] + k})
			at++
		}
		if u := c.burst; u != nil && u.isBurst[s] {
			at += t.CRow
			for k := uint32(0); k < u.boCnt[s]; k++ {
				emit(core.CycleEvent{Step: r.Step, Cycle: at, Kind: core.EvBurst, A: s, B: u.boBase[s] + k})
				at++
			}
		}
	}
	at += t.P2
	for _, s := range r.Spikes {
		at += t.CRow
		for k := uint32(0); k < c.fiCnt[s]; k++ {
			emit(core.CycleEvent{Step: r.Step, Cycle: at, Kind: core.EvPotent, A: s, B: c.fiBase[s] + k})
			at++
		}
	}
	at += t.P3
	emit(core.CycleEvent{Step: r.Step, Cycle: r.Cycles, Kind: core.EvDone})
	return cyc
}
