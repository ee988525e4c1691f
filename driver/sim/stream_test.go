package sim_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/sim"
)

// runHeap runs steps steps of im on a fresh in-process board through
// RunStream and returns the heap in use when the sink gets step at and at
// XX
func runHeap(t *testing.T, im *core.Image, at, steps int, in []core.InputSpike) (h0, h1 uint64, spikes int) {
	t.Helper()
	b, err := sim.NewBoard(sim.Config{Profile: im.Profile, OutLogSteps: 1 << 16})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := openLink(t, b, sim.LinkConfig{}, nil)
	if err := c.Flash(im, nil); err != nil {
		t.Fatal(err)
	}
	next := 0
	res, err := c.RunStream(context.Background(), steps, in, func(s int, so driver.StepOutput) {
		if s != next {
			t.Errorf("sink got step %d, want %d", s, next)
		}
		next++
		spikes += len(so.Spikes)
		if s == at-1 || s == steps-1 {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			h0, h1 = h1, ms.HeapInuse
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if next != steps || res.Stopped || len(res.Steps) != 0 {
		t.Fatalf("sink got %d of %d steps (stopped %v, %d steps kept)", next, steps, res.Stopped, len(res.Steps))
	}
	return h0, h1, spikes
}

// TestRunStreamHeapFlat checks that a streamed board run's host heap does
// not grow with its length: from the middle of the run to its end, the
// heap may not grow by more than 1 MiB (Run, which keeps every step, holds
// about 120 bytes a step here: 24 MB more at 200,000 steps).
func TestRunStreamHeapFlat(t *testing.T) {
	im := randomImage(t, tiny(), 64, 6, 3)
	const long = 200_000 // half a second
	// a few input spikes every 100 steps keep the network spiking; the
	// input itself is the only thing that grows with the run (~16 B each)
	input := func(steps int) []core.InputSpike {
		var in []core.InputSpike
		for s := 0; s < steps; s += 100 {
			for k := range 4 {
				in = append(in, core.InputSpike{Step: uint32(s), Neuron: uint32((s/100*5 + k*16) % 64)})
			}
		}
		return in
	}
	h0, h1, n := runHeap(t, im, long/2, long, input(long))
	t.Logf("heap in use: %d B at step %d, %d B at step %d (%d spikes)", h0, long/2, h1, long, n)
	if n < long/2 {
		t.Fatalf("only %d spikes in %d steps: the test measures too little output", n, long)
	}
	if int64(h1)-int64(h0) > 1<<20 {
		t.Errorf("heap grows with the number of steps: %d B at step %d, %d B at step %d", h0, long/2, h1, long)
	}
}
