package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/atomicfile"
)

// Stream writes the files of a run step by step as the run goes, so that
// memory does not grow with the number of steps: spikes.csv, spikes.bin,
// bursts.csv, traces.csv and cycles.csv go to temporary files that Commit
// renames into place with weights.csv and summary.json, and Abort removes.
// The files are byte-identical to those WriteDir writes for the same run.
type Stream struct {
	dir        string
	im         *core.Image
	steps      int // announced in the spikes.bin header
	done       int
	headLen    int  // length of the spikes.bin header written
	stopped    bool // Stop ended the run early
	interrupt  bool // a signal stopped it
	numNeurons int
	madeDir    bool

	spikes, bin, bursts, traces, cycles      *atomicfile.File
	eSpikes, eBin, eBursts, eTraces, eCycles errWriter

	spikeRows, burstRows *spikeRows
	traceRows            *traceRows
	binBuf, cycBuf       []byte
	neurons              []uint32
	sawBurst             bool
	err                  error
	tot                  *totals
}

// NewStream starts the files of a run of steps steps of im into dir
// (created if needed); traces name the probed variables (their Values are
// not used). Every step must then be given to Step, in order.
func NewStream(dir string, im *core.Image, steps int, traces []Trace) (*Stream, error) {
	s := &Stream{dir: dir, im: im, steps: steps, tot: newTotals(im)}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		s.madeDir = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output: create output directory: %w", err)
	}
	if im != nil {
		s.numNeurons = im.NumNeurons
	}
	open := func(name string, e *errWriter) (*atomicfile.File, error) {
		f, err := atomicfile.Create(filepath.Join(dir, name))
		if err != nil {
			s.Abort()
			return nil, err
		}
		e.w = f.Writer
		return f, nil
	}
	var err error
	if s.spikes, err = open(SpikesCSV, &s.eSpikes); err != nil {
		return nil, err
	}
	if s.bin, err = open(SpikesBin, &s.eBin); err != nil {
		return nil, err
	}
	// bursts.csv is kept only if a spike carries the burst flag.
	if s.bursts, err = open(BurstsCSV, &s.eBursts); err != nil {
		return nil, err
	}
	if len(traces) > 0 {
		if s.traces, err = open(TracesCSV, &s.eTraces); err != nil {
			return nil, err
		}
		s.traceRows = newTraceRows(im, traces)
		s.eTraces.str(tracesHeader)
	}
	if s.cycles, err = open(CyclesCSV, &s.eCycles); err != nil {
		return nil, err
	}
	s.spikeRows, s.burstRows = newSpikeRows(im), newSpikeRows(im)
	s.eSpikes.str(spikesHeader)
	s.eBursts.str(spikesHeader)
	s.eCycles.str(cyclesHeader)
	head := appendSpikesBinHeader(nil, s.numNeurons, steps)
	s.headLen = len(head)
	s.eBin.bytes(head)
	return s, nil
}

// Step records one step: its spikes (neurons ascending), its work and the
// value of every trace after it, in the order of the traces given to
// NewStream.
func (s *Stream) Step(spikes []Spike, st StepStats, values []int32) {
	if s.err != nil {
		return
	}
	if s.done >= s.steps {
		s.err = fmt.Errorf("output: stream: step %d beyond the %d announced", s.done, s.steps)
		return
	}
	s.neurons = s.neurons[:0]
	for _, sp := range spikes {
		s.spikeRows.write(&s.eSpikes, sp)
		if sp.Burst {
			s.sawBurst = true
			s.burstRows.write(&s.eBursts, sp)
		}
		s.neurons = append(s.neurons, sp.Neuron)
		s.tot.addSpike(sp.Neuron)
	}
	var err error
	if s.binBuf, err = appendSpikeStep(s.binBuf[:0], s.done, st.Cycles, s.neurons, s.numNeurons); err != nil {
		s.err = err
		return
	}
	s.eBin.bytes(s.binBuf)
	s.tot.addStep(st)
	s.cycBuf = appendCycleRow(s.cycBuf[:0], st)
	s.eCycles.bytes(s.cycBuf)
	if s.traceRows != nil {
		ms := FormatMs(float64(s.done) * s.traceRows.dt)
		for k, v := range values {
			s.traceRows.write(&s.eTraces, s.done, ms, k, v)
		}
	}
	s.done++
}

