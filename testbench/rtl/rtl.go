// Package rtl runs the Verilog core hdl/ncx_core under Verilator: it builds
// (and caches) the C++ harness testbench/harness/ncx_harness.cpp for a
// profile, writes an image's memory files and a stimulus file, runs the
// harness and parses what it prints after every step.
package rtl

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/verilate"
)

// ErrNoVerilator is returned by Build when verilator is not on PATH.
var ErrNoVerilator = verilate.ErrNoVerilator

// Variant selects one build of the harness.
type Variant struct {
	Profile core.Profile
	// XInit builds with --x-assign unique --x-initial unique, so every
	// register and memory bit the design does not reset starts random
	// (seeded with Run's +verilator+seed+N argument).
	XInit bool
	// InjectBug defines NCX_INJECT_BUG: an off-by-one in the refractory
	// reload, to check that the differential test notices.
	InjectBug bool
	// InjectBurstBug defines NCX_INJECT_BURST_BUG: the stochastic burst
	// decision also bursts when the LFSR byte equals p (spec 8.2 says <).
	InjectBurstBug bool
}

func (v Variant) name() string {
	s := v.Profile.Name
	if v.XInit {
		s += "-xinit"
	}
	if v.InjectBug {
		s += "-bug"
	}
	if v.InjectBurstBug {
		s += "-burstbug"
	}
	return s
}

// Build returns the path of the harness binary for v, building it under
// testbench/obj/<variant>-<hash>/ unless a build of the same sources and
// flags is already there. Concurrent callers (parallel test packages) take a
// file lock, so each variant is built once.
func Build(v Variant) (string, error) {
	p := v.Profile
	if err := p.Validate(); err != nil {
		return "", err
	}
	srcs, err := verilate.CoreSources()
	if err != nil {
		return "", err
	}
	root := verilate.Root()
	flags := append(verilate.ProfileParams(p), "-CFLAGS",
		fmt.Sprintf("-O2 -DNCX_NB=%d -DNCX_SB=%d -DNCX_RB=%d -DNCX_VW=%d -DNCX_BURST=%d", p.NB, p.SB, p.RB, p.VW, verilate.BurstParam(p)))
	if v.XInit {
		flags = append(flags, "--x-assign", "unique", "--x-initial", "unique")
	}
	if v.InjectBug {
		flags = append(flags, "+define+NCX_INJECT_BUG")
	}
	if v.InjectBurstBug {
		flags = append(flags, "+define+NCX_INJECT_BURST_BUG")
	}
	return verilate.Build(verilate.Spec{
		ObjRoot:  filepath.Join(root, "testbench", "obj"),
		Name:     v.name(),
		Top:      "ncx_core",
		Binary:   "ncx_harness",
		Sources:  append(srcs, filepath.Join(root, "testbench", "harness", "ncx_harness.cpp")),
		Includes: []string{filepath.Join(root, "hdl"), filepath.Join(root, "testbench", "harness")},
		Flags:    flags,
	})
}

// StepOut is what the harness reports after one step.
type StepOut struct {
	Step        int
	Cycles      uint64
	Spikes      []uint32
	SpikeCycles []uint64
	State       []core.NeuronState
	Trace       []uint8
	Acc         []int32
	Syn         []core.Synapse
	// Burst units (spec section 8), images with burst tables only.
	Bursts []uint32 // spikes with the burst flag, ascending
	BState []core.BurstState
	AccA   []int32
	LFSR   uint16
	// WFrac holds the fraction bits of the fan-in words (spec section 8.4),
	// for images that use them only (rule_frac or a wfrac word not 0).
	WFrac []uint8
}

// Result is a whole run.
type Result struct {
	Steps       []StepOut
	TotalCycles uint64  // simulated clock cycles of all steps
	Seconds     float64 // wall time the simulator spent in steps
}

