package core

import (
	"fmt"
	"strconv"
	"strings"
)

// This file is the memory map of spec sections 2, 6 and 8.1: every memory
// and register the host port reaches, its depth and its word, field by
// field. Everything else is derived from it: MemWidth, MemDepth, Pack and
// Unpack of every word, hdl/ncx_mem.vh (widths, offsets, host_sel codes and
// field slices for the RTL), the Verilator harness's header and the tables
// of docs/core-spec.md (internal/cmd/ncxgen writes them; a test fails when
// one is stale). Adding a field to a word is one line here plus the logic
// that uses it.

// Size is a number of bits that depends linearly on a profile's widths:
// Const + NB·nb + SB·sb + RB·rb + VW·vw.
type Size struct{ Const, NB, SB, RB, VW int }

// Bits is a fixed size of n bits.
func Bits(n int) Size { return Size{Const: n} }

// The profile widths as sizes.
var (
	SizeNB = Size{NB: 1}
	SizeSB = Size{SB: 1}
	SizeRB = Size{RB: 1}
	SizeVW = Size{VW: 1}
)

// Plus adds two sizes.
func (s Size) Plus(t Size) Size {
	return Size{s.Const + t.Const, s.NB + t.NB, s.SB + t.SB, s.RB + t.RB, s.VW + t.VW}
}

// Of is the size under profile p.
func (s Size) Of(p Profile) uint {
	return uint(s.Const + s.NB*int(p.NB) + s.SB*int(p.SB) + s.RB*int(p.RB) + s.VW*int(p.VW))
}

// Expr renders the size as an expression of NB, SB, RB and VW with mul as
// the multiplication sign: "3*VW+45" for Verilog and C++, "3·VW+45" for the
// docs.
func (s Size) Expr(mul string) string {
	var terms []string
	for _, t := range []struct {
		k    int
		name string
	}{{s.VW, "VW"}, {s.SB, "SB"}, {s.RB, "RB"}, {s.NB, "NB"}} {
		switch {
		case t.k == 1:
			terms = append(terms, t.name)
		case t.k != 0:
			terms = append(terms, strconv.Itoa(t.k)+mul+t.name)
		}
	}
	if s.Const != 0 || len(terms) == 0 {
		terms = append(terms, strconv.Itoa(s.Const))
	}
	return strings.Join(terms, "+")
}

// Field is one field of a memory word.
type Field struct {
	Name   string // the spec's name
	Size   Size
	Signed bool // two's complement
	// bind connects the field to its Go record (nil for memories without
	// one: their single field is the raw word).
	bind binding
}

// Memory is one memory or register of the host port.
type Memory struct {
	Sel  int    // host_sel value
	Name string // the spec's name
	// AddrBits is log2 of the depth (0 for a register).
	AddrBits Size
	// Burst is true for what only builds with burst units have (spec 8.1).
	Burst bool
	// Register is true for a single-word register rather than a memory.
	Register bool
	// Fields lists the word from the most significant bit down, as the
	// spec writes it.
	Fields []Field
	// Doc is a short note for the docs table (memories of one field).
	Doc string
}

// Memory numbers are the host_sel values of spec sections 6 and 8.1.
const (
	MemParam = iota
	MemState
	MemTrace
	MemAcc
	MemForce
	MemFanout
	MemSyn
	MemRev
	MemRule
	MemBParam // burst-unit memories (spec section 8) follow the core ones
	MemBState
	MemAccA
	MemBFanout
	MemLUT
	NumBurstMems
)

// NumMems counts the memories of a core without burst units.
const NumMems = MemBParam

// Host_sel values of the registers.
const (
	HostSelKind       = 14 // rule_kind (burst builds)
	HostSelNumNeurons = 15 // num_neurons
	HostSelLFSR       = 16 // lfsr (burst builds)
	// MemWFrac is a memory added after the registers (spec section 8.4), so
	// its host_sel follows theirs; Memories lists it with the others.
	MemWFrac        = 17
	HostSelRuleFrac = 18 // rule_frac (burst builds)
	NumHostSels     = 19
)

