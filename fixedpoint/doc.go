// Package fixedpoint implements the fixed-point arithmetic of the ncx-core
// hardware specification and the quantisation helpers the compiler uses to
// map real-valued parameters onto hardware registers.
//
// # Representation
//
// All fixed-point values are carried in an int64 "raw" integer. A signed
// width w holds two's-complement values in [-2^(w-1), 2^(w-1)-1]; an
// unsigned width w holds [0, 2^w-1]. Widths must lie in 1..62 so that every
// intermediate result used by this package fits in an int64 without
// overflow.
//
// # Q notation
//
// A format Qm.n (type [Q]) has m integer bits and n fractional bits; the
// represented value is raw * 2^-n. For signed formats the sign bit is
// counted inside m (the ARM convention), so the total width is exactly
// m+n bits:
//
//	Q7.10   signed,   17 bits, raw in [-2^16, 2^16-1], value in [-64, 64-2^-10]
//	Q1.15   signed,   16 bits, value in [-1, 1-2^-15]
//	UQ8.0   unsigned,  8 bits, value in [0, 255]
//
// A signed format therefore needs m >= 1. A format written in the
// "sign bit excluded" convention (TI style), where Q7.10 means 18 bits,
// is Q8.10 here.
//
// # Overflow
//
// Saturate clamps an out-of-range value to the nearest representable value
// (the minimum or the maximum). Wrap keeps only the low w bits, i.e. reduces
// the value modulo 2^w into the representable range, exactly as a w-bit
// hardware register discards carries. Fail (only for float conversions)
// reports an error wrapping [ErrOverflow].
//
// # Rounding
//
// Shifting right by s bits (dividing by 2^s), or converting a real number to
// an integer number of LSBs, rounds according to a [Rounding] mode:
//
//	Truncate       floor, toward -Inf; what an arithmetic right shift does
//	TowardZero     drop the fraction of the magnitude (C integer division)
//	NearestHalfUp  nearest, ties toward +Inf: (x + 2^(s-1)) >> s
//	NearestEven    nearest, ties to the even neighbour (IEEE default)
//	Stochastic     round up with probability equal to the discarded fraction,
//	               using random bits from an [LFSR]
//
// All integer results are exact: they never suffer from intermediate
// overflow, and float conversions round the exact quotient x/lsb, not a
// rounded float approximation of it.
//
// # Errors and panics
//
// Functions that take data (floats to convert, strings to parse) return
// errors, prefixed "fixedpoint: ". Functions panic only on programmer error,
// and each such function says so in its documentation: a width outside
// 1..62 (or an invalid [Q]), a shift count above 63, a Decay multiplier
// above 4096, a TraceDecay shift above 7, RoundProductU8 operands above 255,
// LFSR.Bits with n > 64, or Stochastic rounding in ShiftRight without a
// random source.
package fixedpoint
