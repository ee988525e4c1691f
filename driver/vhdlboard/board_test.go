package vhdlboard

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/driver/sim"
)

// build returns the simulation, skipping the test (with the reason) when
// the NeuroCoreX peer or GHDL is missing.
func build(t *testing.T) *Sim {
	t.Helper()
	usePeerSrc(t)
	if _, err := SrcDir(""); err != nil {
		t.Skipf("NeuroCoreX peer source not available: %v", err)
	}
	s, err := Build("")
	if errors.Is(err, ErrNoGHDL) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSrcDirNamesMissingFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvSrc, "")
	if _, err := SrcDir(""); err == nil || !strings.Contains(err.Error(), "--neurocorex-src") {
		t.Fatalf("no directory given: %v", err)
	}
	if _, err := SrcDir(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("missing directory: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "main_TOP.vhd"), nil, 0o644)
	_, err := SrcDir(dir)
	if err == nil || !strings.Contains(err.Error(), "Core_engine.vhd") || strings.Contains(err.Error(), "main_TOP.vhd") {
		t.Fatalf("incomplete source: %v", err)
	}
}

// TestRunLength measures on the VHDL what neurocorex.RunBytes and
// EncodeSpikes assume: a single record with dt = last is released in step
// last and the run sends 1 + RunBytes(last) bytes; and the power-on byte.
func TestRunLength(t *testing.T) {
	b, err := Start(build(t), Options{PowerOn: 1, Tail: 150_000})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	read := func() []byte {
		if err := b.WaitIdle(); err != nil {
			t.Fatal(err)
		}
		var got []byte
		buf := make([]byte, 4096)
		b.SetReadTimeout(time.Millisecond)
		for {
			n, err := b.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				return got
			}
			got = append(got, buf[:n]...)
		}
	}
	for last := range 4 {
		if _, err := b.Write([]byte{neurocorex.HdrSpikes, byte(last), 2, 0, 0xFF, 0xFF, 0xFF}); err != nil {
			t.Fatal(err)
		}
		got := read()
		want := 1 + neurocorex.RunBytes(last)
		if last == 0 {
			// the byte NeuroCoreX sends right after configuration
			if len(got) == 0 || got[0] != 0x00 {
				t.Fatalf("no 0x00 power-on byte: % x", got)
			}
			got = got[1:]
		}
		if len(got) != want || got[0] != neurocorex.StartMarker {
			t.Errorf("run with its last record in step %d: %d bytes starting % x, want %d starting ff", last, len(got), got[:min(len(got), 2)], want)
		}
	}
	st := b.Stats()
	t.Logf("%d cycles in %v of simulator time (%.0f cycles/s; a shared machine)", st.Cycles, st.Wall.Round(time.Millisecond), float64(st.Cycles)/st.Wall.Seconds())
	if st.Framing != 0 {
		t.Errorf("%d framing errors on TX", st.Framing)
	}
}

// modelPort serves a fresh neurocorex.Board on a pseudo-terminal and
// returns a client for it.
func modelPort(t *testing.T) *neurocorex.Client {
	t.Helper()
	pt, err := sim.ServePTY(neurocorex.NewBoard())
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	p, err := driver.OpenSerial(pt.Path, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(); pt.Close() })
	return neurocorex.NewClient(p, "model")
}

// TestParamsAgainstModel uploads seeded random neuron parameters and a
// debug bias (not the weights: the board keeps its power-on FF 1 and AA 6,
// as uploading a matrix costs 9.2M cycles) to a freshly configured VHDL
// board and to neurocorex.Board, and runs the same input spikes on both,
// two runs in a row (v is cleared between runs; refractory counters and the
// core's registers are not). FF amplitude 200 puts 200 << 10 past the 17
// bits below the sign of Q's resize, where a plain 18-bit wrap would turn
// the FF current negative. Each mismatch names the seed, run, step and
// neuron.
func TestParamsAgainstModel(t *testing.T) {
	b, err := Start(build(t), Options{Tail: 150_000})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	vhdl := neurocorex.NewClient(b, "vhdl")
	vhdl.Scale(3000)
	model := modelPort(t)
	const seed = 1
	rng := rand.New(rand.NewPCG(seed, 10))
	tb := neurocorex.Defaults()
	for p := range neurocorex.N {
		tb.VThr[p] = 256 + rng.Int32N(6000)
		tb.TrefMax[p] = rng.Int32N(6)
	}
	tb.TrefMax[0] = 200
	tb.TauMem[neurocorex.LeakWord] = rng.Int32N(300)
	tb.IBias = rng.Int32N(4001) - 2000
	tb.NDebug = uint8(rng.IntN(neurocorex.MaxNDebug + 1))
	blk := append(tb.DebugBlock(), tb.ParamBlock()...)
	if _, err := b.Write(blk); err != nil {
		t.Fatal(err)
	}
	if err := model.Send(blk); err != nil {
		t.Fatal(err)
	}
	for run := range 2 {
		n := compareRun(t, vhdl, model, rng, fmt.Sprintf("seed %d run %d", seed, run))
		if n == 0 {
			t.Error("no spikes: the comparison says nothing")
		}
		t.Logf("run %d: %d spikes", run, n)
	}
	st := b.Stats()
	t.Logf("%d cycles, %v simulating (%.0f cycles/s; a shared machine)", st.Cycles, st.Wall.Round(time.Millisecond), float64(st.Cycles)/st.Wall.Seconds())
}

// compareRun runs 8 steps of random input (at most one spike a step) on
// the VHDL and on the model and reports every step and neuron where they
// differ, naming it with label; it returns the VHDL's spike count.
func compareRun(t *testing.T, vhdl, model *neurocorex.Client, rng *rand.Rand, label string) int {
	t.Helper()
	const steps = 8
	var in []neurocorex.Spike
	for s := range steps {
		if rng.IntN(2) == 0 {
			in = append(in, neurocorex.Spike{Step: s, Addr: 2 + rng.IntN(neurocorex.N-2)})
		}
	}
	want, err := model.Run(in, steps)
	if err != nil {
		t.Fatal(err)
	}
	got, err := vhdl.Run(in, steps)
	if err != nil {
		t.Fatalf("%s: VHDL: %v", label, err)
	}
	for s := range steps {
		if d := diff(got[s], want[s]); d >= 0 {
			t.Errorf("%s step %d neuron %d: VHDL spiked %v, model %v", label, s, d, contains(got[s], d), contains(want[s], d))
		}
	}
	return count(got)
}

func count(frames [][]int) int {
	n := 0
	for _, f := range frames {
		n += len(f)
	}
	return n
}

// diff returns the first neuron in exactly one of a and b, or -1.
func diff(a, b []int) int {
	for p := range neurocorex.N {
		if contains(a, p) != contains(b, p) {
			return p
		}
	}
	return -1
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// usePeerSrc points $NCX_NEUROCOREX_SRC at the peer checkout CI keeps beside
// the repository (../shared/peers/neurocorex) unless the caller set it.
func usePeerSrc(t *testing.T) {
	if os.Getenv(EnvSrc) == "" {
		t.Setenv(EnvSrc, filepath.Join(Root(), "..", "shared", "peers", "neurocorex"))
	}
}
