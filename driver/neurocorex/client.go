package neurocorex

import (
	"fmt"
	"sort"
	"time"

	"github.com/ncx-project/ncx/driver"
)

// Spike is one input spike: input address Addr (the FF column) in step Step
// of the run.
type Spike struct {
	Step int
	Addr int
}

// EncodeSpikes renders the 0x3_ command for spikes: header, one
// [dt][addr_lo][addr_hi] record per spike, terminator FF FF FF.
//
// The board numbers a run's steps by its output frames. Its first record is
// released in step dt and every later one dt+1 steps after the one before
// (measured on the VHDL, docs/neurocorex.md), so at most one spike fits a
// step. Gaps longer than the byte allows are bridged with spikes to address
// 0, which Lower leaves without weights. The run lasts until the step that
// releases the last record, whose input therefore never acts, and the last
// byte of output that completes in that step is lost: EncodeSpikes pads the
// input with a spike to address 0 in step steps (if later than the last
// spike), so that frames 0..steps-1 all arrive.
func EncodeSpikes(spikes []Spike, steps int) ([]byte, error) {
	s := append([]Spike(nil), spikes...)
	sort.SliceStable(s, func(a, b int) bool { return s[a].Step < s[b].Step })
	b := []byte{HdrSpikes}
	prev := -1 // the first record counts from step -1
	add := func(step, addr int) {
		for step-prev > 256 {
			prev += 256
			b = append(b, 255, dummyAddress, 0)
		}
		b = append(b, byte(step-prev-1), byte(addr), byte(addr>>8))
		prev = step
	}
	for k, sp := range s {
		if sp.Step < 0 {
			return nil, fmt.Errorf("neurocorex: input spike at step %d", sp.Step)
		}
		if k > 0 && s[k-1].Step == sp.Step {
			return nil, fmt.Errorf("neurocorex: two input spikes in step %d: the board takes at most one per step", sp.Step)
		}
		if sp.Addr < 0 || sp.Addr >= N {
			return nil, fmt.Errorf("neurocorex: input address %d outside 0..%d", sp.Addr, N-1)
		}
		if sp.Step >= steps {
			return nil, fmt.Errorf("neurocorex: input spike at step %d of a %d-step run", sp.Step, steps)
		}
		add(sp.Step, sp.Addr)
	}
	add(steps, dummyAddress)
	return append(b, 0xFF, 0xFF, 0xFF), nil
}

// RunBytes is how many bytes a run whose last record is released in step
// last sends after its start marker: the bits of steps 0..last, less the
// trailing partial byte and the last byte completed in step last.
func RunBytes(last int) int {
	return ((last+1)*FrameBits+7)/8 - 1
}

// DecodeFrames unpacks the bitstream that follows the start marker into
// frames of 90 bits, LSB first; out[k] lists the internal neuron indices p
// (bit b is p = b+4) that spiked in step k. A trailing partial frame is
// dropped.
func DecodeFrames(stream []byte) [][]int {
	nf := len(stream) * 8 / FrameBits
	out := make([][]int, nf)
	for f := range nf {
		for b := range FrameBits {
			bit := f*FrameBits + b
			if stream[bit/8]>>(bit%8)&1 != 0 {
				out[f] = append(out[f], b+FirstNeuron)
			}
		}
	}
	return out
}

// Client talks to a NeuroCoreX board on a Port.
type Client struct {
	p    driver.Port
	name string
	// StepTime is how long the board takes per step (960 us at 100 kHz).
	StepTime time.Duration
	// Quiet is how long the line must stay quiet before a read gives up.
	Quiet time.Duration
	// ReadbackTime bounds a whole weight readback (about 0.2 s on a board).
	ReadbackTime time.Duration
}

// Scale stretches every wait by f, for a board that runs f times slower
// than real time, such as the VHDL under GHDL (driver/vhdlboard).
func (c *Client) Scale(f float64) {
	if f <= 1 {
		return
	}
	c.StepTime = time.Duration(float64(c.StepTime) * f)
	c.Quiet = time.Duration(float64(c.Quiet) * f)
	c.ReadbackTime = time.Duration(float64(c.ReadbackTime) * f)
}

// NewClient returns a client on p; name is used in errors.
func NewClient(p driver.Port, name string) *Client {
	return &Client{p: p, name: name, StepTime: 960 * time.Microsecond, Quiet: time.Second, ReadbackTime: 3 * time.Second}
}

