package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/driver/sim"
	"github.com/ncx-project/ncx/driver/vhdlboard"
)

// vhdlTimeScale stretches the client's waits for the GHDL board, which runs
// about a thousand times slower than the FPGA on a loaded 2-core machine.
const vhdlTimeScale = "3000"

// boardSim runs boardSimRun in-process with opts (F is set here) and
// returns the device path once it serves, or the error it stopped with;
// stop cancels it and returns its result.
func boardSim(t *testing.T, opts *BoardSimOptions, wait time.Duration) (path string, out *bytes.Buffer, stop func() error, err error) {
	t.Helper()
	var errOut bytes.Buffer
	out = &bytes.Buffer{}
	opts.F = &Factory{Out: out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	opts.Ready = func(p string) { ready <- p }
	go func() { done <- boardSimRun(ctx, opts) }()
	select {
	case path = <-ready:
		return path, out, func() error { cancel(); return <-done }, nil
	case err = <-done:
		cancel()
		return "", out, nil, fmt.Errorf("%w\n%s", err, errOut.String())
	case <-time.After(wait):
		cancel()
		t.Fatalf("board sim did not start in %v", wait)
	}
	return
}

// serveVHDL starts "ncx board sim --target neurocorex --rtl" in-process and
// returns the device path; it skips when the NeuroCoreX peer or GHDL is
// missing.
func serveVHDL(t *testing.T) string {
	t.Helper()
	if os.Getenv(vhdlboard.EnvSrc) == "" {
		// the peer checkout CI keeps beside the repository
		t.Setenv(vhdlboard.EnvSrc, filepath.Join(vhdlboard.Root(), "..", "shared", "peers", "neurocorex"))
	}
	if _, err := vhdlboard.SrcDir(""); err != nil {
		t.Skipf("NeuroCoreX peer source not available: %v", err)
	}
	path, _, stop, err := boardSim(t, &BoardSimOptions{Target: targetNeuroCoreX, RTL: true}, 10*time.Minute)
	if errors.Is(err, vhdlboard.ErrNoGHDL) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatalf("board sim did not start: %v", err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("board sim: %v", err)
		}
	})
	return path
}

// modelRun runs the NeuroCoreX board model loaded with t on the same
// command line and returns its output directory.
func modelRun(t *testing.T, img string, tb *neurocorex.Tables, args ...string) string {
	t.Helper()
	b := neurocorex.NewBoard()
	b.Load(tb)
	pt, err := sim.ServePTY(b)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	defer pt.Close()
	out := filepath.Join(t.TempDir(), "model")
	if _, errOut, code := ncx(t, append([]string{"run", img, "--port", pt.Path, "--target", "neurocorex", "--out", out}, args...)...); code != 0 {
		t.Fatalf("run on the model: exit %d: %s", code, errOut)
	}
	return out
}

func sameFiles(t *testing.T, a, b string, names ...string) {
	t.Helper()
	for _, n := range names {
		x, y := mustRead(t, filepath.Join(a, n)), mustRead(t, filepath.Join(b, n))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs: VHDL board\n%s\nmodel\n%s", n, x, y)
		}
	}
}

// TestRunNeuroCoreXVHDL runs an image with ncx run --target neurocorex on
// ORNL's VHDL served by ncx board sim --rtl, without flashing it: the board
// holds its power-on tables (every FF weight 1 at amplitude 4, so the first
// input drives every neuron over threshold), and the spikes must equal the
// board model's with the same tables.
func TestRunNeuroCoreXVHDL(t *testing.T) {
	path := serveVHDL(t)
	dir := t.TempDir()
	img := filepath.Join(dir, "nx.ncx")
	if err := core.WriteImage(img, nxImage()); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "vhdl")
	if _, errOut, code := ncx(t, "run", img, "--port", path, "--target", "neurocorex", "--time-scale", vhdlTimeScale, "--out", out); code != 0 {
		t.Fatalf("run on the VHDL: exit %d: %s", code, errOut)
	}
	csv := string(mustRead(t, filepath.Join(out, "spikes.csv")))
	t.Logf("VHDL spikes:\n%s", csv)
	sameFiles(t, out, modelRun(t, img, neurocorex.Defaults()), "spikes.csv", "spikes.bin")
}

// TestFlashRunNeuroCoreXVHDL is the whole session through the CLI: flash
// (upload, then readback and comparison of 9,215 FF weights), then run, on
// the VHDL board; the outputs must equal the board model's. The image has a
// plastic synapse, so the upload carries STDP-enable bits and parameters and
// the run learns (the AA weights cannot be read back; the random
// differential test in driver/vhdlboard compares them). It simulates
// about 45M cycles (20 minutes on a loaded 2-core machine), so it runs only
// with NCX_VHDL_LONG=1 (make test-neurocorex-vhdl).
func TestFlashRunNeuroCoreXVHDL(t *testing.T) {
	if os.Getenv("NCX_VHDL_LONG") == "" {
		t.Skip("set NCX_VHDL_LONG=1 to run the full flash + run session on the VHDL (20 minutes)")
	}
	path := serveVHDL(t)
	dir := t.TempDir()
	img := filepath.Join(dir, "nx.ncx")
	im := nxSTDPImage()
	if err := core.WriteImage(img, im); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := ncx(t, "flash", img, "--port", path, "--target", "neurocorex", "--time-scale", vhdlTimeScale); code != 0 {
		t.Fatalf("flash on the VHDL: exit %d: %s", code, errOut)
	}
	out := filepath.Join(dir, "vhdl")
	if _, errOut, code := ncx(t, "run", img, "--port", path, "--target", "neurocorex", "--time-scale", vhdlTimeScale, "--out", out); code != 0 {
		t.Fatalf("run on the VHDL: exit %d: %s", code, errOut)
	}
	got := mustRead(t, filepath.Join(out, "spikes.csv"))
	// input 0 drives lif 0 (id 3) over threshold in step 3, input 1 lif 1 in step 5
	if !bytes.Contains(got, []byte("\n3,0,3,exc,0")) || !bytes.Contains(got, []byte("\n5,0,4,exc,0")) {
		t.Errorf("lif 0 did not fire in step 3 or lif 1 in step 5:\n%s", got)
	}
	tb, _, err := neurocorex.Lower(im)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, out, modelRun(t, img, tb), "spikes.csv", "spikes.bin")
	emu := filepath.Join(dir, "emu")
	if _, errOut, code := ncx(t, "emulate", img, "--target", "neurocorex", "--out", emu); code != 0 {
		t.Fatalf("emulate: exit %d: %s", code, errOut)
	}
	sameFiles(t, out, emu, "spikes.csv", "spikes.bin")
}
