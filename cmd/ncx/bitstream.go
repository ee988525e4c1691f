package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// BitstreamOptions are the inputs of ncx bitstream.
type BitstreamOptions struct {
	F    *Factory
	Root string // source tree holding hdl/ (default: found from the working directory up)
	Out  string // output directory (default ROOT/build)
	Seed int
}

func newBitstreamCmd(f *Factory) *cobra.Command {
	opts := &BitstreamOptions{F: f}
	cmd := &cobra.Command{
		Use:   "bitstream",
		Short: "Build the iCEBreaker FPGA bitstream of the ncx-core board",
		Long: strings.TrimSpace(`
Synthesise the ncx-core board (hdl/board/ncx_icebreaker.v: UART, protocol
engine and ncx_core with the up5k profile) for the iCEBreaker's iCE40 UP5K
with yosys (synth_ice40), place and route it with nextpnr-ice40 (--up5k
--package sg48, pins from hdl/board/icebreaker.pcf, 12 MHz clock) and pack
it with icepack into OUT/ncx_icebreaker.bin (program it with iceprog). Prints the utilisation and the
maximum clock frequency nextpnr reports. Needs the ncx source tree (found
from the working directory upwards, or --root) and yosys, nextpnr-ice40
and icepack (apt-get install -y yosys nextpnr-ice40 fpga-icestorm). The
board then answers "ncx flash", "ncx run" and "ncx readback" on its FTDI
serial port at 1 Mbaud. "make bitstream" does the same.`),
		Example: strings.TrimSpace(`
$ ncx bitstream
$ ncx bitstream --out /tmp/ice --seed 7`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return bitstreamRun(opts) },
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Root, "root", "", "ncx source tree holding hdl/ (default: search from the working directory up)")
	fl.StringVarP(&opts.Out, "out", "o", "", "output directory (default: ROOT/build)")
	fl.IntVar(&opts.Seed, "seed", 1, "nextpnr placement seed")
	return cmd
}

const bitstreamScript = "hdl/board/bitstream.sh"

// findRoot returns dir or the first of its parents holding the bitstream script.
func findRoot(dir string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(d, bitstreamScript)); err == nil {
			return d, nil
		}
		up := filepath.Dir(d)
		if up == d {
			return "", fmt.Errorf("no %s in %s or its parents: run ncx bitstream inside the ncx source tree or give --root", bitstreamScript, dir)
		}
		d = up
	}
}

func bitstreamRun(opts *BitstreamOptions) error {
	start := opts.Root
	if start == "" {
		start = "."
	}
	root, err := findRoot(start)
	if err != nil {
		return &usageError{err: err}
	}
	if opts.Root != "" && root != mustAbs(opts.Root) {
		return &usageError{err: fmt.Errorf("--root %s holds no %s", opts.Root, bitstreamScript)}
	}
	out := opts.Out
	if out == "" {
		out = filepath.Join(root, "build")
	}
	cmd := exec.Command("sh", filepath.Join(root, bitstreamScript), out)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SEED=%d", opts.Seed))
	cmd.Stdout, cmd.Stderr = opts.F.Out, opts.F.ErrOut
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bitstream build failed: %w", err)
	}
	return nil
}

func mustAbs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}
