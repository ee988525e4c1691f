// Package emulator runs a compiled ncx-core image exactly as the Verilog core
// does: every state variable bit for bit, and the cycle count of every step
// exactly as the RTL takes it (docs/core-spec.md).
//
// It does not tick a clock. Each step runs the spec's three phases as plain
// loops over the neuron and synapse tables, and the step's cycle count comes
// from the spec's timing formula and the work done (neurons updated, spikes,
// synapse and fan-in words read). A core.CycleTracer, when set, receives the
// per-cycle events the RTL produces, computed from the same formula, for
// comparison with the golden vectors.
package emulator
