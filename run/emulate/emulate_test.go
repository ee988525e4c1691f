package emulate_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/run/emulate"
	"github.com/ncx-project/ncx/run/emulate/emulatetest"
)

func TestRunSmallImage(t *testing.T) {
	im := emulatetest.Image()
	require.NoError(t, im.Validate())
	res, err := emulate.Run(context.Background(), im, emulate.Options{})
	require.NoError(t, err)
	assert.Equal(t, 40, res.Steps)
	assert.Len(t, res.StepStats, 40)
	require.NotEmpty(t, res.Spikes)
	excSpikes := 0
	for _, s := range res.Spikes {
		if s.Neuron >= 4 {
			excSpikes++
		}
	}
	assert.Positive(t, excSpikes, "the exc population should fire")
	require.Len(t, res.Traces, 5) // v,i of 4 and 5, trace of 4
	for _, tr := range res.Traces {
		assert.Len(t, tr.Values, 40)
	}
	assert.Equal(t, "v", res.Traces[0].Var)
	assert.InDelta(t, 0.01, res.Traces[0].Scale, 1e-12)
	assert.Equal(t, "trace", res.Traces[4].Var)
	assert.Zero(t, res.Traces[4].Scale)
	require.Len(t, res.Weights, len(im.Syn))
	changed := false
	for a, s := range res.Weights {
		if s.W != im.Syn[a].W {
			changed = true
		}
	}
	assert.True(t, changed, "STDP should change some weight")
	// Cycle numbers are absolute and increase.
	for k := 1; k < len(res.Spikes); k++ {
		assert.Less(t, res.Spikes[k-1].Cycle, res.Spikes[k].Cycle)
	}
	for _, s := range res.StepStats {
		assert.Equal(t, core.TimingV1.StepCycles(12, uint64(s.Spikes), s.SynEvents, s.FanInEvents), s.Cycles)
	}
}

func TestRunDeterministic(t *testing.T) {
	a, err := emulate.Run(context.Background(), emulatetest.Image(), emulate.Options{Steps: 60})
	require.NoError(t, err)
	b, err := emulate.Run(context.Background(), emulatetest.Image(), emulate.Options{Steps: 60})
	require.NoError(t, err)
	assert.Equal(t, a.Spikes, b.Spikes)
	assert.Equal(t, a.StepStats, b.StepStats)
	assert.Equal(t, a.Traces, b.Traces)
	assert.Equal(t, a.Weights, b.Weights)
}

func TestRunStimulusOverride(t *testing.T) {
	res, err := emulate.Run(context.Background(), emulatetest.Image(), emulate.Options{Stimulus: []core.InputSpike{}})
	require.NoError(t, err)
	for _, s := range res.Spikes {
		assert.GreaterOrEqual(t, s.Neuron, uint32(4), "inputs only spike when forced")
	}
	res, err = emulate.Run(context.Background(), emulatetest.Image(), emulate.Options{Stimulus: []core.InputSpike{{Step: 3, Neuron: 2}, {Step: 100, Neuron: 1}}})
	require.NoError(t, err)
	assert.Equal(t, 1, res.InputsIgnored)
	require.NotEmpty(t, res.Spikes)
	assert.Equal(t, uint32(3), res.Spikes[0].Step)
	assert.Equal(t, uint32(2), res.Spikes[0].Neuron)
}

func TestRunErrors(t *testing.T) {
	im := emulatetest.Image()
	im.Meta.Steps = 0
	_, err := emulate.Run(context.Background(), im, emulate.Options{})
	assert.ErrorIs(t, err, emulate.ErrNoSteps)

	im = emulatetest.Image()
	im.Meta.Probes = append(im.Meta.Probes, core.Probe{Population: "exc", Vars: []string{"bogus"}})
	_, err = emulate.Run(context.Background(), im, emulate.Options{})
	assert.ErrorContains(t, err, `unknown variable "bogus"`)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = emulate.Run(ctx, emulatetest.Image(), emulate.Options{})
	assert.True(t, errors.Is(err, context.Canceled))
}

func TestParseInputCSV(t *testing.T) {
	im := emulatetest.Image()
	got, err := emulate.ParseInputCSV(strings.NewReader("# comment\nstep,neuron\n5,1\n2,in:3\n\n2,0\n"), "in.csv", im)
	require.NoError(t, err)
	assert.Equal(t, []core.InputSpike{{Step: 2, Neuron: 0}, {Step: 2, Neuron: 3}, {Step: 5, Neuron: 1}}, got)

	got, err = emulate.ParseInputCSV(strings.NewReader("time_ms,neuron\n2.4,1\n2.6,2\n"), "in.csv", im)
	require.NoError(t, err)
	assert.Equal(t, []core.InputSpike{{Step: 2, Neuron: 1}, {Step: 3, Neuron: 2}}, got)

	// A spikes.csv output is valid input.
	got, err = emulate.ParseInputCSV(strings.NewReader("step,time_ms,neuron,population,cycle\n7,7,2,in,99\n"), "spikes.csv", im)
	require.NoError(t, err)
	assert.Equal(t, []core.InputSpike{{Step: 7, Neuron: 2}}, got)

	got, err = emulate.ParseInputCSV(strings.NewReader("step,neuron\n"), "in.csv", im)
	require.NoError(t, err)
	assert.NotNil(t, got)
	assert.Empty(t, got)

	bad := map[string]string{
		"":                         "in.csv: empty file",
		"neuron\n1\n":              "in.csv:1: header",
		"step,neuron\n1,2\nx,3\n":  `in.csv:3: step "x"`,
		"step,neuron\n1,2,3\n":     "in.csv:2: 3 fields, header has 2",
		"step,neuron\n1,99\n":      "in.csv:2: neuron 99 outside",
		"step,neuron\n1,foo:1\n":   `in.csv:2: unknown population "foo"`,
		"step,neuron\n1,in:9\n":    `in.csv:2: index "9" outside population in`,
		"time_ms,neuron\n-1,2\n":   `in.csv:2: time_ms "-1"`,
		"step,neuron\n-1,2\n":      `in.csv:2: step "-1"`,
		"step,neuron\n\n\n1,abc\n": `in.csv:4: neuron "abc"`,
	}
	for in, want := range bad {
		_, err := emulate.ParseInputCSV(strings.NewReader(in), "in.csv", im)
		require.Error(t, err, "input %q", in)
		var ie *emulate.InputError
		assert.ErrorAs(t, err, &ie)
		assert.Contains(t, err.Error(), want, "input %q", in)
	}
}
