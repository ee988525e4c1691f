package learn

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/ncx-project/ncx/internal/atomicfile"
)

var palette = []color.Color{
	color.RGBA{0x1f, 0x77, 0xb4, 0xff}, color.RGBA{0xd6, 0x27, 0x28, 0xff}, color.RGBA{0x2c, 0xa0, 0x2c, 0xff},
	color.RGBA{0xff, 0x7f, 0x0e, 0xff}, color.RGBA{0x94, 0x67, 0xbd, 0xff}, color.Gray{0x80},
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

// WriteResultsJSON writes v as indented JSON to dir/name, atomically, and
// returns the path.
func WriteResultsJSON(dir, name string, v any) (string, error) {
	js, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	path := filepath.Join(dir, name)
	err = atomicfile.Write(path, func(w *bufio.Writer) error {
		_, err := w.Write(append(js, '\n'))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	return path, nil
}

// figure is a plot whose legend is drawn in a strip below the axes, so that
// it never covers data.
type figure struct {
	p   *plot.Plot
	leg plot.Legend
	n   int
}

func newFigure(title, xlabel, ylabel string) *figure {
	f := &figure{p: plot.New()}
	f.p.Title.Text = title
	f.p.X.Label.Text = xlabel
	f.p.Y.Label.Text = ylabel
	f.leg = plot.NewLegend()
	f.leg.Top, f.leg.Left = true, true
	return f
}

func (f *figure) legend(name string, th ...plot.Thumbnailer) {
	f.leg.Add(name, th...)
	f.n++
}

// line adds the curve ys (x = 1, 2, ...: epochs).
func (f *figure) line(name string, ys []float64, k int, dashed bool) error {
	_, err := f.addLine(name, ys, k, dashed)
	return err
}

func (f *figure) addLine(name string, ys []float64, k int, dashed bool) (*plotter.Line, error) {
	pts := make(plotter.XYs, len(ys))
	for i, y := range ys {
		pts[i].X, pts[i].Y = float64(i+1), y
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.Color = palette[k%len(palette)]
	l.Width = vg.Points(1.5)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	f.p.Add(l)
	if name != "" {
		f.legend(name, l)
	}
	return l, nil
}

// band adds the mean of curves (one per seed) as a line and their min..max
// range as a translucent band.
func (f *figure) band(name string, curves [][]float64, k int, dashed bool) error {
	if len(curves) == 0 {
		return nil
	}
	ne := len(curves[0])
	mean, lo, hi := make([]float64, ne), make([]float64, ne), make([]float64, ne)
	for e := range ne {
		lo[e], hi[e] = math.Inf(1), math.Inf(-1)
		for _, c := range curves {
			mean[e] += c[e] / float64(len(curves))
			lo[e], hi[e] = min(lo[e], c[e]), max(hi[e], c[e])
		}
	}
	poly := make(plotter.XYs, 0, 2*ne)
	for e := range ne {
		poly = append(poly, plotter.XY{X: float64(e + 1), Y: hi[e]})
	}
	for e := ne - 1; e >= 0; e-- {
		poly = append(poly, plotter.XY{X: float64(e + 1), Y: lo[e]})
	}
	pg, err := plotter.NewPolygon(poly)
	if err != nil {
		return err
	}
	c := color.RGBAModel.Convert(palette[k%len(palette)]).(color.RGBA)
	pg.Color = color.NRGBA{R: c.R, G: c.G, B: c.B, A: 0x40}
	pg.LineStyle.Width = 0
	f.p.Add(pg)
	l, err := f.addLine("", mean, k, dashed)
	if err != nil {
		return err
	}
	if len(curves) > 1 {
		f.legend(fmt.Sprintf("%s: mean, band min..max of %d seeds", name, len(curves)), pg, l)
	} else {
		f.legend(name, l)
	}
	return nil
}

// save writes the figure as a PNG: axes on top, the legend strip below.
func (f *figure) save(dir, name string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("learn: %w", err)
	}
	w, legH := 8*vg.Inch, vg.Points(float64(f.n)*14+16)
	h := 4.5*vg.Inch + legH
	img := vgimg.New(w, h)
	dc := draw.New(img)
	f.p.Draw(draw.Crop(dc, 0, 0, legH, 0))
	f.leg.Draw(draw.Crop(dc, vg.Points(60), 0, vg.Points(4), legH-h-vg.Points(6)))
	path := filepath.Join(dir, name)
	err := atomicfile.Write(path, func(w *bufio.Writer) error {
		_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("learn: save %s: %w", path, err)
	}
	return path, nil
}

// epochTicks puts ticks on whole epochs: every epoch up to 12, then every
// 2nd, 5th or 10th.
type epochTicks struct{}

func (epochTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 50} {
		step = s
		if (hi-lo)/float64(s) <= 12 {
			break
		}
	}
	var out []plot.Tick
	for e := int(math.Ceil(lo)); float64(e) <= hi; e++ {
		t := plot.Tick{Value: float64(e)}
		if e%step == 0 || (step > 1 && e == 1) {
			t.Label = fmt.Sprint(e)
		}
		out = append(out, t)
	}
	return out
}

func epochAxis(p *plot.Plot, epochs int) {
	p.X.Min, p.X.Max = 1, float64(max(epochs, 2))
	p.X.Tick.Marker = epochTicks{}
}

// plotSeeds writes the figures of a seeds run, NAME_accuracy.png (test
// accuracy per epoch, plastic and frozen with their spread over seeds, float
// references), NAME_margin.png (plastic − frozen per seed) and
// NAME_bursts.png (burst fractions of both layers).
func plotSeeds(r *Seeds, dir string) ([]string, error) {
	curves := func(f func(Result) []float64) [][]float64 {
		var out [][]float64
		for _, run := range r.Runs {
			if c := f(run); c != nil {
				out = append(out, c)
			}
		}
		return out
	}
	test := func(st []EpochStats) []float64 {
		if st == nil {
			return nil
		}
		return col(st, func(s EpochStats) float64 { return s.TestAcc })
	}
	name := r.Runs[0].Name
	ne := r.Runs[0].Epochs
	a := newFigure(fmt.Sprintf("%s on the emulated core: test accuracy per epoch (%d seeds)", name, len(r.Runs)), "epoch", "test accuracy")
	epochAxis(a.p, ne)
	lo := 1.0
	for _, run := range r.Runs {
		for _, st := range [][]EpochStats{run.OnCore, run.Frozen} {
			for _, s := range st {
				lo = min(lo, s.TestAcc)
			}
		}
	}
	a.p.Y.Min, a.p.Y.Max = math.Max(0, math.Floor(lo*10-0.5)/10), 1.01
	a.p.Add(plotter.NewGrid())
	if err := a.band("on-core BDSP, both layers plastic", curves(func(d Result) []float64 { return test(d.OnCore) }), 0, false); err != nil {
		return nil, err
	}
	if err := a.band("on-core, hidden frozen", curves(func(d Result) []float64 { return test(d.Frozen) }), 1, false); err != nil {
		return nil, err
	}
	if r.Float.Count > 0 {
		if err := a.line(fmt.Sprintf("float backprop, %d epochs: final, mean of seeds", r.Runs[0].Float.Epochs), flat(r.Float.Mean, ne), 2, true); err != nil {
			return nil, err
		}
		if err := a.line("float, hidden frozen: final, mean of seeds", flat(r.FloatFrozen.Mean, ne), 4, true); err != nil {
			return nil, err
		}
	}
	pa, err := a.save(dir, name+"_accuracy.png")
	if err != nil {
		return nil, err
	}
	m := newFigure("hidden-layer learning: test accuracy plastic - frozen, per seed", "epoch", "accuracy difference (points)")
	epochAxis(m.p, ne)
	m.p.Add(plotter.NewGrid())
	for i, run := range r.Runs {
		if run.Frozen == nil || run.OnCore == nil {
			continue
		}
		d := make([]float64, ne)
		for e := range d {
			d[e] = 100 * (run.OnCore[e].TestAcc - run.Frozen[e].TestAcc)
		}
		if err := m.line(fmt.Sprintf("seed %d", run.Seed), d, i, false); err != nil {
			return nil, err
		}
	}
	if err := m.line("3 points", flat(3, ne), 5, true); err != nil {
		return nil, err
	}
	pm, err := m.save(dir, name+"_margin.png")
	if err != nil {
		return nil, err
	}
	b := newFigure("burst fraction of events (teaching phase unless noted)", "epoch", "bursts / events")
	epochAxis(b.p, ne)
	b.p.Y.Min, b.p.Y.Max = 0.3, 0.8
	b.p.Add(plotter.NewGrid())
	for i, c := range []struct {
		name string
		f    func(EpochStats) float64
		dash bool
	}{
		{"output, target unit", func(s EpochStats) float64 { return s.BurstTarget }, false},
		{"output, other units", func(s EpochStats) float64 { return s.BurstOther }, false},
		{"hidden, teaching phase", func(s EpochStats) float64 { return s.Diag.Hid[PhaseTeach].BurstFrac() }, true},
		{"hidden, forward phase", func(s EpochStats) float64 { return s.Diag.Hid[PhaseForward].BurstFrac() }, true},
	} {
		if err := b.band(c.name, curves(func(d Result) []float64 { return col(d.OnCore, c.f) }), i, c.dash); err != nil {
			return nil, err
		}
	}
	pb, err := b.save(dir, name+"_bursts.png")
	if err != nil {
		return nil, err
	}
	return []string{pa, pm, pb}, nil
}
