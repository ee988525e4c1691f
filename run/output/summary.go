package output

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/ncx-project/ncx/core"

	"github.com/ncx-project/ncx/internal/atomicfile"
)

// PopulationSummary is the activity of one population.
type PopulationSummary struct {
	Name   string  `json:"name"`
	Kind   string  `json:"kind"`
	Count  int     `json:"count"`
	Spikes int     `json:"spikes"`
	RateHz float64 `json:"rate_hz"` // mean rate per neuron over the biological time
}

// Summary describes a run in numbers; it is summary.json.
type Summary struct {
	Source      string              `json:"source"`
	Image       string              `json:"image"`
	Profile     string              `json:"profile"`
	ClockHz     float64             `json:"clock_hz"`
	Neurons     int                 `json:"neurons"`
	Synapses    int                 `json:"synapses"`
	Steps       int                 `json:"steps"`
	DtMs        float64             `json:"dt_ms"`
	BioTimeMs   float64             `json:"bio_time_ms"`
	Spikes      int                 `json:"spikes"`
	Populations []PopulationSummary `json:"populations"`
	// TotalCycles is the sum of the step cycle counts; HWTimeMs is that at
	// the profile clock, and RealtimeFactor is BioTimeMs/HWTimeMs.
	TotalCycles    uint64  `json:"total_cycles"`
	MaxStepCycles  uint64  `json:"max_step_cycles"`
	HWTimeMs       float64 `json:"hw_time_ms"`
	RealtimeFactor float64 `json:"realtime_factor,omitempty"`
	SynEvents      uint64  `json:"synapse_events"`
	FanInEvents    uint64  `json:"fanin_events"`
	Bursts         int     `json:"bursts,omitempty"`
	BurstEvents    uint64  `json:"burst_events,omitempty"`
	// WallS is the wall-clock time of the run; the two rates are work done
	// per wall-clock second by whatever ran it.
	WallS             float64 `json:"wall_s"`
	NeuronUpdatesPerS float64 `json:"neuron_updates_per_s"`
	SynEventsPerS     float64 `json:"synapse_events_per_s"`
	// Files are the names of the files written to the output directory.
	Files []string `json:"files,omitempty"`
	// CompareFloat is the agreement with the float reference, when asked for.
	CompareFloat any `json:"compare_float,omitempty"`
	// Interrupted is set when the run was stopped by a signal before all its
	// steps ran; StepsDone is then the number of steps whose results the
	// files hold.
	Interrupted bool `json:"interrupted,omitempty"`
	StepsDone   *int `json:"steps_done,omitempty"`
}

// totals are the running sums a summary is computed from, so that a run
// streamed to disk needs no per-step record to be summarised.
type totals struct {
	spikes   int
	counts   []int // spikes per neuron id
	cycles   uint64
	maxStep  uint64
	syn      uint64
	fanin    uint64
	bursts   int
	burstEvs uint64
}

func newTotals(im *core.Image) *totals {
	t := &totals{}
	if im != nil {
		t.counts = make([]int, im.NumNeurons)
	}
	return t
}

func (t *totals) addStep(st StepStats) {
	t.cycles += st.Cycles
	t.maxStep = max(t.maxStep, st.Cycles)
	t.syn += st.SynEvents
	t.fanin += st.FanInEvents
	t.bursts += st.Bursts
	t.burstEvs += st.BurstEvents
}

func (t *totals) addSpike(n uint32) {
	t.spikes++
	if int(n) < len(t.counts) {
		t.counts[n]++
	}
}

// Summarize computes the summary of a run.
func Summarize(r *Run) *Summary {
	t := newTotals(r.Image)
	for _, st := range r.StepStats {
		t.addStep(st)
	}
	for _, sp := range r.Spikes {
		t.addSpike(sp.Neuron)
	}
	return t.summary(r.Source, r.Image, r.Steps, r.Wall, r.Interrupted)
}

func (t *totals) summary(source string, im *core.Image, steps int, wall time.Duration, interrupted bool) *Summary {
	s := &Summary{Source: source, Steps: steps, Spikes: t.spikes, WallS: wall.Seconds(), Interrupted: interrupted}
	if interrupted {
		done := steps
		s.StepsDone = &done
	}
	if im != nil {
		s.Image = im.Meta.Name
		s.Profile = im.Profile.Name
		s.ClockHz = im.Profile.ClockHz
		s.Neurons = im.NumNeurons
		s.Synapses = len(im.Syn)
		s.DtMs = im.Meta.DtMs
	}
	s.BioTimeMs = float64(steps) * s.DtMs
	s.TotalCycles, s.MaxStepCycles = t.cycles, t.maxStep
	s.SynEvents, s.FanInEvents = t.syn, t.fanin
	s.Bursts, s.BurstEvents = t.bursts, t.burstEvs
	if s.ClockHz > 0 {
		s.HWTimeMs = float64(s.TotalCycles) / s.ClockHz * 1e3
	}
	if s.HWTimeMs > 0 {
		s.RealtimeFactor = s.BioTimeMs / s.HWTimeMs
	}
	if s.WallS > 0 {
		s.NeuronUpdatesPerS = float64(steps) * float64(s.Neurons) / s.WallS
		s.SynEventsPerS = float64(s.SynEvents) / s.WallS
	}
	if im != nil {
		for _, p := range im.Meta.Populations {
			ps := PopulationSummary{Name: p.Name, Kind: p.Kind, Count: p.Count}
			for n := max(p.First, 0); n < p.First+p.Count && n < len(t.counts); n++ {
				ps.Spikes += t.counts[n]
			}
			if p.Count > 0 && s.BioTimeMs > 0 {
				ps.RateHz = float64(ps.Spikes) / float64(p.Count) / (s.BioTimeMs / 1e3)
			}
			s.Populations = append(s.Populations, ps)
		}
	}
	return s
}

