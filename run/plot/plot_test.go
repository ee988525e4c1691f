package plot

import (
	"bytes"
	"testing"

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
