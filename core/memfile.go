package core

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ncx-project/ncx/internal/atomicfile"
)

// Memory numbers are the host_sel values of spec section 6.
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

// MemNames are the memory names of spec section 2, indexed by memory number.
var MemNames = [NumBurstMems]string{"param", "state", "trace", "acc", "force", "fanout", "syn", "rev", "rule",
	"bparam", "bstate", "acca", "bfanout", "lut"}

// Word is a memory word of up to 192 bits, least significant limb first.
type Word [3]uint64

// field is one value of a word and its width, for packing MSB first.
type field struct {
	v uint64
	w uint
}

func pack(fs ...field) Word {
	var out Word
	pos := uint(0)
	for i := len(fs) - 1; i >= 0; i-- {
		f := fs[i]
		v := f.v & (1<<f.w - 1)
		for b := uint(0); b < f.w; b++ {
			if v>>b&1 == 1 {
				out[(pos+b)/64] |= 1 << ((pos + b) % 64)
			}
		}
		pos += f.w
	}
	return out
}

// Bits extracts width bits starting at lsb.
func (w Word) Bits(lsb, width uint) uint64 {
	var v uint64
	for b := uint(0); b < width; b++ {
		p := lsb + b
		v |= (w[p/64] >> (p % 64) & 1) << b
	}
	return v
}

// Signed extracts width bits starting at lsb as a two's complement number.
func (w Word) Signed(lsb, width uint) int32 {
	return int32(int64(w.Bits(lsb, width)<<(64-width)) >> (64 - width))
}

// MemWidth is the word width in bits of memory m under profile p.
func (p Profile) MemWidth(m int) uint {
	switch m {
	case MemParam:
		return 3*p.VW + 2*DecayBits + RefBits + TrShiftBits + TrIncBits
	case MemState:
		return 2*p.VW + RefBits
	case MemTrace:
		return TraceBits
	case MemAcc:
		return p.VW
	case MemForce:
		return 1
	case MemFanout:
		return 2*p.SB + 2*p.RB + 2
	case MemSyn:
		return p.NB + RuleBits + WExpBits + WeightBits
	case MemRev:
		return p.SB + p.NB
	case MemRule:
		return 32
	case MemBParam:
		return 2*p.VW + 22
	case MemBState:
		return p.VW + ErrBits + PBarBits
	case MemAccA:
		return p.VW
	case MemBFanout:
		return 2*p.SB + 1
	case MemLUT:
		return 8
	}
	panic(fmt.Sprintf("core: unknown memory %d", m))
}

// MemDepth is the number of words of memory m under profile p.
func (p Profile) MemDepth(m int) int {
	switch m {
	case MemSyn:
		return p.Synapses()
	case MemRev:
		return p.FanIn()
	case MemRule:
		return NumRules
	case MemLUT:
		return LUTSize
	}
	return p.Neurons()
}

// PackParam packs a param word.
func (p Profile) PackParam(q NeuronParams) Word {
	vw := p.VW
	return pack(field{uint64(uint32(q.Thr)), vw}, field{uint64(uint32(q.VReset)), vw}, field{uint64(uint32(q.Bias)), vw},
		field{uint64(q.DV), DecayBits}, field{uint64(q.DI), DecayBits}, field{uint64(q.TRef), RefBits},
		field{uint64(q.TrShift), TrShiftBits}, field{uint64(q.TrInc), TrIncBits})
}

// UnpackParam is the inverse of PackParam.
func (p Profile) UnpackParam(w Word) NeuronParams {
	vw := p.VW
	return NeuronParams{
		TrInc:   uint8(w.Bits(0, 8)),
		TrShift: uint8(w.Bits(8, 3)),
		TRef:    uint8(w.Bits(11, 8)),
		DI:      uint16(w.Bits(19, 13)),
		DV:      uint16(w.Bits(32, 13)),
		Bias:    w.Signed(45, vw),
		VReset:  w.Signed(45+vw, vw),
		Thr:     w.Signed(45+2*vw, vw),
	}
}

// PackState packs a state word.
func (p Profile) PackState(s NeuronState) Word {
	return pack(field{uint64(uint32(s.V)), p.VW}, field{uint64(uint32(s.I)), p.VW}, field{uint64(s.Ref), RefBits})
}

// UnpackState is the inverse of PackState.
func (p Profile) UnpackState(w Word) NeuronState {
	return NeuronState{Ref: uint8(w.Bits(0, 8)), I: w.Signed(8, p.VW), V: w.Signed(8+p.VW, p.VW)}
}

// PackFanout packs a fanout word.
func (p Profile) PackFanout(f Fanout) Word {
	return pack(field{uint64(f.FoBase), p.SB}, field{uint64(f.FoCnt), p.SB + 1}, field{uint64(f.FiBase), p.RB}, field{uint64(f.FiCnt), p.RB + 1})
}

