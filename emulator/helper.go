package emulator

import (
	"runtime"
	"slices"
	"sync/atomic"
	"time"
)

// parallelMin and parallelMinScalar are the padded neuron counts from which
// phase 1 may be split across two goroutines, with a vector kernel and with
// the scalar one; above them the per-step chooser still decides. Measured
// with BenchmarkParallelThreshold (forced two-goroutine phase 1 against
// serial, 7 interleaved rounds, quiet 2-core AVX-512 VM, 2026-11-29): with
// the AVX-512 kernel two goroutines never won (median 1.01x at 4,096
// neurons, 1.09x at 16,384, 0.45x at 32,768, 0.57x at 65,536: a pass of
// 65,536 neurons takes ~18 us, and the hand-off plus chunks changing cores
// from step to step cost more), so vector kernels stay serial on every
// profile; with the scalar kernel (-tags purego) the first size above 1x
// is 32,768 (1.04x).
const (
	parallelMin       = 1 << 17 // above every profile's neuron count
	parallelMinScalar = 32768
)

// chunkNeurons is the unit of work the two goroutines claim in turn. Work is
// claimed, not assigned: the stepping goroutine never waits for a helper that
// has not started, only for a chunk the helper is already running.
const chunkNeurons = 1024

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
// goroutines. It times whole steps and keeps the median of the last few in
// each mode; it runs the faster mode and now and then probes the other for a
// few steps. A probe of the parallel mode ends at once if a step takes twice
// the serial median (under a competing load a helper that is descheduled
// mid-chunk stalls the step), and each lost probe doubles the wait before the
// next, so a loaded machine pays for very few parallel steps.
type parallelChooser struct {
	always   bool // two goroutines on every step (benchmarks of the parallel mode)
	parallel bool // mode of the current step
	inUse    bool // the mode chosen, outside probes
	probing  int  // steps left in the current probe
	wait     int  // steps until the next probe
	interval int  // current gap between probes
	warm     bool // this step follows a switch: not counted
	samples  [2]stepSamples
	t0       time.Time
}

// stepSamples is a small ring of step durations in ns.
type stepSamples struct {
	ns [8]float64
	n  int
}

func (s *stepSamples) add(d float64) { s.ns[s.n%len(s.ns)] = d; s.n++ }

// median of the samples held; 0 when there are none.
func (s *stepSamples) median() float64 {
	k := min(s.n, len(s.ns))
	if k == 0 {
		return 0
	}
	x := s.ns
	y := x[:k]
	slices.Sort(y)
	return y[k/2]
}

const (
	probeSteps    = 8    // steps of a probe, the first a warm-up
	probeFirst    = 16   // serial steps before the first probe
	probeInterval = 256  // steps between probes after a probe is won
	probeMaxGap   = 8192 // longest gap after repeated losses
)

func newParallelChooser(always bool) *parallelChooser {
	return &parallelChooser{always: always, wait: probeFirst, interval: probeInterval}
}

// parallelNow picks the mode of the step about to run.
func (p *parallelChooser) parallelNow() bool {
	prev := p.parallel
	switch {
	case p.always:
		p.parallel = true
	case p.probing > 0:
		p.parallel = !p.inUse
	case p.wait > 0:
		p.wait--
		p.parallel = p.inUse
	default:
		p.probing = probeSteps
		p.parallel = !p.inUse
	}
	p.warm = p.parallel != prev
	return p.parallel
}

// decide ends a probe: the probed mode becomes the mode in use if its median
// step is shorter.
func (p *parallelChooser) decide() {
	s, q := p.samples[0].median(), p.samples[1].median()
	won := !p.inUse == (q > 0 && s > 0 && q < s)
	switch {
	case won:
		p.inUse = !p.inUse
		p.interval = probeInterval
	case !p.inUse:
		p.interval = min(2*p.interval, probeMaxGap) // parallel lost again
	}
	p.wait = p.interval
}

func (p *parallelChooser) begin() { p.t0 = time.Now() }

func (p *parallelChooser) end() { p.record(float64(time.Since(p.t0))) }

// record takes the step's duration in ns and ends a probe that is over.
func (p *parallelChooser) record(d float64) {
	if p.always {
		return
	}
	m := 0
	if p.parallel {
		m = 1
	}
	if !p.warm {
		p.samples[m].add(d)
	}
	if p.parallel == p.inUse {
		return
	}
	p.probing--
	if s := p.samples[0].median(); p.parallel && s > 0 && d > 2*s {
		p.probing = 0 // a stalled parallel step: give up this probe
	}
	if p.probing == 0 {
		p.decide()
	}
}

// setupParallel (re)builds the helper and chooser after the mode changes.
func (c *Core) setupParallel() {
	least := parallelMinScalar
	if c.vector {
		least = parallelMin
	}
	if c.alwaysParallel { // tests and benchmarks of the two-goroutine mode
		least = 0
	}
	if !c.parallel || len(c.nt.v) < least || runtime.GOMAXPROCS(0) < 2 {
		c.sched = nil
		return
	}
	if c.helper == nil {
		c.helper = newPhase1Helper(c.nt, c.kernel, c.vmin, c.vmax)
		runtime.AddCleanup(c, func(h *phase1Helper) { h.close() }, c.helper)
	}
	c.sched = newParallelChooser(c.alwaysParallel)
}
