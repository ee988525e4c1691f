package core

// Timing holds the cycle constants of spec section 5.
type Timing struct {
	CStart uint64 // cycle that latches start
	P1     uint64 // neuron pipeline depth
	CRow   uint64 // per-spike row header in phases 2 and 3
	P2     uint64 // delivery pipeline drain
	P3     uint64 // potentiation pipeline drain
	DSpike uint64 // offset of a spike output event after its neuron is issued
}

// TimingV1 is the timing of core version 1; hdl/ncx_timing.vh is generated
// from it (internal/hwgen).
var TimingV1 = Timing{CStart: 1, P1: 3, CRow: 2, P2: 3, P3: 3, DSpike: 3}

// StepCycles is the cycle count T of one step (spec section 5): n neurons
// updated, k spikes, f synapse words delivered and g fan-in words potentiated.
func (t Timing) StepCycles(n, k, f, g uint64) uint64 {
	return t.CStart + n + t.P1 + 2*k*t.CRow + f + g + t.P2 + t.P3
}

// StepCyclesBurst extends StepCycles with b bursting spikes and fb burst-row
// words delivered (spec section 8.5).
func (t Timing) StepCyclesBurst(n, k, f, g, b, fb uint64) uint64 {
	return t.StepCycles(n, k, f, g) + b*t.CRow + fb
}

// SpikeCycle is the step-relative cycle on which neuron n's spike appears.
func (t Timing) SpikeCycle(n uint64) uint64 { return t.CStart + n + t.DSpike }
