package driver

import (
	"encoding/binary"
	"fmt"
)

// Framing constants of protocol v1 (docs/protocol.md section 2).
const (
	Sync0      = 0xA5
	Sync1      = 0x5A
	headerLen  = 6 // sync0 sync1 seq cmd len_lo len_hi
	crcLen     = 2
	Overhead   = headerLen + crcLen
	MaxPayload = 4096 // largest payload either side may send
)

// Frame is one decoded frame.
type Frame struct {
	Seq     uint8
	Cmd     uint8
	Payload []byte
}

func (f Frame) String() string {
	return fmt.Sprintf("%s seq=%d len=%d", CmdName(f.Cmd), f.Seq, len(f.Payload))
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
	if len(payload) > MaxPayload {
		return dst
	}
	start := len(dst)
	dst = append(dst, Sync0, Sync1, seq, cmd)
	dst = binary.LittleEndian.AppendUint16(dst, uint16(len(payload)))
	dst = append(dst, payload...)
	crc := CRC16(dst[start+2:])
	return binary.LittleEndian.AppendUint16(dst, crc)
}

// Decoder turns a byte stream into frames. It hunts for the sync pair,
// checks the length and the CRC, and on any failure skips one byte and hunts
// again, so a corrupted byte costs at most the frames it touches.
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
		if d.buf[1] != Sync1 {
			d.drop(1)
			continue
		}
		if len(d.buf) < headerLen {
			return Frame{}, false, bad
		}
		n := int(binary.LittleEndian.Uint16(d.buf[4:]))
		if n > MaxPayload {
			d.BadFrames++
			bad = true
			d.drop(1)
			continue
		}
		if len(d.buf) < headerLen+n+crcLen {
			return Frame{}, false, bad
		}
		want := binary.LittleEndian.Uint16(d.buf[headerLen+n:])
		if CRC16(d.buf[2:headerLen+n]) != want {
			d.BadFrames++
			bad = true
			d.drop(1)
			continue
		}
		f = Frame{Seq: d.buf[2], Cmd: d.buf[3], Payload: append([]byte(nil), d.buf[headerLen:headerLen+n]...)}
		d.drop(headerLen + n + crcLen)
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

// DecodeFrame decodes exactly one frame from b, which must hold nothing else.
func DecodeFrame(b []byte) (Frame, error) {
	if len(b) < Overhead {
		return Frame{}, fmt.Errorf("driver: %w: frame of %d bytes is shorter than %d", ErrProtocol, len(b), Overhead)
	}
	if b[0] != Sync0 || b[1] != Sync1 {
		return Frame{}, fmt.Errorf("driver: %w: bad sync % x", ErrProtocol, b[:2])
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if n > MaxPayload {
		return Frame{}, fmt.Errorf("driver: %w: payload length %d above %d", ErrProtocol, n, MaxPayload)
	}
	if len(b) != Overhead+n {
		return Frame{}, fmt.Errorf("driver: %w: frame is %d bytes, header says %d", ErrProtocol, len(b), Overhead+n)
	}
	if CRC16(b[2:headerLen+n]) != binary.LittleEndian.Uint16(b[headerLen+n:]) {
		return Frame{}, fmt.Errorf("driver: %w: CRC mismatch", ErrProtocol)
	}
	return Frame{Seq: b[2], Cmd: b[3], Payload: append([]byte(nil), b[headerLen:headerLen+n]...)}, nil
}
