package testbench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/internal/verilate"
)

// yosysXC7 maps hdl/ncx_ram.v (1,024 × 8) with the given Style through
// Yosys's synth_xilinx, renames the result ncx_ram_mapped and returns the
// netlist path and Yosys's cell statistics.
func yosysXC7(t *testing.T, dir, style string) (netlist, stat string) {
	t.Helper()
	netlist = filepath.Join(dir, "ncx_ram_"+style+".v")
	statPath := filepath.Join(dir, "ncx_ram_"+style+".stat")
	script := fmt.Sprintf(`read_verilog %s; chparam -set Width 8 -set AddrBits 10 -set Style "%s" ncx_ram;
synth_xilinx -family xc7 -top ncx_ram; rename ncx_ram ncx_ram_mapped; write_verilog -noattr %s; tee -q -o %s stat`,
		filepath.Join(verilate.Root(), "hdl", "ncx_ram.v"), style, netlist, statPath)
	if out, err := exec.Command("yosys", "-q", "-p", script).CombinedOutput(); err != nil {
		t.Fatalf("yosys (Style %q): %v\n%s", style, err, out)
	}
	b, err := os.ReadFile(statPath)
	if err != nil {
		t.Fatal(err)
	}
	return netlist, string(b)
}

// cellCount is the number of cells of the given type in a Yosys stat report.
func cellCount(stat, cell string) int {
	m := regexp.MustCompile(`(?m)^\s+` + cell + `\s+(\d+)$`).FindStringSubmatch(stat)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestRAMStyleLUTRAM checks the ram_style attribute behind ncx_ram's Style
// parameter, which the CMod A7 top uses to fit the xc7a35t: Yosys maps a
// 1,024 × 8 ncx_ram to block RAM with "auto" and to LUTRAM with
// "distributed", and the LUTRAM netlist, simulated with Yosys's models of
// the Xilinx primitives, reads exactly like the RTL (one cycle latency,
// old word on a read of the address being written, output held while
// re_i is low) over random traffic with read/write collisions.
func TestRAMStyleLUTRAM(t *testing.T) {
	needTool(t, "yosys")
	needTool(t, "iverilog")
	needTool(t, "vvp")
	yosys, err := exec.LookPath("yosys")
	if err != nil {
		t.Fatal(err)
	}
	// Yosys's data directory sits beside its binary (prefix/bin, prefix/share/yosys).
	cells := filepath.Join(filepath.Dir(filepath.Dir(yosys)), "share", "yosys", "xilinx", "cells_sim.v")
	if _, err := os.Stat(cells); err != nil {
		t.Fatalf("Yosys's Xilinx simulation models: %v", err)
	}
	dir := t.TempDir()

	_, auto := yosysXC7(t, dir, "auto")
	if cellCount(auto, "RAMB18E1") != 1 || cellCount(auto, "RAM64M") != 0 {
		t.Fatalf("Style \"auto\": want one RAMB18E1 and no LUTRAM, got\n%s", auto)
	}
	netlist, dist := yosysXC7(t, dir, "distributed")
	if n := cellCount(dist, "RAM64M"); n == 0 || cellCount(dist, "RAMB18E1")+cellCount(dist, "RAMB36E1") != 0 {
		t.Fatalf("Style \"distributed\": want LUTRAM (RAM64M) and no block RAM, got\n%s", dist)
	}

	vvp := filepath.Join(dir, "ram_style.vvp")
	args := []string{"-g2012", "-o", vvp, filepath.Join(verilate.Root(), "testbench", "iverilog", "tb_ncx_ram_style.v"),
		filepath.Join(verilate.Root(), "hdl", "ncx_ram.v"), netlist, cells}
	if out, err := exec.Command("iverilog", args...).CombinedOutput(); err != nil {
		t.Fatalf("iverilog %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	out, err := exec.Command("vvp", "-n", vvp).CombinedOutput()
	if err != nil {
		t.Fatalf("vvp: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`compared (\d+) mismatches (\d+) collisions (\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("vvp: no summary line\n%s", out)
	}
	compared, _ := strconv.Atoi(m[1])
	collisions, _ := strconv.Atoi(m[3])
	if m[2] != "0" || compared < 10000 || collisions < 1000 {
		t.Fatalf("LUTRAM netlist against RTL: %s\n%s", m[0], out)
	}
	t.Logf("%s (%d LUTRAM cells)", m[0], cellCount(dist, "RAM64M"))
}
