package learn

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image/color"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/ncx-project/ncx/output"
)

var palette = []color.Color{
	color.RGBA{0x1f, 0x77, 0xb4, 0xff}, color.RGBA{0xd6, 0x27, 0x28, 0xff}, color.RGBA{0x2c, 0xa0, 0x2c, 0xff},
	color.RGBA{0xff, 0x7f, 0x0e, 0xff}, color.RGBA{0x94, 0x67, 0xbd, 0xff}, color.Gray{0x80},
}

func addLine(p *plot.Plot, name string, ys []float64, k int, dashed bool) error {
	pts := make(plotter.XYs, len(ys))
	for i, y := range ys {
		pts[i].X, pts[i].Y = float64(i+1), y
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color = palette[k%len(palette)]
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	p.Add(l)
	p.Legend.Add(name, l)
	return nil
}

func savePNG(p *plot.Plot, dir, name string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	path := filepath.Join(dir, name)
	if err := p.Save(7*vg.Inch, 4.5*vg.Inch, path); err != nil {
		return "", fmt.Errorf("learn: save %s: %w", path, err)
	}
	return path, nil
}

func col(st []EpochStats, f func(EpochStats) float64) []float64 {
	out := make([]float64, len(st))
	for i, s := range st {
		out[i] = f(s)
	}
	return out
}

func flat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// plotDigits writes digits_accuracy.png (test accuracy per epoch) and
// digits_bursts.png (burst fraction and pbar of the output units, target
// versus non-target, during the teaching phases of each epoch).
func plotDigits(r *DigitsResult, dir string) ([]string, error) {
	p := plot.New()
	p.Title.Text = "digits 8x8: test accuracy per epoch"
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = "test accuracy"
	p.Y.Min, p.Y.Max = 0, 1
	p.Legend.Top, p.Legend.Left = false, false
	ne := len(r.OnCore)
	if err := addLine(p, "on-core BDSP, both layers", col(r.OnCore, func(s EpochStats) float64 { return s.TestAcc }), 0, false); err != nil {
		return nil, err
	}
	if r.Frozen != nil {
		if err := addLine(p, "on-core, hidden frozen", col(r.Frozen, func(s EpochStats) float64 { return s.TestAcc }), 1, false); err != nil {
			return nil, err
		}
	}
	if r.Float != nil {
		if err := addLine(p, "float backprop", r.Float.Curve, 2, true); err != nil {
			return nil, err
		}
		if err := addLine(p, "float, hidden frozen", r.FloatFrozen.Curve, 4, true); err != nil {
			return nil, err
		}
	}
	n := max(ne, 2)
	if r.Float != nil {
		n = max(n, len(r.Float.Curve))
	}
	if err := addLine(p, "NeuroCoreX (published)", flat(r.NeuroCoreX, n), 5, true); err != nil {
		return nil, err
	}
	a, err := savePNG(p, dir, "digits_accuracy.png")
	if err != nil {
		return nil, err
	}
	q := plot.New()
	q.Title.Text = "output units in the teaching phase (per-epoch means)"
	q.X.Label.Text = "epoch"
	q.Y.Label.Text = "fraction"
	q.Y.Min, q.Y.Max = 0, 1
	for i, c := range []struct {
		name string
		f    func(EpochStats) float64
		dash bool
	}{
		{"burst fraction, target", func(s EpochStats) float64 { return s.BurstTarget }, false},
		{"burst fraction, other", func(s EpochStats) float64 { return s.BurstOther }, false},
		{"pbar after sample, target", func(s EpochStats) float64 { return s.PBarTarget }, true},
		{"pbar after sample, other", func(s EpochStats) float64 { return s.PBarOther }, true},
	} {
		if err := addLine(q, c.name, col(r.OnCore, c.f), i, c.dash); err != nil {
			return nil, err
		}
	}
	if r.Frozen != nil {
		if err := addLine(q, "hidden frozen: burst fraction, target", col(r.Frozen, func(s EpochStats) float64 { return s.BurstTarget }), 4, false); err != nil {
			return nil, err
		}
		if err := addLine(q, "hidden frozen: burst fraction, other", col(r.Frozen, func(s EpochStats) float64 { return s.BurstOther }), 5, false); err != nil {
			return nil, err
		}
	}
	b, err := savePNG(q, dir, "digits_bursts.png")
	if err != nil {
		return nil, err
	}
	return []string{a, b}, nil
}

// plotXOR writes xor_accuracy.png: accuracy per epoch of every seed (thin)
// and the mean over seeds (thick), hidden plastic and, when measured, frozen.
func plotXOR(r *XORResult, dir string) ([]string, error) {
	p := plot.New()
	p.Title.Text = "XOR on-core BDSP: test accuracy per epoch (thin: seeds, thick: mean)"
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = "accuracy"
	p.Y.Min, p.Y.Max = 0, 1.05
	p.Legend.Top, p.Legend.Left = false, false
	name := "hidden plastic"
	if r.Config.Net.FrozenHidden {
		name = "hidden frozen"
	}
	for k, set := range []struct {
		name  string
		seeds []XORSeed
	}{{name, r.Seeds}, {"hidden frozen", r.FrozenSeeds}} {
		if len(set.seeds) == 0 {
			continue
		}
		mean := make([]float64, len(set.seeds[0].Curve))
		for _, s := range set.seeds {
			pts := make(plotter.XYs, len(s.Curve))
			for e, y := range s.Curve {
				pts[e].X, pts[e].Y = float64(e+1), y
				mean[e] += y / float64(len(set.seeds))
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, err
			}
			c := palette[k].(color.RGBA)
			l.Color = color.NRGBA{R: c.R, G: c.G, B: c.B, A: 0x50}
			l.Width = vg.Points(0.7)
			p.Add(l)
		}
		if err := addLine(p, set.name+", mean", mean, k, false); err != nil {
			return nil, err
		}
	}
	a, err := savePNG(p, dir, "xor_accuracy.png")
	if err != nil {
		return nil, err
	}
	return []string{a}, nil
}

// WriteResultsJSON writes v as indented JSON to dir/results.json, atomically,
// and returns the path.
func WriteResultsJSON(dir string, v any) (string, error) {
	js, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	path := filepath.Join(dir, "results.json")
	err = output.WriteAtomic(path, func(w *bufio.Writer) error {
		_, err := w.Write(append(js, '\n'))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	return path, nil
}
