package learn

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPBarDrift draws figures/pbar_drift.png: the mean input->hidden weight
// over one epoch of hidden-layer BDSP with the previous engineer's
// configuration (pshift 3, input trace increment 32), before the pbar fix
// (pbar_drift_before.csv, measured at commit d3bfcfe with the same protocol)
// and now.
//
//	LEARN_FULL=figures go test -run TestPBarDrift -v ./learn
func TestPBarDrift(t *testing.T) {
	dir := os.Getenv("LEARN_FULL")
	if dir == "" {
		t.Skip("set LEARN_FULL=<dir>")
	}
	before, err := ReadDriftCSV(filepath.Join(dir, "pbar_drift_before.csv"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadDigits("../" + DefaultDigitsPath)
	if err != nil {
		t.Fatal(err)
	}
	train, _ := d.Split(0, 0.8)
	n, err := BuildNet(LegacyDigitsNet(), DigitsTask("../"+DefaultDigitsPath), nil)
	if err != nil {
		t.Fatal(err)
	}
	after := DriftCurve(n, train, before[len(before)-1].Sample, before[0].Sample)
	t.Logf("mean weight after %d samples: before %.2f, after %.2f LSB", after[len(after)-1].Sample, before[len(before)-1].WMean, after[len(after)-1].WMean)
	if _, err := PlotDrift(dir, before, after); err != nil {
		t.Fatal(err)
	}
}
