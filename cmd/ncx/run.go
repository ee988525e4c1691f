package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/run/emulate"
	"github.com/ncx-project/ncx/run/output"
)

// RunOptions are the inputs of ncx run.
type RunOptions struct {
	F *Factory
	BoardOptions
	Image  string
	Input  string
	Steps  int
	OutDir string
	JSON   bool
}

func newRunCmd(f *Factory) *cobra.Command {
	opts := &RunOptions{F: f}
	cmd := &cobra.Command{
		Use:   "run IMAGE --port P",
		Short: "Run a flashed image on a board and collect its spikes",
		Long: strings.TrimSpace(`
Run the network already flashed to an ncx-core board (see ncx flash): stream
the input spikes to the board while it runs and collect every step's output
spikes and cycle count. IMAGE names populations and gives the default step
count and stimulus; it must be the image that was flashed.

The input spikes are the image's stimulus unless --input gives a CSV file in
the format of ncx emulate. Outputs go to --out (default: IMAGE with extension
.board) like those of ncx emulate: spikes.csv, spikes.bin, cycles.csv and
summary.json, so the two can be compared file for file.

--target neurocorex runs the image on a NeuroCoreX board (flashed with ncx
flash --target neurocorex): the image is lowered again to find the mapping
of ncx neurons to NeuroCoreX indices, the stimulus is lowered to NeuroCoreX
input records (at most one spike a step) and the board's
output frames are mapped back to ncx neuron ids. NeuroCoreX reports no cycle
counts, so spike cycles are 0 and cycles.csv has no per-step counts; its
neuron model approximates ncx's (docs/neurocorex.md), so the spikes are
comparable to ncx emulate's, not equal to them.`),
		Example: strings.TrimSpace(`
$ ncx run small.ncx --port /dev/ttyUSB1
$ ncx run small.ncx --port /dev/ttyUSB1 --steps 5000 --input spikes-in.csv --out runs/board
$ ncx run small.ncx --port /dev/ttyACM0 --target neurocorex --steps 200`),
		Args: exactArgs(1, "image"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Image = args[0]
			if err := opts.check(); err != nil {
				return err
			}
			if opts.Steps < 0 {
				return &usageError{err: fmt.Errorf("--steps must be positive, got %d", opts.Steps)}
			}
			return runBoard(c.Context(), opts)
		},
	}
	opts.flags(cmd)
	fl := cmd.Flags()
	fl.StringVar(&opts.Input, "input", "", "CSV of input spikes (step,neuron or time_ms,neuron) replacing the image's stimulus")
	fl.IntVar(&opts.Steps, "steps", 0, "number of steps to run (default: the image's)")
	fl.StringVarP(&opts.OutDir, "out", "o", "", "output directory (default: IMAGE with extension .board)")
	fl.BoolVar(&opts.JSON, "json", false, "print the summary as JSON instead of text")
	return cmd
}

func runBoard(ctx context.Context, opts *RunOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f := opts.F
	im, err := core.ReadImage(opts.Image)
	if err != nil {
		return badInput(err)
	}
	steps := opts.Steps
	if steps == 0 {
		steps = im.Meta.Steps
	}
	if steps <= 0 {
		return &usageError{err: fmt.Errorf("%s stores no step count; give --steps", opts.Image)}
	}
	in, err := stimulusFor(im, opts.Input, steps, f.ErrOut)
	if err != nil {
		return err
	}
	out := opts.OutDir
	if out == "" {
		out = replaceExt(opts.Image, ".board")
	}
	var sum *output.Summary
	if opts.Target == targetNeuroCoreX {
		run, err := runNeuroCoreX(opts, im, steps, in)
		if err != nil {
			return err
		}
		sum = output.Summarize(run)
		if err := output.WriteDir(out, run, sum); err != nil {
			return err
		}
	} else if sum, err = runNCX(ctx, opts, im, steps, in, out); err != nil {
		return err
	}
	fmt.Fprintf(f.ErrOut, "wrote %s\n", out)
	if opts.JSON {
		err = sum.WriteJSON(f.Out)
	} else {
		err = sum.WriteText(f.Out)
	}
	if err == nil && sum.Interrupted {
		err = fmt.Errorf("interrupted after %d of %d steps: %s holds their results (summary.json: \"interrupted\": true): %w", sum.Steps, steps, out, context.Canceled)
	}
	return err
}

