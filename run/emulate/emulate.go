// Package emulate drives the ncx-core emulator through a whole run: it loads
// an image, applies the input spikes (the image's stimulus or a replacement),
// steps the core, and records spikes, per-step cycle counts, probed variables
// and final weights into an output.Run, which package output writes to disk,
// or streams them step by step to an output.Stream so that memory does not
// grow with the number of steps.
package emulate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/reference"
	"github.com/ncx-project/ncx/run/output"
)

// WeightsMode says when Run records the final weights.
type WeightsMode int

// Weight recording modes.
const (
	// WeightsAuto records them when a probe asks for weights or any
	// synapse is plastic.
	WeightsAuto WeightsMode = iota
	WeightsAlways
	WeightsNever
)

// Options control a run.
type Options struct {
	// Steps is the number of steps to run; 0 means the image's Meta.Steps.
	Steps int
	// Stimulus replaces the image's stimulus when non-nil (an empty,
	// non-nil slice runs without input spikes).
	Stimulus []core.InputSpike
	// Tracer, when set, receives every cycle event of every step.
	Tracer core.CycleTracer
	// Progress, when set, is called after every step with the number of
	// steps done.
	Progress func(done int)
	// OnStep, when set, is called after every step with the core and the
	// step's result, for recording beyond what Run does.
	OnStep  func(c *emulator.Core, r emulator.StepResult)
	Weights WeightsMode
	// Stream, when set, receives every step's spikes, work and probed
	// values as the run goes; Run then keeps them in the Result only if
	// Keep is set, so that memory does not grow with the number of steps.
	Stream *output.Stream
	Keep   bool
}

// Result is a finished run.
type Result struct {
	*output.Run
	// Final is the image with the core's final state, traces and weights.
	Final *core.Image
	// InputsIgnored counts input spikes at or after the last step run.
	InputsIgnored int
}

// ErrNoSteps is returned when neither the options nor the image give a step count.
var ErrNoSteps = errors.New("emulate: no step count: the image does not set one, give it explicitly")

// probe records one variable of one neuron.
type probe struct {
	n   int
	get func(c *emulator.Core, n int) int32
}

func getTr(c *emulator.Core, n int) int32 { return int32(c.Tr(n)) }
func getPB(c *emulator.Core, n int) int32 { return int32(c.PBar(n)) }

// Probes resolves the image's probes into the traces Run records, in probe
// order, and reports whether a probe asks for weights. A probe without
// neurons covers its whole population.
func Probes(im *core.Image) (traces []output.Trace, weights bool, err error) {
	_, traces, weights, err = probes(im)
	return traces, weights, err
}

func probes(im *core.Image) ([]probe, []output.Trace, bool, error) {
	var ps []probe
	var ts []output.Trace
	weights := false
	for k, pr := range im.Meta.Probes {
		pop, havePop := im.Meta.PopulationByName(pr.Population)
		if pr.Population != "" && !havePop {
			return nil, nil, false, fmt.Errorf("emulate: probe %d: unknown population %q", k, pr.Population)
		}
		neurons := pr.Neurons
		if len(neurons) == 0 && havePop {
			for n := pop.First; n < pop.First+pop.Count; n++ {
				neurons = append(neurons, n)
			}
		}
		if pr.Projection != "" {
			weights = true
		}
		for _, v := range pr.Vars {
			var get func(*emulator.Core, int) int32
			scale := 0.0
			switch v {
			case "spikes":
				continue // always recorded
			case "weight", "weights":
				weights = true
				continue
			case "v":
				get, scale = (*emulator.Core).V, pop.VScale
			case "i":
				get, scale = (*emulator.Core).I, pop.VScale
			case "trace":
				get = getTr
			case "va":
				get, scale = (*emulator.Core).VA, pop.VScale
			case "pbar":
				get = getPB
			default:
				return nil, nil, false, fmt.Errorf("emulate: probe %d: unknown variable %q (want spikes, v, i, trace, va, pbar or weights)", k, v)
			}
			for _, n := range neurons {
				if n < 0 || n >= im.NumNeurons {
					return nil, nil, false, fmt.Errorf("emulate: probe %d: neuron %d outside 0..%d", k, n, im.NumNeurons-1)
				}
				name, sc, off := pr.Population, scale, 0.0
				if !havePop {
					name = populationOf(im, n)
					if p, ok := im.Meta.PopulationByName(name); ok && (v == "v" || v == "i" || v == "va") {
						sc = p.VScale
					}
				}
				if p, ok := im.Meta.PopulationByName(name); ok && v == "v" && sc != 0 {
					off = p.VRest
				}
				ps = append(ps, probe{n: n, get: get})
				ts = append(ts, output.Trace{Neuron: n, Population: name, Var: v, Scale: sc, Offset: off})
			}
		}
	}
	return ps, ts, weights, nil
}

func populationOf(im *core.Image, n int) string {
	for _, p := range im.Meta.Populations {
		if n >= p.First && n < p.First+p.Count {
			return p.Name
		}
	}
	return ""
}

// Plastic reports whether any synapse of im has a plasticity rule.
func Plastic(im *core.Image) bool {
	for _, s := range im.Syn {
		if s.Rule != 0 {
			return true
		}
	}
	return false
}

