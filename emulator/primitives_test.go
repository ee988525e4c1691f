package emulator

import (
	"math/rand/v2"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/fixedpoint"
)

// The emulator inlines the spec's arithmetic primitives in forms tuned for
// speed; package fixedpoint states them plainly. They must agree everywhere.
func TestPrimitivesMatchFixedpoint(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for k := 0; k < 200000; k++ {
		x := int32(r.Int64N(1<<30) - 1<<29)
		if k%7 == 0 {
			x = []int32{0, -1, 1, -(1 << 29), 1<<29 - 1}[k%5]
		}
		m := uint16(r.IntN(4097))
		if got, want := decay(x, m), fixedpoint.Decay(int64(x), uint32(m)); int64(got) != want {
			t.Fatalf("decay(%d, %d) = %d, fixedpoint.Decay = %d", x, m, got, want)
		}
	}
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			if got, want := rmul(uint8(a), uint8(b)), fixedpoint.RoundProductU8(uint32(a), uint32(b)); uint32(got) != want {
				t.Fatalf("rmul(%d, %d) = %d, want %d", a, b, got, want)
			}
		}
	}
	l := fixedpoint.NewLFSR(0xACE1)
	s := uint16(0xACE1)
	for k := 0; k < 70000; k++ {
		s = core.LFSRNext(s)
		if w := l.Next(); s != w {
			t.Fatalf("LFSR step %d: core %#04x, fixedpoint %#04x", k, s, w)
		}
	}
}

// The trace decay of phase 1, run through a real step, against fixedpoint.
func TestTraceDecayMatchesFixedpoint(t *testing.T) {
	for k := uint8(0); k <= core.MaxTrShift; k++ {
		for tr := 0; tr < 256; tr++ {
			im := oneNeuron(core.NeuronParams{Thr: 32767, DV: 4096, DI: 4096, TrShift: k}, core.NeuronState{})
			im.Trace[0] = uint8(tr)
			c, err := New(im)
			if err != nil {
				t.Fatal(err)
			}
			c.Step()
			if got, want := uint32(c.Tr(0)), fixedpoint.TraceDecay(uint32(tr), uint(k)); got != want {
				t.Fatalf("tdecay(%d, %d) = %d, fixedpoint = %d", tr, k, got, want)
			}
		}
	}
}
