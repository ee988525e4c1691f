package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir/nirtest"
)

func exampleFile(name string) string {
	p, _ := filepath.Abs(filepath.Join("..", "..", "examples", name))
	return p
}

// nxIFArgs are the NIR flags of examples/neurocorex_if.nir.
func nxIFArgs() []string {
	return []string{"--dt", "1ms", "--spikes", exampleFile("neurocorex_if_spikes.csv"), "--steps", "200"}
}

// TestCompileNIRNeuroCoreX: an IF graph from NIR compiles for NeuroCoreX
// with one weight exponent; the report states its cost, the NeuroCoreX
// values and the agreement with ncx-core; ncx emulate --target neurocorex
// runs the image and the graph alike, with the spikes the report counted.
func TestCompileNIRNeuroCoreX(t *testing.T) {
	dir := t.TempDir()
	img, rep := filepath.Join(dir, "if.ncx"), filepath.Join(dir, "report.json")
	out, errOut, code := ncx(t, append([]string{"compile", exampleFile("neurocorex_if.nir"), "--target", "neurocorex", "-o", img, "--report", rep}, nxIFArgs()...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		NIR     *struct{ Dt float64 } `json:"nir"`
		Compile struct {
			CommonWExp struct{ WExp int } `json:"common_wexp"`
		} `json:"compile"`
		NeuroCoreX struct {
			Agreement struct {
				SpikesNCX int `json:"spikes_ncx"`
				SpikesNX  int `json:"spikes_neurocorex"`
				Matched   int `json:"matched"`
			} `json:"agreement"`
		} `json:"neurocorex"`
	}
	if err := json.Unmarshal(mustRead(t, rep), &r); err != nil {
		t.Fatal(err)
	}
	if a := r.NeuroCoreX.Agreement; r.NIR == nil || r.Compile.CommonWExp.WExp != 7 || a.SpikesNCX != 181 || a.SpikesNX != 171 || a.Matched != 89 {
		t.Fatalf("JSON report: %+v", r)
	}
	for _, want := range []string{
		"NIR import: dt 0.001 s",
		"-> profile a7",
		"common weight exponent 7 for every projection",
		"cost: RMS weight error 37.6 LSB, mean rel. error 1.45%; with each projection's own exponent 18.1 LSB, 0.64%",
		"thresholds 64..64, leak 1.281 a step, FF weights 116 in 6..38, AA weights none",
		"spike-count agreement over 200 steps: LIF spikes 181 on the ncx-core emulator, 171 on the NeuroCoreX model",
		"spike-time agreement: 89 of 181 ncx-core spikes",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	fromImage, fromGraph := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if _, errOut, code := ncx(t, "emulate", img, "--target", "neurocorex", "-o", fromImage); code != 0 {
		t.Fatalf("emulate image: exit %d: %s", code, errOut)
	}
	if _, errOut, code := ncx(t, append([]string{"emulate", exampleFile("neurocorex_if.nir"), "--target", "neurocorex", "-o", fromGraph}, nxIFArgs()...)...); code != 0 {
		t.Fatalf("emulate graph: exit %d: %s", code, errOut)
	}
	sameFiles(t, fromImage, fromGraph, "spikes.csv", "spikes.bin")
	if n := strings.Count(string(mustRead(t, filepath.Join(fromImage, "spikes.csv"))), "\n") - 1; n != 171 {
		t.Fatalf("spikes.csv holds %d spikes, the report counted 171", n)
	}
}

// TestNIRRefusedForNeuroCoreX: graphs NeuroCoreX cannot represent are
// refused before anything is written, exit 2 with the reason and the node,
// exit 3 when too big.
func TestNIRRefusedForNeuroCoreX(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, l nirtest.Layer) string {
		p := filepath.Join(dir, name+".nir")
		if err := l.Write(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lif := nirtest.RandomIF(4, 6, 2, false)
	lif.Type, lif.Tau = "LIF", []float64{0.01, 0.02}
	cuba := nirtest.RandomIF(4, 6, 2, false)
	cuba.Type, cuba.Tau, cuba.TauSyn = "CubaLIF", []float64{0.02}, 0.005
	for _, c := range []struct {
		name  string
		graph string
		flags []string
		code  int
		want  []string
	}{
		{"reset subtract", exampleFile("neurocorex_if.nir"), []string{"--reset", network.ResetSubtract}, exitBadInput, []string{"population hid", "resets by subtraction: NeuroCoreX resets v to 0"}},
		{"LIF", write("lif", lif), nil, exitBadInput, []string{"population hid", "multiplicative leak"}},
		{"CubaLIF", write("cuba", cuba), nil, exitBadInput, []string{"population hid", "multiplicative leak"}},
		{"too many neurons", write("big", nirtest.RandomIF(4, 120, 2, false)), nil, exitNoFit, []string{"too big: 120 LIF neurons, NeuroCoreX has 90", "hid 120"}},
		{"conv", nirFixture("conv"), nil, exitNoFit, []string{"too big"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			img := filepath.Join(dir, c.name+".ncx")
			args := append([]string{"compile", c.graph, "--dt", "1ms", "--target", "neurocorex", "-o", img}, c.flags...)
			_, errOut, code := ncx(t, args...)
			if code != c.code || !strings.Contains(errOut, "not representable on NeuroCoreX") {
				t.Fatalf("exit %d, want %d: %s", code, c.code, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error lacks %q: %s", w, errOut)
				}
			}
			assertNoEntry(t, img)
			// emulate refuses alike
			if _, errOut, code := ncx(t, append([]string{"emulate", c.graph, "--dt", "1ms", "--target", "neurocorex", "--steps", "10", "-o", filepath.Join(dir, "out")}, c.flags...)...); code != c.code {
				t.Fatalf("emulate: exit %d, want %d: %s", code, c.code, errOut)
			}
		})
	}
}

// TestFlashRunNIRNeuroCoreX: the image compiled from the NIR graph is
// accepted by ncx flash and ncx run --target neurocorex (on the board model
// over a pseudo-terminal), and the board's spikes equal ncx emulate
// --target neurocorex.
func TestFlashRunNIRNeuroCoreX(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "if.ncx")
	if _, errOut, code := ncx(t, append([]string{"compile", exampleFile("neurocorex_if.nir"), "--target", "neurocorex", "-o", img}, nxIFArgs()...)...); code != 0 {
		t.Fatalf("compile: exit %d: %s", code, errOut)
	}
	board, port := flashNeuroCoreXModel(t, img)
	run, emu := filepath.Join(dir, "board"), filepath.Join(dir, "emu")
	if _, errOut, code := ncx(t, "run", img, "--port", port, "--target", "neurocorex", "--out", run); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	if _, errOut, code := ncx(t, "emulate", img, "--target", "neurocorex", "--out", emu); code != 0 {
		t.Fatalf("emulate: exit %d: %s", code, errOut)
	}
	sameFiles(t, run, emu, "spikes.csv", "spikes.bin")
	if board.Runs != 1 {
		t.Fatalf("board ran %d times", board.Runs)
	}
}

// TestImportNIRNeuroCoreX: ncx import --target neurocorex writes YAML on
// profile a7 that compiles with --target neurocorex to the image of the
// graph compiled directly; a graph NeuroCoreX cannot represent writes
// nothing.
func TestImportNIRNeuroCoreX(t *testing.T) {
	dir := t.TempDir()
	yaml := filepath.Join(dir, "if.yaml")
	if _, errOut, code := ncx(t, append([]string{"import", exampleFile("neurocorex_if.nir"), "--target", "neurocorex", "-o", yaml}, nxIFArgs()...)...); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	a, b := filepath.Join(dir, "a.ncx"), filepath.Join(dir, "b.ncx")
	if _, errOut, code := ncx(t, "compile", yaml, "--target", "neurocorex", "-o", a); code != 0 {
		t.Fatalf("compile yaml: exit %d: %s", code, errOut)
	}
	if _, errOut, code := ncx(t, append([]string{"compile", exampleFile("neurocorex_if.nir"), "--target", "neurocorex", "-o", b}, nxIFArgs()...)...); code != 0 {
		t.Fatalf("compile graph: exit %d: %s", code, errOut)
	}
	var enc [2][]byte
	for i, p := range []string{a, b} {
		im, err := core.ReadImage(p)
		if err != nil {
			t.Fatal(err)
		}
		im.Meta.Source = "" // the one field that names the file compiled
		if enc[i], err = core.EncodeImage(im); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(enc[0], enc[1]) {
		t.Fatal("the imported YAML compiles to another image than the graph")
	}
	bad := filepath.Join(dir, "bad.yaml")
	_, errOut, code := ncx(t, "import", exampleFile("neurocorex_if.nir"), "--dt", "1ms", "--target", "neurocorex", "--reset", "subtract", "-o", bad)
	if code != exitBadInput || !strings.Contains(errOut, "resets by subtraction") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	assertNoEntry(t, bad)
}
