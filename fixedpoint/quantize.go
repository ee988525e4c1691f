package fixedpoint

import (
	"errors"
	"fmt"
	"math"
	"math/big"
)

// Overflow selects what a float conversion does with a value outside the
// representable range. See the package documentation.
type Overflow int

const (
	// Saturate clamps to the minimum or maximum representable value.
	Saturate Overflow = iota
	// Wrap keeps the low width bits (two's-complement modular wrap).
	Wrap
	// Fail returns an error wrapping ErrOverflow.
	Fail
)

var overflowNames = [...]string{"Saturate", "Wrap", "Fail"}

// String returns the constant's name, e.g. "Saturate".
func (o Overflow) String() string {
	if o >= 0 && int(o) < len(overflowNames) {
		return overflowNames[o]
	}
	return fmt.Sprintf("Overflow(%d)", int(o))
}

var (
	// ErrNotFinite is wrapped by errors for NaN and ±Inf inputs.
	ErrNotFinite = errors.New("fixedpoint: value is not finite")
	// ErrOverflow is wrapped by errors for out-of-range values under Fail.
	ErrOverflow = errors.New("fixedpoint: value out of range")
)

// Conversion describes the result of quantising a float64.
type Conversion struct {
	Requested float64 // the input value
	Raw       int64   // the raw integer: Value = Raw * lsb
	Value     float64 // Raw * lsb, rounded to float64 (exact if |Raw| < 2^53 and lsb is a power of two)
	AbsErr    float64 // |Value - Requested|
	// RelErr is AbsErr / |Requested|, or 0 when Requested is 0 (a zero
	// input always quantises to exactly 0, so no infinite relative error
	// can arise).
	RelErr    float64
	Saturated bool // the value was out of range and was clamped (Saturate only)
}

// Quantize converts x to an integer number of LSBs: Raw = round(x / lsb)
// using rounding r, where the rounding applies to the exact quotient (not
// to a float64 approximation of it). lsb may be any positive finite value,
// not only a power of two. The result is then fitted into a width-bit
// signed (two's-complement) or unsigned integer according to ovf.
//
// Errors (prefixed "fixedpoint: "): x is NaN or ±Inf (wraps ErrNotFinite);
// lsb not positive and finite; r is Stochastic (use QuantizeStochastic) or
// invalid; ovf invalid; x out of range under Fail (wraps ErrOverflow).
//
// Quantize panics if width is outside 1..62.
func Quantize(x, lsb float64, width uint, signed bool, r Rounding, ovf Overflow) (Conversion, error) {
	if r == Stochastic {
		checkWidth(width)
		return Conversion{}, errors.New("fixedpoint: Stochastic rounding needs a source; use QuantizeStochastic")
	}
	return quantize(x, lsb, width, signed, r, ovf, nil)
}

// QuantizeStochastic is Quantize with Stochastic rounding: with f the exact
// fractional part of x/lsb, it rounds up iff src.Bits(32)/2^32 < f
// (so with probability f, up to the 2^-32 granularity, float64 rounding
// of f and the LFSR's slight bias). src is advanced by exactly 2 steps by every call whose
// arguments are valid, including calls that fail with ErrOverflow.
// A nil src is an error.
//
// QuantizeStochastic panics if width is outside 1..62.
func QuantizeStochastic(x, lsb float64, width uint, signed bool, ovf Overflow, src *LFSR) (Conversion, error) {
	if src == nil {
		checkWidth(width)
		return Conversion{}, errors.New("fixedpoint: QuantizeStochastic: nil *LFSR")
	}
	return quantize(x, lsb, width, signed, Stochastic, ovf, src)
}

