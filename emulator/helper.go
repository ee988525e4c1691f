package emulator

import (
	"runtime"
	"sync/atomic"
	"time"
)

// parallelMin is the padded neuron count from which phase 1 may be split
// across two goroutines. Below it the hand-off (waking a parked goroutine
// costs microseconds, and a vector kernel updates a neuron in well under a
// nanosecond) costs more than half the pass saves. Measured with
// BenchmarkParallelThreshold on the 2-core AVX-512 build machine: two
// goroutines first win at 32,768 neurons with the AVX-512 kernel.
const parallelMin = 32768

// chunkNeurons is the unit of work the two goroutines claim in turn. Work is
// claimed, not assigned: the stepping goroutine never waits for a helper that
// has not started, only for a chunk the helper is already running.
const chunkNeurons = 4096

// spinLoads bounds how long a goroutine polls before it parks: a few
// microseconds of atomic loads, no runtime.Gosched, so that a waiting
// goroutine neither burns a core another process needs nor yields its own.
const spinLoads = 1 << 12

// phase1Helper runs chunks of phase 1 on a second goroutine. It holds no
// reference to the Core, so a cleanup attached to the Core can stop it when
// the Core is collected.
type phase1Helper struct {
	nt         *neuronTable
	kernel     phase1Kernel
	vmin, vmax int32
	chunks     int64

	next     atomic.Int64 // next chunk to claim; >= chunks when none is left
	finished atomic.Int64 // chunks finished this step

	helperParked atomic.Bool
	helperWake   chan struct{}
	ownerParked  atomic.Bool
	ownerWake    chan struct{}
	stop         atomic.Bool
}

func newPhase1Helper(nt *neuronTable, k phase1Kernel, vmin, vmax int32) *phase1Helper {
	h := &phase1Helper{nt: nt, kernel: k, vmin: vmin, vmax: vmax,
		chunks:     int64((len(nt.v) + chunkNeurons - 1) / chunkNeurons),
		helperWake: make(chan struct{}, 1), ownerWake: make(chan struct{}, 1)}
	h.next.Store(h.chunks) // nothing to claim until the first run
	go h.loop()
	return h
}

// claim runs chunks until none is left to claim.
func (h *phase1Helper) claim() {
	np := int64(len(h.nt.v))
	for {
		k := h.next.Add(1) - 1
		if k >= h.chunks {
			return
		}
		lo := k * chunkNeurons
		h.kernel(h.nt, int(lo), int(min(lo+chunkNeurons, np)), h.vmin, h.vmax)
		if h.finished.Add(1) == h.chunks && h.ownerParked.Load() {
			signal(h.ownerWake)
		}
	}
}

// run is one phase 1 over the whole table, shared with the helper.
func (h *phase1Helper) run() {
	h.finished.Store(0)
	h.next.Store(0)
	if h.helperParked.Load() {
		signal(h.helperWake)
	}
	h.claim()
	for spins := 0; h.finished.Load() != h.chunks; spins++ {
		if spins < spinLoads {
			continue
		}
		h.ownerParked.Store(true)
		if h.finished.Load() != h.chunks {
			<-h.ownerWake
		}
		h.ownerParked.Store(false)
		spins = 0
	}
}

func (h *phase1Helper) loop() {
	for !h.stop.Load() {
		for spins := 0; h.next.Load() >= h.chunks; spins++ {
			if h.stop.Load() {
				return
			}
			if spins < spinLoads {
				continue
			}
			h.helperParked.Store(true)
			if h.next.Load() >= h.chunks && !h.stop.Load() {
				<-h.helperWake
			}
			h.helperParked.Store(false)
			spins = 0
		}
		h.claim()
	}
}

func (h *phase1Helper) close() {
	h.stop.Store(true)
	signal(h.helperWake)
}

// signal wakes the goroutine parked on ch, if any; a token left in the
// buffer only causes one spurious re-check.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// parallelChooser decides, step by step, whether phase 1 runs on two
// goroutines. It times whole steps in each mode and uses the faster one,
// probing the other for a few steps every probeEvery steps, so a competing
// load that makes the helper a cost (or later goes away) is followed.
type parallelChooser struct {
	always   bool // two goroutines on every step (benchmarks of the parallel mode)
	step     int
	parallel bool       // mode of the current step
	prev     bool       // mode of the previous step
	ewma     [2]float64 // ns per step, [serial, parallel]
	t0       time.Time
}

const (
	probeEvery = 512 // steps between probes of the mode not in use
	probeSteps = 16  // steps of each probe
)

// parallelNow picks the mode of the step about to run.
func (p *parallelChooser) parallelNow() bool {
	switch {
	case p.always:
		p.parallel = true
	case p.step < 2*probeSteps: // measure serial, then parallel
		p.parallel = p.step >= probeSteps
	default:
		best := p.ewma[1] < p.ewma[0]
		p.parallel = best != (p.step%probeEvery < probeSteps)
	}
	return p.parallel
}

func (p *parallelChooser) begin() { p.t0 = time.Now() }

// end records the step's duration; the first step after a switch is a
// warm-up (caches, a parked helper) and is not counted.
func (p *parallelChooser) end() {
	d := float64(time.Since(p.t0))
	m := 0
	if p.parallel {
		m = 1
	}
	if p.step > 0 && p.parallel == p.prev {
		if p.ewma[m] == 0 {
			p.ewma[m] = d
		} else {
			p.ewma[m] += (d - p.ewma[m]) / 8
		}
	}
	p.prev = p.parallel
	p.step++
}

// setupParallel (re)builds the helper and chooser after the mode changes.
func (c *Core) setupParallel() {
	if !c.parallel || len(c.nt.v) < parallelMin || runtime.GOMAXPROCS(0) < 2 {
		c.sched = nil
		return
	}
	if c.helper == nil {
		c.helper = newPhase1Helper(c.nt, c.kernel, c.vmin, c.vmax)
		runtime.AddCleanup(c, func(h *phase1Helper) { h.close() }, c.helper)
	}
	c.sched = &parallelChooser{always: c.alwaysParallel}
}
