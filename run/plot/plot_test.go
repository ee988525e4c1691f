package plot

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/run/output"
)

func TestPlots(t *testing.T) {
	im := &core.Image{NumNeurons: 4, Meta: core.Meta{Name: "t", DtMs: 1, Populations: []core.Population{{Name: "a", First: 0, Count: 2}, {Name: "b", First: 2, Count: 2}}}}
	r := &output.Run{Image: im, Steps: 3, Spikes: []output.Spike{{Step: 0, Neuron: 1}, {Step: 2, Neuron: 3}}}
	var b bytes.Buffer
	require.NoError(t, Raster(&b, r, Options{}))
	assert.True(t, bytes.HasPrefix(b.Bytes(), []byte("\x89PNG")))

	b.Reset()
	assert.ErrorIs(t, Membrane(&b, r, Options{}), ErrNoData)
	r.Traces = []output.Trace{{Neuron: 2, Population: "b", Var: "v", Scale: 0.1, Values: []int32{1, 5, -3}}}
	require.NoError(t, Membrane(&b, r, Options{}))
	assert.True(t, bytes.HasPrefix(b.Bytes(), []byte("\x89PNG")))

	// No image, no spikes: still a valid (empty) raster.
	b.Reset()
	require.NoError(t, Raster(&b, &output.Run{Steps: 1}, Options{}))
	assert.True(t, bytes.HasPrefix(b.Bytes(), []byte("\x89PNG")))
}

// TestRasterLegendBesideData: with every neuron spiking at every step the
// data area is solid colour; the legend (dark text) must lie outside it,
// right of the axes, not over the spikes.
func TestRasterLegendBesideData(t *testing.T) {
	im := &core.Image{NumNeurons: 40, Meta: core.Meta{Name: "t", DtMs: 1, Populations: []core.Population{
		{Name: "first population", First: 0, Count: 20}, {Name: "second population", First: 20, Count: 20}}}}
	r := &output.Run{Image: im, Steps: 200}
	for s := range r.Steps {
		for n := range im.NumNeurons {
			r.Spikes = append(r.Spikes, output.Spike{Step: uint32(s), Neuron: uint32(n)})
		}
	}
	var b bytes.Buffer
	require.NoError(t, Raster(&b, r, Options{Width: 4 * vg.Inch, Height: 3 * vg.Inch}))
	img, err := png.Decode(&b)
	require.NoError(t, err)
	// The data area is the bounding box of saturated (spike) colours.
	colourful := func(c color.Color) bool {
		r, g, b, _ := c.RGBA()
		hi, lo := max(r, g, b), min(r, g, b)
		return hi-lo > 0x4000
	}
	dark := func(c color.Color) bool {
		r, g, b, _ := c.RGBA()
		return max(r, g, b) < 0x6000
	}
	bd := img.Bounds()
	x0, y0, x1, y1 := bd.Max.X, bd.Max.Y, bd.Min.X, bd.Min.Y
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if colourful(img.At(x, y)) {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
			}
		}
	}
	require.Less(t, x0, x1, "no spikes drawn")
	textRight := 0
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			if !dark(img.At(x, y)) {
				continue
			}
			if x > x0+4 && x < x1-4 && y > y0+4 && y < y1-4 {
				t.Fatalf("dark (legend text) pixel at (%d, %d) inside the data area (%d,%d)-(%d,%d)", x, y, x0, y0, x1, y1)
			}
			if x > x1 {
				textRight++
			}
		}
	}
	assert.Greater(t, textRight, 20, "the legend should be right of the data area")
}
