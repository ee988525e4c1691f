package emulator

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// State returns a copy of every neuron's state word.
func (c *Core) State() []core.NeuronState {
	t := c.nt
	out := make([]core.NeuronState, t.n)
	for k := range out {
		out[k] = core.NeuronState{V: t.v[k], I: t.i[k], Ref: t.ref(k)}
	}
	return out
}

// Trace returns a copy of every neuron's trace.
func (c *Core) Trace() []uint8 {
	out := make([]uint8, c.nt.n)
	for k := range out {
		out[k] = c.nt.tr(k)
	}
	return out
}

// Acc returns a copy of the synaptic input waiting for the next step.
func (c *Core) Acc() []int32 { return append([]int32(nil), c.nt.acc[:c.nt.n]...) }

// Syn returns a copy of every synapse word.
func (c *Core) Syn() []core.Synapse {
	out := make([]core.Synapse, len(c.ev))
	for a, e := range c.ev {
		out[a] = core.Synapse{Tgt: evTgt(e), W: c.w[a], WExp: c.wexp[a], Rule: c.rule[a]}
	}
	return out
}

// V is neuron n's membrane potential.
func (c *Core) V(n int) int32 { return c.nt.v[:c.nt.n][n] }

// I is neuron n's synaptic current.
func (c *Core) I(n int) int32 { return c.nt.i[:c.nt.n][n] }

// Tr is neuron n's trace.
func (c *Core) Tr(n int) uint8 { return c.nt.tr(n) }

// Weight is the weight field of synapse word a.
func (c *Core) Weight(a int) int8 { return c.w[a] }

// Image returns the image that the core's memories now hold: the loaded
// image with its state, traces and weights (with their fraction bits, spec
// section 8.4) replaced by the current ones. Rules and registers are those
// of base.
func (c *Core) Image(base *core.Image) *core.Image {
	out := *base
	out.State = c.State()
	out.Trace = c.Trace()
	out.Syn = c.Syn()
	if base.Burst != nil && c.burst != nil {
		b := *base.Burst
		b.SetWFrac(c.WFrac())
		out.Burst = &b
	}
	return &out
}

// SetRule rewrites rule word r (a host write of the rule memory between
// steps, spec section 6); which rules are BDSP rules (rule_kind) and which
// of them keep fraction bits (rule_frac, wfrac) is kept.
func (c *Core) SetRule(r int, rl core.Rule) error {
	if r <= 0 || r >= core.NumRules {
		return fmt.Errorf("emulator: rule %d out of range 1..%d", r, core.NumRules-1)
	}
	c.rules[r] = rl
	return nil
}

// Rule is rule word r.
func (c *Core) Rule(r int) core.Rule { return c.rules[r&(core.NumRules-1)] }

// SetParams rewrites neuron n's param word (a host write of the param
// memory between steps, spec section 6); its state is kept.
func (c *Core) SetParams(n int, q core.NeuronParams) {
	c.nt.setParams(n, q)
}
