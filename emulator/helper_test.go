package emulator

import (
	"slices"
	"testing"
	"time"
)

// The chooser, fed step times in which one mode is the faster, must spend
// almost every step in that mode, whichever it is, and follow a change.
func TestParallelChooserFollowsTheFasterMode(t *testing.T) {
	for _, tc := range []struct {
		name               string
		serial, parallel   float64 // ns per step
		minParallel, maxPa float64 // fraction of parallel steps allowed
	}{
		{"parallel twice as fast", 100e3, 50e3, 0.95, 1},
		{"parallel slower (a loaded machine)", 100e3, 150e3, 0, 0.02},
		{"parallel stalls", 100e3, 4e6, 0, 0.01},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newParallelChooser(false)
			const steps = 20000
			par := 0
			for range steps {
				d := tc.serial
				if p.parallelNow() {
					d = tc.parallel
					par++
				}
				p.record(d)
			}
			f := float64(par) / steps
			if f < tc.minParallel || f > tc.maxPa {
				t.Fatalf("%.4f of the steps parallel, want %g..%g", f, tc.minParallel, tc.maxPa)
			}
		})
	}
	t.Run("load comes and goes", func(t *testing.T) {
		p := newParallelChooser(false)
		par := [2]int{}
		for step := range 40000 {
			loaded := step >= 10000 && step < 30000
			d := 100e3
			on := p.parallelNow()
			if on {
				d = 60e3
				if loaded {
					d = 300e3
				}
			}
			p.record(d)
			if on && step%10000 >= 5000 { // after a settling time in each phase
				par[b2i(loaded)]++
			}
		}
		if par[0] < 9000 || par[1] > 300 {
			t.Fatalf("parallel steps: %d of 10000 while idle, %d of 10000 while loaded", par[0], par[1])
		}
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Serial, forced two-goroutine and default runs of a network above
// parallelMin (with a last chunk shorter than the others) give identical
// spikes and state.
func TestParallelModesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 33,000-neuron network")
	}
	im := cubaImage(parallelMinScalar+232, 5)
	var spikes [3][]uint32
	var state [3]string
	for m, mode := range []string{"serial", "parallel", "default"} {
		c := newInMode(t, im, mode)
		for s := range 150 {
			if s%5 == 4 {
				time.Sleep(300 * time.Microsecond) // let the helper park, so waking is exercised
			}
			spikes[m] = append(spikes[m], c.Step().Spikes...)
		}
		if mode == "parallel" && c.helper == nil {
			t.Fatalf("%s: no helper started for %d neurons", mode, im.NumNeurons)
		}
		state[m] = fmtState(c)
	}
	if len(spikes[0]) == 0 {
		t.Fatal("no spikes: the comparison proves nothing")
	}
	for m := 1; m < 3; m++ {
		if !slices.Equal(spikes[0], spikes[m]) || state[0] != state[m] {
			t.Fatalf("mode %d differs from serial", m)
		}
	}
}

func fmtState(c *Core) string {
	var b []byte
	for _, s := range c.State() {
		b = append(b, byte(s.V), byte(s.V>>8), byte(s.V>>16), byte(s.I), byte(s.I>>8), byte(s.I>>16), s.Ref)
	}
	for _, a := range c.Acc() {
		b = append(b, byte(a), byte(a>>8), byte(a>>16))
	}
	return string(b)
}
