package neurocorex

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ncx-project/ncx/core"
)

// TestLowerSTDP: a plastic lif -> lif synapse sets its AA enable bit and
// the rule and traces set NeuroCoreX's steps and windows; a plastic input
// -> lif synapse is refused.
func TestLowerSTDP(t *testing.T) {
	im := smallNet()
	for i := range im.Params {
		im.Params[i].TrInc, im.Params[i].TrShift = 255, 2
	}
	im.Rules[1] = core.Rule{APlus: 64, AMinus: 32, WMin: -100, WMax: 100}
	im.Syn[2].Rule = 1 // lif 0 -> lif 1
	im.Rev = []core.RevEntry{{SAddr: 2, Src: 3}}
	im.Fanout[4].FiCnt = 1
	tb, _, err := Lower(im)
	if err != nil {
		t.Fatal(err)
	}
	// lif 0 is p 4 (AA column 5), lif 1 is p 5 (AA row 7); the trace
	// 255 -> 191 -> 143 -> 107 is below half its increment after 3 steps
	if !tb.EnableAA[7*N+5] || tb.EnableAA[7*N+6] || tb.EnableFF[6*N+2] {
		t.Error("enable bits: want exactly AA row 7 column 5")
	}
	if tb.STDP[1] != 3|3<<8 || tb.STDP[2] != 64|32<<8 {
		t.Errorf("stdp_params[1] %#x [2] %#x, want 0x303 and 0x2040", tb.STDP[1], tb.STDP[2])
	}
	im.Syn[0].Rule = 1 // input 0 -> lif 0
	im.Rev = []core.RevEntry{{SAddr: 0, Src: 0}, {SAddr: 2, Src: 3}}
	im.Fanout[3].FiCnt, im.Fanout[4].FiBase = 1, 1
	if _, _, err := Lower(im); !errors.Is(err, ErrNotRepresentable) {
		t.Fatalf("plastic FF synapse: %v", err)
	}
}

// TestSTDPModel runs two neurons through the board model: p 4 fires in
// step 2 (input 2 in step 0), p 6 in step 3 (input 3 in step 1). Their AA
// synapses are enabled: 4 -> 6 (row 8, column 5) gains dplus when 6 fires
// within the window after 4, and 6 -> 4 (row 6, column 7) loses dminus, 4
// having fired within the window before 6, but stops at -1. A disabled
// synapse (4 -> 7) does not change.
func TestSTDPModel(t *testing.T) {
	tb := Defaults()
	tb.FF, tb.AA = [N][N]int8{}, [N][N]int8{}
	tb.FF[6][2], tb.FF[8][3] = 100, 100
	tb.EnableAA[8*N+5], tb.EnableAA[6*N+7] = true, true
	tb.TrefMax[0] = 1
	tb.STDP[1] = 5 | 5<<8 // tpre_AA_max, tpost_AA_max
	tb.STDP[2] = 3 | 2<<8 // dplus, dminus
	b := NewBoard()
	b.Load(tb)
	msg, err := EncodeSpikes([]Spike{{Step: 0, Addr: 2}, {Step: 1, Addr: 3}}, 6)
	if err != nil {
		t.Fatal(err)
	}
	out, err := b.Exec(msg)
	if err != nil {
		t.Fatal(err)
	}
	frames := DecodeFrames(out[1:])
	if len(frames) < 4 || len(frames[2]) != 1 || frames[2][0] != 4 || len(frames[3]) != 1 || frames[3][0] != 6 {
		t.Fatalf("frames %v: want p 4 in step 2 and p 6 in step 3", frames)
	}
	got := b.Tables()
	if got.AA[8][5] != 3 || got.AA[6][7] != -1 || got.AA[9][5] != 0 {
		t.Errorf("AA 4->6 %d (want 3), 6->4 %d (want -1), disabled 4->7 %d (want 0)", got.AA[8][5], got.AA[6][7], got.AA[9][5])
	}
	if h := b.STDP().Hazard; h != "" {
		t.Errorf("hazard: %s", h)
	}
}