// runNeuroCoreX runs steps steps on a NeuroCoreX board holding im (lowered)
// and maps its output frames back to ncx neuron ids.
func runNeuroCoreX(opts *RunOptions, im *core.Image, steps int, in []core.InputSpike) (*output.Run, error) {
	_, m, spikes, err := neurocorex.LowerRun(im, in)
	if err != nil {
		return nil, badInput(err)
	}
	c, p, err := opts.openNeuroCoreX()
	if err != nil {
		return nil, err
	}
	defer p.Close()
	start := time.Now()
	frames, err := c.Run(spikes, steps)
	if err != nil {
		return nil, err
	}
	return neurocorexRun("NeuroCoreX "+opts.Port, im, m.Fired(frames), time.Since(start)), nil
}

// neurocorexRun is the run of a NeuroCoreX board or model whose step s
// fired the ncx neurons fired[s], in the form ncx run and ncx emulate write.
func neurocorexRun(source string, im *core.Image, fired [][]uint32, wall time.Duration) *output.Run {
	run := &output.Run{Source: source, Image: im, Steps: len(fired), Wall: wall}
	for s, ids := range fired {
		for _, id := range ids {
			run.Spikes = append(run.Spikes, output.Spike{Step: uint32(s), Neuron: id})
		}
	}
	return run
}

// runNCX runs steps steps on an ncx-core board, writing the files of each
// step into dir as the board reports it, so memory does not grow with the
// run; a run stopped early keeps the steps it completed.
func runNCX(ctx context.Context, opts *RunOptions, im *core.Image, steps int, in []core.InputSpike, dir string) (*output.Summary, error) {
	f := opts.F
	c, err := opts.openNCX()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.CheckImage(im); err != nil {
		return nil, err
	}
	st, err := output.NewStream(dir, im, steps, nil)
	if err != nil {
		return nil, err
	}
	defer st.Abort()
	var (
		at     uint64
		spikes []output.Spike
	)
	start := time.Now()
	res, err := c.RunStream(ctx, steps, in, func(s int, so driver.StepOutput) {
		spikes = spikes[:0]
		for _, n := range so.Spikes {
			spikes = append(spikes, output.Spike{Step: uint32(s), Neuron: n, Cycle: at + core.TimingV1.SpikeCycle(uint64(n))})
		}
		st.Step(spikes, output.StepStats{Step: s, Cycles: uint64(so.Cycles), Spikes: len(so.Spikes)}, nil)
		at += uint64(so.Cycles)
	})
	if err != nil {
		return nil, err
	}
	wall := time.Since(start)
	if res.Status.Dropped > 0 {
		fmt.Fprintf(f.ErrOut, "warning: the board dropped %d input events\n", res.Status.Dropped)
	}
	if res.Stopped {
		st.Stop(ctx.Err() != nil)
	}
	sum := st.Summary(c.Info().Board, wall)
	if res.Stopped {
		fmt.Fprintf(f.ErrOut, "run stopped after %d of %d steps\n", sum.Steps, steps)
	}
	if err := st.Commit(nil, sum); err != nil {
		return nil, err
	}
	return sum, nil
}

// stimulusFor is the image's stimulus, or the spikes of the input CSV,
// limited to steps steps (a warning names how many were left out).
func stimulusFor(im *core.Image, input string, steps int, errOut io.Writer) ([]core.InputSpike, error) {
	stim := im.Meta.Stimulus
	if input != "" {
		var err error
		if stim, err = emulate.ReadInputCSV(input, im); err != nil {
			return nil, badInput(err)
		}
	}
	var in []core.InputSpike
	for _, s := range stim {
		if int(s.Step) < steps {
			in = append(in, s)
		}
	}
	if dropped := len(stim) - len(in); dropped > 0 {
		fmt.Fprintf(errOut, "warning: %d input spikes at or after step %d were not applied\n", dropped, steps)
	}
	return in, nil
}
