package fixedpoint

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQFormat(t *testing.T) {
	tests := []struct {
		s        string
		q        Q
		width    uint
		lsb      float64
		min, max float64
	}{
		{"Q7.10", Q{7, 10, true}, 17, 1.0 / 1024, -64, 64 - 1.0/1024},
		{"Q8.10", Q{8, 10, true}, 18, 1.0 / 1024, -128, 128 - 1.0/1024},
		{"Q1.15", Q{1, 15, true}, 16, 1.0 / 32768, -1, 1 - 1.0/32768},
		{"Q16.0", Q{16, 0, true}, 16, 1, -32768, 32767},
		{"UQ8.0", Q{8, 0, false}, 8, 1, 0, 255},
		{"UQ0.8", Q{0, 8, false}, 8, 1.0 / 256, 0, 255.0 / 256},
		{"Q3.4", Q{3, 4, true}, 7, 1.0 / 16, -4, 4 - 1.0/16},
		{"UQ62.0", Q{62, 0, false}, 62, 1, 0, 1<<62 - 1},
	}
	for _, tc := range tests {
		t.Run(tc.s, func(t *testing.T) {
			assert.Equal(t, tc.s, tc.q.String())
			got, err := ParseQ(tc.s)
			require.NoError(t, err)
			assert.Equal(t, tc.q, got)
			assert.Equal(t, tc.width, tc.q.Width())
			assert.Equal(t, tc.lsb, tc.q.LSB())
			assert.Equal(t, tc.min, tc.q.Min())
			assert.Equal(t, tc.max, tc.q.Max())
		})
	}
}

func TestParseQErrors(t *testing.T) {
	for _, s := range []string{"", "Q", "Q7", "Q7.", "Q.10", "q7.10", "UQ", "U7.1", "Q-1.3", "Q+1.3",
		"Q0.8", "Q0.0", "UQ0.0", "Q40.30", "UQ63.0", "Q7.10x", " Q7.10", "Q7.1_0", "Q300.1", "UUQ1.1"} {
		_, err := ParseQ(s)
		if assert.Error(t, err, "ParseQ(%q)", s) {
			assert.Contains(t, err.Error(), "fixedpoint: ")
		}
	}
}

func TestQInvalidPanics(t *testing.T) {
	for _, q := range []Q{{0, 8, true}, {0, 0, false}, {63, 0, false}, {math.MaxUint, 2, true}} {
		assert.Error(t, q.Validate(), "%v", q)
		assert.Panics(t, func() { q.Width() }, "%v", q)
		assert.Panics(t, func() { q.Max() }, "%v", q)
		assert.Panics(t, func() { q.Min() }, "%v", q)
		assert.Panics(t, func() { _, _ = q.FromFloat(0, Truncate, Saturate) }, "%v", q)
	}
}

func TestFromFloatNotFinite(t *testing.T) {
	q := Q{7, 10, true}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		_, err := q.FromFloat(x, NearestEven, Saturate)
		assert.ErrorIs(t, err, ErrNotFinite, "%v", x)
		_, err = q.FromFloatStochastic(x, Saturate, NewLFSR(1))
		assert.ErrorIs(t, err, ErrNotFinite, "%v", x)
	}
}

func TestFromFloatOverflow(t *testing.T) {
	q := Q{3, 4, true} // raw -64..63, value -4..3.9375
	tests := []struct {
		x       float64
		ovf     Overflow
		raw     int64
		sat     bool
		wantErr bool
	}{
		{3.9375, Fail, 63, false, false},
		{-4, Fail, -64, false, false},
		{3.97, Fail, 0, false, true}, // rounds to 64
		{4, Saturate, 63, true, false},
		{-4.1, Saturate, -64, true, false},
		{1e300, Saturate, 63, true, false},
		{-1e300, Saturate, -64, true, false},
		{4, Wrap, -64, false, false},
		{5.5, Wrap, -40, false, false}, // 88 - 128
		{-4.0625, Wrap, 63, false, false},
		{1e300, Fail, 0, false, true},
	}
	for _, tc := range tests {
		c, err := q.FromFloat(tc.x, NearestEven, tc.ovf)
		if tc.wantErr {
			assert.ErrorIs(t, err, ErrOverflow, "%v %v", tc.x, tc.ovf)
			continue
		}
		require.NoError(t, err, "%v %v", tc.x, tc.ovf)
		assert.Equal(t, tc.raw, c.Raw, "%v %v", tc.x, tc.ovf)
		assert.Equal(t, tc.sat, c.Saturated, "%v %v", tc.x, tc.ovf)
		assert.Equal(t, q.Float(c.Raw), c.Value)
		assert.Equal(t, math.Abs(c.Value-tc.x), c.AbsErr)
	}
}

