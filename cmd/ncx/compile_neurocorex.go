package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/run/emulate"
)

// neurocorexApprox lists what Lower approximates rather than refuses
// (docs/neurocorex.md, "Lowering an ncx image").
var neurocorexApprox = []string{
	"current decay di: NeuroCoreX's FF input acts for one step; its lateral input goes through one shared register (no decay)",
	"refractory: NeuroCoreX keeps integrating v while refractory and blocks at least one step even with Tref_max 0",
	"18-bit wrap-around where ncx saturates; Q keeps the sign and wraps the integer part modulo 128",
	"initial state: NeuroCoreX starts every run at v = 0 and J = 0",
	"latency: input released in step k acts in step k+1, fires in step k+2 at the earliest",
	"the FF current of a neuron is dropped in a step where the neuron in the slot before it fires",
}

// neurocorexReport prints what lowering im to NeuroCoreX approximates and
// how the spike counts of the NeuroCoreX board model (as on a board fresh
// from ncx flash) compare with the ncx-core emulator's over the image's
// stimulus and steps.
func neurocorexReport(w io.Writer, im *core.Image) error {
	t, m, err := neurocorex.Lower(im)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nNeuroCoreX lowering (docs/neurocorex.md): fits; approximated, not refused:\n")
	for _, a := range neurocorexApprox {
		fmt.Fprintf(w, "  - %s\n", a)
	}
	steps := im.Meta.Steps
	if steps <= 0 {
		fmt.Fprintln(w, "spike-count agreement: not computed (the image stores no step count)")
		return nil
	}
	in, err := neurocorex.LowerStimulus(im.Meta.Stimulus, m)
	if err != nil {
		fmt.Fprintf(w, "spike-count agreement: not computed (%v)\n", err)
		return nil
	}
	res, err := emulate.Run(context.Background(), im, emulate.Options{Steps: steps})
	if err != nil {
		return err
	}
	frames, err := neurocorex.Emulate(t, in, steps)
	if err != nil {
		return err
	}
	nx := neurocorexRun("NeuroCoreX model", im, m, frames, time.Duration(0))
	ncx := map[uint32]int{}
	for _, s := range res.Run.Spikes {
		ncx[s.Neuron]++
	}
	board := map[uint32]int{}
	for _, s := range nx.Spikes {
		board[s.Neuron]++
	}
	same, lif, diff, totA, totB := 0, 0, 0, 0, 0
	var worst []string
	for p, id := range m.ID {
		if id < 0 || p < neurocorex.FirstNeuron {
			continue
		}
		lif++
		a, b := ncx[uint32(id)], board[uint32(id)]
		totA += a
		totB += b
		if a == b {
			same++
		} else if len(worst) < 5 {
			worst = append(worst, fmt.Sprintf("%d: %d vs %d", id, a, b))
		}
		diff += abs(a - b)
	}
	fmt.Fprintf(w, "spike-count agreement over %d steps: LIF spikes %d on the ncx-core emulator, %d on the NeuroCoreX model; %d of %d LIF neurons with equal counts, %d spikes apart in all",
		steps, totA, totB, same, lif, diff)
	if len(worst) > 0 {
		fmt.Fprintf(w, " (neuron: ncx vs NeuroCoreX %s)", strings.Join(worst, ", "))
	}
	fmt.Fprintln(w)
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
