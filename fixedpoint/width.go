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

// WrapSigned returns x reduced modulo 2^w into [MinSigned(w), MaxSigned(w)]:
// the low w bits of x, sign-extended from bit w-1.
// It panics if w is outside 1..62.
func WrapSigned(x int64, w uint) int64 {
	checkWidth(w)
	s := 64 - w
	return int64(uint64(x)<<s) >> s
}
