package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// newRootCmd builds the ncx command with every subcommand.
func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "ncx <command> [flags]",
		Short: "Compile and emulate spiking neural networks for the ncx-core FPGA core",
		Long: strings.TrimSpace(`
ncx compiles spiking neural network descriptions (YAML) into images for the
ncx-core FPGA core, emulates images bit- and cycle-exactly, and inspects them.

Results go to standard output and status messages to standard error.

Exit codes:
  0  success
  1  failure
  2  bad command line, or an input file that is missing or invalid
  3  the network does not fit the target profile
  130  interrupted by SIGINT or SIGTERM: every output file is complete or
       absent; "emulate" writes nothing, "run" keeps the steps that ran
       and marks summary.json "interrupted": true, "steps_done": N`),
		Example: strings.TrimSpace(`
$ ncx compile examples/small.yaml -o small.ncx
$ ncx emulate small.ncx --plot
$ ncx inspect small.ncx --neurons 0:8`),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(f.Out)
	root.SetErr(f.ErrOut)
	root.SetIn(f.In)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err: err}
	})
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		// network to image to results
		newImportCmd(f), newExportCmd(f), newCompileCmd(f), newInspectCmd(f), newEmulateCmd(f), newLearnCmd(f),
		// boards
		newPortsCmd(f), newFlashCmd(f), newRunCmd(f), newReadbackCmd(f), newBoardCmd(f), newBitstreamCmd(f),
		// the tool itself
		newProfilesCmd(f), newVersionCmd(f),
	)
	// Unknown subcommands and stray arguments to the root are usage errors.
	root.Args = func(c *cobra.Command, args []string) error {
		if len(args) > 0 {
			return &usageError{err: fmt.Errorf("unknown command %q for %q", args[0], c.CommandPath())}
		}
		return nil
	}
	root.RunE = func(c *cobra.Command, args []string) error { return c.Help() }
	return root
}

// exactArgs is cobra.ExactArgs whose error is a usage error.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			if len(args) < n {
				return &usageError{err: fmt.Errorf("missing %s", what)}
			}
			return &usageError{err: fmt.Errorf("%s takes %d argument(s), got %d: %s", c.CommandPath(), n, len(args), strings.Join(args, " "))}
		}
		return nil
	}
}

// noArgs rejects positional arguments with a usage error.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return &usageError{err: fmt.Errorf("%s takes no arguments, got %q", c.CommandPath(), args[0])}
	}
	return nil
}
