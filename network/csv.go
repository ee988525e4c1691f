package network

import (
	"bufio"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// csvLines calls fn for each non-empty, non-comment line of a CSV file with
// its 1-based line number and its trimmed fields. Errors that concern the
// file as a whole are reported at the YAML field that names it.
func csvLines(path, yamlFile string, yamlLine int, field string, fn func(line int, cols []string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return errAt(yamlFile, yamlLine, field, "cannot open %s: %v", path, unwrapPath(err))
	}
	defer f.Close()
	return scanCSV(f, path, fn)
}

// scanCSV is csvLines on an open reader; path names it in errors.
func scanCSV(r io.Reader, path string, fn func(line int, cols []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		cols := strings.Split(text, ",")
		for i := range cols {
			cols[i] = strings.TrimSpace(cols[i])
		}
		if err := fn(line, cols); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return errAt(path, line+1, "", "read error: %v", err)
	}
	return nil
}

func isHeader(cols []string) bool {
	_, err := strconv.ParseFloat(cols[0], 64)
	return err != nil
}

// readSpikeCSV reads a spike_times file: columns step,index or, with a
// header naming it, time_ms,index (times are rounded to the nearest step).
func readSpikeCSV(path string, p *Population, dt float64, yamlFile string, yamlLine int, field string) ([]Spike, error) {
	var spikes []Spike
	byTime := false
	first := true
	err := csvLines(path, yamlFile, yamlLine, field, func(line int, cols []string) error {
		if first {
			first = false
			if isHeader(cols) {
				if len(cols) != 2 || cols[1] != "index" || (cols[0] != "step" && cols[0] != "time_ms") {
					return errAt(path, line, "", "header must be \"step,index\" or \"time_ms,index\", got %q", strings.Join(cols, ","))
				}
				byTime = cols[0] == "time_ms"
				return nil
			}
		}
		if len(cols) != 2 {
			return errAt(path, line, "", "want 2 columns (step,index or time_ms,index), got %d", len(cols))
		}
		t, err1 := strconv.ParseFloat(cols[0], 64)
		idx, err2 := strconv.Atoi(cols[1])
		if err1 != nil || math.IsNaN(t) || math.IsInf(t, 0) {
			return errAt(path, line, "", "bad time/step %q", cols[0])
		}
		if err2 != nil {
			return errAt(path, line, "", "bad neuron index %q", cols[1])
		}
		step := t
		if byTime {
			step = math.Round(t / dt)
		} else if t != math.Trunc(t) {
			return errAt(path, line, "", "step must be an integer, got %q (use a time_ms header for times)", cols[0])
		}
		if step < 0 || step >= MaxSteps {
			return errAt(path, line, "", "step %g out of range", step)
		}
		if idx < 0 || idx >= p.Size {
			return errAt(path, line, "", "neuron index %d outside population %q (size %d)", idx, p.Name, p.Size)
		}
		spikes = append(spikes, Spike{Step: int(step), Index: idx})
		return nil
	})
	return spikes, err
}

// readConnCSV reads a connection file: pre,post[,weight[,...]] with an
// optional header; every row must have as many columns as the first.
// Columns after the weight are ignored (room for delays etc.).
func readConnCSV(path string, pre, post *Population, c *Connect, yamlFile string, yamlLine int, field string) error {
	ncols := 0
	first := true
	err := csvLines(path, yamlFile, yamlLine, field, func(line int, cols []string) error {
		if first {
			first = false
			ncols = len(cols)
			if ncols < 2 {
				return errAt(path, line, "", "want at least 2 columns (pre,post[,weight]), got %d", ncols)
			}
			if isHeader(cols) {
				return nil
			}
		}
		if len(cols) != ncols {
			return errAt(path, line, "", "want %d columns like the first row, got %d", ncols, len(cols))
		}
		i, err1 := strconv.Atoi(cols[0])
		j, err2 := strconv.Atoi(cols[1])
		if err1 != nil || err2 != nil {
			return errAt(path, line, "", "pre and post must be integers, got %q, %q", cols[0], cols[1])
		}
		if i < 0 || i >= pre.Size {
			return errAt(path, line, "", "pre index %d outside population %q (size %d)", i, pre.Name, pre.Size)
		}
		if j < 0 || j >= post.Size {
			return errAt(path, line, "", "post index %d outside population %q (size %d)", j, post.Name, post.Size)
		}
		c.ListPre = append(c.ListPre, int32(i))
		c.ListPost = append(c.ListPost, int32(j))
		if ncols >= 3 {
			w, err := strconv.ParseFloat(cols[2], 64)
			if err != nil || math.IsNaN(w) || math.IsInf(w, 0) {
				return errAt(path, line, "", "bad weight %q", cols[2])
			}
			c.ListW = append(c.ListW, w)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if ncols >= 3 && c.ListW == nil {
		c.ListW = []float64{} // header-only file with a weight column: no entries, but weights are carried
	}
	return nil
}
