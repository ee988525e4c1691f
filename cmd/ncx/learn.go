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
	"github.com/ncx-project/ncx/network"
)

// LearnOptions are the inputs of ncx learn (a description file or a
// built-in demo).
type LearnOptions struct {
	F        *Factory
	Seeds    int
	Epochs   int
	Hidden   int
	Limit    int
	Frozen   bool
	Float    bool
	Parallel int
	Data     string
	OutDir   string
	JSON     bool

	hiddenSet bool
}

func (o *LearnOptions) flags(cmd *cobra.Command, hidden int) {
	fl := cmd.Flags()
	fl.IntVar(&o.Seeds, "seeds", 1, "network seeds 0..N-1 (the description's seed when 1 and a file is given)")
	fl.IntVar(&o.Epochs, "epochs", 0, "training epochs (0: the description's)")
	if hidden > 0 {
		fl.IntVar(&o.Hidden, "hidden", hidden, "hidden burst units")
	}
	fl.IntVar(&o.Limit, "limit", 0, "use the first N training and N/4 test samples (0: all)")
	fl.BoolVar(&o.Frozen, "frozen", false, "train only the hidden-frozen network (output learning only)")
	fl.IntVar(&o.Parallel, "parallel", 1, "seeds trained at once")
	fl.StringVarP(&o.OutDir, "out", "o", "", "write the figures and NAME_results.json to this directory")
	fl.BoolVar(&o.JSON, "json", false, "print the result as JSON instead of the table")
}

func (o *LearnOptions) check() error {
	switch {
	case o.Seeds < 1:
		return &usageError{err: fmt.Errorf("--seeds must be at least 1, got %d", o.Seeds)}
	case o.Epochs < 0:
		return &usageError{err: fmt.Errorf("--epochs must not be negative, got %d", o.Epochs)}
	case o.Hidden < 0 || o.Hidden == 0 && o.hiddenSet:
		return &usageError{err: fmt.Errorf("--hidden must be at least 1, got %d", o.Hidden)}
	case o.Limit < 0:
		return &usageError{err: fmt.Errorf("--limit must not be negative, got %d", o.Limit)}
	case o.Parallel < 1:
		return &usageError{err: fmt.Errorf("--parallel must be at least 1, got %d", o.Parallel)}
	}
	return nil
}

func newLearnCmd(f *Factory) *cobra.Command {
	opts := &LearnOptions{F: f}
	cmd := &cobra.Command{
		Use:   "learn <network.yaml | xor | digits>",
		Short: "Train a burst-unit network on the core with BDSP",
		Long: strings.TrimSpace(`
Train a learning network (a description with burst populations, a teacher, a
dataset_input and a learning block; see docs/network-format.md) on the
bit-exact emulator with the core's own burst-dependent plasticity (BDSP, spec
section 8): every weight change is made by the emulated core; the host only
forces input spikes, writes the teaching registers and learning rates between
phases and counts output events. Next to it the same image is trained with
its hidden layer's learning rate held at 0 (the frozen control). See
docs/learning.md.

"ncx learn xor" and "ncx learn digits" are the built-in demos; they train the
networks of examples/xor.yaml and examples/digits.yaml.

The result table (or --json) goes to standard output, progress and "wrote"
lines to standard error. Runs are reproducible bit for bit.`),
		Example: strings.TrimSpace(`
$ ncx learn examples/xor.yaml --seeds 10
$ ncx learn digits --seeds 5 --parallel 2 --out figures
$ ncx learn examples/digits.yaml --epochs 2 --limit 400`),
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return &usageError{err: fmt.Errorf("%s takes one network description, got %d arguments", c.CommandPath(), len(args))}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return c.Help()
			}
			if err := opts.check(); err != nil {
				return err
			}
			net, err := network.Load(args[0])
			if err != nil {
				return badInput(err)
			}
			return learnRun(opts, net, len(args) == 1 && !c.Flags().Changed("seeds"))
		},
	}
	opts.flags(cmd, 0)
	cmd.Flags().BoolVar(&opts.Float, "float", false, "also train the float references (backprop, hidden frozen) of the same size")
	cmd.AddCommand(newLearnXORCmd(f), newLearnDigitsCmd(f))
	return cmd
}

