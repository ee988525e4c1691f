package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/run/emulate/emulatetest"
)

func nirFixture(name string) string {
	p, _ := filepath.Abs(filepath.Join("..", "..", "nirimport", "testdata", name+".nir"))
	return p
}

// TestImportNIR imports a graph, compiles the YAML it wrote and compiles the
// graph directly: both images must be identical.
func TestImportNIR(t *testing.T) {
	dir := t.TempDir()
	yaml := filepath.Join(dir, "conv.yaml")
	stdout, stderr, code := ncx(t, "import", nirFixture("conv"), "-o", yaml, "--dt", "0.1ms", "--target", "a7")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "NIR import: dt 0.0001 s, exact discretisation")
	assert.Contains(t, stdout, "if1")
	assert.Contains(t, stderr, "wrote "+yaml+" and")
	fromYAML := filepath.Join(dir, "a.ncx")
	direct := filepath.Join(dir, "b.ncx")
	_, stderr, code = ncx(t, "compile", yaml, "-o", fromYAML)
	require.Equal(t, 0, code, stderr)
	_, stderr, code = ncx(t, "compile", nirFixture("conv"), "--dt", "1e-4", "--target", "a7", "-o", direct)
	require.Equal(t, 0, code, stderr)
	a, err := os.ReadFile(fromYAML)
	require.NoError(t, err)
	b, err := os.ReadFile(direct)
	require.NoError(t, err)
	// The images differ only in the source path recorded in their header.
	assert.Equal(t, len(a)-len(yaml), len(b)-len(nirFixture("conv")))
}

// TestImportNIRResetSubtract: --reset subtract reaches the YAML and the
// image; the default leaves every neuron resetting to v_reset.
func TestImportNIRResetSubtract(t *testing.T) {
	for _, c := range []struct {
		flags []string
		rsub  bool
	}{{nil, false}, {[]string{"--reset", "subtract"}, true}} {
		sub := t.TempDir()
		yaml := filepath.Join(sub, "lif1.yaml")
		_, stderr, code := ncx(t, append([]string{"import", nirFixture("lif1"), "-o", yaml, "--dt", "1e-4"}, c.flags...)...)
		require.Equal(t, 0, code, stderr)
		y, err := os.ReadFile(yaml)
		require.NoError(t, err)
		assert.Equal(t, c.rsub, strings.Contains(string(y), "reset: subtract"), "%s", y)
		img := filepath.Join(sub, "lif1.ncx")
		_, stderr, code = ncx(t, append([]string{"compile", nirFixture("lif1"), "--dt", "1e-4", "-o", img}, c.flags...)...)
		require.Equal(t, 0, code, stderr)
		stdout, stderr, code := ncx(t, "inspect", img, "--json", "--neurons", "0:2")
		require.Equal(t, 0, code, stderr)
		assert.Equal(t, c.rsub, strings.Contains(stdout, `"rsub": true`), "%v", c.flags)
	}
}

// TestCompileNIRReport: --report holds the import's report beside the
// compiler's, as valid JSON.
func TestCompileNIRReport(t *testing.T) {
	dir := t.TempDir()
	rep := filepath.Join(dir, "r.json")
	_, stderr, code := ncx(t, "compile", nirFixture("zoo"), "--dt", "1ms", "-o", filepath.Join(dir, "z.ncx"), "--report", rep)
	require.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(rep)
	require.NoError(t, err)
	var r struct {
		NIR struct {
			Params []struct {
				Name   string  `json:"name"`
				RelErr float64 `json:"rel_err"`
			} `json:"params"`
		} `json:"nir"`
		Compile struct {
			Projections []any `json:"projections"`
		} `json:"compile"`
	}
	require.NoError(t, json.Unmarshal(b, &r))
	assert.NotEmpty(t, r.NIR.Params)
	assert.NotEmpty(t, r.Compile.Projections)
}

