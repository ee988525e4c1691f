package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/driver/sim"
)

// nxImage is a network NeuroCoreX can represent: three inputs, four LIF
// neurons without leak; input 0 drives lif 0 over threshold, input 1 drives
// lif 1 under it, lif 0 tops lif 1 up.
func nxImage() *core.Image {
	im := &core.Image{Profile: core.Profiles["tiny"], NumNeurons: 7}
	for range 7 {
		im.Params = append(im.Params, core.NeuronParams{Thr: 10, DV: 4096, TRef: 2})
		im.State = append(im.State, core.NeuronState{})
		im.Trace = append(im.Trace, 0)
		im.Fanout = append(im.Fanout, core.Fanout{})
	}
	add := func(src, tgt int, w int8) {
		im.Fanout[src].FoBase = uint32(len(im.Syn)) - im.Fanout[src].FoCnt
		im.Syn = append(im.Syn, core.Synapse{Tgt: uint32(tgt), W: w})
		im.Fanout[src].FoCnt++
	}
	add(0, 3, 20)
	add(1, 4, 5)
	add(3, 4, 8)
	im.Meta.Name = "nx"
	im.Meta.Populations = []core.Population{{Name: "in", Kind: "input", First: 0, Count: 3}, {Name: "exc", Kind: "lif", First: 3, Count: 4}}
	im.Meta.Steps = 8
	im.Meta.Stimulus = []core.InputSpike{{Step: 1, Neuron: 0}, {Step: 2, Neuron: 1}}
	return im
}

// flashNeuroCoreXModel serves a NeuroCoreX board model on a pseudo-terminal
// (closed at the end of the test; skipped where there are none) and flashes
// img to it with ncx flash --target neurocorex.
func flashNeuroCoreXModel(t *testing.T, img string) (*neurocorex.Board, string) {
	t.Helper()
	board := neurocorex.NewBoard()
	pt, err := sim.ServePTY(board)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { pt.Close() })
	if _, errOut, code := ncx(t, "flash", img, "--port", pt.Path, "--target", "neurocorex"); code != 0 {
		t.Fatalf("flash: exit %d: %s", code, errOut)
	}
	return board, pt.Path
}

