package main

import (
	"encoding/json"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/inspect"
)

// ProfilesOptions are the inputs of ncx profiles.
type ProfilesOptions struct {
	F    *Factory
	JSON bool
}

func newProfilesCmd(f *Factory) *cobra.Command {
	opts := &ProfilesOptions{F: f}
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the built-in target profiles",
		Long: strings.TrimSpace(`
List the built-in target profiles, from smallest to largest: the FPGA each is
for, its capacities (neuron slots, synapse words, plastic fan-in words), the
address widths NB, SB, RB, the state width VW, whether it builds burst units,
and the clock used to convert cycle counts into time.

A profile is chosen with "target:" in a network description or with --target;
--target also accepts a profile YAML file {name, nb, sb, rb, vw, target,
clock_hz}.`),
		Example: strings.TrimSpace(`
$ ncx profiles
$ ncx profiles --json`),
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return profilesRun(opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the profiles as JSON")
	return cmd
}

func profilesRun(opts *ProfilesOptions) error {
	if opts.JSON {
		enc := json.NewEncoder(opts.F.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(inspect.Profiles())
	}
	return inspect.WriteProfiles(opts.F.Out)
}
