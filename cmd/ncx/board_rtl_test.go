package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/rtlboard"
	"github.com/ncx-project/ncx/run/emulate/emulatetest"
)

// --rtl serves a board with its power-on memories; asking it to preload an
// image is a usage error, not a silently ignored flag; so is a board top
// that does not exist.
func TestBoardSimRTLRejectsPreload(t *testing.T) {
	img := filepath.Join(t.TempDir(), "x.ncx")
	if err := core.WriteImage(img, emulatetest.Image()); err != nil {
		t.Fatal(err)
	}
	for args, want := range map[string]string{
		"board sim --rtl " + img:                     "--rtl serves an ncx-core board with cleared memories",
		"board sim --rtl --target neurocorex " + img: "--rtl serves NeuroCoreX with its power-on memories",
		"board sim --rtl --board arty":               `--board "arty": want icebreaker or cmoda7`,
	} {
		_, stderr, code := ncx(t, strings.Fields(args)...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// The --profile help names each board top's default from rtlboard, the
// one place that decides it.
func TestBoardSimProfileHelp(t *testing.T) {
	stdout, stderr, code := ncx(t, "board", "sim", "--help")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, b := range rtlboard.Boards {
		p, err := rtlboard.BoardProfile(b)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stdout, p.Name+" on "+b) {
			t.Errorf("help does not say %q:\n%s", p.Name+" on "+b, stdout)
		}
	}
}

// TestBoardSimRTLCMODA7 is the CMod A7 top through the CLI: "ncx board sim
// --rtl --board cmoda7" serves the Verilated ncx_cmoda7 (a7 profile) on a
// pseudo-terminal, ncx flash and ncx run talk to it through its UART pins,
// and the run's spikes and step cycles equal ncx emulate's.
func TestBoardSimRTLCMODA7(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "small.ncx")
	if _, errOut, code := ncx(t, "compile", "../../examples/small.yaml", "--target", "a7", "-o", img); code != exitOK {
		t.Fatalf("compile: exit %d: %s", code, errOut)
	}
	path, _, stop, err := boardSim(t, &BoardSimOptions{Target: targetNCX, RTL: true, Board: rtlboard.BoardCMODA7}, 10*time.Minute)
	if errors.Is(err, rtlboard.ErrNoVerilator) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatalf("board sim did not start: %v", err)
	}
	defer stop()
	boardOut, emuOut := flashRunEmulate(t, img, path, "200", "on the CMod A7 top")
	spikes := mustRead(t, filepath.Join(boardOut, "spikes.csv"))
	if !bytes.Equal(spikes, mustRead(t, filepath.Join(emuOut, "spikes.csv"))) {
		t.Fatal("spikes.csv from the CMod A7 top differs from the emulator's")
	}
	// the board reports cycles and spikes per step, not the synapse event counts
	if !bytes.Equal(columns(mustRead(t, filepath.Join(boardOut, "cycles.csv")), 3), columns(mustRead(t, filepath.Join(emuOut, "cycles.csv")), 3)) {
		t.Fatal("step cycles from the CMod A7 top differ from the emulator's")
	}
	if lines := bytes.Count(spikes, []byte("\n")); lines < 10 {
		t.Fatalf("only %d spike lines: the comparison proves little", lines)
	}
}
