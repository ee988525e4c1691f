package learn

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"
)

// NeuroCoreXDigits is the published test accuracy of NeuroCoreX on the 8x8
// digits (about 68 %), the number this demo is compared against.
const NeuroCoreXDigits = 0.68

// DigitsConfig configures RunDigits. Zero fields take defaults.
type DigitsConfig struct {
	DataPath    string    `json:"data_path"`  // digits.csv.gz; default DefaultDigitsPath
	SplitSeed   uint64    `json:"split_seed"` // PCG(SplitSeed, 0) Fisher-Yates, 80/20
	Epochs      int       `json:"epochs"`
	TrainLimit  int       `json:"train_limit"` // first n training samples (0: all 1437)
	TestLimit   int       `json:"test_limit"`  // first n test samples (0: all 360)
	Net         NetConfig `json:"net"`
	SkipFrozen  bool      `json:"skip_frozen"`  // no frozen-hidden spiking run
	SkipFloat   bool      `json:"skip_float"`   // no float backprop reference
	FloatEpochs int       `json:"float_epochs"` // default 30
	OutDir      string    `json:"out_dir"`      // figures are written here when set
	Progress    io.Writer `json:"-"`            // one line per epoch when set
}

// DefaultDigitsNet is the spiking network of the digits demo.
func DefaultDigitsNet() NetConfig {
	c := DefaultNetConfig()
	c.Hidden = 150
	// Ensembles of 2 burst units per hidden feature (shared initial input
	// and feedback weights), 4x stronger burst feedback (fb_wexp 3 -> 5)
	// and a 4x larger hidden learning rate (input tr_inc 4 -> 16, annealed
	// 16 -> 8 -> 4 -> 2): see docs/learning.md, "Ensembles".
	c.Ensemble, c.FbWExp, c.InTrInc = 2, 5, 16
	return c
}

// DigitsResult is everything RunDigits measured.
type DigitsResult struct {
	Config       DigitsConfig `json:"config"`
	TrainSamples int          `json:"train_samples"`
	TestSamples  int          `json:"test_samples"`
	OnCore       []EpochStats `json:"on_core"`
	OnCoreTest   float64      `json:"on_core_test"`
	Frozen       []EpochStats `json:"frozen_hidden,omitempty"`
	FrozenTest   float64      `json:"frozen_hidden_test"`
	Float        *MLPResult   `json:"float_backprop,omitempty"`
	FloatFrozen  *MLPResult   `json:"float_frozen_hidden,omitempty"`
	NeuroCoreX   float64      `json:"neurocorex"`
	Synapses     int          `json:"synapses"`
	Neurons      int          `json:"neurons"`
	Steps        int          `json:"steps"` // core steps of the on-core training run
	Cycles       uint64       `json:"cycles"`
	WallSec      float64      `json:"wall_sec"` // on-core run: training and per-epoch evaluation
	StepsPerSec  float64      `json:"steps_per_sec"`
	Figures      []string     `json:"figures,omitempty"`
}

