// Package drivertest holds fakes of driver.Port for tests: Playback replays
// a byte script and fails on any byte the code under test writes that the
// script does not expect; Record wraps a real port and logs a session as a
// script that Playback can replay.
//
// A script is a list of IO steps: the bytes the host writes (W), then the
// bytes the device answers (R). Writes may arrive in any number of Write
// calls; the answer becomes readable once all of W has been written.
package drivertest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"
)

// IO is one step of a script.
type IO struct {
	W []byte // what the host must write
	R []byte // what the device answers afterwards
}

// Playback is a driver.Port that replays a script.
type Playback struct {
	Ops []IO
	// Playback never panics: mismatches are returned by Write and by Close.
	mu      sync.Mutex
	op      int    // current step
	wpos    int    // bytes of Ops[op].W matched
	rbuf    []byte // answer bytes not yet read
	err     error
	timeout time.Duration
	closed  bool
	wake    chan struct{}
}

func (p *Playback) init() {
	if p.wake != nil {
		return
	}
	p.wake = make(chan struct{}, 1)
	// leading steps without W answer at once (device output before any write)
	for p.op < len(p.Ops) && len(p.Ops[p.op].W) == 0 {
		p.rbuf = append(p.rbuf, p.Ops[p.op].R...)
		p.op++
	}
}

// Write checks b against the script.
func (p *Playback) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.init()
	if p.err != nil {
		return 0, p.err
	}
	if p.closed {
		return 0, fmt.Errorf("drivertest: write after close")
	}
	for i, c := range b {
		for p.op < len(p.Ops) && p.wpos >= len(p.Ops[p.op].W) {
			p.next()
		}
		if p.op >= len(p.Ops) {
			p.err = fmt.Errorf("drivertest: write of % x past the end of the %d-step script", b[i:], len(p.Ops))
			return i, p.err
		}
		want := p.Ops[p.op].W
		if want[p.wpos] != c {
			p.err = fmt.Errorf("drivertest: step %d byte %d: wrote 0x%02x, script expects 0x%02x (context % x)", p.op, p.wpos, c, want[p.wpos], window(want, p.wpos))
			return i, p.err
		}
		p.wpos++
		if p.wpos == len(want) {
			p.rbuf = append(p.rbuf, p.Ops[p.op].R...)
			p.next()
			select {
			case p.wake <- struct{}{}:
			default:
			}
		}
	}
	return len(b), nil
}

func window(b []byte, i int) []byte { return b[max(0, i-4):min(len(b), i+5)] }

func (p *Playback) next() {
	p.op++
	p.wpos = 0
	// steps without W answer at once (unsolicited device output)
	for p.op < len(p.Ops) && len(p.Ops[p.op].W) == 0 {
		p.rbuf = append(p.rbuf, p.Ops[p.op].R...)
		p.op++
	}
}

// Read returns scripted answers; with nothing to return it waits for the
// read timeout and returns (0, nil).
func (p *Playback) Read(b []byte) (int, error) {
	p.mu.Lock()
	p.init()
	if p.closed {
		p.mu.Unlock()
		return 0, fmt.Errorf("drivertest: read after close")
	}
	if len(p.rbuf) == 0 {
		t := p.timeout
		p.mu.Unlock()
		if t <= 0 {
			t = 10 * time.Millisecond
		}
		select {
		case <-p.wake:
		case <-time.After(t):
		}
		p.mu.Lock()
	}
	n := copy(b, p.rbuf)
	p.rbuf = p.rbuf[n:]
	p.mu.Unlock()
	return n, nil
}

// SetReadTimeout sets how long Read waits.
func (p *Playback) SetReadTimeout(d time.Duration) error {
	p.mu.Lock()
	p.timeout = d
	p.mu.Unlock()
	return nil
}

// Close checks that the whole script was used and every answer read.
func (p *Playback) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	if p.err != nil {
		return p.err
	}
	if p.op < len(p.Ops) {
		return fmt.Errorf("drivertest: script stopped at step %d of %d after %d of %d bytes", p.op, len(p.Ops), p.wpos, len(p.Ops[p.op].W))
	}
	if len(p.rbuf) != 0 {
		return fmt.Errorf("drivertest: %d answer bytes never read", len(p.rbuf))
	}
	return nil
}

func (p *Playback) String() string { return "playback" }

// Port is what Record wraps (driver.Port, restated to avoid an import cycle
// with driver's own tests).
type Port interface {
	Read([]byte) (int, error)
	Write([]byte) (int, error)
	SetReadTimeout(time.Duration) error
	Close() error
}

// Record wraps a port and logs every byte written and read as a script.
type Record struct {
	Port Port
	mu   sync.Mutex
	Ops  []IO
}

func (r *Record) Write(b []byte) (int, error) {
	n, err := r.Port.Write(b)
	r.mu.Lock()
	if len(r.Ops) == 0 || len(r.Ops[len(r.Ops)-1].R) != 0 {
		r.Ops = append(r.Ops, IO{})
	}
	last := &r.Ops[len(r.Ops)-1]
	last.W = append(last.W, b[:n]...)
	r.mu.Unlock()
	return n, err
}

func (r *Record) Read(b []byte) (int, error) {
	n, err := r.Port.Read(b)
	if n > 0 {
		r.mu.Lock()
		if len(r.Ops) == 0 {
			r.Ops = append(r.Ops, IO{})
		}
		last := &r.Ops[len(r.Ops)-1]
		last.R = append(last.R, b[:n]...)
		r.mu.Unlock()
	}
	return n, err
}

// SetReadTimeout forwards to the wrapped port.
func (r *Record) SetReadTimeout(d time.Duration) error { return r.Port.SetReadTimeout(d) }

// Close closes the wrapped port.
func (r *Record) Close() error { return r.Port.Close() }

// Script returns the recorded session.
func (r *Record) Script() []IO {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]IO, len(r.Ops))
	copy(out, r.Ops)
	return out
}

// GoString renders a script as Go source for a test fixture.
func GoString(ops []IO) string {
	var b strings.Builder
	b.WriteString("[]drivertest.IO{\n")
	hex := func(x []byte) string {
		var s bytes.Buffer
		for i, c := range x {
			if i > 0 {
				s.WriteString(", ")
			}
			fmt.Fprintf(&s, "0x%02x", c)
		}
		return s.String()
	}
	for _, op := range ops {
		fmt.Fprintf(&b, "\t{W: []byte{%s}, R: []byte{%s}},\n", hex(op.W), hex(op.R))
	}
	b.WriteString("}")
	return b.String()
}
