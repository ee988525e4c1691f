package sim

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/ncx-project/ncx/driver"
)

// ErrVanished is what both ends of a Link return after Vanish. It wraps
// driver.ErrPortGone, so users of a port need not know this package.
var ErrVanished = fmt.Errorf("sim: link vanished (device unplugged): %w", driver.ErrPortGone)

// Faults are per-byte fault probabilities on one direction of a line.
type Faults struct {
	Drop    float64 // the byte is lost
	Dup     float64 // the byte arrives twice
	Corrupt float64 // one bit of the byte flips
	// Stall is the probability, per byte, that the line stops for StallFor
	// (default 100 ms) before the byte, as a USB bridge or an overloaded
	// host does.
	Stall    float64
	StallFor time.Duration
}

// Any reports whether f injects any fault.
func (f Faults) Any() bool { return f.Drop > 0 || f.Dup > 0 || f.Corrupt > 0 || f.Stall > 0 }

// apply returns what arrives when b is sent through f, and how long the line
// stalls on the way.
func (f Faults) apply(rng *rand.Rand, b []byte) ([]byte, time.Duration) {
	if !f.Any() {
		return append([]byte(nil), b...), 0
	}
	var stall time.Duration
	data := make([]byte, 0, len(b)+8)
	for _, c := range b {
		if f.Stall > 0 && rng.Float64() < f.Stall {
			stall += cmp.Or(f.StallFor, 100*time.Millisecond)
		}
		if rng.Float64() < f.Drop {
			continue
		}
		if rng.Float64() < f.Corrupt {
			c ^= 1 << rng.IntN(8)
		}
		data = append(data, c)
		if rng.Float64() < f.Dup {
			data = append(data, c)
		}
	}
	return data, stall
}

// LinkConfig describes a Link.
type LinkConfig struct {
	// Baud throttles each direction to Baud/10 bytes per second (8N1).
	// 0 means as fast as memory.
	Baud int
	// TxBuffer is how many bytes a writer may queue ahead of the line
	// before Write blocks, like a UART driver's buffer (default 4096).
	TxBuffer int
	// ToBoard and ToHost inject faults in each direction.
	ToBoard, ToHost Faults
	Seed            uint64
}

// Link is an in-process full-duplex serial line with two ends.
type Link struct {
	toBoard, toHost *pipe
	Host, Board     *End
}

// NewLink returns a connected pair of ends: Host for the client, Board for
// the simulated board.
func NewLink(cfg LinkConfig) *Link {
	if cfg.TxBuffer <= 0 {
		cfg.TxBuffer = 4096
	}
	mk := func(f Faults, seed uint64) *pipe {
		return &pipe{baud: cfg.Baud, txBuf: cfg.TxBuffer, faults: f, rng: rand.New(rand.NewPCG(cfg.Seed, seed)), notify: make(chan struct{}, 1)}
	}
	l := &Link{toBoard: mk(cfg.ToBoard, 1), toHost: mk(cfg.ToHost, 2)}
	l.Host = &End{in: l.toHost, out: l.toBoard, name: "sim-link-host", timeout: time.Second}
	l.Board = &End{in: l.toBoard, out: l.toHost, name: "sim-link-board", timeout: time.Second}
	return l
}

// Mute drops everything the board sends: a board that stops answering.
func (l *Link) Mute(on bool) { l.toHost.setMute(on) }

// Vanish makes every Read and Write on both ends fail, as when a USB serial
// adapter is unplugged.
func (l *Link) Vanish() {
	l.toBoard.setErr(ErrVanished)
	l.toHost.setErr(ErrVanished)
}

// SetFaults changes the fault rates of both directions.
func (l *Link) SetFaults(toBoard, toHost Faults) {
	l.toBoard.setFaults(toBoard)
	l.toHost.setFaults(toHost)
}

// Bytes returns how many bytes have entered the line in each direction.
func (l *Link) Bytes() (toBoard, toHost int64) {
	return l.toBoard.count(), l.toHost.count()
}