// TestNIRErrors: bad graphs and flags give one clear error and write nothing.
func TestNIRErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.yaml")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", nirFixture("bad_shape"), "-o", out, "--dt", "1e-4"}, 2, "node a: weight is 2 × 4 but its input has 3 elements"},
		{[]string{"import", nirFixture("lif1"), "-o", out}, 2, "--dt is required"},
		{[]string{"import", nirFixture("lif1"), "-o", out, "--dt", "1e-4", "--reset", "hold"}, 2, `reset "hold": want zero or subtract`},
		{[]string{"import", nirFixture("conv"), "-o", out, "--dt", "1e-4", "--target", "tiny"}, 3, "does not fit profile tiny"},
		{[]string{"compile", "../../hdf5/testdata/v0_compact.h5", "--dt", "1e-4", "-o", filepath.Join(dir, "y.ncx")}, 2, `no group "node": not a NIR file`},
		{[]string{"import", "nir_test.go.nir", "--dt", "1e-4", "-o", out}, 2, "nir_test.go.nir"},
	} {
		_, stderr, code := ncx(t, c.args...)
		assert.Equal(t, c.code, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(stderr, "ncx: "), "one error expected: %s", stderr)
	}
	assertNoEntry(t, out)
	assertNoEntry(t, filepath.Join(dir, "x.conn"))
	assertNoEntry(t, filepath.Join(dir, "y.ncx"))
}

// TestInspectNIR lists nodes, parameter ranges and roles.
func TestInspectNIR(t *testing.T) {
	stdout, stderr, code := ncx(t, "inspect", nirFixture("zoo"))
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{"version 0.1.1", "mixed", "0.01 … 0.02", "sub.thr", "memoryless spiking population", "subgraph port", "[4]"} {
		assert.Contains(t, stdout, want)
	}
}

// TestExportNIR exports a compiled image, re-imports the export at the same
// dt and checks that the re-imported image emulates to the same spikes.
func TestExportNIR(t *testing.T) {
	dir := t.TempDir()
	spikes := filepath.Join(dir, "in.csv")
	var b strings.Builder
	b.WriteString("step,index\n")
	for s := 0; s < 200; s += 3 {
		for i := 0; i < 12; i += 1 + s%5 {
			b.WriteString(strconv.Itoa(s) + "," + strconv.Itoa(i) + "\n")
		}
	}
	require.NoError(t, os.WriteFile(spikes, []byte(b.String()), 0o644))
	img := filepath.Join(dir, "c.ncx")
	_, stderr, code := ncx(t, "compile", nirFixture("cuba60"), "--dt", "1ms", "--spikes", spikes, "--steps", "200", "-o", img)
	require.Equal(t, 0, code, stderr)
	exported := filepath.Join(dir, "c.nir")
	_, stderr, code = ncx(t, "export", img, "-o", exported)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "wrote "+exported)
	run := func(src string, extra ...string) string {
		out := filepath.Join(dir, filepath.Base(src)+".out")
		args := append([]string{"emulate", src, "-o", out}, extra...)
		_, stderr, code := ncx(t, args...)
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(filepath.Join(out, "spikes.csv"))
		require.NoError(t, err)
		// step,time,neuron,population; the cycle column differs because
		// synapses whose weight quantised to 0 are not exported
		var rows []string
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Split(line, ","); len(f) == 5 {
				rows = append(rows, strings.Join(f[:4], ","))
			}
		}
		return strings.Join(rows, "\n")
	}
	a := run(img)
	back := run(exported, "--dt", "1ms", "--spikes", spikes, "--steps", "200")
	assert.Equal(t, a, back, "spikes after export and re-import")
	assert.Greater(t, strings.Count(a, "\n"), 50)
}

// An image whose probe names a population it does not have cannot be
// exported: the error names the file and the population, and nothing is
// written.
func TestExportMissingProbePopulation(t *testing.T) {
	dir := t.TempDir()
	im := emulatetest.Image()
	for i := range im.Params {
		im.Params[i].TRef = 0 // NIR has no refractory period
	}
	im.Meta.Probes[0].Population = "ghost"
	img := filepath.Join(dir, "ghost.ncx")
	require.NoError(t, core.WriteImage(img, im))
	out := filepath.Join(dir, "ghost.nir")
	_, stderr, code := ncx(t, "export", img, "-o", out)
	assert.Equal(t, exitBadInput, code, stderr)
	assert.Contains(t, stderr, "export "+img+": nirexport: small: a probe names population \"ghost\"")
	assertNoEntry(t, out)
}