// WriteStim writes a stimulus file: line k lists the neurons forced in step k.
func WriteStim(path string, stim [][]uint32) error {
	var b strings.Builder
	for _, ids := range stim {
		for k, id := range ids {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(strconv.FormatUint(uint64(id), 10))
		}
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// Run writes im and stim into dir, runs the harness bin for steps steps and
// parses its output. extra arguments (e.g. +verilator+seed+7) go to the
// harness.
func Run(bin string, im *core.Image, stim [][]uint32, steps int, dir string, extra ...string) (*Result, error) {
	if im.Burst != nil && !im.Profile.Burst {
		return nil, fmt.Errorf("rtl: profile %s is built without burst units (spec section 8)", im.Profile.Name)
	}
	memDir := filepath.Join(dir, "mem")
	if err := os.RemoveAll(memDir); err != nil {
		return nil, err
	}
	if err := im.WriteMemDir(memDir); err != nil {
		return nil, err
	}
	stimPath := filepath.Join(dir, "stim.txt")
	if err := WriteStim(stimPath, stim); err != nil {
		return nil, err
	}
	outPath := filepath.Join(dir, "rtl.out")
	args := append([]string{"--mem", memDir, "--stim", stimPath, "--steps", strconv.Itoa(steps), "--out", outPath}, extra...)
	cmd := exec.Command(bin, args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("harness %s: %v: %s", bin, err, strings.TrimSpace(string(out)))
	}
	f, err := os.Open(outPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, im.Profile)
}

// ParseWord parses a hexadecimal memory word.
func ParseWord(s string) (core.Word, error) {
	var w core.Word
	if len(s) == 0 || len(s) > 48 {
		return w, fmt.Errorf("bad word %q", s)
	}
	for k := 0; k < len(s); k++ {
		c := s[len(s)-1-k]
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return w, fmt.Errorf("bad word %q (x or z bits?)", s)
		}
		w[k/16] |= d << (4 * (k % 16))
	}
	return w, nil
}

// Parse reads harness output (or the same format written by Format).
func Parse(r io.Reader, p core.Profile) (*Result, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	res := &Result{}
	var cur *StepOut
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("rtl output line %d: %s", line, fmt.Sprintf(format, a...))
		}
		switch f[0] {
		case "ncx-rtl":
			want := fmt.Sprintf("ncx-rtl 1 nb %d sb %d rb %d vw %d", p.NB, p.SB, p.RB, p.VW)
			if strings.Join(f, " ") != want {
				return nil, bad("header %q, want %q", sc.Text(), want)
			}
		case "step":
			if len(f) != 4 || f[2] != "cycles" {
				return nil, bad("malformed %q", sc.Text())
			}
			n, err1 := strconv.Atoi(f[1])
			c, err2 := strconv.ParseUint(f[3], 10, 64)
			if err1 != nil || err2 != nil || n != len(res.Steps) {
				return nil, bad("malformed %q", sc.Text())
			}
			res.Steps = append(res.Steps, StepOut{Step: n, Cycles: c})
			cur = &res.Steps[len(res.Steps)-1]
		case "spike":
			if cur == nil || len(f) < 3 || len(f) > 4 || (len(f) == 4 && f[3] != "burst") {
				return nil, bad("malformed %q", sc.Text())
			}
			id, err1 := strconv.ParseUint(f[1], 10, 32)
			c, err2 := strconv.ParseUint(f[2], 10, 64)
			if err1 != nil || err2 != nil {
				return nil, bad("malformed %q", sc.Text())
			}
			cur.Spikes = append(cur.Spikes, uint32(id))
			cur.SpikeCycles = append(cur.SpikeCycles, c)
			if len(f) == 4 {
				cur.Bursts = append(cur.Bursts, uint32(id))
			}
		case "lfsr":
			if cur == nil || len(f) != 2 {
				return nil, bad("malformed %q", sc.Text())
			}
			w, err := ParseWord(f[1])
			if err != nil || w[0] > 0xffff {
				return nil, bad("lfsr: bad word %q", f[1])
			}
			cur.LFSR = uint16(w[0])
		case "wfrac":
			if cur == nil {
				return nil, bad("wfrac before step")
			}
			cur.WFrac = make([]uint8, 0, len(f)-1)
			for _, s := range f[1:] {
				w, err := ParseWord(s)
				if err != nil || w[0] > 0xff {
					return nil, bad("wfrac: bad word %q", s)
				}
				cur.WFrac = append(cur.WFrac, uint8(w[0]))
			}
		case "state", "trace", "acc", "syn", "bstate", "acca":
			if cur == nil {
				return nil, bad("%s before step", f[0])
			}
			for _, s := range f[1:] {
				w, err := ParseWord(s)
				if err != nil {
					return nil, bad("%s: %v", f[0], err)
				}
				switch f[0] {
				case "state":
					cur.State = append(cur.State, p.UnpackState(w))
				case "trace":
					cur.Trace = append(cur.Trace, uint8(w[0]))
				case "acc":
					cur.Acc = append(cur.Acc, w.Signed(0, p.VW))
				case "syn":
					cur.Syn = append(cur.Syn, p.UnpackSyn(w))
				case "bstate":
					cur.BState = append(cur.BState, p.UnpackBState(w))
				case "acca":
					cur.AccA = append(cur.AccA, w.Signed(0, p.VW))
				}
			}
		case "end":
			cur = nil
		case "stats":
			if len(f) != 5 {
				return nil, bad("malformed %q", sc.Text())
			}
			res.TotalCycles, _ = strconv.ParseUint(f[2], 10, 64)
			res.Seconds, _ = strconv.ParseFloat(f[4], 64)
		default:
			return nil, bad("unknown record %q", f[0])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// Format writes steps in the harness output format (without the stats
// line): the golden files in testbench/golden use it.
func Format(w io.Writer, p core.Profile, steps []StepOut) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "ncx-rtl 1 nb %d sb %d rb %d vw %d\n", p.NB, p.SB, p.RB, p.VW)
	for _, s := range steps {
		fmt.Fprintf(bw, "step %d cycles %d\n", s.Step, s.Cycles)
		bursts := make(map[uint32]bool, len(s.Bursts))
		for _, id := range s.Bursts {
			bursts[id] = true
		}
		for k, id := range s.Spikes {
			if bursts[id] {
				fmt.Fprintf(bw, "spike %d %d burst\n", id, s.SpikeCycles[k])
			} else {
				fmt.Fprintf(bw, "spike %d %d\n", id, s.SpikeCycles[k])
			}
		}
		bw.WriteString("state")
		for _, x := range s.State {
			bw.WriteString(" " + p.PackState(x).Hex(p.MemWidth(core.MemState)))
		}
		bw.WriteString("\ntrace")
		for _, x := range s.Trace {
			bw.WriteString(" " + core.Word{uint64(x)}.Hex(8))
		}
		bw.WriteString("\nacc")
		for _, x := range s.Acc {
			bw.WriteString(" " + core.Word{uint64(uint32(x)) & (1<<p.VW - 1)}.Hex(p.VW))
		}
		bw.WriteString("\nsyn")
		for _, x := range s.Syn {
			bw.WriteString(" " + p.PackSyn(x).Hex(p.MemWidth(core.MemSyn)))
		}
		if s.BState != nil {
			bw.WriteString("\nbstate")
			for _, x := range s.BState {
				bw.WriteString(" " + p.PackBState(x).Hex(p.MemWidth(core.MemBState)))
			}
			bw.WriteString("\nacca")
			for _, x := range s.AccA {
				bw.WriteString(" " + core.Word{uint64(uint32(x)) & (1<<p.VW - 1)}.Hex(p.VW))
			}
			fmt.Fprintf(bw, "\nlfsr %04x", s.LFSR)
		}
		if s.WFrac != nil {
			bw.WriteString("\nwfrac")
			for _, x := range s.WFrac {
				fmt.Fprintf(bw, " %02x", x)
			}
		}
		bw.WriteString("\nend\n")
	}
	return bw.Flush()
}
