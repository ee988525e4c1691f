package sim

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
	"github.com/ncx-project/ncx/driver"
	"golang.org/x/term"
)

// filePort adapts an *os.File that supports deadlines (a pty master) to
// driver.Port.
type filePort struct {
	f       *os.File
	mu      sync.Mutex
	timeout time.Duration
}

func (p *filePort) Read(b []byte) (int, error) {
	p.mu.Lock()
	t := p.timeout
	p.mu.Unlock()
	if t > 0 {
		if err := p.f.SetReadDeadline(time.Now().Add(t)); err != nil {
			return 0, err
		}
	}
	n, err := p.f.Read(b)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return n, nil
	}
	if errors.Is(err, os.ErrClosed) || errors.Is(err, syscall.EIO) {
		return n, ErrClosed
	}
	return n, err
}

func (p *filePort) Write(b []byte) (int, error) { return p.f.Write(b) }
func (p *filePort) Close() error                { return p.f.Close() }
func (p *filePort) String() string              { return p.f.Name() }
func (p *filePort) SetReadTimeout(d time.Duration) error {
	p.mu.Lock()
	p.timeout = d
	p.mu.Unlock()
	return nil
}

// PTY is a board served on a pseudo-terminal.
type PTY struct {
	// Path is the slave device, e.g. /dev/pts/7: open it as a serial port.
	Path   string
	master *os.File
	slave  *os.File
	done   chan struct{}
	err    error
}

// Server is anything that speaks a protocol on a Port until it closes:
// a *Board, or another board model such as neurocorex.Board.
type Server interface {
	Serve(p driver.Port) error
}

// ServePTY opens a pseudo-terminal pair, serves b on the master side in a
// goroutine and returns the slave's path. The slave is put in raw mode and
// kept open, so clients may come and go. Close stops serving.
func ServePTY(b Server) (*PTY, error) {
	master, slave, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("sim: open pty: %w", err)
	}
	if _, err := term.MakeRaw(int(slave.Fd())); err != nil {
		master.Close()
		slave.Close()
		return nil, fmt.Errorf("sim: raw mode on %s: %w", slave.Name(), err)
	}
	// A pty master opened by pty.Open blocks in read(2) outside Go's poller,
	// so deadlines and Close would not interrupt it: use a non-blocking dup.
	fd, err := syscall.Dup(int(master.Fd()))
	master.Close()
	if err != nil {
		slave.Close()
		return nil, fmt.Errorf("sim: dup pty master: %w", err)
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		slave.Close()
		return nil, fmt.Errorf("sim: pty master: %w", err)
	}
	master = os.NewFile(uintptr(fd), "/dev/ptmx")
	p := &PTY{Path: slave.Name(), master: master, slave: slave, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.err = b.Serve(&filePort{f: master})
	}()
	return p, nil
}

// Close stops the board and closes both sides: clients see the device vanish.
func (p *PTY) Close() error {
	p.master.Close()
	<-p.done
	p.slave.Close()
	return p.err
}

// Done is closed when the board stops serving.
func (p *PTY) Done() <-chan struct{} { return p.done }

// Err is why serving stopped (nil if closed).
func (p *PTY) Err() error { return p.err }
