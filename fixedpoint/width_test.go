package fixedpoint

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWidthLimits(t *testing.T) {
	tests := []struct {
		w                uint
		minS, maxS, maxU int64
	}{
		{1, -1, 0, 1},
		{2, -2, 1, 3},
		{8, -128, 127, 255},
		{18, -131072, 131071, 262143},
		{24, -8388608, 8388607, 16777215},
		{62, -1 << 61, 1<<61 - 1, 1<<62 - 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.minS, MinSigned(tc.w), "MinSigned(%d)", tc.w)
		assert.Equal(t, tc.maxS, MaxSigned(tc.w), "MaxSigned(%d)", tc.w)
		assert.Equal(t, tc.maxU, MaxUnsigned(tc.w), "MaxUnsigned(%d)", tc.w)
	}
}

func TestWidthPanics(t *testing.T) {
	for _, w := range []uint{0, 63, 64, 1000} {
		assert.Panics(t, func() { MinSigned(w) }, "MinSigned(%d)", w)
		assert.Panics(t, func() { MaxSigned(w) }, "MaxSigned(%d)", w)
		assert.Panics(t, func() { MaxUnsigned(w) }, "MaxUnsigned(%d)", w)
		assert.Panics(t, func() { SatSigned(0, w) }, "SatSigned(%d)", w)
		assert.Panics(t, func() { WrapSigned(0, w) }, "WrapSigned(%d)", w)
		assert.Panics(t, func() { SatUnsigned(0, w) }, "SatUnsigned(%d)", w)
		assert.Panics(t, func() { WrapUnsigned(0, w) }, "WrapUnsigned(%d)", w)
		assert.Panics(t, func() { FitsSigned(0, w) }, "FitsSigned(%d)", w)
		assert.Panics(t, func() { FitsUnsigned(0, w) }, "FitsUnsigned(%d)", w)
	}
}

func TestSatWrapExamples(t *testing.T) {
	tests := []struct {
		x            int64
		w            uint
		satS, wrapS  int64
		satU, wrapU  int64
		fitsS, fitsU bool
	}{
		{0, 8, 0, 0, 0, 0, true, true},
		{127, 8, 127, 127, 127, 127, true, true},
		{128, 8, 127, -128, 128, 128, false, true},
		{255, 8, 127, -1, 255, 255, false, true},
		{256, 8, 127, 0, 255, 0, false, false},
		{-1, 8, -1, -1, 0, 255, true, false},
		{-129, 8, -128, 127, 0, 127, false, false},
		{-1, 1, -1, -1, 0, 1, true, false},
		{1, 1, 0, -1, 1, 1, false, true},
		{math.MinInt64, 62, -1 << 61, 0, 0, 0, false, false},
		{math.MaxInt64, 62, 1<<61 - 1, -1, 1<<62 - 1, 1<<62 - 1, false, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.satS, SatSigned(tc.x, tc.w), "SatSigned(%d,%d)", tc.x, tc.w)
		assert.Equal(t, tc.wrapS, WrapSigned(tc.x, tc.w), "WrapSigned(%d,%d)", tc.x, tc.w)
		assert.Equal(t, tc.satU, SatUnsigned(tc.x, tc.w), "SatUnsigned(%d,%d)", tc.x, tc.w)
		assert.Equal(t, tc.wrapU, WrapUnsigned(tc.x, tc.w), "WrapUnsigned(%d,%d)", tc.x, tc.w)
		assert.Equal(t, tc.fitsS, FitsSigned(tc.x, tc.w), "FitsSigned(%d,%d)", tc.x, tc.w)
		assert.Equal(t, tc.fitsU, FitsUnsigned(tc.x, tc.w), "FitsUnsigned(%d,%d)", tc.x, tc.w)
	}
}

// checkWidthOps compares every width helper with the big.Int reference.
func checkWidthOps(t *testing.T, x int64, w uint) {
	t.Helper()
	bx := big.NewInt(x)
	loS, hiS := refRange(w, true)
	_, hiU := refRange(w, false)
	require.Equal(t, refSat(bx, w, true).Int64(), SatSigned(x, w), "SatSigned(%d,%d)", x, w)
	require.Equal(t, refWrap(bx, w, true).Int64(), WrapSigned(x, w), "WrapSigned(%d,%d)", x, w)
	require.Equal(t, refSat(bx, w, false).Int64(), SatUnsigned(x, w), "SatUnsigned(%d,%d)", x, w)
	require.Equal(t, refWrap(bx, w, false).Int64(), WrapUnsigned(x, w), "WrapUnsigned(%d,%d)", x, w)
	require.Equal(t, bx.Cmp(loS) >= 0 && bx.Cmp(hiS) <= 0, FitsSigned(x, w), "FitsSigned(%d,%d)", x, w)
	require.Equal(t, bx.Sign() >= 0 && bx.Cmp(hiU) <= 0, FitsUnsigned(x, w), "FitsUnsigned(%d,%d)", x, w)
}

func TestWidthOpsAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for w := uint(1); w <= MaxWidth; w++ {
		for _, x := range edgeInt64(w) {
			checkWidthOps(t, x, w)
		}
		for range 2000 {
			checkWidthOps(t, randInt64(rng), w)
		}
	}
}