// WriteJSON writes the summary as indented JSON.
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// WriteText writes the summary for people.
func (s *Summary) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s run of %q on profile %s (%d neurons, %d synapses)\n", s.Source, s.Image, s.Profile, s.Neurons, s.Synapses)
	fmt.Fprintf(bw, "steps:            %d × %g ms = %s ms biological time\n", s.Steps, s.DtMs, FormatMs(s.BioTimeMs))
	fmt.Fprintf(bw, "spikes:           %d\n", s.Spikes)
	if len(s.Populations) > 0 {
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "  population\tkind\tneurons\tspikes\trate (Hz)\t")
		for _, p := range s.Populations {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%.2f\t\n", p.Name, p.Kind, p.Count, p.Spikes, p.RateHz)
		}
		tw.Flush()
	}
	fmt.Fprintf(bw, "cycles:           %d total, %d max per step\n", s.TotalCycles, s.MaxStepCycles)
	if s.HWTimeMs > 0 {
		fmt.Fprintf(bw, "core time:        %.4g ms at %g MHz", s.HWTimeMs, s.ClockHz/1e6)
		if s.RealtimeFactor > 0 {
			fmt.Fprintf(bw, " (%.3gx real time)", s.RealtimeFactor)
		}
		fmt.Fprintln(bw)
	}
	fmt.Fprintf(bw, "synapse events:   %d delivered, %d potentiation reads\n", s.SynEvents, s.FanInEvents)
	if s.Bursts > 0 || s.BurstEvents > 0 {
		fmt.Fprintf(bw, "bursts:           %d, %d burst-row words delivered\n", s.Bursts, s.BurstEvents)
	}
	fmt.Fprintf(bw, "wall time:        %.3f s", s.WallS)
	if s.WallS > 0 {
		fmt.Fprintf(bw, " (%s neuron updates/s, %s synaptic events/s)", si(s.NeuronUpdatesPerS), si(s.SynEventsPerS))
	}
	fmt.Fprintln(bw)
	return bw.Flush()
}

// si renders x with an SI suffix: 1.23M.
func si(x float64) string {
	switch {
	case x >= 1e9:
		return fmt.Sprintf("%.3gG", x/1e9)
	case x >= 1e6:
		return fmt.Sprintf("%.3gM", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.3gk", x/1e3)
	}
	return fmt.Sprintf("%.3g", x)
}

// Output file names.
const (
	SpikesCSV   = "spikes.csv"
	SpikesBin   = "spikes.bin"
	BurstsCSV   = "bursts.csv"
	TracesCSV   = "traces.csv"
	WeightsCSV  = "weights.csv"
	CyclesCSV   = "cycles.csv"
	SummaryJSON = "summary.json"
)

// WriteDir writes the files of a run into dir (created if needed), each
// atomically: spikes.csv and spikes.bin always, bursts.csv when a spike
// carries the burst flag, traces.csv when there are
// traces, weights.csv when r.Weights is set, cycles.csv when there are step
// statistics, and summary.json last. It appends the file names to s.Files,
// which may already name other files the caller wrote (plots).
func WriteDir(dir string, r *Run, s *Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output: create output directory: %w", err)
	}
	type file struct {
		name  string
		write func(io.Writer, *Run) error
	}
	files := []file{{SpikesCSV, WriteSpikesCSV}, {SpikesBin, WriteSpikesBin}}
	for _, sp := range r.Spikes {
		if sp.Burst {
			files = append(files, file{BurstsCSV, WriteBurstsCSV})
			break
		}
	}
	if len(r.Traces) > 0 {
		files = append(files, file{TracesCSV, WriteTracesCSV})
	}
	if r.Weights != nil {
		files = append(files, file{WeightsCSV, WriteWeightsCSV})
	}
	if len(r.StepStats) > 0 {
		files = append(files, file{CyclesCSV, WriteCyclesCSV})
	}

	for _, f := range files {
		err := atomicfile.Write(filepath.Join(dir, f.name), func(w *bufio.Writer) error { return f.write(w, r) })
		if err != nil {
			return err
		}
		s.Files = append(s.Files, f.name)
	}
	s.Files = append(s.Files, SummaryJSON)
	return atomicfile.Write(filepath.Join(dir, SummaryJSON), func(w *bufio.Writer) error { return s.WriteJSON(w) })
}
