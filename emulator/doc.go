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
//
// Phase 1 (the neuron update, most of a step's time) runs in one of several
// kernels over a structure-of-arrays neuron table: AVX-512 (16 neurons an
// instruction) or AVX2 (8) where the CPU and OS support them, chosen at run
// time, and a scalar Go kernel everywhere else. The vector kernels are
// hand-written Go assembly rather than simd/archsimd, which needs
// GOEXPERIMENT=simd: assembly keeps the default `go build` and `go install`
// (CGO_ENABLED=0 too) fast on every amd64 machine, with no experiment flag,
// no cgo and no generator to keep in step. The purego build tag, or any other
// architecture, builds the scalar kernel alone. Every kernel is tested bit for
// bit against the scalar one on random tables and against the spec
// transcription.
//
// Phase 1 of a large image may be split between two goroutines where that
// was measured to pay (the scalar kernel from 32,768 neurons; a vector pass
// is too short on every profile for the hand-off to pay); a per-step timer
// keeps it only while it is faster than one goroutine, so a competing load
// on a shared machine never makes the default slower than a serial run for
// long.
package emulator
