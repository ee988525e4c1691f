package learn

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncx-project/ncx/data"
	"github.com/ncx-project/ncx/network"
)

// DefaultDigitsPath is the repository's copy of the 8x8 digits, relative to
// the repository root; ncx itself reads the copy built into it (package data,
// BuiltinDigitsTask).
const DefaultDigitsPath = data.DigitsFile

// BuiltinDigitsTask is DigitsTask for the digits built into ncx: pass the
// returned file content to ParseTask or BuildNet.
func BuiltinDigitsTask() (Task, []byte) {
	t := DigitsTask(filepath.Base(data.DigitsFile))
	t.File, t.Dir = filepath.Base(data.DigitsFile), ""
	return t, data.Digits()
}

// digitsTrain is the training fraction that gives the 1,437 / 360 split of
// the 1,797 digits (network.Split rounds train·n).
const digitsTrain = 0.7997

// DigitsTask is the 8x8 digits task: the file at path (64 pixels 0..16 and
// the label per row), split 1,437 / 360 with seed 0, 15 epochs.
func DigitsTask(path string) Task {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return Task{Name: "digits", Dataset: "digits", File: abs, Dir: filepath.Dir(abs), Features: 64, Classes: 10, Scale: 16,
		Train: digitsTrain, Epochs: 15, EvalSet: network.EvalTest}
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
	// A 60-step teaching phase (3x the hidden units' teaching-phase events,
	// the only ones that carry the fed-back error) and 10 evaluation
	// presentations of each test sample: docs/learning.md, "Levers".
	c.TeachSteps, c.EvalRepeats = 60, 10
	// 15 epochs, rates halved every 5 (aplus 4, 2, 1; input trace 16, 8,
	// 4): 5 epochs at the full rates instead of 3, where the hidden layer
	// learns most (docs/learning.md, "Levers").
	c.RateHalving = 5
	// Fraction bits on both BDSP rules: hidden-layer updates are ~0.1 LSB
	// per event, and rounding each to 0 or ±1 added noise about seven times
	// that of the stochastic bursts (spec section 8.4, docs/learning.md).
	c.Fraction = true
	return c
}

// xorPop is the number of input neurons per XOR rate population.
const xorPop = 8

// XORCSV is the XOR dataset: the four patterns, each feature coded by two
// populations of xorPop neurons at rates x and 1 − x, then the label.
func XORCSV() []byte {
	var b bytes.Buffer
	b.WriteString("# XOR: features a (8 columns), 1-a (8), b (8), 1-b (8), then the label a xor b\n")
	for _, p := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}} {
		for _, f := range p {
			for _, v := range []int{f, 1 - f} {
				for range xorPop {
					fmt.Fprintf(&b, "%d,", v)
				}
			}
		}
		fmt.Fprintf(&b, "%d\n", p[0]^p[1])
	}
	return b.Bytes()
}

// XORTask is the XOR task: 20 epochs of 10 presentations of each pattern,
// evaluated on 10 copies of the four patterns. The dataset file is
// data/xor.csv relative to dir (examples/ holds it).
func XORTask(dir string) Task {
	return Task{Name: "xor", Dataset: "xor", File: "data/xor.csv", Dir: dir, Features: 4 * xorPop, Classes: 2, Scale: 1,
		Train: 1, Epochs: 20, Repeat: 10, EvalSet: network.EvalTrain, EvalCopies: 10}
}

// DefaultXORNet is the network of the XOR demo.
func DefaultXORNet() NetConfig {
	c := DefaultNetConfig()
	c.Inputs, c.Hidden, c.Outputs = 4*xorPop, 32, 2
	return c
}

// ParseTask renders cfg for task t and parses it. When data is not nil it is
// the dataset file's content: it is written to a temporary directory for the
// parse (the parsed network holds the samples) and removed.
func ParseTask(cfg NetConfig, t Task, data []byte) (*network.Network, error) {
	if data != nil {
		dir, err := os.MkdirTemp("", "ncx-learn-")
		if err != nil {
			return nil, fmt.Errorf("learn: %w", err)
		}
		defer os.RemoveAll(dir)
		t.Dir = dir
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(t.File)), 0o755); err != nil {
			return nil, fmt.Errorf("learn: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, t.File), data, 0o644); err != nil {
			return nil, fmt.Errorf("learn: %w", err)
		}
	}
	net, err := network.Parse(cfg.YAML(t), filepath.Join(t.Dir, t.Name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	return net, nil
}
