package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
)

// nxLowering is an image lowered to NeuroCoreX with its agreement against
// ncx-core (nil, with the reason in NotComputed, when there is none).
type nxLowering struct {
	tables      *neurocorex.Tables
	mapping     *neurocorex.Mapping
	Agreement   *neurocorex.Agreement `json:"agreement,omitempty"`
	NotComputed string                `json:"agreement_not_computed,omitempty"`
}

// lowerNeuroCoreX lowers im (refusing what NeuroCoreX cannot represent) and
// compares the NeuroCoreX board model, as on a board fresh from ncx flash,
// with the ncx-core emulator over the image's stimulus and steps
// (neurocorex.Compare).
func lowerNeuroCoreX(im *core.Image) (*nxLowering, error) {
	t, m, err := neurocorex.Lower(im)
	if err != nil {
		return nil, badInput(err)
	}
	l := &nxLowering{tables: t, mapping: m}
	if im.Meta.Steps <= 0 {
		l.NotComputed = "the image stores no step count"
		return l, nil
	}
	l.Agreement, err = neurocorex.Compare(im, im.Meta.Steps)
	if errors.Is(err, neurocorex.ErrNotRepresentable) {
		// the stimulus (more than one input spike in a step)
		l.NotComputed, err = err.Error(), nil
	}
	return l, err
}

// writeText prints what the lowering approximates, the NeuroCoreX values
// and the agreement.
func (l *nxLowering) writeText(w io.Writer) error {
	fmt.Fprintf(w, "\nNeuroCoreX lowering (docs/neurocorex.md): fits; approximated, not refused:\n")
	for _, a := range neurocorex.Approximations {
		fmt.Fprintf(w, "  - %s\n", a)
	}
	if err := neurocorex.WriteValues(w, l.tables, l.mapping); err != nil {
		return err
	}
	if l.Agreement == nil {
		_, err := fmt.Fprintf(w, "spike agreement: not computed (%s)\n", l.NotComputed)
		return err
	}
	return l.Agreement.WriteText(w)
}
