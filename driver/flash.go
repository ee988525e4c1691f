package driver

import (
	"errors"
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// wordsPerFrame is how many words of width bits fit one payload.
func (c *Client) wordsPerFrame(width uint) int {
	return max(1, min(65535, (c.payload()-MemHeaderLen)/WordBytes(width)))
}

func (c *Client) checkRange(sel, addr, count int) (uint, error) {
	width, ok := MemWidth(c.prof, sel)
	if !ok {
		return 0, c.errf("no memory with host_sel %d", sel)
	}
	if addr < 0 || count < 0 || addr+count > c.prof.MemDepth(sel) {
		return 0, c.errf("%s words %d..%d outside depth %d", memName(sel), addr, addr+count-1, c.prof.MemDepth(sel))
	}
	return width, nil
}

func memName(sel int) string {
	if core.Used(sel) {
		return core.MemMap[sel].Name
	}
	return fmt.Sprintf("memory %d", sel)
}

// writer streams blocks as WRITE_MEM frames. It remembers how far the board
// has acknowledged, so that after a failed exchange the write resumes there
// (with the frame size of the moment) instead of from the start; writing a
// word twice is harmless.
type writer struct {
	c        *Client
	blocks   []MemBlock
	bi, wi   int      // next word to send
	ackB     int      // block and word up to which the board acknowledged
	ackW     int      //
	ends     [][2]int // end position of every frame in flight, in send order
	progress func(int)
}

func (w *writer) txn() *txn {
	w.bi, w.wi, w.ends = w.ackB, w.ackW, nil
	return &txn{
		next: func() (uint8, []byte, bool) {
			for w.bi < len(w.blocks) && w.wi >= len(w.blocks[w.bi].Words) {
				w.bi, w.wi = w.bi+1, 0
			}
			if w.bi >= len(w.blocks) {
				return 0, nil, false
			}
			b := w.blocks[w.bi]
			width, _ := MemWidth(w.c.prof, b.Sel)
			n := min(w.c.wordsPerFrame(width), len(b.Words)-w.wi)
			pl := MemHeader{Sel: uint8(b.Sel), Addr: uint32(b.Addr + w.wi), Count: uint16(n)}.Append(make([]byte, 0, MemHeaderLen+n*WordBytes(width)))
			for _, x := range b.Words[w.wi : w.wi+n] {
				pl = AppendWord(pl, x, width)
			}
			w.wi += n
			w.ends = append(w.ends, [2]int{w.bi, w.wi})
			return core.CmdWriteMem, pl, true
		},
		done: func() bool { return w.finished() },
		acked: func(s sent) {
			if len(w.ends) == 0 {
				return
			}
			e := w.ends[0]
			w.ends = w.ends[1:]
			if w.progress != nil {
				h, _, _ := DecodeMemHeader(s.payload)
				width, _ := MemWidth(w.c.prof, int(h.Sel))
				w.progress(int(h.Count) * WordBytes(width))
			}
			w.ackB, w.ackW = e[0], e[1]
		},
		window: w.c.window(),
		recut:  true,
	}
}

func (w *writer) finished() bool {
	b, i := w.bi, w.wi
	for b < len(w.blocks) && i >= len(w.blocks[b].Words) {
		b, i = b+1, 0
	}
	return b >= len(w.blocks)
}

// write writes blocks, resuming after failures (see idem).
func (c *Client) write(blocks []MemBlock, progress func(int)) error {
	w := &writer{c: c, blocks: blocks, progress: progress}
	return c.idem(func() error { return c.run(w.txn()) })
}

// idem runs op, an operation that may be repeated (memory writes and
// reads), and when it fails because the board stopped answering or the data
// failed the end-to-end check, resynchronises and runs it again, up to
// OpRetries times. Frames shrink after every failure (see Client.limit), so
// a line too noisy for the first frames still carries the later ones.
func (c *Client) idem(op func() error) error {
	recuts, attempt := 0, 0
	for {
		err := op()
		switch {
		case err == nil:
			return nil
		case errors.Is(err, errRecut) && recuts < maxRecuts:
			recuts++ // shorter frames next time: not a failure of the board
		case errors.Is(err, errRecut), errors.Is(err, ErrTimeout), errors.Is(err, errMismatch):
			if attempt++; attempt > c.opt.OpRetries {
				if errors.Is(err, errRecut) {
					return c.errf("%w: frames of %d bytes still lost after %d attempts", ErrTimeout, c.payload(), attempt)
				}
				return err
			}
		default:
			return err
		}
		c.retried()
		if err := c.resync(); err != nil && !errors.Is(err, ErrTimeout) {
			return err
		}
	}
}

// maxRecuts bounds how often one operation starts again with shorter frames
// (each recut at least halves them, so 7 go from 4 KiB to the minimum).
const maxRecuts = 7

// errMismatch marks a read whose data failed the end-to-end check.
var errMismatch = errors.New("read data failed the end-to-end check")

// WriteMem writes words to memory sel (a host_sel value, core.HostSelNumNeurons for
// num_neurons) from address addr on.
func (c *Client) WriteMem(sel, addr int, words []core.Word) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return err
	}
	if _, err := c.checkRange(sel, addr, len(words)); err != nil {
		return err
	}
	return c.write([]MemBlock{{Sel: sel, Addr: addr, Words: words}}, nil)
}