// HostSelBits is the width of the host port's select input.
const HostSelBits = 5

// MemMap is the memory map, indexed by host_sel.
var MemMap = [NumHostSels]Memory{
	MemParam: {Sel: MemParam, Name: "param", AddrBits: SizeNB, Fields: []Field{
		{Name: "rsub", Size: Bits(1), bind: flag(func(q *NeuronParams) *bool { return &q.RSub })},
		{Name: "thr", Size: SizeVW, Signed: true, bind: field(func(q *NeuronParams) *int32 { return &q.Thr })},
		{Name: "vreset", Size: SizeVW, Signed: true, bind: field(func(q *NeuronParams) *int32 { return &q.VReset })},
		{Name: "bias", Size: SizeVW, Signed: true, bind: field(func(q *NeuronParams) *int32 { return &q.Bias })},
		{Name: "dv", Size: Bits(DecayBits), bind: field(func(q *NeuronParams) *uint16 { return &q.DV })},
		{Name: "di", Size: Bits(DecayBits), bind: field(func(q *NeuronParams) *uint16 { return &q.DI })},
		{Name: "tref", Size: Bits(RefBits), bind: field(func(q *NeuronParams) *uint8 { return &q.TRef })},
		{Name: "tr_shift", Size: Bits(TrShiftBits), bind: field(func(q *NeuronParams) *uint8 { return &q.TrShift })},
		{Name: "tr_inc", Size: Bits(TrIncBits), bind: field(func(q *NeuronParams) *uint8 { return &q.TrInc })},
	}},
	MemState: {Sel: MemState, Name: "state", AddrBits: SizeNB, Fields: []Field{
		{Name: "v", Size: SizeVW, Signed: true, bind: field(func(s *NeuronState) *int32 { return &s.V })},
		{Name: "i", Size: SizeVW, Signed: true, bind: field(func(s *NeuronState) *int32 { return &s.I })},
		{Name: "ref", Size: Bits(RefBits), bind: field(func(s *NeuronState) *uint8 { return &s.Ref })},
	}},
	MemTrace: {Sel: MemTrace, Name: "trace", AddrBits: SizeNB, Fields: []Field{{Name: "tr", Size: Bits(TraceBits)}}},
	MemAcc: {Sel: MemAcc, Name: "acc", AddrBits: SizeNB, Doc: "signed synaptic input collected for the next step",
		Fields: []Field{{Name: "acc", Size: SizeVW, Signed: true}}},
	MemForce: {Sel: MemForce, Name: "force", AddrBits: SizeNB, Doc: "external spike for the next step",
		Fields: []Field{{Name: "f", Size: Bits(1)}}},
	MemFanout: {Sel: MemFanout, Name: "fanout", AddrBits: SizeNB, Fields: []Field{
		{Name: "fo_base", Size: SizeSB, bind: field(func(f *Fanout) *uint32 { return &f.FoBase })},
		{Name: "fo_cnt", Size: SizeSB.Plus(Bits(1)), bind: field(func(f *Fanout) *uint32 { return &f.FoCnt })},
		{Name: "fi_base", Size: SizeRB, bind: field(func(f *Fanout) *uint32 { return &f.FiBase })},
		{Name: "fi_cnt", Size: SizeRB.Plus(Bits(1)), bind: field(func(f *Fanout) *uint32 { return &f.FiCnt })},
	}},
	MemSyn: {Sel: MemSyn, Name: "syn", AddrBits: SizeSB, Fields: []Field{
		{Name: "rule", Size: Bits(RuleBits), bind: field(func(s *Synapse) *uint8 { return &s.Rule })},
		{Name: "wexp", Size: Bits(WExpBits), bind: field(func(s *Synapse) *uint8 { return &s.WExp })},
		{Name: "w", Size: Bits(WeightBits), Signed: true, bind: field(func(s *Synapse) *int8 { return &s.W })},
		{Name: "tgt", Size: SizeNB, bind: field(func(s *Synapse) *uint32 { return &s.Tgt })},
	}},
	MemRev: {Sel: MemRev, Name: "rev", AddrBits: SizeRB, Fields: []Field{
		{Name: "saddr", Size: SizeSB, bind: field(func(e *RevEntry) *uint32 { return &e.SAddr })},
		{Name: "src", Size: SizeNB, bind: field(func(e *RevEntry) *uint32 { return &e.Src })},
	}},
	MemRule: {Sel: MemRule, Name: "rule", AddrBits: Bits(RuleBits), Fields: []Field{
		{Name: "aplus", Size: Bits(8), bind: field(func(r *Rule) *uint8 { return &r.APlus })},
		{Name: "aminus", Size: Bits(8), bind: field(func(r *Rule) *uint8 { return &r.AMinus })},
		{Name: "wmin", Size: Bits(WeightBits), Signed: true, bind: field(func(r *Rule) *int8 { return &r.WMin })},
		{Name: "wmax", Size: Bits(WeightBits), Signed: true, bind: field(func(r *Rule) *int8 { return &r.WMax })},
	}},
	MemBParam: {Sel: MemBParam, Name: "bparam", AddrBits: SizeNB, Burst: true, Fields: []Field{
		{Name: "bu", Size: Bits(1), bind: flag(func(q *BurstParams) *bool { return &q.BU })},
		{Name: "bmode", Size: Bits(1), bind: field(func(q *BurstParams) *uint8 { return &q.BMode })},
		{Name: "da", Size: Bits(DecayBits), bind: field(func(q *BurstParams) *uint16 { return &q.DA })},
		{Name: "aoff", Size: SizeVW, Signed: true, bind: field(func(q *BurstParams) *int32 { return &q.AOff })},
		{Name: "ashift", Size: Bits(AShiftBits), bind: field(func(q *BurstParams) *uint8 { return &q.AShift })},
		{Name: "pshift", Size: Bits(PShiftBits), bind: field(func(q *BurstParams) *uint8 { return &q.PShift })},
		{Name: "teach", Size: SizeVW, Signed: true, bind: field(func(q *BurstParams) *int32 { return &q.Teach })},
	}},
	MemBState: {Sel: MemBState, Name: "bstate", AddrBits: SizeNB, Burst: true, Fields: []Field{
		{Name: "va", Size: SizeVW, Signed: true, bind: field(func(s *BurstState) *int32 { return &s.VA })},
		{Name: "pbar", Size: Bits(PBarBits), bind: field(func(s *BurstState) *uint16 { return &s.PBar })},
		{Name: "err", Size: Bits(ErrBits), Signed: true, bind: field(func(s *BurstState) *int16 { return &s.Err })},
	}},
	MemAccA: {Sel: MemAccA, Name: "acca", AddrBits: SizeNB, Burst: true, Doc: "apical input collected for the next step",
		Fields: []Field{{Name: "acca", Size: SizeVW, Signed: true}}},
	MemBFanout: {Sel: MemBFanout, Name: "bfanout", AddrBits: SizeNB, Burst: true, Doc: "the neuron's burst row in `syn`", Fields: []Field{
		{Name: "bo_base", Size: SizeSB, bind: field(func(f *BFanout) *uint32 { return &f.BoBase })},
		{Name: "bo_cnt", Size: SizeSB.Plus(Bits(1)), bind: field(func(f *BFanout) *uint32 { return &f.BoCnt })},
	}},
	MemLUT: {Sel: MemLUT, Name: "lut", AddrBits: Bits(LUTBits), Burst: true, Fields: []Field{{Name: "p", Size: Bits(8)}}},
	HostSelKind: {Sel: HostSelKind, Name: "rule_kind", Register: true, Burst: true, Doc: "bit r set makes rule r a BDSP rule instead of an STDP rule",
		Fields: []Field{{Name: "rule_kind", Size: Bits(NumRules)}}},
	HostSelNumNeurons: {Sel: HostSelNumNeurons, Name: "num_neurons", Register: true, Doc: "1..N; neurons 0..num_neurons-1 are updated each step",
		Fields: []Field{{Name: "num_neurons", Size: SizeNB.Plus(Bits(1))}}},
	HostSelLFSR: {Sel: HostSelLFSR, Name: "lfsr", Register: true, Burst: true, Doc: "the LFSR state, never 0",
		Fields: []Field{{Name: "lfsr", Size: Bits(16)}}},
	MemWFrac: {Sel: MemWFrac, Name: "wfrac", AddrBits: SizeRB, Burst: true, Doc: "the 8 fraction bits of the weight of the synapse that `rev` names at the same address",
		Fields: []Field{{Name: "wfr", Size: Bits(8)}}},
	HostSelRuleFrac: {Sel: HostSelRuleFrac, Name: "rule_frac", Register: true, Burst: true, Doc: "bit r set gives BDSP rule r 8 fraction bits per weight (in `wfrac`)",
		Fields: []Field{{Name: "rule_frac", Size: Bits(NumRules)}}},
}

