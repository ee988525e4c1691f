package testbench

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/internal/verilate"
	"github.com/ncx-project/ncx/testbench/gen"
	"github.com/ncx-project/ncx/testbench/rtl"
)

// TestGolden runs the named reference networks of gen.Named on the emulator
// and on the RTL and compares both with testbench/golden/<name>.txt. The
// files are rewritten from the emulator only with -update:
//
//	go test ./testbench -run Golden -args -update
func TestGolden(t *testing.T) {
	for _, c := range gen.Named() {
		name := c.Image.Meta.Name
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(verilate.Root(), "testbench", "golden", name+".txt")
			emu, err := RunEmulator(c.Image, c.Stim, c.Steps)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := rtl.Format(&buf, c.Image.Profile, emu); err != nil {
				t.Fatal(err)
			}
			if *flagUpdate {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (create it with: go test ./testbench -run Golden -args -update)", err)
			}
			golden, err := rtl.Parse(bytes.NewReader(data), c.Image.Profile)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if err := Compare("emulator vs "+name+".txt:", emu, golden.Steps); err != nil {
				t.Error(err)
			}
			bin := harness(t, rtl.Variant{Profile: c.Image.Profile})
			got, err := rtl.Run(bin, c.Image, c.Stim, c.Steps, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			if err := Compare("rtl vs "+name+".txt:", got.Steps, golden.Steps); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestCompareReportsWFrac checks that a difference in the fraction bits
// (spec section 8.4) is reported with its step, memory and address, and that
// a run that dumps no wfrac does not pass for one that does.
func TestCompareReportsWFrac(t *testing.T) {
	c := named(t, "bdsp_frac")
	want, err := RunEmulator(c.Image, c.Stim, c.Steps)
	if err != nil {
		t.Fatal(err)
	}
	clone := func() []rtl.StepOut {
		out := make([]rtl.StepOut, len(want))
		for s := range want {
			out[s] = want[s]
			out[s].WFrac = append([]uint8(nil), want[s].WFrac...)
		}
		return out
	}
	if err := Compare("same", clone(), want); err != nil {
		t.Fatal(err)
	}
	got := clone()
	got[7].WFrac[3] ^= 1
	msg := fmt.Sprintf("off by one: step 7 cycle %d wfrac 3: rtl %#02x, emulator %#02x", want[7].Cycles, got[7].WFrac[3], want[7].WFrac[3])
	if err := Compare("off by one:", got, want); err == nil || err.Error() != msg {
		t.Errorf("got %v, want %q", err, msg)
	}
	got = clone()
	got[2].WFrac = nil
	if err := Compare("missing:", got, want); err == nil || !strings.Contains(err.Error(), "step 2 wfrac dump sizes differ") {
		t.Errorf("a run without the wfrac dump: %v", err)
	}
}
