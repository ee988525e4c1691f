package driver

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ncx-project/ncx/core"
)

// Options tune a Client. The zero value is usable.
type Options struct {
	// Name is the device name used in errors; default: the port's String
	// method, else "port".
	Name string
	// Window is the number of unacknowledged frames in flight (default 8,
	// never more than the board's window).
	Window int
	// Retries bounds how often one frame is resent before the board is
	// declared unresponsive (default 5).
	Retries int
	// Timeout is how long to wait for an answer beyond the time the line
	// needs to carry the outstanding bytes (default 250 ms).
	Timeout time.Duration
	// Baud is the line rate, used only to scale timeouts; 0 means fast.
	Baud int
	// MaxPayload caps frame payloads (default 1024, never more than the
	// board accepts).
	MaxPayload int
}

func (o Options) withDefaults() Options {
	if o.Window <= 0 {
		o.Window = 8
	}
	if o.Retries <= 0 {
		o.Retries = 5
	}
	if o.Timeout <= 0 {
		o.Timeout = 250 * time.Millisecond
	}
	if o.MaxPayload <= 0 {
		o.MaxPayload = 1024
	}
	o.MaxPayload = min(o.MaxPayload, MaxPayload)
	return o
}

// readPoll is how long the reader goroutine waits in one Read.
var readPoll = 20 * time.Millisecond

// Client is a host connection to one ncx-core board.
type Client struct {
	mu   sync.Mutex
	port Port
	name string
	opt  Options
	info Info
	prof core.Profile

	seq      uint8
	needSync bool

	resp   chan Frame
	events chan Frame

	dead     chan struct{}
	deadErr  error
	deadOnce sync.Once
	closing  chan struct{}
	closed   sync.Once
	readDone chan struct{}
}

