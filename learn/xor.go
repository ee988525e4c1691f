package learn

import (
	"fmt"
	"io"
	"strings"
)

// XORConfig configures RunXOR. Zero fields take defaults.
type XORConfig struct {
	Seeds      []uint64  `json:"seeds"`       // default 0..9
	Epochs     int       `json:"epochs"`      // default 20
	PerEpoch   int       `json:"per_epoch"`   // presentations of each pattern per epoch, default 10
	EvalRepeat int       `json:"eval_repeat"` // test presentations of each pattern, default 10
	PopSize    int       `json:"pop_size"`    // neurons per input population, default 8
	Net        NetConfig `json:"net"`
	OutDir     string    `json:"out_dir"`
	// CompareFrozen also trains every seed with the hidden layer frozen.
	CompareFrozen bool `json:"compare_frozen"`
}

// XORSeed is the run of one seed.
type XORSeed struct {
	Seed     uint64    `json:"seed"`
	Accuracy float64   `json:"accuracy"`
	Curve    []float64 `json:"curve"` // accuracy after each epoch
}

// XORResult summarises RunXOR.
type XORResult struct {
	Config XORConfig `json:"config"`
	Seeds  []XORSeed `json:"seeds"`
	Mean   float64   `json:"mean"`
	Min    float64   `json:"min"`
	// The same seeds with the hidden layer frozen (CompareFrozen).
	FrozenSeeds []XORSeed `json:"frozen_seeds,omitempty"`
	FrozenMean  float64   `json:"frozen_mean,omitempty"`
	FrozenMin   float64   `json:"frozen_min,omitempty"`
	Figures     []string  `json:"figures,omitempty"`
}

// XORData is the four XOR patterns, each feature encoded by two input
// populations of m neurons: one at rate x, one at rate 1 − x.
func XORData(m int) *Dataset {
	d := &Dataset{Classes: 2}
	for _, p := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
		x := make([]float64, 0, 4*m)
		for _, f := range p {
			for range m {
				x = append(x, float64(f))
			}
			for range m {
				x = append(x, float64(1-f))
			}
		}
		d.X = append(d.X, x)
		d.Y = append(d.Y, p[0]^p[1])
	}
	return d
}

// DefaultXORNet is the network of the XOR demo.
func DefaultXORNet() NetConfig {
	c := DefaultDigitsNet()
	c.Hidden, c.Outputs = 32, 2
	// no ensembles: with 32 random hidden units XOR is solved by the output layer
	d := DefaultNetConfig()
	c.Ensemble, c.FbWExp, c.InTrInc = d.Ensemble, d.FbWExp, d.InTrInc
	return c
}

// RunXOR trains one network per seed on XOR, on-core with BDSP.
func RunXOR(cfg XORConfig) (XORResult, error) {
	if cfg.Seeds == nil {
		for s := range uint64(10) {
			cfg.Seeds = append(cfg.Seeds, s)
		}
	}
	if cfg.Epochs == 0 {
		cfg.Epochs = 20
	}
	if cfg.PerEpoch == 0 {
		cfg.PerEpoch = 10
	}
	if cfg.EvalRepeat == 0 {
		cfg.EvalRepeat = 10
	}
	if cfg.PopSize == 0 {
		cfg.PopSize = 8
	}
	if cfg.Net.Hidden == 0 {
		cfg.Net = DefaultXORNet()
	}
	cfg.Net.Inputs, cfg.Net.Outputs = 4*cfg.PopSize, 2
	cfg.Net.fill()
	data := XORData(cfg.PopSize)
	var train, test Dataset
	test.Classes, train.Classes = 2, 2
	for range cfg.EvalRepeat {
		test.X, test.Y = append(test.X, data.X...), append(test.Y, data.Y...)
	}
	for range cfg.PerEpoch {
		train.X, train.Y = append(train.X, data.X...), append(train.Y, data.Y...)
	}
	res := XORResult{Config: cfg}
	var err error
	if res.Seeds, res.Mean, res.Min, err = xorSeeds(cfg, cfg.Net, &train, &test); err != nil {
		return res, err
	}
	if cfg.CompareFrozen && !cfg.Net.FrozenHidden {
		fc := cfg.Net
		fc.FrozenHidden = true
		if res.FrozenSeeds, res.FrozenMean, res.FrozenMin, err = xorSeeds(cfg, fc, &train, &test); err != nil {
			return res, err
		}
	}
	if cfg.OutDir != "" {
		f, err := plotXOR(&res, cfg.OutDir)
		if err != nil {
			return res, err
		}
		res.Figures = f
	}
	return res, nil
}

func xorSeeds(cfg XORConfig, net NetConfig, train, test *Dataset) (seeds []XORSeed, mean, mn float64, err error) {
	mn = 1
	for _, seed := range cfg.Seeds {
		nc := net
		nc.Seed = seed
		n, err := BuildNet(nc)
		if err != nil {
			return nil, 0, 0, err
		}
		st, err := Train(n, train, test, cfg.Epochs, seed^0x786f72, nil)
		if err != nil {
			return nil, 0, 0, err
		}
		s := XORSeed{Seed: seed}
		for _, e := range st {
			s.Curve = append(s.Curve, e.TestAcc)
		}
		s.Accuracy = s.Curve[len(s.Curve)-1]
		seeds = append(seeds, s)
		mean += s.Accuracy / float64(len(cfg.Seeds))
		mn = min(mn, s.Accuracy)
	}
	return seeds, mean, mn, nil
}

// WriteText writes the result as a short table.
func (r XORResult) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	n := r.Config.Net
	ew.printf("xor: %d-%d-%d burst network, %d epochs of %d presentations, %d seeds\n",
		n.Inputs, n.Hidden, n.Outputs, r.Config.Epochs, 4*r.Config.PerEpoch, len(r.Seeds))
	line := func(name string, seeds []XORSeed, mean, mn float64) {
		accs := make([]string, 0, len(seeds))
		for _, s := range seeds {
			accs = append(accs, fmt.Sprintf("%d:%.2f", s.Seed, s.Accuracy))
		}
		ew.printf("  %-15s accuracy mean %.3f min %.3f  (%s)\n", name, mean, mn, strings.Join(accs, " "))
	}
	main := "hidden plastic"
	if n.FrozenHidden {
		main = "hidden frozen"
	}
	line(main, r.Seeds, r.Mean, r.Min)
	if r.FrozenSeeds != nil {
		line("hidden frozen", r.FrozenSeeds, r.FrozenMean, r.FrozenMin)
	}
	for _, f := range r.Figures {
		ew.printf("  wrote %s\n", f)
	}
	return ew.err
}