func TestFromFloatRoundTripQ3_4(t *testing.T) {
	for _, q := range []Q{{3, 4, true}, {3, 4, false}} {
		for raw := q.MinRaw(); raw <= q.MaxRaw(); raw++ {
			x := q.Float(raw)
			for _, r := range allModes {
				for _, ovf := range []Overflow{Saturate, Wrap, Fail} {
					c, err := q.FromFloat(x, r, ovf)
					require.NoError(t, err)
					require.Equal(t, raw, c.Raw, "%v raw %d %v", q, raw, r)
					require.Equal(t, x, c.Value)
					require.Zero(t, c.AbsErr)
					require.Zero(t, c.RelErr)
					require.False(t, c.Saturated)
				}
			}
			c, err := q.FromFloatStochastic(x, Fail, NewLFSR(uint16(raw)))
			require.NoError(t, err)
			require.Equal(t, raw, c.Raw, "stochastic, exact input")
		}
	}
}

func TestFromFloatRelErr(t *testing.T) {
	q := Q{8, 10, true}
	for _, x := range []float64{0.001, -0.001, 0.1, 1.0 / 3, -2.71828, 100.123, -127.9} {
		for _, r := range []Rounding{NearestHalfUp, NearestEven} {
			c, err := q.FromFloat(x, r, Fail)
			require.NoError(t, err)
			assert.LessOrEqual(t, c.RelErr, q.LSB()/2/math.Abs(x), "%v %v", x, r)
			assert.True(t, WithinLSB(c.Value, x, q.LSB(), 0.5), "%v %v", x, r)
		}
		for _, r := range []Rounding{Truncate, TowardZero} {
			c, err := q.FromFloat(x, r, Fail)
			require.NoError(t, err)
			assert.Less(t, c.RelErr, q.LSB()/math.Abs(x), "%v %v", x, r)
		}
	}
	c, err := q.FromFloat(0, NearestEven, Fail)
	require.NoError(t, err)
	assert.Zero(t, c.RelErr)
	assert.Zero(t, c.Value)
}

func TestWithinLSB(t *testing.T) {
	assert.True(t, WithinLSB(1.0, 1.0+1.0/1024, 1.0/1024, 1))
	assert.False(t, WithinLSB(1.0, 1.0+1.0/512, 1.0/1024, 1))
	assert.True(t, WithinLSB(-2, -2.5, 1, 0.5))
	assert.False(t, WithinLSB(math.NaN(), 0, 1, 100))
}

func TestQuantizeErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   func() error
	}{
		{"lsb 0", func() error { _, err := Quantize(1, 0, 8, true, Truncate, Saturate); return err }},
		{"lsb < 0", func() error { _, err := Quantize(1, -1, 8, true, Truncate, Saturate); return err }},
		{"lsb NaN", func() error { _, err := Quantize(1, math.NaN(), 8, true, Truncate, Saturate); return err }},
		{"lsb Inf", func() error { _, err := Quantize(1, math.Inf(1), 8, true, Truncate, Saturate); return err }},
		{"stochastic w/o source", func() error { _, err := Quantize(1, 1, 8, true, Stochastic, Saturate); return err }},
		{"nil source", func() error { _, err := QuantizeStochastic(1, 1, 8, true, Saturate, nil); return err }},
		{"bad rounding", func() error { _, err := Quantize(1, 1, 8, true, Rounding(9), Saturate); return err }},
		{"bad overflow", func() error { _, err := Quantize(1, 1, 8, true, Truncate, Overflow(9)); return err }},
	}
	for _, tc := range tests {
		err := tc.fn()
		if assert.Error(t, err, tc.name) {
			assert.Contains(t, err.Error(), "fixedpoint: ", tc.name)
			assert.False(t, errors.Is(err, ErrOverflow), tc.name)
		}
	}
	assert.Panics(t, func() { _, _ = Quantize(1, 1, 0, true, Truncate, Saturate) })
	assert.Panics(t, func() { _, _ = Quantize(1, 1, 63, true, Truncate, Saturate) })
}
