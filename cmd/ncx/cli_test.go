package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/inspect"
	"github.com/ncx-project/ncx/run/emulate/emulatetest"
	"github.com/ncx-project/ncx/run/output"
)

// ncx runs the command line in-process and returns stdout, stderr and the exit code.
func ncx(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &Factory{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	code := run(context.Background(), args, f)
	return out.String(), errOut.String(), code
}

// writeImage writes the hand-built test image and returns its path.
func writeImage(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "small.ncx")
	require.NoError(t, core.WriteImage(path, emulatetest.Image()))
	return path
}

// assertNoEntry checks that path does not exist (nothing half-written).
func assertNoEntry(t *testing.T, path string) {
	t.Helper()
	_, err := os.Stat(path)
	assert.True(t, os.IsNotExist(err), "%s should not exist", path)
}

// assertNoTemp checks that dir holds no leftover temporary files.
func assertNoTemp(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.Contains(e.Name(), ".tmp"), "leftover temporary file %s", e.Name())
	}
}

func TestEmulateWritesOutputs(t *testing.T) {
	dir := t.TempDir()
	img := writeImage(t, dir)
	out := filepath.Join(dir, "run")
	tc := filepath.Join(dir, "cycles-trace.csv")
	stdout, stderr, code := ncx(t, "emulate", img, "--out", out, "--plot", "--trace-cycles", tc)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `emulator run of "small" on profile tiny`)
	assert.Contains(t, stdout, "exc")
	assert.Contains(t, stderr, "wrote "+out)

	for _, name := range []string{"spikes.csv", "spikes.bin", "traces.csv", "weights.csv", "cycles.csv", "summary.json", "raster.png", "membrane.png"} {
		assert.FileExists(t, filepath.Join(out, name))
	}
	assertNoTemp(t, out)

	spikes := readLines(t, filepath.Join(out, "spikes.csv"))
	assert.Equal(t, "step,time_ms,neuron,population,cycle", spikes[0])
	assert.Equal(t, "step,cycles,spikes,synapse_events,fanin_events,bursts,burst_events", readLines(t, filepath.Join(out, "cycles.csv"))[0])
	assert.Len(t, readLines(t, filepath.Join(out, "cycles.csv")), 41)
	assert.Equal(t, "step,time_ms,neuron,population,var,raw,physical", readLines(t, filepath.Join(out, "traces.csv"))[0])
	assert.Len(t, readLines(t, filepath.Join(out, "traces.csv")), 1+40*5)
	w := readLines(t, filepath.Join(out, "weights.csv"))
	assert.Equal(t, "address,pre,post,projection,rule,wexp,weight_raw,weight_physical", w[0])
	assert.Len(t, w, 1+32)
	assert.True(t, strings.HasPrefix(w[1], "0,0,4,in_exc,1,3,"), w[1])

	// spikes.bin holds the same spikes as spikes.csv.
	fh, err := os.Open(filepath.Join(out, "spikes.bin"))
	require.NoError(t, err)
	defer fh.Close()
	sf, err := output.ReadSpikesBin(fh)
	require.NoError(t, err)
	assert.Len(t, sf.Steps, 40)
	assert.Equal(t, 12, sf.NumNeurons)
	n := 0
	for _, s := range sf.Steps {
		n += len(s.Neurons)
	}
	assert.Equal(t, len(spikes)-1, n)

	var sum output.Summary
	require.NoError(t, json.Unmarshal(readFile(t, filepath.Join(out, "summary.json")), &sum))
	assert.Equal(t, 40, sum.Steps)
	assert.Equal(t, n, sum.Spikes)
	assert.Positive(t, sum.TotalCycles)
	assert.Contains(t, sum.Files, "raster.png")

	for _, png := range []string{"raster.png", "membrane.png"} {
		assert.True(t, bytes.HasPrefix(readFile(t, filepath.Join(out, png)), []byte("\x89PNG")), png)
	}
	trace := readLines(t, tc)
	assert.Equal(t, "step,cycle,kind,a,b", trace[0])
	assert.Equal(t, "0,0,start,0,0", trace[1])
}

