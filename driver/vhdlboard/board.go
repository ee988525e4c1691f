package vhdlboard

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ncx-project/ncx/driver"
)

// CyclesPerByte is how long one UART byte takes at 1 Mbaud on the design's
// 100 MHz clock.
const CyclesPerByte = 1000

// Options tune how the simulation advances.
type Options struct {
	// Chunk is how many 100 MHz cycles one harness command simulates
	// (default 50,000: half a millisecond of board time, a fraction of a
	// second of simulation).
	Chunk int
	// Tail is how long the board keeps running after the host's last byte
	// has been sent and its own last byte received (default 4,000,000
	// cycles, 40 ms of board time). The longest activity that is silent
	// on the UART is the feed of the 2,304 STDP-enable bytes into the
	// core, one every 1,600 cycles after the 0x60 block: 3.7M cycles.
	// After the tail the simulation waits for the host, which for the
	// board is the same as a host that pauses.
	Tail int64
	// PowerOn is how long the board runs, with its output discarded,
	// before the host is connected (default 2,000 cycles). NeuroCoreX
	// sends one 0x00 byte right after configuration (a falling edge of its
	// output synchroniser's power-on value), which a host that opens the
	// port later never sees.
	PowerOn int
	// Stderr receives the simulator's diagnostics (default os.Stderr).
	Stderr io.Writer
}

func (o *Options) defaults() {
	if o.Chunk <= 0 {
		o.Chunk = 50_000
	}
	if o.Tail <= 0 {
		o.Tail = 4_000_000
	}
	if o.PowerOn <= 0 {
		o.PowerOn = 2_000
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
}

// Board is a running simulation of NeuroCoreX; it is a driver.Port.
type Board struct {
	*driver.Inbox // what the host received on TX
	*proc
	opt  Options
	done chan struct{}
	cond *sync.Cond
	rx   []byte // from the host, not yet handed to the simulator
	err  error  // why the simulation stopped
	shut bool
	idle bool // the simulation waits for the host
}

// proc is the simulator process and its line protocol
// (hdl/neurocorex/ncx_neurocorex_tb.vhd).
type proc struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	out   *bufio.Reader
	errb  *tailBuffer
	mu    sync.Mutex
	stats Stats
}

func startProc(s *Sim, stderr io.Writer) (*proc, error) {
	p := &proc{errb: &tailBuffer{max: 8192}}
	p.cmd = exec.Command(s.Argv[0], s.Argv[1:]...)
	p.cmd.Stderr = io.MultiWriter(p.errb, stderr)
	in, err := p.cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("vhdlboard: %w", err)
	}
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("vhdlboard: %w", err)
	}
	p.in, p.out = in, bufio.NewReaderSize(out, 1<<16)
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("vhdlboard: start %s: %w", s.Argv[0], err)
	}
	return p, nil
}

// command sends one harness line and returns the reply line.
func (b *proc) command(line string) (string, error) {
	if _, err := io.WriteString(b.in, line+"\n"); err != nil {
		return "", b.died(err)
	}
	reply, err := b.out.ReadString('\n')
	if err != nil {
		return "", b.died(err)
	}
	return strings.TrimSpace(reply), nil
}

// quit ends the simulator, killing it if it does not exit.
func (b *proc) quit() {
	io.WriteString(b.in, "quit\n")
	b.in.Close()
	exited := make(chan struct{})
	go func() { b.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(2 * time.Second):
		b.cmd.Process.Kill()
		<-exited
	}
}

// Stats counts what the simulation did.
type Stats struct {
	Cycles   int64         // 100 MHz cycles simulated
	Wall     time.Duration // time spent waiting for the simulator
	Framing  int           // TX frames whose stop bit was not '1'
	Commands int           // harness commands
}

// Start runs the simulation built by Build.
func Start(s *Sim, opt Options) (*Board, error) {
	opt.defaults()
	p, err := startProc(s, opt.Stderr)
	if err != nil {
		return nil, err
	}
	b := &Board{Inbox: driver.NewInbox("vhdlboard"), proc: p, opt: opt, done: make(chan struct{})}
	b.cond = sync.NewCond(&b.mu)
	if _, _, err := b.step(opt.PowerOn, nil); err != nil {
		b.Close()
		return nil, err
	}
	go b.loop()
	return b, nil
}

