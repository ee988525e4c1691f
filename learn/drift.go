package learn

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"

	"gonum.org/v1/plot/plotter"
)

// DriftPoint is the mean input->hidden weight after Sample training samples.
type DriftPoint struct {
	Sample int     `json:"sample"`
	WMean  float64 `json:"w_mean"`
}

// DriftCurve trains n on the first samples of train (cycling) and records
// the mean input->hidden weight every `every` samples: the measurement that
// showed the pbar rounding bias (docs/learning.md).
func DriftCurve(n *Net, train *Dataset, samples, every int) []DriftPoint {
	var out []DriftPoint
	for i := range samples {
		k := i % train.Len()
		n.TrainSample(train.X[k], train.Y[k])
		if (i+1)%every == 0 {
			m, _ := n.WeightStats(0)
			out = append(out, DriftPoint{Sample: i + 1, WMean: m})
		}
	}
	return out
}

// ReadDriftCSV reads a "sample,w_mean,..." CSV written by the drift
// measurement.
func ReadDriftCSV(path string) ([]DriftPoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("learn: %s: %w", path, err)
	}
	var out []DriftPoint
	for i, r := range rows {
		if i == 0 || len(r) < 2 {
			continue
		}
		s, err1 := strconv.Atoi(r[0])
		w, err2 := strconv.ParseFloat(r[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("learn: %s line %d: bad row %q", path, i+1, r)
		}
		out = append(out, DriftPoint{s, w})
	}
	return out, nil
}

// PlotDrift writes pbar_drift.png: the mean input->hidden weight during
// training with the 8-bit floored pbar (before) and the UQ8.8 rounded one
// (after), same network, protocol and data.
func PlotDrift(dir string, before, after []DriftPoint) (string, error) {
	f := newFigure("hidden-layer BDSP: mean input->hidden weight (LSB), 64-150-10, pshift 3", "training samples", "mean weight (LSB)")
	for i, c := range []struct {
		name string
		pts  []DriftPoint
	}{{"before: pbar 8 bits, floored update", before}, {"after: pbar UQ8.8, err rounded", after}} {
		xy := make(plotter.XYs, len(c.pts))
		for k, d := range c.pts {
			xy[k].X, xy[k].Y = float64(d.Sample), d.WMean
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return "", err
		}
		l.Color = palette[i]
		f.p.Add(l)
		f.legend(c.name, l)
	}
	return f.save(dir, "pbar_drift.png")
}

// LegacyDigitsNet is the configuration of the first digits runs (before the
// pbar fix): fast pbar averages (pshift 3) in both layers, input trace
// increment 32, weight exponent 4, one test presentation.
func LegacyDigitsNet() NetConfig {
	c := DefaultDigitsNet()
	c.PShift, c.HidPShift, c.InTrInc, c.AnnealInput, c.EvalRepeats = 3, 3, 32, false, 1
	c.WExpIn, c.WInit1 = 4, 40
	return c
}
