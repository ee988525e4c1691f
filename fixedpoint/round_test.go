package fixedpoint

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShiftRightExamples(t *testing.T) {
	// x, s, then results for Truncate, TowardZero, NearestHalfUp, NearestEven.
	tests := []struct {
		x    int64
		s    uint
		want [4]int64
	}{
		{7, 0, [4]int64{7, 7, 7, 7}},
		{5, 1, [4]int64{2, 2, 3, 2}},      // 2.5
		{7, 1, [4]int64{3, 3, 4, 4}},      // 3.5
		{-5, 1, [4]int64{-3, -2, -2, -2}}, // -2.5
		{-7, 1, [4]int64{-4, -3, -3, -4}}, // -3.5
		{-1, 4, [4]int64{-1, 0, 0, 0}},    // -0.0625
		{-8, 4, [4]int64{-1, 0, 0, 0}},    // -0.5
		{-9, 4, [4]int64{-1, 0, -1, -1}},  // -0.5625
		{24, 4, [4]int64{1, 1, 2, 2}},     // 1.5
		{math.MaxInt64, 1, [4]int64{1<<62 - 1, 1<<62 - 1, 1 << 62, 1 << 62}},
		{math.MinInt64, 63, [4]int64{-1, -1, -1, -1}},
		{math.MaxInt64, 63, [4]int64{0, 0, 1, 1}},
		{math.MinInt64 + 1, 63, [4]int64{-1, 0, -1, -1}},
	}
	for _, tc := range tests {
		for i, r := range allModes {
			assert.Equal(t, tc.want[i], ShiftRight(tc.x, tc.s, r, nil), "ShiftRight(%d, %d, %v)", tc.x, tc.s, r)
		}
	}
}

func TestShiftRightAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	check := func(x int64, s uint) {
		for _, r := range allModes {
			require.Equal(t, refShift(x, s, r), ShiftRight(x, s, r, nil), "ShiftRight(%d, %d, %v)", x, s, r)
		}
	}
	for s := uint(0); s <= 63; s++ {
		for w := uint(1); w <= MaxWidth; w++ {
			for _, x := range edgeInt64(w) {
				check(x, s)
			}
		}
		for range 3000 {
			check(randInt64(rng), s)
		}
		// Values near ties: k*2^s + 2^(s-1) + {-1,0,1}.
		if s > 0 && s < 62 {
			for range 200 {
				k := randInt64(rng) >> s
				base := k<<s + 1<<(s-1)
				for d := int64(-1); d <= 1; d++ {
					check(base+d, s)
				}
			}
		}
	}
}

func TestShiftRightStochastic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	src, mirror := NewLFSR(0x1234), NewLFSR(0x1234)
	for range 20000 {
		x, s := randInt64(rng), rng.UintN(64)
		floor := x >> s
		rem := uint64(x) & (1<<s - 1)
		want := floor
		if mirror.Bits(s) < rem {
			want++
		}
		got := ShiftRight(x, s, Stochastic, src)
		require.Equal(t, want, got, "ShiftRight(%d, %d, Stochastic)", x, s)
		require.Equal(t, mirror.State(), src.State(), "LFSR steps consumed")
	}

	// Unbiased on average: 0.3 = 1229/4096 should round up about 30% of
	// the time (to within the LFSR's 1/65535 non-uniformity and noise).
	const n = 65535 // one full period: every non-zero 16-bit state once
	sum := int64(0)
	l := NewLFSR(1)
	for range n {
		sum += ShiftRight(1229, 12, Stochastic, l)
	}
	assert.InDelta(t, 1229.0/4096, float64(sum)/n, 1e-3)

	// Exact values never consume randomness differently or round.
	assert.Equal(t, int64(-3), ShiftRight(-3<<10, 10, Stochastic, NewLFSR(9)))
}

func TestShiftRightPanics(t *testing.T) {
	assert.Panics(t, func() { ShiftRight(1, 64, Truncate, nil) })
	assert.Panics(t, func() { ShiftRight(1, 3, Stochastic, nil) })
	assert.Panics(t, func() { ShiftRight(1, 3, Rounding(99), nil) })
	assert.NotPanics(t, func() { ShiftRight(1, 63, NearestEven, nil) })
}

func TestRoundingString(t *testing.T) {
	assert.Equal(t, "NearestEven", NearestEven.String())
	assert.Equal(t, "Stochastic", Stochastic.String())
	assert.Equal(t, "Rounding(7)", Rounding(7).String())
	assert.Equal(t, "Wrap", Wrap.String())
	assert.Equal(t, "Overflow(-1)", Overflow(-1).String())
}
