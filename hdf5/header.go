package hdf5

// Header message types this package reads.
const (
	msgNil          = 0x00
	msgDataspace    = 0x01
	msgLinkInfo     = 0x02
	msgDatatype     = 0x03
	msgFillOld      = 0x04
	msgFill         = 0x05
	msgLink         = 0x06
	msgExternal     = 0x07
	msgLayout       = 0x08
	msgGroupInfo    = 0x0a
	msgFilters      = 0x0b
	msgAttribute    = 0x0c
	msgContinuation = 0x10
	msgSymbolTable  = 0x11
	msgAttrInfo     = 0x15
)

// message is one header message: its type and body.
type message struct {
	typ  uint16
	data []byte
	at   uint64 // file address of the body, for errors
}

// block is a stretch of an object header: address and length.
type block struct{ addr, n uint64 }

// header is a parsed object header.
type header struct {
	addr uint64
	msgs []message
}

// Limits that keep a corrupt header from looping or exhausting memory.
const (
	maxHeaderBlocks   = 4096
	maxHeaderMessages = 1 << 16
)

// objectHeader reads the object header at addr with all its continuation
// blocks.
func (f *File) objectHeader(addr uint64) (*header, error) {
	pre, err := f.readUpTo("object header", addr, 16)
	if err != nil {
		return nil, err
	}
	h := &header{addr: addr}
	var queue []block
	var v2 bool
	var v2flags byte
	if len(pre) >= 4 && string(pre[:4]) == "OHDR" {
		v2 = true
		c := f.cursor("object header", addr, pre)
		c.skip(4)
		if v := c.u8(); v != 2 && c.err == nil {
			return nil, errf("object header", addr, "OHDR version %d not supported", v)
		}
		v2flags = c.u8()
		n := 6
		if v2flags&0x20 != 0 {
			n += 16
		}
		if v2flags&0x10 != 0 {
			n += 4
		}
		szw := 1 << (v2flags & 3)
		b, err := f.read("object header", addr, uint64(n+szw))
		if err != nil {
			return nil, err
		}
		c = f.cursor("object header", addr, b)
		c.skip(n)
		size := c.uvar(szw)
		if c.err != nil {
			return nil, c.err
		}
		queue = append(queue, block{addr + uint64(n+szw), size})
	} else {
		c := f.cursor("object header", addr, pre)
		if v := c.u8(); v != 1 {
			if c.err != nil {
				return nil, c.err
			}
			return nil, errf("object header", addr, "version %d not supported (1 or OHDR)", v)
		}
		c.skip(1)
		c.u16() // number of messages
		c.u32() // reference count
		size := uint64(c.u32())
		if c.err != nil {
			return nil, c.err
		}
		queue = append(queue, block{addr + 16, size})
	}
	seen := map[uint64]bool{}
	for len(queue) > 0 {
		blk := queue[0]
		queue = queue[1:]
		if seen[blk.addr] || len(seen) >= maxHeaderBlocks {
			return nil, errf("object header", addr, "continuation blocks loop or exceed %d", maxHeaderBlocks)
		}
		seen[blk.addr] = true
		b, err := f.read("object header block", blk.addr, blk.n)
		if err != nil {
			return nil, err
		}
		c := f.cursor("object header block", blk.addr, b)
		start := blk.addr
		if v2 {
			// Chunk #0's size excludes the checksum after it; a continuation
			// block's length counts its signature and checksum.
			end := len(b)
			if len(seen) > 1 {
				c.sig("OCHK")
				end = len(b) - 4
			}
			if end < c.p {
				return nil, errf("object header block", blk.addr, "too short")
			}
			c.b = c.b[:end]
			for c.left() >= 4 && c.err == nil {
				typ := uint16(c.u8())
				n := int(c.u16())
				fl := c.u8()
				if v2flags&0x04 != 0 {
					c.skip(2)
				}
				body := c.bytes(n)
				if c.err != nil {
					break
				}
				if err := h.add(typ, fl, body, start+uint64(c.p-n), &queue, f); err != nil {
					return nil, err
				}
			}
		} else {
			for c.left() >= 8 && c.err == nil {
				typ := c.u16()
				n := int(c.u16())
				fl := c.u8()
				c.skip(3)
				body := c.bytes(n)
				if c.err != nil {
					break
				}
				if err := h.add(typ, fl, body, start+uint64(c.p-n), &queue, f); err != nil {
					return nil, err
				}
			}
		}
		if c.err != nil {
			return nil, c.err
		}
		if len(h.msgs) > maxHeaderMessages {
			return nil, errf("object header", addr, "more than %d messages", maxHeaderMessages)
		}
	}
	return h, nil
}

func (h *header) add(typ uint16, flags byte, body []byte, at uint64, queue *[]block, f *File) error {
	if typ == msgNil {
		return nil
	}
	if flags&0x02 != 0 {
		return errf("object header message", at, "shared message (type 0x%x) not supported", typ)
	}
	if typ == msgContinuation {
		c := f.cursor("continuation message", at, body)
		a, n := c.addr(), c.length()
		if c.err != nil {
			return c.err
		}
		*queue = append(*queue, block{a, n})
		return nil
	}
	h.msgs = append(h.msgs, message{typ: typ, data: body, at: at})
	return nil
}

// find returns the first message of the given type (nil if none).
func (h *header) find(typ uint16) *message {
	for i := range h.msgs {
		if h.msgs[i].typ == typ {
			return &h.msgs[i]
		}
	}
	return nil
}
