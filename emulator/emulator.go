package emulator

import (
	"fmt"
	"runtime"
	"slices"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/fixedpoint"
)

// neuron packs one neuron's parameters and state together so that phase 1
// streams through one array (32 bytes a neuron).
type neuron struct {
	v, i           int32
	thr, vreset    int32
	bias           int32
	dv, di         uint16
	ref, tref      uint8
	trShift, trInc uint8
	tr             uint8
	force          bool
}

// Core is one ncx-core running an image.
type Core struct {
	prof    core.Profile
	timing  core.Timing
	vmin    int32
	vmax    int32
	neurons []neuron
	acc     []int32
	foBase  []uint32
	foCnt   []uint32
	fiBase  []uint32
	fiCnt   []uint32

	// synapse words, split so delivery touches only tgt and contrib
	tgt     []uint32
	contrib []int32 // w << wexp, kept in step with w
	w       []int8
	wexp    []uint8
	rule    []uint8
	rev     []core.RevEntry
	rules   [core.NumRules]core.Rule
	plastic bool // any synapse has rule != 0

	step     int
	cycles   uint64
	spikes   []uint32
	spikesHi []uint32
	spikeCyc []uint64
	parallel bool // split phase 1 across two goroutines (large images only)
	helper   *phase1Helper
	burst    *burstUnits

	// Tracer, when non-nil, receives every cycle event of each step.
	Tracer core.CycleTracer
}

// StepResult describes one finished step.
type StepResult struct {
	Step        int      // index of the step, from 0
	Cycles      uint64   // cycle count T of the step (spec section 5)
	Spikes      []uint32 // neurons that spiked, ascending; valid until the next Step
	SpikeCycles []uint64 // step-relative cycle of each spike output event; valid until the next Step
	F, G        uint64   // synapse words delivered, fan-in words potentiated
	Bursts      []uint32 // spikes that carry the burst flag (burst units only), ascending
	FB          uint64   // burst-row words delivered
}

// New loads an image into a fresh core.
func New(im *core.Image) (*Core, error) {
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	n := im.NumNeurons
	c := &Core{
		prof:    im.Profile,
		timing:  core.TimingV1,
		vmin:    im.Profile.VMin(),
		vmax:    im.Profile.VMax(),
		neurons: make([]neuron, n),
		acc:     make([]int32, n),
		foBase:  make([]uint32, n),
		foCnt:   make([]uint32, n),
		fiBase:  make([]uint32, n),
		fiCnt:   make([]uint32, n),
		tgt:     make([]uint32, len(im.Syn)),
		contrib: make([]int32, len(im.Syn)),
		w:       make([]int8, len(im.Syn)),
		wexp:    make([]uint8, len(im.Syn)),
		rule:    make([]uint8, len(im.Syn)),
		rev:     append([]core.RevEntry(nil), im.Rev...),
		rules:   im.Rules,
		spikes:  make([]uint32, 0, n),
	}
	c.parallel = runtime.GOMAXPROCS(0) > 1
	if im.Burst != nil {
		c.burst = newBurstUnits(im.Burst, n)
		c.plastic = true // takes the general delivery path, which knows burst rows
	}
	for k, q := range im.Params {
		s := im.State[k]
		c.neurons[k] = neuron{
			v: s.V, i: s.I, ref: s.Ref, tr: im.Trace[k],
			thr: q.Thr, vreset: q.VReset, bias: q.Bias, dv: q.DV, di: q.DI,
			tref: q.TRef, trShift: q.TrShift, trInc: q.TrInc,
		}
		f := im.Fanout[k]
		c.foBase[k], c.foCnt[k], c.fiBase[k], c.fiCnt[k] = f.FoBase, f.FoCnt, f.FiBase, f.FiCnt
	}
	for a, s := range im.Syn {
		c.tgt[a], c.w[a], c.wexp[a], c.rule[a] = s.Tgt, s.W, s.WExp, s.Rule
		c.contrib[a] = int32(s.W) << s.WExp
		if s.Rule != 0 {
			c.plastic = true
		}
	}
	return c, nil
}

// Profile is the profile of the loaded image.
func (c *Core) Profile() core.Profile { return c.prof }

