package testbench

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/verilate"
)

// needTool skips (or, under CI, fails) a test when a simulator is missing.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		err = errors.New(name + " not found: install it with scripts/ensure-tools.sh")
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// boardSources lists the board logic (hdl/board/sources.f), the iCEBreaker
// top and the SPRAM model it instantiates.
func boardSources(t *testing.T) []string {
	t.Helper()
	logic, err := verilate.BoardSources()
	if err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(verilate.Root(), "hdl", "board")
	return append(logic, filepath.Join(b, "ncx_icebreaker.v"), filepath.Join(b, "SB_SPRAM256KA.v"))
}

// TestBoardSourcesListed keeps hdl/board/sources.f, the one list of the
// board logic, in step with the directory: every Verilog file there is
// listed, or is a top, the SPRAM model or a test bench, and holds the one
// module it is named after.
func TestBoardSourcesListed(t *testing.T) {
	logic, err := verilate.BoardSources()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, f := range logic {
		listed[filepath.Base(f)] = true
	}
	all, err := filepath.Glob(filepath.Join(verilate.Root(), "hdl", "board", "*.v"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range all {
		name := filepath.Base(f)
		other := name == "ncx_icebreaker.v" || name == "SB_SPRAM256KA.v" || strings.HasSuffix(name, "_tb.v")
		if listed[name] == other {
			t.Errorf("%s: listed in hdl/board/sources.f %v, a top, model or bench %v: exactly one must hold", name, listed[name], other)
		}
		delete(listed, name)
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mods := regexp.MustCompile(`(?m)^module\s+(\w+)`).FindAllStringSubmatch(string(src), -1)
		if len(mods) != 1 || mods[0][1]+".v" != name {
			t.Errorf("%s: modules %v, want the one it is named after", name, mods)
		}
	}
	for name := range listed {
		t.Errorf("hdl/board/sources.f lists %s, which is not there", name)
	}
}

// TestVerilogLintClean runs verilator --lint-only -Wall on the core and on
// the board tops (iCEBreaker, CMod A7) under the profiles they are built for, with and without
// burst units: the generated headers must keep the RTL warning-free.
func TestVerilogLintClean(t *testing.T) {
	needTool(t, "verilator")
	srcs, err := verilate.CoreSources()
	if err != nil {
		t.Fatal(err)
	}
	hdl := filepath.Join(verilate.Root(), "hdl")
	for _, tc := range []struct {
		top     string
		profile string
	}{{"ncx_core", "tiny"}, {"ncx_core", "up5k"}, {"ncx_core", "a7"}, {"ncx_core", "sim"},
		{"ncx_icebreaker", "up5k"}, {"ncx_icebreaker", "tiny"}, {"ncx_cmoda7", "a7"}, {"ncx_cmoda7", "tiny"}} {
		t.Run(fmt.Sprintf("%s/%s", tc.top, tc.profile), func(t *testing.T) {
			args := append([]string{"--lint-only", "-Wall", "-I" + hdl, "-I" + filepath.Join(hdl, "board"), "--top-module", tc.top},
				verilate.ProfileParams(core.Profiles[tc.profile])...)
			args = append(args, srcs...)
			switch tc.top {
			case "ncx_icebreaker":
				args = append(args, boardSources(t)...)
			case "ncx_cmoda7":
				args = append(args, filepath.Join(hdl, "cmoda7", "ncx_cmoda7.v"))
				args = append(args, boardSources(t)...)
			}
			if out, err := exec.Command("verilator", args...).CombinedOutput(); err != nil || len(out) != 0 {
				t.Fatalf("verilator %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		})
	}
}

// TestUARTLoopback runs hdl/board/ncx_uart_tb.v under Icarus: 256 bytes
// through ncx_uart_tx into ncx_uart_rx come back unchanged.
func TestUARTLoopback(t *testing.T) {
	needTool(t, "iverilog")
	needTool(t, "vvp")
	b := filepath.Join(verilate.Root(), "hdl", "board")
	vvp := filepath.Join(t.TempDir(), "uart.vvp")
	args := []string{"-g2005", "-Wall", "-o", vvp, filepath.Join(b, "ncx_uart_tb.v"), filepath.Join(b, "ncx_uart_tx.v"), filepath.Join(b, "ncx_uart_rx.v")}
	if out, err := exec.Command("iverilog", args...).CombinedOutput(); err != nil || len(out) != 0 {
		t.Fatalf("iverilog %v: %v\n%s", args, err, out)
	}
	out, err := exec.Command("vvp", "-n", vvp).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "matched 256 bytes") {
		t.Fatalf("vvp: %v\n%s", err, out)
	}
}
