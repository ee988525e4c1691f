package learn

import (
	"encoding/json"
	"os"
	"testing"
)

// TestFullRuns is the full digits and XOR runs behind the figures of
// docs/learning.md. It runs only with LEARN_FULL=<output dir>:
//
//	LEARN_FULL=figures go test -run TestFullRuns -v -timeout 30m ./learn
func TestFullRuns(t *testing.T) {
	dir := os.Getenv("LEARN_FULL")
	if dir == "" {
		t.Skip("set LEARN_FULL=<dir> to run the full demos")
	}
	x, err := RunXOR(XORConfig{OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	x.WriteText(os.Stdout)
	d, err := RunDigits(DigitsConfig{DataPath: "../" + DefaultDigitsPath, Epochs: 10, OutDir: dir, Progress: os.Stdout})
	if err != nil {
		t.Fatal(err)
	}
	d.WriteText(os.Stdout)
	js, _ := json.MarshalIndent(map[string]any{"xor": x, "digits": d}, "", " ")
	if err := os.WriteFile(dir+"/results.json", js, 0o644); err != nil {
		t.Fatal(err)
	}
}
