package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/learn"
)

func init() { register(newLearnCmd) }

// LearnXOROptions are the inputs of ncx learn xor.
type LearnXOROptions struct {
	F      *Factory
	Seeds  int
	Epochs int
	Hidden int
	Frozen bool
	OutDir string
	JSON   bool
}

// LearnDigitsOptions are the inputs of ncx learn digits.
type LearnDigitsOptions struct {
	F      *Factory
	Data   string
	Epochs int
	Hidden int
	Limit  int
	Frozen bool
	OutDir string
	JSON   bool
}

func newLearnCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "learn <demo>",
		Short: "Run the on-core learning demos (burst units and BDSP)",
		Long: strings.TrimSpace(`
Train burst-unit networks on the bit-exact emulator with the core's own
burst-dependent plasticity (BDSP, spec section 8): every weight change is made
by the emulated core; the host only forces input spikes, writes the teaching
registers between phases and counts output events. See docs/learning.md.

The result table goes to standard output, progress and "wrote" lines to
standard error. Runs are reproducible bit for bit.`),
		Example: strings.TrimSpace(`
$ ncx learn xor
$ ncx learn digits --epochs 10 --out figures`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return c.Help() },
	}
	cmd.AddCommand(newLearnXORCmd(f), newLearnDigitsCmd(f))
	return cmd
}

