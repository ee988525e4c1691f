// Package fixedpoint is the one home of the ncx-core hardware arithmetic
// that more than one package computes: the leak primitive Decay (and its
// branchless DecayQ12 for the emulator's inner loop), the STDP trace decay,
// the rounded 8x8-bit plasticity product, the 16-bit Galois LFSR, and the
// two's-complement width helpers (MinSigned, MaxSigned, WrapSigned). Its
// users are core (profile ranges, the LFSR step, DecayOne), the emulator and
// driver/neurocorex (NeuroCoreX's 18-bit wrapping arithmetic). The
// compiler's quantisation is floating-point rounding into these widths and
// lives in package compiler.
//
// Values are carried in int64 (or the hardware's own width where a caller
// needs speed). A signed width w holds [-2^(w-1), 2^(w-1)-1]; widths lie in
// 1..62.
//
// Functions panic only on programmer error, and each says so: a width
// outside 1..62, a Decay multiplier above 4096, a TraceDecay shift above 7,
// RoundProductU8 operands above 255.
package fixedpoint
