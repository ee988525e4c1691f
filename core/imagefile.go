package core

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"os"

	"github.com/ncx-project/ncx/internal/atomicfile"
)

// Image file layout (little endian):
//
//	magic "NCXI" | format u16 | core version u16 | payload length u64 | CRC-32C of payload u32 | payload
//
// The payload holds the profile, every memory's used words, the meta JSON,
// the stimulus and the synapse-to-projection map, each count-prefixed, then
// optional sections, each a tag byte and its body, in ascending tag order:
// the reset modes (tag 1) and the fraction bits (tag 2). An image writes a
// section only when it uses what it holds, so older images keep their bytes.
const (
	imageMagic   = "NCXI"
	ImageFormat  = 1
	headerLength = 4 + 2 + 2 + 8 + 4
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrBadImage is wrapped by every error of ReadImage about the file's contents.
var ErrBadImage = errors.New("core: not a valid ncx image")

type enc struct{ b []byte }

func (e *enc) u8(v uint8)    { e.b = append(e.b, v) }
func (e *enc) u16(v uint16)  { e.b = binary.LittleEndian.AppendUint16(e.b, v) }
func (e *enc) u32(v uint32)  { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *enc) u64(v uint64)  { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *enc) i32(v int32)   { e.u32(uint32(v)) }
func (e *enc) f64(v float64) { e.u64(math.Float64bits(v)) }
func (e *enc) bytes(v []byte) {
	e.u32(uint32(len(v)))
	e.b = append(e.b, v...)
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

func (im *Image) anyRSub() bool {
	for _, q := range im.Params {
		if q.RSub {
			return true
		}
	}
	return false
}

// EncodeImage serialises an image.
func EncodeImage(im *Image) ([]byte, error) {
	if err := im.Validate(); err != nil {
		return nil, err
	}
	meta, err := json.Marshal(im.Meta)
	if err != nil {
		return nil, fmt.Errorf("core: encode image meta: %w", err)
	}
	n := im.NumNeurons
	e := &enc{b: make([]byte, 0, headerLength+64+n*40+len(im.Syn)*9+len(im.Rev)*8+len(meta))}
	e.b = append(e.b, make([]byte, headerLength)...)
	p := im.Profile
	e.bytes([]byte(p.Name))
	e.bytes([]byte(p.Target))
	e.u8(uint8(p.NB))
	e.u8(uint8(p.SB))
	e.u8(uint8(p.RB))
	e.u8(uint8(p.VW))
	if p.Burst {
		e.u8(1)
	} else {
		e.u8(0)
	}
	e.f64(p.ClockHz)
	e.u32(uint32(n))
	for _, q := range im.Params {
		e.i32(q.Thr)
		e.i32(q.VReset)
		e.i32(q.Bias)
		e.u16(q.DV)
		e.u16(q.DI)
		e.u8(q.TRef)
		e.u8(q.TrShift)
		e.u8(q.TrInc)
	}
	for _, s := range im.State {
		e.i32(s.V)
		e.i32(s.I)
		e.u8(s.Ref)
	}
	e.b = append(e.b, im.Trace...)
	for _, f := range im.Fanout {
		e.u32(f.FoBase)
		e.u32(f.FoCnt)
		e.u32(f.FiBase)
		e.u32(f.FiCnt)
	}
	e.u32(uint32(len(im.Syn)))
	for _, s := range im.Syn {
		e.u32(s.Tgt)
		e.u8(uint8(s.W))
		e.u8(s.WExp)
		e.u8(s.Rule)
	}
	e.u32(uint32(len(im.Rev)))
	for _, r := range im.Rev {
		e.u32(r.SAddr)
		e.u32(r.Src)
	}
	for _, r := range im.Rules {
		e.u8(r.APlus)
		e.u8(r.AMinus)
		e.u8(uint8(r.WMin))
		e.u8(uint8(r.WMax))
	}
	e.bytes(meta)
	e.u32(uint32(len(im.Meta.Stimulus)))
	for _, s := range im.Meta.Stimulus {
		e.u32(s.Step)
		e.u32(s.Neuron)
	}
	e.u32(uint32(len(im.Meta.SynProj)))
	for _, s := range im.Meta.SynProj {
		e.u16(s)
	}
	if b := im.Burst; b == nil {
		e.u8(0)
	} else {
		e.u8(1)
		for _, q := range b.Params {
			e.u8(boolByte(q.BU))
			e.u8(q.BMode)
			e.u16(q.DA)
			e.i32(q.AOff)
			e.u8(q.AShift)
			e.u8(q.PShift)
			e.i32(q.Teach)
		}
		for _, s := range b.State {
			e.i32(s.VA)
			e.u16(s.PBar)
			e.u16(uint16(s.Err))
		}
		for _, f := range b.BFanout {
			e.u32(f.BoBase)
			e.u32(f.BoCnt)
		}
		e.b = append(e.b, b.LUT[:]...)
		e.u8(b.RuleKind)
		e.u16(b.LFSR)
	}
	e.u32(uint32(len(im.Meta.Teach)))
	for _, w := range im.Meta.Teach {
		e.u32(w.Step)
		e.u32(w.Neuron)
		e.i32(w.Teach)
	}
	// Reset modes come last and only when some neuron subtracts, so every
	// image of the reset-to-vreset core keeps its bytes.
	if im.anyRSub() {
		e.u8(sectionResetModes)
		for _, q := range im.Params {
			e.u8(boolByte(q.RSub))
		}
	}
	// Fraction bits (spec section 8.4) follow, again only when some are
	// used: rule_frac, then the wfrac words when any is not 0.
	if b := im.Burst; b != nil && b.UsesFrac() {
		e.u8(sectionFraction)
		e.u8(b.RuleFrac)
		if anyNonZero(b.WFrac) {
			e.u32(uint32(len(b.WFrac)))
			e.b = append(e.b, b.WFrac...)
		} else {
			e.u32(0)
		}
	}
	payload := e.b[headerLength:]
	copy(e.b, imageMagic)
	binary.LittleEndian.PutUint16(e.b[4:], ImageFormat)
	binary.LittleEndian.PutUint16(e.b[6:], CoreVersion)
	binary.LittleEndian.PutUint64(e.b[8:], uint64(len(payload)))
	binary.LittleEndian.PutUint32(e.b[16:], crc32.Checksum(payload, castagnoli))
	return e.b, nil
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) need(n uint64, what string) bool {
	if d.err != nil {
		return false
	}
	if uint64(len(d.b)) < n {
		d.err = fmt.Errorf("%w: truncated in %s", ErrBadImage, what)
		return false
	}
	return true
}

func (d *dec) u8(what string) uint8 {
	if !d.need(1, what) {
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *dec) u16(what string) uint16 {
	if !d.need(2, what) {
		return 0
	}
	v := binary.LittleEndian.Uint16(d.b)
	d.b = d.b[2:]
	return v
}

func (d *dec) u32(what string) uint32 {
	if !d.need(4, what) {
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

func (d *dec) u64(what string) uint64 {
	if !d.need(8, what) {
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *dec) i32(what string) int32 { return int32(d.u32(what)) }

func (d *dec) bytes(what string) []byte {
	n := d.u32(what)
	if !d.need(uint64(n), what) {
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

// count reads an element count and checks that count*size bytes remain, so a
// corrupted count cannot make the reader allocate gigabytes.
func (d *dec) count(size uint64, what string) int {
	n := uint64(d.u32(what + " count"))
	if !d.need(n*size, what) {
		return 0
	}
	return int(n)
}

// DecodeImage parses and validates an image file's bytes.
func DecodeImage(data []byte) (*Image, error) {
	if len(data) < headerLength {
		return nil, fmt.Errorf("%w: %d bytes is shorter than the %d-byte header", ErrBadImage, len(data), headerLength)
	}
	if string(data[:4]) != imageMagic {
		return nil, fmt.Errorf("%w: bad magic %q", ErrBadImage, data[:4])
	}
	if f := binary.LittleEndian.Uint16(data[4:]); f != ImageFormat {
		return nil, fmt.Errorf("%w: image format %d, this ncx reads format %d", ErrBadImage, f, ImageFormat)
	}
	if v := binary.LittleEndian.Uint16(data[6:]); v != CoreVersion {
		return nil, fmt.Errorf("%w: image is for core version %d, this ncx implements version %d", ErrBadImage, v, CoreVersion)
	}
	plen := binary.LittleEndian.Uint64(data[8:])
	payload := data[headerLength:]
	if uint64(len(payload)) != plen {
		return nil, fmt.Errorf("%w: payload is %d bytes, header says %d (truncated or padded file)", ErrBadImage, len(payload), plen)
	}
	if crc := crc32.Checksum(payload, castagnoli); crc != binary.LittleEndian.Uint32(data[16:]) {
		return nil, fmt.Errorf("%w: checksum mismatch (file corrupted)", ErrBadImage)
	}
	d := &dec{b: payload}
	im := &Image{}
	p := &im.Profile
	p.Name = string(d.bytes("profile name"))
	p.Target = string(d.bytes("profile target"))
	p.NB = uint(d.u8("profile"))
	p.SB = uint(d.u8("profile"))
	p.RB = uint(d.u8("profile"))
	p.VW = uint(d.u8("profile"))
	p.Burst = d.u8("profile") == 1
	p.ClockHz = math.Float64frombits(d.u64("profile"))
	if d.err == nil {
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadImage, err)
		}
	}
	n := int(d.u32("num_neurons"))
	if d.err == nil && (n < 1 || n > p.Neurons()) {
		return nil, fmt.Errorf("%w: num_neurons %d outside 1..%d", ErrBadImage, n, p.Neurons())
	}
	if d.need(uint64(n)*(19+9+1+16), "neuron tables") {
		im.NumNeurons = n
		im.Params = make([]NeuronParams, n)
		for i := range im.Params {
			q := &im.Params[i]
			q.Thr, q.VReset, q.Bias = d.i32("param"), d.i32("param"), d.i32("param")
			q.DV, q.DI = d.u16("param"), d.u16("param")
			q.TRef, q.TrShift, q.TrInc = d.u8("param"), d.u8("param"), d.u8("param")
		}
		im.State = make([]NeuronState, n)
		for i := range im.State {
			s := &im.State[i]
			s.V, s.I, s.Ref = d.i32("state"), d.i32("state"), d.u8("state")
		}
		im.Trace = append([]uint8(nil), d.b[:n]...)
		d.b = d.b[n:]
		im.Fanout = make([]Fanout, n)
		for i := range im.Fanout {
			f := &im.Fanout[i]
			f.FoBase, f.FoCnt, f.FiBase, f.FiCnt = d.u32("fanout"), d.u32("fanout"), d.u32("fanout"), d.u32("fanout")
		}
	}
	if ns := d.count(7, "syn"); d.err == nil {
		im.Syn = make([]Synapse, ns)
		for i := range im.Syn {
			im.Syn[i] = Synapse{Tgt: d.u32("syn"), W: int8(d.u8("syn")), WExp: d.u8("syn"), Rule: d.u8("syn")}
		}
	}
	if nr := d.count(8, "rev"); d.err == nil {
		im.Rev = make([]RevEntry, nr)
		for i := range im.Rev {
			im.Rev[i] = RevEntry{SAddr: d.u32("rev"), Src: d.u32("rev")}
		}
	}
	for i := range im.Rules {
		im.Rules[i] = Rule{APlus: d.u8("rule"), AMinus: d.u8("rule"), WMin: int8(d.u8("rule")), WMax: int8(d.u8("rule"))}
	}
	meta := d.bytes("meta")
	if d.err == nil {
		dj := json.NewDecoder(bytes.NewReader(meta))
		dj.DisallowUnknownFields()
		if err := dj.Decode(&im.Meta); err != nil {
			return nil, fmt.Errorf("%w: meta: %v", ErrBadImage, err)
		}
	}
	if nst := d.count(8, "stimulus"); d.err == nil {
		im.Meta.Stimulus = make([]InputSpike, nst)
		for i := range im.Meta.Stimulus {
			im.Meta.Stimulus[i] = InputSpike{Step: d.u32("stimulus"), Neuron: d.u32("stimulus")}
		}
	}
	if nsp := d.count(2, "synapse projection map"); d.err == nil {
		im.Meta.SynProj = make([]uint16, nsp)
		for i := range im.Meta.SynProj {
			im.Meta.SynProj[i] = d.u16("synapse projection map")
		}
	}
	if d.u8("burst flag") == 1 && d.need(uint64(im.NumNeurons)*(14+8+8)+LUTSize+3, "burst tables") {
		b := &BurstTables{Params: make([]BurstParams, im.NumNeurons), State: make([]BurstState, im.NumNeurons), BFanout: make([]BFanout, im.NumNeurons)}
		for i := range b.Params {
			q := &b.Params[i]
			q.BU = d.u8("bparam") != 0
			q.BMode = d.u8("bparam")
			q.DA = d.u16("bparam")
			q.AOff = d.i32("bparam")
			q.AShift, q.PShift = d.u8("bparam"), d.u8("bparam")
			q.Teach = d.i32("bparam")
		}
		for i := range b.State {
			b.State[i] = BurstState{VA: d.i32("bstate"), PBar: d.u16("bstate"), Err: int16(d.u16("bstate"))}
		}
		for i := range b.BFanout {
			b.BFanout[i] = BFanout{BoBase: d.u32("bfanout"), BoCnt: d.u32("bfanout")}
		}
		copy(b.LUT[:], d.b[:LUTSize])
		d.b = d.b[LUTSize:]
		b.RuleKind = d.u8("rule_kind")
		b.LFSR = d.u16("lfsr")
		im.Burst = b
	}
	if nt := d.count(12, "teach writes"); d.err == nil && nt > 0 {
		im.Meta.Teach = make([]TeachWrite, nt)
		for i := range im.Meta.Teach {
			im.Meta.Teach[i] = TeachWrite{Step: d.u32("teach"), Neuron: d.u32("teach"), Teach: d.i32("teach")}
		}
	}
	last := uint8(0) // optional sections come in ascending tag order, each at most once
	for d.err == nil && len(d.b) > 0 {
		tag := d.u8("section tag")
		if tag <= last || tag > sectionFraction {
			return nil, fmt.Errorf("%w: unknown or repeated section tag %d after the teach writes (want ascending tags %d..%d)", ErrBadImage, tag, sectionResetModes, sectionFraction)
		}
		last = tag
		var err error
		switch tag {
		case sectionResetModes:
			err = d.resetModes(im)
		case sectionFraction:
			err = d.fraction(im)
		}
		if err != nil {
			return nil, err
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d unexpected bytes after the last section", ErrBadImage, len(d.b))
	}
	if err := im.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadImage, err)
	}
	return im, nil
}

// Tags of the optional sections after the teach writes, in the order they
// are written.
const (
	sectionResetModes = 1
	sectionFraction   = 2
)

// resetModes reads the reset-mode section: one byte per neuron.
func (d *dec) resetModes(im *Image) error {
	if !d.need(uint64(im.NumNeurons), "reset modes") {
		return nil
	}
	for i := range im.Params {
		switch m := d.u8("reset modes"); m {
		case 0, 1:
			im.Params[i].RSub = m == 1
		default:
			return fmt.Errorf("%w: neuron %d: reset mode %d (want 0 or 1)", ErrBadImage, i, m)
		}
	}
	if !im.anyRSub() {
		// the encoder omits the section then: one image, one encoding
		return fmt.Errorf("%w: reset-mode section where no neuron subtracts", ErrBadImage)
	}
	return nil
}

// fraction reads the fraction-bit section: rule_frac, then a count (0 or
// one per fan-in word) and the wfrac words.
func (d *dec) fraction(im *Image) error {
	b := im.Burst
	if b == nil {
		return fmt.Errorf("%w: fraction-bit section in an image without burst units", ErrBadImage)
	}
	b.RuleFrac = d.u8("rule_frac")
	n := d.count(1, "wfrac")
	if d.err != nil {
		return nil
	}
	if n != 0 && n != len(im.Rev) {
		return fmt.Errorf("%w: wfrac has %d words, want 0 or one per fan-in word (%d)", ErrBadImage, n, len(im.Rev))
	}
	if n > 0 {
		b.WFrac = append([]uint8(nil), d.b[:n]...)
		d.b = d.b[n:]
		if !anyNonZero(b.WFrac) {
			return fmt.Errorf("%w: wfrac words present but all 0 (the encoder leaves them out)", ErrBadImage)
		}
	}
	if !b.UsesFrac() {
		return fmt.Errorf("%w: fraction-bit section with rule_frac 0 and no wfrac words", ErrBadImage)
	}
	return nil
}

func anyNonZero(v []uint8) bool {
	for _, x := range v {
		if x != 0 {
			return true
		}
	}
	return false
}

// UsesFrac reports whether the tables hold anything of spec section 8.4:
// a rule_frac bit or a non-zero wfrac word (false for nil tables).
func (b *BurstTables) UsesFrac() bool { return b != nil && (b.RuleFrac != 0 || anyNonZero(b.WFrac)) }

// ReadImage reads and validates an image file.
func ReadImage(path string) (*Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("core: read image: %w", err)
	}
	im, err := DecodeImage(data)
	if err != nil {
		return nil, fmt.Errorf("core: read image %s: %w", path, err)
	}
	return im, nil
}

// WriteImage writes an image file atomically.
func WriteImage(path string, im *Image) error {
	data, err := EncodeImage(im)
	if err != nil {
		return fmt.Errorf("core: write image %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w *bufio.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
