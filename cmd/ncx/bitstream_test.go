package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestBitstreamFindsTheSourceTree(t *testing.T) {
	root, err := findRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := filepath.Abs("../.."); root != want {
		t.Fatalf("root %s, want %s", root, want)
	}
	if _, errOut, code := ncx(t, "bitstream", "--root", t.TempDir()); code != exitBadInput || !strings.Contains(errOut, bitstreamScript) {
		t.Fatalf("bitstream outside the tree: exit %d: %s", code, errOut)
	}
}
