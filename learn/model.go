package learn

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
	"github.com/ncx-project/ncx/network"
)

// Task is the dataset of a learning network and the parts of the protocol
// that belong to the task rather than to the network.
type Task struct {
	Name       string  // network name
	Dataset    string  // dataset name
	File       string  // dataset file as written in the description (relative to Dir)
	Dir        string  // directory the description's relative paths resolve against
	Features   int     // dataset features (= input neurons)
	Classes    int     // dataset classes (= output units)
	Scale      float64 // feature value that means x = 1
	Train      float64 // training fraction of the split
	SplitSeed  uint64
	Epochs     int
	Repeat     int    // presentations of each training sample per epoch
	EvalSet    string // network.EvalTest or network.EvalTrain
	EvalCopies int    // the evaluation set taken this many times
}

// bdspEta is the BDSP eta, in LSB of the post neurons' input (raw post
// population), that the compiler quantises to aplus for weight exponent
// wexp: aplus = eta / 2^wexp · 2^16/255².
func bdspEta(aplus, wexp uint8) float64 {
	return float64(aplus) * math.Ldexp(1, int(wexp)) * 255 * 255 / 65536
}

// apicalTau is the apical time constant (ms at dt = 1 ms) whose decay
// multiplier is da/4096; da = 0 (no memory) becomes 0.05 ms.
func apicalTau(da uint16) float64 {
	if da == 0 {
		return 0.05
	}
	return -1 / math.Log(float64(da)/core.DecayOne)
}

// YAML renders the network as a description for task t (dt = 1 ms). The
// hidden and output layers are raw burst populations, so their hardware
// values are exactly those of c.
func (c NetConfig) YAML(t Task) []byte {
	c.fill()
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	mode := network.ModeThreshold
	if c.Stoch {
		mode = network.ModeStochastic
	}
	wmax := func(wexp uint8) int { return 127 << wexp }
	p("# %s: %d-%d-%d burst network learning with BDSP on the core (docs/learning.md).\n", t.Name, c.Inputs, c.Hidden, c.Outputs)
	p("name: %s\ntarget: %s\ndt: 1\nsteps: 1000\nseed: %d\n", t.Name, c.Profile, c.Seed)
	p("datasets:\n  - {name: %s, file: %s, features: %d, classes: %d, label_column: last, scale: %g, split: {train: %g, seed: %d}}\n",
		t.Dataset, t.File, t.Features, t.Classes, t.Scale, t.Train, t.SplitSeed)
	p("populations:\n")
	p("  - {name: input, kind: dataset_input, dataset: %s, rate_hz: %g, present_steps: %d, gap_steps: %d, trace: {tau: %.6g, inc: %d}}\n",
		t.Dataset, 1000*c.InputRate, c.Steps, c.GapSteps, compiler.TraceTau(1, 3), c.InTrInc)
	p("  - name: hidden\n    kind: burst\n    size: %d\n", c.Hidden)
	if c.Ensemble > 1 {
		p("    ensemble: %d\n", c.Ensemble)
	}
	p("    raw: {thr: %d, vreset: 0, dv: 3584, di: 0, tref: 1, tr_shift: 2, tr_inc: %d}\n", c.HidThr, c.HidTrInc)
	p("    apical: {tau: %.6g, offset: %d, ashift: %d, mode: %s, pbar_tau: %d, pbar_init: 0.5}\n",
		apicalTau(c.HidDA), c.HidAOff<<c.HidAShift, c.HidAShift, mode, 1<<c.HidPShift)
	p("  - name: output\n    kind: burst\n    size: %d\n", c.Outputs)
	p("    raw: {thr: %d, vreset: 0, dv: 3584, di: 0, tref: %d, tr_shift: 2, tr_inc: 48}\n", c.OutThr, c.OutTRef)
	p("    apical: {tau: %.6g, offset: 0, ashift: %d, mode: %s, pbar_tau: %d, pbar_init: 0.5}\n",
		apicalTau(0), outAShift, mode, 1<<c.PShift)
	p("projections:\n")
	in := float64(c.WInit1) * math.Ldexp(1, int(c.WExpIn))
	frac := ""
	if c.Fraction {
		frac = ", fraction: true"
	}
	p("  - {name: in_hid, pre: input, post: hidden, connect: all_to_all, weight: {uniform: [%g, %g]}, bdsp: {eta: %.8g, w_min: %d, w_max: %d%s}}\n",
		-in, in, bdspEta(c.EtaHidden, c.WExpIn), -wmax(c.WExpIn), wmax(c.WExpIn), frac)
	out := float64(c.WInit2) * math.Ldexp(1, int(c.WExpOut))
	p("  - {name: hid_out, pre: hidden, post: output, connect: all_to_all, weight: {uniform: [%g, %g]}, bdsp: {eta: %.8g, w_min: %d, w_max: %d%s}}\n",
		-out, out, bdspEta(c.EtaOutput, c.WExpOut), -wmax(c.WExpOut), wmax(c.WExpOut), frac)
	fb := float64(c.FbWeight) * math.Ldexp(1, int(c.FbWExp))
	p("  - {name: fb, pre: output, post: hidden, channel: burst, connect: all_to_all, zero_sum: true, weight: {uniform: [%g, %g]}}\n", -fb, fb)
	p("teacher: {population: output, dataset: %s, on: %g, off: 0}\n", t.Dataset, c.TeachGain*math.Ldexp(1, outAShift))
	p("learning: {epochs: %d, teach: error, full_count: %g, teach_steps: %d, relax_steps: %d, repeat: %d, halve_every: %d, halve_input_trace: %v, errors_only: %v, hidden_epochs: %d, eval_set: %s, eval_repeats: %d, eval_copies: %d}\n",
		t.Epochs, c.FullCount, c.TeachSteps, c.RelaxSteps, max(1, t.Repeat), c.RateHalving, c.AnnealInput, c.ErrorsOnly, c.HiddenEpochs, t.EvalSet, c.EvalRepeats, max(1, t.EvalCopies))
	return b.Bytes()
}

