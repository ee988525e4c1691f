package emulate

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/ncx-project/ncx/core"
)

// InputError is a problem in an input spike file; it names the file and,
// when the problem is on one line, the line (from 1).
type InputError struct {
	File string
	Line int
	Msg  string
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// ReadInputCSV reads an input spike file for image im; see ParseInputCSV.
func ReadInputCSV(path string, im *core.Image) ([]core.InputSpike, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("emulate: read input spikes: %w", err)
	}
	defer f.Close()
	return ParseInputCSV(f, path, im)
}

// ParseInputCSV parses input spikes in CSV form. The first line that is not
// blank or a # comment is a header naming the columns; it must have a
// "neuron" column and a "step" or "time_ms" column (step wins when both are
// present; other columns are ignored, so a spikes.csv output can be fed back
// in). A neuron is an absolute id or population:index. A time is rounded to
// the nearest step of the image's dt. The result is sorted by step and
// never nil. Every error is an *InputError naming name and the line.
func ParseInputCSV(r io.Reader, name string, im *core.Image) ([]core.InputSpike, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	errAt := func(line int, format string, a ...any) error {
		return &InputError{File: name, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	out := []core.InputSpike{}
	line := 0
	stepCol, timeCol, neuronCol, ncols := -1, -1, -1, 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if ncols == 0 {
			ncols = len(fields)
			for i, f := range fields {
				switch strings.ToLower(f) {
				case "step":
					stepCol = i
				case "time_ms":
					timeCol = i
				case "neuron":
					neuronCol = i
				}
			}
			if neuronCol < 0 || (stepCol < 0 && timeCol < 0) {
				return nil, errAt(line, "header %q must name a neuron column and a step or time_ms column (for example \"step,neuron\")", text)
			}
			if stepCol < 0 && im.Meta.DtMs <= 0 {
				return nil, errAt(line, "times given in ms but the image has no dt; use a step column")
			}
			continue
		}
		if len(fields) != ncols {
			return nil, errAt(line, "%d fields, header has %d", len(fields), ncols)
		}
		var step uint64
		if stepCol >= 0 {
			v, err := strconv.ParseUint(fields[stepCol], 10, 32)
			if err != nil {
				return nil, errAt(line, "step %q is not a non-negative integer", fields[stepCol])
			}
			step = v
		} else {
			t, err := strconv.ParseFloat(fields[timeCol], 64)
			if err != nil || math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
				return nil, errAt(line, "time_ms %q is not a non-negative number", fields[timeCol])
			}
			s := math.Round(t / im.Meta.DtMs)
			if s > math.MaxUint32 {
				return nil, errAt(line, "time_ms %s is too late", fields[timeCol])
			}
			step = uint64(s)
		}
		n, err := resolveNeuron(im, fields[neuronCol])
		if err != nil {
			return nil, errAt(line, "%v", err)
		}
		out = append(out, core.InputSpike{Step: uint32(step), Neuron: n})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, errAt(line+1, "line too long")
		}
		return nil, fmt.Errorf("emulate: read input spikes %s: %w", name, err)
	}
	if ncols == 0 {
		return nil, errAt(0, "empty file: want a header such as \"step,neuron\"")
	}
	slices.SortStableFunc(out, func(a, b core.InputSpike) int {
		if a.Step != b.Step {
			return int(int64(a.Step) - int64(b.Step))
		}
		return int(int64(a.Neuron) - int64(b.Neuron))
	})
	return out, nil
}

// resolveNeuron parses an absolute id or population:index.
func resolveNeuron(im *core.Image, s string) (uint32, error) {
	if pop, idx, ok := strings.Cut(s, ":"); ok {
		p, found := im.Meta.PopulationByName(pop)
		if !found {
			return 0, fmt.Errorf("unknown population %q", pop)
		}
		k, err := strconv.Atoi(idx)
		if err != nil || k < 0 || k >= p.Count {
			return 0, fmt.Errorf("index %q outside population %s (0..%d)", idx, pop, p.Count-1)
		}
		return uint32(p.First + k), nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("neuron %q is not a neuron id or population:index", s)
	}
	if int(n) >= im.NumNeurons {
		return 0, fmt.Errorf("neuron %d outside the image's %d neurons", n, im.NumNeurons)
	}
	return uint32(n), nil
}
