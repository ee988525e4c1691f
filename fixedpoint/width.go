package fixedpoint

import "fmt"

// MaxWidth is the largest supported width in bits; widths are 1..MaxWidth.
const MaxWidth = 62

func checkWidth(w uint) {
	if w < 1 || w > MaxWidth {
		panic(fmt.Sprintf("fixedpoint: width %d out of range 1..%d", w, MaxWidth))
	}
}

// MinSigned returns -2^(w-1), the smallest w-bit two's-complement value.
// It panics if w is outside 1..62.
func MinSigned(w uint) int64 {
	checkWidth(w)
	return -1 << (w - 1)
}

// MaxSigned returns 2^(w-1)-1, the largest w-bit two's-complement value.
// It panics if w is outside 1..62.
func MaxSigned(w uint) int64 {
	checkWidth(w)
	return 1<<(w-1) - 1
}

// MaxUnsigned returns 2^w-1, the largest w-bit unsigned value.
// It panics if w is outside 1..62.
func MaxUnsigned(w uint) int64 {
	checkWidth(w)
	return 1<<w - 1
}

// SatSigned clamps x to [MinSigned(w), MaxSigned(w)].
// It panics if w is outside 1..62.
func SatSigned(x int64, w uint) int64 {
	checkWidth(w)
	hi := int64(1)<<(w-1) - 1
	lo := -hi - 1
	return min(max(x, lo), hi)
}

// WrapSigned returns x reduced modulo 2^w into [MinSigned(w), MaxSigned(w)]:
// the low w bits of x, sign-extended from bit w-1.
// It panics if w is outside 1..62.
func WrapSigned(x int64, w uint) int64 {
	checkWidth(w)
	s := 64 - w
	return int64(uint64(x)<<s) >> s
}

// SatUnsigned clamps x to [0, MaxUnsigned(w)].
// It panics if w is outside 1..62.
func SatUnsigned(x int64, w uint) int64 {
	checkWidth(w)
	return min(max(x, 0), int64(1)<<w-1)
}

// WrapUnsigned returns x reduced modulo 2^w into [0, MaxUnsigned(w)]: the
// low w bits of x's two's-complement representation (so -1 becomes 2^w-1).
// It panics if w is outside 1..62.
func WrapUnsigned(x int64, w uint) int64 {
	checkWidth(w)
	return x & (int64(1)<<w - 1)
}

// FitsSigned reports whether MinSigned(w) <= x <= MaxSigned(w).
// It panics if w is outside 1..62.
func FitsSigned(x int64, w uint) bool {
	checkWidth(w)
	return WrapSigned(x, w) == x
}

// FitsUnsigned reports whether 0 <= x <= MaxUnsigned(w).
// It panics if w is outside 1..62.
func FitsUnsigned(x int64, w uint) bool {
	checkWidth(w)
	return uint64(x)>>w == 0
}
