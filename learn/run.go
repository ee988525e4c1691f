package learn

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ncx-project/ncx/internal/errw"
	"github.com/ncx-project/ncx/network"
)

// NeuroCoreXDigits is the published test accuracy of NeuroCoreX on the 8x8
// digits (about 68 %), the number the digits demo is compared against.
const NeuroCoreXDigits = 0.68

// RunConfig configures Run and RunSeeds. Zero fields take the
// description's values.
type RunConfig struct {
	Epochs      int   `json:"epochs"`      // 0: the learning block's
	TrainLimit  int   `json:"train_limit"` // first n training samples (0: all)
	TestLimit   int   `json:"test_limit"`  // first n evaluation samples (0: all)
	SkipFrozen  bool  `json:"skip_frozen"` // no frozen-hidden twin
	OnlyFrozen  bool  `json:"only_frozen"` // only the frozen-hidden network
	Float       bool  `json:"float"`       // also train the float references (backprop, hidden frozen)
	FloatEpochs int   `json:"float_epochs"`
	Seeds       []int `json:"seeds"` // RunSeeds: network seeds (default: the description's)
	// Parallel runs this many seeds at once in RunSeeds (default 1); each
	// seed also trains its frozen twin in a second goroutine.
	Parallel int       `json:"parallel"`
	OutDir   string    `json:"out_dir"` // RunSeeds: figures here (the caller writes NAME_results.json)
	Progress io.Writer `json:"-"`       // one line per epoch when set
}

// Result is one seed of a learning network trained on the core, with its
// frozen-hidden twin and the float references.
type Result struct {
	Name         string       `json:"name"`
	Source       string       `json:"source"`
	Seed         uint64       `json:"seed"`
	Inputs       int          `json:"inputs"`
	Hidden       int          `json:"hidden"`
	Outputs      int          `json:"outputs"`
	Profile      string       `json:"profile"`
	Epochs       int          `json:"epochs"`
	TrainSamples int          `json:"train_samples"`
	EvalOnTrain  bool         `json:"eval_on_train"` // evaluated on the training set (XOR)
	TestSamples  int          `json:"test_samples"`
	OnCore       []EpochStats `json:"on_core,omitempty"`
	OnCoreTest   float64      `json:"on_core_test"`
	Frozen       []EpochStats `json:"frozen_hidden,omitempty"`
	FrozenTest   float64      `json:"frozen_hidden_test"`
	Float        *MLPResult   `json:"float_backprop,omitempty"`
	FloatFrozen  *MLPResult   `json:"float_frozen_hidden,omitempty"`
	Synapses     int          `json:"synapses"`
	Neurons      int          `json:"neurons"`
	Steps        int          `json:"steps"` // core steps of the on-core training run
	Cycles       uint64       `json:"cycles"`
	WallSec      float64      `json:"wall_sec"` // on-core run: training and per-epoch evaluation
	StepsPerSec  float64      `json:"steps_per_sec"`
}

// SolvedAt is the first epoch (1-based) after which the on-core test
// accuracy is 1 and stays 1, or 0.
func (r Result) SolvedAt() int {
	at := 0
	for i, s := range r.OnCore {
		switch {
		case s.TestAcc < 1:
			at = 0
		case at == 0:
			at = i + 1
		}
	}
	return at
}

// Run trains net on the core (and its frozen-hidden twin in parallel).
func Run(net *network.Network, cfg RunConfig) (Result, error) {
	res := Result{Name: net.Name, Source: net.File, Seed: net.Seed, Profile: net.Target,
		EvalOnTrain: net.Learning != nil && net.Learning.EvalSet == network.EvalTrain}
	train := func(frozen bool, out *[]EpochStats, acc *float64, main bool) error {
		n, err := NewNet(net, frozen)
		if err != nil {
			return err
		}
		tr, te := n.Train.Head(cfg.TrainLimit), n.Test.Head(cfg.TestLimit)
		epochs := cfg.Epochs
		if epochs == 0 {
			epochs = n.Proto.Epochs
		}
		t0 := time.Now()
		*out, err = Train(n, tr, te, epochs, net.Seed+1, func(s EpochStats) {
			if cfg.Progress != nil && main {
				fmt.Fprintf(cfg.Progress, "%s epoch %d: train %.3f test %.3f (%.1f s)\n", net.Name, s.Epoch, s.TrainAcc, s.TestAcc, s.WallSec)
			}
		})
		if err != nil {
			return err
		}
		*acc = (*out)[len(*out)-1].TestAcc
		if main {
			res.WallSec = time.Since(t0).Seconds()
			res.Inputs, res.Hidden, res.Outputs = n.In.Count, n.Hid.Count, n.Out.Count
			res.Epochs, res.TrainSamples, res.TestSamples = epochs, tr.Len(), te.Len()
			res.Synapses, res.Neurons = len(n.Image.Syn), n.Image.NumNeurons
			res.Profile = n.Image.Profile.Name
			for _, s := range *out {
				res.Steps += s.Steps
			}
			res.Cycles = n.Cycles()
			if res.WallSec > 0 {
				res.StepsPerSec = float64(res.Steps) / res.WallSec
			}
			if cfg.Float {
				fe := max(cfg.FloatEpochs, 1)
				if cfg.FloatEpochs == 0 {
					fe = 30
				}
				f := TrainMLP(tr, te, n.Hid.Count, fe, 0.5, false, net.Seed)
				ff := TrainMLP(tr, te, n.Hid.Count, fe, 0.5, true, net.Seed)
				res.Float, res.FloatFrozen = &f, &ff
			}
		}
		return nil
	}
	if cfg.OnlyFrozen {
		err := train(true, &res.Frozen, &res.FrozenTest, true)
		res.OnCore, res.OnCoreTest = nil, 0
		return res, err
	}
	var wg sync.WaitGroup
	var errFrozen error
	if !cfg.SkipFrozen {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errFrozen = train(true, &res.Frozen, &res.FrozenTest, false)
		}()
	}
	err := train(false, &res.OnCore, &res.OnCoreTest, true)
	wg.Wait()
	if err == nil {
		err = errFrozen
	}
	return res, err
}

