package compiler

import (
	"fmt"
	"math"

	"github.com/ncx-project/ncx/network"
)

// MaxLoss is the largest relative error quantisation may put on a voltage
// (v_thresh, v_reset, bias), and MaxWeightLoss the largest mean relative
// error of a projection's weights, before Compile refuses the network
// (Options.AllowLoss turns the refusal into a warning). Weights get a looser
// bound: random weights spread around zero lose tens of percent on their
// small members by design (the learning examples lose up to 30 %); half of
// every weight lost means the scale cannot hold them. Decay time constants
// are not bounded: their error follows from the decay format and is
// reported, not chosen.
const (
	MaxLoss       = 0.10
	MaxWeightLoss = 0.50
)

// lossChecked are the parameters whose error is a choice of scale.
var lossChecked = map[string]bool{"v_thresh": true, "v_reset": true, "bias": true}

// checkLoss returns the first parameter of rep that quantisation moved by
// more than MaxLoss, as an error naming the description's file, line and
// field, or nil.
func checkLoss(net *network.Network, rep *Report) error {
	for k, pr := range rep.Populations {
		if pr.Raw || k >= len(net.Populations) {
			continue
		}
		p := net.Populations[k]
		for _, q := range pr.Params {
			if !lossChecked[q.Name] || q.RelErr <= MaxLoss {
				continue
			}
			why := ""
			if pr.WeightLimited {
				why = fmt.Sprintf(": the voltage scale %.3g mV/LSB was made coarse enough for the largest incoming weight; use smaller weights", pr.VScale)
			}
			return &network.Error{File: net.File, Line: p.Line, Field: fmt.Sprintf("populations[%d].%s", k, q.Name),
				Msg: fmt.Sprintf("quantised to %.4g %s instead of %.4g %s (%.1f%% off, more than the %.0f%% allowed)%s",
					q.Hardware, q.Unit, q.Requested, q.Unit, 100*q.RelErr, 100*MaxLoss, why)}
		}
	}
	for k, pr := range rep.Projections {
		if k >= len(net.Projections) || !(pr.MeanRelErr > MaxWeightLoss) && !math.IsNaN(pr.MeanRelErr) {
			continue
		}
		// a raw target takes weights in its own LSB: the rounding is the
		// description's choice
		p := net.Projections[k]
		if p.PostIdx < len(rep.Populations) && rep.Populations[p.PostIdx].Raw {
			continue
		}
		return &network.Error{File: net.File, Line: p.Line, Field: fmt.Sprintf("projections[%d].weight", k),
			Msg: fmt.Sprintf("weights lose %.1f%% on average in quantisation (at most %.0f%% allowed; %.3g per LSB): their range is too wide for the 8-bit weight of its target's scale",
				100*pr.MeanRelErr, 100*MaxWeightLoss, pr.WScale)}
	}
	return nil
}
