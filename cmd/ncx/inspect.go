package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/inspect"
)

// InspectOptions are the inputs of ncx inspect.
type InspectOptions struct {
	F        *Factory
	Image    string
	JSON     bool
	Neurons  string // "A:B" range of neuron rows to show, "" for none
	Synapses string // "A:B" range of synapse words to show, "" for none
}

func newInspectCmd(f *Factory) *cobra.Command {
	opts := &InspectOptions{F: f}
	cmd := &cobra.Command{
		Use:   "inspect IMAGE|MODEL.nir",
		Short: "Describe a compiled image or a NIR graph",
		Long: strings.TrimSpace(`
Describe a compiled image: its header (image format, core version, target
profile and capacities), populations, projections, plasticity rules, use of
the core's memories against the profile's capacity, probes and stimulus.

--neurons and --synapses add rows for a range of neurons or synapse words, in
human terms: voltages in mV (relative to the resting potential) where the
population has a known scale, decay multipliers as time constants in ms.

A range A:B covers A up to but not including B; A alone is one row, A: runs to
the end, :B starts at 0, and "all" or ":" covers everything.

A NIR graph (.nir) is listed node by node: type, parameters with their shapes
and ranges, and what the core will make of each node.`),
		Example: strings.TrimSpace(`
$ ncx inspect small.ncx
$ ncx inspect small.ncx --neurons 16:24
$ ncx inspect small.ncx --synapses 0:20 --json | jq '.synapses[].weight_raw'`),
		Args: exactArgs(1, "image file or NIR graph"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Image = args[0]
			return inspectRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.JSON, "json", false, "print the description as JSON")
	fl.StringVar(&opts.Neurons, "neurons", "", "also show parameters and initial state of neurons A:B")
	fl.StringVar(&opts.Synapses, "synapses", "", "also show synapse words A:B")
	return cmd
}

// parseRange parses A:B (half open) against n items.
func parseRange(flag, s string, n int) (lo, hi int, err error) {
	bad := func(format string, a ...any) error {
		return &usageError{err: fmt.Errorf("--%s %q: %s", flag, s, fmt.Sprintf(format, a...))}
	}
	s = strings.TrimSpace(s)
	if s == "all" || s == ":" {
		return 0, n, nil
	}
	num := func(t string, def int) (int, error) {
		if t == "" {
			return def, nil
		}
		v, err := strconv.Atoi(t)
		if err != nil || v < 0 {
			return 0, bad("%q is not a non-negative integer", t)
		}
		return v, nil
	}
	a, b, isRange := strings.Cut(s, ":")
	if lo, err = num(a, 0); err != nil {
		return 0, 0, err
	}
	if !isRange {
		hi = lo + 1
	} else if hi, err = num(b, n); err != nil {
		return 0, 0, err
	}
	if lo >= n {
		return 0, 0, bad("start %d is past the last of %d", lo, n)
	}
	if hi <= lo {
		return 0, 0, bad("empty range")
	}
	return lo, min(hi, n), nil
}

func inspectRun(opts *InspectOptions) error {
	if isNIRFile(opts.Image) {
		return inspectNIR(opts.F.Out, opts.Image, opts.JSON)
	}
	im, err := readImage(opts.Image)
	if err != nil {
		return err
	}
	var nlo, nhi, slo, shi int
	if opts.Neurons != "" {
		if nlo, nhi, err = parseRange("neurons", opts.Neurons, im.NumNeurons); err != nil {
			return err
		}
	}
	if opts.Synapses != "" {
		if len(im.Syn) == 0 {
			return &usageError{err: fmt.Errorf("--synapses: %s has no synapse words", opts.Image)}
		}
		if slo, shi, err = parseRange("synapses", opts.Synapses, len(im.Syn)); err != nil {
			return err
		}
	}
	info := inspect.Describe(opts.Image, im, nlo, nhi, slo, shi)
	if opts.JSON {
		enc := json.NewEncoder(opts.F.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(info)
	}
	return info.WriteText(opts.F.Out, im)
}
