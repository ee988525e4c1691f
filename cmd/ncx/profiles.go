package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ncx-project/ncx/core"
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
	names := core.ProfileNames()
	if opts.JSON {
		list := make([]profileInfo, 0, len(names))
		for _, n := range names {
			p := core.Profiles[n]
			list = append(list, profileInfo{Profile: p, Neurons: p.Neurons(), Synapses: p.Synapses(), FanIn: p.FanIn()})
		}
		enc := json.NewEncoder(opts.F.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	ew := &errTrack{w: opts.F.Out}
	tw := ew.table()
	ew.row(tw, "name", "neurons", "synapses", "fan-in", "NB", "SB", "RB", "VW", "burst", "clock MHz", "target")
	for _, n := range names {
		p := core.Profiles[n]
		burst := "no"
		if p.Burst {
			burst = "yes"
		}
		ew.row(tw, p.Name, strconv.Itoa(p.Neurons()), strconv.Itoa(p.Synapses()), strconv.Itoa(p.FanIn()),
			fmt.Sprint(p.NB), fmt.Sprint(p.SB), fmt.Sprint(p.RB), fmt.Sprint(p.VW), burst, strconv.FormatFloat(p.ClockHz/1e6, 'g', 4, 64), p.Target)
	}
	ew.flush(tw)
	return ew.err
}
