package fixedpoint

import "fmt"

// Rounding selects how a value is rounded to an integer number of LSBs when
// low-order bits are discarded. See the package documentation.
type Rounding int

const (
	// Truncate rounds toward -Inf (floor), as an arithmetic right shift does.
	Truncate Rounding = iota
	// TowardZero rounds toward zero: the magnitude's fraction is dropped.
	TowardZero
	// NearestHalfUp rounds to nearest, ties toward +Inf; for a shift by s
	// this is (x + 2^(s-1)) >> s.
	NearestHalfUp
	// NearestEven rounds to nearest, ties to the even neighbour.
	NearestEven
	// Stochastic rounds up with probability equal to the discarded
	// fraction, drawing random bits from an LFSR.
	Stochastic
)

var roundingNames = [...]string{"Truncate", "TowardZero", "NearestHalfUp", "NearestEven", "Stochastic"}

// String returns the constant's name, e.g. "NearestEven".
func (r Rounding) String() string {
	if r >= 0 && int(r) < len(roundingNames) {
		return roundingNames[r]
	}
	return fmt.Sprintf("Rounding(%d)", int(r))
}

// ShiftRight returns x / 2^s rounded according to r, computed exactly (no
// intermediate overflow, for every int64 x and s in 0..63).
//
// For Stochastic, the result is floor(x/2^s) + 1 if R < x mod 2^s, where
// R = src.Bits(s); otherwise floor(x/2^s). src is advanced by ceil(s/16)
// steps on every call, whatever x is (no steps when s == 0). For s <= 16
// this is R = src.Next() & (1<<s - 1), which is what hardware implements.
//
// ShiftRight panics if s > 63, if r is not a valid Rounding, or if r is
// Stochastic and src is nil.
func ShiftRight(x int64, s uint, r Rounding, src *LFSR) int64 {
	if s > 63 {
		panic(fmt.Sprintf("fixedpoint: shift %d out of range 0..63", s))
	}
	q := x >> s                           // floor(x / 2^s)
	rem := uint64(x) & (uint64(1)<<s - 1) // x - q*2^s, in [0, 2^s)
	// q+1 cannot overflow: rem != 0 implies s >= 1, so q <= MaxInt64>>1.
	switch r {
	case Truncate:
		return q
	case TowardZero:
		if x < 0 && rem != 0 {
			return q + 1
		}
		return q
	case NearestHalfUp:
		if s > 0 && rem >= uint64(1)<<(s-1) {
			return q + 1
		}
		return q
	case NearestEven:
		if s == 0 {
			return q
		}
		half := uint64(1) << (s - 1)
		if rem > half || (rem == half && q&1 == 1) {
			return q + 1
		}
		return q
	case Stochastic:
		if src == nil {
			panic("fixedpoint: Stochastic rounding needs a non-nil *LFSR")
		}
		if src.Bits(s) < rem {
			return q + 1
		}
		return q
	}
	panic(fmt.Sprintf("fixedpoint: invalid %v", r))
}
