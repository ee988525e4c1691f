package output

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/ncx-project/ncx/core"
)

// csvField quotes s if it holds a comma, quote or line break.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// FormatMs renders a time in milliseconds without binary-fraction noise
// (0.1·3 prints as 0.3).
func FormatMs(ms float64) string {
	return strconv.FormatFloat(math.Round(ms*1e9)/1e9, 'f', -1, 64)
}

func formatPhys(v float64) string {
	return strconv.FormatFloat(v, 'g', 8, 64)
}

func bufw(w io.Writer) *bufio.Writer {
	if bw, ok := w.(*bufio.Writer); ok {
		return bw
	}
	return bufio.NewWriterSize(w, 1<<16)
}

func finish(bw *bufio.Writer, e *errWriter) error {
	if e.err != nil {
		return e.err
	}
	return bw.Flush()
}

// appendRowHead appends the columns step,time_ms,neuron,population, that
// spike and trace rows start with, and the comma after them; pop is already
// quoted for CSV.
func appendRowHead(buf []byte, step int64, ms string, neuron int64, pop string) []byte {
	buf = strconv.AppendInt(buf, step, 10)
	buf = append(buf, ',')
	buf = append(buf, ms...)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, neuron, 10)
	buf = append(buf, ',')
	buf = append(buf, pop...)
	return append(buf, ',')
}

// spikeRows formats spikes.csv rows; it is shared by WriteSpikesCSV and Stream.
type spikeRows struct {
	pops   popIndex
	dt     float64
	quoted map[string]string
	buf    []byte
}

func newSpikeRows(im *core.Image) *spikeRows {
	return &spikeRows{pops: newPopIndex(im), dt: dtMs(im), quoted: make(map[string]string), buf: make([]byte, 0, 128)}
}

const spikesHeader = "step,time_ms,neuron,population,cycle\n"

func (r *spikeRows) write(e *errWriter, s Spike) {
	name := r.pops.name(s.Neuron)
	q, ok := r.quoted[name]
	if !ok {
		q = csvField(name)
		r.quoted[name] = q
	}
	buf := appendRowHead(r.buf[:0], int64(s.Step), FormatMs(float64(s.Step)*r.dt), int64(s.Neuron), q)
	buf = strconv.AppendUint(buf, s.Cycle, 10)
	buf = append(buf, '\n')
	r.buf = buf
	e.bytes(buf)
}

// WriteSpikesCSV writes spikes.csv: step,time_ms,neuron,population,cycle.
func WriteSpikesCSV(w io.Writer, r *Run) error {
	bw := bufw(w)
	e := &errWriter{w: bw}
	e.str(spikesHeader)
	rows := newSpikeRows(r.Image)
	for _, s := range r.Spikes {
		rows.write(e, s)
	}
	return finish(bw, e)
}

// traceRows formats traces.csv rows; it is shared by WriteTracesCSV and Stream.
type traceRows struct {
	traces []Trace
	quoted []string
	dt     float64
	buf    []byte
}

const tracesHeader = "step,time_ms,neuron,population,var,raw,physical\n"

func newTraceRows(im *core.Image, traces []Trace) *traceRows {
	quoted := make([]string, len(traces))
	for k, t := range traces {
		quoted[k] = csvField(t.Population)
	}
	return &traceRows{traces: traces, quoted: quoted, dt: dtMs(im), buf: make([]byte, 0, 128)}
}

// write writes the row of trace k at step, whose time is ms.
func (r *traceRows) write(e *errWriter, step int, ms string, k int, v int32) {
	t := &r.traces[k]
	buf := appendRowHead(r.buf[:0], int64(step), ms, int64(t.Neuron), r.quoted[k])
	buf = append(buf, t.Var...)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(v), 10)
	buf = append(buf, ',')
	if t.Scale != 0 {
		buf = append(buf, formatPhys(float64(v)*t.Scale+t.Offset)...)
	}
	buf = append(buf, '\n')
	r.buf = buf
	e.bytes(buf)
}

// WriteTracesCSV writes traces.csv: step,time_ms,neuron,population,var,raw,physical,
// one row per step and probed variable, in step order.
func WriteTracesCSV(w io.Writer, r *Run) error {
	bw := bufw(w)
	e := &errWriter{w: bw}
	e.str(tracesHeader)
	steps := 0
	for _, t := range r.Traces {
		steps = max(steps, len(t.Values))
	}
	rows := newTraceRows(r.Image, r.Traces)
	for step := 0; step < steps; step++ {
		ms := FormatMs(float64(step) * rows.dt)
		for k, t := range r.Traces {
			if step < len(t.Values) {
				rows.write(e, step, ms, k, t.Values[step])
			}
		}
	}
	return finish(bw, e)
}

