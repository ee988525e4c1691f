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

// coverage counts what the random networks exercised.
type coverage struct {
	networks, burstNets         int
	spikes, bursts, bdspUpdates int
	steps, burstWords           int
	rsubNets, rsubSpikes        int // networks with a subtracting neuron, spikes of such neurons
	fracNets, fracUpdates       int // networks using fraction bits (spec 8.4), BDSP updates with them
}

func (c *coverage) add(o coverage) {
	c.networks += o.networks
	c.burstNets += o.burstNets
	c.spikes += o.spikes
	c.bursts += o.bursts
	c.bdspUpdates += o.bdspUpdates
	c.steps += o.steps
	c.burstWords += o.burstWords
	c.rsubNets += o.rsubNets
	c.rsubSpikes += o.rsubSpikes
	c.fracNets += o.fracNets
	c.fracUpdates += o.fracUpdates
}

// measure counts the spikes, bursts and BDSP updates of an emulator run.
func measure(c *gen.Case, out []rtl.StepOut) coverage {
	cv := coverage{networks: 1, steps: len(out)}
	im := c.Image
	if im.Burst != nil {
		cv.burstNets = 1
	}
	if im.Burst.UsesFrac() {
		cv.fracNets = 1
	}
	for _, q := range im.Params {
		if q.RSub {
			cv.rsubNets = 1
		}
	}
	for _, s := range out {
		cv.spikes += len(s.Spikes)
		cv.bursts += len(s.Bursts)
		for _, id := range s.Bursts {
			cv.burstWords += int(im.Burst.BFanout[id].BoCnt)
		}
		for _, id := range s.Spikes {
			if im.Params[id].RSub {
				cv.rsubSpikes++
			}
			f := im.Fanout[id]
			for _, e := range im.Rev[f.FiBase : f.FiBase+f.FiCnt] {
				if im.Burst.IsBDSP(im.Syn[e.SAddr].Rule) {
					cv.bdspUpdates++
				}
				if im.Burst.HasFrac(im.Syn[e.SAddr].Rule) {
					cv.fracUpdates++
				}
			}
		}
	}
	return cv
}

// diffOne runs one random network on the RTL and the emulator.
func diffOne(t testing.TB, bins map[string]string, seed uint64, dir string, extra ...string) (cycles uint64, secs float64, cv coverage, err error) {
	c, err := gen.New(seed, profile(t, "tiny"), profile(t, "up5k"), 10)
	if err != nil {
		return 0, 0, cv, err
	}
	want, err := RunEmulator(c.Image, c.Stim, c.Steps)
	if err != nil {
		return 0, 0, cv, fmt.Errorf("seed %d: emulator: %v", seed, err)
	}
	cv = measure(c, want)
	got, err := rtl.Run(bins[c.Image.Profile.Name], c.Image, c.Stim, c.Steps, dir, extra...)
	if err != nil {
		return 0, 0, cv, fmt.Errorf("seed %d: %v", seed, err)
	}
	return got.TotalCycles, got.Seconds, cv, Compare(fmt.Sprintf("seed %d", seed), got.Steps, want)
}

// TestRTLMatchesEmulator runs -count random networks from -seed on the
// Verilated core and on the emulator and compares, after every step, the
// cycle count, every spike and its cycle, every state field, trace, acc and
// synapse word, and for networks with burst units their burst state, acca,
// lfsr and (when they use fraction bits) every wfrac word.
func TestRTLMatchesEmulator(t *testing.T) {
	bins := harnesses(t, rtl.Variant{})
	var (
		next    atomic.Uint64
		mu      sync.Mutex
		fails   int
		cycles  uint64
		simSecs float64
		cov     coverage
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
				c, s, cv, err := diffOne(t, bins, *flagSeed+k, dir)
				mu.Lock()
				cycles += c
				simSecs += s
				cov.add(cv)
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
	t.Logf("coverage: %d steps, %d spikes; %d networks with burst units: %d bursts, %d burst-row words, %d BDSP updates",
		cov.steps, cov.spikes, cov.burstNets, cov.bursts, cov.burstWords, cov.bdspUpdates)
	t.Logf("coverage: %d networks with neurons that reset by subtraction, %d of their spikes", cov.rsubNets, cov.rsubSpikes)
	t.Logf("coverage: %d networks with fraction bits, %d BDSP updates with them", cov.fracNets, cov.fracUpdates)
	if 3*cov.burstNets < cov.networks {
		t.Errorf("only %d of %d networks have burst units, want at least a third", cov.burstNets, cov.networks)
	}
	if 3*cov.rsubNets < cov.networks || (cov.networks >= 20 && cov.rsubSpikes == 0) {
		t.Errorf("%d of %d networks reset by subtraction (%d spikes), want at least a third and some spikes", cov.rsubNets, cov.networks, cov.rsubSpikes)
	}
	if cov.networks >= 20 && (6*cov.fracNets < cov.networks || cov.fracUpdates == 0) {
		t.Errorf("%d of %d networks use fraction bits (%d updates with them), want at least a sixth and some updates", cov.fracNets, cov.networks, cov.fracUpdates)
	}
}
