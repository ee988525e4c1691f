package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileOutputsAllOrNothing: when --mem-dir or --report cannot be
// written, the image is not written either; when all can, all are.
func TestCompileOutputsAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "small.ncx")
	for _, args := range [][]string{
		{"--mem-dir", filepath.Join(blocker, "mem")},
		{"--report", filepath.Join(blocker, "report.json")},
	} {
		_, errOut, code := ncx(t, append([]string{"compile", "../../examples/small.yaml", "-o", img}, args...)...)
		if code == exitOK {
			t.Fatalf("%v: exit 0", args)
		}
		if _, err := os.Stat(img); !os.IsNotExist(err) {
			t.Fatalf("%v failed (%s) but the image was written", args, errOut)
		}
	}
	mem, rep := filepath.Join(dir, "mem"), filepath.Join(dir, "report.json")
	if _, errOut, code := ncx(t, "compile", "../../examples/small.yaml", "-o", img, "--mem-dir", mem, "--report", rep); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, p := range []string{img, rep, filepath.Join(mem, "syn.mem"), filepath.Join(mem, "num_neurons.mem")} {
		if _, err := os.Stat(p); err != nil {
			t.Fatal(err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
	if len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// TestCompileLossy: a weight the voltage scale cannot hold is bad input
// unless --allow-loss.
func TestCompileLossy(t *testing.T) {
	src, err := os.ReadFile("../../examples/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(string(src), "weight: 4}", "weight: 1e308}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, code := ncx(t, "compile", path, "-o", filepath.Join(dir, "a.ncx")); code != exitBadInput {
		t.Fatalf("lossy network: exit %d, want %d", code, exitBadInput)
	}
	if _, errOut, code := ncx(t, "compile", path, "-o", filepath.Join(dir, "b.ncx"), "--allow-loss"); code != exitOK {
		t.Fatalf("--allow-loss: exit %d: %s", code, errOut)
	}
}