// TestSTDPModelFFTransposed pins what the VHDL's FF potentiation does:
// when p 4 fires two steps after input 2, the synapse input 2 -> p 4 (FF
// row 6, column 2) does not change; cell row 2, column 5 (input 5 -> p 0,
// the transpose, offset by the core's slot index) gains dplus.
func TestSTDPModelFFTransposed(t *testing.T) {
	tb := Defaults()
	tb.FF, tb.AA = [N][N]int8{}, [N][N]int8{}
	tb.FF[6][2] = 100
	tb.EnableFF[6*N+2], tb.EnableFF[2*N+5] = true, true
	tb.TrefMax[0] = 1
	tb.STDP[0] = 5        // tpre_FF_max
	tb.STDP[2] = 3 | 2<<8 // dplus, dminus
	b := NewBoard()
	b.Load(tb)
	msg, err := EncodeSpikes([]Spike{{Step: 0, Addr: 2}}, 4)
	if err != nil {
		t.Fatal(err)
	}
	out, err := b.Exec(msg)
	if err != nil {
		t.Fatal(err)
	}
	if f := DecodeFrames(out[1:]); len(f) < 3 || len(f[2]) != 1 || f[2][0] != 4 {
		t.Fatalf("frames %v: want p 4 in step 2", f)
	}
	if got := b.Tables(); got.FF[6][2] != 100 || got.FF[2][5] != 3 {
		t.Errorf("FF row 6 column 2: %d (want 100), row 2 column 5: %d (want 3)", got.FF[6][2], got.FF[2][5])
	}
}

// FuzzBoardExec feeds byte streams to the board model's command parser:
// it must not panic and must answer the same stream the same way on a
// fresh board.
func FuzzBoardExec(f *testing.F) {
	tb := Defaults()
	tb.STDP[0], tb.STDP[1], tb.STDP[2] = 3, 3|3<<8, 2|1<<8
	run, _ := EncodeSpikes([]Spike{{Step: 0, Addr: 5}, {Step: 2, Addr: 7}}, 3)
	f.Add(append(append(tb.DebugBlock(), tb.ParamBlock()...), run...))
	f.Add([]byte{0x30, 0x01, 0x05, 0x00, 0xff, 0xff, 0xff})
	f.Add([]byte{0x30, 0x00, 0x30, 0x41, 0xff, 0xff, 0xff}) // an address past the RAM: its low 14 bits
	f.Add([]byte{0x50, 0x7a, 0x7f, 0x00, 0x40, 1, 2, 3, 4, 5, 6})
	f.Add(append([]byte{0x60}, make([]byte, 2*EnableBytes+1)...))
	f.Fuzz(func(t *testing.T, cmds []byte) {
		if len(cmds) > 4096 {
			return
		}
		a, errA := NewBoard().Exec(cmds)
		b, errB := NewBoard().Exec(cmds)
		if !bytes.Equal(a, b) || (errA == nil) != (errB == nil) {
			t.Fatalf("two fresh boards answered differently: % x / % x", a, b)
		}
	})
}

// BenchmarkBoardRun runs 10 steps of random input through a board with
// random weights and STDP enabled on every synapse (the differential test's
// kind of program): the model's cost per run.
func BenchmarkBoardRun(b *testing.B) {
	tb := Defaults()
	r := uint32(1)
	next := func() uint32 { r = r*1664525 + 1013904223; return r >> 8 }
	for i := range Weights {
		if next()%4 == 0 {
			tb.FF[i/N][i%N] = int8(next())
		}
		if next()%4 == 0 {
			tb.AA[i/N][i%N] = int8(next())
		}
		tb.EnableAA[i], tb.EnableFF[i] = true, i != 0
	}
	tb.STDP[0], tb.STDP[1], tb.STDP[2] = 5, 5|5<<8, 2|1<<8
	var in []Spike
	for s := range 10 {
		in = append(in, Spike{Step: s, Addr: 1 + int(next()%95)})
	}
	msg, err := EncodeSpikes(in, 10)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		bd := NewBoard()
		bd.Load(tb)
		if _, err := bd.Exec(msg); err != nil {
			b.Fatal(err)
		}
	}
}