func quantize(x, lsb float64, width uint, signed bool, r Rounding, ovf Overflow, src *LFSR) (Conversion, error) {
	checkWidth(width)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return Conversion{}, fmt.Errorf("%w: %v", ErrNotFinite, x)
	case !(lsb > 0) || math.IsInf(lsb, 0):
		return Conversion{}, fmt.Errorf("fixedpoint: lsb %v must be positive and finite", lsb)
	case r < Truncate || r > Stochastic:
		return Conversion{}, fmt.Errorf("fixedpoint: invalid %v", r)
	case ovf < Saturate || ovf > Fail:
		return Conversion{}, fmt.Errorf("fixedpoint: invalid %v", ovf)
	}

	var lo, hi int64
	if signed {
		lo, hi = MinSigned(width), MaxSigned(width)
	} else {
		lo, hi = 0, MaxUnsigned(width)
	}

	// n = round(x/lsb). big is set (and n meaningless) when |n| may exceed
	// the int64 range; then n is only needed modulo 2^62 and its sign.
	var n int64
	var bigN *big.Int
	if q := x / lsb; math.Abs(q) < 1<<51 {
		n = roundFast(x, lsb, q, r, src)
	} else {
		bigN = roundBig(x, lsb, r, src)
		if bigN.IsInt64() {
			n, bigN = bigN.Int64(), nil
		}
	}

	c := Conversion{Requested: x}
	inRange := bigN == nil && n >= lo && n <= hi
	switch {
	case inRange:
		c.Raw = n
	case ovf == Saturate:
		c.Saturated = true
		if (bigN != nil && bigN.Sign() > 0) || (bigN == nil && n > hi) {
			c.Raw = hi
		} else {
			c.Raw = lo
		}
	case ovf == Wrap:
		if bigN != nil {
			// n mod 2^62 preserves n mod 2^width, as width <= 62.
			n = new(big.Int).And(bigN, big.NewInt(1<<62-1)).Int64()
		}
		if signed {
			c.Raw = WrapSigned(n, width)
		} else {
			c.Raw = WrapUnsigned(n, width)
		}
	default: // Fail
		kind := "unsigned"
		if signed {
			kind = "signed"
		}
		return Conversion{}, fmt.Errorf("%w: %v is outside [%v, %v] (%d-bit %s, lsb %v)",
			ErrOverflow, x, float64(lo)*lsb, float64(hi)*lsb, width, kind, lsb)
	}
	c.Value = float64(c.Raw) * lsb
	c.AbsErr = math.Abs(c.Value - x)
	if x != 0 {
		c.RelErr = c.AbsErr / math.Abs(x)
	}
	return c, nil
}

// roundFast rounds the exact quotient x/lsb, given its float64
// approximation q with |q| < 2^51. Each math.FMA below evaluates
// x - k*lsb with a single rounding, so its sign (and whether it is zero) is
// exact: the exact difference is a multiple of 2^-1074 and cannot round to
// zero unless it is zero.
func roundFast(x, lsb, q float64, r Rounding, src *LFSR) int64 {
	n := math.Floor(q) // within 1 of floor(x/lsb), as |q - x/lsb| < 1/2
	if math.FMA(-n, lsb, x) < 0 {
		n--
	} else if math.FMA(-(n+1), lsb, x) >= 0 {
		n++
	}
	// Now n == floor(x/lsb) exactly and |n| < 2^52, so n+0.5 is exact.
	switch r {
	case TowardZero:
		if x < 0 && math.FMA(-n, lsb, x) != 0 {
			n++
		}
	case NearestHalfUp:
		if math.FMA(-(n+0.5), lsb, x) >= 0 {
			n++
		}
	case NearestEven:
		t := math.FMA(-(n + 0.5), lsb, x)
		if t > 0 || (t == 0 && math.Mod(n, 2) != 0) {
			n++
		}
	case Stochastic:
		frac := math.FMA(-n, lsb, x) / lsb
		if uniform32(src) < frac {
			n++
		}
	}
	return int64(n)
}

// roundBig rounds x/lsb exactly using rational arithmetic; used when the
// quotient is too large for roundFast.
func roundBig(x, lsb float64, r Rounding, src *LFSR) *big.Int {
	quo := new(big.Rat).SetFloat64(x)
	quo.Quo(quo, new(big.Rat).SetFloat64(lsb))
	num, den := quo.Num(), quo.Denom() // den > 0, so DivMod floors
	n, rem := new(big.Int).DivMod(num, den, new(big.Int))
	up := false
	switch r {
	case TowardZero:
		up = num.Sign() < 0 && rem.Sign() != 0
	case NearestHalfUp, NearestEven:
		c := new(big.Int).Lsh(rem, 1).Cmp(den)
		up = c > 0 || (c == 0 && (r == NearestHalfUp || n.Bit(0) == 1))
	case Stochastic:
		frac, _ := new(big.Rat).SetFrac(rem, den).Float64()
		up = uniform32(src) < frac
	}
	if up {
		n.Add(n, big.NewInt(1))
	}
	return n
}

// uniform32 returns src.Bits(32) / 2^32, in [0, 1).
func uniform32(src *LFSR) float64 {
	return math.Ldexp(float64(src.Bits(32)), -32)
}

// WithinLSB reports whether |a-b| <= n*lsb. It is false if any argument is
// NaN. Intended for tests comparing a fixed-point result to a reference.
func WithinLSB(a, b, lsb, n float64) bool {
	return math.Abs(a-b) <= n*lsb
}
