package fixedpoint

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refDecay is sign(x) * floor(|x|*m / 4096) on big.Int.
func refDecay(x int64, m uint32) int64 {
	p := new(big.Int).Abs(big.NewInt(x))
	p.Mul(p, big.NewInt(int64(m)))
	p.Rsh(p, 12)
	if x < 0 {
		p.Neg(p)
	}
	return p.Int64()
}

func TestDecayExamples(t *testing.T) {
	tests := []struct {
		x    int64
		m    uint32
		want int64
	}{
		{1000, 2048, 500},
		{-1000, 2048, -500},
		{1, 4095, 0},   // 0.999... rounds toward zero
		{-1, 4095, 0},  // from either side
		{3, 2048, 1},   // 1.5 -> 1
		{-3, 2048, -1}, // -1.5 -> -1
		{4096, 1, 1},
		{MinSigned(24), 4096, MinSigned(24)},
		{MinSigned(24), 4095, -8386560}, // -2^23 + 2^11
		{MaxSigned(24), 4095, 8386559},  // floor((2^23-1)*4095/4096)
		{math.MinInt64, 2048, math.MinInt64 / 2},
		{math.MaxInt64, 4096, math.MaxInt64},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Decay(tc.x, tc.m), "Decay(%d, %d)", tc.x, tc.m)
	}
}

func TestDecayProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	ms := []uint32{0, 1, 2, 2047, 2048, 2049, 4000, 4095, 4096}
	xs := []int64{0, 1, -1, MinSigned(24), MaxSigned(24), MinSigned(16), MaxSigned(16), math.MinInt64, math.MaxInt64}
	for range 5000 {
		xs = append(xs, int64(rng.Uint64())>>rng.UintN(64)) // magnitudes of every size
	}
	for range 2000 {
		ms = append(ms, uint32(rng.UintN(4097)))
	}
	for _, x := range xs {
		require.Equal(t, x, Decay(x, 4096), "Decay(%d, 4096)", x)
		require.Zero(t, Decay(x, 0), "Decay(%d, 0)", x)
		for _, m := range ms[:50] {
			d := Decay(x, m)
			require.Equal(t, refDecay(x, m), d, "Decay(%d, %d)", x, m)
			// |d| <= |x| (compared as uint64 to cover MinInt64)
			absD, absX := uint64(d), uint64(x)
			if d < 0 {
				absD = -absD
			}
			if x < 0 {
				absX = -absX
			}
			require.LessOrEqual(t, absD, absX, "|Decay(%d, %d)|", x, m)
			require.True(t, d == 0 || (d < 0) == (x < 0), "sign of Decay(%d, %d) = %d", x, m, d)
		}
	}
	// Every multiplier on 24-bit values (the sim profile's VW).
	for m := uint32(0); m <= 4096; m++ {
		for _, x := range []int64{MinSigned(24), MaxSigned(24), -12345, 12345} {
			require.Equal(t, refDecay(x, m), Decay(x, m), "Decay(%d, %d)", x, m)
		}
	}
	assert.Panics(t, func() { Decay(1, 4097) })
}

func TestTraceDecay(t *testing.T) {
	for tr := uint32(0); tr <= 255; tr++ {
		assert.Zero(t, TraceDecay(tr, 0), "k=0 clears %d", tr)
	}
	for k := uint(1); k <= 7; k++ {
		for start := uint32(0); start <= 255; start++ {
			tr, steps := start, 0
			for tr > 0 {
				next := TraceDecay(tr, k)
				require.Less(t, next, tr, "TraceDecay(%d, %d) must decrease", tr, k)
				require.Equal(t, tr-(tr+(1<<k)-1)/(1<<k), next, "TraceDecay(%d, %d)", tr, k)
				tr = next
				steps++
				require.LessOrEqual(t, steps, 255, "start %d, k %d", start, k)
			}
		}
	}
	// Known values: 255 with k=1 loses ceil(255/2) = 128; 1 always drops to 0.
	assert.Equal(t, uint32(127), TraceDecay(255, 1))
	assert.Equal(t, uint32(223), TraceDecay(255, 3)) // 255 - 32
	assert.Equal(t, uint32(0), TraceDecay(1, 7))
	assert.Equal(t, uint32(math.MaxUint32-(1<<25)), TraceDecay(math.MaxUint32, 7), "no overflow")
	assert.Panics(t, func() { TraceDecay(1, 8) })
}

func TestRoundProductU8(t *testing.T) {
	for a := uint32(0); a <= 255; a++ {
		for b := uint32(0); b <= 255; b++ {
			got := RoundProductU8(a, b)
			// round half up of a*b/256
			want := uint32(math.Floor(float64(a*b)/256 + 0.5))
			require.Equal(t, want, got, "RoundProductU8(%d, %d)", a, b)
		}
	}
	assert.Equal(t, uint32(254), RoundProductU8(255, 255))
	assert.Equal(t, uint32(1), RoundProductU8(128, 1)) // 0.5 rounds up
	assert.Equal(t, uint32(0), RoundProductU8(127, 1))
	assert.Panics(t, func() { RoundProductU8(256, 1) })
	assert.Panics(t, func() { RoundProductU8(1, 1<<31) })
}

func BenchmarkDecay(b *testing.B) {
	x, acc := int64(-1234567), int64(0)
	for i := 0; b.Loop(); i++ {
		acc += Decay(x+int64(i), 3900)
	}
	sinkInt64 = acc
}

// TestDecayQ12MatchesDecay checks the emulator's branchless decay against
// Decay for every multiplier and int32 values across the range.
func TestDecayQ12MatchesDecay(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	xs := []int32{0, 1, -1, 4095, -4095, 4096, -4096, math.MaxInt32, math.MinInt32}
	for range 2000 {
		xs = append(xs, int32(rng.Uint32()))
	}
	for m := uint16(0); m <= DecayOne; m++ {
		for _, x := range xs {
			if got, want := DecayQ12(x, m), Decay(int64(x), uint32(m)); int64(got) != want {
				t.Fatalf("DecayQ12(%d, %d) = %d, Decay = %d", x, m, got, want)
			}
		}
	}
}

var sinkInt64 int64
