package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCompileNeuroCoreX: --target neurocorex compiles for the description's
// profile and reports the NeuroCoreX lowering with the spike-count
// agreement; a network NeuroCoreX cannot represent is refused before the
// image is written.
func TestCompileNeuroCoreX(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "nx.ncx")
	out, errOut, code := ncx(t, "compile", filepath.Join("..", "..", "examples", "neurocorex.yaml"), "--target", "neurocorex", "-o", img)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"NeuroCoreX lowering", "latency: input released in step k", "spike-count agreement over 60 steps: LIF spikes 48 on the ncx-core emulator, 53 on the NeuroCoreX model"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	mustRead(t, img)
	bad := filepath.Join(dir, "small.ncx")
	_, errOut, code = ncx(t, "compile", filepath.Join("..", "..", "examples", "small.yaml"), "--target", "neurocorex", "-o", bad)
	if code != exitBadInput || !strings.Contains(errOut, "not representable on NeuroCoreX") {
		t.Fatalf("small.yaml: exit %d: %s", code, errOut)
	}
	assertNoEntry(t, bad)
}
