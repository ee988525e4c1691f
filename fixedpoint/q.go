package fixedpoint

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Q is a fixed-point format Qm.n with m = Int integer bits and n = Frac
// fractional bits; the value of a raw integer r is r * 2^-Frac. For signed
// formats the sign bit is one of the Int bits, so the width is always
// Int+Frac (Q7.10 signed is 17 bits; see the package documentation).
//
// A Q is valid if 1 <= Width() <= 62 and, when Signed, Int >= 1. Methods
// other than String, LSB and Validate panic on an invalid Q.
type Q struct {
	Int, Frac uint
	Signed    bool
}

// Validate returns an error (prefixed "fixedpoint: ") if q is not valid.
func (q Q) Validate() error {
	switch {
	case q.Int > MaxWidth || q.Frac > MaxWidth || q.Int+q.Frac < 1 || q.Int+q.Frac > MaxWidth:
		return fmt.Errorf("fixedpoint: format %v: width must be in 1..%d", q, MaxWidth)
	case q.Signed && q.Int < 1:
		return fmt.Errorf("fixedpoint: format %v: a signed format needs at least 1 integer bit for the sign", q)
	}
	return nil
}

func (q Q) check() {
	if err := q.Validate(); err != nil {
		panic(err.Error())
	}
}

// Width returns the total number of bits, Int+Frac.
// It panics if q is invalid.
func (q Q) Width() uint {
	q.check()
	return q.Int + q.Frac
}

// LSB returns the value of one raw unit, 2^-Frac.
func (q Q) LSB() float64 { return math.Ldexp(1, -int(q.Frac)) }

// MinRaw returns the smallest raw value: MinSigned(Width()) or 0.
// It panics if q is invalid.
func (q Q) MinRaw() int64 {
	if q.Signed {
		return MinSigned(q.Width())
	}
	q.check()
	return 0
}

// MaxRaw returns the largest raw value: MaxSigned(Width()) or
// MaxUnsigned(Width()). It panics if q is invalid.
func (q Q) MaxRaw() int64 {
	if q.Signed {
		return MaxSigned(q.Width())
	}
	return MaxUnsigned(q.Width())
}

// Float returns raw * 2^-Frac, rounded to float64 (exact if |raw| < 2^53).
func (q Q) Float(raw int64) float64 { return math.Ldexp(float64(raw), -int(q.Frac)) }

// Min returns the smallest representable value, e.g. -64 for Q7.10.
// It panics if q is invalid.
func (q Q) Min() float64 { return q.Float(q.MinRaw()) }

// Max returns the largest representable value (rounded to float64 when the
// width exceeds 53), e.g. 64-2^-10 for Q7.10. It panics if q is invalid.
func (q Q) Max() float64 { return q.Float(q.MaxRaw()) }

// String returns "Qm.n" for signed and "UQm.n" for unsigned formats.
func (q Q) String() string {
	u := ""
	if !q.Signed {
		u = "U"
	}
	return fmt.Sprintf("%sQ%d.%d", u, q.Int, q.Frac)
}

// ParseQ parses "Qm.n" (signed) or "UQm.n" (unsigned), where m and n are
// decimal, and validates the result. ParseQ(q.String()) == q for valid q.
func ParseQ(s string) (Q, error) {
	var q Q
	rest, unsigned := strings.CutPrefix(s, "U")
	q.Signed = !unsigned
	rest, ok := strings.CutPrefix(rest, "Q")
	if !ok {
		return Q{}, fmt.Errorf("fixedpoint: format %q: want Qm.n or UQm.n", s)
	}
	ms, ns, ok := strings.Cut(rest, ".")
	if !ok {
		return Q{}, fmt.Errorf("fixedpoint: format %q: want Qm.n or UQm.n", s)
	}
	m, err1 := strconv.ParseUint(ms, 10, 8)
	n, err2 := strconv.ParseUint(ns, 10, 8)
	if err1 != nil || err2 != nil {
		return Q{}, fmt.Errorf("fixedpoint: format %q: want Qm.n or UQm.n with decimal m and n", s)
	}
	q.Int, q.Frac = uint(m), uint(n)
	if err := q.Validate(); err != nil {
		return Q{}, err
	}
	return q, nil
}

// FromFloat converts x to format q: it is Quantize(x, q.LSB(), q.Width(),
// q.Signed, r, ovf). It panics if q is invalid.
func (q Q) FromFloat(x float64, r Rounding, ovf Overflow) (Conversion, error) {
	return Quantize(x, q.LSB(), q.Width(), q.Signed, r, ovf)
}

// FromFloatStochastic converts x to format q with Stochastic rounding: it
// is QuantizeStochastic(x, q.LSB(), q.Width(), q.Signed, ovf, src).
// It panics if q is invalid.
func (q Q) FromFloatStochastic(x float64, ovf Overflow, src *LFSR) (Conversion, error) {
	return QuantizeStochastic(x, q.LSB(), q.Width(), q.Signed, ovf, src)
}
