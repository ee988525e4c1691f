package emulator

import (
	"fmt"
	"runtime"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/fixedpoint"
)

// Core is one ncx-core running an image.
type Core struct {
	prof   core.Profile
	timing core.Timing
	vmin   int32
	vmax   int32
	nt     *neuronTable
	kernel phase1Kernel
	vector bool // kernel is a vector kernel
	foBase []uint32
	foCnt  []uint32
	fiBase []uint32
	fiCnt  []uint32

	// synapse words, split so that delivery streams only ev
	ev      []uint32 // per word evWord(tgt, w << wexp), kept in step with w
	w       []int8
	wexp    []uint8
	rule    []uint8
	rev     []core.RevEntry
	wfrac   []uint8 // per fan-in word, burst images only (spec section 8.4)
	rules   [core.NumRules]core.Rule
	plastic bool // any synapse has rule != 0

	step     int
	cycles   uint64
	spikes   []uint32
	spikeCyc []uint64
	parallel bool // phase 1 of large images may run on two goroutines
	helper   *phase1Helper
	sched    *parallelChooser // nil: serial

	alwaysParallel bool // tests and benchmarks: two goroutines on every step
	burst          *burstUnits

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
	if im.Profile.NB > 16 {
		return nil, fmt.Errorf("emulator: profile %s has NB = %d; the emulator packs neuron ids into 16 bits", im.Profile.Name, im.Profile.NB)
	}
	n := im.NumNeurons
	kern := bestKernel(im.Profile)
	c := &Core{
		prof:   im.Profile,
		timing: core.TimingV1,
		vmin:   im.Profile.VMin(),
		vmax:   im.Profile.VMax(),
		nt:     newNeuronTable(im),
		kernel: kern.fn,
		vector: kern.name != "scalar",
		foBase: make([]uint32, n),
		foCnt:  make([]uint32, n),
		fiBase: make([]uint32, n),
		fiCnt:  make([]uint32, n),
		ev:     make([]uint32, len(im.Syn)),
		w:      make([]int8, len(im.Syn)),
		wexp:   make([]uint8, len(im.Syn)),
		rule:   make([]uint8, len(im.Syn)),
		rev:    append([]core.RevEntry(nil), im.Rev...),
		rules:  im.Rules,
		spikes: make([]uint32, 0, n),
	}
	if im.Burst != nil {
		c.burst = newBurstUnits(im.Burst, n)
		c.wfrac = make([]uint8, len(im.Rev))
		copy(c.wfrac, im.Burst.WFrac)
		c.plastic = true // takes the general delivery path, which knows burst rows
	}
	for k := range n {
		f := im.Fanout[k]
		c.foBase[k], c.foCnt[k], c.fiBase[k], c.fiCnt[k] = f.FoBase, f.FoCnt, f.FiBase, f.FiCnt
	}
	for a, s := range im.Syn {
		c.w[a], c.wexp[a], c.rule[a] = s.W, s.WExp, s.Rule
		c.ev[a] = evWord(s.Tgt, int32(s.W)<<s.WExp)
		if s.Rule != 0 {
			c.plastic = true
		}
	}
	c.SetParallel(runtime.GOMAXPROCS(0) > 1)
	return c, nil
}

// Profile is the profile of the loaded image.
func (c *Core) Profile() core.Profile { return c.prof }

// NumNeurons is the number of neurons updated each step.
func (c *Core) NumNeurons() int { return c.nt.n }

// Steps is the number of steps run so far.
func (c *Core) Steps() int { return c.step }

// Cycles is the total cycle count of all steps run so far.
func (c *Core) Cycles() uint64 { return c.cycles }

// Force sets the force bit of each neuron: it spikes in the next step. Ids
// outside the image are an error and force nothing.
func (c *Core) Force(ids ...uint32) error {
	for _, id := range ids {
		if int(id) >= c.nt.n {
			return fmt.Errorf("emulator: force neuron %d: only %d neurons", id, c.nt.n)
		}
	}
	for _, id := range ids {
		c.nt.force(int(id))
	}
	return nil
}

// decay is the spec's decay(x, m) (fixedpoint.DecayQ12, branchless because
// membrane potentials sit on both sides of zero).
func decay(x int32, m uint16) int32 { return fixedpoint.DecayQ12(x, m) }

// rmul is the plasticity step (a*b + 128) >> 8.
func rmul(a, b uint8) int32 { return int32(fixedpoint.RoundProductU8(uint32(a), uint32(b))) }

func clip(x, lo, hi int32) int32 { return min(max(x, lo), hi) }