// WriteWeightsCSV writes weights.csv for the final synapse words r.Weights:
// address,pre,post,projection,rule,wexp,weight_raw,weight_physical.
func WriteWeightsCSV(w io.Writer, r *Run) error {
	bw := bufw(w)
	e := &errWriter{w: bw}
	e.str("address,pre,post,projection,rule,wexp,weight_raw,weight_physical\n")
	var src []int32
	var projs []core.Projection
	var synProj []uint16
	if r.Image != nil {
		src = SynapseSources(r.Image)
		projs = r.Image.Meta.Projections
		synProj = r.Image.Meta.SynProj
	}
	buf := make([]byte, 0, 128)
	for a, s := range r.Weights {
		buf = buf[:0]
		buf = strconv.AppendInt(buf, int64(a), 10)
		buf = append(buf, ',')
		if a < len(src) && src[a] >= 0 {
			buf = strconv.AppendInt(buf, int64(src[a]), 10)
		}
		buf = append(buf, ',')
		buf = strconv.AppendUint(buf, uint64(s.Tgt), 10)
		buf = append(buf, ',')
		var scale float64
		if a < len(synProj) && int(synProj[a]) < len(projs) {
			p := projs[synProj[a]]
			buf = append(buf, csvField(p.Name)...)
			scale = p.WScale
		}
		buf = append(buf, ',')
		buf = strconv.AppendUint(buf, uint64(s.Rule), 10)
		buf = append(buf, ',')
		buf = strconv.AppendUint(buf, uint64(s.WExp), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(s.W), 10)
		buf = append(buf, ',')
		if scale != 0 {
			buf = append(buf, formatPhys(float64(s.W)*scale)...)
		}
		buf = append(buf, '\n')
		e.bytes(buf)
	}
	return finish(bw, e)
}

// WriteBurstsCSV writes bursts.csv: step,time_ms,neuron,population,cycle for
// the spikes that carry the burst flag.
func WriteBurstsCSV(w io.Writer, r *Run) error {
	b := *r
	b.Spikes = nil
	for _, s := range r.Spikes {
		if s.Burst {
			b.Spikes = append(b.Spikes, s)
		}
	}
	return WriteSpikesCSV(w, &b)
}

const cyclesHeader = "step,cycles,spikes,synapse_events,fanin_events,bursts,burst_events\n"

// appendCycleRow appends the cycles.csv row of one step.
func appendCycleRow(buf []byte, s StepStats) []byte {
	buf = strconv.AppendInt(buf, int64(s.Step), 10)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, s.Cycles, 10)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(s.Spikes), 10)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, s.SynEvents, 10)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, s.FanInEvents, 10)
	buf = append(buf, ',')
	buf = strconv.AppendInt(buf, int64(s.Bursts), 10)
	buf = append(buf, ',')
	buf = strconv.AppendUint(buf, s.BurstEvents, 10)
	return append(buf, '\n')
}

// WriteCyclesCSV writes cycles.csv:
// step,cycles,spikes,synapse_events,fanin_events,bursts,burst_events.
func WriteCyclesCSV(w io.Writer, r *Run) error {
	bw := bufw(w)
	e := &errWriter{w: bw}
	e.str(cyclesHeader)
	buf := make([]byte, 0, 96)
	for _, s := range r.StepStats {
		buf = appendCycleRow(buf[:0], s)
		e.bytes(buf)
	}
	return finish(bw, e)
}

// CycleCSV streams emulator cycle events as CSV rows step,cycle,kind,a,b.
// Use its Event method as an core.CycleTracer; check Err at the end.
type CycleCSV struct {
	e   errWriter
	buf []byte
}

// NewCycleCSV writes the header and returns the writer. The caller flushes bw.
func NewCycleCSV(bw *bufio.Writer) *CycleCSV {
	c := &CycleCSV{e: errWriter{w: bw}, buf: make([]byte, 0, 64)}
	c.e.str("step,cycle,kind,a,b\n")
	return c
}

// Event writes one event.
func (c *CycleCSV) Event(ev core.CycleEvent) {
	if c.e.err != nil {
		return
	}
	b := c.buf[:0]
	b = strconv.AppendInt(b, int64(ev.Step), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, ev.Cycle, 10)
	b = append(b, ',')
	b = append(b, ev.Kind.String()...)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(ev.A), 10)
	b = append(b, ',')
	b = strconv.AppendUint(b, uint64(ev.B), 10)
	b = append(b, '\n')
	c.buf = b
	c.e.bytes(b)
}

// Err is the first write error, if any.
func (c *CycleCSV) Err() error { return c.e.err }
