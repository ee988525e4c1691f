package learn

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestFullRuns is the full digits and XOR runs behind the figures of
// docs/learning.md. It runs only with LEARN_FULL=<output dir> (relative to
// learn/):
//
//	LEARN_FULL=figures go test -run TestFullRuns -v -timeout 30m ./learn
//
// LEARN_FULL_ONLY=xor or =digits runs one of the two and leaves the other's
// entry of results.json as it was.
func TestFullRuns(t *testing.T) {
	dir := os.Getenv("LEARN_FULL")
	if dir == "" {
		t.Skip("set LEARN_FULL=<dir> to run the full demos")
	}
	only := os.Getenv("LEARN_FULL_ONLY")
	res := map[string]any{}
	if prev, err := os.ReadFile(filepath.Join(dir, "results.json")); err == nil && only != "" {
		_ = json.Unmarshal(prev, &res)
	}
	if only == "" || only == "xor" {
		x, err := RunXOR(XORConfig{OutDir: dir, CompareFrozen: true})
		if err != nil {
			t.Fatal(err)
		}
		x.WriteText(os.Stdout)
		res["xor"] = x
	}
	if only == "" || only == "digits" {
		d, err := RunDigits(DigitsConfig{DataPath: "../" + DefaultDigitsPath, Epochs: 10, OutDir: dir, Progress: os.Stdout})
		if err != nil {
			t.Fatal(err)
		}
		d.WriteText(os.Stdout)
		res["digits"] = d
	}
	if _, err := WriteResultsJSON(dir, res); err != nil {
		t.Fatal(err)
	}
}

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
	n, err := BuildNet(LegacyDigitsNet())
	if err != nil {
		t.Fatal(err)
	}
	after := DriftCurve(n, train, before[len(before)-1].Sample, before[0].Sample)
	t.Logf("mean weight after %d samples: before %.2f, after %.2f LSB", after[len(after)-1].Sample, before[len(before)-1].WMean, after[len(after)-1].WMean)
	if _, err := PlotDrift(dir, before, after); err != nil {
		t.Fatal(err)
	}
}