// RunDigits trains the burst network on the digits on-core and measures the
// references next to it.
func RunDigits(cfg DigitsConfig) (DigitsResult, error) {
	if cfg.DataPath == "" {
		cfg.DataPath = DefaultDigitsPath
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 10
	}
	if cfg.FloatEpochs == 0 {
		cfg.FloatEpochs = 30
	}
	if cfg.Net.Inputs == 0 && cfg.Net.Hidden == 0 {
		cfg.Net = DefaultDigitsNet()
	}
	cfg.Net.Inputs, cfg.Net.Outputs = 64, 10
	cfg.Net.fill()
	d, err := LoadDigits(cfg.DataPath)
	if err != nil {
		return DigitsResult{}, err
	}
	train, test := d.Split(cfg.SplitSeed, 0.8)
	train, test = train.Head(cfg.TrainLimit), test.Head(cfg.TestLimit)
	res := DigitsResult{Config: cfg, TrainSamples: train.Len(), TestSamples: test.Len(), NeuroCoreX: NeuroCoreXDigits}

	var wg sync.WaitGroup
	var errFrozen error
	if !cfg.SkipFrozen {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fc := cfg.Net
			fc.FrozenHidden = true
			n, err := BuildNet(fc)
			if err != nil {
				errFrozen = err
				return
			}
			res.Frozen, errFrozen = Train(n, train, test, cfg.Epochs, cfg.Net.Seed+1, nil)
			if len(res.Frozen) > 0 {
				res.FrozenTest = res.Frozen[len(res.Frozen)-1].TestAcc
			}
		}()
	}
	n, err := BuildNet(cfg.Net)
	if err != nil {
		return res, err
	}
	res.Synapses, res.Neurons = len(n.Image.Syn), n.Image.NumNeurons
	t0 := time.Now()
	res.OnCore, err = Train(n, train, test, cfg.Epochs, cfg.Net.Seed+1, func(s EpochStats) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "digits epoch %d: train %.3f test %.3f (%.1f s)\n", s.Epoch, s.TrainAcc, s.TestAcc, s.WallSec)
		}
	})
	res.WallSec = time.Since(t0).Seconds()
	if err != nil {
		return res, err
	}
	res.OnCoreTest = res.OnCore[len(res.OnCore)-1].TestAcc
	for _, s := range res.OnCore {
		res.Steps += s.Steps
	}
	res.Cycles = n.Cycles()
	if res.WallSec > 0 {
		res.StepsPerSec = float64(res.Steps) / res.WallSec
	}
	if !cfg.SkipFloat {
		f := TrainMLP(train, test, cfg.Net.Hidden, cfg.FloatEpochs, 0.5, false, cfg.Net.Seed)
		ff := TrainMLP(train, test, cfg.Net.Hidden, cfg.FloatEpochs, 0.5, true, cfg.Net.Seed)
		res.Float, res.FloatFrozen = &f, &ff
	}
	wg.Wait()
	if errFrozen != nil {
		return res, errFrozen
	}
	if cfg.OutDir != "" {
		figs, err := plotDigits(&res, cfg.OutDir)
		if err != nil {
			return res, err
		}
		res.Figures = figs
	}
	return res, nil
}

// WriteText writes the result as a short human-readable table.
func (r DigitsResult) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	n := r.Config.Net
	ew.printf("digits 8x8: %d train / %d test (split seed %d), %d-%d-%d burst network, %d epochs, profile %s\n",
		r.TrainSamples, r.TestSamples, r.Config.SplitSeed, n.Inputs, n.Hidden, n.Outputs, r.Config.Epochs, n.Profile)
	ew.printf("  %-34s %7s\n", "model", "test")
	main := "on-core BDSP, both layers plastic"
	if n.FrozenHidden {
		main = "on-core BDSP, hidden frozen"
	}
	ew.printf("  %-34s %6.1f%%\n", main, 100*r.OnCoreTest)
	if r.Frozen != nil {
		ew.printf("  %-34s %6.1f%%\n", "on-core BDSP, hidden frozen", 100*r.FrozenTest)
	}
	if r.Float != nil {
		ew.printf("  %-34s %6.1f%%\n", fmt.Sprintf("float backprop (%d epochs)", r.Float.Epochs), 100*r.Float.TestAcc)
		ew.printf("  %-34s %6.1f%%\n", "float, hidden frozen", 100*r.FloatFrozen.TestAcc)
	}
	ew.printf("  %-34s %6.1f%%\n", "NeuroCoreX (published)", 100*r.NeuroCoreX)
	ew.printf("  on-core run: %d neurons, %d synapse words, %d steps, %d cycles, %.1f s wall, %.0f steps/s\n",
		r.Neurons, r.Synapses, r.Steps, r.Cycles, r.WallSec, r.StepsPerSec)
	for _, s := range r.OnCore {
		ew.printf("  epoch %2d  train %.3f  test %.3f  output bursts target %.2f other %.2f  pbar target %.2f other %.2f  w(in->hid) %+.1f±%.1f moved %.1f credit %+.3f\n",
			s.Epoch, s.TrainAcc, s.TestAcc, s.BurstTarget, s.BurstOther, s.PBarTarget, s.PBarOther,
			s.HidWMean, s.HidWStd, s.HidWMove, s.HidCredit)
	}
	for _, f := range r.Figures {
		ew.printf("  wrote %s\n", filepath.Clean(f))
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