// ReadMem reads count words of memory sel from address addr on. The words
// are exactly the board's or the call fails: see readMem.
func (c *Client) ReadMem(sel, addr, count int) ([]core.Word, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return nil, err
	}
	return c.readMem(sel, addr, count, nil)
}

// reader fetches a range of one memory with READ_MEM frames. Every DATA
// reply must answer its own request exactly (memory, address and count, not
// just a range inside the read), every word is filled exactly once, and
// after an interrupted exchange only the missing words are asked for again.
type reader struct {
	c         *Client
	sel, addr int
	width     uint
	words     []core.Word
	have      []bool
	next      int // next word to request, relative to addr
	progress  func(int)
}

func (r *reader) txn() *txn {
	r.next = 0
	wb := WordBytes(r.width)
	return &txn{
		next: func() (uint8, []byte, bool) {
			for r.next < len(r.words) && r.have[r.next] {
				r.next++
			}
			if r.next >= len(r.words) {
				return 0, nil, false
			}
			n := 0
			for per := r.c.wordsPerFrame(r.width); n < per && r.next+n < len(r.words) && !r.have[r.next+n]; n++ {
			}
			h := MemHeader{Sel: uint8(r.sel), Addr: uint32(r.addr + r.next), Count: uint16(n)}
			r.next += n
			return core.CmdReadMem, h.Append(nil), true
		},
		done: func() bool { return r.next >= len(r.words) },
		reply: func(req sent, f Frame) error {
			want, _, _ := DecodeMemHeader(req.payload)
			h, data, err := DecodeMemHeader(f.Payload)
			if f.Cmd != core.CmdData || err != nil || h != want || len(data) != int(h.Count)*wb {
				return errStale
			}
			off := int(h.Addr) - r.addr
			for k := 0; k < int(h.Count); k++ {
				r.words[off+k] = ParseWord(data[k*wb:], r.width)
				r.have[off+k] = true
			}
			if r.progress != nil {
				r.progress(len(data))
			}
			return nil
		},
		window: r.c.window(),
		recut:  true,
	}
}

func (r *reader) complete() bool {
	for _, h := range r.have {
		if !h {
			return false
		}
	}
	return true
}