func newLearnXORCmd(f *Factory) *cobra.Command {
	opts := &LearnXOROptions{F: f}
	cmd := &cobra.Command{
		Use:   "xor",
		Short: "Learn XOR on-core, one network per seed",
		Long: strings.TrimSpace(`
Train the XOR burst network (each input feature coded by two populations of 8
neurons firing at rates x and 1-x, 32 hidden and 2 output burst units) once per
seed 0..N-1, and report the accuracy of every seed over repeated test
presentations of the four patterns, next to the same seeds with the hidden
layer frozen (input->hidden weights kept at their random initial values, so
only the output layer learns: the baseline for hidden-layer learning).
--frozen runs only the frozen networks. A small --hidden (4 or 8) makes the
random hidden layer insufficient, which is where hidden learning shows. With --out, xor_accuracy.png (accuracy per epoch,
one line per seed) is written there.`),
		Example: strings.TrimSpace(`
$ ncx learn xor
$ ncx learn xor --seeds 3 --out xor-figures
$ ncx learn xor --hidden 8
$ ncx learn xor --frozen --json > xor-frozen.json`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if opts.Seeds < 1 {
				return &usageError{err: fmt.Errorf("--seeds must be at least 1, got %d", opts.Seeds)}
			}
			if opts.Epochs < 1 {
				return &usageError{err: fmt.Errorf("--epochs must be at least 1, got %d", opts.Epochs)}
			}
			if opts.Hidden < 1 {
				return &usageError{err: fmt.Errorf("--hidden must be at least 1, got %d", opts.Hidden)}
			}
			return learnXORRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&opts.Seeds, "seeds", 10, "number of seeds (networks), seeds 0..N-1")
	fl.IntVar(&opts.Epochs, "epochs", 20, "training epochs of 40 presentations")
	fl.IntVar(&opts.Hidden, "hidden", learn.DefaultXORNet().Hidden, "hidden burst units")
	fl.BoolVar(&opts.Frozen, "frozen", false, "keep the hidden layer at its initial weights (output learning only)")
	fl.StringVarP(&opts.OutDir, "out", "o", "", "write xor_accuracy.png to this directory")
	fl.BoolVar(&opts.JSON, "json", false, "print the result as JSON instead of the table")
	return cmd
}

func learnXORRun(opts *LearnXOROptions) error {
	cfg := learn.XORConfig{Epochs: opts.Epochs, OutDir: opts.OutDir, Net: learn.DefaultXORNet(), CompareFrozen: !opts.Frozen}
	cfg.Net.Hidden = opts.Hidden
	cfg.Net.FrozenHidden = opts.Frozen
	for s := range uint64(opts.Seeds) {
		cfg.Seeds = append(cfg.Seeds, s)
	}
	r, err := learn.RunXOR(cfg)
	if err != nil {
		return err
	}
	figs := r.Figures
	r.Figures = nil // "wrote" lines are status: stderr
	if err := printLearn(opts.F.Out, opts.JSON, r, r.WriteText); err != nil {
		return err
	}
	for _, p := range figs {
		fmt.Fprintf(opts.F.ErrOut, "wrote %s\n", p)
	}
	return nil
}

func newLearnDigitsCmd(f *Factory) *cobra.Command {
	opts := &LearnDigitsOptions{F: f}
	cmd := &cobra.Command{
		Use:   "digits",
		Short: "Learn the 8x8 digits on-core and compare with the references",
		Long: strings.TrimSpace(`
Train the 64-H-10 burst network on the 8x8 digits (80/20 split, seed 0) with
BDSP in both layers, and print the test accuracy next to the same network with
its hidden layer frozen (also on-core), the float backpropagation reference of
the same architecture (with and without hidden learning), and NeuroCoreX's
published ~68 %. Per epoch it also prints the output units' burst fractions
and pbar, the input->hidden weight statistics and the credit-assignment
measure (cosine between the hidden weight change and the feedback-alignment
direction).

--limit N uses the first N training and N/4 test samples (a quick run).
--frozen trains only the output layer (and skips the separate frozen run).
With --out, digits_accuracy.png, digits_bursts.png and results.json are written
there. The data file is the shared digits.csv.gz (64 pixels 0..16, then the
label, one sample a line), by default at ` + learn.DefaultDigitsPath + `
relative to the working directory.`),
		Example: strings.TrimSpace(`
$ ncx learn digits
$ ncx learn digits --epochs 3 --limit 300 --hidden 64
$ ncx learn digits --frozen --out figures --json > digits.json`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			switch {
			case opts.Epochs < 1:
				return &usageError{err: fmt.Errorf("--epochs must be at least 1, got %d", opts.Epochs)}
			case opts.Hidden < 1:
				return &usageError{err: fmt.Errorf("--hidden must be at least 1, got %d", opts.Hidden)}
			case opts.Limit < 0:
				return &usageError{err: fmt.Errorf("--limit must not be negative, got %d", opts.Limit)}
			}
			return learnDigitsRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Data, "data", learn.DefaultDigitsPath, "digits CSV (.csv or .csv.gz)")
	fl.IntVar(&opts.Epochs, "epochs", 10, "training epochs")
	fl.IntVar(&opts.Hidden, "hidden", learn.DefaultDigitsNet().Hidden, "hidden burst units")
	fl.IntVar(&opts.Limit, "limit", 0, "use the first N training and N/4 test samples (0: all)")
	fl.BoolVar(&opts.Frozen, "frozen", false, "train only the output layer")
	fl.StringVarP(&opts.OutDir, "out", "o", "", "write the figures and results.json to this directory")
	fl.BoolVar(&opts.JSON, "json", false, "print the result as JSON instead of the table")
	return cmd
}

func learnDigitsRun(opts *LearnDigitsOptions) error {
	net := learn.DefaultDigitsNet()
	net.Hidden = opts.Hidden
	net.FrozenHidden = opts.Frozen
	cfg := learn.DigitsConfig{
		DataPath: opts.Data, Epochs: opts.Epochs, Net: net, OutDir: opts.OutDir,
		SkipFrozen: opts.Frozen, TrainLimit: opts.Limit, TestLimit: (opts.Limit + 3) / 4,
		Progress: opts.F.ErrOut,
	}
	r, err := learn.RunDigits(cfg)
	if errors.Is(err, fs.ErrNotExist) {
		return badInput(fmt.Errorf("%w (give the digits CSV with --data)", err))
	}
	if err != nil {
		return err
	}
	figs := r.Figures
	r.Figures = nil
	if opts.OutDir != "" {
		p, err := learn.WriteResultsJSON(opts.OutDir, map[string]any{"digits": r})
		if err != nil {
			return err
		}
		figs = append(figs, p)
	}
	if err := printLearn(opts.F.Out, opts.JSON, r, r.WriteText); err != nil {
		return err
	}
	for _, p := range figs {
		fmt.Fprintf(opts.F.ErrOut, "wrote %s\n", p)
	}
	return nil
}

// printLearn writes a result as indented JSON or as its text table.
func printLearn(w io.Writer, asJSON bool, v any, text func(io.Writer) error) error {
	if !asJSON {
		return text(w)
	}
	js, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", js)
	return err
}
