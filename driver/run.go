package driver

import (
	"context"
	"encoding/binary"
	"sort"
	"time"

	"github.com/ncx-project/ncx/core"
)

// StepOutput is what the board reported for one step.
type StepOutput struct {
	Cycles uint32   // cycle count T of the step
	Spikes []uint32 // neurons that spiked, ascending
}

// RunResult is the output of a run.
type RunResult struct {
	Steps   []StepOutput // one per step run
	Cycles  uint64       // total cycles
	Stopped bool         // the run was stopped before all steps ran
	Status  Status       // board counters after the run
}

type stepParts struct {
	cycles uint32
	parts  [][]uint16
	got    []bool
	last   int // index of the last part, -1 until seen
}

func (s *stepParts) complete() bool {
	if s.last < 0 || len(s.got) <= s.last {
		return false
	}
	for _, g := range s.got[:s.last+1] {
		if !g {
			return false
		}
	}
	return true
}

func (s *stepParts) add(r StepRecord) {
	p := int(r.Part)
	for len(s.got) <= p {
		s.got = append(s.got, false)
		s.parts = append(s.parts, nil)
	}
	s.cycles = r.Cycles
	s.got[p] = true
	s.parts[p] = r.Spikes
	if r.Last {
		s.last = p
	}
}

// Run runs steps time steps, forcing the given input spikes (steps counted
// from the start of this run), and returns every step's spikes and cycle
// count. Input is streamed while the board runs, within the board's input
// buffer; the board never runs a step before it has all of that step's
// input. Cancelling ctx stops the run after the current step.
func (c *Client) Run(ctx context.Context, steps int, input []core.InputSpike) (*RunResult, error) {
	var got []StepOutput
	res, err := c.RunStream(ctx, steps, input, func(_ int, so StepOutput) {
		got = append(got, StepOutput{Cycles: so.Cycles, Spikes: append([]uint32(nil), so.Spikes...)})
	})
	if err != nil {
		return nil, err
	}
	res.Steps = got
	return res, nil
}