// Step runs one time step: phase 1 (neurons), phase 2 (delivery and
// depression), phase 3 (potentiation).
func (c *Core) Step() StepResult {
	if c.sched != nil {
		c.sched.begin()
		defer c.sched.end()
	}
	nt := c.nt
	spikes := c.phase1(c.spikes[:0])
	if c.burst != nil {
		c.phase1Burst(spikes)
	}
	c.spikes = spikes

	var f, g, fb uint64
	if !c.plastic {
		f = c.deliver(spikes)
	} else {
		f, g, fb = c.plasticPhases(spikes)
	}

	res := StepResult{Step: c.step, Spikes: spikes, F: f, G: g, FB: fb}
	if c.burst != nil {
		res.Bursts = c.burst.bursts
	}
	res.Cycles = c.timing.StepCyclesBurst(uint64(nt.n), uint64(len(spikes)), f, g, uint64(len(res.Bursts)), fb)
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

// phase1 updates every neuron (spec section 4, phase 1) and appends the
// spiking ones to spikes, ascending. Blocks of neurons touch disjoint memory,
// so they may run on two goroutines; the spike bitmap keeps the list in
// neuron order either way, which keeps the result identical to a serial run.
func (c *Core) phase1(spikes []uint32) []uint32 {
	np := len(c.nt.v)
	if c.sched != nil && c.sched.parallelNow() {
		c.helper.run()
	} else {
		c.kernel(c.nt, 0, np, c.vmin, c.vmax)
	}
	return c.nt.appendSpikes(spikes, 0, np)
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

// deliver is phase 2 of an image without plastic synapses or burst units:
// one packed word read, one saturating add per event.
func (c *Core) deliver(spikes []uint32) (f uint64) {
	acc := c.nt.acc[:c.nt.n]
	vmin, vmax := c.vmin, c.vmax
	for _, s := range spikes {
		base, cnt := c.foBase[s], c.foCnt[s]
		f += uint64(cnt)
		for _, e := range c.ev[base : base+cnt] {
			t := evTgt(e)
			acc[t] = min(max(acc[t]+evContrib(e), vmin), vmax)
		}
	}
	return f
}

// plasticPhases is phases 2 and 3 for images with plastic synapses or burst
// units (spec sections 4 and 8), with the tables and the LFSR in locals.
func (c *Core) plasticPhases(spikes []uint32) (f, g, fb uint64) {
	nt, acc := c.nt, c.nt.acc[:c.nt.n]
	vmin, vmax := c.vmin, c.vmax
	ev, w, wexp, rule, rules := c.ev, c.w, c.wexp, c.rule, &c.rules
	w, wexp, rule = w[:len(ev)], wexp[:len(ev)], rule[:len(ev)]
	var bdsp, frac [core.NumRules]bool // all false without burst units
	if c.burst != nil {
		bdsp, frac = c.burst.bdsp, c.burst.frac
	}
	for _, s := range spikes {
		base, cnt := c.foBase[s], c.foCnt[s]
		f += uint64(cnt)
		for a := base; a < base+cnt; a++ {
			e := ev[a]
			t := evTgt(e)
			acc[t] = min(max(acc[t]+evContrib(e), vmin), vmax)
			if r := rule[a]; r != 0 && !bdsp[r] {
				rl := &rules[r]
				nw := clip(int32(w[a])-rmul(rl.AMinus, nt.tr(int(t))), int32(rl.WMin), int32(rl.WMax))
				w[a], ev[a] = int8(nw), evWord(t, nw<<wexp[a])
			}
		}
		if c.burst != nil {
			fb += c.deliverBursts(s)
		}
	}
	var lfsr uint16
	if c.burst != nil {
		lfsr = c.burst.lfsr
	}
	for _, s := range spikes {
		base, cnt := c.fiBase[s], c.fiCnt[s]
		g += uint64(cnt)
		var errPost int64
		if c.burst != nil {
			errPost = int64(c.burst.err[s])
		}
		for i, e := range c.rev[base : base+cnt] {
			a := e.SAddr
			r := rule[a]
			rl := &rules[r]
			tr := nt.tr(int(e.Src))
			var nw int32
			switch {
			case frac[r]: // spec section 8.4, fraction bits at fan-in address base+i
				lfsr = core.LFSRNext(lfsr)
				fa := base + uint32(i)
				full := int64(w[a])<<8 | int64(c.wfrac[fa])
				d := (int64(rl.APlus)*int64(tr)*errPost + int64(lfsr>>8)) >> 8
				nf := min(max(full+d, int64(rl.WMin)<<8), int64(rl.WMax)<<8|255)
				c.wfrac[fa] = uint8(nf)
				nw = int32(nf >> 8)
			case bdsp[r]: // spec section 8.4
				lfsr = core.LFSRNext(lfsr)
				dw := (int64(rl.APlus)*int64(tr)*errPost + int64(lfsr)) >> 16
				nw = int32(min(max(int64(w[a])+dw, int64(rl.WMin)), int64(rl.WMax)))
			default:
				nw = clip(int32(w[a])+rmul(rl.APlus, tr), int32(rl.WMin), int32(rl.WMax))
			}
			w[a], ev[a] = int8(nw), evWord(evTgt(ev[a]), nw<<wexp[a])
		}
	}
	if c.burst != nil {
		c.burst.lfsr = lfsr
	}
	return f, g, fb
}

// evWord packs a synapse's target and contribution into the 32-bit word
// that phase 2 reads: bits 0..15 tgt (NB is at most 16 on every profile;
// New checks), bits 16..31 the contribution w << wexp (at most 15 bits and a
// sign, spec section 3). One 4-byte stream per event instead of two halves
// the memory phase 2 touches, and a network's rows mostly miss the caches.
func evWord(tgt uint32, contrib int32) uint32 { return tgt | uint32(contrib)<<16 }

func evTgt(e uint32) uint32    { return e & 0xffff }
func evContrib(e uint32) int32 { return int32(e) >> 16 }

// SetParallel chooses whether phase 1 of large images (see parallelMin)
// may run on two goroutines. Results are identical either way. It is
// on by default when GOMAXPROCS > 1, and then each step is timed: the core
// keeps using two goroutines only while that is measurably faster than one
// (a competing CPU load can make it slower), so the default never costs more
// than a serial run beyond the occasional probe step.
func (c *Core) SetParallel(on bool) {
	c.parallel = on
	c.setupParallel()
}
