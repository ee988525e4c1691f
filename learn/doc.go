// Package learn trains learning networks on the bit-exact emulator of
// ncx-core with its burst units and BDSP (spec section 8): network
// descriptions with a teacher and a learning block (examples/xor.yaml,
// examples/digits.yaml) are compiled by package compiler and trained sample
// by sample, next to a frozen-hidden twin and float references, over several
// network seeds, with figures.
//
// Conventions. Every weight change in a spiking run is made by the emulated
// core's BDSP rule in phase 3; Go code only forces input spikes, writes the
// teach registers between phases, writes the rules' aplus and the input
// neurons' trace increment between epochs (host-port writes: the learning-
// rate schedule) and counts output events. Evaluation runs on a copy of the
// learned image whose BDSP learning rates are 0, so measuring accuracy never
// changes the weights being measured. NetConfig holds the knobs of parameter
// studies; it renders a description, so studies run the same path as files.
//
// All randomness is seeded: the network seed for weights (compiler) and
// Poisson input (PCG), the core's own LFSR for stochastic bursts and
// stochastic rounding. A run with the same configuration is bit for bit
// reproducible.
//
// Errors are prefixed with "learn:".
package learn
