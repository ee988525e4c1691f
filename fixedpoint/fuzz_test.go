package fixedpoint

import (
	"math"
	"testing"
)

func FuzzShiftRight(f *testing.F) {
	f.Add(int64(5), uint8(1), uint8(3), uint16(1))
	f.Add(int64(math.MinInt64), uint8(63), uint8(2), uint16(0))
	f.Add(int64(math.MaxInt64), uint8(1), uint8(4), uint16(0xACE1))
	f.Add(int64(-9), uint8(4), uint8(0), uint16(7))
	f.Fuzz(func(t *testing.T, x int64, s, mode uint8, seed uint16) {
		sh := uint(s % 64)
		r := Rounding(mode % 5)
		got := ShiftRight(x, sh, r, NewLFSR(seed))
		floor := refShift(x, sh, Truncate)
		if r == Stochastic {
			if !floorOrNext(got, floor) {
				t.Fatalf("ShiftRight(%d, %d, Stochastic) = %d, floor %d", x, sh, got, floor)
			}
			if uint64(x)&(1<<sh-1) == 0 && got != floor {
				t.Fatalf("ShiftRight(%d, %d, Stochastic) = %d on exact input", x, sh, got)
			}
			return
		}
		if want := refShift(x, sh, r); got != want {
			t.Fatalf("ShiftRight(%d, %d, %v) = %d, want %d", x, sh, r, got, want)
		}
		if !floorOrNext(got, floor) {
			t.Fatalf("ShiftRight(%d, %d, %v) = %d not floor or floor+1 (%d)", x, sh, r, got, floor)
		}
	})
}

// floorOrNext reports whether got is floor or floor+1 (without overflow).
func floorOrNext(got, floor int64) bool {
	return got == floor || (floor < math.MaxInt64 && got == floor+1)
}

func FuzzQuantize(f *testing.F) {
	f.Add(0.25, 0.1, uint8(20), true, uint8(2), uint8(2), uint16(1))
	f.Add(-7.5, 3.0, uint8(8), false, uint8(3), uint8(1), uint16(2))
	f.Add(1e300, 1e-300, uint8(61), true, uint8(4), uint8(0), uint16(3))
	f.Add(math.Inf(1), 1.0, uint8(8), true, uint8(0), uint8(0), uint16(0))
	f.Fuzz(func(t *testing.T, x, lsb float64, width uint8, signed bool, mode, ovfb uint8, seed uint16) {
		w := 1 + uint(width)%MaxWidth
		r := Rounding(mode % 5)
		ovf := Overflow(ovfb % 3)
		var c Conversion
		var err error
		if r == Stochastic {
			c, err = QuantizeStochastic(x, lsb, w, signed, ovf, NewLFSR(seed))
		} else {
			c, err = Quantize(x, lsb, w, signed, r, ovf)
		}
		validIn := !math.IsNaN(x) && !math.IsInf(x, 0) && lsb > 0 && !math.IsInf(lsb, 0)
		if !validIn {
			if err == nil {
				t.Fatalf("Quantize(%v, %v) accepted invalid input", x, lsb)
			}
			return
		}
		refR := r
		if r == Stochastic {
			refR = Truncate
		}
		raw, sat, out := refQuantize(x, lsb, w, signed, refR, ovf)
		if ovf == Fail && out {
			if err == nil && r != Stochastic {
				t.Fatalf("Quantize(%v, %v, %d, %v, %v, Fail) = %d, want overflow error", x, lsb, w, signed, r, c.Raw)
			}
			return
		}
		if err != nil {
			if r == Stochastic && ovf == Fail {
				return // floor was in range but rounding up left it
			}
			t.Fatalf("Quantize(%v, %v, %d, %v, %v, %v): %v", x, lsb, w, signed, r, ovf, err)
		}
		lo, hi := int64(0), MaxUnsigned(w)
		if signed {
			lo, hi = MinSigned(w), MaxSigned(w)
		}
		if c.Raw < lo || c.Raw > hi {
			t.Fatalf("raw %d outside [%d, %d]", c.Raw, lo, hi)
		}
		if c.Saturated && ovf != Saturate {
			t.Fatalf("Saturated set under %v", ovf)
		}
		if r != Stochastic {
			if c.Raw != raw || c.Saturated != sat {
				t.Fatalf("Quantize(%v, %v, %d, %v, %v, %v) = %d sat %v, want %d sat %v",
					x, lsb, w, signed, r, ovf, c.Raw, c.Saturated, raw, sat)
			}
		}
		if c.Requested != x || c.Value != float64(c.Raw)*lsb || c.AbsErr != math.Abs(c.Value-x) {
			t.Fatalf("inconsistent conversion %+v", c)
		}
		if x == 0 && (c.Value != 0 || c.RelErr != 0) {
			t.Fatalf("zero input gave %+v", c)
		}
		// Stochastic results were checked against the floor only: rounding
		// up may leave the range and saturate or wrap.
		unwrapped := r != Stochastic || c.Raw == raw || c.Raw == raw+1
		if !out && unwrapped && !math.IsInf(c.Value, 0) && c.AbsErr > 1.0000001*lsb {
			t.Fatalf("in-range error %v exceeds one lsb %v", c.AbsErr, lsb)
		}
	})
}

func FuzzParseQ(f *testing.F) {
	for _, s := range []string{"Q7.10", "UQ8.0", "Q0.1", "UQ0.62", "Q62.0", "Q1.", "UQ", "Q007.10", "Q255.255"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQ(s)
		if err != nil {
			if q != (Q{}) {
				t.Fatalf("ParseQ(%q) returned %v with error", s, q)
			}
			return
		}
		if q.Validate() != nil {
			t.Fatalf("ParseQ(%q) returned invalid %v", s, q)
		}
		if w := q.Width(); w < 1 || w > MaxWidth {
			t.Fatalf("ParseQ(%q) width %d", s, w)
		}
		back, err := ParseQ(q.String())
		if err != nil || back != q {
			t.Fatalf("round trip %q -> %v -> %v, %v", s, q, back, err)
		}
		if q.Min() > 0 || q.Max() <= q.Min() {
			t.Fatalf("%v range [%v, %v]", q, q.Min(), q.Max())
		}
	})
}
