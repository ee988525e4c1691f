package compiler

import (
	"math"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/errw"
)

// CommonWExpReport says which weight exponent Options.CommonWExp chose and
// what one exponent for all projections costs against one each.
type CommonWExpReport struct {
	WExp uint8 `json:"wexp"`
	// MinWExp is the smallest exponent considered: the one Options.MaxVUnits
	// and the plastic projections' bounds allow.
	MinWExp uint8 `json:"min_wexp"`
	// VUnitsLimited is true when MaxVUnits raised MinWExp.
	VUnitsLimited bool `json:"vunits_limited,omitempty"`
	// RMSErrLSB is the root-mean-square quantisation error of the synapses
	// concerned, in LSB of their target's input (w·2^wexp against the exact
	// value), with the common exponent and with each projection's own.
	RMSErrLSB    float64 `json:"rms_err_lsb"`
	OwnRMSErrLSB float64 `json:"own_rms_err_lsb"`
	// MeanRelErr is the mean relative weight error over synapses with w != 0,
	// likewise.
	MeanRelErr    float64 `json:"mean_rel_err"`
	OwnMeanRelErr float64 `json:"own_mean_rel_err"`
	// Changed lists the projections whose own exponent differs from WExp.
	Changed []ExpChange `json:"changed,omitempty"`
}

// ExpChange is a projection whose own exponent the common one replaced.
type ExpChange struct {
	Projection string `json:"projection"`
	Own        uint8  `json:"own_wexp"`
}

// wexpErr accumulates a projection's quantisation error at every exponent.
type wexpErr struct {
	sq, rel [core.MaxWExp + 1]float64
	nRel    int
	n       int
}

// commonWExp gives every event-channel projection the exponent that
// minimises the summed squared error Σ (q_e·2^e − x)² over all their
// synapses, x being a synapse's exact contribution in LSB of its target's
// input and q_e = round(x/2^e) clamped to int8. Every population's scale
// puts its largest voltage at the same fraction of the range, so an LSB is
// a comparable fraction of each threshold and the errors add up fairly.
// Exponents above every projection's own only coarsen the weights; one
// below lets the largest weights saturate, which the squared error counts
// (a network with a few outliers may trade their clipping for finer small
// weights). Ties go to the smaller exponent. Exponents below
// Options.MaxVUnits' bound, or below what a plastic projection's bounds
// need, are not considered. Burst-channel projections feed the apical
// accumulator and keep their own exponents.
func (c *compilation) commonWExp() {
	net := c.net
	lo := 0
	r := &CommonWExpReport{}
	if mu := c.opts.MaxVUnits; mu > 0 {
		maxIn := make([]float64, len(net.Populations))
		for k, pr := range net.Projections {
			if pl := &c.projs[k]; !pl.burst {
				maxIn[pr.PostIdx] = math.Max(maxIn[pr.PostIdx], pl.maxAbs*pl.factor)
			}
		}
		m := 0.0
		for k, p := range net.Populations {
			if p.IsInput() {
				continue
			}
			q := c.pops[k].params
			m = math.Max(m, math.Max(math.Abs(float64(q.Thr))+maxIn[k], math.Max(math.Abs(float64(q.VReset)), math.Abs(float64(q.Bias)))))
		}
		for lo < core.MaxWExp && m/math.Ldexp(1, lo) > mu {
			lo++
		}
		r.VUnitsLimited = lo > 0
	}
	var scale [core.MaxWExp + 1]float64 // 2^ex
	for ex := range scale {
		scale[ex] = math.Ldexp(1, ex)
	}
	errs := make([]wexpErr, len(net.Projections))
	for k, pr := range net.Projections {
		pl := &c.projs[k]
		if pl.burst {
			continue
		}
		if pr.Plastic() {
			lo = max(lo, int(pl.wexp))
		}
		e := &errs[k]
		net.Connections(k, func(_, _ int32, w float64) {
			x := w * pl.factor
			e.n++
			if x != 0 {
				e.nRel++
			}
			for ex, s := range scale {
				d := roundW(x/s)*s - x
				e.sq[ex] += d * d
				if x != 0 {
					e.rel[ex] += math.Abs(d / x)
				}
			}
		})
	}
	best, bestSq := lo, math.Inf(1)
	for ex := lo; ex <= core.MaxWExp; ex++ {
		sq := 0.0
		for k := range errs {
			sq += errs[k].sq[ex]
		}
		if sq < bestSq {
			best, bestSq = ex, sq
		}
	}
	r.WExp, r.MinWExp = uint8(best), uint8(lo)
	var n, nRel int
	var ownSq, rel, ownRel float64
	for k, pr := range net.Projections {
		pl := &c.projs[k]
		if pl.burst {
			continue
		}
		e := &errs[k]
		own := int(pl.wexp)
		n += e.n
		nRel += e.nRel
		ownSq += e.sq[own]
		rel += e.rel[best]
		ownRel += e.rel[own]
		if own != best {
			r.Changed = append(r.Changed, ExpChange{Projection: pr.Name, Own: pl.wexp})
		}
		pl.wexp = uint8(best)
	}
	if n > 0 {
		r.RMSErrLSB, r.OwnRMSErrLSB = math.Sqrt(bestSq/float64(n)), math.Sqrt(ownSq/float64(n))
	}
	if nRel > 0 {
		r.MeanRelErr, r.OwnMeanRelErr = rel/float64(nRel), ownRel/float64(nRel)
	}
	c.rep.CommonWExp = r
}

// writeText prints what the common exponent costs.
func (r *CommonWExpReport) writeText(ew *errw.Writer) {
	ew.Printf("\ncommon weight exponent %d for every projection (least summed squared weight error over exponents %d..%d", r.WExp, r.MinWExp, core.MaxWExp)
	if r.VUnitsLimited {
		ew.Printf("; below %d a threshold plus the largest input would not fit the target's voltage register", r.MinWExp)
	}
	ew.Printf(")\n")
	ew.Printf("cost: RMS weight error %.3g LSB, mean rel. error %.2f%%; with each projection's own exponent %.3g LSB, %.2f%%\n",
		r.RMSErrLSB, 100*r.MeanRelErr, r.OwnRMSErrLSB, 100*r.OwnMeanRelErr)
	if len(r.Changed) > 0 {
		ew.Printf("own exponents replaced:")
		for i, ch := range r.Changed {
			if i == 8 {
				ew.Printf(" … (%d more)", len(r.Changed)-i)
				break
			}
			ew.Printf(" %s %d", ch.Projection, ch.Own)
		}
		ew.Printf("\n")
	}
}