// TestRunNeuroCoreX flashes and runs an image on the NeuroCoreX board model
// over a pseudo-terminal with ncx flash/run --target neurocorex and checks
// the spikes, mapped back to ncx neuron ids, in spikes.csv.
func TestRunNeuroCoreX(t *testing.T) {
	dir := t.TempDir()
	img := filepath.Join(dir, "nx.ncx")
	if err := core.WriteImage(img, nxImage()); err != nil {
		t.Fatal(err)
	}
	board, port := flashNeuroCoreXModel(t, img)
	out := filepath.Join(dir, "board")
	stdout, errOut, code := ncx(t, "run", img, "--port", port, "--target", "neurocorex", "--out", out)
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	csv, err := os.ReadFile(filepath.Join(out, "spikes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, l := range strings.Split(strings.TrimSpace(string(csv)), "\n")[1:] {
		f := strings.Split(l, ",")
		got = append(got, [2]string{f[0], f[2]})
	}
	// input 0 in step 1 reaches v in step 2, lif 0 (id 3) fires in step 3;
	// lif 1 (id 4) loses input 1's current to lif 0's spike in the slot before
	// its own and stays below threshold (driver/neurocorex TestSimBoard)
	want := [][2]string{{"3", "3"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("spikes (step, neuron) %v, want %v\n%s", got, want, csv)
	}
	// no cycles.csv: NeuroCoreX reports no cycle counts
	for _, name := range []string{"spikes.bin", "summary.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if board.Runs != 1 {
		t.Fatalf("board ran %d times", board.Runs)
	}
	// ncx emulate --target neurocorex writes the same spikes without a board
	emu := filepath.Join(dir, "emu")
	if _, errOut, code := ncx(t, "emulate", img, "--target", "neurocorex", "--out", emu); code != 0 {
		t.Fatalf("emulate: exit %d: %s", code, errOut)
	}
	sameFiles(t, out, emu, "spikes.csv", "spikes.bin")
	if _, errOut, code := ncx(t, "emulate", img, "--target", "neurocorex", "--plot"); code != exitBadInput || !strings.Contains(errOut, "do not apply") {
		t.Errorf("emulate --target neurocorex --plot: exit %d: %s", code, errOut)
	}
	t.Logf("summary:\n%s", stdout)

	// a stimulus NeuroCoreX cannot take is refused before anything is sent
	bad := nxImage()
	bad.Meta.Stimulus = append(bad.Meta.Stimulus, core.InputSpike{Step: 2, Neuron: 0})
	badImg := filepath.Join(dir, "bad.ncx")
	if err := core.WriteImage(badImg, bad); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := ncx(t, "run", badImg, "--port", port, "--target", "neurocorex"); code != exitBadInput || !strings.Contains(errOut, "one input spike") {
		t.Fatalf("two inputs in a step: exit %d: %s", code, errOut)
	}
}

// nxSTDPImage is nxImage with a plastic lif 0 -> lif 1 synapse (rule
// aplus 4, aminus 2; traces 255 with shift 2) and a stimulus that fires
// lif 0 in step 3 and lif 1 in step 5.
func nxSTDPImage() *core.Image {
	im := nxImage()
	im.Syn[1].W = 15 // input 1 alone drives lif 1 over threshold
	im.Syn[2].Rule = 1
	im.Rev = []core.RevEntry{{SAddr: 2, Src: 3}}
	im.Fanout[4].FiCnt = 1
	im.Rules[1] = core.Rule{APlus: 4, AMinus: 2, WMin: -50, WMax: 50}
	for i := range im.Params {
		im.Params[i].TrInc, im.Params[i].TrShift = 255, 2
	}
	im.Meta.Stimulus = []core.InputSpike{{Step: 1, Neuron: 0}, {Step: 3, Neuron: 1}}
	return im
}

// TestRunNeuroCoreXSTDP: a plastic lif -> lif synapse is flashed as an AA
// STDP-enable bit with the rule's steps and windows; a run on the board
// model in which lif 0 fires two steps before lif 1 potentiates it by
// dplus, and ncx emulate --target neurocorex writes the same spikes.
func TestRunNeuroCoreXSTDP(t *testing.T) {
	im := nxSTDPImage()
	dir := t.TempDir()
	img := filepath.Join(dir, "stdp.ncx")
	if err := core.WriteImage(img, im); err != nil {
		t.Fatal(err)
	}
	board, port := flashNeuroCoreXModel(t, img)
	// lif 0 is p 4 (AA column 5), lif 1 p 5 (AA row 7); dplus = rmul(4, 255)
	if tb := board.Tables(); !tb.EnableAA[7*neurocorex.N+5] || tb.STDP[2] != 4|2<<8 || tb.AA[7][5] != 8 {
		t.Fatalf("flashed: enable %v, stdp_params[2] %#x, AA %d", tb.EnableAA[7*neurocorex.N+5], tb.STDP[2], tb.AA[7][5])
	}
	out := filepath.Join(dir, "board")
	if _, errOut, code := ncx(t, "run", img, "--port", port, "--target", "neurocorex", "--out", out); code != 0 {
		t.Fatalf("run: exit %d: %s", code, errOut)
	}
	csv := string(mustRead(t, filepath.Join(out, "spikes.csv")))
	if !strings.Contains(csv, "\n3,") || !strings.Contains(csv, "\n5,") {
		t.Fatalf("want lif 0 in step 3 and lif 1 in step 5:\n%s", csv)
	}
	if w := board.Tables().AA[7][5]; w != 8+4 {
		t.Errorf("AA weight lif 0 -> lif 1 after the run: %d, want 12", w)
	}
	emu := filepath.Join(dir, "emu")
	if _, errOut, code := ncx(t, "emulate", img, "--target", "neurocorex", "--out", emu); code != 0 {
		t.Fatalf("emulate: exit %d: %s", code, errOut)
	}
	sameFiles(t, out, emu, "spikes.csv", "spikes.bin")
}
