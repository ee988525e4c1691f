package fixedpoint

import (
	"fmt"
	"math/bits"
)

// DecayOne is the Decay multiplier that represents 1.0 (m/4096).
const DecayOne = 4096

// Decay implements the ncx-core leak primitive:
//
//	Decay(x, m) = sign(x) * ((|x| * m) >> 12)
//
// i.e. x scaled by m/4096 with the product's magnitude rounded toward zero.
// Consequently |Decay(x,m)| <= |x|, the sign of x is kept (or the result is
// 0), Decay(x, 4096) == x and Decay(x, 0) == 0. The product is formed at
// full precision, so the result is exact for every int64 x, including
// math.MinInt64. In hardware |x|*m needs width(x)+13 bits.
//
// Decay panics if m > 4096.
func Decay(x int64, m uint32) int64 {
	if m > DecayOne {
		panic(fmt.Sprintf("fixedpoint: Decay multiplier %d > 4096", m))
	}
	mag := uint64(x)
	if x < 0 {
		mag = -mag // two's-complement magnitude; 2^63 for MinInt64
	}
	hi, lo := bits.Mul64(mag, uint64(m))
	p := hi<<52 | lo>>12 // (mag*m) >> 12, <= mag
	if x < 0 {
		return -int64(p)
	}
	return int64(p)
}

// DecayQ12 is Decay for the emulator's inner loop: the same result for
// every int32 x and m <= 4096, without branches (rounding toward zero is a
// floor for x >= 0 and a ceiling for x < 0; adding 4095 before the
// arithmetic shift turns the floor into that ceiling for negative products)
// and small enough to inline. It does not check m.
func DecayQ12(x int32, m uint16) int32 {
	p := int64(x) * int64(m)
	return int32((p + (p>>63)&4095) >> 12)
}

// TraceDecay implements the ncx-core STDP trace decay:
//
//	TraceDecay(tr, k) = tr - ((tr + 2^k - 1) >> k)
//
// i.e. tr minus ceil(tr / 2^k), computed without overflow for every uint32
// tr. k = 0 clears the trace; for k >= 1 a positive trace decreases by at
// least 1 per step, so it reaches 0 after finitely many steps (at most
// tr steps), and it never increases.
//
// TraceDecay panics if k > 7.
func TraceDecay(tr uint32, k uint) uint32 {
	if k > 7 {
		panic(fmt.Sprintf("fixedpoint: TraceDecay shift %d out of range 0..7", k))
	}
	t := uint64(tr)
	return uint32(t - (t+(1<<k)-1)>>k)
}

// RoundProductU8 implements the ncx-core 8x8-bit unsigned product with
// round-half-up to 8 bits:
//
//	RoundProductU8(a, b) = (a*b + 128) >> 8
//
// which treats a and b as UQ0.8 (or one of them as UQ8.0) values. The
// result is in 0..254.
//
// RoundProductU8 panics if a or b exceeds 255.
func RoundProductU8(a, b uint32) uint32 {
	if (a | b) > 0xFF {
		panic(fmt.Sprintf("fixedpoint: RoundProductU8 operands %d, %d exceed 8 bits", a, b))
	}
	return (a*b + 128) >> 8
}