// Spread summarises one number measured over several seeds.
type Spread struct {
	Mean  float64 `json:"mean"`
	SD    float64 `json:"sd"` // sample standard deviation (n − 1)
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	Count int     `json:"count"`
}

// SpreadOf is the spread of xs.
func SpreadOf(xs []float64) Spread {
	if len(xs) == 0 {
		return Spread{}
	}
	s := Spread{Count: len(xs), Min: math.Inf(1), Max: math.Inf(-1)}
	for _, x := range xs {
		s.Mean += x / float64(len(xs))
		s.Min, s.Max = min(s.Min, x), max(s.Max, x)
	}
	if len(xs) > 1 {
		v := 0.0
		for _, x := range xs {
			v += (x - s.Mean) * (x - s.Mean)
		}
		s.SD = math.Sqrt(v / float64(len(xs)-1))
	}
	return s
}

// Seeds is a learning network trained once per network seed on the same
// data split, summarised over seeds.
type Seeds struct {
	Config      RunConfig `json:"config"`
	Runs        []Result  `json:"runs"`
	Plastic     Spread    `json:"plastic"`      // final test accuracy, on-core, both layers plastic
	Frozen      Spread    `json:"frozen"`       // on-core, hidden frozen, same seeds
	Margin      Spread    `json:"margin"`       // plastic − frozen, per seed
	Float       Spread    `json:"float"`        // float backprop
	FloatFrozen Spread    `json:"float_frozen"` // float, hidden frozen
	SolvedAt    Spread    `json:"solved_at"`    // epochs until the test accuracy reaches and keeps 1 (solved seeds only)
	Solved      int       `json:"solved"`       // seeds whose final test accuracy is 1
	Figures     []string  `json:"figures,omitempty"`
}

// RunSeeds trains net once per seed of cfg.Seeds (the description's seed
// when empty) and writes the figures to cfg.OutDir when set.
func RunSeeds(net *network.Network, cfg RunConfig) (Seeds, error) {
	seeds := cfg.Seeds
	if len(seeds) == 0 {
		seeds = []int{int(net.Seed)}
	}
	res := Seeds{Config: cfg, Runs: make([]Result, len(seeds))}
	errs := make([]error, len(seeds))
	sem := make(chan struct{}, max(1, cfg.Parallel))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, seed := range seeds {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c := cfg
			if p := cfg.Progress; p != nil && len(seeds) > 1 {
				c.Progress = &prefixWriter{w: p, mu: &mu, prefix: fmt.Sprintf("seed %d: ", seed)}
			}
			sn := *net
			sn.Seed = uint64(seed)
			res.Runs[i], errs[i] = Run(&sn, c)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return res, fmt.Errorf("learn: seed %d: %w", seeds[i], err)
		}
	}
	res.summarise()
	if cfg.OutDir != "" {
		figs, err := plotSeeds(&res, cfg.OutDir)
		if err != nil {
			return res, err
		}
		res.Figures = figs
	}
	return res, nil
}

