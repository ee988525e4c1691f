// Package vhdlboard runs ORNL's NeuroCoreX VHDL under GHDL, with ncx's
// stand-ins for its Xilinx IP (hdl/neurocorex), and exposes the design's
// UART as a driver.Port, so that neurocorex.Client talks to the real design
// byte for byte. The NeuroCoreX source is found by path (SrcDir) and never
// copied into this repository.
//
// The simulation is driven in lock step: hdl/neurocorex/ncx_neurocorex_tb.vhd
// reads "run CYCLES HEX" lines on stdin, drives the bytes into the RX pin at
// 1 Mbaud, advances the 100 MHz clock and answers with what a host UART
// received on TX. A pipe of text lines costs a few microseconds per command
// against the hundreds of milliseconds each command simulates, needs no C
// glue (VHPIDIRECT) and keeps the simulator idle, and the session
// deterministic, while the host says nothing.
package vhdlboard

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/ncx-project/ncx/internal/verilate"
)

// EnvSrc names the environment variable that points at a NeuroCoreX
// checkout when no directory is given.
const EnvSrc = "NCX_NEUROCOREX_SRC"

// DesignFiles are the VHDL files of NeuroCoreX (revision a688f2c) under
// vhdl_src/, in analysis order.
var DesignFiles = []string{
	"UART_TX_GPIO_SRC.vhd", "Weight_Tx_AA.vhd", "uart_rx_ctrl.vhd", "uart_rx_sorter_input.vhd",
	"Trig_LIF.vhd", "Trig_gen_uart.vhd", "clock_divider.vhd", "clock_domain_interface.vhd",
	"weight_matrix.vhd", "weight_matrix_FF.vhd", "tpre_matrix.vhd", "apre_matrix.vhd", "stdp_enable_matrix.vhd",
	"Core_engine.vhd", "LIF_unit.vhd", "main_TOP.vhd",
}

// replaced lists the design's RAM files, which are analysed in a corrected
// form from hdl/neurocorex instead: Core_engine.vhd reads them past their
// declared 9,216 cells, which the FPGA's block RAMs allow and a VHDL
// simulator does not (see ncx_bram.vhd).
var replaced = map[string]string{
	"weight_matrix.vhd": "weight_ram.vhd", "weight_matrix_FF.vhd": "weight_ram_FF.vhd",
	"tpre_matrix.vhd": "tpre_ram.vhd", "apre_matrix.vhd": "apre_ram.vhd", "stdp_enable_matrix.vhd": "stdp_enable_ram.vhd",
}

// patch is one textual change to a design file, applied to a copy under
// build/ (never to the source, never in this repository).
type patch struct {
	file, old, new string
}

// patches lists the design's integer ranges that the FPGA wraps and a VHDL
// simulator stops at. Core_engine.vhd counts "bit_count : integer range 0
// to 7" to 8 at the end of every STDP-enable byte, where the synthesised
// 3-bit counter wraps to 0; the value is never read before the next byte
// sets it to 0, so widening the range to 8 gives the hardware's behaviour.
var patches = []patch{
	{"Core_engine.vhd", "signal bit_count       : integer range 0 to 7 := 0;", "signal bit_count       : integer range 0 to 8 := 0;"},
}

// patched writes the patched copy of dir/file under root and returns its
// path, or file's own path when it has no patch.
func patched(dir, file, root string) (string, error) {
	path := filepath.Join(dir, file)
	var mine []patch
	for _, p := range patches {
		if p.file == file {
			mine = append(mine, p)
		}
	}
	if len(mine) == 0 {
		return path, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("vhdlboard: %w", err)
	}
	text := string(data)
	for _, p := range mine {
		if n := strings.Count(text, p.old); n != 1 {
			return "", fmt.Errorf("vhdlboard: %s is not NeuroCoreX revision a688f2c: %q occurs %d times, not once", path, p.old, n)
		}
		text = strings.Replace(text, p.old, p.new, 1)
	}
	sum := sha256.Sum256([]byte(text))
	out := filepath.Join(root, "patched", hex.EncodeToString(sum[:8]), file)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return "", fmt.Errorf("vhdlboard: %w", err)
	}
	if err := os.WriteFile(out, []byte(text), 0o644); err != nil {
		return "", fmt.Errorf("vhdlboard: %w", err)
	}
	return out, nil
}

// StandIns are ncx's VHDL files in hdl/neurocorex, in analysis order; the
// harness comes last.
var StandIns = []string{
	"ncx_backdoor.vhd", "clk_wiz_0.vhd", "IBUFG.vhd", "ncx_sync_fifo.vhd", "fifo_generator_0.vhd", "fifo_generator_1.vhd",
	"fifo_generator_2.vhd", "ncx_bram.vhd", "weight_ram.vhd", "weight_ram_FF.vhd", "tpre_ram.vhd", "apre_ram.vhd",
	"stdp_enable_ram.vhd",
}

const harness = "ncx_neurocorex_tb.vhd"

// Top is the harness entity.
const Top = "ncx_neurocorex_tb"

