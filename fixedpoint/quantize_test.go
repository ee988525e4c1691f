package fixedpoint

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuantizeExactQuotient(t *testing.T) {
	// x, lsb, then raw for Truncate, TowardZero, NearestHalfUp, NearestEven.
	tests := []struct {
		x, lsb float64
		want   [4]int64
	}{
		{7.5, 3, [4]int64{2, 2, 3, 2}},         // exact tie 2.5
		{-7.5, 3, [4]int64{-3, -2, -2, -2}},    // exact tie -2.5
		{4.5, 3, [4]int64{1, 1, 2, 2}},         // exact tie 1.5
		{1.875, 0.75, [4]int64{2, 2, 3, 2}},    // exact tie 2.5
		{0.25, 0.1, [4]int64{2, 2, 2, 2}},      // float64 0.25/0.1 == 2.5, but the exact quotient is below 2.5
		{-0.25, 0.1, [4]int64{-3, -2, -2, -2}}, // exact quotient above -2.5
		{0.3, 0.1, [4]int64{2, 2, 3, 3}},       // exact 2.99999999999999972...
		{1e-320, 1e308, [4]int64{0, 0, 0, 0}},  // quotient underflows to 0 in float64
		{-1e-320, 1e308, [4]int64{-1, 0, 0, 0}},
	}
	for _, tc := range tests {
		for i, r := range allModes {
			c, err := Quantize(tc.x, tc.lsb, 20, true, r, Fail)
			require.NoError(t, err)
			assert.Equal(t, tc.want[i], c.Raw, "Quantize(%v, %v, %v)", tc.x, tc.lsb, r)
			want, _, _ := refQuantize(tc.x, tc.lsb, 20, true, r, Fail)
			assert.Equal(t, want, c.Raw, "reference agrees")
		}
	}
}

// randQuantizeInput returns x and lsb that often sit on or next to ties,
// with magnitudes spanning the fast and the big.Rat paths.
func randQuantizeInput(rng *rand.Rand) (x, lsb float64) {
	lsbs := []float64{1, 0.5, 1.0 / 1024, 0.1, 0.3, 3, 1e-3, 7e-5, 1.0 / 3, 1e10}
	lsb = lsbs[rng.IntN(len(lsbs))]
	if rng.IntN(4) == 0 {
		lsb = math.Ldexp(rng.Float64()+0.5, rng.IntN(80)-60)
	}
	k := float64(randInt64(rng) >> rng.UintN(20))
	switch rng.IntN(4) {
	case 0:
		x = k * lsb
	case 1:
		x = (k + 0.5) * lsb
	case 2:
		x = math.Nextafter((k+0.5)*lsb, math.Inf(int(rng.IntN(2))*2-1))
	default:
		x = (rng.Float64()*2 - 1) * math.Ldexp(1, rng.IntN(140)-70)
	}
	return x, lsb
}

func TestQuantizeAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 200000 {
		x, lsb := randQuantizeInput(rng)
		w := 1 + rng.UintN(MaxWidth)
		signed := rng.IntN(2) == 0
		r := allModes[rng.IntN(len(allModes))]
		ovf := Overflow(rng.IntN(3))
		c, err := Quantize(x, lsb, w, signed, r, ovf)
		raw, sat, out := refQuantize(x, lsb, w, signed, r, ovf)
		if ovf == Fail && out {
			require.ErrorIs(t, err, ErrOverflow, "Quantize(%v, %v, %d, %v, %v, Fail)", x, lsb, w, signed, r)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, raw, c.Raw, "Quantize(%v, %v, %d, %v, %v, %v)", x, lsb, w, signed, r, ovf)
		require.Equal(t, sat, c.Saturated)
		require.Equal(t, float64(raw)*lsb, c.Value)
	}
}

func TestQuantizeStochastic(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	src := NewLFSR(42)
	for range 50000 {
		x, lsb := randQuantizeInput(rng)
		before := src.State()
		c, err := QuantizeStochastic(x, lsb, MaxWidth, true, Wrap, src)
		require.NoError(t, err)
		floor, _, _ := refQuantize(x, lsb, MaxWidth, true, Truncate, Wrap)
		num, den := ratio(x, lsb)
		exact := new(big.Int).Rem(num, den).Sign() == 0
		if exact {
			require.Equal(t, floor, c.Raw, "exact input %v / %v", x, lsb)
		} else {
			require.Contains(t, []int64{floor, WrapSigned(floor+1, MaxWidth)}, c.Raw, "%v / %v", x, lsb)
		}
		l := NewLFSR(before)
		l.Next()
		l.Next()
		require.Equal(t, l.State(), src.State(), "two steps per call")
	}

	// Mean over many draws approaches the real value.
	const n = 20000
	for _, x := range []float64{0.3, -0.3, 2.71828, -1.0 / 3} {
		sum := 0.0
		for range n {
			c, err := QuantizeStochastic(x, 0.25, 16, true, Fail, src)
			require.NoError(t, err)
			sum += c.Value
		}
		assert.InDelta(t, x, sum/n, 0.01, "mean of stochastic rounding of %v", x)
	}
}

func BenchmarkQuantize(b *testing.B) {
	q := Q{8, 10, true}
	sum := int64(0)
	for i := 0; b.Loop(); i++ {
		c, _ := q.FromFloat(float64(i%1000)*0.0123-5, NearestEven, Saturate)
		sum += c.Raw
	}
	sinkInt64 = sum
}