// Memories lists the memory numbers (host_sel values of memories, not
// registers) a build under profile p has, in host_sel order.
func (p Profile) Memories() []int {
	var out []int
	for sel := range NumHostSels {
		if p.HasMem(sel) && !MemMap[sel].Register {
			out = append(out, sel)
		}
	}
	return out
}

// Width is the word width.
func (m *Memory) Width() Size {
	var s Size
	for _, f := range m.Fields {
		s = s.Plus(f.Size)
	}
	return s
}

// LSB is the bit offset of field k.
func (m *Memory) LSB(k int) Size {
	var s Size
	for _, f := range m.Fields[k+1:] {
		s = s.Plus(f.Size)
	}
	return s
}

// Used reports whether host_sel value sel names a memory or register.
func Used(sel int) bool { return sel >= 0 && sel < NumHostSels && MemMap[sel].Name != "" }

// HasMem reports whether a build under profile p has memory (or register) sel.
func (p Profile) HasMem(sel int) bool { return Used(sel) && (!MemMap[sel].Burst || p.Burst) }

// MemWidth is the word width in bits of memory (or register) m under profile p.
func (p Profile) MemWidth(m int) uint {
	if !Used(m) {
		panic(fmt.Sprintf("core: unknown memory %d", m))
	}
	return MemMap[m].Width().Of(p)
}

