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

// Word is a memory word of up to 192 bits, least significant limb first.
type Word [3]uint64

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
		case MemWFrac:
			for a := range im.Rev {
				out = append(out, Word{uint64(b.FracAt(a))})
			}
		}
	}
	return out
}

// Memories lists the memory numbers the image fills, in host_sel order:
// its profile's, without the burst memories when it has no burst units.
func (im *Image) Memories() []int {
	p := im.Profile
	p.Burst = im.Burst != nil
	return p.Memories()
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
		return fmt.Errorf("core: write memory files: %w", err)
	}
	for _, m := range im.Memories() {
		path := filepath.Join(dir, MemMap[m].Name+".mem")
		if err := set.Add(path, func(w *bufio.Writer) error { return im.WriteMem(w, m) }); err != nil {
			return err
		}
	}
	if b := im.Burst; b != nil {
		// regs.mem: rule_kind, lfsr and, only when it is not 0, rule_frac
		// (spec section 8.4), so the files of images without fraction bits
		// keep their bytes; a two-line file means rule_frac = 0.
		err := set.Add(filepath.Join(dir, "regs.mem"), func(w *bufio.Writer) error {
			_, err := fmt.Fprintf(w, "%02x\n%04x\n", b.RuleKind, b.LFSR)
			if err == nil && b.RuleFrac != 0 {
				_, err = fmt.Fprintf(w, "%02x\n", b.RuleFrac)
			}
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
