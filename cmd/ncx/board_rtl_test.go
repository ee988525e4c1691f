package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/run/emulate/emulatetest"
)

// --rtl serves a board with its power-on memories; asking it to preload an
// image is a usage error, not a silently ignored flag.
func TestBoardSimRTLRejectsPreload(t *testing.T) {
	img := filepath.Join(t.TempDir(), "x.ncx")
	if err := core.WriteImage(img, emulatetest.Image()); err != nil {
		t.Fatal(err)
	}
	for args, want := range map[string]string{
		"board sim --rtl " + img:                     "--rtl serves an ncx-core board with cleared memories",
		"board sim --rtl --target neurocorex " + img: "--rtl serves NeuroCoreX with its power-on memories",
	} {
		_, stderr, code := ncx(t, strings.Fields(args)...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}
