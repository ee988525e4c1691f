package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/run/emulate/emulatetest"
)

// --rtl serves a board with cleared memories; asking it to preload an image
// (or to be a NeuroCoreX) is a usage error, not a silently ignored flag.
func TestBoardSimRTLRejectsPreload(t *testing.T) {
	img := filepath.Join(t.TempDir(), "x.ncx")
	if err := core.WriteImage(img, emulatetest.Image()); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"board", "sim", "--rtl", img},
		{"board", "sim", "--rtl", "--target", "neurocorex"},
	} {
		_, stderr, code := ncx(t, args...)
		if code != 2 || !strings.Contains(stderr, "--rtl serves an ncx-core board with cleared memories") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