// readMem reads count words of memory sel from addr, exactly: the DATA
// frames are matched to their requests (reader), and the assembled words are
// checked end to end, against the CRC-32C the board computes over the range
// (READ_SUM) or, on a board without it, against a second independent read.
// A failed check reads the range again (idem); data that still differ after
// OpRetries reads are an ErrVerify error, never a result.
func (c *Client) readMem(sel, addr, count int, progress func(int)) ([]core.Word, error) {
	width, err := c.checkRange(sel, addr, count)
	if err != nil {
		return nil, err
	}
	fresh := func() *reader {
		return &reader{c: c, sel: sel, addr: addr, width: width, words: make([]core.Word, count), have: make([]bool, count)}
	}
	r := fresh()
	r.progress = progress
	fetch := func(r *reader) error {
		if r.complete() {
			return nil
		}
		if err := c.run(r.txn()); err != nil {
			return err
		}
		if !r.complete() {
			return c.errf("%w: %s words %d..%d: reads ended with words missing", ErrProtocol, memName(sel), addr, addr+count-1)
		}
		return nil
	}
	var second *reader
	err = c.idem(func() error {
		if err := fetch(r); err != nil {
			return err
		}
		if c.info.Has(core.FeatSum) {
			sum, err := c.sum(sel, addr, count)
			if err != nil {
				return err
			}
			if got := wireSum(r.words, width); got != sum {
				r = fresh()
				return c.errf("%w: %s words %d..%d: CRC-32C %08x, board says %08x", errMismatch, memName(sel), addr, addr+count-1, got, sum)
			}
			return nil
		}
		if second == nil {
			second = fresh()
		}
		if err := fetch(second); err != nil {
			return err
		}
		for k := range r.words {
			if r.words[k] != second.words[k] {
				err := c.errf("%w: %s word %d read as %s and %s", errMismatch, memName(sel), addr+k, r.words[k].Hex(width), second.words[k].Hex(width))
				r, second = fresh(), nil
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errMismatch) {
		return nil, fmt.Errorf("%w: %w", ErrVerify, err)
	}
	if err != nil {
		return nil, err
	}
	return r.words, nil
}

// wireSum is the CRC-32C of words as they travel in DATA frames.
func wireSum(words []core.Word, width uint) uint32 {
	b := make([]byte, 0, len(words)*WordBytes(width))
	for _, w := range words {
		b = AppendWord(b, w, width)
	}
	return CRC32C(b)
}

// sum asks the board for the CRC-32C of a memory range (READ_SUM).
func (c *Client) sum(sel, addr, count int) (uint32, error) {
	want := SumRange{Sel: uint8(sel), Addr: uint32(addr), Count: uint32(count)}
	var sum uint32
	t := c.list([][2]any{{uint8(core.CmdReadSum), want.Append(nil)}}, 1, func(_ sent, f Frame) error {
		got, rest, err := DecodeSumRange(f.Payload)
		if f.Cmd != core.CmdSum || err != nil || got != want || len(rest) != 4 {
			return errStale
		}
		sum = uint32(rest[0]) | uint32(rest[1])<<8 | uint32(rest[2])<<16 | uint32(rest[3])<<24
		return nil
	})
	return sum, c.run(t)
}

// CheckImage reports whether im fits the board: same widths and capacities.
func (c *Client) CheckImage(im *core.Image) error {
	p, q := im.Profile, c.prof
	if p.NB != q.NB || p.SB != q.SB || p.RB != q.RB || p.VW != q.VW {
		return c.errf("image is for profile %s (NB=%d SB=%d RB=%d VW=%d) but the board is %s (NB=%d SB=%d RB=%d VW=%d)",
			p.Name, p.NB, p.SB, p.RB, p.VW, q.Name, q.NB, q.SB, q.RB, q.VW)
	}
	if err := im.Validate(); err != nil {
		return c.errf("%w", err)
	}
	if im.Burst != nil && !c.info.Has(core.FeatBurst) {
		return c.errf("image uses burst units (spec section 8), which the board (%s, protocol %d) does not advertise", c.info.Board, c.info.Protocol)
	}
	return nil
}

// Flash loads an image into the board: every memory's used words, acc and
// force cleared, then num_neurons; then it reads everything back and
// compares. progress, when not nil, is called with bytes done and the total
// (writes plus readback).
func (c *Client) Flash(im *core.Image, progress func(done, total int)) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return err
	}
	if err := c.CheckImage(im); err != nil {
		return err
	}
	blocks := ImageMemories(im)
	total := 0
	for _, b := range blocks {
		w, _ := MemWidth(c.prof, b.Sel)
		total += 2 * len(b.Words) * WordBytes(w)
	}
	done := 0
	step := func(n int) {
		done += n
		if progress != nil {
			progress(done, total)
		}
	}
	if err := c.write(blocks, step); err != nil {
		return err
	}
	// verify; a block that reads back different (a write frame corrupted in
	// a way its CRC missed) is written again, a few times at most
	var bad error
	for round := 0; round < 3; round++ {
		var redo []MemBlock
		bad = nil
		for _, b := range blocks {
			got, err := c.readMem(b.Sel, 0, len(b.Words), step)
			if err != nil {
				return err
			}
			w, _ := MemWidth(c.prof, b.Sel)
			for a := range got {
				if ParseWord(AppendWord(nil, b.Words[a], w), w) != got[a] {
					bad = c.errf("%w: %s word %d: wrote %s, read %s", ErrVerify, memName(b.Sel), a, b.Words[a].Hex(w), got[a].Hex(w))
					redo = append(redo, b)
					break
				}
			}
		}
		if bad == nil {
			return nil
		}
		if err := c.write(redo, nil); err != nil {
			return err
		}
	}
	return bad
}

// Readback rebuilds the image the board holds (see ImageFromMemories). The
// returned image has the board's profile and no Meta.
func (c *Client) Readback(progress func(done int)) (*core.Image, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return nil, err
	}
	done := 0
	im, err := ImageFromMemories(c.prof, func(sel, addr, count int) ([]core.Word, error) {
		return c.readMem(sel, addr, count, func(n int) {
			done += n
			if progress != nil {
				progress(done)
			}
		})
	})
	if err != nil {
		return nil, c.errf("readback: %w", err)
	}
	return im, nil
}
