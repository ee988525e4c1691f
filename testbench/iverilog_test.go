package testbench

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/verilate"
	"github.com/ncx-project/ncx/testbench/gen"
	"github.com/ncx-project/ncx/testbench/rtl"
)

// runIcarus simulates im with Icarus Verilog (4-state) through
// testbench/iverilog/tb_ncx_core.v and returns its output text.
func runIcarus(t *testing.T, vvp string, im *core.Image, stim [][]uint32, steps int, dir string) []byte {
	t.Helper()
	memDir := filepath.Join(dir, "mem")
	if err := im.WriteMemDir(memDir); err != nil {
		t.Fatal(err)
	}
	// force masks, one N-bit word per step
	n := im.Profile.Neurons()
	var b strings.Builder
	for s := 0; s < steps; s++ {
		var w core.Word
		if s < len(stim) {
			for _, id := range stim[s] {
				w[id/64] |= 1 << (id % 64)
			}
		}
		b.WriteString(w.Hex(uint(n)) + "\n")
	}
	stimPath := filepath.Join(dir, "stim.hex")
	if err := os.WriteFile(stimPath, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "icarus.out")
	burst := 0
	if im.Burst != nil {
		burst = 1
	}
	cmd := exec.Command("vvp", "-n", vvp, "+mem="+memDir, "+stim="+stimPath, fmt.Sprintf("+steps=%d", steps),
		fmt.Sprintf("+nn=%d", im.NumNeurons), fmt.Sprintf("+nsyn=%d", len(im.Syn)), fmt.Sprintf("+nrev=%d", len(im.Rev)),
		fmt.Sprintf("+burst=%d", burst), "+out="+out)
	if msg, err := cmd.CombinedOutput(); err != nil || bytes.Contains(msg, []byte("tb_ncx_core:")) {
		t.Fatalf("vvp: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func buildIcarus(t *testing.T, p core.Profile) string {
	t.Helper()
	if _, err := exec.LookPath("iverilog"); err != nil {
		err = errors.New("iverilog not found: install it with apt-get install -y iverilog")
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	srcs, err := verilate.CoreSources()
	if err != nil {
		t.Fatal(err)
	}
	vvp := filepath.Join(t.TempDir(), "tb.vvp")
	args := []string{"-g2005", "-Wall", "-o", vvp, "-I", filepath.Join(verilate.Root(), "hdl"),
		fmt.Sprintf("-Ptb_ncx_core.NB=%d", p.NB), fmt.Sprintf("-Ptb_ncx_core.SB=%d", p.SB),
		fmt.Sprintf("-Ptb_ncx_core.RB=%d", p.RB), fmt.Sprintf("-Ptb_ncx_core.VW=%d", p.VW),
		fmt.Sprintf("-Ptb_ncx_core.Burst=%d", verilate.BurstParam(p))}
	args = append(append(args, srcs...), filepath.Join(verilate.Root(), "testbench", "iverilog", "tb_ncx_core.v"))
	if out, err := exec.Command("iverilog", args...).CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("iverilog %v: %v\n%s", args, err, out)
	}
	return vvp
}

// withoutStats drops the harness's timing line, which Icarus does not print.
func withoutStats(b []byte) []byte {
	if i := bytes.Index(b, []byte("\nstats ")); i >= 0 {
		return b[:i+1]
	}
	return b
}

// TestIcarusMatchesVerilator runs small networks in 4-state logic under
// Icarus Verilog and checks that the output is identical, line for line, to
// the Verilator run (and hence to the emulator): no X reaches an output, a
// memory or the spike port, and nothing depends on Verilator's 2-state view.
// Half of the networks have burst units (with bursts in their run), half not;
// some of those use fraction bits, so wfrac is read back too.
func TestIcarusMatchesVerilator(t *testing.T) {
	p := profile(t, "tiny")
	bin := harness(t, rtl.Variant{Profile: p})
	vvp := buildIcarus(t, p)
	const each = 6
	ran, withBurst, withFrac := 0, 0, 0
	for seed := uint64(500); ran < 2*each && seed < 1500; seed++ {
		c, err := gen.New(seed, p, p, 0)
		if err != nil {
			t.Fatal(err)
		}
		if c.Image.NumNeurons > 24 || len(c.Image.Syn) > 300 {
			continue
		}
		isBurst := c.Image.Burst != nil
		if isBurst && (withBurst == each || !hasBursts(t, c)) || !isBurst && ran-withBurst == each {
			continue
		}
		ran++
		if isBurst {
			withBurst++
		}
		if c.Image.Burst.UsesFrac() {
			withFrac++
		}
		dir := t.TempDir()
		got := runIcarus(t, vvp, c.Image, c.Stim, c.Steps, dir)
		if _, err := rtl.Run(bin, c.Image, c.Stim, c.Steps, dir); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(dir, "rtl.out"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, withoutStats(want)) {
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(withoutStats(want)), "\n")
			for k := 0; k < min(len(gl), len(wl)); k++ {
				if gl[k] != wl[k] {
					t.Fatalf("seed %d: Icarus and Verilator differ at output line %d:\nicarus:    %.300s\nverilator: %.300s", seed, k+1, gl[k], wl[k])
				}
			}
			t.Fatalf("seed %d: Icarus output has %d lines, Verilator %d", seed, len(gl), len(wl))
		}
		// and the parsed result agrees with the emulator
		res, err := rtl.Parse(bytes.NewReader(got), p)
		if err != nil {
			t.Fatalf("seed %d: icarus output: %v", seed, err)
		}
		emu, err := RunEmulator(c.Image, c.Stim, c.Steps)
		if err != nil {
			t.Fatal(err)
		}
		if err := Compare(fmt.Sprintf("seed %d (icarus)", seed), res.Steps, emu); err != nil {
			t.Fatal(err)
		}
	}
	if ran != 2*each || withFrac == 0 {
		t.Fatalf("found only %d small networks (%d with burst units, %d with fraction bits) for the Icarus run", ran, withBurst, withFrac)
	}
	t.Logf("%d networks, %d with burst units, %d of them with fraction bits", ran, withBurst, withFrac)
}

// hasBursts reports whether the emulator run of c has at least one burst.
func hasBursts(t testing.TB, c *gen.Case) bool {
	emu, err := RunEmulator(c.Image, c.Stim, c.Steps)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range emu {
		if len(s.Bursts) > 0 {
			return true
		}
	}
	return false
}
