package neurocorex

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
)

// Latency is how many steps later NeuroCoreX fires than ncx-core for the
// same input: NeuroCoreX adds an input released in step k to v in step k+1
// and can fire in step k+2 at the earliest (docs/neurocorex.md, "Input
// timing"); ncx-core delivers a spike of step k in step k+1 (docs/core-spec.md
// section 4) and can fire then.
const Latency = 1

// MatchWindow is how far (in steps) a NeuroCoreX spike may sit from an ncx
// spike of the same neuron, after the Latency shift, to count as the same
// spike: the datapath effects of docs/neurocorex.md ("What the VHDL
// computes") move single spikes by a step.
const MatchWindow = 1

// Agreement compares the spikes of an image on ncx-core's emulator with
// those of its NeuroCoreX lowering on the board model (as on a board fresh
// from ncx flash), over the same stimulus and steps.
type Agreement struct {
	Steps   int `json:"steps"`
	Neurons int `json:"neurons"` // LIF neurons compared
	// SpikesNCX and SpikesNX are the LIF spikes on each core.
	SpikesNCX int `json:"spikes_ncx"`
	SpikesNX  int `json:"spikes_neurocorex"`
	// EqualCounts is the number of neurons that fire equally often;
	// CountDiff the sum over neurons of |count on ncx − count on NeuroCoreX|.
	EqualCounts int `json:"equal_counts"`
	CountDiff   int `json:"count_diff"`
	// Matched pairs ncx spikes with NeuroCoreX spikes of the same neuron
	// Latency steps later, within ±MatchWindow steps, each spike used once.
	Matched int `json:"matched"`
	// Differ lists up to five neurons whose counts differ.
	Differ []CountPair `json:"differ,omitempty"`
}

// CountPair is one neuron's spike count on each core.
type CountPair struct {
	ID     int `json:"id"`
	NCX    int `json:"ncx"`
	NX     int `json:"neurocorex"`
	NXSlot int `json:"slot"` // internal neuron p
}

// Compare lowers im, runs its stored stimulus for steps steps on ncx-core's
// emulator and on the NeuroCoreX board model, and compares the LIF spikes.
func Compare(im *core.Image, steps int) (*Agreement, error) {
	t, m, in, err := LowerRun(im, im.Meta.Stimulus)
	if err != nil {
		return nil, err
	}
	frames, err := Emulate(t, in, steps)
	if err != nil {
		return nil, err
	}
	fired := m.Fired(frames)
	c, err := emulator.New(im)
	if err != nil {
		return nil, fmt.Errorf("neurocorex: compare: %w", err)
	}
	ncx := map[int][]int{}
	st := im.Meta.Stimulus
	for s := range steps {
		for ; len(st) > 0 && int(st[0].Step) == s; st = st[1:] {
			if err := c.Force(st[0].Neuron); err != nil {
				return nil, fmt.Errorf("neurocorex: compare: %w", err)
			}
		}
		for _, n := range c.Step().Spikes {
			ncx[int(n)] = append(ncx[int(n)], s)
		}
	}
	nx := map[int][]int{}
	for s, ids := range fired {
		for _, id := range ids {
			nx[int(id)] = append(nx[int(id)], s)
		}
	}
	a := &Agreement{Steps: steps}
	for p, id := range m.ID {
		if id < 0 || p < FirstNeuron {
			continue
		}
		a.Neurons++
		x, y := ncx[id], nx[id]
		a.SpikesNCX += len(x)
		a.SpikesNX += len(y)
		if len(x) == len(y) {
			a.EqualCounts++
		} else {
			a.CountDiff += abs(len(x) - len(y))
			if len(a.Differ) < 5 {
				a.Differ = append(a.Differ, CountPair{ID: id, NCX: len(x), NX: len(y), NXSlot: p})
			}
		}
		a.Matched += match(x, y, Latency, MatchWindow)
	}
	sort.Slice(a.Differ, func(i, j int) bool { return a.Differ[i].ID < a.Differ[j].ID })
	return a, nil
}

