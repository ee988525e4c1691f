package emulator

import (
	"runtime"
	"sync/atomic"
)

// phase1Helper runs the upper half of phase 1 on a second goroutine. Starting
// a goroutine per step costs more than the half it saves (waking a parked OS
// thread takes tens of microseconds, a CUBA-4000 step about forty), so the
// helper stays alive and spins on a sequence number for a short while after
// each job before it parks. It holds no reference to the Core, so a cleanup
// attached to the Core can stop it when the Core is collected.
type phase1Helper struct {
	seq  atomic.Uint64 // bumped by the owner to post a job
	done atomic.Uint64 // set to seq by the helper when the job is finished
	wake chan struct{} // wakes a parked helper
	stop atomic.Bool

	// the posted job
	ns        []neuron
	acc       []int32
	out       []uint32
	first     uint32
	vmin, vmx int32
	cnt       int
	parked    atomic.Bool
}

// spinsBeforePark bounds the busy wait: about a millisecond, long enough to
// cover the delivery and plasticity phases between two steps' phase 1.
const spinsBeforePark = 1 << 16

func newPhase1Helper() *phase1Helper {
	h := &phase1Helper{wake: make(chan struct{}, 1)}
	go h.loop()
	return h
}

func (h *phase1Helper) loop() {
	var last uint64
	for {
		spins := 0
		for h.seq.Load() == last {
			if h.stop.Load() {
				return
			}
			spins++
			if spins < spinsBeforePark {
				if spins&63 == 0 {
					runtime.Gosched()
				}
				continue
			}
			h.parked.Store(true)
			if h.seq.Load() == last && !h.stop.Load() {
				<-h.wake
			}
			h.parked.Store(false)
			spins = 0
		}
		last = h.seq.Load()
		h.cnt = phase1Range(h.ns, h.acc, h.out, h.first, h.vmin, h.vmx)
		h.done.Store(last)
	}
}

// post hands a job to the helper.
func (h *phase1Helper) post(ns []neuron, acc []int32, out []uint32, first uint32, vmin, vmax int32) uint64 {
	h.ns, h.acc, h.out, h.first, h.vmin, h.vmx = ns, acc, out, first, vmin, vmax
	s := h.seq.Add(1)
	if h.parked.Load() {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
	return s
}

// wait spins until job s is finished and returns its spike count.
func (h *phase1Helper) wait(s uint64) int {
	for h.done.Load() != s {
		runtime.Gosched()
	}
	return h.cnt
}

func (h *phase1Helper) close() {
	h.stop.Store(true)
	select {
	case h.wake <- struct{}{}:
	default:
	}
}
