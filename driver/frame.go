package driver

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/ncx-project/ncx/core"
)

// Framing constants (docs/protocol.md section 2). A frame starts with Sync0
// and then Sync1 (CRC-16 frames, every protocol version) or SyncWide (CRC-32C
// frames, protocol 3 boards with core.FeatCRC32).
const (
	Sync0        = 0xA5
	Sync1        = 0x5A
	SyncWide     = 0xC3
	headerLen    = 6 // sync0 sync1 seq cmd len_lo len_hi
	crcLen       = 2
	wideHeadLen  = 8 // a wide header adds hcrc u16
	wideCRCLen   = 4
	Overhead     = headerLen + crcLen
	WideOverhead = wideHeadLen + wideCRCLen
	MaxPayload   = 4096 // largest payload either side may send
)

// Frame is one decoded frame.
type Frame struct {
	Seq     uint8
	Cmd     uint8
	Payload []byte
	// Wide is set for a CRC-32C frame (SyncWide).
	Wide bool
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// CRC32C is CRC-32C (Castagnoli, reflected, initial and final XOR
// 0xFFFFFFFF; "123456789" gives 0xE3069283): the check of wide frames and of
// READ_SUM.
func CRC32C(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

// AppendWideFrame appends a CRC-32C frame: Sync0, SyncWide, seq, cmd,
// len u16, hcrc u16 (CRC-16 of seq, cmd and len), payload, then the CRC-32C
// u32 of everything after the sync pair. A frame's undetected-error
// probability is 2^-32 where CRC-16's is 2^-16, which matters at error rates
// where most frames are hit; the header check lets a receiver reject a
// corrupted length at once instead of waiting for up to 4 KiB that will
// never come.
func AppendWideFrame(dst []byte, seq, cmd uint8, payload []byte) []byte {
	return AppendFrameAs(dst, true, seq, cmd, payload)
}

// AppendFrameAs appends a wide frame when wide is set, else a CRC-16 one.
// The payload must not be longer than MaxPayload (longer payloads are a
// programming error and leave dst unchanged).
func AppendFrameAs(dst []byte, wide bool, seq, cmd uint8, payload []byte) []byte {
	if len(payload) > MaxPayload {
		return dst
	}
	start := len(dst)
	sync1 := byte(Sync1)
	if wide {
		sync1 = SyncWide
	}
	dst = append(dst, Sync0, sync1, seq, cmd)
	dst = binary.LittleEndian.AppendUint16(dst, uint16(len(payload)))
	if !wide {
		dst = append(dst, payload...)
		return binary.LittleEndian.AppendUint16(dst, CRC16(dst[start+2:]))
	}
	dst = binary.LittleEndian.AppendUint16(dst, CRC16(dst[start+2:start+6]))
	dst = append(dst, payload...)
	return binary.LittleEndian.AppendUint32(dst, CRC32C(dst[start+2:]))
}

func (f Frame) String() string {
	return fmt.Sprintf("%s seq=%d len=%d", core.CmdName(f.Cmd), f.Seq, len(f.Payload))
}

// CRC16 is CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no
// reflection, no final XOR. CRC16([]byte("123456789")) == 0x29B1.
func CRC16(b []byte) uint16 { return crcUpdate(0xFFFF, b) }

var crcTable = func() (t [256]uint16) {
	for i := range t {
		c := uint16(i) << 8
		for range 8 {
			if c&0x8000 != 0 {
				c = c<<1 ^ 0x1021
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

func crcUpdate(c uint16, b []byte) uint16 {
	for _, x := range b {
		c = c<<8 ^ crcTable[byte(c>>8)^x]
	}
	return c
}

// AppendFrame appends the encoding of a frame to dst. The payload must not
// be longer than MaxPayload (longer payloads are a programming error and
// make AppendFrame return dst unchanged).
func AppendFrame(dst []byte, seq, cmd uint8, payload []byte) []byte {
	return AppendFrameAs(dst, false, seq, cmd, payload)
}

// Decoder turns a byte stream into frames of both kinds. It hunts for a
// sync pair, checks the length and the CRC, and on any failure skips one
// byte and hunts again, so a corrupted byte costs at most the frames it
// touches.
type Decoder struct {
	buf []byte
	// BadFrames counts CRC failures and impossible lengths seen so far.
	BadFrames int
}

// Feed appends received bytes.
func (d *Decoder) Feed(b []byte) { d.buf = append(d.buf, b...) }

// Next returns the next complete frame. ok is false when more bytes are
// needed. bad is true when Next discarded a corrupted frame since the last
// call (a hint to NAK or retry early). The payload is a copy.
func (d *Decoder) Next() (f Frame, ok, bad bool) {
	for {
		i := 0
		for i < len(d.buf) && d.buf[i] != Sync0 {
			i++
		}
		d.drop(i)
		if len(d.buf) < 2 {
			return Frame{}, false, bad
		}
		wide := d.buf[1] == SyncWide
		if d.buf[1] != Sync1 && !wide {
			d.drop(1)
			continue
		}
		hl, cl := headerLen, crcLen
		if wide {
			hl, cl = wideHeadLen, wideCRCLen
		}
		if len(d.buf) < hl {
			return Frame{}, false, bad
		}
		n := int(binary.LittleEndian.Uint16(d.buf[4:]))
		if n > MaxPayload || wide && CRC16(d.buf[2:6]) != binary.LittleEndian.Uint16(d.buf[6:]) {
			d.BadFrames++
			bad = true
			d.drop(1)
			continue
		}
		if len(d.buf) < hl+n+cl {
			return Frame{}, false, bad
		}
		var good bool
		if wide {
			good = CRC32C(d.buf[2:hl+n]) == binary.LittleEndian.Uint32(d.buf[hl+n:])
		} else {
			good = CRC16(d.buf[2:hl+n]) == binary.LittleEndian.Uint16(d.buf[hl+n:])
		}
		if !good {
			d.BadFrames++
			bad = true
			d.drop(1)
			continue
		}
		f = Frame{Seq: d.buf[2], Cmd: d.buf[3], Payload: append([]byte(nil), d.buf[hl:hl+n]...), Wide: wide}
		d.drop(hl + n + cl)
		return f, true, bad
	}
}

// Idle tells the decoder that the line has been quiet for a while: a partial
// frame still waiting for bytes is stale (its length was probably corrupted),
// so its first byte is dropped and the rest is scanned again. It reports
// whether anything was discarded.
func (d *Decoder) Idle() bool {
	if len(d.buf) == 0 {
		return false
	}
	d.drop(1)
	d.BadFrames++
	return true
}

// Pending is the number of buffered bytes not yet decoded.
func (d *Decoder) Pending() int { return len(d.buf) }

func (d *Decoder) drop(n int) {
	if n == 0 {
		return
	}
	if n >= len(d.buf) {
		d.buf = d.buf[:0]
		return
	}
	copy(d.buf, d.buf[n:])
	d.buf = d.buf[:len(d.buf)-n]
}

// DecodeFrame decodes exactly one frame of either kind from b, which must
// hold nothing else.
func DecodeFrame(b []byte) (Frame, error) {
	if len(b) < Overhead {
		return Frame{}, fmt.Errorf("driver: %w: frame of %d bytes is shorter than %d", ErrProtocol, len(b), Overhead)
	}
	wide := b[1] == SyncWide
	if b[0] != Sync0 || (b[1] != Sync1 && !wide) {
		return Frame{}, fmt.Errorf("driver: %w: bad sync % x", ErrProtocol, b[:2])
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if n > MaxPayload {
		return Frame{}, fmt.Errorf("driver: %w: payload length %d above %d", ErrProtocol, n, MaxPayload)
	}
	hl, over := headerLen, Overhead
	if wide {
		hl, over = wideHeadLen, WideOverhead
		if CRC16(b[2:6]) != binary.LittleEndian.Uint16(b[6:]) {
			return Frame{}, fmt.Errorf("driver: %w: header check mismatch", ErrProtocol)
		}
	}
	if len(b) != over+n {
		return Frame{}, fmt.Errorf("driver: %w: frame is %d bytes, header says %d", ErrProtocol, len(b), over+n)
	}
	if wide && CRC32C(b[2:hl+n]) != binary.LittleEndian.Uint32(b[hl+n:]) ||
		!wide && CRC16(b[2:hl+n]) != binary.LittleEndian.Uint16(b[hl+n:]) {
		return Frame{}, fmt.Errorf("driver: %w: CRC mismatch", ErrProtocol)
	}
	return Frame{Seq: b[2], Cmd: b[3], Payload: append([]byte(nil), b[hl:hl+n]...), Wide: wide}, nil
}
