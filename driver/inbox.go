package driver

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Inbox holds the bytes a simulated board has sent until a client reads
// them, with Port.Read's timeout behaviour; the board ports of
// driver/rtlboard and driver/vhdlboard read through one.
type Inbox struct {
	name    string
	mu      sync.Mutex
	cond    *sync.Cond
	buf     []byte
	err     error // set when no more bytes will come
	closed  bool
	timeout time.Duration
}

// NewInbox returns an empty inbox; name prefixes its errors.
func NewInbox(name string) *Inbox {
	x := &Inbox{name: name, timeout: 20 * time.Millisecond}
	x.cond = sync.NewCond(&x.mu)
	return x
}

// Put adds bytes the board sent.
func (x *Inbox) Put(p []byte) {
	x.mu.Lock()
	x.buf = append(x.buf, p...)
	x.cond.Broadcast()
	x.mu.Unlock()
}

// Fail records that no more bytes will come: once the inbox is drained,
// Read returns err.
func (x *Inbox) Fail(err error) {
	x.mu.Lock()
	if x.err == nil {
		x.err = err
	}
	x.cond.Broadcast()
	x.mu.Unlock()
}

// Close makes Read return os.ErrClosed.
func (x *Inbox) Close() {
	x.mu.Lock()
	x.closed = true
	x.cond.Broadcast()
	x.mu.Unlock()
}

// Read returns received bytes, or (0, nil) after the read timeout.
func (x *Inbox) Read(p []byte) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	deadline := time.Now().Add(x.timeout)
	for len(x.buf) == 0 && x.err == nil && !x.closed {
		d := time.Until(deadline)
		if d <= 0 {
			return 0, nil
		}
		t := time.AfterFunc(d, func() { x.mu.Lock(); x.cond.Broadcast(); x.mu.Unlock() })
		x.cond.Wait()
		t.Stop()
	}
	if len(x.buf) == 0 {
		if x.closed {
			return 0, fmt.Errorf("%s: %w", x.name, os.ErrClosed)
		}
		return 0, x.err
	}
	n := copy(p, x.buf)
	x.buf = x.buf[n:]
	return n, nil
}

// SetReadTimeout bounds how long Read waits for the first byte.
func (x *Inbox) SetReadTimeout(d time.Duration) error {
	x.mu.Lock()
	x.timeout = d
	x.mu.Unlock()
	return nil
}
