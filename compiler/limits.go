package compiler

import (
	"fmt"
	"math"

	"github.com/ncx-project/ncx/network"
)

// MaxStimulusSpikes bounds the input spikes an image may hold: the
// compiler draws a network's Poisson and dataset input for the whole run
// and stores it in the image (8 bytes a spike), so without a bound a long
// run of a busy input exhausts memory (2^31 steps of 16 inputs at 40 Hz is
// 1.4 billion spikes, 11 GB). 64 Mi spikes is 512 MiB.
const MaxStimulusSpikes = 64 << 20

// checkStimulus refuses, before anything is drawn, a run whose expected
// input spikes exceed MaxStimulusSpikes or whose steps do not fit the 32-bit
// step numbers of the image and the wire protocol.
func checkStimulus(net *network.Network, steps int) error {
	if steps > math.MaxUint32 {
		return &network.Error{File: net.File, Field: "steps", Msg: fmt.Sprintf("%d steps: at most %d (32-bit step numbers)", steps, uint32(math.MaxUint32))}
	}
	total := 0.0
	for k, p := range net.Populations {
		if p.Kind != network.KindPoisson && p.Kind != network.KindDatasetInput {
			continue
		}
		expect := float64(p.Size) * math.Min(1, p.RateHz*net.Dt/1000) * float64(steps)
		total += expect
		if total > MaxStimulusSpikes {
			return &network.Error{File: net.File, Line: p.Line, Field: fmt.Sprintf("populations[%d]", k),
				Msg: fmt.Sprintf("%s: %d inputs at %g Hz over %d steps make about %.3g input spikes, more than the %d an image holds (%d MiB); run fewer steps (--steps) or give the input as a file (ncx emulate --input)",
					p.Name, p.Size, p.RateHz, steps, total, MaxStimulusSpikes, MaxStimulusSpikes*8>>20)}
		}
	}
	return nil
}
