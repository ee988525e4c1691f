package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/driver/rtlboard"
	"github.com/ncx-project/ncx/driver/sim"
	"github.com/ncx-project/ncx/driver/vhdlboard"
)

// Targets a board command can speak to.
const (
	targetNCX        = "ncx"
	targetNeuroCoreX = "neurocorex"
)

func checkTarget(t string) error {
	if t != targetNCX && t != targetNeuroCoreX {
		return &usageError{err: fmt.Errorf("--target must be %q or %q, got %q", targetNCX, targetNeuroCoreX, t)}
	}
	return nil
}

// BoardSimOptions are the inputs of ncx board sim.
type BoardSimOptions struct {
	F       *Factory
	Image   string // optional image to preload
	Target  string
	Profile string // ncx board profile when no image is given
	RTL     bool   // serve the Verilated board top instead of the emulator
	Board   string // board top for --rtl on ncx-core: rtlboard.BoardICEBreaker or BoardCMODA7
	NCXSrc  string // NeuroCoreX source directory for --target neurocorex --rtl
	// Line faults between the pseudo-terminal and the board, per byte and
	// in both directions (sim.Faults).
	Drop, Dup, Corrupt, Stall float64
	StallFor                  time.Duration
	Seed                      uint64
	Ready                     func(path string)
}

func newBoardCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "board <command>",
		Short: "Work with boards: simulated ones for now",
		Long: strings.TrimSpace(`
Commands about boards themselves. "ncx board sim" serves a simulated ncx-core
or NeuroCoreX board on a pseudo-terminal, for trying flash, run and readback
without hardware.`),
		Example: "$ ncx board sim small.ncx",
		Args:    noArgs,
		RunE:    func(c *cobra.Command, args []string) error { return c.Help() },
	}
	opts := &BoardSimOptions{F: f}
	simCmd := &cobra.Command{
		Use:   "sim [IMAGE]",
		Short: "Serve a simulated board on a pseudo-terminal",
		Long: strings.TrimSpace(`
Start a simulated board on a pseudo-terminal and print the device path on
standard output; serve until interrupted. Any serial client, including
"ncx flash", "ncx run" and "ncx readback", can open the device.

--target ncx (default) simulates an ncx-core board speaking wire protocol v3,
running steps in the emulator, so its output is the emulator's bit for bit.
--target neurocorex simulates a NeuroCoreX board at the byte level, as
docs/neurocorex.md describes it.

With IMAGE the board starts loaded with it (lowered to NeuroCoreX tables for
--target neurocorex); otherwise an ncx board has the --profile widths and
cleared memories.

--rtl serves the Verilated board top instead (hdl/board: UART, command
decoder and ncx-core, built with verilator from this source tree on first
use): what the client talks to is the RTL, bit for bit, with cleared
memories and the --profile widths (default up5k, the iCEBreaker build).
With --target neurocorex, --rtl serves ORNL's NeuroCoreX VHDL under GHDL
(found with --neurocorex-src or $NCX_NEUROCOREX_SRC;
ncx's stand-ins for its Xilinx IP are in hdl/neurocorex). It runs about a
thousand times slower than the board: give the clients --time-scale 3000.

--drop, --dup and --corrupt put a bad cable between the device and the
board: each byte, in each direction, is lost, doubled or has one bit
flipped with that probability; --stall P stops the line for --stall-for
(100 ms) before a byte with probability P. --seed makes the faults
repeatable. The client's retries should carry a flash, run or readback
through; what they cannot recover is an error, never wrong data
(docs/protocol.md).`),
		Example: strings.TrimSpace(`
$ ncx board sim small.ncx
$ ncx board sim --profile a7 &
$ ncx board sim --target neurocorex
$ ncx board sim --rtl --profile up5k
$ ncx board sim --rtl --board cmoda7
$ ncx board sim --target neurocorex --rtl --neurocorex-src ~/NeuroCoreX
$ ncx board sim --profile tiny --drop 1e-3 --dup 1e-3 --corrupt 1e-3 --seed 7`),
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Image = args[0]
			}
			if err := checkTarget(opts.Target); err != nil {
				return err
			}
			for name, p := range map[string]float64{"drop": opts.Drop, "dup": opts.Dup, "corrupt": opts.Corrupt, "stall": opts.Stall} {
				if !(p >= 0 && p <= 1) {
					return &usageError{err: fmt.Errorf("--%s is a probability per byte in [0, 1], got %g", name, p)}
				}
			}
			if opts.StallFor < 0 {
				return &usageError{err: fmt.Errorf("--stall-for must not be negative, got %v", opts.StallFor)}
			}
			return boardSimRun(c.Context(), opts)
		},
	}
	fl := simCmd.Flags()
	fl.StringVar(&opts.Target, "target", targetNCX, "board to simulate: ncx or neurocorex")
	fl.StringVar(&opts.Profile, "profile", "", "profile of an ncx board started without an image (default a7; with --rtl the board top's: "+boardDefaults()+")")
	fl.BoolVar(&opts.RTL, "rtl", false, "serve the RTL board: the Verilated ncx-core top, or NeuroCoreX's VHDL under GHDL")
	fl.StringVar(&opts.Board, "board", rtlboard.Boards[0], "board top served by --rtl for --target ncx: "+strings.Join(rtlboard.Boards, " or ")+" ("+rtlboard.BoardCMODA7+" is the NeuroCoreX board; --profile says each one's profile)")
	fl.StringVar(&opts.NCXSrc, "neurocorex-src", "", "NeuroCoreX checkout for --target neurocorex --rtl (default $"+vhdlboard.EnvSrc+")")
	fl.Int("baud", 1_000_000, "ignored: a pseudo-terminal has no line rate (accepted for symmetry with real boards)")
	fl.Float64Var(&opts.Drop, "drop", 0, "probability that a byte is lost, each way")
	fl.Float64Var(&opts.Dup, "dup", 0, "probability that a byte arrives twice, each way")
	fl.Float64Var(&opts.Corrupt, "corrupt", 0, "probability that a byte has one bit flipped, each way")
	fl.Float64Var(&opts.Stall, "stall", 0, "probability per byte that the line stops for --stall-for")
	fl.DurationVar(&opts.StallFor, "stall-for", 100*time.Millisecond, "how long a stall lasts")
	fl.Uint64Var(&opts.Seed, "seed", 1, "seed of the line faults")
	cmd.AddCommand(simCmd)
	return cmd
}

