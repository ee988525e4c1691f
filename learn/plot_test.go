package learn

import (
	"image/png"
	"math/rand/v2"
	"os"
	"testing"
)

// syntheticSeeds is a seeds result with made-up curves, for the figure tests.
func syntheticSeeds(seeds, epochs int) *Seeds {
	rng := rand.New(rand.NewPCG(1, 2))
	r := &Seeds{}
	for s := range seeds {
		run := Result{Name: "digits", Epochs: epochs, Seed: uint64(s)}
		for e := range epochs {
			base := 0.95 - 0.1/float64(e+1)
			st := EpochStats{Epoch: e + 1, TestAcc: base + 0.01*rng.NormFloat64(), BurstTarget: 0.7, BurstOther: 0.45}
			st.Diag.Hid[PhaseTeach] = LayerDiag{Events: 100, Bursts: 53}
			st.Diag.Hid[PhaseForward] = LayerDiag{Events: 100, Bursts: 60}
			run.OnCore = append(run.OnCore, st)
			fr := st
			fr.TestAcc -= 0.04
			run.Frozen = append(run.Frozen, fr)
		}
		run.OnCoreTest, run.FrozenTest = run.OnCore[epochs-1].TestAcc, run.Frozen[epochs-1].TestAcc
		run.Float, run.FloatFrozen = &MLPResult{Epochs: 30, TestAcc: 0.985}, &MLPResult{Epochs: 30, TestAcc: 0.935}
		r.Runs = append(r.Runs, run)
	}
	r.summarise()
	return r
}

// TestPlotSeeds draws the seeds figures and checks that they are PNGs
// with room for the legend strip below the axes.
func TestPlotSeeds(t *testing.T) {
	dir := t.TempDir()
	if d := os.Getenv("LEARN_PLOT_DIR"); d != "" {
		dir = d
	}
	figs, err := plotSeeds(syntheticSeeds(5, 10), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 3 {
		t.Fatalf("got %d figures, want 3", len(figs))
	}
	for _, f := range figs {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(fh)
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if cfg.Height <= cfg.Width/2 {
			t.Fatalf("%s: %dx%d, want the legend strip below the axes", f, cfg.Width, cfg.Height)
		}
	}
}