// BuildNet renders cfg for task t (data: see ParseTask), compiles it and
// returns the network ready to train (its hidden layer frozen when
// cfg.FrozenHidden).
func BuildNet(cfg NetConfig, t Task, data []byte) (*Net, error) {
	cfg.fill()
	net, err := ParseTask(cfg, t, data)
	if err != nil {
		return nil, err
	}
	n, err := NewNet(net, cfg.FrozenHidden)
	if err != nil {
		return nil, err
	}
	if da := n.Image.Burst.Params[n.Hid.First].DA; da != cfg.HidDA {
		return nil, fmt.Errorf("learn: hidden apical decay compiled to %d, want %d", da, cfg.HidDA)
	}
	return n, nil
}

// Protocol is the training protocol of a Net, from its description's
// learning block and input population.
type Protocol struct {
	Forward, Teach, Gap, Relax int     // phase lengths in steps
	InputRate                  float64 // spike probability per step of an input at x = 1
	FullCount                  float64
	Mode                       string // network.TeachError or network.TeachLabel
	On, Off                    int32  // teach registers (TeachError: On per unit error)
	network.Learning
}

// NewNet compiles a learning network: its teacher's dataset_input is the
// input layer, the burst population the input projects into is the hidden
// layer, the teacher's population the output layer. frozen keeps the hidden
// layer's BDSP rate at 0 (same image, same initial weights).
func NewNet(net *network.Network, frozen bool) (*Net, error) {
	if net.Teacher == nil || net.Learning == nil {
		return nil, fmt.Errorf("learn: %s: a learning network needs a teacher and a learning block", net.File)
	}
	im, _, err := compiler.Compile(net, compiler.Options{})
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	ti, _ := compiler.TeacherOf(im)
	in := net.Populations[net.Teacher.InputIdx]
	n := &Net{Network: net, Image: im, frozen: frozen}
	pop := func(name string) (Pop, error) {
		p, ok := im.Meta.PopulationByName(name)
		if !ok {
			return Pop{}, fmt.Errorf("learn: %s: no population %q in the image", net.File, name)
		}
		return Pop{Name: name, First: p.First, Count: p.Count}, nil
	}
	if n.In, err = pop(in.Name); err != nil {
		return nil, err
	}
	if n.Out, err = pop(ti.Population); err != nil {
		return nil, err
	}
	n.inHid, n.fbProj, n.hidOut = -1, -1, -1
	for k, pr := range net.Projections {
		switch {
		case !pr.IsBurst() && pr.Post == ti.Population:
			n.hidOut = k
		case pr.PreIdx == net.Teacher.InputIdx && !pr.IsBurst() && net.Populations[pr.PostIdx].IsBurst():
			n.inHid = k
			if n.Hid, err = pop(pr.Post); err != nil {
				return nil, err
			}
		case pr.IsBurst() && pr.Pre == ti.Population:
			n.fbProj = k
		}
	}
	if n.inHid < 0 || n.fbProj < 0 {
		return nil, fmt.Errorf("learn: %s: want an event projection from %q into a burst (hidden) population and a burst projection back from %q", net.File, in.Name, ti.Population)
	}
	ds := net.Datasets[in.DatasetIdx]
	l := *net.Learning
	n.Proto = Protocol{Forward: in.PresentSteps, Teach: l.TeachSteps, Gap: in.GapSteps, Relax: l.RelaxSteps,
		InputRate: in.RateHz * net.Dt / 1000, FullCount: l.FullCount, Mode: l.Teach, On: ti.On, Off: ti.Off, Learning: l}
	data, err := network.LoadDataset(ds)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	set := func(idx []int) *Dataset {
		d := &Dataset{Classes: ds.Classes}
		for _, i := range idx {
			x := make([]float64, len(data.Features[i]))
			for f, v := range data.Features[i] {
				x[f] = v / ds.Scale
			}
			d.X, d.Y = append(d.X, x), append(d.Y, data.Labels[i])
		}
		return d
	}
	n.Train, n.Test = set(data.Train), set(data.Test)
	if l.EvalSet == network.EvalTrain {
		n.Test = n.Train
	}
	n.Train, n.Test = n.Train.Repeat(l.Repeat), n.Test.Repeat(l.EvalCopies)
	n.rules = map[int]bool{}
	for a, p := range im.Meta.SynProj {
		if r := im.Syn[a].Rule; r != 0 && im.Burst.RuleKind>>r&1 == 1 {
			n.rules[int(r)] = true
			if int(p) == n.inHid {
				n.hidRule = int(r)
			}
		}
	}
	n.readFeedback()
	n.rng = rand.New(rand.NewPCG(net.Seed, 0x6c6561726e))
	if n.Core, err = emulator.New(im); err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	if frozen {
		if err := n.SetRates(1, false); err != nil {
			return nil, err
		}
	}
	n.counts = make([]int, n.Out.Count)
	return n, nil
}

// readFeedback reads the output->hidden burst weights (w << wexp, acca LSB)
// from the image's burst rows, for the credit measure.
func (n *Net) readFeedback() {
	im := n.Image
	n.fb = make([][]float64, n.Out.Count)
	for k := range n.Out.Count {
		n.fb[k] = make([]float64, n.Hid.Count)
		bf := im.Burst.BFanout[n.Out.First+k]
		for a := bf.BoBase; a < bf.BoBase+bf.BoCnt; a++ {
			s := im.Syn[a]
			if j := int(s.Tgt) - n.Hid.First; j >= 0 && j < n.Hid.Count && int(im.Meta.SynProj[a]) == n.fbProj {
				n.fb[k][j] = float64(int32(s.W) << s.WExp)
			}
		}
	}
}

// Repeat returns d taken k times (d itself for k <= 1).
func (d *Dataset) Repeat(k int) *Dataset {
	if k <= 1 {
		return d
	}
	r := &Dataset{Classes: d.Classes}
	for range k {
		r.X, r.Y = append(r.X, d.X...), append(r.Y, d.Y...)
	}
	return r
}
