package fixedpoint

import (
	"math"
	"math/big"
	"math/rand/v2"
)

// Independent reference implementations on math/big, used by the property
// and fuzz tests.

var allModes = []Rounding{Truncate, TowardZero, NearestHalfUp, NearestEven}

func pow2(w uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), w) }

// refRange returns the representable raw range as big.Ints.
func refRange(w uint, signed bool) (lo, hi *big.Int) {
	if signed {
		hi = new(big.Int).Sub(pow2(w-1), big.NewInt(1))
		return new(big.Int).Neg(pow2(w - 1)), hi
	}
	return big.NewInt(0), new(big.Int).Sub(pow2(w), big.NewInt(1))
}

func refSat(x *big.Int, w uint, signed bool) *big.Int {
	lo, hi := refRange(w, signed)
	switch {
	case x.Cmp(lo) < 0:
		return lo
	case x.Cmp(hi) > 0:
		return hi
	}
	return new(big.Int).Set(x)
}

func refWrap(x *big.Int, w uint, signed bool) *big.Int {
	m := new(big.Int).Mod(x, pow2(w)) // Euclidean: in [0, 2^w)
	if signed && m.Cmp(pow2(w-1)) >= 0 {
		m.Sub(m, pow2(w))
	}
	return m
}

// refRound rounds num/den (den > 0) to an integer, starting from the
// truncated quotient (a different route from the implementation, which
// starts from the floor).
func refRound(num, den *big.Int, r Rounding) *big.Int {
	t, rem := new(big.Int).QuoRem(num, den, new(big.Int)) // toward zero; rem has num's sign
	one := big.NewInt(1)
	away := func() *big.Int { // t moved one step away from zero
		if num.Sign() < 0 {
			return new(big.Int).Sub(t, one)
		}
		return new(big.Int).Add(t, one)
	}
	if rem.Sign() == 0 {
		return t
	}
	switch r {
	case TowardZero:
		return t
	case Truncate:
		if num.Sign() < 0 {
			return away()
		}
		return t
	}
	c := new(big.Int).Lsh(new(big.Int).Abs(rem), 1).Cmp(den)
	switch {
	case c > 0:
		return away()
	case c < 0:
		return t
	}
	// exact tie between t and away()
	if r == NearestHalfUp {
		if num.Sign() > 0 {
			return away()
		}
		return t
	}
	if t.Bit(0) == 0 {
		return t
	}
	return away()
}

// refShift returns round(x / 2^s).
func refShift(x int64, s uint, r Rounding) int64 {
	return refRound(big.NewInt(x), pow2(s), r).Int64()
}

// ratio returns x/lsb as an exact fraction num/den with den > 0.
func ratio(x, lsb float64) (num, den *big.Int) {
	q := new(big.Rat).SetFloat64(x)
	q.Quo(q, new(big.Rat).SetFloat64(lsb))
	return q.Num(), q.Denom()
}

// refQuantize is the reference for Quantize with a deterministic rounding.
// It returns the expected raw value, whether it saturated, and whether the
// value is out of range.
func refQuantize(x, lsb float64, w uint, signed bool, r Rounding, ovf Overflow) (raw int64, sat, out bool) {
	num, den := ratio(x, lsb)
	n := refRound(num, den, r)
	lo, hi := refRange(w, signed)
	out = n.Cmp(lo) < 0 || n.Cmp(hi) > 0
	switch {
	case !out:
		return n.Int64(), false, false
	case ovf == Saturate:
		return refSat(n, w, signed).Int64(), true, true
	case ovf == Wrap:
		return refWrap(n, w, signed).Int64(), false, true
	}
	return 0, false, true
}

// edgeInt64 returns interesting int64 values around width w.
func edgeInt64(w uint) []int64 {
	h := int64(1) << (w - 1)
	return []int64{0, 1, -1, 2, -2, h - 1, h, h + 1, -h, -h - 1, -h + 1, 2*h - 1, 2 * h, -2 * h,
		math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1}
}

// randInt64 returns random values with a spread of magnitudes.
func randInt64(rng *rand.Rand) int64 {
	v := int64(rng.Uint64())
	return v >> rng.UintN(64)
}