// MemDepth is the number of words of memory (or register) m under profile p.
func (p Profile) MemDepth(m int) int {
	if !Used(m) {
		panic(fmt.Sprintf("core: unknown memory %d", m))
	}
	return 1 << MemMap[m].AddrBits.Of(p)
}

// binding reads and writes one field of a Go record; values travel as
// uint64 (a signed value sign-extended).
type binding interface {
	get(rec any) uint64
	set(rec any, v uint64)
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// field binds a field to an integer member of record T.
func field[T any, V integer](at func(*T) *V) binding { return intField[T, V](at) }

type intField[T any, V integer] func(*T) *V

func (f intField[T, V]) get(rec any) uint64    { return uint64(*f(rec.(*T))) }
func (f intField[T, V]) set(rec any, v uint64) { *f(rec.(*T)) = V(v) }

// flag binds a one-bit field to a bool member of record T.
func flag[T any](at func(*T) *bool) binding { return boolField[T](at) }

type boolField[T any] func(*T) *bool

func (f boolField[T]) get(rec any) uint64 {
	if *f(rec.(*T)) {
		return 1
	}
	return 0
}
func (f boolField[T]) set(rec any, v uint64) { *f(rec.(*T)) = v != 0 }

// packRec packs record rec (a *T bound by memory m's fields).
func packRec(p Profile, m int, rec any) Word {
	var w Word
	fs := MemMap[m].Fields
	pos := uint(0)
	for k := len(fs) - 1; k >= 0; k-- {
		n := fs[k].Size.Of(p)
		w.put(pos, n, fs[k].bind.get(rec))
		pos += n
	}
	return w
}

// unpackRec fills record rec from word w of memory m.
func unpackRec(p Profile, m int, w Word, rec any) {
	fs := MemMap[m].Fields
	pos := uint(0)
	for k := len(fs) - 1; k >= 0; k-- {
		f := &fs[k]
		n := f.Size.Of(p)
		if f.Signed {
			f.bind.set(rec, uint64(int64(w.Bits(pos, n)<<(64-n))>>(64-n)))
		} else {
			f.bind.set(rec, w.Bits(pos, n))
		}
		pos += n
	}
}

// put stores the low n bits of v at bit lsb (n ≤ 64).
func (w *Word) put(lsb, n uint, v uint64) {
	if n < 64 {
		v &= 1<<n - 1
	}
	for n > 0 {
		limb, off := lsb/64, lsb%64
		take := min(n, 64-off)
		w[limb] |= v << off
		if take < 64 {
			v >>= take
		} else {
			v = 0
		}
		lsb += take
		n -= take
	}
}

// Bits extracts width bits starting at lsb (width ≤ 64).
func (w Word) Bits(lsb, width uint) uint64 {
	var v uint64
	for got := uint(0); got < width; {
		limb, off := lsb/64, lsb%64
		take := min(width-got, 64-off)
		part := w[limb] >> off
		if take < 64 {
			part &= 1<<take - 1
		}
		v |= part << got
		got += take
		lsb += take
	}
	return v
}

// Signed extracts width bits starting at lsb as a two's complement number.
func (w Word) Signed(lsb, width uint) int32 {
	return int32(int64(w.Bits(lsb, width)<<(64-width)) >> (64 - width))
}

// PackParam packs a param word.
func (p Profile) PackParam(q NeuronParams) Word { return packRec(p, MemParam, &q) }

// UnpackParam is the inverse of PackParam.
func (p Profile) UnpackParam(w Word) (q NeuronParams) { unpackRec(p, MemParam, w, &q); return }

// PackState packs a state word.
func (p Profile) PackState(s NeuronState) Word { return packRec(p, MemState, &s) }

// UnpackState is the inverse of PackState.
func (p Profile) UnpackState(w Word) (s NeuronState) { unpackRec(p, MemState, w, &s); return }

// PackFanout packs a fanout word.
func (p Profile) PackFanout(f Fanout) Word { return packRec(p, MemFanout, &f) }

// UnpackFanout is the inverse of PackFanout.
func (p Profile) UnpackFanout(w Word) (f Fanout) { unpackRec(p, MemFanout, w, &f); return }

// PackSyn packs a syn word.
func (p Profile) PackSyn(s Synapse) Word { return packRec(p, MemSyn, &s) }

// UnpackSyn is the inverse of PackSyn.
func (p Profile) UnpackSyn(w Word) (s Synapse) { unpackRec(p, MemSyn, w, &s); return }

// PackRev packs a rev word.
func (p Profile) PackRev(e RevEntry) Word { return packRec(p, MemRev, &e) }

// UnpackRev is the inverse of PackRev.
func (p Profile) UnpackRev(w Word) (e RevEntry) { unpackRec(p, MemRev, w, &e); return }

// PackRule packs a rule word (the same under every profile).
func PackRule(r Rule) Word { return packRec(Profile{}, MemRule, &r) }

// UnpackRule is the inverse of PackRule.
func UnpackRule(w Word) (r Rule) { unpackRec(Profile{}, MemRule, w, &r); return }

// PackBParam packs a bparam word.
func (p Profile) PackBParam(q BurstParams) Word { return packRec(p, MemBParam, &q) }

// UnpackBParam is the inverse of PackBParam.
func (p Profile) UnpackBParam(w Word) (q BurstParams) { unpackRec(p, MemBParam, w, &q); return }

// PackBState packs a bstate word.
func (p Profile) PackBState(s BurstState) Word { return packRec(p, MemBState, &s) }

// UnpackBState is the inverse of PackBState.
func (p Profile) UnpackBState(w Word) (s BurstState) { unpackRec(p, MemBState, w, &s); return }

// PackBFanout packs a bfanout word.
func (p Profile) PackBFanout(f BFanout) Word { return packRec(p, MemBFanout, &f) }

// UnpackBFanout is the inverse of PackBFanout.
func (p Profile) UnpackBFanout(w Word) (f BFanout) { unpackRec(p, MemBFanout, w, &f); return }
