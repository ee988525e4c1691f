package learn

import (
	"math"

	"github.com/ncx-project/ncx/emulator"
)

// Phases of a training sample, for the diagnostics.
const (
	PhaseForward = iota // input on, teach at rest
	PhaseTeach          // input on, teach set, outputs forced
	PhaseRest           // gap and relax
	numPhases
)

// LayerDiag accumulates one layer's events in one phase of the training
// samples: event and burst counts and the sum of the BDSP learning signal
// err = B·255 − pbar/256 (rounded) at each event, as the core computes it.
type LayerDiag struct {
	Events int     `json:"events"`
	Bursts int     `json:"bursts"`
	ErrSum float64 `json:"err_sum"` // in 1/255 units
}

// MeanErr is the mean of B − pbar per event (−1..1).
func (d LayerDiag) MeanErr() float64 {
	if d.Events == 0 {
		return 0
	}
	return d.ErrSum / 255 / float64(d.Events)
}

// BurstFrac is the fraction of events that were bursts.
func (d LayerDiag) BurstFrac() float64 {
	if d.Events == 0 {
		return 0
	}
	return float64(d.Bursts) / float64(d.Events)
}

// Diag is what the diagnostics measured over the training samples since
// EnableDiag or the last TakeDiag.
type Diag struct {
	Samples int                  `json:"samples"`
	Hid     [numPhases]LayerDiag `json:"hidden"` // indexed by phase
	Out     [numPhases]LayerDiag `json:"output"`
	phase   int
	pbar    []uint16 // each burst unit's pbar before its next event
	burst   []bool
}

// EnableDiag starts per-layer measurements on the training core.
func (n *Net) EnableDiag() {
	n.diag = &Diag{}
	n.diag.reset(n)
}

// TakeDiag returns the measurements so far and starts a new period.
func (n *Net) TakeDiag() Diag {
	if n.diag == nil {
		return Diag{}
	}
	d := *n.diag
	d.pbar, d.burst = nil, nil
	n.diag.Samples = 0
	n.diag.Hid, n.diag.Out = [numPhases]LayerDiag{}, [numPhases]LayerDiag{}
	return d
}

func (d *Diag) reset(n *Net) {
	nn := n.Core.NumNeurons()
	d.pbar = make([]uint16, nn)
	d.burst = make([]bool, nn)
	for k := range nn {
		d.pbar[k] = n.Core.PBar(k)
	}
}

func (n *Net) setPhase(p int) {
	if n.diag != nil {
		n.diag.phase = p
		if p == PhaseForward {
			n.diag.Samples++
		}
	}
}

func (d *Diag) record(n *Net, c *emulator.Core, r emulator.StepResult) {
	for _, id := range r.Bursts {
		d.burst[id] = true
	}
	for _, id := range r.Spikes {
		k := int(id)
		var l *LayerDiag
		switch {
		case k >= n.Hid.First && k < n.Hid.First+n.Hid.Count:
			l = &d.Hid[d.phase]
		case k >= n.Out.First && k < n.Out.First+n.Out.Count:
			l = &d.Out[d.phase]
		default:
			continue
		}
		b8 := 0
		if d.burst[k] {
			b8 = 255
			l.Bursts++
		}
		l.Events++
		l.ErrSum += float64(b8 - (int(d.pbar[k])+128)>>8)
		d.pbar[k] = c.PBar(k)
		d.burst[k] = false
	}
}

// WeightStats is the mean and standard deviation (LSB) of the weights of
// projection proj (index into the image's Meta.Projections).
func (n *Net) WeightStats(proj int) (mean, std float64) {
	m, s2, cnt := 0.0, 0.0, 0
	for a, p := range n.Image.Meta.SynProj {
		if int(p) != proj {
			continue
		}
		w := float64(n.Core.Weight(a))
		m += w
		s2 += w * w
		cnt++
	}
	if cnt == 0 {
		return 0, 0
	}
	m /= float64(cnt)
	return m, math.Sqrt(max(0, s2/float64(cnt)-m*m))
}
