package hdf5

import "math/bits"

// fheap is a fractal heap: the store of dense link and attribute messages.
type fheap struct {
	f                 *File
	addr              uint64
	idLen             int
	width             int
	startBlock        uint64
	maxDirect         uint64
	maxHeapBits       int
	rootAddr          uint64
	rootRows          int
	checksummedDirect bool
	offSize, lenSize  int
	blocks            []dblock // direct blocks, filled lazily
	loaded            bool
}

type dblock struct{ addr, off, size uint64 }

func log2(x uint64) int { return 63 - bits.LeadingZeros64(x) }

func (f *File) fractalHeap(addr uint64) (*fheap, error) {
	n := uint64(4 + 1 + 2 + 2 + 1 + 4 + 12*f.sl + 3*f.so + 2 + 2 + 2 + 2 + 4)
	b, err := f.read("fractal heap header", addr, n)
	if err != nil {
		return nil, err
	}
	c := f.cursor("fractal heap header", addr, b)
	c.sig("FRHP")
	if v := c.u8(); v != 0 && c.err == nil {
		return nil, errf("fractal heap header", addr, "version %d not supported", v)
	}
	h := &fheap{f: f, addr: addr}
	h.idLen = int(c.u16())
	filters := c.u16()
	flags := c.u8()
	h.checksummedDirect = flags&2 != 0
	maxMan := c.u32()
	c.length() // next huge id
	c.addr()   // huge object B-tree
	c.length() // free space
	c.addr()   // free space manager
	c.length() // managed space
	c.length() // allocated managed space
	c.length() // direct block allocation iterator
	c.length() // managed objects
	c.length() // huge object size
	c.length() // huge objects
	c.length() // tiny object size
	c.length() // tiny objects
	h.width = int(c.u16())
	h.startBlock = c.length()
	h.maxDirect = c.length()
	h.maxHeapBits = int(c.u16())
	c.u16() // starting rows in root indirect block
	h.rootAddr = c.addr()
	h.rootRows = int(c.u16())
	if c.err != nil {
		return nil, c.err
	}
	if filters != 0 {
		return nil, errf("fractal heap header", addr, "heaps with I/O filters not supported")
	}
	pow2 := func(x uint64) bool { return x != 0 && x&(x-1) == 0 }
	if h.width == 0 || h.width > 1<<12 || !pow2(h.startBlock) || !pow2(h.maxDirect) || h.maxDirect < h.startBlock ||
		h.maxHeapBits == 0 || h.maxHeapBits > 64 || h.rootRows > 64 || h.idLen < 2 {
		return nil, errf("fractal heap header", addr, "inconsistent doubling table (width %d, start %d, max direct %d, heap bits %d)",
			h.width, h.startBlock, h.maxDirect, h.maxHeapBits)
	}
	h.offSize = (h.maxHeapBits + 7) / 8
	h.lenSize = min((log2(h.maxDirect)+7)/8, log2(uint64(maxMan)|1)/8+1)
	return h, nil
}

// rowSize is the size of the blocks of row r of the doubling table.
func (h *fheap) rowSize(r int) uint64 {
	if r == 0 {
		return h.startBlock
	}
	return h.startBlock << uint(r-1)
}

func (h *fheap) maxDirectRows() int { return log2(h.maxDirect) - log2(h.startBlock) + 2 }

// load collects every direct block and its heap offset.
func (h *fheap) load() error {
	if h.loaded {
		return nil
	}
	h.loaded = true
	if h.rootAddr == undef {
		return nil
	}
	if h.rootRows == 0 {
		h.blocks = append(h.blocks, dblock{h.rootAddr, 0, h.startBlock})
		return nil
	}
	seen := map[uint64]bool{}
	return h.indirect(h.rootAddr, 0, h.rootRows, 0, seen)
}

func (h *fheap) indirect(addr, off uint64, rows, depth int, seen map[uint64]bool) error {
	f := h.f
	if depth > maxTreeDepth || seen[addr] {
		return errf("fractal heap indirect block", addr, "blocks loop or nest deeper than %d", maxTreeDepth)
	}
	seen[addr] = true
	n := uint64(5+f.so+h.offSize) + uint64(rows)*uint64(h.width)*uint64(f.so) + 4
	b, err := f.read("fractal heap indirect block", addr, n)
	if err != nil {
		return err
	}
	c := f.cursor("fractal heap indirect block", addr, b)
	c.sig("FHIB")
	c.skip(1 + f.so + h.offSize)
	pos := off
	for r := 0; r < rows; r++ {
		size := h.rowSize(r)
		for k := 0; k < h.width; k++ {
			child := c.addr()
			if c.err != nil {
				return c.err
			}
			if child != undef {
				if r < h.maxDirectRows() {
					h.blocks = append(h.blocks, dblock{child, pos, size})
					if len(h.blocks) > maxLinks {
						return errf("fractal heap indirect block", addr, "more than %d blocks", maxLinks)
					}
				} else {
					sub := log2(size) - log2(h.startBlock*uint64(h.width)) + 1
					if err := h.indirect(child, pos, sub, depth+1, seen); err != nil {
						return err
					}
				}
			}
			pos += size
		}
	}
	return nil
}

