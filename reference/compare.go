package reference

import (
	"fmt"
	"io"
	"math"

	"github.com/ncx-project/ncx/core"
)

// DefaultWindow is the spike-time matching window (±steps) of Compare.
const DefaultWindow = 2

// Agreement compares a fixed-point run with a float run, per population.
type Agreement struct {
	Window      int            `json:"window_steps"`
	Populations []PopAgreement `json:"populations"`
}

// PopAgreement is the agreement within one population.
type PopAgreement struct {
	Name         string  `json:"name"`
	Kind         string  `json:"kind"`
	FixedSpikes  int     `json:"fixed_spikes"`
	FloatSpikes  int     `json:"float_spikes"`
	FixedRateHz  float64 `json:"fixed_rate_hz"`
	FloatRateHz  float64 `json:"float_rate_hz"`
	RateRatio    float64 `json:"rate_ratio"`    // fixed / float spike count (1 when both are 0, 0 when only float is 0... see Compare)
	CountCorr    float64 `json:"count_corr"`    // Pearson correlation of per-neuron spike counts
	Matched      float64 `json:"matched"`       // fraction of float spikes matched by a fixed spike of the same neuron within ±Window steps
	FixedMatched float64 `json:"fixed_matched"` // fraction of fixed spikes matched (precision of the match)
}

// Compare measures how well fixed (e.g. the emulator's spikes per step)
// agrees with float (Result.Spikes), population by population. Both are
// per-step lists of absolute neuron ids. window <= 0 means DefaultWindow.
//
// Degenerate cases are defined so the result always marshals to JSON: the
// rate ratio is 1 when neither run spikes and the fixed spike count when only
// the float run is silent (never +Inf); the correlation is 1 for identical
// count vectors and 0 when exactly one has no variance.
func Compare(fixed, float [][]uint32, pops []core.Population, dtMs float64, window int) Agreement {
	if window <= 0 {
		window = DefaultWindow
	}
	ag := Agreement{Window: window}
	n := 0
	for _, p := range pops {
		n = max(n, p.First+p.Count)
	}
	times := func(sp [][]uint32) [][]int32 {
		t := make([][]int32, n)
		for step, ids := range sp {
			for _, id := range ids {
				if int(id) < n {
					t[id] = append(t[id], int32(step))
				}
			}
		}
		return t
	}
	tf, tg := times(fixed), times(float)
	steps := max(len(fixed), len(float))
	dur := float64(steps) * dtMs / 1000
	for _, p := range pops {
		a := PopAgreement{Name: p.Name, Kind: p.Kind}
		cf := make([]float64, p.Count)
		cg := make([]float64, p.Count)
		matchedG, matchedF := 0, 0
		for k := 0; k < p.Count; k++ {
			x, y := tf[p.First+k], tg[p.First+k]
			cf[k], cg[k] = float64(len(x)), float64(len(y))
			a.FixedSpikes += len(x)
			a.FloatSpikes += len(y)
			m := match(x, y, int32(window))
			matchedG += m
			matchedF += m
		}
		if dur > 0 && p.Count > 0 {
			a.FixedRateHz = float64(a.FixedSpikes) / float64(p.Count) / dur
			a.FloatRateHz = float64(a.FloatSpikes) / float64(p.Count) / dur
		}
		switch {
		case a.FloatSpikes > 0:
			a.RateRatio = float64(a.FixedSpikes) / float64(a.FloatSpikes)
		case a.FixedSpikes == 0:
			a.RateRatio = 1
		default:
			a.RateRatio = float64(a.FixedSpikes) // float silent: report the excess count
		}
		a.CountCorr = corr(cf, cg)
		a.Matched, a.FixedMatched = 1, 1
		if a.FloatSpikes > 0 {
			a.Matched = float64(matchedG) / float64(a.FloatSpikes)
		}
		if a.FixedSpikes > 0 {
			a.FixedMatched = float64(matchedF) / float64(a.FixedSpikes)
		}
		ag.Populations = append(ag.Populations, a)
	}
	return ag
}

// match pairs spikes of two sorted time lists greedily in time order, each
// spike used at most once, and returns the number of pairs within ±w.
func match(x, y []int32, w int32) int {
	m, i := 0, 0
	for _, t := range y {
		for i < len(x) && x[i] < t-w {
			i++
		}
		if i < len(x) && x[i] <= t+w {
			m++
			i++
		}
	}
	return m
}

func corr(a, b []float64) float64 {
	n := float64(len(a))
	if n == 0 {
		return 1
	}
	var ma, mb float64
	for k := range a {
		ma += a[k]
		mb += b[k]
	}
	ma /= n
	mb /= n
	var sab, saa, sbb float64
	same := true
	for k := range a {
		da, db := a[k]-ma, b[k]-mb
		sab += da * db
		saa += da * da
		sbb += db * db
		same = same && a[k] == b[k]
	}
	if saa == 0 || sbb == 0 {
		if same {
			return 1
		}
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// WriteText prints the agreement as a table.
func (ag Agreement) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%-12s %10s %10s %9s %9s %7s %7s %9s\n", "population", "fixed", "float", "fixed Hz", "float Hz", "ratio", "corr", fmt.Sprintf("match±%d", ag.Window))
	for _, p := range ag.Populations {
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%-12s %10d %10d %9.2f %9.2f %7.3f %7.3f %8.1f%%\n", p.Name, p.FixedSpikes, p.FloatSpikes,
			p.FixedRateHz, p.FloatRateHz, p.RateRatio, p.CountCorr, 100*p.Matched)
	}
	return err
}
