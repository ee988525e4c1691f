package driver

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
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
	// Retries bounds how often one frame is resent before the exchange
	// fails (default 16); on a fast line, where waits are short, a frame
	// is resent until 4·Timeout have passed since it was first sent if that
	// allows more. The first three sends wait T each, later ones 2T (T:
	// the current timeout plus line time; at least 50 ms now and then, see
	// IdleGap), so a frame is given up after at most about
	// max(4·Timeout, (3+2·(Retries-2))·T) plus the idle gaps.
	Retries int
	// Timeout is the longest wait for an answer beyond the time the line
	// needs to carry the outstanding bytes (default 250 ms). Once answers
	// have been timed, the client waits the smoothed round trip plus two
	// deviations instead (at least MinTimeout), after RFC 6298, so
	// a lost frame on a fast line costs milliseconds, not Timeout.
	Timeout time.Duration
	// MinTimeout is the shortest wait the round-trip estimate may give
	// (default 5 ms, about a USB-UART bridge's latency).
	MinTimeout time.Duration
	// OpRetries bounds how often a memory write or read that failed (board
	// did not answer, or the read data failed the end-to-end check) is
	// resumed after resynchronising with IDENTIFY (default 8).
	OpRetries int
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
		o.Retries = 16
	}
	if o.OpRetries <= 0 {
		o.OpRetries = 8
	}
	if o.Timeout <= 0 {
		o.Timeout = 250 * time.Millisecond
	}
	if o.MinTimeout <= 0 {
		o.MinTimeout = 5 * time.Millisecond
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
	// wide is set once the board advertised core.FeatCRC32: frames are sent
	// CRC-32C framed and CRC-16 frames from the board are ignored.
	wide atomic.Bool
	// limit is the payload size new frames are cut to: startPayload at
	// first, halved whenever a frame has to be resent, doubled after
	// growAfter frames went through first time, so frames shrink to what a
	// noisy line still carries and grow back on a clean one.
	limit  int
	streak int
	// cwnd is how many frames may be in flight now: 1 after a resend (a
	// go-back-N window on a noisy line mostly carries frames the board will
	// drop), doubled with limit up to the window.
	cwnd int
	// srtt and rttvar estimate the round trip of a frame and its answer
	// from frames answered first time (Karn's rule); 0 until measured.
	srtt, rttvar time.Duration

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
	// the first IDENTIFY goes out before any round trip is known; on a
	// noisy line it gets the same patience as a memory read
	c.mu.Lock()
	err := c.idem(func() error { flush(c.resp); return c.identify() })
	c.mu.Unlock()
	if err != nil {
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
		if c.wide.Load() && !f.Wide {
			continue // a CRC-16 frame is no longer trusted once both sides speak CRC-32C
		}
		ch := c.resp
		if f.Cmd == core.CmdOut || f.Cmd == core.CmdDone {
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
	payload  []byte
	raw      []byte
	retried  bool
	at       time.Time // first sent
	lastAt   time.Time // last sent
	cut      int       // the payload limit when the frame was made
}

// errStale is returned by a txn's reply function for a reply that carries a
// frame's seq but does not answer it (a late answer to an older frame with
// the same seq): run ignores the reply and keeps waiting.
var errStale = errors.New("stale reply")

// minPayload is the smallest payload limit frames shrink to: with 10 bytes
// of CRC-32C framing, 16-byte payloads carry the most data per byte sent
// when about 3 % of the bytes are hit.
const minPayload = 16

// startPayload is the payload limit of a new client's frames.
const startPayload = 128

// growAfter is how many frames must go through first time before the payload
// limit doubles again.
const growAfter = 8

// txn describes one windowed exchange for run.
type txn struct {
	// next returns the next frame to send; ok false means nothing now.
	next func() (cmd uint8, payload []byte, ok bool)
	// done reports that the exchange may end once nothing is in flight.
	done func() bool
	// reply handles a reply frame (INFO, DATA, STATUS_REPLY, OUT_REPLY, SUM)
	// to the query req; errStale drops the reply.
	reply func(req sent, f Frame) error
	// acked is told about every non-query frame the board acknowledged, in
	// the order they were sent.
	acked func(s sent)
	// event handles an OUT or DONE frame.
	event func(f Frame) error
	// idle is called when nothing is in flight and nothing arrived for a
	// while; it may make next return something.
	idle   func() error
	window int
	// recut marks an exchange that can be abandoned and started again with
	// shorter frames (memory reads and writes): after recutAfter resends of
	// one frame, run gives up with errRecut instead of resending frames the
	// line is unlikely to carry.
	recut bool
}

// IdleGap is how long the line must stay quiet for a receiver to give up on
// a partial frame: two read periods of 20 ms, and a margin.
const IdleGap = 50 * time.Millisecond

// recutAfter is how many resends of one frame a recut exchange tries.
const recutAfter = 3

// errRecut ends a recut exchange whose frames are too long for the line.
var errRecut = errors.New("frames too long for the line")

func (c *Client) timeoutFor(bytes int) time.Duration {
	t := c.opt.Timeout
	if c.srtt > 0 {
		t = min(t, max(c.opt.MinTimeout, c.srtt+2*c.rttvar))
	}
	if c.opt.Baud > 0 {
		t += time.Duration(int64(bytes+64) * 10 * int64(time.Second) / int64(c.opt.Baud))
	}
	return t
}

// retried notes that a frame had to be resent: new frames get shorter.
func (c *Client) retried() {
	c.streak = 0
	c.limit = max(minPayload, c.limit/2)
	c.cwnd = 1
}

// sample folds the round trip of a frame answered first time into the
// estimate (RFC 6298 gains: 1/8 for the mean, 1/4 for the deviation).
func (c *Client) sample(rtt time.Duration) {
	if c.srtt == 0 {
		c.srtt, c.rttvar = rtt, rtt/2
		return
	}
	d := c.srtt - rtt
	if d < 0 {
		d = -d
	}
	c.rttvar += (d - c.rttvar) / 4
	c.srtt += (rtt - c.srtt) / 8
}

// through notes a frame that went through first time.
func (c *Client) through() {
	if c.streak++; c.streak >= growAfter {
		c.streak = 0
		c.limit = min(2*c.limit, c.opt.MaxPayload)
		c.cwnd = min(2*c.cwnd, 1<<10)
	}
}

// run performs an exchange with go-back-N retransmission: ACKs are
// cumulative for commands; a query stays in flight until its own reply
// arrives (an ACK or NAK that moves past it only says the board received it,
// and its reply may still be lost). A NAK naming the frame the board expects
// makes the host resend from there; a timeout resends everything in flight,
// waiting longer each time (up to four timeouts). One frame resent more than
// Retries times fails the exchange.
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
		c.retried()
		for k := range out {
			out[k].retried = true
			out[k].lastAt = time.Now()
			if err := write(out[k].raw); err != nil {
				return err
			}
		}
		last = time.Now()
		return nil
	}
	finished := func(s sent) {
		switch {
		case !s.retried:
			c.through()
			c.sample(time.Since(s.at))
		case c.srtt == 0:
			// no clean sample yet (the line may be too noisy for one): the
			// time since the last send bounds the round trip well enough to
			// leave the 250 ms default behind
			c.sample(time.Since(s.lastAt))
		}
	}
	// ackThrough drops the commands among out[0..i]; queries stay until
	// their replies come.
	ackThrough := func(i int) {
		keep := out[:0:0]
		for k, s := range out {
			if k > i || IsQuery(s.cmd) {
				keep = append(keep, s)
				continue
			}
			flying -= len(s.raw)
			finished(s)
			if t.acked != nil {
				t.acked(s)
			}
		}
		if len(keep) == 0 || len(out) == 0 || keep[0].seq != out[0].seq {
			tries = 0
		}
		out = keep
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
	backoff := func() time.Duration {
		t := c.timeoutFor(flying)
		switch {
		case c.srtt == 0:
			return t // Timeout is already the cautious guess
		case tries >= 2 && !c.wide.Load() || tries%16 == 15:
			// leave the line quiet long enough for the board's receiver to
			// drop a frame whose corrupted length promised bytes that will
			// never come (protocol.md section 2): from the third send of a
			// CRC-16 frame on, and every sixteenth send of a CRC-32C frame,
			// whose checked header makes that rare
			return max(4*t, IdleGap)
		}
		return t * time.Duration(1+min(tries/3, 1))
	}
	for {
		for len(out) < min(window, max(c.cwnd, 1)) && time.Now().After(busyUntil) {
			cmd, pl, ok := t.next()
			if !ok {
				break
			}
			s := sent{seq: c.seq, cmd: cmd, payload: pl, raw: AppendFrameAs(nil, c.wide.Load(), c.seq, cmd, pl), at: time.Now()}
			s.lastAt, s.cut = s.at, c.payload()
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
		wait := time.Until(last.Add(backoff()))
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
			case core.CmdAck:
				if i := find(f.Seq); i >= 0 && !IsQuery(out[i].cmd) {
					ackThrough(i)
				}
			case core.CmdNak:
				nk, err := DecodeNak(f.Payload)
				if err != nil {
					continue
				}
				switch nk.Reason {
				case core.NakCRC, core.NakOrder:
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
					if err := c.giveUp(t, tries, out[0]); err != nil {
						return err
					}
					if err := resend(); err != nil {
						return err
					}
				case core.NakNoSpace:
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
					for k := range out {
						if err := write(out[k].raw); err != nil {
							return err
						}
					}
					last = time.Now()
				default:
					i := find(f.Seq)
					if i < 0 {
						continue
					}
					c.needSync = true
					msg := core.NakText(nk.Reason)
					if nk.Msg != "" {
						msg += ": " + nk.Msg
					}
					return c.errf("%w: %s: %s", ErrRefused, core.CmdName(out[i].cmd), msg)
				}
			default: // a reply
				i := find(f.Seq)
				if i < 0 || !IsQuery(out[i].cmd) {
					continue
				}
				if t.reply == nil {
					return c.errf("%w: unexpected %s", ErrProtocol, core.CmdName(f.Cmd))
				}
				if err := t.reply(out[i], f); errors.Is(err, errStale) {
					continue
				} else if err != nil {
					c.needSync = true
					return err
				}
				flying -= len(out[i].raw)
				finished(out[i])
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
			if err := c.giveUp(t, tries, out[0]); err != nil {
				return err
			}
			if err := resend(); err != nil {
				return err
			}
		}
	}
}

// giveUp decides whether an exchange whose oldest frame s has been resent
// tries times ends: Retries is the limit, recutAfter for a recut exchange
// whose frames can still get shorter.
func (c *Client) giveUp(t *txn, tries int, s sent) error {
	if t.recut && tries > recutAfter && c.payload() < s.cut {
		c.needSync = true
		return errRecut
	}
	// a frame gets Retries resends, and on a fast line (short waits) as
	// many more as fit in 4·Timeout since it was first sent
	if tries > c.opt.Retries && (c.srtt == 0 || time.Since(s.at) > 4*c.opt.Timeout) {
		c.needSync = true
		return c.errf("%w: no answer to %s (seq %d) after %d retries in %v", ErrTimeout, core.CmdName(s.cmd), s.seq, tries-1, time.Since(s.at).Round(time.Millisecond))
	}
	return nil
}

// one builds a txn that sends frames from a fixed list.
func (c *Client) list(frames [][2]any, window int, reply func(req sent, f Frame) error) *txn {
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
	t := c.list([][2]any{{cmd, payload}}, 1, func(_ sent, f Frame) error {
		if f.Cmd != want {
			return errStale // a late answer to an older frame with this seq
		}
		got = f
		return nil
	})
	return got, c.run(t)
}

func (c *Client) begin() error {
	flush(c.resp)
	if c.needSync {
		return c.resync()
	}
	return nil
}

// resync identifies the board again after a failed exchange. The sequence
// number jumps by half its range first, so that late answers to the frames
// of the failed exchange, still on the line or in the board, carry seqs far
// from the ones in use for a long while and cannot be taken for answers to
// new frames.
func (c *Client) resync() error {
	flush(c.resp)
	c.seq += 128
	return c.identify()
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
	f, err := c.query(core.CmdIdentify, []byte{core.ProtocolVersion}, core.CmdInfo)
	if err != nil {
		return err
	}
	in, err := DecodeInfo(f.Payload)
	if err != nil {
		return c.errf("%w", err)
	}
	if in.Protocol < core.MinProtocol || in.Protocol > core.ProtocolVersion {
		return c.errf("%w: board speaks protocol %d, this ncx speaks %d..%d", ErrVersion, in.Protocol, core.MinProtocol, core.ProtocolVersion)
	}
	if in.CoreVersion != core.CoreVersion {
		return c.errf("%w: board runs ncx-core version %d, this ncx implements version %d", ErrVersion, in.CoreVersion, core.CoreVersion)
	}
	c.info = in
	c.prof = in.Profile()
	c.wide.Store(in.Protocol >= 3 && in.Has(core.FeatCRC32))
	if c.limit == 0 {
		// slow start: the line's quality is unknown, and frames that are not
		// memory reads or writes (a run's input) cannot be cut again
		c.limit = min(startPayload, c.opt.MaxPayload)
		c.cwnd = c.opt.Window
	}
	if err := c.prof.Validate(); err != nil {
		return c.errf("%w: board reports %v", ErrProtocol, err)
	}
	c.needSync = false
	return nil
}

func (c *Client) window() int { return max(1, min(c.opt.Window, int(c.info.Window))) }
func (c *Client) payload() int {
	return max(minPayload, min(c.limit, c.opt.MaxPayload, int(c.info.MaxPayload)))
}

// Reset stops any run and clears every memory, num_neurons and the board's
// counters.
func (c *Client) Reset() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return err
	}
	return c.run(c.list([][2]any{{uint8(core.CmdReset), []byte{}}}, 1, nil))
}

// Status returns the board's counters.
func (c *Client) Status() (Status, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return Status{}, err
	}
	f, err := c.query(core.CmdStatus, nil, core.CmdStatusReply)
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
	return c.run(c.list([][2]any{{uint8(core.CmdSetNumNeurons), b[:]}}, 1, nil))
}