// object returns the heap object a heap ID names.
func (h *fheap) object(id []byte) ([]byte, error) {
	f := h.f
	if len(id) < 1 {
		return nil, errf("fractal heap ID", h.addr, "empty")
	}
	switch (id[0] >> 4) & 3 {
	case 0:
	case 2: // tiny: the object is in the ID
		n := int(id[0]&0x0f) + 1
		if 1+n > len(id) {
			return nil, errf("fractal heap ID", h.addr, "tiny object of %d bytes in an ID of %d", n, len(id))
		}
		return id[1 : 1+n], nil
	default:
		return nil, errf("fractal heap ID", h.addr, "huge heap objects not supported")
	}
	c := f.cursor("fractal heap ID", h.addr, id)
	c.skip(1)
	off := c.uvar(h.offSize)
	n := c.uvar(h.lenSize)
	if c.err != nil {
		return nil, c.err
	}
	if err := h.load(); err != nil {
		return nil, err
	}
	for _, b := range h.blocks {
		if off >= b.off && off < b.off+b.size {
			in := off - b.off
			if n > b.size-in {
				return nil, errf("fractal heap direct block", b.addr, "object of %d bytes at %d runs past the block (%d bytes)", n, in, b.size)
			}
			data, err := f.read("fractal heap direct block", b.addr, in+n)
			if err != nil {
				return nil, err
			}
			if string(data[:4]) != "FHDB" {
				return nil, errf("fractal heap direct block", b.addr, "signature FHDB expected")
			}
			return data[in:], nil
		}
	}
	return nil, errf("fractal heap", h.addr, "no direct block holds heap offset %d", off)
}

// btree2 visits every record of a v2 B-tree in order.
func (f *File) btree2(addr uint64, wantType uint8, visit func(rec []byte) error) error {
	b, err := f.read("v2 B-tree header", addr, uint64(16+f.so+2+f.sl+4))
	if err != nil {
		return err
	}
	c := f.cursor("v2 B-tree header", addr, b)
	c.sig("BTHD")
	if v := c.u8(); v != 0 && c.err == nil {
		return errf("v2 B-tree header", addr, "version %d not supported", v)
	}
	typ := c.u8()
	nodeSize := uint64(c.u32())
	recSize := int(c.u16())
	depth := int(c.u16())
	c.skip(2)
	root := c.addr()
	rootN := int(c.u16())
	c.length()
	if c.err != nil {
		return c.err
	}
	if typ != wantType {
		return errf("v2 B-tree header", addr, "record type %d, expected %d", typ, wantType)
	}
	if recSize == 0 || nodeSize < 16 || nodeSize > 1<<24 || depth > maxTreeDepth {
		return errf("v2 B-tree header", addr, "inconsistent (node size %d, record size %d, depth %d)", nodeSize, recSize, depth)
	}
	if root == undef {
		return nil
	}
	// Widths of the child-pointer fields, as the library derives them from
	// how many records nodes of each depth can hold.
	encSize := func(x uint64) int { return log2(x|1)/8 + 1 }
	maxRec := make([]uint64, depth+1)
	cum := make([]uint64, depth+1)
	cumSize := make([]int, depth+1)
	maxRec[0] = (nodeSize - 10) / uint64(recSize)
	cum[0] = maxRec[0]
	nrecSize := encSize(maxRec[0])
	for d := 1; d <= depth; d++ {
		ptr := uint64(f.so + nrecSize + cumSize[d-1])
		if nodeSize < 10+ptr {
			return errf("v2 B-tree header", addr, "node size %d too small for depth %d", nodeSize, depth)
		}
		maxRec[d] = (nodeSize - 10 - ptr) / (uint64(recSize) + ptr)
		cum[d] = (maxRec[d]+1)*cum[d-1] + maxRec[d]
		cumSize[d] = encSize(cum[d])
	}
	count := 0
	seen := map[uint64]bool{}
	var walk func(addr uint64, n, d int) error
	walk = func(addr uint64, n, d int) error {
		if count > maxLinks {
			return errf("v2 B-tree", addr, "more than %d records", maxLinks)
		}
		if seen[addr] {
			return errf("v2 B-tree", addr, "node reached twice (the tree loops)")
		}
		seen[addr] = true
		what := "v2 B-tree leaf node"
		sig := "BTLF"
		if d > 0 {
			what, sig = "v2 B-tree internal node", "BTIN"
		}
		b, err := f.read(what, addr, nodeSize)
		if err != nil {
			return err
		}
		c := f.cursor(what, addr, b)
		c.sig(sig)
		c.skip(2)
		recs := make([][]byte, n)
		for i := range recs {
			recs[i] = c.bytes(recSize)
		}
		if c.err != nil {
			return c.err
		}
		if d == 0 {
			for _, r := range recs {
				count++
				if err := visit(r); err != nil {
					return err
				}
			}
			return nil
		}
		for i := 0; i <= n; i++ {
			child := c.addr()
			cn := c.uvar(nrecSize)
			if d > 1 {
				c.uvar(cumSize[d-1])
			}
			if c.err != nil {
				return c.err
			}
			if cn > maxRec[0] {
				return errf(what, addr, "child of %d records exceeds the node capacity", cn)
			}
			if err := walk(child, int(cn), d-1); err != nil {
				return err
			}
			if i < n {
				count++
				if err := visit(recs[i]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk(root, rootN, depth)
}

// denseLinks reads the links of a dense group.
func (g *Group) denseLinks(heapAddr, nameIndex uint64) error {
	h, err := g.f.fractalHeap(heapAddr)
	if err != nil {
		return err
	}
	return g.f.btree2(nameIndex, 5, func(rec []byte) error {
		if len(rec) < 4+h.idLen {
			return errf("v2 B-tree record", nameIndex, "record of %d bytes too short for a heap ID of %d", len(rec), h.idLen)
		}
		obj, err := h.object(rec[4 : 4+h.idLen])
		if err != nil {
			return err
		}
		name, addr, err := g.f.link(obj, heapAddr)
		if err != nil {
			return err
		}
		return g.addLink(name, addr, heapAddr)
	})
}
