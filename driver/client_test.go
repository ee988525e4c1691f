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
		// IDENTIFY (protocol 1) -> INFO
		{W: fr(0, driver.CmdIdentify, 1), R: fr(0, driver.CmdInfo, tinyInfo...)},
		// WRITE_MEM sel 15 (num_neurons, 7 bits: 1 byte a word), addr 0, count 1, value 40
		{W: fr(1, driver.CmdWriteMem, 15, 0, 0, 0, 0, 1, 0, 40), R: fr(1, driver.CmdAck)},
		// WRITE_MEM trace (8 bits), addr 2, two words 0x11 0x22: the board
		// NAKs it as corrupted, the host sends it again
		{W: fr(2, driver.CmdWriteMem, 2, 2, 0, 0, 0, 2, 0, 0x11, 0x22), R: fr(0, driver.CmdNak, driver.NakCRC, 2)},
		{W: fr(2, driver.CmdWriteMem, 2, 2, 0, 0, 0, 2, 0, 0x11, 0x22), R: fr(2, driver.CmdAck)},
		// READ_MEM rule (32 bits, 4 bytes LE) addr 1 count 1 -> DATA
		{W: fr(3, driver.CmdReadMem, 8, 1, 0, 0, 0, 1, 0), R: fr(3, driver.CmdData, 8, 1, 0, 0, 0, 1, 0, 0x44, 0x33, 0x22, 0x11)},
	}}
	c, err := driver.Open(pb, &driver.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile().Name != "tiny" {
		t.Fatalf("profile %q, want tiny", c.Profile().Name)
	}
	if err := c.WriteMem(driver.SelNumNeurons, 0, []core.Word{{40}}); err != nil {
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

func TestClientRefused(t *testing.T) {
	pb := &drivertest.Playback{Ops: []drivertest.IO{
		{W: fr(0, driver.CmdIdentify, 1), R: fr(0, driver.CmdInfo, tinyInfo...)},
		// SET_NUM_NEURONS 5 while running -> NAK "core is running"
		{W: fr(1, driver.CmdSetNumNeurons, 5, 0, 0, 0), R: fr(1, driver.CmdNak, driver.NakRunning, 2)},
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
	pb := &drivertest.Playback{Ops: []drivertest.IO{
		{W: fr(0, driver.CmdIdentify, 1)}, // no answer, ever
		{W: fr(0, driver.CmdIdentify, 1)},
		{W: fr(0, driver.CmdIdentify, 1)},
	}}
	_, err := driver.Open(pb, &driver.Options{Timeout: 10 * time.Millisecond, Retries: 2})
	if !errors.Is(err, driver.ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	if err := pb.Close(); err != nil {
		t.Fatal(err)
	}
}