func TestEmulateDefaultOutDirAndJSON(t *testing.T) {
	dir := t.TempDir()
	img := writeImage(t, dir)
	stdout, stderr, code := ncx(t, "emulate", img, "--json", "--steps", "10")
	require.Equal(t, exitOK, code, stderr)
	var sum output.Summary
	require.NoError(t, json.Unmarshal([]byte(stdout), &sum), stdout)
	assert.Equal(t, 10, sum.Steps)
	assert.FileExists(t, filepath.Join(dir, "small.out", "spikes.csv"))
}

func TestEmulateDeterministic(t *testing.T) {
	dir := t.TempDir()
	img := writeImage(t, dir)
	for _, o := range []string{"a", "b"} {
		_, stderr, code := ncx(t, "emulate", img, "--out", filepath.Join(dir, o), "--steps", "100")
		require.Equal(t, exitOK, code, stderr)
	}
	for _, name := range []string{"spikes.csv", "spikes.bin", "traces.csv", "weights.csv", "cycles.csv"} {
		assert.Equal(t, readFile(t, filepath.Join(dir, "a", name)), readFile(t, filepath.Join(dir, "b", name)), name)
	}
	// The summaries differ only in wall-clock numbers.
	strip := func(o string) map[string]any {
		var m map[string]any
		require.NoError(t, json.Unmarshal(readFile(t, filepath.Join(dir, o, "summary.json")), &m))
		delete(m, "wall_s")
		delete(m, "neuron_updates_per_s")
		delete(m, "synapse_events_per_s")
		return m
	}
	assert.Equal(t, strip("a"), strip("b"))
}

func TestEmulateInput(t *testing.T) {
	dir := t.TempDir()
	img := writeImage(t, dir)
	in := filepath.Join(dir, "in.csv")
	require.NoError(t, os.WriteFile(in, []byte("step,neuron\n2,1\n5,in:3\n"), 0o644))
	out := filepath.Join(dir, "out")
	_, stderr, code := ncx(t, "emulate", img, "--input", in, "--out", out)
	require.Equal(t, exitOK, code, stderr)
	lines := readLines(t, filepath.Join(out, "spikes.csv"))
	require.GreaterOrEqual(t, len(lines), 3)
	assert.True(t, strings.HasPrefix(lines[1], "2,2,1,in,"), lines[1])

	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("step,neuron\n1,2\n3,x\n"), 0o644))
	out2 := filepath.Join(dir, "out2")
	_, stderr, code = ncx(t, "emulate", img, "--input", bad, "--out", out2)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, stderr, bad+`:3: neuron "x"`)
	assertNoEntry(t, out2)
}

func TestBadImages(t *testing.T) {
	dir := t.TempDir()
	img := writeImage(t, dir)
	data := readFile(t, img)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	corrupt := append([]byte(nil), data...)
	corrupt[len(corrupt)/2] ^= 0x40
	wrongVersion := append([]byte(nil), data...)
	binary.LittleEndian.PutUint16(wrongVersion[6:], core.CoreVersion+1)

	cases := []struct {
		name, path string
		want       []string
	}{
		{"missing", filepath.Join(dir, "nope.ncx"), []string{"nope.ncx", "no such file"}},
		{"truncated", write("half.ncx", data[:len(data)/2]), []string{"half.ncx", "truncated"}},
		{"short header", write("short.ncx", data[:10]), []string{"short.ncx", "shorter than"}},
		{"corrupted", write("corrupt.ncx", corrupt), []string{"corrupt.ncx", "checksum"}},
		{"wrong version", write("v2.ncx", wrongVersion), []string{"v2.ncx", "core version 2"}},
		{"not an image", write("text.ncx", []byte("hello, this is not an image at all")), []string{"text.ncx", "bad magic"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, cmd := range [][]string{{"emulate", c.path, "--out", filepath.Join(dir, c.name+".out")}, {"inspect", c.path}} {
				stdout, stderr, code := ncx(t, cmd...)
				assert.Equal(t, exitBadInput, code, "%v: %s", cmd, stderr)
				assert.Empty(t, stdout)
				for _, w := range c.want {
					assert.Contains(t, stderr, w, "%v", cmd)
				}
			}
			assertNoEntry(t, filepath.Join(dir, c.name+".out"))
		})
	}
}

func TestEmulateFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	img := writeImage(t, dir)
	out := filepath.Join(dir, "out")
	// The cycle trace cannot be created: the run must not start, nor leave --out.
	_, stderr, code := ncx(t, "emulate", img, "--out", out, "--trace-cycles", filepath.Join(dir, "no", "such", "dir", "t.csv"))
	assert.Equal(t, exitError, code, stderr)
	assertNoEntry(t, out)

	// An output directory that cannot be created: no partial files anywhere.
	blocker := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(blocker, []byte("x"), 0o644))
	_, _, code = ncx(t, "emulate", img, "--out", filepath.Join(blocker, "out"))
	assert.Equal(t, exitError, code)
	assertNoTemp(t, dir)
}

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	img := writeImage(t, dir)
	stdout, stderr, code := ncx(t, "inspect", img, "--neurons", "3:6", "--synapses", "0:4")
	require.Equal(t, exitOK, code, stderr)
	for _, want := range []string{"format 1, core version 1", "profile tiny", "populations", "in_exc", "plasticity rules", "usage", "stimulus", "40 spikes on 4 neurons", "neurons (", "synapses"} {
		assert.Contains(t, stdout, want)
	}

	stdout, _, code = ncx(t, "inspect", img, "--json", "--neurons", "4", "--synapses", "30:")
	require.Equal(t, exitOK, code)
	var info inspect.Info
	require.NoError(t, json.Unmarshal([]byte(stdout), &info))
	require.Len(t, info.Neurons, 1)
	assert.Equal(t, "exc", info.Neurons[0].Population)
	require.NotNil(t, info.Neurons[0].ThrMV)
	assert.InDelta(t, 15.0, *info.Neurons[0].ThrMV, 1e-9)
	require.Len(t, info.Synapses, 2)
	assert.Equal(t, "in_exc", info.Synapses[0].Projection)
	assert.Equal(t, 64, info.Profile.Neurons)
	assert.Len(t, info.Usage, 3)

	for _, r := range []string{"x:3", "5:2", "99", "-1:"} {
		_, stderr, code := ncx(t, "inspect", img, "--neurons", r)
		assert.Equal(t, exitBadInput, code, r)
		assert.Contains(t, stderr, "--neurons")
	}
}

func TestCompileAndFit(t *testing.T) {
	dir := t.TempDir()
	net := filepath.Join("..", "..", "examples", "small.yaml")
	if _, err := os.Stat(net); err != nil {
		t.Skip("examples/small.yaml not present")
	}
	img := filepath.Join(dir, "small.ncx")
	rep := filepath.Join(dir, "report.json")
	mem := filepath.Join(dir, "mem")
	stdout, stderr, code := ncx(t, "compile", net, "-o", img, "--report", rep, "--mem-dir", mem, "--steps", "50")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "fit on profile tiny")
	assert.Contains(t, stdout, "synapses")
	assert.FileExists(t, img)
	assert.FileExists(t, filepath.Join(mem, "syn.mem"))
	var r map[string]any
	require.NoError(t, json.Unmarshal(readFile(t, rep), &r))
	assert.EqualValues(t, 50, r["steps"])

	_, stderr, code = ncx(t, "emulate", img, "--out", filepath.Join(dir, "o"), "--compare-float")
	require.Equal(t, exitOK, code, stderr)
	_, stderr, code = ncx(t, "inspect", img)
	require.Equal(t, exitOK, code, stderr)

	// Compiling a description in memory.
	stdout, stderr, code = ncx(t, "emulate", net, "--steps", "20", "--out", filepath.Join(dir, "o2"), "--json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"steps": 20`)

	// Does not fit: exit 3 with the compiler's message, and no image.
	cuba := filepath.Join("..", "..", "examples", "cuba.yaml")
	if _, err := os.Stat(cuba); err == nil {
		out := filepath.Join(dir, "cuba.ncx")
		_, stderr, code = ncx(t, "compile", cuba, "--target", "tiny", "-o", out)
		assert.Equal(t, exitNoFit, code, stderr)
		assert.Contains(t, stderr, "does not fit")
		assertNoEntry(t, out)
	}
}