// ErrNoGHDL is returned when no GHDL is on PATH.
var ErrNoGHDL = errors.New("vhdlboard: ghdl not found on PATH: install it with apt-get install -y ghdl-llvm (or ghdl)")

// Root is the module root (the directory holding hdl/).
func Root() string { return verilate.Root() }

// DefaultSrc is $NCX_NEUROCOREX_SRC. There is no built-in default: the
// NeuroCoreX design is ORNL's, not part of this repository, so its location
// is the user's to give.
func DefaultSrc() string {
	return os.Getenv(EnvSrc)
}

// SrcDir returns the directory holding NeuroCoreX's VHDL: dir itself or its
// vhdl_src/. It names every design file that is missing.
func SrcDir(dir string) (string, error) {
	if dir == "" {
		dir = DefaultSrc()
	}
	if dir == "" {
		return "", fmt.Errorf("vhdlboard: no NeuroCoreX source directory: give --neurocorex-src DIR or set %s to a NeuroCoreX checkout", EnvSrc)
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "", fmt.Errorf("vhdlboard: NeuroCoreX source directory %s not found (give --neurocorex-src DIR or set %s to a NeuroCoreX checkout)", dir, EnvSrc)
	}
	if st, err := os.Stat(filepath.Join(dir, "vhdl_src")); err == nil && st.IsDir() {
		dir = filepath.Join(dir, "vhdl_src")
	}
	var missing []string
	for _, f := range DesignFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return "", fmt.Errorf("vhdlboard: NeuroCoreX source %s is incomplete: missing %s", dir, strings.Join(missing, ", "))
	}
	return dir, nil
}

// ghdl picks the GHDL to use: ghdl-llvm (native code, about twice the speed
// of the mcode backend on this design) when installed, else ghdl.
func ghdl() (string, bool, error) {
	for _, name := range []string{"ghdl-llvm", "ghdl-gcc", "ghdl"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		out, _ := exec.Command(p, "--version").Output()
		return p, !strings.Contains(string(out), "mcode"), nil
	}
	return "", false, ErrNoGHDL
}

// Sim is a built simulation: the command that runs it.
type Sim struct {
	Argv []string
}

// lang is the language options every GHDL step (analyse, elaborate, run) must
// be given alike.
var lang = []string{"--std=08", "-fsynopsys", "-frelaxed"}

// Build analyses and elaborates the design in src (see SrcDir) with the
// stand-ins and harness under build/vhdlboard/<hash>/ (gitignored), unless
// an identical build is there already.
func Build(src string) (*Sim, error) {
	dir, err := SrcDir(src)
	if err != nil {
		return nil, err
	}
	tool, native, err := ghdl()
	if err != nil {
		return nil, err
	}
	h := filepath.Join(Root(), "hdl", "neurocorex")
	root := filepath.Join(Root(), "build", "vhdlboard")
	var units []string
	for _, f := range StandIns {
		units = append(units, filepath.Join(h, f))
	}
	for _, f := range DesignFiles {
		if _, ok := replaced[f]; ok {
			continue
		}
		p, err := patched(dir, f, root)
		if err != nil {
			return nil, err
		}
		units = append(units, p)
	}
	units = append(units, filepath.Join(h, harness))
	opt := []string{}
	if native {
		opt = []string{"-O2"}
	}
	steps := func(mdir string) [][]string {
		var s [][]string
		for _, u := range units {
			cmd := append(append([]string{tool, "-a"}, lang...), opt...)
			s = append(s, append(cmd, "--workdir="+mdir, u))
		}
		if native {
			s = append(s, append(append([]string{tool, "-e"}, lang...), "--workdir="+mdir, "-o", filepath.Join(mdir, Top), Top))
		}
		return s
	}
	marker := Top
	if !native {
		marker = "work-obj08.cf"
	}
	var key strings.Builder
	if v, err := exec.Command(tool, "--version").Output(); err == nil {
		key.Write(v)
	}
	for _, st := range steps("") {
		fmt.Fprintf(&key, "%q\n", st)
	}
	out, err := verilate.Cached(verilate.Cache{
		ObjRoot: root,
		Name:    "neurocorex-" + filepath.Base(tool),
		Binary:  marker,
		Inputs:  units,
		Key:     strings.ReplaceAll(key.String(), Root(), "."),
		Make: func(dir string) error {
			for _, st := range steps(dir) {
				cmd := exec.Command(st[0], st[1:]...)
				cmd.Dir = dir
				if out, err := cmd.CombinedOutput(); err != nil {
					return fmt.Errorf("GHDL build of NeuroCoreX failed: %v\n%s", err, out)
				}
			}
			return nil
		},
	})
	if err != nil {
		return nil, fmt.Errorf("vhdlboard: %w", err)
	}
	// GHDL's run-time IEEE warnings (metavalues in not-yet-written
	// registers at power-on) would flood stderr: the FPGA's registers start
	// at zero, which is what to_integer returns for them.
	if native {
		return &Sim{Argv: []string{out, "--ieee-asserts=disable"}}, nil
	}
	return &Sim{Argv: append(append([]string{tool, "-r"}, lang...), "--workdir="+filepath.Dir(out), Top, "--ieee-asserts=disable")}, nil
}
