package emulate_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/run/emulate"
	"github.com/ncx-project/ncx/run/emulate/emulatetest"
	"github.com/ncx-project/ncx/run/output"
)

// streamAndKeep runs im streaming its files into dir while keeping the run
// in memory, and writes the kept run with WriteDir (the in-memory path)
// into another directory, which it returns.
func streamAndKeep(t *testing.T, im *core.Image, steps int) (streamed, written string) {
	t.Helper()
	streamed, written = filepath.Join(t.TempDir(), "s"), filepath.Join(t.TempDir(), "w")
	traces, _, err := emulate.Probes(im)
	require.NoError(t, err)
	st, err := output.NewStream(streamed, im, steps, traces)
	require.NoError(t, err)
	defer st.Abort()
	res, err := emulate.Run(context.Background(), im, emulate.Options{Steps: steps, Stream: st, Keep: true})
	require.NoError(t, err)
	sum := st.Summary(res.Source, res.Wall)
	want := output.Summarize(res.Run)
	assert.Equal(t, want, sum, "summary from running totals")
	require.NoError(t, st.Commit(res.Weights, sum))
	require.NoError(t, output.WriteDir(written, res.Run, want))
	assert.Equal(t, want.Files, sum.Files)
	return streamed, written
}

func sameDirs(t *testing.T, a, b string) {
	t.Helper()
	ea, err := os.ReadDir(a)
	require.NoError(t, err)
	eb, err := os.ReadDir(b)
	require.NoError(t, err)
	var na, nb []string
	for _, e := range ea {
		na = append(na, e.Name())
	}
	for _, e := range eb {
		nb = append(nb, e.Name())
	}
	require.Equal(t, nb, na, "same files, no temporary left")
	for _, n := range na {
		x, err := os.ReadFile(filepath.Join(a, n))
		require.NoError(t, err)
		y, err := os.ReadFile(filepath.Join(b, n))
		require.NoError(t, err)
		assert.True(t, string(x) == string(y), "%s differs between the streamed and the in-memory path", n)
	}
}

// TestStreamMatchesWriteDir checks that the files streamed during a run are
// byte for byte those WriteDir writes from the whole run in memory, on
// images with traces and plastic weights, with bursts, and on
// examples/small.yaml.
func TestStreamMatchesWriteDir(t *testing.T) {
	small, _, err := compiler.CompileFile("../../examples/small.yaml", compiler.Options{})
	require.NoError(t, err)
	burst, _, err := compiler.CompileFile("../../examples/burst.yaml", compiler.Options{})
	require.NoError(t, err)
	for _, tc := range []struct {
		name  string
		im    *core.Image
		steps int
		files []string
	}{
		{"emulatetest", emulatetest.Image(), 60, []string{output.TracesCSV, output.WeightsCSV}},
		{"small.yaml", small, 1000, []string{output.CyclesCSV}},
		{"burst.yaml", burst, 400, []string{output.BurstsCSV}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, w := streamAndKeep(t, tc.im, tc.steps)
			for _, f := range tc.files {
				assert.FileExists(t, filepath.Join(s, f))
			}
			sameDirs(t, s, w)
		})
	}
}

// TestStreamAbortLeavesNothing checks that a stopped run leaves no file and
// no directory it created.
func TestStreamAbortLeavesNothing(t *testing.T) {
	im := emulatetest.Image()
	dir := filepath.Join(t.TempDir(), "out")
	traces, _, err := emulate.Probes(im)
	require.NoError(t, err)
	st, err := output.NewStream(dir, im, 1000, traces)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	_, err = emulate.Run(ctx, im, emulate.Options{Steps: 1000, Stream: st, Progress: func(done int) {
		if done == 100 {
			cancel()
		}
	}})
	require.ErrorIs(t, err, context.Canceled)
	st.Abort()
	assert.NoDirExists(t, dir)
}

// heapAfter runs steps steps of im streaming to a fresh directory and
// returns the heap in use at the last step.
func heapAfter(t *testing.T, im *core.Image, steps int) uint64 {
	t.Helper()
	traces, _, err := emulate.Probes(im)
	require.NoError(t, err)
	st, err := output.NewStream(t.TempDir(), im, steps, traces)
	require.NoError(t, err)
	defer st.Abort()
	var heap uint64
	_, err = emulate.Run(context.Background(), im, emulate.Options{Steps: steps, Stream: st, Progress: func(done int) {
		if done == steps {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			heap = ms.HeapInuse
		}
	}})
	require.NoError(t, err)
	return heap
}

// TestStreamHeapFlat checks that a streamed run's heap does not grow with
// its length: 20 times the steps may not cost more than 1 MiB more heap
// (keeping the run in memory costs about 280 bytes a step, 53 MB here).
func TestStreamHeapFlat(t *testing.T) {
	im := emulatetest.Image()
	short, long := 10_000, 200_000
	if testing.Short() {
		long = 50_000
	}
	h0 := heapAfter(t, im, short)
	h1 := heapAfter(t, im, long)
	t.Logf("heap in use: %d B at %d steps, %d B at %d steps", h0, short, h1, long)
	assert.Less(t, int64(h1)-int64(h0), int64(1<<20), "heap grows with the number of steps")
}

// TestStreamStopMatchesWriteDir checks that a stream ended by Stop after
// fewer steps than announced (a board run stopped by a signal) writes the
// files WriteDir writes for a run of that many steps, interrupted: the
// spikes.bin header counts the steps recorded, and summary.json says
// "interrupted": true with steps_done.
func TestStreamStopMatchesWriteDir(t *testing.T) {
	im := emulatetest.Image()
	for _, announced := range []int{61, 100_000} { // the step count's varint grows from 1 to 3 bytes
		streamed, written := filepath.Join(t.TempDir(), "s"), filepath.Join(t.TempDir(), "w")
		traces, _, err := emulate.Probes(im)
		require.NoError(t, err)
		st, err := output.NewStream(streamed, im, announced, traces)
		require.NoError(t, err)
		res, err := emulate.Run(context.Background(), im, emulate.Options{Steps: 60, Stream: st, Keep: true})
		require.NoError(t, err)
		require.Error(t, st.Commit(nil, st.Summary(res.Source, res.Wall)), "commit before Stop with steps missing")

		st, err = output.NewStream(streamed, im, announced, traces)
		require.NoError(t, err)
		res, err = emulate.Run(context.Background(), im, emulate.Options{Steps: 60, Stream: st, Keep: true})
		require.NoError(t, err)
		st.Stop(true)
		sum := st.Summary(res.Source, res.Wall)
		res.Run.Interrupted = true
		want := output.Summarize(res.Run)
		assert.Equal(t, want, sum)
		require.NotNil(t, sum.StepsDone)
		assert.Equal(t, 60, *sum.StepsDone)
		require.NoError(t, st.Commit(res.Weights, sum))
		require.NoError(t, output.WriteDir(written, res.Run, want))
		sameDirs(t, streamed, written)
		bin, err := os.Open(filepath.Join(streamed, output.SpikesBin))
		require.NoError(t, err)
		f, err := output.ReadSpikesBin(bin)
		bin.Close()
		require.NoError(t, err)
		assert.Len(t, f.Steps, 60)
	}
}