func newLearnXORCmd(f *Factory) *cobra.Command {
	opts := &LearnOptions{F: f}
	cmd := &cobra.Command{
		Use:   "xor",
		Short: "Learn XOR on-core, one network per seed (examples/xor.yaml)",
		Long: strings.TrimSpace(`
Train the XOR burst network of examples/xor.yaml (each input feature coded by
two populations of 8 neurons firing at rates x and 1-x, 32 hidden and 2
output burst units) once per seed 0..N-1 and report the accuracy over 10
test presentations of each pattern, how many seeds solve it and after how
many epochs, next to the same seeds with the hidden layer frozen. A small
--hidden (4 or 8) makes the random hidden layer insufficient.`),
		Example: strings.TrimSpace(`
$ ncx learn xor --seeds 10
$ ncx learn xor --hidden 8 --out xor-figures`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.hiddenSet = c.Flags().Changed("hidden")
			if err := opts.check(); err != nil {
				return err
			}
			cfg := learn.DefaultXORNet()
			cfg.Hidden = opts.Hidden
			net, err := learn.ParseTask(cfg, learn.XORTask(""), learn.XORCSV())
			if err != nil {
				return err
			}
			return learnRun(opts, net, false)
		},
	}
	opts.flags(cmd, learn.DefaultXORNet().Hidden)
	cmd.Flags().Lookup("seeds").DefValue = "10"
	opts.Seeds = 10
	return cmd
}

func newLearnDigitsCmd(f *Factory) *cobra.Command {
	opts := &LearnOptions{F: f, Float: true}
	cmd := &cobra.Command{
		Use:   "digits",
		Short: "Learn the 8x8 digits on-core and compare with the references (examples/digits.yaml)",
		Long: strings.TrimSpace(`
Train the 64-H-10 burst network of examples/digits.yaml on the 8x8 digits
(split 1,437 / 360, seed 0) with BDSP in both layers, and print the test
accuracy next to the same network with its hidden layer frozen (also
on-core) and the float backpropagation reference of the same size (with and
without hidden learning), over --seeds network seeds (mean, sd, worst).
--limit N uses the first N training and N/4 test samples (a quick run).
The data are the UCI 8x8 digits (64 pixels 0..16, then the label, one sample
a line; CC BY 4.0), built into ncx from the repository's data/digits.csv.gz,
so no file is needed; --data reads another CSV (.csv or .csv.gz) in the same
layout. The first progress line says which was used.`),
		Example: strings.TrimSpace(`
$ ncx learn digits
$ ncx learn digits --seeds 5 --parallel 3 --out learn/figures
$ ncx learn digits --epochs 3 --limit 300 --hidden 64`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.hiddenSet = c.Flags().Changed("hidden")
			if err := opts.check(); err != nil {
				return err
			}
			cfg := learn.DefaultDigitsNet()
			cfg.Hidden = opts.Hidden
			task, content := learn.BuiltinDigitsTask()
			if opts.Data != "" {
				task, content = learn.DigitsTask(opts.Data), nil
			}
			fmt.Fprintf(opts.F.ErrOut, "digits data: %s\n", learn.DigitsSource(opts.Data))
			net, err := learn.ParseTask(cfg, task, content)
			if errors.Is(err, fs.ErrNotExist) || errors.As(err, new(*network.Error)) {
				return badInput(fmt.Errorf("%w (give the digits CSV with --data)", err))
			}
			if err != nil {
				return err
			}
			return learnRun(opts, net, false)
		},
	}
	opts.flags(cmd, learn.DefaultDigitsNet().Hidden)
	cmd.Flags().StringVar(&opts.Data, "data", "", "digits CSV (.csv or .csv.gz) instead of the built-in data/digits.csv.gz")
	return cmd
}

// learnRun trains net over the requested seeds and prints the result.
func learnRun(opts *LearnOptions, net *network.Network, ownSeed bool) error {
	cfg := learn.RunConfig{Epochs: opts.Epochs, TrainLimit: opts.Limit, TestLimit: (opts.Limit + 3) / 4,
		OnlyFrozen: opts.Frozen, Float: opts.Float, Parallel: opts.Parallel, OutDir: opts.OutDir, Progress: opts.F.ErrOut}
	if !ownSeed {
		for s := range opts.Seeds {
			cfg.Seeds = append(cfg.Seeds, s)
		}
	}
	r, err := learn.RunSeeds(net, cfg)
	if err != nil {
		return err
	}
	figs := r.Figures
	r.Figures = nil // "wrote" lines are status: stderr
	if opts.OutDir != "" {
		p, err := learn.WriteResultsJSON(opts.OutDir, net.Name+"_results.json", r)
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
