package emulator

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// burstUnits holds the spec section 8 state of an image with burst units.
type burstUnits struct {
	params  []core.BurstParams
	va      []int32
	pbar    []uint16 // UQ8.8
	err     []int16
	acca    []int32
	boBase  []uint32
	boCnt   []uint32
	lut     [core.LUTSize]uint8
	bdsp    [core.NumRules]bool
	frac    [core.NumRules]bool // BDSP rules with fraction bits (spec section 8.4)
	kind    uint8               // rule_kind register
	rfrac   uint8               // rule_frac register, as written
	lfsr    uint16
	bursts  []uint32 // bursting neurons of the current step, ascending
	isBurst []bool   // per neuron, this step
}

func newBurstUnits(b *core.BurstTables, n int) *burstUnits {
	u := &burstUnits{
		params: append([]core.BurstParams(nil), b.Params...),
		va:     make([]int32, n), pbar: make([]uint16, n), err: make([]int16, n),
		acca: make([]int32, n), boBase: make([]uint32, n), boCnt: make([]uint32, n),
		lut: b.LUT, lfsr: b.LFSR, isBurst: make([]bool, n),
	}
	for k, s := range b.State {
		u.va[k], u.pbar[k], u.err[k] = s.VA, s.PBar, s.Err
		u.boBase[k], u.boCnt[k] = b.BFanout[k].BoBase, b.BFanout[k].BoCnt
	}
	u.kind = b.RuleKind
	u.setRuleFrac(b.RuleFrac)
	return u
}

// setRuleFrac sets the rule_frac register; its bits of STDP rules are kept
// but ignored, as the hardware ignores them.
func (u *burstUnits) setRuleFrac(v uint8) {
	u.rfrac = v
	for r := range u.bdsp {
		u.bdsp[r] = u.kind>>r&1 == 1
		u.frac[r] = u.bdsp[r] && v>>r&1 == 1
	}
}

// phase1Burst is the burst-unit part of phase 1 (spec section 8.2), run
// after the LIF part has produced this step's spike list. Each neuron's burst
// state depends only on its own spike, so a second pass in ascending neuron
// order gives exactly the hardware's result, including the order in which
// stochastic decisions consume the LFSR.
func (c *Core) phase1Burst(spikes []uint32) {
	vmin, vmax := int64(c.vmin), int64(c.vmax)
	u := c.burst
	bursts := u.bursts[:0]
	next := 0 // index into spikes of the next spiking neuron
	for k := range c.nt.n {
		spike := next < len(spikes) && spikes[next] == uint32(k)
		if spike {
			next++
		}
		aa := u.acca[k]
		u.acca[k] = 0
		u.isBurst[k] = false
		q := &u.params[k]
		if !q.BU {
			continue
		}
		va1 := int32(min(max(int64(decay(u.va[k], q.DA))+int64(aa)+int64(q.Teach), vmin), vmax))
		u.va[k] = va1
		if !spike {
			continue
		}
		idx := min(max((int64(va1)-int64(q.AOff))>>q.AShift+core.LUTCenter, 0), core.LUTSize-1)
		p := u.lut[idx]
		var burst bool
		if q.BMode == core.BModeThresh {
			burst = p >= 128
		} else {
			u.lfsr = core.LFSRNext(u.lfsr)
			burst = uint8(u.lfsr) < p
		}
		b8 := int32(0)
		if burst {
			b8 = 255
			u.isBurst[k] = true
			bursts = append(bursts, uint32(k))
		}
		pb := int32(u.pbar[k])
		u.err[k] = int16(b8 - (pb+128)>>8)
		u.pbar[k] = uint16(pb + (b8<<8-pb)>>q.PShift)
	}
	u.bursts = bursts
}

// deliverBursts is the phase 2 addition of spec section 8.3 for spike s.
func (c *Core) deliverBursts(s uint32) (words uint64) {
	u := c.burst
	if !u.isBurst[s] {
		return 0
	}
	base, cnt := u.boBase[s], u.boCnt[s]
	for a := base; a < base+cnt; a++ {
		e := c.ev[a]
		t := evTgt(e)
		u.acca[t] = min(max(u.acca[t]+evContrib(e), c.vmin), c.vmax)
	}
	return uint64(cnt)
}

// BurstState returns a copy of every neuron's burst state; nil without burst units.
func (c *Core) BurstState() []core.BurstState {
	if c.burst == nil {
		return nil
	}
	out := make([]core.BurstState, c.nt.n)
	for k := range out {
		out[k] = core.BurstState{VA: c.burst.va[k], PBar: c.burst.pbar[k], Err: c.burst.err[k]}
	}
	return out
}

// AccA returns a copy of the apical input waiting for the next step.
func (c *Core) AccA() []int32 {
	if c.burst == nil {
		return nil
	}
	return append([]int32(nil), c.burst.acca...)
}

// LFSR is the current LFSR state (0 without burst units).
func (c *Core) LFSR() uint16 {
	if c.burst == nil {
		return 0
	}
	return c.burst.lfsr
}

// SetTeach rewrites neuron n's teaching input (the host's write of teach
// between samples).
func (c *Core) SetTeach(n int, teach int32) {
	if c.burst != nil {
		c.burst.params[n].Teach = min(max(teach, c.vmin), c.vmax)
	}
}

// VA is neuron n's apical voltage (0 without burst units).
func (c *Core) VA(n int) int32 {
	if c.burst == nil {
		return 0
	}
	return c.burst.va[n]
}

// PBar is neuron n's burst-probability estimate in UQ8.8 (0..65280 for 0..1).
func (c *Core) PBar(n int) uint16 {
	if c.burst == nil {
		return 0
	}
	return c.burst.pbar[n]
}

// RuleFrac is the rule_frac register (0 without burst units).
func (c *Core) RuleFrac() uint8 {
	if c.burst == nil {
		return 0
	}
	return c.burst.rfrac
}

// SetRuleFrac rewrites the rule_frac register (a host write between steps,
// spec section 8.4): bit r gives BDSP rule r fraction bits from the next
// step on. The wfrac words are kept.
func (c *Core) SetRuleFrac(v uint8) error {
	if c.burst == nil {
		return fmt.Errorf("emulator: rule_frac: the image has no burst units")
	}
	c.burst.setRuleFrac(v)
	return nil
}

// WFrac returns a copy of the wfrac memory: the fraction bits of the
// weight of each fan-in word's synapse (len(rev) words; nil without burst
// units).
func (c *Core) WFrac() []uint8 {
	if c.burst == nil {
		return nil
	}
	return append([]uint8(nil), c.wfrac...)
}

// SetWFrac rewrites wfrac word a (a host write between steps).
func (c *Core) SetWFrac(a int, v uint8) error {
	if c.burst == nil || a < 0 || a >= len(c.wfrac) {
		return fmt.Errorf("emulator: wfrac word %d outside the %d fan-in words of the image", a, len(c.wfrac))
	}
	c.wfrac[a] = v
	return nil
}
