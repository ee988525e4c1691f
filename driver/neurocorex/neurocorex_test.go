package neurocorex

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/drivertest"
	"github.com/ncx-project/ncx/driver/sim"
)

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
func rep(b byte, n int) []byte   { return bytes.Repeat([]byte{b}, n) }

func TestWord18(t *testing.T) {
	for _, c := range []struct {
		v    int32
		want []byte
	}{
		{0, []byte{0, 0, 0}},
		{512, []byte{0x00, 0x02, 0x00}},     // 0.5 in Q7.10
		{-1, []byte{0xFF, 0xFF, 0x03}},      // two's complement in 18 bits
		{-131072, []byte{0x00, 0x00, 0x02}}, // most negative
		{131071, []byte{0xFF, 0xFF, 0x01}},  // most positive
		{0x12345, []byte{0x45, 0x23, 0x01}}, // byte order
	} {
		got := AppendWord18(nil, c.v)
		if !bytes.Equal(got, c.want) || Word18(got) != c.v {
			t.Errorf("%d: got % x (back %d), want % x", c.v, got, Word18(got), c.want)
		}
	}
}

// TestUploadBytes checks the exact byte stream of an upload against a
// script written out by hand from the board's documented format.
func TestUploadBytes(t *testing.T) {
	tb := &Tables{IBias: -2, NDebug: 7}
	tb.FF[0][0], tb.FF[95][94] = 5, -3
	tb.AA[6][5] = 100
	tb.VThr[4], tb.VThr[95] = 1024, -1
	tb.TrefMax[0] = 1
	tb.TauMem[8] = 3
	tb.STDP[2] = 0x0302
	tb.EnableAA[0], tb.EnableAA[9] = true, true
	tb.EnableFF[Weights-1] = true

	ff := rep(0, Weights)
	ff[0], ff[95*96+94] = 5, 0xFD
	aa := rep(0, Weights)
	aa[6*96+5] = 100
	en := rep(0, 2*EnableBytes)
	en[0], en[1] = 0x80, 0x40 // synapse 0 in bit 7 of byte 0, synapse 9 in bit 6 of byte 1
	en[2*EnableBytes-1] = 0x01
	params := rep(0, ParamWords*3)
	copy(params[4*3:], []byte{0x00, 0x04, 0x00})       // vthr[4] = 1.0
	copy(params[95*3:], []byte{0xFF, 0xFF, 0x03})      // vthr[95] = -1 LSB
	copy(params[96*3:], []byte{0x01, 0x00, 0x00})      // Tref_max[0] = 1 (FF amplitude)
	copy(params[(192+8)*3:], []byte{0x03, 0x00, 0x00}) // tau_mem[8] = leak
	copy(params[(288+2)*3:], []byte{0x02, 0x03, 0x00}) // stdp_params[2]: dplus 2, dminus 3
	pb := &drivertest.Playback{Ops: []drivertest.IO{
		{W: []byte{0x40, 0xFE, 0xFF, 0x03, 0x07, 0x00, 0x00}}, // debug: I_bias -2, N_debug 7
		{W: cat([]byte{0x10}, aa, []byte{0x00})},              // AA weights + ignored byte
		{W: cat([]byte{0x00}, ff, []byte{0x00})},              // FF weights + ignored byte
		{W: cat([]byte{0x60}, en, []byte{0x00})},              // enable bits AA then FF + ignored byte
		{W: cat([]byte{0x20}, params)},                        // 384 words, nothing after
	}}
	c := NewClient(pb, "test")
	if err := c.Upload(tb); err != nil {
		t.Fatal(err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSpikeBytes(t *testing.T) {
	got, err := EncodeSpikes([]Spike{{Step: 3, Addr: 5}, {Step: 1, Addr: 2}, {Step: 300, Addr: 7}}, 302)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x30,
		0x01, 0x02, 0x00, // step 1: the first record is released in step dt
		0x01, 0x05, 0x00, // step 3: dt+1 steps after the one before
		0xFF, 0x00, 0x00, // step 259: padding to address 0 (gap above 256)
		0x28, 0x07, 0x00, // step 300: dt 40
		0x01, 0x00, 0x00, // step 302: the run ends here, so steps 0..301 arrive whole
		0xFF, 0xFF, 0xFF, // terminator
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("got  % x\nwant % x", got, want)
	}
	if _, err := EncodeSpikes([]Spike{{Step: 4, Addr: 2}, {Step: 4, Addr: 3}}, 0); err == nil {
		t.Fatal("two spikes in one step accepted")
	}
	if got, err := EncodeSpikes([]Spike{{Step: 0, Addr: 2}}, 1); err != nil || !bytes.Equal(got, []byte{0x30, 0, 2, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF}) {
		t.Fatalf("a spike in step 0: % x, %v", got, err)
	}
	if _, err := EncodeSpikes([]Spike{{Step: 5, Addr: 2}}, 5); err == nil {
		t.Fatal("a spike after the run's last step accepted")
	}
}

func TestRunAndReadbackScript(t *testing.T) {
	// three steps asked, four run; frames: step 1 neuron 4 (bit 0), step 2
	// neurons 5 and 93 (bits 91 and 179 overall); 360 bits less the last
	// byte = 44 bytes.
	stream := make([]byte, RunBytes(3))
	set := func(bit int) { stream[bit/8] |= 1 << (bit % 8) }
	set(90 + 0)
	set(180 + 1)
	set(180 + 89)
	pb := &drivertest.Playback{Ops: []drivertest.IO{
		{W: []byte{0x30, 0x01, 0x02, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF}, R: cat([]byte{0xFF}, stream)},
		{W: []byte{0x50, 0x7A}, R: rep(0xFE, ReadbackLen)},
	}}
	c := NewClient(pb, "test")
	c.Quiet = 50 * time.Millisecond
	frames, err := c.Run([]Spike{{Step: 1, Addr: 2}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int{nil, {4}, {5, 93}}
	if !reflect.DeepEqual(frames, want) {
		t.Fatalf("frames %v, want %v", frames, want)
	}
	w, err := c.ReadWeights()
	if err != nil || len(w) != ReadbackLen || w[0] != -2 {
		t.Fatalf("readback: %d bytes, %v", len(w), err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

// smallNet is 3 inputs driving 4 LIF neurons, LIF 0 exciting LIF 1.
func smallNet() *core.Image {
	prof := core.Profiles["tiny"]
	im := &core.Image{Profile: prof, NumNeurons: 7}
	for range 7 {
		im.Params = append(im.Params, core.NeuronParams{Thr: 10, DV: 4096, DI: 0, TRef: 2})
		im.State = append(im.State, core.NeuronState{})
		im.Trace = append(im.Trace, 0)
		im.Fanout = append(im.Fanout, core.Fanout{})
	}
	add := func(src, tgt int, w int8) {
		im.Fanout[src].FoBase = uint32(len(im.Syn)) - im.Fanout[src].FoCnt
		im.Syn = append(im.Syn, core.Synapse{Tgt: uint32(tgt), W: w})
		im.Fanout[src].FoCnt++
	}
	add(0, 3, 20) // input 0 -> lif 0
	add(1, 4, 5)  // input 1 -> lif 1 (too weak alone)
	add(3, 4, 8)  // lif 0 -> lif 1
	im.Meta.Populations = []core.Population{{Name: "in", Kind: "input", First: 0, Count: 3}, {Name: "exc", Kind: "lif", First: 3, Count: 4}}
	return im
}

func TestLower(t *testing.T) {
	im := smallNet()
	tb, m, err := Lower(im)
	if err != nil {
		t.Fatal(err)
	}
	// input 0 is address 2, lif 0 is p 4: FF row 6 column 2; lif 0 -> lif 1: AA row 7 column 5
	if m.Addr[0] != 2 || m.P[3] != 4 || tb.FF[6][2] != 20 || tb.AA[7][5] != 8 || tb.FF[7][3] != 5 {
		t.Fatalf("mapping or weights wrong: addr %d p %d FF %d AA %d", m.Addr[0], m.P[3], tb.FF[6][2], tb.AA[7][5])
	}
	if tb.VThr[4] != 10*1024 || tb.TrefMax[0] != 1 || tb.VThr[50] != maxQ {
		t.Fatalf("thresholds: %d %d %d", tb.VThr[4], tb.TrefMax[0], tb.VThr[50])
	}
	refusals := map[string]func(*core.Image){
		"reset by subtraction": func(im *core.Image) { im.Params[4].RSub = true },
		"leak":                 func(im *core.Image) { im.Params[4].DV = 4000 },
		"rule": func(im *core.Image) {
			im.Syn[0].Rule = 1
			im.Rev = []core.RevEntry{{SAddr: 0, Src: 0}}
			im.Fanout[3].FiCnt = 1
		},
		"neurons": func(im *core.Image) { im.Meta.Populations[1].Count = 91; grow(im, 94) },
	}
	for name, mut := range refusals {
		im := smallNet()
		mut(im)
		if _, _, err := Lower(im); !errors.Is(err, ErrNotRepresentable) {
			t.Errorf("%s: got %v, want a refusal", name, err)
		} else {
			t.Logf("%s: %v", name, err)
		}
	}
	if _, err := LowerStimulus([]core.InputSpike{{Step: 3, Neuron: 0}, {Step: 3, Neuron: 1}}, m); !errors.Is(err, ErrNotRepresentable) {
		t.Errorf("two input spikes in one step: got %v", err)
	}
}

func grow(im *core.Image, n int) {
	for len(im.Params) < n {
		im.Params = append(im.Params, im.Params[3])
		im.State = append(im.State, core.NeuronState{})
		im.Trace = append(im.Trace, 0)
		im.Fanout = append(im.Fanout, core.Fanout{FoBase: uint32(len(im.Syn))})
	}
	im.NumNeurons = n
	im.Profile = core.Profiles["up5k"]
}

// TestSimBoard uploads a lowered network to the byte-level board model,
// reads the weights back and runs it.
func TestSimBoard(t *testing.T) {
	tb, m, err := Lower(smallNet())
	if err != nil {
		t.Fatal(err)
	}
	l := sim.NewLink(sim.LinkConfig{})
	b := NewBoard()
	go b.Serve(l.Board)
	c := NewClient(l.Host, "sim")
	c.Quiet = 100 * time.Millisecond
	if err := c.Upload(tb); err != nil {
		t.Fatal(err)
	}
	w, err := c.ReadWeights()
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyFF(tb, w); err != nil {
		t.Fatal(err)
	}
	if got := b.Tables(); !reflect.DeepEqual(&got, tb) {
		t.Fatal("board tables differ from the uploaded ones")
	}
	in, err := LowerStimulus([]core.InputSpike{{Step: 1, Neuron: 0}, {Step: 2, Neuron: 1}}, m)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := c.Run(in, 8)
	if err != nil {
		t.Fatal(err)
	}
	// input 0 (w 20 > thr 10) in step 1 enters v in step 2, lif 0 (p 4) spikes in step 3;
	// lif 1 (p 5) loses input 1's current in step 3 because p 4 fires in that step (the FF
	// current computed for slot k+1 is zeroed when slot k fires), gets 8 from lif 0 in
	// step 4 (below 10), and with no spike in step 4 the shared lateral register adds
	// nothing after that: as the VHDL computes it.
	want := [][]int{nil, nil, nil, {4}, nil, nil, nil, nil}
	if !reflect.DeepEqual(frames, want) {
		t.Fatalf("frames %v, want %v", frames, want)
	}
	if m.ID[4] != 3 || m.ID[5] != 4 {
		t.Fatalf("ID map %v", m.ID[:8])
	}
}

// TestRunBytes checks the run length against bytes counted on the VHDL
// (driver/vhdlboard): a run whose last record is released in step last.
func TestRunBytes(t *testing.T) {
	for last, want := range map[int]int{0: 11, 1: 22, 2: 33, 3: 44, 5: 67, 7: 89, 10: 123} {
		if got := RunBytes(last); got != want {
			t.Errorf("RunBytes(%d) = %d, the VHDL sends %d", last, got, want)
		}
	}
}

func TestQResize(t *testing.T) {
	for _, c := range []struct {
		x, amp int64
		want   int32
	}{
		{1, 4, 4096}, {200, 1, 72 << 10}, {-1, 1, -1024}, {-128, 1, -131072}, {-129, 1, -1024}, {127, 1, 127 << 10}, {50, 4, 72 << 10},
	} {
		if got := q(c.x, c.amp); got != c.want {
			t.Errorf("Q(%d·%d) = %d, want %d", c.x, c.amp, got, c.want)
		}
	}
}

func TestMappingFired(t *testing.T) {
	var m Mapping
	for i := range m.ID {
		m.ID[i] = -1
	}
	m.ID[4], m.ID[5], m.ID[93] = 7, 3, 12
	frames := [][]int{
		nil,
		{93, 4, 5},     // ascending ids, whatever the frame order
		{-1, 6, 94, 5}, // out of range or unused: left out
	}
	want := [][]uint32{nil, {3, 7, 12}, {3}}
	if got := m.Fired(frames); !reflect.DeepEqual(got, want) {
		t.Errorf("Fired(%v) = %v, want %v", frames, got, want)
	}
}

// TestRunStreamsSteps: the board model sends a run as the VHDL does, the
// start marker first and then each byte once the step completing it is
// done, not the whole run at the end (a host's quiet timeout would fire on
// a long run); the pieces join to exactly what Exec answers.
func TestRunStreamsSteps(t *testing.T) {
	tb, m, err := Lower(smallNet())
	if err != nil {
		t.Fatal(err)
	}
	const steps = 40
	in, err := LowerStimulus([]core.InputSpike{{Step: 1, Neuron: 0}, {Step: 9, Neuron: 1}}, m)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := EncodeSpikes(in, steps)
	if err != nil {
		t.Fatal(err)
	}
	var recs [][3]byte
	for i := 1; i+3 <= len(msg)-3; i += 3 {
		recs = append(recs, [3]byte{msg[i], msg[i+1], msg[i+2]})
	}
	b := NewBoard()
	b.Load(tb)
	var pieces [][]byte
	if err := b.run(recs, func(p []byte) error { pieces = append(pieces, append([]byte(nil), p...)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(pieces) < steps || !bytes.Equal(pieces[0], []byte{StartMarker}) {
		t.Fatalf("run sent %d pieces, first %x: want the start marker alone, then a piece per step or so", len(pieces), pieces[0])
	}
	for i, p := range pieces[1:] {
		if len(p) > (FrameBits+7)/8 {
			t.Fatalf("piece %d has %d bytes: more than one step's frame", i+1, len(p))
		}
	}
	eb := NewBoard()
	eb.Load(tb)
	want, err := eb.Exec(msg)
	if err != nil {
		t.Fatal(err)
	}
	last := -1
	for _, r := range recs {
		last += int(r[0]) + 1
	}
	if got := bytes.Join(pieces, nil); !bytes.Equal(got, want) || len(got) != 1+RunBytes(last) {
		t.Fatalf("joined pieces (%d bytes) differ from Exec's answer (%d bytes) or from 1+RunBytes", len(got), len(want))
	}
}