func (r *Seeds) summarise() {
	var pl, fr, mg, fl, ff, at []float64
	r.Solved = 0
	for _, run := range r.Runs {
		if run.OnCore != nil {
			pl = append(pl, run.OnCoreTest)
			if run.OnCoreTest == 1 {
				r.Solved++
				at = append(at, float64(run.SolvedAt()))
			}
		}
		if run.Frozen != nil {
			fr = append(fr, run.FrozenTest)
			if run.OnCore != nil {
				mg = append(mg, run.OnCoreTest-run.FrozenTest)
			}
		}
		if run.Float != nil {
			fl = append(fl, run.Float.TestAcc)
			ff = append(ff, run.FloatFrozen.TestAcc)
		}
	}
	r.Plastic, r.Frozen, r.Margin = SpreadOf(pl), SpreadOf(fr), SpreadOf(mg)
	r.Float, r.FloatFrozen, r.SolvedAt = SpreadOf(fl), SpreadOf(ff), SpreadOf(at)
}

// prefixWriter prefixes each write (one progress line) and serialises
// writes from parallel runs.
type prefixWriter struct {
	w      io.Writer
	mu     *sync.Mutex
	prefix string
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := io.WriteString(p.w, p.prefix); err != nil {
		return 0, err
	}
	return p.w.Write(b)
}

// WriteText writes the table of a seeds run.
func (r Seeds) WriteText(w io.Writer) error {
	ew := errw.New(w)
	if len(r.Runs) == 0 {
		return nil
	}
	a := r.Runs[0]
	ew.Printf("%s: %d-%d-%d burst network on profile %s, %d epochs, %d train / %d test samples, %d network seeds\n",
		a.Name, a.Inputs, a.Hidden, a.Outputs, a.Profile, a.Epochs, a.TrainSamples, a.TestSamples, len(r.Runs))
	var seeds []string
	for _, run := range r.Runs {
		seeds = append(seeds, fmt.Sprint(run.Seed))
	}
	ew.Printf("  %-36s %7s %6s %7s %7s   per seed (%s)\n", "final test accuracy", "mean", "sd", "worst", "best", strings.Join(seeds, ", "))
	// unit is "%" for accuracies and " " for differences in points
	row := func(name, unit string, s Spread, f func(Result) (float64, bool)) {
		if s.Count == 0 {
			return
		}
		var per []string
		for _, run := range r.Runs {
			if v, ok := f(run); ok {
				per = append(per, fmt.Sprintf("%.1f", 100*v))
			}
		}
		ew.Printf("  %-36s %6.1f%s %6.1f %6.1f%s %6.1f%s   %s\n", name, 100*s.Mean, unit, 100*s.SD, 100*s.Min, unit, 100*s.Max, unit, strings.Join(per, " "))
	}
	row("on-core BDSP, both layers plastic", "%", r.Plastic, func(d Result) (float64, bool) { return d.OnCoreTest, d.OnCore != nil })
	row("on-core BDSP, hidden frozen", "%", r.Frozen, func(d Result) (float64, bool) { return d.FrozenTest, d.Frozen != nil })
	row("plastic - frozen (points)", " ", r.Margin, func(d Result) (float64, bool) { return d.OnCoreTest - d.FrozenTest, d.Frozen != nil && d.OnCore != nil })
	if r.Float.Count > 0 {
		row(fmt.Sprintf("float backprop (%d epochs)", a.Float.Epochs), "%", r.Float, func(d Result) (float64, bool) { return d.Float.TestAcc, d.Float != nil })
		row("float, hidden frozen", "%", r.FloatFrozen, func(d Result) (float64, bool) { return d.FloatFrozen.TestAcc, d.Float != nil })
	}
	if r.Plastic.Count > 0 && (a.EvalOnTrain || r.Solved > 0) {
		ew.Printf("  solved (final test accuracy 1): %d / %d seeds", r.Solved, r.Plastic.Count)
		if r.Solved > 0 {
			ew.Printf(", solved after %.1f epochs on average (latest %.0f)", r.SolvedAt.Mean, r.SolvedAt.Max)
		}
		ew.Printf("\n")
	}
	wall, steps := 0.0, 0
	for _, run := range r.Runs {
		wall += run.WallSec
		steps += run.Steps
	}
	ew.Printf("  on-core: %d neurons, %d synapse words; %.0f s wall and %d steps per seed (training and evaluation)\n",
		a.Neurons, a.Synapses, wall/float64(len(r.Runs)), steps/len(r.Runs))
	if len(r.Runs) == 1 {
		for _, s := range a.OnCore {
			ew.Printf("  epoch %2d  train %.3f  test %.3f  output bursts target %.2f other %.2f  w(in->hid) %+.1f±%.1f moved %.1f credit %+.3f\n",
				s.Epoch, s.TrainAcc, s.TestAcc, s.BurstTarget, s.BurstOther, s.HidWMean, s.HidWStd, s.HidWMove, s.HidCredit)
		}
	}
	for _, f := range r.Figures {
		ew.Printf("  wrote %s\n", filepath.Clean(f))
	}
	return ew.Err()
}
