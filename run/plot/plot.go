// Package plot draws the results of a run as PNG images with gonum/plot: a
// spike raster coloured by population and the membrane potentials of probed
// neurons.
package plot

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/ncx-project/ncx/internal/atomicfile"
	"github.com/ncx-project/ncx/run/output"
)

// ErrNoData is returned when a run holds nothing the plot would show.
var ErrNoData = errors.New("nothing to plot")

// Options set the size of a plot; zero values mean 10×6 inches.
type Options struct {
	Width, Height vg.Length
	Title         string
}

// maxLegend bounds the number of legend entries of the membrane plot.
const maxLegend = 12

func (o Options) size() (vg.Length, vg.Length) {
	w, h := o.Width, o.Height
	if w <= 0 {
		w = 10 * vg.Inch
	}
	if h <= 0 {
		h = 6 * vg.Inch
	}
	return w, h
}

func timeAxis(r *output.Run) (scale float64, label string) {
	if r.Image != nil && r.Image.Meta.DtMs > 0 {
		return r.Image.Meta.DtMs, "time (ms)"
	}
	return 1, "step"
}

// legend collects the entries of a plot's legend, which save draws in a
// column right of the axes so that it never covers data.
type legend struct {
	plot.Legend
	names []string
}

func newLegend() *legend {
	l := &legend{Legend: plot.NewLegend()}
	l.Top, l.Left = true, true
	return l
}

func (l *legend) add(name string, th plot.Thumbnailer) {
	l.Add(name, th)
	l.names = append(l.names, name)
}

// width is the room the legend column takes: the widest entry, its
// thumbnail and padding.
func (l *legend) width() vg.Length {
	if len(l.names) == 0 {
		return 0
	}
	var w vg.Length
	for _, n := range l.names {
		w = max(w, l.TextStyle.Width(n))
	}
	return w + l.ThumbnailWidth + vg.Points(16)
}

func save(p *plot.Plot, leg *legend, w io.Writer, o Options) error {
	wd, ht := o.size()
	img := vgimg.New(wd, ht)
	dc := draw.New(img)
	lw := leg.width()
	p.Draw(draw.Crop(dc, 0, -lw, 0, 0))
	if lw > 0 {
		leg.YOffs = -vg.Points(24) // below the title line
		leg.Draw(draw.Crop(dc, wd-lw+vg.Points(6), 0, 0, 0))
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(w); err != nil {
		return fmt.Errorf("write plot: %w", err)
	}
	return nil
}

// Raster draws every spike of r as a dot at (time, neuron), one colour per
// population, as PNG.
func Raster(w io.Writer, r *output.Run, o Options) error {
	p := plot.New()
	p.Title.Text = o.Title
	if p.Title.Text == "" {
		p.Title.Text = "Spike raster"
		if r.Image != nil && r.Image.Meta.Name != "" {
			p.Title.Text += ": " + r.Image.Meta.Name
		}
	}
	dt, xlabel := timeAxis(r)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = "neuron"
	p.X.Min, p.X.Max = 0, float64(max(r.Steps, 1))*dt
	leg := newLegend()

	// Group spikes by population; neurons outside every population form one group.
	type group struct {
		name string
		pts  plotter.XYs
	}
	var groups []*group
	byNeuron := map[uint32]*group{}
	other := &group{name: "(no population)"}
	if r.Image != nil {
		for _, pop := range r.Image.Meta.Populations {
			g := &group{name: pop.Name}
			groups = append(groups, g)
			for n := pop.First; n < pop.First+pop.Count; n++ {
				byNeuron[uint32(n)] = g
			}
		}
		p.Y.Min, p.Y.Max = 0, float64(r.Image.NumNeurons)
	}
	groups = append(groups, other)
	for _, s := range r.Spikes {
		g := byNeuron[s.Neuron]
		if g == nil {
			g = other
		}
		g.pts = append(g.pts, plotter.XY{X: float64(s.Step) * dt, Y: float64(s.Neuron)})
	}
	for i, g := range groups {
		if len(g.pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(g.pts)
		if err != nil {
			return fmt.Errorf("raster %s: %w", g.name, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: plotutil.Color(i), Radius: vg.Points(0.8), Shape: draw.BoxGlyph{}}
		p.Add(sc)
		th := *sc // a larger dot for the legend than for a spike
		th.GlyphStyle.Radius = vg.Points(3)
		leg.add(g.name, &th)
	}
	return save(p, leg, w, o)
}

// Membrane draws the probed membrane potentials (traces with Var "v") of r
// over time, in millivolts above the resting potential where the scale is
// known and in raw units otherwise.
// It returns ErrNoData when nothing was probed.
func Membrane(w io.Writer, r *output.Run, o Options) error {
	p := plot.New()
	p.Title.Text = o.Title
	if p.Title.Text == "" {
		p.Title.Text = "Membrane potential"
	}
	dt, xlabel := timeAxis(r)
	p.X.Label.Text = xlabel
	leg := newLegend()
	scaled, raw, k := false, false, 0
	for _, t := range r.Traces {
		if t.Var != "v" || len(t.Values) == 0 {
			continue
		}
		pts := make(plotter.XYs, len(t.Values))
		for i, v := range t.Values {
			y := float64(v)
			if t.Scale != 0 {
				y = y*t.Scale + t.Offset
			}
			pts[i] = plotter.XY{X: float64(i) * dt, Y: y}
		}
		if t.Scale != 0 {
			scaled = true
		} else {
			raw = true
		}
		ln, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("membrane trace of neuron %d: %w", t.Neuron, err)
		}
		ln.LineStyle.Color = plotutil.Color(k)
		ln.LineStyle.Width = vg.Points(1)
		p.Add(ln)
		if k < maxLegend {
			leg.add(fmt.Sprintf("%s[%d]", t.Population, t.Neuron), ln)
		}
		k++
	}
	if k == 0 {
		return ErrNoData
	}
	switch {
	case scaled && !raw:
		p.Y.Label.Text = "v (mV)"
	case raw && !scaled:
		p.Y.Label.Text = "v (raw LSB)"
	default:
		p.Y.Label.Text = "v (mV where the scale is known, else raw LSB)"
	}
	return save(p, leg, w, o)
}

// Names of the files WriteDir draws.
const (
	RasterPNG   = "raster.png"
	MembranePNG = "membrane.png"
)

// WriteDir draws the spike raster into dir/raster.png and, when a membrane
// potential is probed, the membrane plot into dir/membrane.png, each file
// atomically. It returns the names of the files it wrote.
func WriteDir(dir string, r *output.Run) ([]string, error) {
	err := atomicfile.Write(filepath.Join(dir, RasterPNG), func(w *bufio.Writer) error {
		return Raster(w, r, Options{})
	})
	if err != nil {
		return nil, err
	}
	files := []string{RasterPNG}
	err = atomicfile.Write(filepath.Join(dir, MembranePNG), func(w *bufio.Writer) error {
		return Membrane(w, r, Options{})
	})
	switch {
	case errors.Is(err, ErrNoData):
	case err != nil:
		return files, err
	default:
		files = append(files, MembranePNG)
	}
	return files, nil
}
