package fixedpoint

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWidthLimits(t *testing.T) {
	tests := []struct {
		w          uint
		minS, maxS int64
	}{
		{1, -1, 0},
		{2, -2, 1},
		{8, -128, 127},
		{18, -131072, 131071},
		{24, -8388608, 8388607},
		{62, -1 << 61, 1<<61 - 1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.minS, MinSigned(tc.w), "MinSigned(%d)", tc.w)
		assert.Equal(t, tc.maxS, MaxSigned(tc.w), "MaxSigned(%d)", tc.w)
	}
}

func TestWidthPanics(t *testing.T) {
	for _, w := range []uint{0, 63, 64, 1000} {
		assert.Panics(t, func() { MinSigned(w) }, "MinSigned(%d)", w)
		assert.Panics(t, func() { MaxSigned(w) }, "MaxSigned(%d)", w)
		assert.Panics(t, func() { WrapSigned(0, w) }, "WrapSigned(%d)", w)
	}
}

func TestWrapSignedExamples(t *testing.T) {
	tests := []struct {
		x    int64
		w    uint
		want int64
	}{
		{0, 8, 0}, {127, 8, 127}, {128, 8, -128}, {255, 8, -1}, {256, 8, 0}, {-129, 8, 127},
		{-1, 1, -1}, {1, 1, -1}, {131072, 18, -131072}, {math.MinInt64, 62, 0}, {math.MaxInt64, 62, -1},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, WrapSigned(tc.x, tc.w), "WrapSigned(%d,%d)", tc.x, tc.w)
	}
}

// TestWrapSignedIsModular checks the defining property: the result lies in
// the w-bit range and differs from x by a multiple of 2^w.
func TestWrapSignedIsModular(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for w := uint(1); w <= MaxWidth; w++ {
		for range 2000 {
			x := int64(rng.Uint64())
			got := WrapSigned(x, w)
			require.True(t, got >= MinSigned(w) && got <= MaxSigned(w), "WrapSigned(%d,%d) = %d", x, w, got)
			require.Zero(t, uint64(x-got)&(1<<w-1), "WrapSigned(%d,%d) = %d", x, w, got)
		}
	}
}
