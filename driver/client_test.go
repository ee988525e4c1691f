package driver_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/drivertest"
)

func fr(seq, cmd uint8, payload ...byte) []byte { return driver.AppendFrame(nil, seq, cmd, payload) }

// info of a tiny-profile board: protocol 1, core version 1, NB 6, SB 12,
// RB 11, VW 16, max payload 4096, window 8, input cap 4096, log 1000 steps,
// clock 50 MHz, name "t".
var tinyInfo = []byte{
	1, 1, 0, 6, 12, 11, 16, 0x00, 0x10, 8,
	0x00, 0x10, 0, 0, 0xE8, 0x03, 0, 0, 0x80, 0xF0, 0xFA, 0x02, 't',
}

func TestClientScript(t *testing.T) {
	pb := &drivertest.Playback{Ops: []drivertest.IO{
		// IDENTIFY -> INFO of a protocol 1 board
		{W: fr(0, core.CmdIdentify, core.ProtocolVersion), R: fr(0, core.CmdInfo, tinyInfo...)},
		// WRITE_MEM sel 15 (num_neurons, 7 bits: 1 byte a word), addr 0, count 1, value 40
		{W: fr(1, core.CmdWriteMem, 15, 0, 0, 0, 0, 1, 0, 40), R: fr(1, core.CmdAck)},
		// WRITE_MEM trace (8 bits), addr 2, two words 0x11 0x22: the board
		// NAKs it as corrupted, the host sends it again
		{W: fr(2, core.CmdWriteMem, 2, 2, 0, 0, 0, 2, 0, 0x11, 0x22), R: fr(0, core.CmdNak, core.NakCRC, 2)},
		{W: fr(2, core.CmdWriteMem, 2, 2, 0, 0, 0, 2, 0, 0x11, 0x22), R: fr(2, core.CmdAck)},
		// READ_MEM rule (32 bits, 4 bytes LE) addr 1 count 1 -> DATA; a
		// protocol 1 board has no READ_SUM, so the host reads the range a
		// second time and compares
		{W: fr(3, core.CmdReadMem, 8, 1, 0, 0, 0, 1, 0), R: fr(3, core.CmdData, 8, 1, 0, 0, 0, 1, 0, 0x44, 0x33, 0x22, 0x11)},
		{W: fr(4, core.CmdReadMem, 8, 1, 0, 0, 0, 1, 0), R: fr(4, core.CmdData, 8, 1, 0, 0, 0, 1, 0, 0x44, 0x33, 0x22, 0x11)},
	}}
	c, err := driver.Open(pb, &driver.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile().Name != "tiny" {
		t.Fatalf("profile %q, want tiny", c.Profile().Name)
	}
	if err := c.WriteMem(core.HostSelNumNeurons, 0, []core.Word{{40}}); err != nil {
		t.Fatal(err)
	}
	if err := c.WriteMem(core.MemTrace, 2, []core.Word{{0x11}, {0x22}}); err != nil {
		t.Fatal(err)
	}
	w, err := c.ReadMem(core.MemRule, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if w[0] != (core.Word{0x11223344}) {
		t.Fatalf("read %x", w[0])
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

func wfr(seq, cmd uint8, payload ...byte) []byte {
	return driver.AppendWideFrame(nil, seq, cmd, payload)
}

// TestClientScriptV3: a protocol 3 board. After INFO, both sides use CRC-32C
// frames; a DATA reply that carries the request's seq but another address (a
// late answer to an older request) is ignored; the words read are checked
// against the board's READ_SUM.
func TestClientScriptV3(t *testing.T) {
	info := append([]byte(nil), tinyInfo...)
	info[0] = 3
	info = append(info[:len(info)-1], core.FeatsV1|core.FeatSum|core.FeatCRC32, 0, 't')
	words := []byte{0x44, 0x33, 0x22, 0x11}
	sum := driver.CRC32C(words)
	pb := &drivertest.Playback{Ops: []drivertest.IO{
		{W: fr(0, core.CmdIdentify, core.ProtocolVersion), R: fr(0, core.CmdInfo, info...)},
		// READ_MEM rule addr 1 count 1: first a stale DATA for addr 0 with
		// the same seq, then the real one; nothing is written meanwhile
		{W: wfr(1, core.CmdReadMem, 8, 1, 0, 0, 0, 1, 0), R: append(
			wfr(1, core.CmdData, 8, 0, 0, 0, 0, 1, 0, 0xEE, 0xEE, 0xEE, 0xEE),
			wfr(1, core.CmdData, append([]byte{8, 1, 0, 0, 0, 1, 0}, words...)...)...)},
		// READ_SUM rule addr 1 count 1 -> SUM with the CRC-32C of the words
		{W: wfr(2, core.CmdReadSum, 8, 1, 0, 0, 0, 1, 0, 0, 0), R: wfr(2, core.CmdSum, 8, 1, 0, 0, 0, 1, 0, 0, 0,
			byte(sum), byte(sum>>8), byte(sum>>16), byte(sum>>24))},
	}}
	c, err := driver.Open(pb, &driver.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	w, err := c.ReadMem(core.MemRule, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if w[0] != (core.Word{0x11223344}) {
		t.Fatalf("read %x", w[0])
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestClientRefused(t *testing.T) {
	pb := &drivertest.Playback{Ops: []drivertest.IO{
		{W: fr(0, core.CmdIdentify, core.ProtocolVersion), R: fr(0, core.CmdInfo, tinyInfo...)},
		// SET_NUM_NEURONS 5 while running -> NAK "core is running"
		{W: fr(1, core.CmdSetNumNeurons, 5, 0, 0, 0), R: fr(1, core.CmdNak, core.NakRunning, 2)},
	}}
	c, err := driver.Open(pb, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = c.SetNumNeurons(5)
	if !errors.Is(err, driver.ErrRefused) {
		t.Fatalf("got %v, want ErrRefused", err)
	}
	t.Log(err)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestClientTimeoutScriptCutShort(t *testing.T) {
	// no answer, ever: IDENTIFY is sent 1+Retries times, then after a
	// resynchronisation (seq jumps by 128) as often again, and as often for
	// the second of 1+OpRetries attempts
	var ops []drivertest.IO
	for _, seq := range []uint8{0, 0, 0, 129, 129, 129, 130, 130, 130} {
		ops = append(ops, drivertest.IO{W: fr(seq, core.CmdIdentify, core.ProtocolVersion)})
	}
	pb := &drivertest.Playback{Ops: ops}
	_, err := driver.Open(pb, &driver.Options{Timeout: 10 * time.Millisecond, Retries: 2, OpRetries: 1})
	if !errors.Is(err, driver.ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}

// info of a protocol 2 tiny board with burst units, READ_OUT, STOP and
// STATUS: tinyInfo with the protocol byte 2 and feature bits 0x000F before
// the name.
var tinyInfo2 = append(append([]byte{2}, tinyInfo[1:len(tinyInfo)-1]...), 0x0F, 0x00, 't')

func TestInfoFeatures(t *testing.T) {
	in, err := driver.DecodeInfo(tinyInfo)
	if err != nil {
		t.Fatal(err)
	}
	if in.Features != core.FeatsV1 || in.Board != "t" || in.Profile().Burst || in.Profile().Name != "tiny" {
		t.Fatalf("protocol 1 INFO decoded as %+v, profile %+v", in, in.Profile())
	}
	in2, err := driver.DecodeInfo(tinyInfo2)
	if err != nil {
		t.Fatal(err)
	}
	if !in2.Has(core.FeatBurst|core.FeatsV1) || in2.Board != "t" || !in2.Profile().Burst {
		t.Fatalf("protocol 2 INFO decoded as %+v", in2)
	}
	if got := in2.Encode(); string(got) != string(tinyInfo2) {
		t.Fatalf("re-encoded % x, want % x", got, tinyInfo2)
	}
	if _, err := driver.DecodeInfo(tinyInfo2[:len(tinyInfo2)-3]); err == nil {
		t.Fatal("protocol 2 INFO without feature bits accepted")
	}
}

func TestBurstWordsRoundTrip(t *testing.T) {
	p := core.Profiles["tiny"]
	q := core.BurstParams{BU: true, BMode: 1, DA: 4000, AOff: -1234, AShift: 13, PShift: 6, Teach: -32768}
	if got := p.UnpackBParam(p.PackBParam(q)); got != q {
		t.Fatalf("bparam %+v came back as %+v", q, got)
	}
	f := core.BFanout{BoBase: 4095, BoCnt: 4096}
	if got := p.UnpackBFanout(p.PackBFanout(f)); got != f {
		t.Fatalf("bfanout %+v came back as %+v", f, got)
	}
	for sel, want := range map[int]uint{core.MemBParam: 54, core.MemBState: p.MemWidth(core.MemBState), core.MemLUT: 8, core.HostSelKind: 8, core.HostSelLFSR: 16, core.MemWFrac: 8, core.HostSelRuleFrac: 8} {
		if w, ok := driver.MemWidth(p, sel); !ok || w != want {
			t.Errorf("MemWidth(tiny, %d) = %d, %v; want %d", sel, w, ok, want)
		}
		if _, ok := driver.MemWidth(core.Profiles["up5k"], sel); ok {
			t.Errorf("MemWidth(up5k, %d) exists; up5k has no burst units", sel)
		}
	}
}