// NumNeurons is the number of neurons updated each step.
func (c *Core) NumNeurons() int { return len(c.neurons) }

// Steps is the number of steps run so far.
func (c *Core) Steps() int { return c.step }

// Cycles is the total cycle count of all steps run so far.
func (c *Core) Cycles() uint64 { return c.cycles }

// Force sets the force bit of each neuron: it spikes in the next step. Ids
// outside the image are an error and force nothing.
func (c *Core) Force(ids ...uint32) error {
	for _, id := range ids {
		if int(id) >= len(c.neurons) {
			return fmt.Errorf("emulator: force neuron %d: only %d neurons", id, len(c.neurons))
		}
	}
	for _, id := range ids {
		c.neurons[id].force = true
	}
	return nil
}

// decay is sign(x) * ((|x| * m) >> 12), written without branches because
// membrane potentials sit on both sides of zero.
func decay(x int32, m uint16) int32 {
	// Rounding toward zero is a floor for x >= 0 and a ceiling for x < 0;
	// adding 4095 before the arithmetic shift turns the floor into that
	// ceiling for negative products, without a branch or an abs.
	p := int64(x) * int64(m)
	return int32((p + (p>>63)&4095) >> 12)
}

// rmul is the plasticity step (a*b + 128) >> 8.
func rmul(a, b uint8) int32 { return int32(fixedpoint.RoundProductU8(uint32(a), uint32(b))) }

func clip(x, lo, hi int32) int32 { return min(max(x, lo), hi) }

// Step runs one time step: phase 1 (neurons), phase 2 (delivery and
// depression), phase 3 (potentiation).
func (c *Core) Step() StepResult {
	vmin, vmax := c.vmin, c.vmax
	ns := c.neurons
	acc := c.acc[:len(ns)]
	spikes := c.phase1(c.spikes[:0])
	if c.burst != nil {
		c.phase1Burst(spikes)
	}
	c.spikes = spikes
	var fb uint64

	var f, g uint64
	if !c.plastic {
		for _, s := range spikes {
			base, cnt := c.foBase[s], c.foCnt[s]
			f += uint64(cnt)
			tg := c.tgt[base : base+cnt]
			cb := c.contrib[base : base+cnt]
			for j, t := range tg {
				acc[t] = min(max(acc[t]+cb[j], vmin), vmax)
			}
		}
	} else {
		for _, s := range spikes {
			base, cnt := c.foBase[s], c.foCnt[s]
			f += uint64(cnt)
			for a := base; a < base+cnt; a++ {
				t := c.tgt[a]
				acc[t] = min(max(acc[t]+c.contrib[a], vmin), vmax)
				if r := c.rule[a]; r != 0 && (c.burst == nil || !c.burst.bdsp[r]) {
					rl := &c.rules[r]
					c.setW(a, clip(int32(c.w[a])-rmul(rl.AMinus, ns[t].tr), int32(rl.WMin), int32(rl.WMax)))
				}
			}
			if c.burst != nil {
				fb += c.deliverBursts(s)
			}
		}
		for _, s := range spikes {
			base, cnt := c.fiBase[s], c.fiCnt[s]
			g += uint64(cnt)
			for _, e := range c.rev[base : base+cnt] {
				if c.burst != nil && c.burst.bdsp[c.rule[e.SAddr]] {
					c.bdspUpdate(s, e)
					continue
				}
				rl := &c.rules[c.rule[e.SAddr]]
				c.setW(e.SAddr, clip(int32(c.w[e.SAddr])+rmul(rl.APlus, ns[e.Src].tr), int32(rl.WMin), int32(rl.WMax)))
			}
		}
	}

	res := StepResult{Step: c.step, Spikes: spikes, F: f, G: g, FB: fb}
	if c.burst != nil {
		res.Bursts = c.burst.bursts
	}
	res.Cycles = c.timing.StepCyclesBurst(uint64(len(ns)), uint64(len(spikes)), f, g, uint64(len(res.Bursts)), fb)
	if c.Tracer != nil {
		res.SpikeCycles = c.trace(res)
	} else {
		cyc := c.spikeCyc[:0]
		for _, s := range spikes {
			cyc = append(cyc, c.timing.SpikeCycle(uint64(s)))
		}
		c.spikeCyc = cyc
		res.SpikeCycles = cyc
	}
	c.step++
	c.cycles += res.Cycles
	return res
}

