package neurocorex

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/fixedpoint"
)

// ErrNotRepresentable is wrapped by every refusal of Lower.
var ErrNotRepresentable = errors.New("network not representable on NeuroCoreX")

// ErrTooBig is wrapped (beside ErrNotRepresentable) by the refusals of a
// network with more neurons or inputs than NeuroCoreX has.
var ErrTooBig = errors.New("too big")

// MaxVUnits is the largest threshold or leak NeuroCoreX holds, in units of
// one weight (Q7.10: 1.0 = 1024): compiler.Options.MaxVUnits for images
// meant for it.
const MaxVUnits = float64(maxQ) / (1 << QFrac)

func refuse(format string, a ...any) error {
	return fmt.Errorf("neurocorex: %w: "+format, append([]any{ErrNotRepresentable}, a...)...)
}

func tooBig(format string, a ...any) error {
	return fmt.Errorf("neurocorex: %w: %w: "+format, append([]any{ErrNotRepresentable, ErrTooBig}, a...)...)
}

// neuronName names neuron id by its population (a NIR import names its
// populations after the graph's nodes).
func neuronName(im *core.Image, id int) string {
	for _, p := range im.Meta.Populations {
		if id >= p.First && id < p.First+p.Count {
			return fmt.Sprintf("neuron %d (population %s, index %d)", id, p.Name, id-p.First)
		}
	}
	return fmt.Sprintf("neuron %d", id)
}

