package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/inspect"
	"github.com/ncx-project/ncx/internal/atomicfile"
)

// CompileOptions are the inputs of ncx compile.
type CompileOptions struct {
	F          *Factory
	Network    string
	Output     string // image path; default: Network with .ncx
	MemDir     string // $readmemh directory, "" for none
	ReportPath string // JSON report, "" for none
	// Compile.NeuroCoreX also lowers the image to NeuroCoreX and reports
	// what the lowering approximates and the spike-count agreement.
	Compile compileFlags
}

func newCompileCmd(f *Factory) *cobra.Command {
	opts := &CompileOptions{F: f}
	var seed uint64
	cmd := &cobra.Command{
		Use:   "compile NET.yaml",
		Short: "Compile a network description into a core image",
		Long: strings.TrimSpace(`
Compile a network description (YAML) into an ncx-core image for a target
profile. The image is written atomically; with --mem-dir the core memories are
also written as $readmemh files for simulation and synthesis.

The quantisation report (requested versus hardware values of every parameter,
weight errors per projection) and a fit summary (neurons, synapse words and
plastic fan-in words used against the profile's capacity) are printed to
standard output.

A network that does not fit the profile exits with status 3 and names the
populations or projections that use the most of the exceeded resource.

--target neurocorex compiles for the description's own profile (a NIR graph:
profile a7) with one weight exponent for every projection, as NeuroCoreX
scales all weights alike (the report states what that costs), and also lowers
the image to a NeuroCoreX board, refusing before anything is written what
NeuroCoreX cannot represent (exit 2, exit 3 for too many neurons or inputs);
the report then lists what the lowering approximates, the NeuroCoreX values,
and the spike agreement of the NeuroCoreX board model with the ncx-core
emulator over the stored stimulus and steps.`),
		Example: strings.TrimSpace(`
$ ncx compile examples/small.yaml
$ ncx compile examples/small.yaml -o build/small.ncx --mem-dir build/small.mem
$ ncx compile examples/cuba.yaml --target sim --steps 2000 --report cuba-report.json
$ ncx compile net.yaml --target boards/my-board.yaml --seed 7
$ ncx compile examples/neurocorex.yaml --target neurocorex
$ ncx compile model.nir --dt 1ms --spikes in.csv --target neurocorex`),
		Args: exactArgs(1, "network description NET.yaml"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Network = args[0]
			if c.Flags().Changed("seed") {
				opts.Compile.Seed = &seed
			}
			opts.Compile.neuroCoreXTarget()
			if opts.Compile.Steps < 0 {
				return &usageError{err: fmt.Errorf("--steps must be positive, got %d", opts.Compile.Steps)}
			}
			return compileRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "", "image file to write (default: NET with extension .ncx)")
	fl.StringVar(&opts.Compile.Target, "target", "", "target profile: a built-in name (see ncx profiles) or a profile YAML file (default: the description's target); neurocorex adds the NeuroCoreX lowering report")
	fl.StringVar(&opts.MemDir, "mem-dir", "", "also write every memory as DIR/<memory>.mem in $readmemh format")
	fl.StringVar(&opts.ReportPath, "report", "", "also write the quantisation report as JSON to this file")
	fl.IntVar(&opts.Compile.Steps, "steps", 0, "number of steps to store in the image (default: the description's steps)")
	opts.Compile.NIR.register(fl)
	fl.StringVar(&opts.Compile.NIR.Spikes, "spikes", "", "NIR graphs: CSV of input spikes (step,index or time_s,index) for the Input node")
	fl.Uint64Var(&seed, "seed", 0, "random seed for connectivity, weights, initial state and stimulus (default: the description's seed)")
	fl.BoolVar(&opts.Compile.AllowLoss, "allow-loss", false, "keep a network whose quantisation moves a voltage by more than 10 % or weights by more than 50 % on average (a warning instead of an error)")
	return cmd
}

func compileRun(opts *CompileOptions) error {
	if !isNetworkFile(opts.Network) && !isNIRFile(opts.Network) {
		return &usageError{err: fmt.Errorf("%s: want a network description (.yaml, .yml or .json) or a NIR graph (.nir)", opts.Network)}
	}
	opts.Compile.Warn = func(msg string) { fmt.Fprintf(opts.F.ErrOut, "warning: %s\n", msg) }
	src, err := compileNetwork(opts.Network, opts.Compile)
	if err != nil {
		return err
	}
	im := src.Image
	var nx *nxLowering
	if opts.Compile.NeuroCoreX {
		if nx, err = lowerNeuroCoreX(im); err != nil {
			return err
		}
	}
	out := opts.Output
	if out == "" {
		out = replaceExt(opts.Network, ".ncx")
	}
	// the image, memory files and report appear together or not at all
	data, err := core.EncodeImage(im)
	if err != nil {
		return err
	}
	var set atomicfile.Set
	defer set.Abort()
	if err := set.Add(out, func(w *bufio.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	if opts.MemDir != "" {
		if err := im.AddMemDir(&set, opts.MemDir); err != nil {
			return err
		}
	}
	if opts.ReportPath != "" {
		err := set.Add(opts.ReportPath, func(w *bufio.Writer) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			if src.NIR == nil && nx == nil {
				return enc.Encode(src.Report)
			}
			// beside the compiler's: a NIR graph's import report, the
			// NeuroCoreX agreement
			r := map[string]any{"compile": src.Report}
			if src.NIR != nil {
				r["nir"] = src.NIR.Report
			}
			if nx != nil {
				r["neurocorex"] = nx
			}
			return enc.Encode(r)
		})
		if err != nil {
			return err
		}
	}
	if err := set.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(opts.F.ErrOut, "wrote %s\n", out)
	if opts.MemDir != "" {
		fmt.Fprintf(opts.F.ErrOut, "wrote memory files to %s\n", opts.MemDir)
	}
	if opts.ReportPath != "" {
		fmt.Fprintf(opts.F.ErrOut, "wrote %s\n", opts.ReportPath)
	}
	w := opts.F.Out
	if src.NIR != nil {
		if err := writeNIRReport(w, src.NIR.Report); err != nil {
			return err
		}
	}
	if err := src.Report.WriteText(w); err != nil {
		return fmt.Errorf("print report: %w", err)
	}
	fmt.Fprintf(w, "\nfit on profile %s (%s):\n", im.Profile.Name, im.Profile.Target)
	if err := inspect.WriteUsage(w, im); err != nil {
		return err
	}
	if nx != nil {
		return nx.writeText(w)
	}
	return nil
}
