package driver

import (
	"bytes"
	"testing"

	"github.com/ncx-project/ncx/core"
)

func TestCRC16CheckValue(t *testing.T) {
	if got := CRC16([]byte("123456789")); got != 0x29B1 {
		t.Fatalf("CRC-16/CCITT-FALSE check: got %#04x, want 0x29b1", got)
	}
}

func TestCRC32CCheckValue(t *testing.T) {
	if got := CRC32C([]byte("123456789")); got != 0xE3069283 {
		t.Fatalf("CRC-32C check: got %#08x, want 0xe3069283", got)
	}
}

func TestWideFrameBytes(t *testing.T) {
	got := AppendWideFrame(nil, 9, core.CmdAck, nil)
	want := []byte{0xA5, 0xC3, 0x09, 0x80, 0x00, 0x00, 0, 0, 0, 0, 0, 0}
	h := CRC16(want[2:6])
	want[6], want[7] = byte(h), byte(h>>8)
	c := CRC32C(want[2:8])
	want[8], want[9], want[10], want[11] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
	if !bytes.Equal(got, want) {
		t.Fatalf("got % x, want % x", got, want)
	}
	// a CRC-16 frame and a wide one back to back, then a wide one with a
	// flipped bit: the decoder keeps the first two and drops the third
	bad := AppendWideFrame(nil, 11, core.CmdAck, []byte{1, 2, 3})
	bad[9] ^= 4
	var d Decoder
	d.Feed(AppendFrame(nil, 8, core.CmdAck, nil))
	d.Feed(got)
	d.Feed(bad)
	var seen []uint8
	for {
		f, ok, _ := d.Next()
		if !ok {
			break
		}
		seen = append(seen, f.Seq)
	}
	if !bytes.Equal(seen, []byte{8, 9}) || d.BadFrames != 1 {
		t.Fatalf("decoded seqs %v with %d bad frames, want [8 9] and 1", seen, d.BadFrames)
	}
}

func TestFrameBytes(t *testing.T) {
	// IDENTIFY, seq 0, payload {protocol 1}
	got := AppendFrame(nil, 0, core.CmdIdentify, []byte{1})
	want := []byte{0xA5, 0x5A, 0x00, 0x02, 0x01, 0x00, 0x01, 0, 0}
	c := CRC16(want[2:7])
	want[7], want[8] = byte(c), byte(c>>8)
	if !bytes.Equal(got, want) {
		t.Fatalf("got % x, want % x", got, want)
	}
	f, err := DecodeFrame(got)
	if err != nil || f.Seq != 0 || f.Cmd != core.CmdIdentify || !bytes.Equal(f.Payload, []byte{1}) {
		t.Fatalf("decode: %v %v", f, err)
	}
}

func TestDecoderResyncs(t *testing.T) {
	a := AppendFrame(nil, 1, core.CmdAck, nil)
	b := AppendFrame(nil, 2, core.CmdWriteMem, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9})
	c := AppendFrame(nil, 3, core.CmdAck, nil)
	bad := append([]byte(nil), b...)
	bad[8] ^= 0x10
	stream := append(append(append([]byte{0x00, 0xA5, 0x13}, a...), bad...), c...)
	var d Decoder
	var seqs []uint8
	for _, x := range stream { // one byte at a time
		d.Feed([]byte{x})
		for {
			f, ok, _ := d.Next()
			if !ok {
				break
			}
			seqs = append(seqs, f.Seq)
		}
	}
	if !bytes.Equal(seqs, []byte{1, 3}) || d.BadFrames != 1 {
		t.Fatalf("got seqs %v with %d bad frames, want [1 3] and 1", seqs, d.BadFrames)
	}
	// a corrupted length: the frame after it is found once the line idles
	long := append([]byte(nil), a...)
	long[4] = 0x40 // length 64, never satisfied
	d = Decoder{}
	d.Feed(append(long, c...))
	if _, ok, _ := d.Next(); ok {
		t.Fatal("decoded a frame with a corrupted length")
	}
	var found bool
	for d.Pending() > 0 && !found {
		d.Idle()
		f, ok, _ := d.Next()
		found = ok && f.Seq == 3
	}
	if !found {
		t.Fatal("the frame after a corrupted length was lost")
	}
}

func FuzzDecodeFrame(f *testing.F) {
	f.Add([]byte{}, uint8(0), uint8(0), []byte{})
	f.Add(AppendFrame(nil, 7, core.CmdAck, nil), uint8(7), uint8(core.CmdNak), []byte{1, 2})
	f.Add([]byte{0xA5, 0x5A, 0, 0, 0xFF, 0xFF}, uint8(255), uint8(core.CmdOut), bytes.Repeat([]byte{0xA5}, 40))
	f.Fuzz(func(t *testing.T, noise []byte, seq, cmd uint8, payload []byte) {
		// bytes to frames: never panics, whatever arrives
		var d Decoder
		d.Feed(noise)
		for range len(noise) + 1 {
			if _, ok, _ := d.Next(); !ok {
				d.Idle()
			}
		}
		DecodeFrame(noise)
		DecodeRecords(noise)
		DecodeNak(noise)
		DecodeInfo(noise)
		DecodeStatus(noise)
		DecodeDone(noise)
		// frames to bytes and back: a frame after noise is always found
		if len(payload) > MaxPayload {
			payload = payload[:MaxPayload]
		}
		wide := seq&1 == 1 // both framings, by the parity of seq
		enc := AppendFrameAs(nil, wide, seq, cmd, payload)
		g, err := DecodeFrame(enc)
		if err != nil || g.Seq != seq || g.Cmd != cmd || g.Wide != wide || !bytes.Equal(g.Payload, payload) {
			t.Fatalf("round trip: %v %v", g, err)
		}
		d = Decoder{}
		d.Feed(noise)
		d.Feed(enc)
		for d.Pending() > 0 {
			h, ok, _ := d.Next()
			if ok && h.Seq == seq && h.Cmd == cmd && bytes.Equal(h.Payload, payload) {
				return
			}
			if !ok {
				d.Idle()
			}
		}
		t.Fatalf("frame after %d noise bytes not decoded", len(noise))
	})
}