func boardSimRun(ctx context.Context, opts *BoardSimOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var im *core.Image
	if opts.Image != "" {
		var err error
		if im, err = core.ReadImage(opts.Image); err != nil {
			return badInput(err)
		}
	}
	var srv sim.Server
	desc := ""
	if opts.RTL && opts.Target == targetNeuroCoreX {
		if im != nil {
			return &usageError{err: errors.New("--rtl serves NeuroCoreX with its power-on memories: flash the image to it instead")}
		}
		fmt.Fprintln(opts.F.ErrOut, "building NeuroCoreX's VHDL with GHDL...")
		s, err := vhdlboard.Build(opts.NCXSrc)
		if err != nil {
			return err
		}
		b, err := vhdlboard.Start(s, vhdlboard.Options{Stderr: opts.F.ErrOut})
		if err != nil {
			return err
		}
		defer b.Close()
		srv, desc = sim.Bridge{Board: b}, "NeuroCoreX VHDL board (GHDL)"
	} else if opts.RTL {
		if im != nil {
			return &usageError{err: errors.New("--rtl serves an ncx-core board with cleared memories: flash the image to it instead")}
		}
		if opts.Board == "" {
			opts.Board = rtlboard.Boards[0]
		}
		def, err := rtlboard.BoardProfile(opts.Board)
		if err != nil {
			return &usageError{err: fmt.Errorf("--board %q: want %s", opts.Board, strings.Join(rtlboard.Boards, " or "))}
		}
		prof, err := profileOr(opts.Profile, def.Name)
		if err != nil {
			return err
		}
		cfg := rtlboard.Config{Profile: &prof, Board: opts.Board}
		fmt.Fprintf(opts.F.ErrOut, "building the Verilated %s board top (profile %s)...\n", cfg.Board, prof.Name)
		bin, err := rtlboard.Build(cfg)
		if err != nil {
			return err
		}
		b, err := rtlboard.Start(bin, cfg)
		if err != nil {
			return err
		}
		defer b.Close()
		srv, desc = sim.Bridge{Board: b}, "Verilated ncx-core "+opts.Board+" board top, profile "+prof.Name
	}
	switch {
	case srv != nil:
	case opts.Target == targetNCX:
		var prof core.Profile
		var err error
		if im != nil {
			prof = im.Profile
		} else if prof, err = profileOr(opts.Profile, "a7"); err != nil {
			return err
		}
		b, err := sim.NewBoard(sim.Config{Profile: prof})
		if err != nil {
			return err
		}
		if im != nil {
			if err := b.Load(im); err != nil {
				return badInput(err)
			}
		}
		srv, desc = b, "ncx-core v1 board, profile "+prof.Name
	case opts.Target == targetNeuroCoreX:
		b := neurocorex.NewBoard()
		if im != nil {
			t, _, err := neurocorex.Lower(im)
			if err != nil {
				return badInput(err)
			}
			b.Load(t)
		}
		srv, desc = b, "NeuroCoreX board"
	}
	f := sim.Faults{Drop: opts.Drop, Dup: opts.Dup, Corrupt: opts.Corrupt, Stall: opts.Stall, StallFor: opts.StallFor}
	if f.Any() {
		srv = sim.Faulty{Server: srv, ToBoard: f, ToHost: f, Seed: opts.Seed}
		desc += fmt.Sprintf(" behind a faulty line (drop %g, dup %g, corrupt %g, stall %g×%v per byte, seed %d)", f.Drop, f.Dup, f.Corrupt, f.Stall, f.StallFor, opts.Seed)
	}
	pt, err := sim.ServePTY(srv)
	if err != nil {
		return err
	}
	defer pt.Close()
	fmt.Fprintln(opts.F.Out, pt.Path)
	fmt.Fprintf(opts.F.ErrOut, "serving a simulated %s on %s; interrupt to stop\n", desc, pt.Path)
	if opts.Ready != nil {
		opts.Ready(pt.Path)
	}
	select {
	case <-ctx.Done():
		return nil
	case <-pt.Done():
		if err := pt.Err(); err != nil && !errors.Is(err, driver.ErrPortGone) {
			return err
		}
		return nil
	}
}

// boardDefaults says which profile each RTL board top has by default.
func boardDefaults() string {
	var parts []string
	for _, b := range rtlboard.Boards {
		if p, err := rtlboard.BoardProfile(b); err == nil {
			parts = append(parts, p.Name+" on "+b)
		}
	}
	return strings.Join(parts, ", ")
}

// profileOr looks up the profile name, or def when name is empty; an unknown
// name is a usage error.
func profileOr(name, def string) (core.Profile, error) {
	if name == "" {
		name = def
	}
	p, err := core.LookupProfile(name)
	if err != nil {
		return core.Profile{}, &usageError{err: err}
	}
	return p, nil
}