func (c *Client) errf(format string, a ...any) error {
	return fmt.Errorf("neurocorex: %s: "+format, append([]any{c.name}, a...)...)
}

func (c *Client) write(b []byte) error {
	for len(b) > 0 {
		n, err := c.p.Write(b)
		if err != nil {
			return c.errf("%w: %v", driver.ErrPortGone, err)
		}
		b = b[n:]
	}
	return nil
}

// Send writes one command block (such as Tables.DebugBlock) as it is.
func (c *Client) Send(blk []byte) error { return c.write(blk) }

// Upload loads t in the order of the board's host notebooks: debug (0x40),
// AA weights (0x10), FF weights (0x00), STDP enable bits (0x60), neuron and
// STDP parameters (0x20).
func (c *Client) Upload(t *Tables) error {
	if err := t.Check(); err != nil {
		return err
	}
	for _, blk := range [][]byte{t.DebugBlock(), t.AABlock(), t.FFBlock(), t.EnableBlock(), t.ParamBlock()} {
		if err := c.write(blk); err != nil {
			return err
		}
	}
	return nil
}

// readFull reads n bytes, or fewer if the line stays quiet for c.Quiet.
func (c *Client) readFull(n int, overall time.Duration) ([]byte, error) {
	if err := c.p.SetReadTimeout(50 * time.Millisecond); err != nil {
		return nil, c.errf("%v", err)
	}
	out := make([]byte, 0, n)
	buf := make([]byte, 4096)
	last := time.Now()
	end := time.Now().Add(overall)
	for len(out) < n {
		k, err := c.p.Read(buf[:min(len(buf), n-len(out))])
		if err != nil {
			return out, c.errf("%w: %v", driver.ErrPortGone, err)
		}
		if k > 0 {
			out = append(out, buf[:k]...)
			last = time.Now()
			continue
		}
		if time.Since(last) > c.Quiet || time.Now().After(end) {
			break
		}
	}
	return out, nil
}

// Run sends the input spikes (see EncodeSpikes), waits for the start marker
// and returns the frames of steps 0..steps-1: the internal neuron indices
// that spiked in each step. It reads the run's whole output (RunBytes), so
// nothing of it is left on the line for the next command.
func (c *Client) Run(spikes []Spike, steps int) ([][]int, error) {
	if steps < 1 {
		return nil, c.errf("run of %d steps", steps)
	}
	msg, err := EncodeSpikes(spikes, steps)
	if err != nil {
		return nil, err
	}
	if err := c.write(msg); err != nil {
		return nil, err
	}
	want := 1 + RunBytes(steps)
	got, err := c.readFull(want, time.Duration(steps+1)*c.StepTime*2+2*c.Quiet)
	if err != nil {
		return nil, err
	}
	if len(got) == 0 {
		return nil, c.errf("%w: no start marker after the input spikes", driver.ErrTimeout)
	}
	if got[0] != StartMarker {
		return nil, c.errf("%w: run output starts with 0x%02x, not the 0xFF start marker", driver.ErrProtocol, got[0])
	}
	frames := DecodeFrames(got[1:])
	if len(frames) < steps {
		return frames, c.errf("%w: %d of %d output frames arrived", driver.ErrTimeout, len(frames), steps)
	}
	return frames[:steps], nil
}

// ReadWeights asks for the FF weights (0x50, then the dummy byte 0x7A) and
// returns the 9,215 that arrive, row-major: the board loses the last one.
func (c *Client) ReadWeights() ([]int8, error) {
	if err := c.write([]byte{HdrReadback, ReadbackDummy}); err != nil {
		return nil, err
	}
	// one weight every 2100 cycles at 100 MHz, about 0.2 s in all
	got, err := c.readFull(ReadbackLen, c.ReadbackTime)
	if err != nil {
		return nil, err
	}
	if len(got) != ReadbackLen {
		return nil, c.errf("%w: weight readback gave %d of %d bytes", driver.ErrTimeout, len(got), ReadbackLen)
	}
	out := make([]int8, len(got))
	for i, b := range got {
		out[i] = int8(b)
	}
	return out, nil
}

// VerifyFF compares a readback with t's FF weights (all but the last).
func VerifyFF(t *Tables, got []int8) error {
	for i, w := range got {
		if want := t.FF[i/N][i%N]; w != want {
			return fmt.Errorf("neurocorex: %w: FF weight row %d column %d: wrote %d, read %d", driver.ErrVerify, i/N, i%N, want, w)
		}
	}
	return nil
}