// Open starts a client on p and identifies the board. It fails with
// ErrVersion if the board runs another core version or protocol.
func Open(p Port, opt *Options) (*Client, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	o = o.withDefaults()
	name := o.Name
	if name == "" {
		name = portName(p)
	}
	c := &Client{
		port: p, name: name, opt: o,
		resp:     make(chan Frame, 256),
		events:   make(chan Frame, 4096),
		dead:     make(chan struct{}),
		closing:  make(chan struct{}),
		readDone: make(chan struct{}),
		needSync: true,
	}
	if err := p.SetReadTimeout(readPoll); err != nil {
		return nil, c.errf("set read timeout: %w", err)
	}
	go c.readLoop()
	if _, err := c.Identify(); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// Close stops the reader and closes the port.
func (c *Client) Close() error {
	var err error
	c.closed.Do(func() {
		close(c.closing)
		err = c.port.Close()
		<-c.readDone
	})
	return err
}

// Info is what the board said when it was last identified.
func (c *Client) Info() Info { return c.info }

// Profile is the profile matching the board's widths.
func (c *Client) Profile() core.Profile { return c.prof }

func (c *Client) errf(format string, a ...any) error {
	return fmt.Errorf("driver: %s: "+format, append([]any{c.name}, a...)...)
}

func (c *Client) fail(err error) {
	c.deadOnce.Do(func() {
		c.deadErr = err
		close(c.dead)
	})
}

func (c *Client) goneErr() error {
	select {
	case <-c.closing:
		return c.errf("%w: client closed", ErrPortGone)
	default:
	}
	return c.errf("%w: %v", ErrPortGone, c.deadErr)
}

func (c *Client) readLoop() {
	defer close(c.readDone)
	buf := make([]byte, 16384)
	var d Decoder
	quiet := 0
	for {
		n, err := c.port.Read(buf)
		select {
		case <-c.closing:
			c.fail(errors.New("closed"))
			return
		default:
		}
		if err != nil {
			c.fail(err)
			return
		}
		if n == 0 {
			quiet++
			if quiet >= 2 {
				for d.Pending() > 0 {
					d.Idle()
					c.drain(&d)
				}
			}
			continue
		}
		quiet = 0
		d.Feed(buf[:n])
		c.drain(&d)
	}
}

func (c *Client) drain(d *Decoder) {
	for {
		f, ok, _ := d.Next()
		if !ok {
			return
		}
		ch := c.resp
		if f.Cmd == CmdOut || f.Cmd == CmdDone {
			ch = c.events
		}
		select {
		case ch <- f:
		default: // a full queue loses the frame; retries and READ_OUT recover
		}
	}
}

func flush(ch chan Frame) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// sent is a frame in flight.
type sent struct {
	seq, cmd uint8
	raw      []byte
}

// txn describes one windowed exchange for run.
type txn struct {
	// next returns the next frame to send; ok false means nothing now.
	next func() (cmd uint8, payload []byte, ok bool)
	// done reports that the exchange may end once nothing is in flight.
	done func() bool
	// reply handles a reply frame (INFO, DATA, STATUS_REPLY, OUT_REPLY) to req.
	reply func(req uint8, f Frame) error
	// event handles an OUT or DONE frame.
	event func(f Frame) error
	// idle is called when nothing is in flight and nothing arrived for a
	// while; it may make next return something.
	idle   func() error
	window int
}

func (c *Client) timeoutFor(bytes int) time.Duration {
	t := c.opt.Timeout
	if c.opt.Baud > 0 {
		t += time.Duration(int64(bytes+64) * 10 * int64(time.Second) / int64(c.opt.Baud))
	}
	return t
}

// run performs an exchange with go-back-N retransmission: ACKs are
// cumulative; a NAK naming the frame the board expects makes the host resend
// from there; a timeout resends everything in flight. One frame resent more
// than Retries times fails the exchange.
func (c *Client) run(t *txn) error {
	select {
	case <-c.dead:
		return c.goneErr()
	default:
	}
	var out []sent
	flying := 0
	tries := 0 // resends of out[0]
	busyUntil := time.Time{}
	last := time.Now()
	window := max(1, t.window)
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	write := func(b []byte) error {
		if _, err := c.port.Write(b); err != nil {
			c.fail(err)
			return c.goneErr()
		}
		return nil
	}
	resend := func() error {
		for _, s := range out {
			if err := write(s.raw); err != nil {
				return err
			}
		}
		last = time.Now()
		return nil
	}
	ackThrough := func(i int) { // drop out[0..i]
		for _, s := range out[:i+1] {
			flying -= len(s.raw)
		}
		out = out[i+1:]
		tries = 0
		last = time.Now()
	}
	find := func(seq uint8) int {
		for i, s := range out {
			if s.seq == seq {
				return i
			}
		}
		return -1
	}
	for {
		for len(out) < window && time.Now().After(busyUntil) {
			cmd, pl, ok := t.next()
			if !ok {
				break
			}
			s := sent{seq: c.seq, cmd: cmd, raw: AppendFrame(nil, c.seq, cmd, pl)}
			c.seq++
			if err := write(s.raw); err != nil {
				return err
			}
			out = append(out, s)
			flying += len(s.raw)
			last = time.Now()
		}
		if len(out) == 0 && t.done() {
			return nil
		}
		wait := time.Until(last.Add(c.timeoutFor(flying)))
		if !busyUntil.IsZero() && time.Until(busyUntil) > 0 {
			wait = min(wait, time.Until(busyUntil))
		}
		timer.Reset(max(wait, 0))
		select {
		case <-c.dead:
			return c.goneErr()
		case ev := <-c.events:
			if t.event != nil {
				if err := t.event(ev); err != nil {
					return err
				}
			}
			if len(out) == 0 {
				last = time.Now()
			}
		case f := <-c.resp:
			switch f.Cmd {
			case CmdAck:
				if i := find(f.Seq); i >= 0 {
					ackThrough(i)
				}
			case CmdNak:
				nk, err := DecodeNak(f.Payload)
				if err != nil {
					continue
				}
				switch nk.Reason {
				case NakCRC, NakOrder:
					j := find(nk.Expect)
					if j < 0 {
						if nk.Expect == c.seq && len(out) > 0 {
							ackThrough(len(out) - 1)
						}
						continue
					}
					if j > 0 {
						ackThrough(j - 1)
					}
					tries++
					if tries > c.opt.Retries {
						c.needSync = true
						return c.errf("%w: %s (seq %d) still rejected (%s) after %d retries", ErrTimeout, CmdName(out[0].cmd), out[0].seq, NakName(nk.Reason), c.opt.Retries)
					}
					if err := resend(); err != nil {
						return err
					}
				case NakNoSpace:
					i := find(f.Seq)
					if i < 0 {
						continue
					}
					if i > 0 {
						ackThrough(i - 1)
					}
					busyUntil = time.Now().Add(2 * time.Millisecond)
					// the board drops what follows until it sees this seq again
					for {
						select {
						case ev := <-c.events:
							if t.event != nil {
								if err := t.event(ev); err != nil {
									return err
								}
							}
							continue
						case <-time.After(time.Until(busyUntil)):
						}
						break
					}
					busyUntil = time.Time{}
					if err := resend(); err != nil {
						return err
					}
				default:
					i := find(f.Seq)
					if i < 0 {
						continue
					}
					c.needSync = true
					msg := NakName(nk.Reason)
					if nk.Msg != "" {
						msg += ": " + nk.Msg
					}
					return c.errf("%w: %s: %s", ErrRefused, CmdName(out[i].cmd), msg)
				}
			default: // a reply
				i := find(f.Seq)
				if i < 0 || !IsQuery(out[i].cmd) {
					continue
				}
				if t.reply == nil {
					return c.errf("%w: unexpected %s", ErrProtocol, CmdName(f.Cmd))
				}
				if err := t.reply(out[i].cmd, f); err != nil {
					c.needSync = true
					return err
				}
				flying -= len(out[i].raw)
				out = append(out[:i], out[i+1:]...)
				if i == 0 {
					tries = 0
				}
				last = time.Now()
			}
		case <-timer.C:
			if len(out) == 0 {
				if t.idle != nil {
					if err := t.idle(); err != nil {
						return err
					}
				}
				last = time.Now()
				continue
			}
			tries++
			if tries > c.opt.Retries {
				c.needSync = true
				return c.errf("%w: no answer to %s (seq %d) after %d retries of %v", ErrTimeout, CmdName(out[0].cmd), out[0].seq, c.opt.Retries, c.timeoutFor(flying))
			}
			if err := resend(); err != nil {
				return err
			}
		}
	}
}

// one builds a txn that sends frames from a fixed list.
func (c *Client) list(frames [][2]any, window int, reply func(req uint8, f Frame) error) *txn {
	i := 0
	return &txn{
		next: func() (uint8, []byte, bool) {
			if i >= len(frames) {
				return 0, nil, false
			}
			f := frames[i]
			i++
			return f[0].(uint8), f[1].([]byte), true
		},
		done:   func() bool { return i >= len(frames) },
		reply:  reply,
		window: window,
	}
}

// query sends one query and returns its reply, which must have cmd want.
func (c *Client) query(cmd uint8, payload []byte, want uint8) (Frame, error) {
	var got Frame
	t := c.list([][2]any{{cmd, payload}}, 1, func(_ uint8, f Frame) error {
		if f.Cmd != want {
			return c.errf("%w: %s answered with %s", ErrProtocol, CmdName(cmd), CmdName(f.Cmd))
		}
		got = f
		return nil
	})
	return got, c.run(t)
}

func (c *Client) begin() error {
	flush(c.resp)
	if c.needSync {
		return c.identify()
	}
	return nil
}

// Identify asks the board what it is. It also resynchronises the sequence
// numbers, so it is the way to recover after an error.
func (c *Client) Identify() (Info, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	flush(c.resp)
	err := c.identify()
	return c.info, err
}

func (c *Client) identify() error {
	f, err := c.query(CmdIdentify, []byte{ProtocolVersion}, CmdInfo)
	if err != nil {
		return err
	}
	in, err := DecodeInfo(f.Payload)
	if err != nil {
		return c.errf("%w", err)
	}
	if in.Protocol < MinProtocol || in.Protocol > ProtocolVersion {
		return c.errf("%w: board speaks protocol %d, this ncx speaks %d..%d", ErrVersion, in.Protocol, MinProtocol, ProtocolVersion)
	}
	if in.CoreVersion != core.CoreVersion {
		return c.errf("%w: board runs ncx-core version %d, this ncx implements version %d", ErrVersion, in.CoreVersion, core.CoreVersion)
	}
	c.info = in
	c.prof = in.Profile()
	if err := c.prof.Validate(); err != nil {
		return c.errf("%w: board reports %v", ErrProtocol, err)
	}
	c.needSync = false
	return nil
}

func (c *Client) window() int  { return max(1, min(c.opt.Window, int(c.info.Window))) }
func (c *Client) payload() int { return max(64, min(c.opt.MaxPayload, int(c.info.MaxPayload))) }

// Reset stops any run and clears every memory, num_neurons and the board's
// counters.
func (c *Client) Reset() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return err
	}
	return c.run(c.list([][2]any{{uint8(CmdReset), []byte{}}}, 1, nil))
}

// Status returns the board's counters.
func (c *Client) Status() (Status, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return Status{}, err
	}
	f, err := c.query(CmdStatus, nil, CmdStatusReply)
	if err != nil {
		return Status{}, err
	}
	s, err := DecodeStatus(f.Payload)
	if err != nil {
		return s, c.errf("%w", err)
	}
	return s, nil
}

// SetNumNeurons sets the num_neurons register.
func (c *Client) SetNumNeurons(n int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return err
	}
	if n < 1 || n > c.prof.Neurons() {
		return c.errf("num_neurons %d outside 1..%d", n, c.prof.Neurons())
	}
	var b [4]byte
	b[0], b[1], b[2], b[3] = byte(n), byte(n>>8), byte(n>>16), byte(n>>24)
	return c.run(c.list([][2]any{{uint8(CmdSetNumNeurons), b[:]}}, 1, nil))
}
