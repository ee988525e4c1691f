package testbench

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncx-project/ncx/testbench/gen"
	"github.com/ncx-project/ncx/testbench/rtl"
)

// diffOne runs one random network on the RTL and the emulator.
func diffOne(t testing.TB, bins map[string]string, seed uint64, dir string, extra ...string) (cycles uint64, secs float64, err error) {
	c, err := gen.New(seed, profile(t, "tiny"), profile(t, "up5k"), 10)
	if err != nil {
		return 0, 0, err
	}
	want, err := RunEmulator(c.Image, c.Stim, c.Steps)
	if err != nil {
		return 0, 0, fmt.Errorf("seed %d: emulator: %v", seed, err)
	}
	got, err := rtl.Run(bins[c.Image.Profile.Name], c.Image, c.Stim, c.Steps, dir, extra...)
	if err != nil {
		return 0, 0, fmt.Errorf("seed %d: %v", seed, err)
	}
	return got.TotalCycles, got.Seconds, Compare(fmt.Sprintf("seed %d", seed), got.Steps, want)
}

// TestRTLMatchesEmulator runs -count random networks from -seed on the
// Verilated core and on the emulator and compares, after every step, the
// cycle count, every spike and its cycle, every state field, trace, acc and
// synapse word.
func TestRTLMatchesEmulator(t *testing.T) {
	bins := map[string]string{
		"tiny": harness(t, rtl.Variant{Profile: profile(t, "tiny")}),
		"up5k": harness(t, rtl.Variant{Profile: profile(t, "up5k")}),
	}
	var (
		next    atomic.Uint64
		mu      sync.Mutex
		fails   int
		cycles  uint64
		simSecs float64
		wg      sync.WaitGroup
	)
	start := time.Now()
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir := t.TempDir()
			for {
				k := next.Add(1) - 1
				if k >= uint64(*flagCount) {
					return
				}
				c, s, err := diffOne(t, bins, *flagSeed+k, dir)
				mu.Lock()
				cycles += c
				simSecs += s
				if err != nil {
					fails++
					if fails <= 10 {
						t.Error(err)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if fails > 0 {
		t.Errorf("%d of %d networks differ (seeds %d..%d)", fails, *flagCount, *flagSeed, *flagSeed+uint64(*flagCount)-1)
	}
	t.Logf("%d networks in %v; Verilator simulated %d cycles at %.2f Mcycles/s", *flagCount, time.Since(start).Round(time.Millisecond), cycles, float64(cycles)/simSecs/1e6)
}