// PackSyn packs a syn word.
func (p Profile) PackSyn(s Synapse) Word {
	return pack(field{uint64(s.Rule), RuleBits}, field{uint64(s.WExp), WExpBits}, field{uint64(uint8(s.W)), WeightBits}, field{uint64(s.Tgt), p.NB})
}

// UnpackSyn is the inverse of PackSyn.
func (p Profile) UnpackSyn(w Word) Synapse {
	return Synapse{Tgt: uint32(w.Bits(0, p.NB)), W: int8(w.Bits(p.NB, 8)), WExp: uint8(w.Bits(p.NB+8, 3)), Rule: uint8(w.Bits(p.NB+11, 3))}
}

// PackRev packs a rev word.
func (p Profile) PackRev(e RevEntry) Word {
	return pack(field{uint64(e.SAddr), p.SB}, field{uint64(e.Src), p.NB})
}

// PackRule packs a rule word.
func PackRule(r Rule) Word {
	return pack(field{uint64(r.APlus), 8}, field{uint64(r.AMinus), 8}, field{uint64(uint8(r.WMin)), 8}, field{uint64(uint8(r.WMax)), 8})
}

// Hex renders the low width bits of w as ceil(width/4) hex digits.
func (w Word) Hex(width uint) string {
	digits := int((width + 3) / 4)
	var sb strings.Builder
	for d := digits - 1; d >= 0; d-- {
		sb.WriteByte("0123456789abcdef"[w.Bits(uint(d)*4, 4)])
	}
	return sb.String()
}

// MemWords returns the contents of memory m for image im, padded with zero
// words to used (not to the full depth, which $readmemh leaves at zero anyway
// when the RTL resets; the host loader writes only these words).
func (im *Image) MemWords(m int) []Word {
	p := im.Profile
	var out []Word
	switch m {
	case MemParam:
		for _, q := range im.Params {
			out = append(out, p.PackParam(q))
		}
	case MemState:
		for _, s := range im.State {
			out = append(out, p.PackState(s))
		}
	case MemTrace:
		for _, t := range im.Trace {
			out = append(out, Word{uint64(t)})
		}
	case MemAcc, MemForce:
		out = make([]Word, im.NumNeurons)
	case MemFanout:
		for _, f := range im.Fanout {
			out = append(out, p.PackFanout(f))
		}
	case MemSyn:
		for _, s := range im.Syn {
			out = append(out, p.PackSyn(s))
		}
	case MemRev:
		for _, e := range im.Rev {
			out = append(out, p.PackRev(e))
		}
	case MemRule:
		for _, r := range im.Rules {
			out = append(out, PackRule(r))
		}
	}
	if b := im.Burst; b != nil {
		switch m {
		case MemBParam:
			for _, q := range b.Params {
				out = append(out, p.PackBParam(q))
			}
		case MemBState:
			for _, s := range b.State {
				out = append(out, p.PackBState(s))
			}
		case MemAccA:
			out = make([]Word, im.NumNeurons)
		case MemBFanout:
			for _, f := range b.BFanout {
				out = append(out, p.PackBFanout(f))
			}
		case MemLUT:
			for _, v := range b.LUT {
				out = append(out, Word{uint64(v)})
			}
		}
	}
	return out
}

// WriteMem writes memory m in $readmemh format, one word per line.
func (im *Image) WriteMem(w io.Writer, m int) error {
	bw := bufio.NewWriter(w)
	width := im.Profile.MemWidth(m)
	for _, word := range im.MemWords(m) {
		bw.WriteString(word.Hex(width))
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// WriteMemDir writes every memory as dir/<name>.mem plus dir/num_neurons.mem,
// all of them or none.
func (im *Image) WriteMemDir(dir string) error {
	var set atomicfile.Set
	defer set.Abort()
	if err := im.AddMemDir(&set, dir); err != nil {
		return err
	}
	return set.Commit()
}

// AddMemDir adds the files of WriteMemDir to set (creating dir), so that they
// appear together with a command's other outputs.
func (im *Image) AddMemDir(set *atomicfile.Set, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write memory files: %w", err)
	}
	mems := NumMems
	if im.Burst != nil {
		mems = NumBurstMems
	}
	for m := 0; m < mems; m++ {
		path := filepath.Join(dir, MemNames[m]+".mem")
		if err := set.Add(path, func(w *bufio.Writer) error { return im.WriteMem(w, m) }); err != nil {
			return err
		}
	}
	if b := im.Burst; b != nil {
		err := set.Add(filepath.Join(dir, "regs.mem"), func(w *bufio.Writer) error {
			_, err := fmt.Fprintf(w, "%02x\n%04x\n", b.RuleKind, b.LFSR)
			return err
		})
		if err != nil {
			return err
		}
	}
	return set.Add(filepath.Join(dir, "num_neurons.mem"), func(w *bufio.Writer) error {
		_, err := fmt.Fprintf(w, "%x\n", im.NumNeurons)
		return err
	})
}
