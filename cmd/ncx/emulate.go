package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/internal/atomicfile"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/reference"
	"github.com/ncx-project/ncx/run/emulate"
	"github.com/ncx-project/ncx/run/output"
	"github.com/ncx-project/ncx/run/plot"
)

// EmulateOptions are the inputs of ncx emulate.
type EmulateOptions struct {
	F            *Factory
	Source       string // image, or network description compiled in memory
	Steps        int    // 0: the image's
	Input        string // input spike CSV replacing the image's stimulus
	OutDir       string // default: Source with extension .out
	TraceCycles  string // CSV of every cycle event, "" for none
	Plot         bool
	CompareFloat bool
	JSON         bool
	Target       string // profile for a network description
	NIR          nirFlags
}

func newEmulateCmd(f *Factory) *cobra.Command {
	opts := &EmulateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "emulate IMAGE|NET.yaml",
		Short: "Run an image in the cycle-accurate emulator",
		Long: strings.TrimSpace(`
Run a compiled image in the emulator, which reproduces the core bit for bit and
cycle for cycle. Given a network description (.yaml) instead, compile it in
memory first.

The input spikes are the image's stimulus unless --input gives a CSV file with
a header and one spike per line: "step,neuron" or "time_ms,neuron" (time
rounded to the nearest step). A neuron is an absolute id or population:index;
other columns are ignored, so a spikes.csv from an earlier run can be replayed.

Outputs are written to --out (default: the image path with extension .out)
as the run goes, under temporary names renamed into place only once the run
has finished (an interrupted run leaves none). Memory does not grow with the
number of steps, except with --plot and --compare-float, which keep the
whole run in memory to draw or compare it:

  spikes.csv    step,time_ms,neuron,population,cycle (cycle counted from the
                start of the run)
  spikes.bin    the same spikes in the compact NCXS format (see package output)
  traces.csv    step,time_ms,neuron,population,var,raw,physical for every
                probed v, i and trace after each step
  weights.csv   address,pre,post,projection,rule,wexp,weight_raw,weight_physical
                of the final weights, when a probe asks for weights or a
                synapse is plastic
  bursts.csv    the spikes that carry the burst flag (burst units only)
  cycles.csv    step,cycles,spikes,synapse_events,fanin_events,bursts,
                burst_events
  summary.json  the summary printed at the end
  raster.png, membrane.png  with --plot

The summary gives spikes and rate per population, total cycles and the time
they take at the profile's clock against biological time, and the emulator's
own speed. --compare-float also runs the float reference of the network
description and reports how well the spikes agree.

--target neurocorex compiles a description or NIR graph as ncx compile
--target neurocorex does, lowers the image as ncx flash --target neurocorex does and
runs it in the NeuroCoreX board model, which computes what ORNL's VHDL computes
spike for spike, STDP included (docs/neurocorex.md), on a board fresh from ncx
flash. It writes spikes.csv and spikes.bin byte-identical to those of ncx run
--target neurocorex on such a board, and summary.json.`),
		Example: strings.TrimSpace(`
$ ncx emulate small.ncx
$ ncx emulate small.ncx --steps 5000 --out runs/long --plot
$ ncx emulate examples/small.yaml --compare-float --json > summary.json
$ ncx emulate small.ncx --input my-spikes.csv --trace-cycles cycles-trace.csv
$ ncx emulate nx.ncx --target neurocorex --steps 60`),
		Args: exactArgs(1, "image or network description"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Source = args[0]
			if opts.Steps < 0 {
				return &usageError{err: fmt.Errorf("--steps must be positive, got %d", opts.Steps)}
			}
			if opts.Target == targetNeuroCoreX {
				if opts.TraceCycles != "" || opts.Plot || opts.CompareFloat {
					return &usageError{err: errors.New("--target neurocorex writes spikes.csv, spikes.bin and summary.json only: --trace-cycles, --plot and --compare-float do not apply")}
				}
				return emulateNeuroCoreX(opts)
			}
			if opts.Target != "" && !isNetworkFile(opts.Source) && !isNIRFile(opts.Source) {
				return &usageError{err: errors.New("--target applies only to a network description; an image already has its profile")}
			}
			return emulateRun(c.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&opts.Steps, "steps", 0, "number of steps to run (default: the image's)")
	fl.StringVar(&opts.Input, "input", "", "CSV of input spikes (step,neuron or time_ms,neuron) replacing the image's stimulus")
	fl.StringVarP(&opts.OutDir, "out", "o", "", "output directory (default: IMAGE with extension .out)")
	fl.StringVar(&opts.TraceCycles, "trace-cycles", "", "write every cycle event as CSV (step,cycle,kind,a,b) to this file")
	fl.BoolVar(&opts.Plot, "plot", false, "also draw raster.png and membrane.png")
	fl.BoolVar(&opts.CompareFloat, "compare-float", false, "also run the float reference and report the agreement")
	fl.BoolVar(&opts.JSON, "json", false, "print the summary as JSON instead of text")
	fl.StringVar(&opts.Target, "target", "", "target profile when compiling a network description, or neurocorex: run the image in the NeuroCoreX board model")
	opts.NIR.register(fl)
	fl.StringVar(&opts.NIR.Spikes, "spikes", "", "NIR graphs: CSV of input spikes (step,index or time_s,index) for the Input node")
	return cmd
}

func emulateRun(ctx context.Context, opts *EmulateOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.F
	src, steps, err := opts.load(compileFlags{Target: opts.Target})
	if err != nil {
		return err
	}
	im := src.Image
	eo := emulate.Options{Steps: steps}
	if opts.Input != "" {
		stim, err := emulate.ReadInputCSV(opts.Input, im)
		if err != nil {
			return badInput(err)
		}
		eo.Stimulus = stim
	}
	// Check everything that can be checked before writing anything.
	probed, _, err := emulate.Probes(im)
	if err != nil {
		return badInput(fmt.Errorf("%s: %w", opts.Source, err))
	}
	var net *network.Network
	if opts.CompareFloat {
		if net, err = networkOf(src); err != nil {
			return fmt.Errorf("--compare-float: %w", err)
		}
	}
	out := opts.OutDir
	if out == "" {
		out = replaceExt(opts.Source, ".out")
	}

	var cycleFile *atomicfile.File
	var cycleCSV *output.CycleCSV
	if opts.TraceCycles != "" {
		cycleFile, err = atomicfile.Create(opts.TraceCycles)
		if err != nil {
			return err
		}
		defer cycleFile.Abort()
		cycleCSV = output.NewCycleCSV(cycleFile.Writer)
		eo.Tracer = cycleCSV.Event
	}
	if f.showProgress() {
		bar := progressbar.NewOptions(steps,
			progressbar.OptionSetWriter(f.ErrOut),
			progressbar.OptionSetDescription("emulating"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		every := max(1, steps/1000)
		eo.Progress = func(done int) {
			if done%every == 0 || done == steps {
				_ = bar.Set(done)
			}
		}
		defer bar.Finish()
	}

	// The files stream to disk as the run goes; --plot and --compare-float
	// need the whole run, so only they keep it in memory too.
	stream, err := output.NewStream(out, im, steps, probed)
	if err != nil {
		return err
	}
	defer stream.Abort()
	eo.Stream, eo.Keep = stream, opts.Plot || opts.CompareFloat

	res, err := emulate.Run(ctx, im, eo)
	if err != nil {
		return err
	}
	if res.InputsIgnored > 0 {
		fmt.Fprintf(f.ErrOut, "warning: %d input spikes at or after step %d were not applied\n", res.InputsIgnored, steps)
	}
	sum := stream.Summary(res.Source, res.Wall)

	if opts.CompareFloat {
		stim := eo.Stimulus
		if stim == nil {
			stim = im.Meta.Stimulus
		}
		var float [][]uint32
		if src.NIR != nil {
			// A NIR graph: compare with its float semantics at the same dt.
			float, err = src.NIR.Reference(res.Steps, stim)
		} else {
			float, err = emulate.FloatSpikes(net, im, res.Steps, stim)
		}
		if err != nil {
			return fmt.Errorf("compare with float reference: %w", err)
		}
		sum.CompareFloat = res.CompareFloat(im, float)
	}
	if cycleFile != nil {
		if err := cycleCSV.Err(); err != nil {
			return fmt.Errorf("write %s: %w", opts.TraceCycles, err)
		}
		if err := cycleFile.Commit(); err != nil {
			return err
		}
		fmt.Fprintf(f.ErrOut, "wrote %s\n", opts.TraceCycles)
	}
	if opts.Plot {
		if err := mkdirOut(out); err != nil {
			return err
		}
		files, err := plot.WriteDir(out, res.Run)
		if err != nil {
			return err
		}
		if !slices.Contains(files, plot.MembranePNG) {
			fmt.Fprintf(f.ErrOut, "note: no membrane potential is probed; %s not drawn\n", plot.MembranePNG)
		}
		sum.Files = append(sum.Files, files...)
	}
	if err := stream.Commit(res.Weights, sum); err != nil {
		return err
	}
	fmt.Fprintf(f.ErrOut, "wrote %s/ (%s)\n", filepath.Clean(out), strings.Join(sum.Files, ", "))

	if opts.JSON {
		return sum.WriteJSON(f.Out)
	}
	if err := sum.WriteText(f.Out); err != nil {
		return err
	}
	if ag, ok := sum.CompareFloat.(reference.Agreement); ok {
		fmt.Fprintln(f.Out, "\nagreement with the float reference:")
		return ag.WriteText(f.Out)
	}
	return nil
}

// load reads or compiles the source (cf: the profile target, or NeuroCoreX,
// for a network description) and returns it with the number of steps to run.
func (opts *EmulateOptions) load(cf compileFlags) (*source, int, error) {
	cf.Steps, cf.NIR = opts.Steps, opts.NIR
	src, err := loadSource(opts.Source, cf)
	if err != nil {
		return nil, 0, err
	}
	steps := opts.Steps
	if steps == 0 {
		steps = src.Image.Meta.Steps
	}
	if steps <= 0 {
		return nil, 0, &usageError{err: fmt.Errorf("%s stores no step count; give --steps", opts.Source)}
	}
	return src, steps, nil
}

// emulateNeuroCoreX runs an image in the NeuroCoreX board model and writes
// what ncx run --target neurocorex writes from a board.
func emulateNeuroCoreX(opts *EmulateOptions) error {
	f := opts.F
	src, steps, err := opts.load(compileFlags{NeuroCoreX: true})
	if err != nil {
		return err
	}
	im := src.Image
	in, err := stimulusFor(im, opts.Input, steps, f.ErrOut)
	if err != nil {
		return err
	}
	t, m, spikes, err := neurocorex.LowerRun(im, in)
	if err != nil {
		return badInput(err)
	}
	start := time.Now()
	frames, err := neurocorex.Emulate(t, spikes, steps)
	if err != nil {
		return err
	}
	run := neurocorexRun("NeuroCoreX model", im, m.Fired(frames), time.Since(start))
	out := opts.OutDir
	if out == "" {
		out = replaceExt(opts.Source, ".out")
	}
	sum := output.Summarize(run)
	if err := output.WriteDir(out, run, sum); err != nil {
		return err
	}
	fmt.Fprintf(f.ErrOut, "wrote %s\n", out)
	if opts.JSON {
		return sum.WriteJSON(f.Out)
	}
	return sum.WriteText(f.Out)
}