// largestPops lists the populations of a kind, largest first.
func largestPops(im *core.Image, kind string) string {
	var ps []core.Population
	for _, p := range im.Meta.Populations {
		if p.Kind == kind {
			ps = append(ps, p)
		}
	}
	sort.SliceStable(ps, func(a, b int) bool { return ps[a].Count > ps[b].Count })
	var b strings.Builder
	for i, p := range ps {
		if i == 4 {
			fmt.Fprintf(&b, ", … (%d more)", len(ps)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %d", p.Name, p.Count)
	}
	return b.String()
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

// Fired maps output frames (internal neuron indices per step, as
// DecodeFrames and Emulate give them) to the ncx neuron ids, ascending,
// that fired in each step; indices that stand for no ncx neuron are left
// out.
func (m *Mapping) Fired(frames [][]int) [][]uint32 {
	fired := make([][]uint32, len(frames))
	for s, fr := range frames {
		var ids []uint32
		for _, p := range fr {
			if p >= 0 && p < N && m.ID[p] >= 0 {
				ids = append(ids, uint32(m.ID[p]))
			}
		}
		slices.Sort(ids)
		fired[s] = ids
	}
	return fired
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
		return nil, nil, tooBig("%d LIF neurons, NeuroCoreX has %d usable neurons (4..93); largest populations: %s", lifs, Usable, largestPops(im, "lif"))
	}
	if inputs > N-2 {
		return nil, nil, tooBig("%d inputs, NeuroCoreX has %d input addresses (2..95); largest input populations: %s", inputs, N-2, largestPops(im, "input"))
	}
	for id := range n {
		if m.P[id] == -2 {
			return nil, nil, refuse("neuron %d belongs to no population", id)
		}
	}
	wexp := -1
	for _, s := range im.Syn {
		if wexp >= 0 && int(s.WExp) != wexp {
			return nil, nil, refuse("synapses use weight exponents %d and %d (onto %s); NeuroCoreX scales all weights alike (compile with --target neurocorex for one common exponent)", wexp, s.WExp, neuronName(im, int(s.Tgt)))
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
	bias, haveBias, biasID := int32(0), false, 0
	for id, q := range im.Params {
		p := m.P[id]
		if p < 0 {
			continue
		}
		if q.DV != core.DecayOne {
			return nil, nil, refuse("%s has multiplicative leak dv=%d (a membrane or current time constant): NeuroCoreX only has a constant subtractive leak", neuronName(im, id), q.DV)
		}
		if haveBias && q.Bias != bias {
			return nil, nil, refuse("%s has bias %d, %s %d: NeuroCoreX's leak is one global subtraction", neuronName(im, biasID), bias, neuronName(im, id), q.Bias)
		}
		if !haveBias {
			bias, haveBias, biasID = q.Bias, true, id
		}
		if q.RSub {
			return nil, nil, refuse("%s resets by subtraction: NeuroCoreX resets v to 0", neuronName(im, id))
		}
		if q.VReset != 0 {
			return nil, nil, refuse("%s resets to %d: NeuroCoreX resets v to 0", neuronName(im, id), q.VReset)
		}
		thr := int64(q.Thr) * int64(m.QPerLSB)
		if thr < minQ || thr > maxQ {
			return nil, nil, refuse("%s threshold %d is %d in Q7.10, outside 18 bits", neuronName(im, id), q.Thr, thr)
		}
		t.VThr[p] = int32(thr)
		if p != 0 {
			t.TrefMax[p] = int32(q.TRef)
		}
	}
	if bias > 0 {
		return nil, nil, refuse("%s has positive bias %d: NeuroCoreX's leak only subtracts", neuronName(im, biasID), bias)
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
				return nil, nil, refuse("synapse word %d targets input %s", a, neuronName(im, int(s.Tgt)))
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
			if ff[r][c] < -128 || ff[r][c] > 127 {
				pre := -1
				for id, a := range m.Addr {
					if a == c {
						pre = id
					}
				}
				return nil, nil, refuse("parallel synapses from %s onto %s sum to %d, beyond int8 (FF row %d column %d)", neuronName(im, pre), neuronName(im, m.ID[r-2]), ff[r][c], r, c)
			}
			if aa[r][c] < -128 || aa[r][c] > 127 {
				return nil, nil, refuse("parallel synapses from %s onto %s sum to %d, beyond int8 (AA row %d column %d)", neuronName(im, m.ID[c-1]), neuronName(im, m.ID[r-2]), aa[r][c], r, c)
			}
			t.FF[r][c], t.AA[r][c] = int8(ff[r][c]), int8(aa[r][c])
		}
	}
	if err := lowerSTDP(im, m, t); err != nil {
		return nil, nil, err
	}
	return t, m, nil
}

// lowerSTDP turns plastic lif -> lif synapses into NeuroCoreX's AA STDP:
// each sets its synapse's enable bit, and their one rule and the traces of
// their neurons set the rectangular window and the steps
// (docs/neurocorex.md, "STDP"):
//
//   - dplus = rmul(aplus, tr_inc of the pre neurons) and dminus =
//     rmul(aminus, tr_inc of the post neurons): ncx's change for a pair of
//     spikes in the same step, in weight units;
//   - tpre_AA_max and tpost_AA_max: the steps the pre and post traces take
//     to decay below half their increment.
//
// Plastic input -> lif synapses are refused: the VHDL's FF passes update
// other cells than the synapse's.
func lowerSTDP(im *core.Image, m *Mapping, t *Tables) error {
	rule := -1
	var pre, post *core.NeuronParams
	for src, f := range im.Fanout {
		for a := f.FoBase; a < f.FoBase+f.FoCnt; a++ {
			s := im.Syn[a]
			if s.Rule == 0 {
				continue
			}
			if m.Addr[src] >= 0 {
				return refuse("synapse word %d (input %s onto %s) is plastic: NeuroCoreX's feed-forward STDP (revision a688f2c) writes other FF cells than the synapse's own, so only lif -> lif synapses can learn on it", a, neuronName(im, src), neuronName(im, int(s.Tgt)))
			}
			if rule >= 0 && int(s.Rule) != rule {
				return refuse("synapses use plasticity rules %d and %d (onto %s): NeuroCoreX has one set of STDP parameters", rule, s.Rule, neuronName(im, int(s.Tgt)))
			}
			rule = int(s.Rule)
			for _, c := range []struct {
				p    **core.NeuronParams
				id   int
				role string
			}{{&pre, src, "pre"}, {&post, int(s.Tgt), "post"}} {
				q := &im.Params[c.id]
				if *c.p != nil && ((*c.p).TrInc != q.TrInc || (*c.p).TrShift != q.TrShift) {
					return refuse("plastic synapses' %s neurons have different traces (%s): NeuroCoreX has one STDP window", c.role, neuronName(im, c.id))
				}
				*c.p = q
			}
			t.EnableAA[(m.P[s.Tgt]+2)*N+m.P[src]+1] = true
		}
	}
	if rule < 0 {
		return nil
	}
	r := im.Rules[rule]
	rmul := func(a, b uint8) int32 { return int32(fixedpoint.RoundProductU8(uint32(a), uint32(b))) }
	dplus, dminus := rmul(r.APlus, pre.TrInc), rmul(r.AMinus, post.TrInc)
	tpre, tpost := traceWindow(pre.TrInc, pre.TrShift), traceWindow(post.TrInc, post.TrShift)
	for _, v := range []struct {
		name string
		v    int32
	}{{"dplus", dplus}, {"dminus", dminus}, {"tpre_AA_max", tpre}, {"tpost_AA_max", tpost}} {
		if v.v > 127 {
			return refuse("STDP rule %d gives %s %d; NeuroCoreX holds at most 127 (a signed byte)", rule, v.name, v.v)
		}
	}
	if dplus == 0 && dminus == 0 {
		return refuse("STDP rule %d changes weights by less than half a unit a spike pair (aplus %d, aminus %d): it would not learn on NeuroCoreX", rule, r.APlus, r.AMinus)
	}
	t.STDP[1] = tpre | tpost<<8
	t.STDP[2] = dplus | dminus<<8
	return nil
}

// traceWindow is how many steps a trace incremented by inc once takes to
// fall below half of inc under ncx's decay tdecay with shift k (at most
// 127, the longest NeuroCoreX window).
func traceWindow(inc, k uint8) int32 {
	tr, n := uint32(inc), int32(0)
	for 2*tr >= uint32(inc) && tr > 0 && n < 127 {
		tr = fixedpoint.TraceDecay(tr, uint(k))
		n++
	}
	return n
}

// LowerRun lowers im (Lower) and the input spikes of a run on it
// (LowerStimulus): what a board or the model needs to run them.
func LowerRun(im *core.Image, in []core.InputSpike) (*Tables, *Mapping, []Spike, error) {
	t, m, err := Lower(im)
	if err != nil {
		return nil, nil, nil, err
	}
	spikes, err := LowerStimulus(in, m)
	if err != nil {
		return nil, nil, nil, err
	}
	return t, m, spikes, nil
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
