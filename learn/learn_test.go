package learn

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"testing"
)

// TestXORLearns trains XOR on one fixed seed, on-core.
func TestXORLearns(t *testing.T) {
	cfg := XORConfig{Seeds: []uint64{3}, Epochs: 10}
	if testing.Short() {
		cfg.Epochs = 6
	}
	r, err := RunXOR(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logText(t, r)
	if r.Mean < 0.75 {
		t.Fatalf("xor accuracy %.3f, want >= 0.75", r.Mean)
	}
}

// TestDigitsLearns trains on a subset of the digits with BDSP in both
// layers, same code path as RunDigits, and asserts accuracy well above
// chance.
func TestDigitsLearns(t *testing.T) {
	cfg := DigitsConfig{DataPath: "../" + DefaultDigitsPath, Epochs: 1, TrainLimit: 300, TestLimit: 100, SkipFrozen: true, SkipFloat: true}
	r, err := RunDigits(cfg)
	if err != nil {
		t.Fatal(err)
	}
	logText(t, r)
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	chance := 1 / 10.0
	if r.OnCoreTest < 4*chance {
		t.Fatalf("on-core test accuracy %.3f, want > %.3f (4x chance)", r.OnCoreTest, 4*chance)
	}
}

// TestHiddenCredit checks that hidden-layer BDSP moves the input->hidden
// weights in the direction the output error asks for, sent back through the
// fixed burst feedback (feedback alignment): the cosine between the weight
// change made by the core and Σ (Yᵀ(t − e))·xᵀ must be well above what an
// unrelated change gives (about 1/√(weights)), and the plastic network must
// not do worse than the frozen one on the same subset by more than the
// binomial noise of the test set.
func TestHiddenCredit(t *testing.T) {
	d, err := LoadDigits("../" + DefaultDigitsPath)
	if err != nil {
		t.Fatal(err)
	}
	train, test := d.Split(0, 0.8)
	train, test = train.Head(300), test.Head(150)
	acc := map[bool]float64{}
	for _, frozen := range []bool{false, true} {
		cfg := DefaultDigitsNet()
		cfg.FrozenHidden = frozen
		n, err := BuildNet(cfg)
		if err != nil {
			t.Fatal(err)
		}
		st, err := Train(n, train, test, 1, 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := st[0]
		acc[frozen] = s.TestAcc
		t.Logf("frozen=%v: test %.3f, hidden weights %.2f±%.2f, moved %.2f LSB rms, credit cosine %+.3f",
			frozen, s.TestAcc, s.HidWMean, s.HidWStd, s.HidWMove, s.HidCredit)
		if frozen {
			if s.HidWMove != 0 {
				t.Fatalf("frozen hidden layer moved by %.3f", s.HidWMove)
			}
			continue
		}
		floor := 5 / math.Sqrt(float64(cfg.Inputs*cfg.Hidden))
		if s.HidCredit < floor {
			t.Fatalf("credit cosine %.3f, want > %.3f (5/sqrt(#weights))", s.HidCredit, floor)
		}
	}
	p := acc[true]
	margin := 2 * math.Sqrt(p*(1-p)/float64(test.Len()))
	if acc[false] < p-margin {
		t.Fatalf("hidden learning %.3f, frozen %.3f: worse by more than 2 standard errors (%.3f)", acc[false], p, margin)
	}
}

func TestXORAllSeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("10 seeds")
	}
	r, err := RunXOR(XORConfig{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	logText(t, r)
	// docs/learning.md: mean 0.998, min 0.975 over seeds 0..9
	if r.Mean < 0.95 || r.Min < 0.75 {
		t.Fatalf("xor accuracy over %d seeds: mean %.3f (want >= 0.95), min %.3f (want >= 0.75)", len(r.Seeds), r.Mean, r.Min)
	}
}

// BenchmarkDigitsEpoch is one on-core training epoch over the 1,437
// training digits (no evaluation).
func BenchmarkDigitsEpoch(b *testing.B) {
	d, err := LoadDigits("../" + DefaultDigitsPath)
	if err != nil {
		b.Fatal(err)
	}
	train, _ := d.Split(0, 0.8)
	n, err := BuildNet(DefaultDigitsNet())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	steps, c0 := 0, n.Cycles()
	for range b.N {
		s0 := n.Steps()
		for i := range train.Len() {
			n.TrainSample(train.X[i], train.Y[i])
		}
		steps += n.Steps() - s0
	}
	b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
	b.ReportMetric(float64(n.Cycles()-c0)/float64(steps), "cycles/step")
}

// logText logs r's WriteText table.
func logText(t *testing.T, r interface{ WriteText(io.Writer) error }) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	t.Log(buf.String())
}
