package driver

import (
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// wordsPerFrame is how many words of width bits fit one payload.
func (c *Client) wordsPerFrame(width uint) int {
	return max(1, min(65535, (c.payload()-memHeaderLen)/WordBytes(width)))
}

func (c *Client) checkRange(sel, addr, count int) (uint, error) {
	width, ok := MemWidth(c.prof, sel)
	if !ok {
		return 0, c.errf("no memory with host_sel %d", sel)
	}
	if addr < 0 || count < 0 || addr+count > MemDepth(c.prof, sel) {
		return 0, c.errf("%s words %d..%d outside depth %d", memName(sel), addr, addr+count-1, MemDepth(c.prof, sel))
	}
	return width, nil
}

func memName(sel int) string {
	if sel == SelNumNeurons {
		return "num_neurons"
	}
	if sel >= 0 && sel < core.NumMems {
		return core.MemNames[sel]
	}
	return fmt.Sprintf("memory %d", sel)
}

// writeTxn streams blocks as WRITE_MEM frames; progress gets word bytes sent.
func (c *Client) writeTxn(blocks []MemBlock, progress func(int)) *txn {
	bi, wi := 0, 0
	return &txn{
		next: func() (uint8, []byte, bool) {
			for bi < len(blocks) && wi >= len(blocks[bi].Words) {
				bi, wi = bi+1, 0
			}
			if bi >= len(blocks) {
				return 0, nil, false
			}
			b := blocks[bi]
			width, _ := MemWidth(c.prof, b.Sel)
			n := min(c.wordsPerFrame(width), len(b.Words)-wi)
			pl := MemHeader{Sel: uint8(b.Sel), Addr: uint32(wi), Count: uint16(n)}.Append(make([]byte, 0, memHeaderLen+n*WordBytes(width)))
			for _, w := range b.Words[wi : wi+n] {
				pl = AppendWord(pl, w, width)
			}
			wi += n
			if progress != nil {
				progress(n * WordBytes(width))
			}
			return CmdWriteMem, pl, true
		},
		done:   func() bool { return bi >= len(blocks) || (bi == len(blocks)-1 && wi >= len(blocks[bi].Words)) },
		window: c.window(),
	}
}

// WriteMem writes words to memory sel (a host_sel value, SelNumNeurons for
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
	if addr != 0 {
		// writeTxn addresses from 0: pad by offsetting through a shifted block
		return c.run(c.writeAt(sel, addr, words))
	}
	return c.run(c.writeTxn([]MemBlock{{Sel: sel, Words: words}}, nil))
}

func (c *Client) writeAt(sel, addr int, words []core.Word) *txn {
	width, _ := MemWidth(c.prof, sel)
	per := c.wordsPerFrame(width)
	var frames [][2]any
	for i := 0; i < len(words); i += per {
		n := min(per, len(words)-i)
		pl := MemHeader{Sel: uint8(sel), Addr: uint32(addr + i), Count: uint16(n)}.Append(nil)
		for _, w := range words[i : i+n] {
			pl = AppendWord(pl, w, width)
		}
		frames = append(frames, [2]any{uint8(CmdWriteMem), pl})
	}
	return c.list(frames, c.window(), nil)
}

// ReadMem reads count words of memory sel from address addr on.
func (c *Client) ReadMem(sel, addr, count int) ([]core.Word, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.begin(); err != nil {
		return nil, err
	}
	return c.readMem(sel, addr, count, nil)
}

func (c *Client) readMem(sel, addr, count int, progress func(int)) ([]core.Word, error) {
	width, err := c.checkRange(sel, addr, count)
	if err != nil {
		return nil, err
	}
	out := make([]core.Word, count)
	per := c.wordsPerFrame(width)
	var frames [][2]any
	for i := 0; i < count; i += per {
		n := min(per, count-i)
		frames = append(frames, [2]any{uint8(CmdReadMem), MemHeader{Sel: uint8(sel), Addr: uint32(addr + i), Count: uint16(n)}.Append(nil)})
	}
	wb := WordBytes(width)
	t := c.list(frames, c.window(), func(_ uint8, f Frame) error {
		if f.Cmd != CmdData {
			return c.errf("%w: READ_MEM answered with %s", ErrProtocol, CmdName(f.Cmd))
		}
		h, data, err := DecodeMemHeader(f.Payload)
		if err != nil {
			return c.errf("%w", err)
		}
		off := int(h.Addr) - addr
		if int(h.Sel) != sel || off < 0 || off+int(h.Count) > count || len(data) != int(h.Count)*wb {
			return c.errf("%w: DATA frame for %s %d+%d does not match the request", ErrProtocol, memName(int(h.Sel)), h.Addr, h.Count)
		}
		for k := 0; k < int(h.Count); k++ {
			out[off+k] = ParseWord(data[k*wb:], width)
		}
		if progress != nil {
			progress(len(data))
		}
		return nil
	})
	if err := c.run(t); err != nil {
		return nil, err
	}
	return out, nil
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
	if im.Burst != nil && !c.info.Has(FeatBurst) {
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
	if err := c.run(c.writeTxn(blocks, step)); err != nil {
		return err
	}
	for _, b := range blocks {
		got, err := c.readMem(b.Sel, 0, len(b.Words), step)
		if err != nil {
			return err
		}
		w, _ := MemWidth(c.prof, b.Sel)
		for a := range got {
			if ParseWord(AppendWord(nil, b.Words[a], w), w) != got[a] {
				return c.errf("%w: %s word %d: wrote %s, read %s", ErrVerify, memName(b.Sel), a, b.Words[a].Hex(w), got[a].Hex(w))
			}
		}
	}
	return nil
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
