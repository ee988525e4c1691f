package neurocorex

import (
	"errors"
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// ErrNotRepresentable is wrapped by every refusal of Lower.
var ErrNotRepresentable = errors.New("network not representable on NeuroCoreX")

func refuse(format string, a ...any) error {
	return fmt.Errorf("neurocorex: %w: "+format, append([]any{ErrNotRepresentable}, a...)...)
}

// Mapping relates ncx neuron ids to NeuroCoreX indices.
type Mapping struct {
	// P[id] is the internal neuron index of LIF neuron id, -1 for inputs.
	P []int
	// Addr[id] is the input address (FF column) of input neuron id, -1 for LIF.
	Addr []int
	// ID[p] is the ncx neuron id of internal neuron p, -1 if unused.
	ID [N]int
	// QPerLSB is how many Q7.10 LSBs one LSB of ncx v stands for.
	QPerLSB int32
}

// Lower builds NeuroCoreX tables from an ncx image whose Meta names its
// populations: "input" populations become input addresses 2.. (the FF
// columns the host notebooks use), "lif" populations become internal
// neurons 4..93, the ones that can spike. Synapses from inputs go to FF
// (row p+2, column address), synapses between LIF neurons to AA (row
// post p+2, column pre p+1).
//
// Lower refuses, with the reason, what NeuroCoreX cannot represent: more
// than 90 LIF neurons or 94 inputs; a multiplicative leak (dv != 4096),
// since NeuroCoreX has only one constant subtractive leak for all neurons
// (so bias must also be the same, and not positive, for every LIF neuron);
// plastic synapses (ncx's trace-based rules have no counterpart in its
// rectangular-window STDP); a reset other than 0; weight exponents that
// differ between synapses; values that overflow Q7.10 or int8 after
// scaling; synapses onto input neurons; and stimulus with more than one
// input spike in a step.
//
// One LSB of ncx v maps to 2^(10-wexp) Q7.10 LSBs, so that a weight w adds
// w·2^wexp to v on both cores (FF amplitude Tref_max[0][7:0] = 1).
// Current decay (di) is not represented: feed-forward input acts for one
// step, lateral input persists, as the board does.
func Lower(im *core.Image) (*Tables, *Mapping, error) {
	if err := im.Validate(); err != nil {
		return nil, nil, fmt.Errorf("neurocorex: %w", err)
	}
	if len(im.Meta.Populations) == 0 {
		return nil, nil, refuse("image has no population metadata to tell inputs from neurons")
	}
	n := im.NumNeurons
	m := &Mapping{P: make([]int, n), Addr: make([]int, n)}
	for i := range m.P {
		m.P[i], m.Addr[i] = -2, -2
	}
	for i := range m.ID {
		m.ID[i] = -1
	}
	nextP, nextA := FirstNeuron, 2
	lifs, inputs := 0, 0
	for _, pop := range im.Meta.Populations {
		for id := pop.First; id < pop.First+pop.Count && id < n; id++ {
			switch pop.Kind {
			case "input":
				inputs++
				m.Addr[id], m.P[id] = nextA, -1
				nextA++
			case "lif":
				lifs++
				m.P[id], m.Addr[id] = nextP, -1
				if nextP <= LastNeuron {
					m.ID[nextP] = id
				}
				nextP++
			default:
				return nil, nil, refuse("population %q has kind %q", pop.Name, pop.Kind)
			}
		}
	}
	if lifs > Usable {
		return nil, nil, refuse("%d LIF neurons, NeuroCoreX has %d usable neurons (4..93)", lifs, Usable)
	}
	if inputs > N-2 {
		return nil, nil, refuse("%d inputs, NeuroCoreX has %d input addresses (2..95)", inputs, N-2)
	}
	for id := range n {
		if m.P[id] == -2 {
			return nil, nil, refuse("neuron %d belongs to no population", id)
		}
	}
	wexp := -1
	for a, s := range im.Syn {
		if s.Rule != 0 {
			return nil, nil, refuse("synapse word %d uses plasticity rule %d: ncx's trace-based STDP has no NeuroCoreX counterpart", a, s.Rule)
		}
		if wexp >= 0 && int(s.WExp) != wexp {
			return nil, nil, refuse("synapses use weight exponents %d and %d; NeuroCoreX scales all weights alike", wexp, s.WExp)
		}
		wexp = int(s.WExp)
	}
	wexp = max(wexp, 0)
	m.QPerLSB = 1 << (QFrac - wexp)
	// No debug bias: I_bias 0 (on neuron 3, which cannot spike). N_debug
	// 255 would say the same on the FPGA but is outside the range the VHDL
	// declares (see MaxNDebug).
	t := &Tables{NDebug: 0}
	for p := range N {
		t.VThr[p] = maxQ // unused slots never fire
	}
	t.TrefMax[0] = 1 // FF synaptic amplitude
	bias, haveBias := int32(0), false
	for id, q := range im.Params {
		p := m.P[id]
		if p < 0 {
			continue
		}
		if q.DV != core.DecayOne {
			return nil, nil, refuse("neuron %d has multiplicative leak dv=%d: NeuroCoreX only has a constant subtractive leak", id, q.DV)
		}
		if haveBias && q.Bias != bias {
			return nil, nil, refuse("neurons have biases %d and %d: NeuroCoreX's leak is one global subtraction", bias, q.Bias)
		}
		bias, haveBias = q.Bias, true
		if q.RSub {
			return nil, nil, refuse("neuron %d resets by subtraction: NeuroCoreX resets v to 0", id)
		}
		if q.VReset != 0 {
			return nil, nil, refuse("neuron %d resets to %d: NeuroCoreX resets v to 0", id, q.VReset)
		}
		thr := int64(q.Thr) * int64(m.QPerLSB)
		if thr < minQ || thr > maxQ {
			return nil, nil, refuse("neuron %d threshold %d is %d in Q7.10, outside 18 bits", id, q.Thr, thr)
		}
		t.VThr[p] = int32(thr)
		if p != 0 {
			t.TrefMax[p] = int32(q.TRef)
		}
	}
	if bias > 0 {
		return nil, nil, refuse("positive bias %d: NeuroCoreX's leak only subtracts", bias)
	}
	leak := -int64(bias) * int64(m.QPerLSB)
	if leak > maxQ {
		return nil, nil, refuse("leak %d is outside 18 bits in Q7.10", leak)
	}
	t.TauMem[LeakWord] = int32(leak)
	var ff, aa [N][N]int32
	for src, f := range im.Fanout {
		for a := f.FoBase; a < f.FoBase+f.FoCnt; a++ {
			s := im.Syn[a]
			post := m.P[s.Tgt]
			if post < 0 {
				return nil, nil, refuse("synapse word %d targets input neuron %d", a, s.Tgt)
			}
			if m.Addr[src] >= 0 {
				ff[post+2][m.Addr[src]] += int32(s.W)
			} else {
				aa[post+2][m.P[src]+1] += int32(s.W)
			}
		}
	}
	for r := range N {
		for c := range N {
			if ff[r][c] < -128 || ff[r][c] > 127 || aa[r][c] < -128 || aa[r][c] > 127 {
				return nil, nil, refuse("parallel synapses sum beyond int8 at row %d column %d", r, c)
			}
			t.FF[r][c], t.AA[r][c] = int8(ff[r][c]), int8(aa[r][c])
		}
	}
	return t, m, nil
}

// LowerStimulus turns spikes to ncx input neurons into NeuroCoreX input
// spikes, refusing more than one spike in a step.
func LowerStimulus(in []core.InputSpike, m *Mapping) ([]Spike, error) {
	seen := map[uint32]bool{}
	var out []Spike
	for _, s := range in {
		if int(s.Neuron) >= len(m.Addr) || m.Addr[s.Neuron] < 0 {
			return nil, refuse("input spike to neuron %d, which is not an input", s.Neuron)
		}
		if seen[s.Step] {
			return nil, refuse("more than one input spike in step %d: NeuroCoreX takes at most one per step", s.Step)
		}
		seen[s.Step] = true
		out = append(out, Spike{Step: int(s.Step), Addr: m.Addr[s.Neuron]})
	}
	return out, nil
}
