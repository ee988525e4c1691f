package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/sim"
)

// TestBoardCommandsMatchEmulator compiles the small example, flashes it to a
// simulated board over a real pseudo-terminal, runs it there and in the
// emulator, and requires identical spike files; then reads the board back.
func TestBoardCommandsMatchEmulator(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "small.ncx")
	if _, errOut, code := ncx(t, "compile", "../../examples/small.yaml", "-o", img); code != 0 {
		t.Fatalf("compile: exit %d: %s", code, errOut)
	}
	im, err := core.ReadImage(img)
	if err != nil {
		t.Fatal(err)
	}
	board, err := sim.NewBoard(sim.Config{Profile: im.Profile})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := sim.ServePTY(board)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	defer pt.Close()

	fixture := filepath.Join(dir, "flash.fixture")
	if _, errOut, code := ncx(t, "flash", img, "--port", pt.Path, "--record", fixture); code != 0 {
		t.Fatalf("flash: exit %d: %s", code, errOut)
	}
	// --record leaves the session as a playback script: every exchange starts
	// with a host frame (sync A5 5A) and the board answered the first one.
	rec := string(mustRead(t, fixture))
	if !strings.Contains(rec, "[]drivertest.IO{") || !strings.Contains(rec, "{W: []byte{0xa5, 0x5a,") ||
		strings.Contains(strings.SplitN(rec, "\n", 4)[2], "R: []byte{}") {
		t.Fatalf("--record fixture is not a playback script:\n%.300s", rec)
	}
	boardOut, emuOut := filepath.Join(dir, "board"), filepath.Join(dir, "emu")
	if _, errOut, code := ncx(t, "run", img, "--port", pt.Path, "--steps", "300", "--out", boardOut); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	if _, errOut, code := ncx(t, "emulate", img, "--steps", "300", "--out", emuOut); code != 0 {
		t.Fatalf("emulate: exit %d: %s", code, errOut)
	}
	for _, name := range []string{"spikes.csv", "spikes.bin", "cycles.csv"} {
		a, errA := os.ReadFile(filepath.Join(boardOut, name))
		b, errB := os.ReadFile(filepath.Join(emuOut, name))
		if errA != nil || errB != nil {
			t.Fatalf("%s: %v %v", name, errA, errB)
		}
		if name == "cycles.csv" {
			// the board reports cycles and spikes per step, not the
			// synapse event counts: compare the first three columns
			a, b = columns(a, 3), columns(b, 3)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("%s from the board differs from the emulator's", name)
		}
	}
	if lines := bytes.Count(mustRead(t, filepath.Join(boardOut, "spikes.csv")), []byte("\n")); lines < 10 {
		t.Fatalf("only %d spike lines: the comparison proves little", lines)
	}

	back := filepath.Join(dir, "back.ncx")
	if _, errOut, code := ncx(t, "readback", "--port", pt.Path, "-o", back); code != 0 {
		t.Fatalf("readback: exit %d: %s", code, errOut)
	}
	got, err := core.ReadImage(back)
	if err != nil {
		t.Fatal(err)
	}
	// after 300 steps the state and weights moved on; the wiring did not
	if !reflect.DeepEqual(got.Fanout, im.Fanout) || !reflect.DeepEqual(got.Params, im.Params) || !reflect.DeepEqual(got.Rev, im.Rev) {
		t.Fatal("readback wiring differs from the flashed image")
	}
}

func columns(b []byte, n int) []byte {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, ",")
		out = append(out, strings.Join(f[:min(n, len(f))], ","))
	}
	return []byte(strings.Join(out, "\n"))
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBoardSimCommand(t *testing.T) {
	path, out, stop, err := boardSim(t, &BoardSimOptions{Target: targetNCX, Profile: "tiny"}, 5*time.Second)
	if err != nil {
		t.Skipf("board sim did not start: %v", err)
	}
	if _, errText, code := ncx(t, "flash", "nonexistent.ncx", "--port", path); code != exitBadInput {
		t.Fatalf("flash of a missing image: exit %d (%s)", code, errText)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out.String()) != path {
		t.Fatalf("printed %q, want the device path %q", out.String(), path)
	}
}

func TestBoardCommandsUsage(t *testing.T) {
	for _, args := range [][]string{
		{"flash", "x.ncx"},
		{"flash", "x.ncx", "--port", "/dev/null", "--target", "spinnaker"},
		{"readback", "--port", "/dev/null"},
		{"run", "x.ncx", "--port", "/dev/null", "--steps", "-1"},
	} {
		if _, _, code := ncx(t, args...); code != exitBadInput {
			t.Errorf("%v: exit %d, want %d", args, code, exitBadInput)
		}
	}
}

// TestBoardSimFaults: "ncx board sim --drop --dup --corrupt" serves a board
// behind a bad line; flash and run over it still give the emulator's spikes.
func TestBoardSimFaults(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "small.ncx")
	if _, errOut, code := ncx(t, "compile", "../../examples/small.yaml", "-o", img); code != 0 {
		t.Fatalf("compile: exit %d: %s", code, errOut)
	}
	path, _, stop, err := boardSim(t, &BoardSimOptions{Target: targetNCX, Profile: "tiny",
		Drop: 2e-3, Dup: 2e-3, Corrupt: 2e-3, Seed: 5, StallFor: 100 * time.Millisecond}, 5*time.Second)
	if err != nil {
		t.Skipf("board sim did not start: %v", err)
	}
	defer stop()
	boardOut, emuOut := flashRunEmulate(t, img, path, "200", "over the faulty line")
	if !bytes.Equal(mustRead(t, filepath.Join(boardOut, "spikes.csv")), mustRead(t, filepath.Join(emuOut, "spikes.csv"))) {
		t.Fatal("spikes.csv over the faulty line differs from the emulator's")
	}
	for _, args := range [][]string{{"board", "sim", "--drop", "2"}, {"board", "sim", "--corrupt", "-0.1"}, {"board", "sim", "--stall-for", "-1s"}} {
		if _, _, code := ncx(t, args...); code != exitBadInput {
			t.Errorf("%v: exit %d, want %d", args, code, exitBadInput)
		}
	}
}

// flashRunEmulate flashes img to the board at path, runs it there for steps
// and emulates it for as many, and returns both output directories; where
// names the board in failures.
func flashRunEmulate(t *testing.T, img, path, steps, where string) (boardOut, emuOut string) {
	t.Helper()
	dir := t.TempDir()
	if _, errText, code := ncx(t, "flash", img, "--port", path); code != exitOK {
		t.Fatalf("flash %s: exit %d (%s)", where, code, errText)
	}
	boardOut, emuOut = filepath.Join(dir, "board"), filepath.Join(dir, "emu")
	if _, errText, code := ncx(t, "run", img, "--port", path, "--steps", steps, "--out", boardOut); code != exitOK {
		t.Fatalf("run %s: exit %d (%s)", where, code, errText)
	}
	if _, errText, code := ncx(t, "emulate", img, "--steps", steps, "--out", emuOut); code != exitOK {
		t.Fatalf("emulate: exit %d (%s)", code, errText)
	}
	return boardOut, emuOut
}
