package output

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/atomicfile"
)

func testRun() *Run {
	im := &core.Image{Profile: core.Profiles["tiny"], NumNeurons: 4}
	im.Meta = core.Meta{Name: "t", DtMs: 0.1, Populations: []core.Population{
		{Name: "a,b", Kind: "input", First: 0, Count: 2},
		{Name: "c", Kind: "lif", First: 2, Count: 2, VScale: 0.5},
	}}
	return &Run{Source: "emulator", Image: im, Steps: 3,
		Spikes:    []Spike{{Step: 0, Neuron: 1, Cycle: 5}, {Step: 2, Neuron: 3, Cycle: 40, Burst: true}},
		StepStats: []StepStats{{Step: 0, Cycles: 10, Spikes: 1, SynEvents: 2}, {Step: 1, Cycles: 10}, {Step: 2, Cycles: 12, Spikes: 1, Bursts: 1, BurstEvents: 3}},
		Traces:    []Trace{{Neuron: 2, Population: "c", Var: "v", Scale: 0.5, Values: []int32{1, -2, 3}}},
		Wall:      time.Second,
	}
}

func TestCSVWriters(t *testing.T) {
	r := testRun()
	var b bytes.Buffer
	require.NoError(t, WriteSpikesCSV(&b, r))
	assert.Equal(t, "step,time_ms,neuron,population,cycle\n0,0,1,\"a,b\",5\n2,0.2,3,c,40\n", b.String())
	b.Reset()
	require.NoError(t, WriteBurstsCSV(&b, r))
	assert.Equal(t, "step,time_ms,neuron,population,cycle\n2,0.2,3,c,40\n", b.String())
	b.Reset()
	require.NoError(t, WriteTracesCSV(&b, r))
	assert.Equal(t, "step,time_ms,neuron,population,var,raw,physical\n0,0,2,c,v,1,0.5\n1,0.1,2,c,v,-2,-1\n2,0.2,2,c,v,3,1.5\n", b.String())
	b.Reset()
	require.NoError(t, WriteCyclesCSV(&b, r))
	assert.Equal(t, "step,cycles,spikes,synapse_events,fanin_events,bursts,burst_events\n0,10,1,2,0,0,0\n1,10,0,0,0,0,0\n2,12,1,0,0,1,3\n", b.String())

	b.Reset()
	bw := bufio.NewWriter(&b)
	c := NewCycleCSV(bw)
	c.Event(core.CycleEvent{Step: 1, Cycle: 7, Kind: core.EvSpike, A: 3})
	require.NoError(t, c.Err())
	require.NoError(t, bw.Flush())
	assert.Equal(t, "step,cycle,kind,a,b\n1,7,spike,3,0\n", b.String())

	assert.Equal(t, "0.3", FormatMs(3*0.1))
}

func TestSummary(t *testing.T) {
	s := Summarize(testRun())
	assert.Equal(t, 2, s.Spikes)
	assert.InDelta(t, 0.3, s.BioTimeMs, 1e-12)
	assert.Equal(t, uint64(32), s.TotalCycles)
	assert.Equal(t, uint64(12), s.MaxStepCycles)
	require.Len(t, s.Populations, 2)
	assert.InDelta(t, 1/2.0/0.0003, s.Populations[0].RateHz, 1e-6)
	assert.InDelta(t, 12.0, s.NeuronUpdatesPerS, 1e-9)
	var b bytes.Buffer
	require.NoError(t, s.WriteText(&b))
	assert.Contains(t, b.String(), "bursts:")
}

func TestWriteDirAtomic(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	r := testRun()
	s := Summarize(r)
	require.NoError(t, WriteDir(dir, r, s))
	assert.Equal(t, []string{"spikes.csv", "spikes.bin", "bursts.csv", "traces.csv", "cycles.csv", "summary.json"}, s.Files)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, len(s.Files))
	st, err := os.Stat(filepath.Join(dir, "spikes.csv"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())

	// A failed write leaves neither the file nor its temporary.
	err = atomicfile.Write(filepath.Join(dir, "x.csv"), func(w *bufio.Writer) error {
		w.WriteString("partial")
		return os.ErrInvalid
	})
	require.Error(t, err)
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), ".") || e.Name() == "x.csv", e.Name())
	}
}
