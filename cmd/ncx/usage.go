package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/ncx-project/ncx/core"
)

// resourceUse is how much of one core memory an image uses.
type resourceUse struct {
	Resource string  `json:"resource"`
	Used     int     `json:"used"`
	Capacity int     `json:"capacity"`
	Percent  float64 `json:"percent"`
}

// imageUsage lists the image's use of neurons, synapse words and plastic
// fan-in words against its profile's capacity.
func imageUsage(im *core.Image) []resourceUse {
	p := im.Profile
	row := func(name string, used, capacity int) resourceUse {
		return resourceUse{Resource: name, Used: used, Capacity: capacity, Percent: 100 * float64(used) / float64(capacity)}
	}
	return []resourceUse{
		row("neurons", im.NumNeurons, p.Neurons()),
		row("synapses", len(im.Syn), p.Synapses()),
		row("fan-in", len(im.Rev), p.FanIn()),
	}
}

// maxFanIn is the largest number of synapse words targeting one neuron.
func maxFanIn(im *core.Image) int {
	in := make([]int, im.NumNeurons)
	best := 0
	for _, s := range im.Syn {
		if int(s.Tgt) < len(in) {
			in[s.Tgt]++
			best = max(best, in[s.Tgt])
		}
	}
	return best
}

// maxFanOut is the longest fan-out row.
func maxFanOut(im *core.Image) int {
	best := 0
	for _, f := range im.Fanout {
		best = max(best, int(f.FoCnt))
	}
	return best
}

func writeUsage(w io.Writer, im *core.Image) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "resource\tused\tcapacity\tused %%\t\n")
	for _, u := range imageUsage(im) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\t\n", u.Resource, u.Used, u.Capacity, u.Percent)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "largest fan-out row %d synapses, largest fan-in %d synapses per neuron\n", maxFanOut(im), maxFanIn(im))
	return err
}