// RunStream runs as Run does, but gives each step to sink as soon as it
// and every step before it are complete, in order, instead of keeping the
// run: memory holds only the steps not yet given (those after a lost
// output record wait until READ_OUT fetches it after the run). sink must
// not keep so.Spikes, whose storage is reused. The result has no Steps.
func (c *Client) RunStream(ctx context.Context, steps int, input []core.InputSpike, sink func(step int, so StepOutput)) (*RunResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return nil, err
	}
	if steps < 1 || steps >= ThroughAll {
		return nil, c.errf("run of %d steps: want 1..%d", steps, uint32(ThroughAll-1))
	}
	in := append([]core.InputSpike(nil), input...)
	sort.SliceStable(in, func(a, b int) bool {
		if in[a].Step != in[b].Step {
			return in[a].Step < in[b].Step
		}
		return in[a].Neuron < in[b].Neuron
	})
	perStep := 0
	for k, s := range in {
		if int(s.Step) >= steps {
			return nil, c.errf("input spike at step %d is beyond the run of %d steps", s.Step, steps)
		}
		if int(s.Neuron) >= c.prof.Neurons() || s.Neuron > 0xFFFF {
			return nil, c.errf("input spike to neuron %d: the board has %d neurons", s.Neuron, c.prof.Neurons())
		}
		if k == 0 || in[k-1].Step != s.Step {
			perStep = 0
		}
		perStep++
		if uint32(perStep) > c.info.InputCap {
			return nil, c.errf("%d input spikes in step %d exceed the board's input buffer of %d", perStep, s.Step, c.info.InputCap)
		}
	}
	flush(c.events)

	out := &pendingSteps{held: map[int]*stepParts{}, sink: sink}
	var (
		started   bool
		sentIdx   int  // inputs sent
		allSent   bool // the ThroughAll frame is sent
		consumed  int  // inputs of steps the board has finished
		maxStep   = -1
		done      *Done
		stopSent  bool
		poll      bool
		lastSeen  = time.Now()
		lastSteps = -1
	)
	note := func(step int) {
		if step > maxStep {
			maxStep = step
			for consumed < len(in) && int(in[consumed].Step) <= maxStep {
				consumed++
			}
		}
	}
	t := &txn{window: c.window()}
	t.next = func() (uint8, []byte, bool) {
		switch {
		case !started:
			started = true
			pl := binary.LittleEndian.AppendUint32(nil, uint32(steps))
			if c.info.Protocol >= 3 {
				// OUT frames no longer than the frames that get through now
				pl = binary.LittleEndian.AppendUint16(pl, uint16(c.payload()))
			}
			return core.CmdRun, pl, true
		case ctx.Err() != nil && !stopSent && done == nil:
			stopSent = true
			return core.CmdStop, nil, true
		case poll:
			poll = false
			return core.CmdStatus, nil, true
		case allSent || stopSent:
			return 0, nil, false
		}
		room := int(c.info.InputCap) - (sentIdx - consumed)
		recs := max(1, (c.payload()-4)/inputRecordLen)
		n := min(recs, len(in)-sentIdx, room)
		if n <= 0 && sentIdx < len(in) {
			return 0, nil, false
		}
		end := sentIdx + n
		through := uint32(ThroughAll)
		if end < len(in) {
			through = in[end].Step // every step before it is complete
			if end > sentIdx && in[end-1].Step == in[end].Step {
				through = in[end].Step
			}
		}
		pl := binary.LittleEndian.AppendUint32(make([]byte, 0, 4+n*inputRecordLen), through)
		for _, s := range in[sentIdx:end] {
			pl = binary.LittleEndian.AppendUint32(pl, s.Step)
			pl = binary.LittleEndian.AppendUint16(pl, uint16(s.Neuron))
		}
		sentIdx = end
		if through == ThroughAll {
			allSent = true
		}
		return core.CmdStreamIn, pl, true
	}
	t.done = func() bool { return done != nil }
	t.event = func(f Frame) error {
		lastSeen = time.Now()
		switch f.Cmd {
		case core.CmdOut:
			rs, _ := DecodeRecords(f.Payload) // keep what parsed; READ_OUT fetches the rest
			for _, r := range rs {
				if int(r.Step) < steps {
					out.add(r)
					note(int(r.Step))
				}
			}
			out.deliver(steps)
		case core.CmdDone:
			d, err := DecodeDone(f.Payload)
			if err == nil {
				done = &d
			}
		}
		return nil
	}
	t.reply = func(_ sent, f Frame) error {
		st, err := DecodeStatus(f.Payload)
		if err != nil || f.Cmd != core.CmdStatusReply {
			return c.errf("%w: bad STATUS reply", ErrProtocol)
		}
		if !st.Running && allSentOrStopped(allSent, stopSent) {
			// DONE was lost: the board is idle
			done = &Done{Steps: st.StepsRun, Stopped: int(st.StepsRun) < steps}
		}
		if int(st.StepsRun) > lastSteps {
			lastSteps = int(st.StepsRun)
			lastSeen = time.Now()
			note(int(st.StepsRun) - 1)
		}
		return nil
	}
	t.idle = func() error {
		if ctx.Err() != nil && !stopSent {
			return nil // next sends STOP
		}
		if time.Since(lastSeen) > time.Duration(4*c.opt.Retries)*c.opt.Timeout {
			c.needSync = true
			return c.errf("%w: run stalled after step %d of %d", ErrTimeout, maxStep+1, steps)
		}
		poll = true
		return nil
	}
	if err := c.run(t); err != nil {
		return nil, err
	}
	n := min(int(done.Steps), steps)
	// fetch what was lost on the way
	if err := c.fetchOut(out, n); err != nil {
		return nil, err
	}
	out.deliver(n)
	if out.next < n {
		return nil, c.errf("%w: output of step %d missing after READ_OUT", ErrProtocol, out.next)
	}
	res := &RunResult{Cycles: out.cycles, Stopped: done.Stopped || n < steps}
	err := c.idem(func() error {
		f, err := c.query(core.CmdStatus, nil, core.CmdStatusReply)
		if err == nil {
			res.Status, err = DecodeStatus(f.Payload)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// pendingSteps holds the output records of the steps not yet given to the
// sink, which gets them in step order.
type pendingSteps struct {
	held   map[int]*stepParts
	next   int // first step not yet given
	sink   func(int, StepOutput)
	buf    []uint32
	cycles uint64 // total of the steps given
}

func (p *pendingSteps) add(r StepRecord) {
	s := int(r.Step)
	if s < p.next {
		return // given already: a repeat
	}
	sp := p.held[s]
	if sp == nil {
		sp = &stepParts{last: -1}
		p.held[s] = sp
	}
	sp.add(r)
}

// complete reports whether step s has all its records (given steps have).
func (p *pendingSteps) complete(s int) bool {
	if s < p.next {
		return true
	}
	sp := p.held[s]
	return sp != nil && sp.complete()
}

// firstMissing is the first part of step s not received.
func (p *pendingSteps) firstMissing(s int) int {
	sp := p.held[s]
	if sp == nil {
		return 0
	}
	k := 0
	for k < len(sp.got) && sp.got[k] {
		k++
	}
	return k
}

// deliver gives the sink every complete step before limit that follows the
// steps given, in order.
func (p *pendingSteps) deliver(limit int) {
	for p.next < limit {
		sp := p.held[p.next]
		if sp == nil || !sp.complete() {
			return
		}
		p.buf = p.buf[:0]
		for _, part := range sp.parts[:sp.last+1] {
			for _, id := range part {
				p.buf = append(p.buf, uint32(id))
			}
		}
		if p.sink != nil {
			p.sink(p.next, StepOutput{Cycles: sp.cycles, Spikes: p.buf})
		}
		p.cycles += uint64(sp.cycles)
		delete(p.held, p.next)
		p.next++
	}
}

func allSentOrStopped(allSent, stopped bool) bool { return allSent || stopped }

// fetchOut asks with READ_OUT for every record of the first n steps of out
// still missing (OUT events are not acknowledged, so a lost one is fetched
// after DONE), several requests in flight, giving steps to the sink as they
// complete. Protocol 3 boards cut each reply to the
// payload size given in the request, so on a noisy line the replies shrink
// with the host's frames.
func (c *Client) fetchOut(out *pendingSteps, n int) error {
	missing := func(from int) (step, part int, ok bool) {
		for s := max(from, out.next); s < n; s++ {
			if !out.complete(s) {
				return s, out.firstMissing(s), true
			}
		}
		return 0, 0, false
	}
	first, _, ok := missing(0)
	if !ok {
		return nil
	}
	if !c.info.Has(core.FeatReadOut) {
		c.needSync = true
		return c.errf("%w: output of step %d was lost and the board keeps no output log (no READ_OUT)", ErrProtocol, first)
	}
	return c.idem(func() error {
		for {
			s0, p0, ok := missing(0)
			if !ok {
				return nil
			}
			cursor := 0
			t := &txn{window: c.window(), recut: true}
			t.next = func() (uint8, []byte, bool) {
				s, part, ok := missing(cursor)
				if !ok {
					return 0, nil, false
				}
				cursor = s + 1
				q := append(binary.LittleEndian.AppendUint32(nil, uint32(s)), uint8(part))
				return core.CmdReadOut, binary.LittleEndian.AppendUint16(q, uint16(c.payload())), true
			}
			t.done = func() bool { _, _, ok := missing(cursor); return !ok }
			t.reply = func(req sent, f Frame) error {
				rs, err := DecodeRecords(f.Payload)
				ws, wp := binary.LittleEndian.Uint32(req.payload), req.payload[4]
				if f.Cmd != core.CmdOutReply || err != nil || len(rs) == 0 || rs[0].Step != ws || rs[0].Part != wp {
					return errStale
				}
				for _, r := range rs {
					if int(r.Step) < n {
						out.add(r)
					}
				}
				out.deliver(n)
				return nil
			}
			if err := c.run(t); err != nil {
				return err
			}
			if s, p, ok := missing(0); ok && s == s0 && p == p0 {
				return c.errf("%w: READ_OUT of step %d part %d brought nothing new", ErrProtocol, s, p)
			}
		}
	})
}
