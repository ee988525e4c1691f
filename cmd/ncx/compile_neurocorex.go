package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
)

// neurocorexReport prints what lowering im to NeuroCoreX approximates and
// how the spikes of the NeuroCoreX board model (as on a board fresh from ncx
// flash) compare with the ncx-core emulator's over the image's stimulus and
// steps (neurocorex.Compare).
func neurocorexReport(w io.Writer, im *core.Image) error {
	t, m, err := neurocorex.Lower(im)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nNeuroCoreX lowering (docs/neurocorex.md): fits; approximated, not refused:\n")
	for _, a := range neurocorex.Approximations {
		fmt.Fprintf(w, "  - %s\n", a)
	}
	if err := neurocorex.WriteValues(w, t, m); err != nil {
		return err
	}
	steps := im.Meta.Steps
	if steps <= 0 {
		fmt.Fprintln(w, "spike agreement: not computed (the image stores no step count)")
		return nil
	}
	ag, err := neurocorex.Compare(im, steps)
	if err != nil {
		if errors.Is(err, neurocorex.ErrNotRepresentable) {
			// the stimulus (more than one input spike in a step)
			fmt.Fprintf(w, "spike agreement: not computed (%v)\n", err)
			return nil
		}
		return err
	}
	return ag.WriteText(w)
}
