package testbench

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
	"github.com/ncx-project/ncx/testbench/rtl"
)

// RunEmulator runs im on the golden model for steps steps with stimulus stim
// and records the same things the RTL harness prints.
func RunEmulator(im *core.Image, stim [][]uint32, steps int) ([]rtl.StepOut, error) {
	c, err := emulator.New(im)
	if err != nil {
		return nil, err
	}
	out := make([]rtl.StepOut, 0, steps)
	for s := 0; s < steps; s++ {
		if s < len(stim) {
			if err := c.Force(stim[s]...); err != nil {
				return nil, err
			}
		}
		r := c.Step()
		so := rtl.StepOut{
			Step:        r.Step,
			Cycles:      r.Cycles,
			Spikes:      append([]uint32(nil), r.Spikes...),
			SpikeCycles: append([]uint64(nil), r.SpikeCycles...),
			State:       c.State(),
			Trace:       c.Trace(),
			Acc:         c.Acc(),
			Syn:         c.Syn(),
		}
		if im.Burst != nil {
			so.Bursts = append([]uint32(nil), r.Bursts...)
			so.BState = c.BurstState()
			so.AccA = c.AccA()
			so.LFSR = c.LFSR()
		}
		// the harness dumps wfrac only then, so that golden files of images
		// without fraction bits keep their bytes
		if im.Burst.UsesFrac() {
			so.WFrac = append([]uint8{}, c.WFrac()...)
		}
		out = append(out, so)
	}
	return out, nil
}

// Compare returns a description of the first difference between the RTL and
// the emulator, or nil. label prefixes the message (e.g. "seed 99").
func Compare(label string, got, want []rtl.StepOut) error {
	if len(got) != len(want) {
		return fmt.Errorf("%s: rtl ran %d steps, emulator %d", label, len(got), len(want))
	}
	for s := range want {
		g, w := &got[s], &want[s]
		if err := compareStep(g, w); err != nil {
			return fmt.Errorf("%s step %d %v", label, s, err)
		}
	}
	return nil
}

func compareStep(g, w *rtl.StepOut) error {
	// Spikes first, in cycle order: the first differing event is the most useful.
	for k := 0; k < max(len(g.Spikes), len(w.Spikes)); k++ {
		switch {
		case k >= len(g.Spikes):
			return fmt.Errorf("cycle %d neuron %d spike: missing in rtl, emulator spikes", w.SpikeCycles[k], w.Spikes[k])
		case k >= len(w.Spikes):
			return fmt.Errorf("cycle %d neuron %d spike: rtl spikes, emulator does not", g.SpikeCycles[k], g.Spikes[k])
		case g.Spikes[k] != w.Spikes[k]:
			return fmt.Errorf("cycle %d spike %d: rtl neuron %d, emulator neuron %d", w.SpikeCycles[k], k, g.Spikes[k], w.Spikes[k])
		case g.SpikeCycles[k] != w.SpikeCycles[k]:
			return fmt.Errorf("neuron %d spike cycle: rtl %d, emulator %d", w.Spikes[k], g.SpikeCycles[k], w.SpikeCycles[k])
		case isIn(g.Bursts, g.Spikes[k]) != isIn(w.Bursts, w.Spikes[k]):
			return fmt.Errorf("cycle %d neuron %d burst flag: rtl %v, emulator %v", w.SpikeCycles[k], w.Spikes[k],
				isIn(g.Bursts, g.Spikes[k]), isIn(w.Bursts, w.Spikes[k]))
		}
	}
	if len(g.State) != len(w.State) || len(g.Trace) != len(w.Trace) || len(g.Acc) != len(w.Acc) || len(g.Syn) != len(w.Syn) {
		return fmt.Errorf("dump sizes differ: rtl %d/%d/%d/%d, emulator %d/%d/%d/%d state/trace/acc/syn",
			len(g.State), len(g.Trace), len(g.Acc), len(g.Syn), len(w.State), len(w.Trace), len(w.Acc), len(w.Syn))
	}
	at := fmt.Sprintf("cycle %d", w.Cycles) // end of step: state is read back after done
	for n := range w.State {
		gs, ws := g.State[n], w.State[n]
		switch {
		case gs.V != ws.V:
			return fmt.Errorf("%s neuron %d v: rtl %#x, emulator %#x", at, n, gs.V, ws.V)
		case gs.I != ws.I:
			return fmt.Errorf("%s neuron %d i: rtl %#x, emulator %#x", at, n, gs.I, ws.I)
		case gs.Ref != ws.Ref:
			return fmt.Errorf("%s neuron %d ref: rtl %d, emulator %d", at, n, gs.Ref, ws.Ref)
		case g.Trace[n] != w.Trace[n]:
			return fmt.Errorf("%s neuron %d tr: rtl %#x, emulator %#x", at, n, g.Trace[n], w.Trace[n])
		case g.Acc[n] != w.Acc[n]:
			return fmt.Errorf("%s neuron %d acc: rtl %#x, emulator %#x", at, n, g.Acc[n], w.Acc[n])
		}
	}
	for a := range w.Syn {
		if g.Syn[a] != w.Syn[a] {
			return fmt.Errorf("%s synapse %d: rtl %+v, emulator %+v", at, a, g.Syn[a], w.Syn[a])
		}
	}
	if len(g.BState) != len(w.BState) || len(g.AccA) != len(w.AccA) {
		return fmt.Errorf("burst dump sizes differ: rtl %d/%d, emulator %d/%d bstate/acca",
			len(g.BState), len(g.AccA), len(w.BState), len(w.AccA))
	}
	for n := range w.BState {
		gs, ws := g.BState[n], w.BState[n]
		switch {
		case gs.VA != ws.VA:
			return fmt.Errorf("%s neuron %d va: rtl %#x, emulator %#x", at, n, gs.VA, ws.VA)
		case gs.PBar != ws.PBar:
			return fmt.Errorf("%s neuron %d pbar: rtl %d, emulator %d", at, n, gs.PBar, ws.PBar)
		case gs.Err != ws.Err:
			return fmt.Errorf("%s neuron %d err: rtl %d, emulator %d", at, n, gs.Err, ws.Err)
		case g.AccA[n] != w.AccA[n]:
			return fmt.Errorf("%s neuron %d acca: rtl %#x, emulator %#x", at, n, g.AccA[n], w.AccA[n])
		}
	}
	if g.LFSR != w.LFSR {
		return fmt.Errorf("%s lfsr: rtl %#04x, emulator %#04x", at, g.LFSR, w.LFSR)
	}
	if (g.WFrac == nil) != (w.WFrac == nil) || len(g.WFrac) != len(w.WFrac) {
		return fmt.Errorf("wfrac dump sizes differ: rtl %d words (dumped %v), emulator %d (dumped %v)",
			len(g.WFrac), g.WFrac != nil, len(w.WFrac), w.WFrac != nil)
	}
	for a := range w.WFrac {
		if g.WFrac[a] != w.WFrac[a] {
			return fmt.Errorf("%s wfrac %d: rtl %#02x, emulator %#02x", at, a, g.WFrac[a], w.WFrac[a])
		}
	}
	if g.Cycles != w.Cycles {
		return fmt.Errorf("cycle count: rtl %d, emulator %d", g.Cycles, w.Cycles)
	}
	return nil
}

func isIn(ids []uint32, id uint32) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