// step sends one command and returns the bytes received on TX and the
// number of host bytes still queued.
func (b *proc) step(cycles int, send []byte) ([]byte, int, error) {
	t0 := time.Now()
	line := "run " + strconv.Itoa(cycles)
	if len(send) > 0 {
		line += " " + hex.EncodeToString(send)
	}
	reply, err := b.command(line)
	if err != nil {
		return nil, 0, err
	}
	f := strings.Fields(reply)
	if len(f) < 3 || f[0] != "ok" {
		return nil, 0, fmt.Errorf("vhdlboard: harness answered %q", reply)
	}
	queued, err1 := strconv.Atoi(f[1])
	framing, err2 := strconv.Atoi(f[2])
	var tx []byte
	var err3 error
	if len(f) > 3 {
		tx, err3 = hex.DecodeString(f[3])
	}
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, 0, fmt.Errorf("vhdlboard: harness answered %q: %w", reply, err)
	}
	b.count(cycles, t0, framing)
	return tx, queued, nil
}

// count records a command that simulated cycles cycles from t0 on and left
// the TX framing-error count at framing (negative: unchanged).
func (b *proc) count(cycles int, t0 time.Time, framing int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stats.Cycles += int64(cycles)
	b.stats.Wall += time.Since(t0)
	b.stats.Commands++
	if framing >= 0 {
		b.stats.Framing = framing
	}
}

// Stats returns what the simulation has done so far.
func (b *proc) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// died explains why the simulator stopped answering.
func (b *proc) died(err error) error {
	werr := b.cmd.Wait()
	msg := strings.TrimSpace(b.errb.String())
	if msg == "" && werr != nil {
		msg = werr.Error()
	}
	return fmt.Errorf("vhdlboard: simulation stopped (%v): %s", err, msg)
}

// loop advances the simulation while the host sends or the board is
// active, and waits for the host otherwise.
func (b *Board) loop() {
	defer close(b.done)
	var quiet int64 = b.opt.Tail // cycles since the last activity
	queued := 0
	for {
		b.mu.Lock()
		for !b.shut && len(b.rx) == 0 && queued == 0 && quiet >= b.opt.Tail {
			b.idle = true
			b.cond.Broadcast()
			b.cond.Wait()
		}
		b.idle = false
		if b.shut {
			b.mu.Unlock()
			return
		}
		send := b.rx
		b.rx = nil
		b.mu.Unlock()
		if len(send) > 0 {
			quiet = 0
		}
		tx, q, err := b.step(b.opt.Chunk, send)
		if err != nil {
			// not ErrPortGone: a simulator that stopped is a failure to report
			b.Fail(err)
			b.mu.Lock()
			b.err = err
			b.cond.Broadcast()
			b.mu.Unlock()
			return
		}
		queued = q
		if len(tx) > 0 || queued > 0 {
			quiet = 0
		} else {
			quiet += int64(b.opt.Chunk)
		}
		b.Put(tx)
	}
}

// Write queues bytes for the board's RX pin; they are sent back to back at
// 1 Mbaud in simulated time.
func (b *Board) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shut {
		return 0, fmt.Errorf("vhdlboard: %w", os.ErrClosed)
	}
	if b.err != nil {
		return 0, b.err
	}
	b.rx = append(b.rx, p...)
	b.cond.Broadcast()
	return len(p), nil
}

// WaitIdle blocks until the simulation has sent all host bytes, the board
// has been silent for Options.Tail cycles and nothing else is pending, or
// the simulation stopped (its error is returned).
func (b *Board) WaitIdle() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for !(b.idle && len(b.rx) == 0) && b.err == nil && !b.shut {
		b.cond.Wait()
	}
	return b.err
}

// Close ends the simulation.
func (b *Board) Close() error {
	b.mu.Lock()
	if b.shut {
		b.mu.Unlock()
		return nil
	}
	b.shut = true
	b.cond.Broadcast()
	b.mu.Unlock()
	b.Inbox.Close()
	// the loop finishes its command (at most one chunk) before it sees shut
	select {
	case <-b.done:
	case <-time.After(30 * time.Second):
	}
	b.quit()
	return nil
}

// String names the port in errors.
func (b *Board) String() string { return "vhdl-neurocorex" }

var _ driver.Port = (*Board)(nil)

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if t.buf.Len() > t.max {
		b := t.buf.Bytes()[t.buf.Len()-t.max:]
		t.buf.Reset()
		t.buf.Write(b)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.buf.String()
}
