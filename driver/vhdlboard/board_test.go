package vhdlboard

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncx-project/ncx/driver/neurocorex"
)

// build returns the simulation, skipping the test (with the reason) when
// the NeuroCoreX peer or GHDL is missing.
func build(t *testing.T) *Sim {
	t.Helper()
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
