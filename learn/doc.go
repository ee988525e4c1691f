// Package learn holds on-core learning demonstrations for ncx-core burst
// units (spec section 8): a programmatic image builder that produces
// *core.Image directly in hardware units, a trainer that drives the
// bit-exact emulator sample by sample, and two demos, XOR and the 8x8
// digits, with their float references and figures.
//
// Conventions. Every weight change in a spiking run is made by the emulated
// core's BDSP rule in phase 3; Go code only forces input spikes, writes the
// teach registers between phases and counts output events. Evaluation runs
// on a copy of the learned image whose BDSP learning rates (aplus) are 0, so
// measuring accuracy never changes the weights being measured.
//
// All randomness is seeded: math/rand/v2 PCG for data splits, initial
// weights and Poisson input, and the core's own LFSR for stochastic bursts
// and stochastic rounding. A run with the same configuration is bit for bit
// reproducible.
//
// Errors are prefixed with "learn:".
package learn