type chunk struct {
	data []byte
	at   time.Time // when its last byte has crossed the line
}

type pipe struct {
	mu       sync.Mutex
	chunks   []chunk
	lineFree time.Time
	baud     int
	txBuf    int
	faults   Faults
	rng      *rand.Rand
	mute     bool
	err      error
	sent     int64
	notify   chan struct{}
}

func (p *pipe) setMute(on bool) { p.mu.Lock(); p.mute = on; p.mu.Unlock() }
func (p *pipe) setFaults(f Faults) {
	p.mu.Lock()
	p.faults = f
	p.mu.Unlock()
}
func (p *pipe) count() int64 { p.mu.Lock(); defer p.mu.Unlock(); return p.sent }
func (p *pipe) setErr(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.wake()
}

func (p *pipe) wake() {
	select {
	case p.notify <- struct{}{}:
	default:
	}
}

func (p *pipe) byteTime(n int) time.Duration {
	if p.baud <= 0 {
		return 0
	}
	return time.Duration(int64(n) * 10 * int64(time.Second) / int64(p.baud))
}

func (p *pipe) write(b []byte) (int, error) {
	p.mu.Lock()
	if p.err != nil {
		p.mu.Unlock()
		return 0, p.err
	}
	if p.mute {
		p.mu.Unlock()
		return len(b), nil
	}
	data, stall := p.faults.apply(p.rng, b)
	if stall > 0 {
		if now := time.Now(); p.lineFree.Before(now) {
			p.lineFree = now
		}
		p.lineFree = p.lineFree.Add(stall)
	}
	now := time.Now()
	for len(data) > 0 {
		n := min(len(data), 64)
		start := p.lineFree
		if start.Before(now) {
			start = now
		}
		p.lineFree = start.Add(p.byteTime(n))
		p.chunks = append(p.chunks, chunk{data: data[:n], at: p.lineFree})
		data = data[n:]
	}
	p.sent += int64(len(b))
	ahead := time.Until(p.lineFree) - p.byteTime(p.txBuf)
	p.mu.Unlock()
	p.wake()
	if ahead > 0 {
		time.Sleep(ahead)
	}
	return len(b), nil
}

func (p *pipe) read(b []byte, timeout time.Duration) (int, error) {
	deadline := time.Now().Add(timeout)
	for {
		p.mu.Lock()
		if p.err != nil {
			p.mu.Unlock()
			return 0, p.err
		}
		wait := time.Until(deadline)
		if len(p.chunks) > 0 {
			now := time.Now()
			n := 0
			for len(p.chunks) > 0 && !p.chunks[0].at.After(now) && n < len(b) {
				c := &p.chunks[0]
				k := copy(b[n:], c.data)
				n += k
				c.data = c.data[k:]
				if len(c.data) == 0 {
					p.chunks = p.chunks[1:]
				}
			}
			if n > 0 {
				p.mu.Unlock()
				return n, nil
			}
			wait = min(wait, time.Until(p.chunks[0].at))
		}
		p.mu.Unlock()
		if time.Until(deadline) <= 0 {
			return 0, nil
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-p.notify:
		case <-t.C:
		}
		t.Stop()
	}
}

// End is one end of a Link; it implements driver.Port.
type End struct {
	in, out *pipe
	name    string
	mu      sync.Mutex
	timeout time.Duration
	closed  bool
}

func (e *End) Read(b []byte) (int, error) {
	e.mu.Lock()
	t := e.timeout
	e.mu.Unlock()
	return e.in.read(b, t)
}

func (e *End) Write(b []byte) (int, error) { return e.out.write(b) }

// SetReadTimeout sets how long Read waits for a byte.
func (e *End) SetReadTimeout(d time.Duration) error {
	e.mu.Lock()
	e.timeout = d
	e.mu.Unlock()
	return nil
}

// Close closes both directions: the other end's Read and Write fail.
func (e *End) Close() error {
	e.in.setErr(ErrClosed)
	e.out.setErr(ErrClosed)
	return nil
}

func (e *End) String() string { return e.name }