// match pairs sorted spike times x with sorted times y, each y at most once,
// where |y − (x+shift)| <= window, greedily in time order (optimal for
// intervals of equal width), and returns the number of pairs.
func match(x, y []int, shift, window int) int {
	n, j := 0, 0
	for _, s := range x {
		for j < len(y) && y[j] < s+shift-window {
			j++
		}
		if j < len(y) && y[j] <= s+shift+window {
			n++
			j++
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// WriteText prints the agreement in a few lines.
func (a *Agreement) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "spike-count agreement over %d steps: LIF spikes %d on the ncx-core emulator, %d on the NeuroCoreX model; %d of %d LIF neurons with equal counts, %d spikes apart in all",
		a.Steps, a.SpikesNCX, a.SpikesNX, a.EqualCounts, a.Neurons, a.CountDiff)
	if err != nil {
		return err
	}
	if len(a.Differ) > 0 {
		var d []string
		for _, c := range a.Differ {
			d = append(d, fmt.Sprintf("%d: %d vs %d", c.ID, c.NCX, c.NX))
		}
		fmt.Fprintf(w, " (neuron: ncx vs NeuroCoreX %s)", strings.Join(d, ", "))
	}
	_, err = fmt.Fprintf(w, "\nspike-time agreement: %d of %d ncx-core spikes (%s) have a NeuroCoreX spike of the same neuron %d step later ±%d\n",
		a.Matched, a.SpikesNCX, pct(a.Matched, a.SpikesNCX), Latency, MatchWindow)
	return err
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

// Approximations lists what Lower approximates rather than refuses
// (docs/neurocorex.md, "Lowering an ncx image").
var Approximations = []string{
	"current decay di: NeuroCoreX's FF input acts for one step; its lateral input goes through one shared register that accumulates while some neuron spikes in consecutive steps (no decay)",
	"refractory: NeuroCoreX keeps integrating v while refractory and blocks at least one step even with Tref_max 0",
	"18-bit wrap-around where ncx saturates: v below -128.0 wraps to +128.0 and fires; Q keeps the sign and wraps the integer part modulo 128",
	"initial state: NeuroCoreX starts every run at v = 0 and J = 0",
	"latency: input released in step k acts in step k+1, fires in step k+2 at the earliest (ncx-core: k+1)",
	"the FF current of a neuron is dropped in a step where the neuron in the slot before it fires",
	"STDP (plastic lif -> lif synapses): a rectangular window instead of traces (pairs within tpre_AA_max / tpost_AA_max counts, about one a step, change a weight by dplus / dminus, whatever their distance); no w_min/w_max: potentiation wraps past 127 and depression stops at -1; weights change within the step, in the slot after the spike",
}

// WriteValues prints the NeuroCoreX values of a lowering: the scale, the
// thresholds, the leak and the weight ranges, and how many steps of leak
// alone take a silent neuron from 0 to the wrap at -128.0.
func WriteValues(w io.Writer, t *Tables, m *Mapping) error {
	q := func(x int32) string { return fmt.Sprintf("%.4g", float64(x)/(1<<QFrac)) }
	lo, hi := int32(maxQ), int32(minQ)
	for p, id := range m.ID {
		if id >= 0 {
			lo, hi = min(lo, t.VThr[p]), max(hi, t.VThr[p])
		}
	}
	rng := func(x *[N][N]int8) string {
		a, b := int8(127), int8(-128)
		nz := 0
		for r := range N {
			for c := range N {
				if v := x[r][c]; v != 0 {
					a, b, nz = min(a, v), max(b, v), nz+1
				}
			}
		}
		if nz == 0 {
			return "none"
		}
		return fmt.Sprintf("%d in %d..%d", nz, a, b)
	}
	leak := t.TauMem[LeakWord]
	fmt.Fprintf(w, "NeuroCoreX values (Q7.10, 1.0 = one weight unit; one ncx LSB of v = %d Q7.10 LSB): thresholds %s..%s, leak %s a step, FF weights %s, AA weights %s\n",
		m.QPerLSB, q(lo), q(hi), q(leak), rng(&t.FF), rng(&t.AA))
	// a neuron just below threshold and its strongest single input (FF
	// amplitude Tref_max[0][7:0])
	top := int64(minQ)
	for p, id := range m.ID {
		if id < 0 {
			continue
		}
		in := int64(0)
		for c := range N {
			in = max(in, int64(t.FF[p+2][c])*int64(t.TrefMax[0]&0xFF), int64(t.AA[p+2][c]))
		}
		top = max(top, int64(t.VThr[p])+in<<QFrac)
	}
	note := "below the wrap at +128.0"
	if top > maxQ {
		note = "past the wrap at +128.0: such a neuron wraps to a negative v instead of firing"
	}
	fmt.Fprintf(w, "a threshold plus the strongest single input reaches %.4g, %s\n", float64(top)/(1<<QFrac), note)
	if n := count(t.EnableAA[:]); n > 0 {
		fmt.Fprintf(w, "STDP on %d AA synapses: dplus %d, dminus %d, windows tpre_AA_max %d and tpost_AA_max %d counts (about steps)\n",
			n, int8(t.STDP[2]), int8(t.STDP[2]>>8), int8(t.STDP[1]), int8(t.STDP[1]>>8))
	}
	if leak > 0 {
		_, err := fmt.Fprintf(w, "a neuron without input leaks from 0 to the wrap at -128.0 in %d steps\n", (-minQ+leak-1)/leak)
		return err
	}
	return nil
}

func count(b []bool) int {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n
}