// Stop ends the run after the steps recorded so far, fewer than announced:
// Commit then writes them as a run of that many steps (spikes.bin's header
// says so), and the summary says the run was interrupted when interrupted
// is set (a signal stopped it), as WriteDir does for such a run.
func (s *Stream) Stop(interrupted bool) {
	s.stopped, s.interrupt = true, interrupted
}

// Summary computes the summary of the run from the running totals.
func (s *Stream) Summary(source string, wall time.Duration) *Summary {
	return s.tot.summary(source, s.im, s.done, wall, s.interrupt)
}

// Commit checks that every announced step was recorded, writes weights.csv
// (when weights is not nil) and summary.json, and renames every file into
// place, in the order and with the names WriteDir uses, appending the
// names to sum.Files. On error, it removes what is not yet in place.
func (s *Stream) Commit(weights []core.Synapse, sum *Summary) error {
	defer s.Abort()
	if s.err != nil {
		return s.err
	}
	if s.done != s.steps && !s.stopped {
		return fmt.Errorf("output: stream: %d steps recorded, %d announced", s.done, s.steps)
	}
	for _, e := range []*errWriter{&s.eSpikes, &s.eBin, &s.eBursts, &s.eTraces, &s.eCycles} {
		if e.err != nil {
			return fmt.Errorf("output: write %s: %w", s.dir, e.err)
		}
	}
	commit := func(f *atomicfile.File, name string) error {
		if err := f.Commit(); err != nil {
			return err
		}
		sum.Files = append(sum.Files, name)
		return nil
	}
	if err := commit(s.spikes, SpikesCSV); err != nil {
		return err
	}
	if s.done != s.steps {
		if err := s.rewriteBinHeader(); err != nil {
			return err
		}
	}
	if err := commit(s.bin, SpikesBin); err != nil {
		return err
	}
	if s.sawBurst {
		if err := commit(s.bursts, BurstsCSV); err != nil {
			return err
		}
	}
	if s.traces != nil {
		if err := commit(s.traces, TracesCSV); err != nil {
			return err
		}
	}
	if weights != nil {
		r := &Run{Image: s.im, Weights: weights}
		err := atomicfile.Write(filepath.Join(s.dir, WeightsCSV), func(w *bufio.Writer) error { return WriteWeightsCSV(w, r) })
		if err != nil {
			return err
		}
		sum.Files = append(sum.Files, WeightsCSV)
	}
	if s.done > 0 {
		if err := commit(s.cycles, CyclesCSV); err != nil {
			return err
		}
	}
	sum.Files = append(sum.Files, SummaryJSON)
	s.madeDir = false
	return atomicfile.Write(filepath.Join(s.dir, SummaryJSON), func(w *bufio.Writer) error { return sum.WriteJSON(w) })
}

// Abort removes the temporary files not yet committed, and the output
// directory if NewStream created it and it is empty: an interrupted run
// leaves nothing behind. It is safe to call after Commit.
func (s *Stream) Abort() {
	for _, f := range []*atomicfile.File{s.spikes, s.bin, s.bursts, s.traces, s.cycles} {
		if f != nil {
			f.Abort()
		}
	}
	if s.madeDir {
		os.Remove(s.dir) // fails, as it should, unless empty
		s.madeDir = false
	}
}

// rewriteBinHeader replaces the temporary spikes.bin by one whose header
// announces the steps recorded rather than those announced: the step count
// is a varint, so its length may change and the records are copied after it.
func (s *Stream) rewriteBinHeader() error {
	old, err := s.bin.ReadBack()
	if err != nil {
		return err
	}
	defer old.Close()
	nf, err := atomicfile.Create(filepath.Join(s.dir, SpikesBin))
	if err != nil {
		return err
	}
	_, err = nf.Write(appendSpikesBinHeader(nil, s.numNeurons, s.done))
	if err == nil {
		_, err = old.Seek(int64(s.headLen), io.SeekStart)
	}
	if err == nil {
		_, err = io.Copy(nf.Writer, old)
	}
	if err != nil {
		nf.Abort()
		return fmt.Errorf("output: write %s: %w", SpikesBin, err)
	}
	s.bin.Abort()
	s.bin = nf
	return nil
}