// Run emulates im. It stops early with ctx's error when ctx is cancelled.
func Run(ctx context.Context, im *core.Image, opts Options) (*Result, error) {
	steps := opts.Steps
	if steps <= 0 {
		steps = im.Meta.Steps
	}
	if steps <= 0 {
		return nil, ErrNoSteps
	}
	ps, traces, wantWeights, err := probes(im)
	if err != nil {
		return nil, fmt.Errorf("emulate: image %q: %w", im.Meta.Name, err)
	}
	stim := im.Meta.Stimulus
	if opts.Stimulus != nil {
		stim = opts.Stimulus
	}
	stim = slices.Clone(stim)
	slices.SortStableFunc(stim, func(a, b core.InputSpike) int { return int(a.Step) - int(b.Step) })
	for k, s := range stim {
		if int(s.Neuron) >= im.NumNeurons {
			return nil, fmt.Errorf("emulate: input spike %d (step %d): neuron %d outside 0..%d", k, s.Step, s.Neuron, im.NumNeurons-1)
		}
	}

	c, err := emulator.New(im)
	if err != nil {
		return nil, err
	}
	c.Tracer = opts.Tracer
	// nothing is allocated per step up front: a run asked for 2^31 steps
	// and stopped early costs what it ran
	run := &output.Run{
		Source: "emulator",
		Image:  im,
		Steps:  steps,
		Traces: traces,
	}
	res := &Result{Run: run}
	var ids []uint32
	var stepSpikes []output.Spike
	values := make([]int32, len(ps))
	keep := opts.Stream == nil || opts.Keep
	next, nextTeach := 0, 0
	var cycles uint64
	start := time.Now()
	for step := 0; step < steps; step++ {
		if step%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("emulate: stopped at step %d: %w", step, err)
			}
		}
		for nextTeach < len(im.Meta.Teach) && int(im.Meta.Teach[nextTeach].Step) <= step {
			w := im.Meta.Teach[nextTeach]
			c.SetTeach(int(w.Neuron), w.Teach)
			nextTeach++
		}
		ids = ids[:0]
		for next < len(stim) && int(stim[next].Step) == step {
			ids = append(ids, stim[next].Neuron)
			next++
		}
		if len(ids) > 0 {
			if err := c.Force(ids...); err != nil {
				return nil, fmt.Errorf("emulate: step %d: %w", step, err)
			}
		}
		r := c.Step()
		stepSpikes = stepSpikes[:0]
		b := 0 // r.Bursts is an ascending subsequence of r.Spikes
		for j, n := range r.Spikes {
			burst := b < len(r.Bursts) && r.Bursts[b] == n
			if burst {
				b++
			}
			stepSpikes = append(stepSpikes, output.Spike{Step: uint32(step), Neuron: n, Cycle: cycles + r.SpikeCycles[j], Burst: burst})
		}
		st := output.StepStats{Step: step, Cycles: r.Cycles, Spikes: len(r.Spikes),
			SynEvents: r.F, FanInEvents: r.G, Bursts: len(r.Bursts), BurstEvents: r.FB}
		cycles += r.Cycles
		for t, p := range ps {
			values[t] = p.get(c, p.n)
		}
		if opts.Stream != nil {
			opts.Stream.Step(stepSpikes, st, values)
		}
		if keep {
			run.Spikes = append(run.Spikes, stepSpikes...)
			run.StepStats = append(run.StepStats, st)
			for t, v := range values {
				traces[t].Values = append(traces[t].Values, v)
			}
		}
		if opts.OnStep != nil {
			opts.OnStep(c, r)
		}
		if opts.Progress != nil {
			opts.Progress(step + 1)
		}
	}
	run.Wall = time.Since(start)
	res.InputsIgnored = len(stim) - next
	res.Final = c.Image(im)
	switch opts.Weights {
	case WeightsAlways:
		run.Weights = c.Syn()
	case WeightsAuto:
		if wantWeights || Plastic(im) {
			run.Weights = c.Syn()
		}
	}
	return res, nil
}

// FloatSpikes runs the float reference (package reference) of net, the
// description im was compiled from, for steps steps on the input stim, and
// returns its spikes step by step.
func FloatSpikes(net *network.Network, im *core.Image, steps int, stim []core.InputSpike) ([][]uint32, error) {
	if net.Seed != im.Meta.Seed {
		// The image was compiled with another seed: regenerate the same
		// connectivity and stimulus, as the compiler does.
		cp := *net
		cp.Seed = im.Meta.Seed
		net = &cp
	}
	fr, err := reference.Run(net, steps, stim)
	if err != nil {
		return nil, fmt.Errorf("emulate: %w", err)
	}
	return fr.Spikes, nil
}

// CompareFloat compares the run's spikes with those of a float model of the
// same network (step by step, as FloatSpikes returns them).
func (r *Result) CompareFloat(im *core.Image, float [][]uint32) reference.Agreement {
	fixed := make([][]uint32, r.Steps)
	for _, s := range r.Spikes {
		fixed[s.Step] = append(fixed[s.Step], s.Neuron)
	}
	return reference.Compare(fixed, float, im.Meta.Populations, im.Meta.DtMs, 0)
}