func TestCompileBadInput(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := ncx(t, "compile", filepath.Join(dir, "missing.yaml"))
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, stderr, "missing.yaml")

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("name: x\npopulations: [\n"), 0o644))
	_, stderr, code = ncx(t, "compile", bad)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, stderr, "bad.yaml")
	assertNoEntry(t, filepath.Join(dir, "bad.ncx"))

	_, stderr, code = ncx(t, "compile", filepath.Join(dir, "x.ncx"))
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, stderr, "want a network description")
}

func TestUsageErrors(t *testing.T) {
	cases := [][]string{
		{"bogus"},
		{"emulate"},
		{"emulate", "a", "b"},
		{"emulate", "x.ncx", "--no-such-flag"},
		{"emulate", "x.ncx", "--steps", "many"},
		{"inspect"},
		{"profiles", "extra"},
		{"version", "extra"},
	}
	for _, args := range cases {
		stdout, stderr, code := ncx(t, args...)
		assert.Equal(t, exitBadInput, code, "%v", args)
		assert.Empty(t, stdout, "%v", args)
		assert.Contains(t, stderr, "--help", "%v", args)
	}
}

func TestProfilesAndVersion(t *testing.T) {
	stdout, _, code := ncx(t, "profiles")
	require.Equal(t, exitOK, code)
	for _, name := range core.ProfileNames() {
		assert.Contains(t, stdout, name)
	}
	stdout, _, code = ncx(t, "profiles", "--json")
	require.Equal(t, exitOK, code)
	var list []inspect.ProfileInfo
	require.NoError(t, json.Unmarshal([]byte(stdout), &list))
	assert.Len(t, list, len(core.Profiles))

	stdout, _, code = ncx(t, "version")
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "core spec version 1")
}

// Every command documents itself the same way.
func TestHelpComplete(t *testing.T) {
	f := &Factory{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}, Getenv: os.Getenv}
	root := newRootCmd(f)
	var check func(c *cobra.Command)
	check = func(c *cobra.Command) {
		if c.Name() == "help" {
			return
		}
		assert.NotEmpty(t, c.Short, c.CommandPath())
		assert.False(t, strings.HasSuffix(c.Short, "."), "%s: Short ends with a period", c.CommandPath())
		assert.Equal(t, strings.ToUpper(c.Short[:1]), c.Short[:1], "%s: Short not in sentence case", c.CommandPath())
		assert.NotEmpty(t, c.Long, c.CommandPath())
		assert.Contains(t, c.Example, "$ ncx", c.CommandPath())
		for _, line := range strings.Split(c.Example, "\n") {
			assert.True(t, strings.HasPrefix(line, "$ ncx"), "%s: example line %q", c.CommandPath(), line)
		}
		for _, sub := range c.Commands() {
			check(sub)
		}
	}
	check(root)
	stdout, _, code := ncx(t, "emulate", "--help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "--trace-cycles")
}

func TestExitCodes(t *testing.T) {
	assert.Equal(t, exitOK, exitCode(nil))
	assert.Equal(t, exitError, exitCode(os.ErrPermission))
	assert.Equal(t, exitBadInput, exitCode(badInput(os.ErrNotExist)))
	assert.Equal(t, exitBadInput, exitCode(&usageError{err: os.ErrInvalid}))
	assert.Equal(t, exitBadInput, exitCode(core.ErrBadImage))
	assert.Equal(t, exitInterrupted, exitCode(context.Canceled))
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	return strings.Split(strings.TrimRight(string(readFile(t, path)), "\n"), "\n")
}

func TestShowProgress(t *testing.T) {
	env := map[string]string{}
	f := &Factory{StderrTTY: true, Getenv: func(k string) string { return env[k] }}
	assert.True(t, f.showProgress())
	env["CI"] = "true"
	assert.False(t, f.showProgress())
	f.StderrTTY = false
	delete(env, "CI")
	assert.False(t, f.showProgress())
}
