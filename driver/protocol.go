package driver

import (
	"encoding/binary"
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// ThroughAll in a StreamIn frame says that no more input will come.
const ThroughAll = 0xFFFFFFFF

// IsQuery reports whether cmd has no side effect on the board, so the board
// answers a repeated one by executing it again.
func IsQuery(cmd uint8) bool {
	return cmd == core.CmdIdentify || cmd == core.CmdReadMem || cmd == core.CmdStatus || cmd == core.CmdReadOut || cmd == core.CmdReadSum
}

// SumRange is the READ_SUM payload and the head of its SUM reply: sel u8,
// addr u32, count u32; the reply adds the CRC-32C u32 of the range's words
// as they travel in DATA frames (WordBytes each, least significant first).
type SumRange struct {
	Sel   uint8
	Addr  uint32
	Count uint32
}

const sumRangeLen = 9

// Append renders the range.
func (r SumRange) Append(b []byte) []byte {
	b = append(b, r.Sel)
	b = binary.LittleEndian.AppendUint32(b, r.Addr)
	return binary.LittleEndian.AppendUint32(b, r.Count)
}

// DecodeSumRange parses a READ_SUM payload or the head of a SUM reply and
// returns the rest.
func DecodeSumRange(b []byte) (SumRange, []byte, error) {
	if len(b) < sumRangeLen {
		return SumRange{}, nil, fmt.Errorf("%w: READ_SUM range of %d bytes", ErrProtocol, len(b))
	}
	return SumRange{Sel: b[0], Addr: binary.LittleEndian.Uint32(b[1:]), Count: binary.LittleEndian.Uint32(b[5:])}, b[sumRangeLen:], nil
}

// Nak is a decoded NAK payload: reason u8, expect u8, message.
type Nak struct {
	Reason uint8
	Expect uint8
	Msg    string
}

// Encode renders the payload.
func (n Nak) Encode() []byte { return append([]byte{n.Reason, n.Expect}, n.Msg...) }

// DecodeNak parses a NAK payload.
func DecodeNak(b []byte) (Nak, error) {
	if len(b) < 2 {
		return Nak{}, fmt.Errorf("%w: NAK payload of %d bytes", ErrProtocol, len(b))
	}
	return Nak{Reason: b[0], Expect: b[1], Msg: string(b[2:])}, nil
}

// Info is the IDENTIFY reply: what the board is and what it can hold.
type Info struct {
	Protocol    uint8
	CoreVersion uint16
	NB, SB, RB  uint8
	VW          uint8
	MaxPayload  uint16 // largest payload the board accepts
	Window      uint8  // largest number of unacknowledged frames it buffers
	InputCap    uint32 // input spike events it can queue
	OutLogSteps uint32 // steps of output it keeps for READ_OUT
	ClockHz     uint32
	Features    uint16 // Feat* bits; protocol 1 boards: core.FeatsV1
	Board       string // free text, e.g. "ncx-sim"
}

// Has reports whether the board advertises every feature bit of f.
func (in Info) Has(f uint16) bool { return in.Features&f == f }

const infoLen = 1 + 2 + 4 + 2 + 1 + 4 + 4 + 4

// Encode renders the payload.
func (in Info) Encode() []byte {
	b := []byte{in.Protocol}
	b = binary.LittleEndian.AppendUint16(b, in.CoreVersion)
	b = append(b, in.NB, in.SB, in.RB, in.VW)
	b = binary.LittleEndian.AppendUint16(b, in.MaxPayload)
	b = append(b, in.Window)
	b = binary.LittleEndian.AppendUint32(b, in.InputCap)
	b = binary.LittleEndian.AppendUint32(b, in.OutLogSteps)
	b = binary.LittleEndian.AppendUint32(b, in.ClockHz)
	if in.Protocol >= 2 {
		b = binary.LittleEndian.AppendUint16(b, in.Features)
	}
	return append(b, in.Board...)
}

// DecodeInfo parses an INFO payload.
func DecodeInfo(b []byte) (Info, error) {
	if len(b) < infoLen {
		return Info{}, fmt.Errorf("%w: INFO payload of %d bytes, want at least %d", ErrProtocol, len(b), infoLen)
	}
	le := binary.LittleEndian
	in := Info{
		Protocol: b[0], CoreVersion: le.Uint16(b[1:]), NB: b[3], SB: b[4], RB: b[5], VW: b[6],
		MaxPayload: le.Uint16(b[7:]), Window: b[9], InputCap: le.Uint32(b[10:]), OutLogSteps: le.Uint32(b[14:]),
		ClockHz: le.Uint32(b[18:]), Features: core.FeatsV1,
	}
	rest := b[infoLen:]
	if in.Protocol >= 2 {
		if len(rest) < 2 {
			return Info{}, fmt.Errorf("%w: protocol %d INFO payload of %d bytes has no feature bits", ErrProtocol, in.Protocol, len(b))
		}
		in.Features, rest = le.Uint16(rest), rest[2:]
	}
	in.Board = string(rest)
	return in, nil
}

// Profile returns the built-in profile with the board's widths and burst
// flag, or a custom one named after the board.
func (in Info) Profile() core.Profile {
	burst := in.Has(core.FeatBurst)
	var near *core.Profile // same widths, other burst flag
	for _, p := range core.Profiles {
		if p.NB == uint(in.NB) && p.SB == uint(in.SB) && p.RB == uint(in.RB) && p.VW == uint(in.VW) {
			if p.Burst == burst {
				return p
			}
			near = &p
		}
	}
	if near != nil {
		p := *near
		p.Burst = burst
		return p
	}
	return core.Profile{Name: "board", NB: uint(in.NB), SB: uint(in.SB), RB: uint(in.RB), VW: uint(in.VW), Burst: burst, Target: in.Board, ClockHz: float64(in.ClockHz)}
}

// Status is the STATUS reply.
type Status struct {
	Running    bool
	StepsRun   uint32 // steps of the current or last run
	TotalSteps uint64 // steps since reset
	Dropped    uint32 // input events dropped (late, bad neuron id) and output records lost from the log
	CRCErrors  uint32 // corrupted frames received
	NaksSent   uint32
	FramesOK   uint32 // frames received intact
	Queued     uint32 // input events waiting
	Through    uint32 // input horizon of the current run
}

const statusLen = 1 + 4 + 8 + 4*6

// Encode renders the payload.
func (s Status) Encode() []byte {
	b := []byte{0}
	if s.Running {
		b[0] = 1
	}
	le := binary.LittleEndian
	b = le.AppendUint32(b, s.StepsRun)
	b = le.AppendUint64(b, s.TotalSteps)
	for _, v := range []uint32{s.Dropped, s.CRCErrors, s.NaksSent, s.FramesOK, s.Queued, s.Through} {
		b = le.AppendUint32(b, v)
	}
	return b
}

// DecodeStatus parses a STATUS_REPLY payload.
func DecodeStatus(b []byte) (Status, error) {
	if len(b) < statusLen {
		return Status{}, fmt.Errorf("%w: STATUS payload of %d bytes, want %d", ErrProtocol, len(b), statusLen)
	}
	le := binary.LittleEndian
	return Status{
		Running: b[0] != 0, StepsRun: le.Uint32(b[1:]), TotalSteps: le.Uint64(b[5:]),
		Dropped: le.Uint32(b[13:]), CRCErrors: le.Uint32(b[17:]), NaksSent: le.Uint32(b[21:]),
		FramesOK: le.Uint32(b[25:]), Queued: le.Uint32(b[29:]), Through: le.Uint32(b[33:]),
	}, nil
}

// MemHeader starts WRITE_MEM, READ_MEM and DATA payloads: sel u8, addr u32, count u16.
type MemHeader struct {
	Sel   uint8
	Addr  uint32
	Count uint16
}

// MemHeaderLen is the length of a rendered MemHeader.
const MemHeaderLen = 7

// Append renders the header.
func (h MemHeader) Append(b []byte) []byte {
	b = append(b, h.Sel)
	b = binary.LittleEndian.AppendUint32(b, h.Addr)
	return binary.LittleEndian.AppendUint16(b, h.Count)
}

// DecodeMemHeader parses a memory header and returns the rest of the payload.
func DecodeMemHeader(b []byte) (MemHeader, []byte, error) {
	if len(b) < MemHeaderLen {
		return MemHeader{}, nil, fmt.Errorf("%w: memory header of %d bytes", ErrProtocol, len(b))
	}
	return MemHeader{Sel: b[0], Addr: binary.LittleEndian.Uint32(b[1:]), Count: binary.LittleEndian.Uint16(b[5:])}, b[MemHeaderLen:], nil
}

// WordBytes is the number of bytes a word of width bits takes on the wire.
func WordBytes(width uint) int { return int(width+7) / 8 }

// MemWidth is the word width of host_sel value sel, including the
// registers; false when a build under p has no such memory.
func MemWidth(p core.Profile, sel int) (uint, bool) {
	if !p.HasMem(sel) {
		return 0, false
	}
	return p.MemWidth(sel), true
}

// AppendWord appends the low width bits of w, little endian, in WordBytes(width) bytes.
func AppendWord(b []byte, w core.Word, width uint) []byte {
	for k := 0; k < WordBytes(width); k++ {
		bit := uint(k * 8)
		v := byte(w[bit/64] >> (bit % 64))
		if rem := width - bit; rem < 8 {
			v &= byte(1<<rem - 1)
		}
		b = append(b, v)
	}
	return b
}

// ParseWord reads one word of width bits from b (WordBytes(width) bytes);
// bits above width are ignored.
func ParseWord(b []byte, width uint) core.Word {
	var w core.Word
	for k := 0; k < WordBytes(width) && k < len(b); k++ {
		bit := uint(k * 8)
		v := uint64(b[k])
		if rem := width - bit; rem < 8 {
			v &= 1<<rem - 1
		}
		w[bit/64] |= v << (bit % 64)
	}
	return w
}

// StepRecord is one record of an OUT payload: the spikes of one step (or
// part of them: a step with more spikes than fit in one frame is split into
// parts 0, 1, ..., the last one flagged).
type StepRecord struct {
	Step   uint32
	Cycles uint32
	Part   uint8
	Last   bool
	Spikes []uint16
}

const recordHeaderLen = 12

// Size is the encoded size of the record.
func (r StepRecord) Size() int { return recordHeaderLen + 2*len(r.Spikes) }

// Append renders the record: step u32, cycles u32, part u8, flags u8 (bit 0
// = last part), n u16, n neuron ids u16.
func (r StepRecord) Append(b []byte) []byte {
	le := binary.LittleEndian
	b = le.AppendUint32(b, r.Step)
	b = le.AppendUint32(b, r.Cycles)
	var fl byte
	if r.Last {
		fl = 1
	}
	b = append(b, r.Part, fl)
	b = le.AppendUint16(b, uint16(len(r.Spikes)))
	for _, s := range r.Spikes {
		b = le.AppendUint16(b, s)
	}
	return b
}

// DecodeRecords parses an OUT or OUT_REPLY payload.
func DecodeRecords(b []byte) ([]StepRecord, error) {
	var out []StepRecord
	le := binary.LittleEndian
	for len(b) > 0 {
		if len(b) < recordHeaderLen {
			return out, fmt.Errorf("%w: truncated step record", ErrProtocol)
		}
		r := StepRecord{Step: le.Uint32(b), Cycles: le.Uint32(b[4:]), Part: b[8], Last: b[9]&1 != 0}
		n := int(le.Uint16(b[10:]))
		b = b[recordHeaderLen:]
		if len(b) < 2*n {
			return out, fmt.Errorf("%w: step record with %d spikes truncated", ErrProtocol, n)
		}
		r.Spikes = make([]uint16, n)
		for k := range r.Spikes {
			r.Spikes[k] = le.Uint16(b[2*k:])
		}
		b = b[2*n:]
		out = append(out, r)
	}
	return out, nil
}

// Done is the DONE event: steps run u32, total cycles u64, reason u8 (0 all
// steps run, 1 stopped by STOP).
type Done struct {
	Steps   uint32
	Cycles  uint64
	Stopped bool
}

// Encode renders the payload.
func (d Done) Encode() []byte {
	b := binary.LittleEndian.AppendUint32(nil, d.Steps)
	b = binary.LittleEndian.AppendUint64(b, d.Cycles)
	if d.Stopped {
		return append(b, 1)
	}
	return append(b, 0)
}

// DecodeDone parses a DONE payload.
func DecodeDone(b []byte) (Done, error) {
	if len(b) < 13 {
		return Done{}, fmt.Errorf("%w: DONE payload of %d bytes", ErrProtocol, len(b))
	}
	return Done{Steps: binary.LittleEndian.Uint32(b), Cycles: binary.LittleEndian.Uint64(b[4:]), Stopped: b[12] != 0}, nil
}

// inputRecordLen is the size of one STREAM_IN record: step u32, neuron u16.
const inputRecordLen = 6
