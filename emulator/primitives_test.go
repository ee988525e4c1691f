package emulator

import (
	"math/rand/v2"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/fixedpoint"
)

// The emulator's decay is a branch-free form tuned for the neuron loop;
// package fixedpoint states it plainly. They must agree everywhere. (rmul,
// the trace-decay table and the LFSR call fixedpoint directly.)
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
}

// The trace decay of phase 1 goes through a table indexed by the masked
// shift: run it through a real step for every shift and trace value.
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
