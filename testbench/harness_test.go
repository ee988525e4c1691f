package testbench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/testbench/gen"
	"github.com/ncx-project/ncx/testbench/rtl"
)

// TestHarnessRejectsMalformedInput checks that the harness refuses broken
// memory and stimulus files with a message naming the file and line, and a
// nonzero exit status.
func TestHarnessRejectsMalformedInput(t *testing.T) {
	p := profile(t, "tiny")
	bin := harness(t, rtl.Variant{Profile: p})
	c := gen.Named()[3] // stdp_pair: 2 neurons, 2 synapses
	cases := []struct {
		name, file, content, want string
	}{
		{"short word", "syn.mem", "20501\n467\n", "syn.mem:2: word \"467\" has 3 hex digits, want 5"},
		{"long word", "trace.mem", "000\n00\n", "trace.mem:1: word \"000\" has 3 hex digits, want 2"},
		{"non-hex", "syn.mem", "20501\n46g00\n", "syn.mem:2: non-hex character 'g'"},
		{"too wide", "force.mem", "2\n0\n", "force.mem:1: word \"2\" does not fit 1 bits"},
		{"too many lines", "rule.mem", strings.Repeat("00000000\n", 9), "rule.mem: 9 lines, but the memory has only 8 words"},
		{"empty line", "state.mem", "\n0000000000\n", "state.mem:1: empty line"},
		{"no newline", "acc.mem", "0000\n0000", "acc.mem:2: last line has no newline"},
		{"neuron count", "param.mem", strings.Repeat("0", 24) + "\n", "param.mem: 1 lines, want num_neurons = 2"},
		{"num_neurons", "num_neurons.mem", "0\n", "num_neurons 0 outside 1..64"},
		{"stim id", "stim.txt", "0 1\n\n1 x2\n", "stim.txt:3: bad neuron id \"x2\""},
		{"stim range", "stim.txt", "0\n2\n", "stim.txt:2: neuron 2 outside 2 neurons"},
		{"stim negative", "stim.txt", "-1\n", "stim.txt:1: bad neuron id \"-1\""},
	}
	t.Run("burst on a core without burst units", func(t *testing.T) {
		up5k := harness(t, rtl.Variant{Profile: profile(t, "up5k")})
		mem := filepath.Join(t.TempDir(), "mem")
		if err := gen.Named()[6].Image.WriteMemDir(mem); err != nil { // burst_threshold
			t.Fatal(err)
		}
		out, err := exec.Command(up5k, "--mem", mem, "--steps", "1").CombinedOutput()
		if want := "this core is built without burst units"; err == nil || !strings.Contains(string(out), want) {
			t.Fatalf("harness output %q (%v), want an error containing %q", out, err, want)
		}
	})
	t.Run("incomplete burst files", func(t *testing.T) {
		mem := filepath.Join(t.TempDir(), "mem")
		if err := gen.Named()[6].Image.WriteMemDir(mem); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(mem, "regs.mem")); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "--mem", mem, "--steps", "1").CombinedOutput()
		if want := "an image with burst units needs"; err == nil || !strings.Contains(string(out), want) {
			t.Fatalf("harness output %q (%v), want an error containing %q", out, err, want)
		}
	})
	// the fraction-bit files of a burst image (bdsp_frac: 6 rev words)
	for _, tc := range []struct{ name, file, content, want string }{
		{"regs lines", "regs.mem", "02\n1d2c\n12\n00\n", "regs.mem: want 2 or 3 lines (rule_kind, lfsr, rule_frac), have 4"},
		{"rule_frac word", "regs.mem", "02\n1d2c\n123\n", "regs.mem:3: word \"123\" has 3 hex digits, want 2"},
		{"wfrac lines", "wfrac.mem", strings.Repeat("00\n", 7), "wfrac.mem: 7 lines, but rev.mem has only 6"},
		{"wfrac word", "wfrac.mem", "00\n1ff\n", "wfrac.mem:2: word \"1ff\" has 3 hex digits, want 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := filepath.Join(t.TempDir(), "mem")
			if err := named(t, "bdsp_frac").Image.WriteMemDir(mem); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(mem, tc.file), []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "--mem", mem, "--steps", "1").CombinedOutput()
			if err == nil || !strings.Contains(string(out), tc.want) {
				t.Fatalf("harness output %q (%v), want an error containing %q", out, err, tc.want)
			}
		})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			mem := filepath.Join(dir, "mem")
			if err := c.Image.WriteMemDir(mem); err != nil {
				t.Fatal(err)
			}
			stim := filepath.Join(dir, "stim.txt")
			if err := os.WriteFile(stim, []byte("0\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(mem, tc.file)
			if tc.file == "stim.txt" {
				path = stim
			}
			if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "--mem", mem, "--stim", stim, "--steps", "5").CombinedOutput()
			if err == nil {
				t.Fatalf("harness accepted a malformed %s", tc.file)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Fatalf("message %q does not contain %q", strings.TrimSpace(string(out)), tc.want)
			}
		})
	}
}

// named returns the named reference network called name.
func named(t *testing.T, name string) *gen.Case {
	t.Helper()
	for _, c := range gen.Named() {
		if c.Image.Meta.Name == name {
			return c
		}
	}
	t.Fatalf("no named network %q", name)
	return nil
}