// parallelMin is the neuron count from which phase 1 is split across two
// goroutines; below it the hand-off costs more than it saves.
const parallelMin = 2048

// phase1 updates every neuron (spec section 4, phase 1) and appends the
// spiking ones to spikes. Halves of the neuron range touch disjoint memory,
// so they may run concurrently; the spike lists are concatenated in neuron
// order, which keeps the result identical to a serial run.
func (c *Core) phase1(spikes []uint32) []uint32 {
	lo, hi := 0, len(c.neurons)
	if hi-lo < parallelMin || !c.parallel {
		return c.phase1Serial(lo, hi, spikes)
	}
	if c.helper == nil {
		c.helper = newPhase1Helper()
		runtime.AddCleanup(c, func(h *phase1Helper) { h.close() }, c.helper)
	}
	mid := lo + (hi-lo)/2
	c.spikesHi = slices.Grow(c.spikesHi[:0], hi-mid)[:hi-mid]
	job := c.helper.post(c.neurons[mid:hi], c.acc[mid:hi], c.spikesHi, uint32(mid), c.vmin, c.vmax)
	spikes = c.phase1Serial(lo, mid, spikes)
	n := c.helper.wait(job)
	return append(spikes, c.spikesHi[:n]...)
}

func (c *Core) phase1Serial(lo, hi int, spikes []uint32) []uint32 {
	n0 := len(spikes)
	spikes = slices.Grow(spikes, hi-lo)[:n0+hi-lo]
	cnt := phase1Range(c.neurons[lo:hi], c.acc[lo:hi], spikes[n0:], uint32(lo), c.vmin, c.vmax)
	return spikes[:n0+cnt]
}

// phase1Range is the phase-1 loop over one range of neurons, kept free of
// method values and appends so that its working set stays in registers; it
// writes spiking neuron ids (first + index) to out and returns their count.
func phase1Range(ns []neuron, acc []int32, out []uint32, first uint32, vmin, vmax int32) int {
	acc = acc[:len(ns)]
	out = out[:len(ns)]
	lo, hi := int64(vmin), int64(vmax)
	cnt := 0
	for k := range ns {
		nr := &ns[k]
		// int64 locals keep the sums exact for VW up to 30 and spare the
		// compiler the sign extensions of int32 fields at every use.
		i1 := min(max(int64(decay(nr.i, nr.di))+int64(acc[k]), lo), hi)
		acc[k] = 0
		v1 := int64(nr.v)
		ref := nr.ref
		if ref > 0 {
			ref--
		} else {
			v1 = min(max(int64(decay(nr.v, nr.dv))+i1+int64(nr.bias), lo), hi)
		}
		tr := tdecayTable[nr.trShift&7][nr.tr]
		if nr.force || (nr.ref == 0 && v1 >= int64(nr.thr)) {
			v1 = int64(nr.vreset)
			ref = nr.tref
			tr = uint8(min(uint32(tr)+uint32(nr.trInc), core.MaxTrace))
			out[cnt] = first + uint32(k)
			cnt++
		}
		nr.v, nr.i, nr.ref, nr.tr, nr.force = int32(v1), int32(i1), ref, tr, false
	}
	return cnt
}

// tdecayTable[k][tr] is tdecay(tr, k) of spec section 3: a 2 KiB table keeps
// the variable shifts (and the register they pin) out of the neuron loop.
var tdecayTable = func() (t [core.MaxTrShift + 1][core.MaxTrace + 1]uint8) {
	for k := range t {
		for tr := range t[k] {
			t[k][tr] = uint8(fixedpoint.TraceDecay(uint32(tr), uint(k)))
		}
	}
	return t
}()

func (c *Core) setW(a uint32, w int32) {
	c.w[a] = int8(w)
	c.contrib[a] = w << c.wexp[a]
}

// SetParallel chooses whether phase 1 of large images (2,048 neurons or
// more) runs on two goroutines. Results are identical either way; it is on
// by default when GOMAXPROCS > 1.
func (c *Core) SetParallel(on bool) { c.parallel = on }
