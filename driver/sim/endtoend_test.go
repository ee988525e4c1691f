package sim_test

import (
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/sim"
)

// tamperPort sits on the board's end of a link and changes one bit in the
// words of the first n DATA frames the board sends, re-framing them with a
// valid CRC: damage that no frame check can see, as when a frame's CRC
// happens to match. The bit differs from frame to frame, as line damage
// does.
type tamperPort struct {
	driver.Port
	mu   sync.Mutex
	n    int
	done int
}

func (p *tamperPort) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if f, err := driver.DecodeFrame(b); err == nil && f.Cmd == core.CmdData && p.n > 0 && len(f.Payload) > 7 {
		p.n--
		p.done++
		f.Payload[7+p.done%(len(f.Payload)-7)] ^= 1 << (p.done % 3)
		if _, err := p.Port.Write(driver.AppendFrameAs(nil, f.Wide, f.Seq, f.Cmd, f.Payload)); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return p.Port.Write(b)
}

// TestReadbackEndToEnd: DATA frames damaged beyond what their CRC can see
// are caught by the whole-range check (READ_SUM on protocol 3, a second read
// on protocol 2): a few are read again and the result is exact; damage on
// every read is an ErrVerify error, never data. (A second read only catches
// damage that differs between reads, which line damage does; READ_SUM also
// catches damage that repeats.)
func TestReadbackEndToEnd(t *testing.T) {
	im := randomImage(t, tiny(), 40, 6, 21)
	for _, proto := range []int{core.ProtocolVersion, 2} {
		for _, tc := range []struct {
			name    string
			damaged int
		}{{"a few damaged", 3}, {"every one damaged", 1 << 30}} {
			t.Run(tc.name, func(t *testing.T) {
				b, err := sim.NewBoard(sim.Config{Profile: tiny(), Protocol: proto})
				if err != nil {
					t.Fatal(err)
				}
				if err := b.Load(im); err != nil {
					t.Fatal(err)
				}
				l := sim.NewLink(sim.LinkConfig{})
				go b.Serve(&tamperPort{Port: l.Board, n: tc.damaged})
				c, err := driver.Open(l.Host, &driver.Options{OpRetries: 3})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				back, err := c.Readback(nil)
				if tc.damaged > 100 {
					if !errors.Is(err, driver.ErrVerify) {
						t.Fatalf("protocol %d: readback with every DATA frame damaged: got %v, want ErrVerify", proto, err)
					}
					t.Log(err)
					return
				}
				if err != nil {
					t.Fatalf("protocol %d: %v", proto, err)
				}
				back.Profile, back.Meta = im.Profile, im.Meta
				if !reflect.DeepEqual(back, im) {
					t.Fatalf("protocol %d: readback differs from the board's image", proto)
				}
				w, err := c.ReadMem(core.MemSyn, 0, len(im.Syn))
				if err != nil || !reflect.DeepEqual(w, b.Memory(core.MemSyn, len(im.Syn))) {
					t.Fatalf("protocol %d: ReadMem after the damage: %v", proto, err)
				}
			})
		}
	}
}

// TestFaultyServer: Faulty (what "ncx board sim --corrupt" uses) really
// damages the line: with every byte corrupted the board never answers, with
// a few the client gets through.
func TestFaultyServer(t *testing.T) {
	for _, tc := range []struct {
		corrupt float64
		ok      bool
	}{{1, false}, {3e-3, true}} {
		b := newBoard(t, tiny())
		l := sim.NewLink(sim.LinkConfig{})
		f := sim.Faults{Corrupt: tc.corrupt}
		go sim.Faulty{Server: b, ToBoard: f, ToHost: f, Seed: 3}.Serve(l.Board)
		c, err := driver.Open(l.Host, &driver.Options{Timeout: 20 * time.Millisecond, Retries: 3})
		if (err == nil) != tc.ok {
			t.Fatalf("corrupt %g: Open gave %v", tc.corrupt, err)
		}
		if err == nil {
			if _, err := c.Readback(nil); err != nil {
				t.Fatalf("corrupt %g: %v", tc.corrupt, err)
			}
			c.Close()
		}
		l.Host.Close()
	}
}
