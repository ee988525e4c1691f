package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"io"
	"sort"
)

// Dataset is an HDF5 dataset: a typed n-dimensional array.
type Dataset struct {
	object
	Type  Datatype
	Shape []uint64 // empty for a scalar
	null  bool     // null dataspace: no elements

	layout  layout
	filters []filter
}

type layout struct {
	class   int // 0 compact, 1 contiguous, 2 chunked
	at      uint64
	compact []byte
	addr    uint64
	size    uint64
	chunk   []uint64 // chunk dimensions (without the element-size dimension)
	index   int      // chunk index type: 0 v1 B-tree (layout v3), 1 single, 2 implicit, 3 fixed array, ...
	// single chunk with filters: stored size and filter mask
	singleSize uint64
	singleMask uint32
}

type filter struct {
	id     uint16
	flags  uint16
	client []uint32
}

const (
	filterDeflate    = 1
	filterShuffle    = 2
	filterFletcher32 = 3
)

func (f *File) dataset(path string, h *header) (*Dataset, error) {
	d := &Dataset{object: object{f: f, path: path, hdr: h}}
	m := h.find(msgDatatype)
	if m == nil {
		return nil, errf("object header", h.addr, "dataset without a datatype message")
	}
	t, _, err := f.datatype(m.data, m.at)
	if err != nil {
		return nil, err
	}
	d.Type = t
	if m = h.find(msgDataspace); m == nil {
		return nil, errf("object header", h.addr, "dataset without a dataspace message")
	}
	if d.Shape, d.null, err = f.dataspace(m.data, m.at); err != nil {
		return nil, err
	}
	if m = h.find(msgLayout); m == nil {
		return nil, errf("object header", h.addr, "dataset without a layout message")
	}
	if d.layout, err = f.parseLayout(m.data, m.at, len(d.Shape)); err != nil {
		return nil, err
	}
	if m = h.find(msgFilters); m != nil {
		if d.filters, err = f.parseFilters(m.data, m.at); err != nil {
			return nil, err
		}
	}
	if h.find(msgExternal) != nil {
		return nil, errf("object header", h.addr, "external storage not supported")
	}
	return d, nil
}

func (f *File) parseLayout(b []byte, at uint64, rank int) (layout, error) {
	c := f.cursor("layout message", at, b)
	v := c.u8()
	l := layout{at: at}
	if v != 3 && v != 4 {
		if c.err != nil {
			return l, c.err
		}
		return l, errf("layout message", at, "version %d not supported (3 or 4)", v)
	}
	l.class = int(c.u8())
	switch l.class {
	case 0:
		n := int(c.u16())
		l.compact = c.bytes(n)
	case 1:
		l.addr, l.size = c.addr(), c.length()
	case 2:
		var dims []uint64
		if v == 3 {
			nd := int(c.u8())
			l.addr = c.addr()
			if nd != rank+1 {
				return l, errf("layout message", at, "chunk rank %d for a dataset of rank %d", nd-1, rank)
			}
			for i := 0; i < nd; i++ {
				dims = append(dims, uint64(c.u32()))
			}
			l.index = 0
		} else {
			flags := c.u8()
			nd := int(c.u8())
			enc := int(c.u8())
			if nd != rank+1 {
				return l, errf("layout message", at, "chunk rank %d for a dataset of rank %d", nd-1, rank)
			}
			for i := 0; i < nd; i++ {
				dims = append(dims, c.uvar(enc))
			}
			l.index = int(c.u8())
			switch l.index {
			case 1:
				if flags&2 != 0 {
					l.singleSize = c.length()
					l.singleMask = c.u32()
				}
			case 2:
			case 3:
				c.u8() // page bits: read from the fixed array header instead
			case 4:
				return l, errf("layout message", at, "extensible-array chunk index (a resizable dataset written with libver='latest') not supported")
			case 5:
				return l, errf("layout message", at, "v2 B-tree chunk index (a dataset resizable in several dimensions) not supported")
			default:
				if c.err == nil {
					return l, errf("layout message", at, "chunk index type %d not supported", l.index)
				}
			}
			l.addr = c.addr()
		}
		if c.err != nil {
			return l, c.err
		}
		for _, d := range dims[:rank] {
			if d == 0 {
				return l, errf("layout message", at, "chunk dimension 0")
			}
		}
		l.chunk = dims[:rank]
	case 3:
		return l, errf("layout message", at, "virtual dataset not supported")
	default:
		if c.err == nil {
			return l, errf("layout message", at, "layout class %d not supported", l.class)
		}
	}
	return l, c.err
}

func (f *File) parseFilters(b []byte, at uint64) ([]filter, error) {
	c := f.cursor("filter pipeline message", at, b)
	v := c.u8()
	n := int(c.u8())
	if v == 1 {
		c.skip(6)
	} else if v != 2 && c.err == nil {
		return nil, errf("filter pipeline message", at, "version %d not supported", v)
	}
	var fs []filter
	for i := 0; i < n && c.err == nil; i++ {
		var fl filter
		fl.id = c.u16()
		nameLen := 0
		if v == 1 || fl.id >= 256 {
			nameLen = int(c.u16())
		}
		fl.flags = c.u16()
		nc := int(c.u16())
		if v == 1 {
			nameLen = (nameLen + 7) &^ 7
		}
		c.skip(nameLen)
		if nc > c.left()/4 {
			return nil, errf("filter pipeline message", at, "filter %d claims %d parameters", fl.id, nc)
		}
		for k := 0; k < nc; k++ {
			fl.client = append(fl.client, c.u32())
		}
		if v == 1 && nc%2 == 1 {
			c.skip(4)
		}
		switch fl.id {
		case filterDeflate, filterShuffle, filterFletcher32:
		default:
			if c.err == nil {
				names := map[uint16]string{4: "szip", 5: "nbit", 6: "scaleoffset", 32000: "lzf", 32001: "blosc", 32004: "lz4", 32015: "zstd"}
				name := names[fl.id]
				if name == "" {
					name = "unknown"
				}
				return nil, errf("filter pipeline message", at, "filter %d (%s) not supported (deflate, shuffle and fletcher32 are)", fl.id, name)
			}
		}
		fs = append(fs, fl)
	}
	return fs, c.err
}

// Attrs returns the object's attributes sorted by name.
func (o *object) Attrs() ([]Attribute, error) {
	var out []Attribute
	for _, m := range o.hdr.msgs {
		if m.typ != msgAttribute {
			continue
		}
		a, err := o.f.attribute(m.data, m.at)
		if err != nil {
			return nil, wrapPath(o.path, err)
		}
		out = append(out, a)
	}
	if m := o.hdr.find(msgAttrInfo); m != nil {
		c := o.f.cursor("attribute info message", m.at, m.data)
		if v := c.u8(); v != 0 && c.err == nil {
			return nil, wrapPath(o.path, errf("attribute info message", m.at, "version %d not supported", v))
		}
		flags := c.u8()
		if flags&1 != 0 {
			c.skip(2)
		}
		heapAddr, names := c.addr(), c.addr()
		if c.err != nil {
			return nil, wrapPath(o.path, c.err)
		}
		if heapAddr != undef && names != undef {
			h, err := o.f.fractalHeap(heapAddr)
			if err != nil {
				return nil, wrapPath(o.path, err)
			}
			err = o.f.btree2(names, 8, func(rec []byte) error {
				if len(rec) < h.idLen {
					return errf("v2 B-tree record", names, "record shorter than a heap ID")
				}
				obj, err := h.object(rec[:h.idLen])
				if err != nil {
					return err
				}
				a, err := o.f.attribute(obj, heapAddr)
				if err != nil {
					return err
				}
				out = append(out, a)
				return nil
			})
			if err != nil {
				return nil, wrapPath(o.path, err)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (f *File) attribute(b []byte, at uint64) (Attribute, error) {
	c := f.cursor("attribute message", at, b)
	v := c.u8()
	flags := c.u8()
	nameLen, dtLen, dsLen := int(c.u16()), int(c.u16()), int(c.u16())
	if c.err != nil {
		return Attribute{}, c.err
	}
	if v < 1 || v > 3 {
		return Attribute{}, errf("attribute message", at, "version %d not supported", v)
	}
	if flags&3 != 0 {
		return Attribute{}, errf("attribute message", at, "shared datatype or dataspace not supported")
	}
	if v == 3 {
		c.u8()
	}
	pad := func(n int) int {
		if v == 1 {
			return (n + 7) &^ 7
		}
		return n
	}
	nb := c.bytes(pad(nameLen))
	if c.err != nil {
		return Attribute{}, c.err
	}
	name := string(bytes.TrimRight(nb[:nameLen], "\x00"))
	dtAt := at + uint64(c.p)
	dt := c.bytes(pad(dtLen))
	dsAt := at + uint64(c.p)
	ds := c.bytes(pad(dsLen))
	if c.err != nil {
		return Attribute{}, c.err
	}
	t, _, err := f.datatype(dt, dtAt)
	if err != nil {
		return Attribute{}, err
	}
	shape, null, err := f.dataspace(ds, dsAt)
	if err != nil {
		return Attribute{}, err
	}
	n := uint64(0)
	if !null {
		var ok bool
		if n, ok = numElems(shape, uint64(c.left())/uint64(t.Size)); !ok {
			return Attribute{}, errf("attribute message", at, "attribute %q: %v elements do not fit the message", name, shape)
		}
	}
	raw := c.bytes(int(n) * t.Size)
	if c.err != nil {
		return Attribute{}, c.err
	}
	val, err := f.decode(raw, t, shape, int(n), "attribute "+name, at)
	if err != nil {
		return Attribute{}, err
	}
	return Attribute{Name: name, Value: val}, nil
}

// NumElems is the number of elements (1 for a scalar, 0 for a null space).
func (d *Dataset) NumElems() uint64 {
	if d.null {
		return 0
	}
	n, _ := numElems(d.Shape, ^uint64(0))
	return n
}

// Read reads and decodes the whole dataset.
func (d *Dataset) Read() (*Value, error) {
	v, err := d.read()
	if err != nil {
		return nil, wrapPath(d.path, err)
	}
	return v, nil
}

func (d *Dataset) read() (*Value, error) {
	f := d.f
	es := uint64(d.Type.Size)
	n := uint64(0)
	if !d.null {
		var ok bool
		n, ok = numElems(d.Shape, MaxDataBytes/es)
		if !ok {
			return nil, errf("dataset", d.hdr.addr, "shape %v is larger than %d bytes", d.Shape, MaxDataBytes)
		}
	}
	total := n * es
	if err := f.take("dataset", d.hdr.addr, total); err != nil {
		return nil, err
	}
	var raw []byte
	switch d.layout.class {
	case 0:
		if uint64(len(d.layout.compact)) < total {
			return nil, errf("layout message", d.layout.at, "compact data of %d bytes for %d expected", len(d.layout.compact), total)
		}
		raw = d.layout.compact[:total]
	case 1:
		if total == 0 {
			break
		}
		if d.layout.addr == undef {
			raw = make([]byte, total) // never written: fill value 0
			break
		}
		if d.layout.size < total {
			return nil, errf("layout message", d.layout.at, "contiguous storage of %d bytes for %d expected", d.layout.size, total)
		}
		var err error
		if raw, err = f.read("contiguous data", d.layout.addr, total); err != nil {
			return nil, err
		}
	case 2:
		raw = make([]byte, total)
		if total > 0 {
			if err := d.readChunks(raw); err != nil {
				return nil, err
			}
		}
	}
	return f.decode(raw, d.Type, d.Shape, int(n), "dataset", d.hdr.addr)
}

// chunkRef locates one stored chunk.
type chunkRef struct {
	offset []uint64 // element coordinates of the chunk's first element
	addr   uint64
	size   uint64
	mask   uint32
}

func (d *Dataset) readChunks(out []byte) error {
	l := d.layout
	rank := len(d.Shape)
	es := uint64(d.Type.Size)
	chunkElems, ok := numElems(l.chunk, MaxDataBytes/es)
	if !ok {
		return errf("layout message", l.at, "chunk %v larger than %d bytes", l.chunk, MaxDataBytes)
	}
	chunkBytes := chunkElems * es
	// Chunks in row-major order of the chunk grid.
	grid := make([]uint64, rank)
	nchunks := uint64(1)
	for i := range grid {
		grid[i] = (d.Shape[i] + l.chunk[i] - 1) / l.chunk[i]
		nchunks *= grid[i]
	}
	offsetOf := func(k uint64) []uint64 {
		off := make([]uint64, rank)
		for i := rank - 1; i >= 0; i-- {
			off[i] = (k % grid[i]) * l.chunk[i]
			k /= grid[i]
		}
		return off
	}
	if l.addr == undef {
		return nil // nothing written: fill value 0
	}
	// Each grid position may be stored once: a corrupt index repeating one
	// chunk could otherwise make a small file decompress without end.
	seen := map[uint64]bool{}
	visit := func(c chunkRef) error {
		var k uint64
		for i, o := range c.offset {
			if o >= d.Shape[i] {
				return errf("chunk", c.addr, "chunk offset %v outside the dataset %v", c.offset, d.Shape)
			}
			k = k*grid[i] + o/l.chunk[i]
		}
		if seen[k] {
			return errf("chunk", c.addr, "chunk at %v stored twice", c.offset)
		}
		seen[k] = true
		return d.placeChunk(out, c, chunkBytes)
	}
	switch l.index {
	case 0:
		return d.f.chunkBTree(l.addr, rank, visit)
	case 1:
		size := l.singleSize
		if len(d.filters) == 0 {
			size = chunkBytes
		}
		return visit(chunkRef{offset: make([]uint64, rank), addr: l.addr, size: size, mask: l.singleMask})
	case 2:
		for k := uint64(0); k < nchunks; k++ {
			if err := visit(chunkRef{offset: offsetOf(k), addr: l.addr + k*chunkBytes, size: chunkBytes}); err != nil {
				return err
			}
		}
		return nil
	case 3:
		return d.f.fixedArray(l.addr, len(d.filters) > 0, chunkBytes, nchunks, func(k uint64, c chunkRef) error {
			c.offset = offsetOf(k)
			return visit(c)
		})
	}
	return errf("layout message", l.at, "chunk index type %d not supported", l.index)
}

// placeChunk reads one chunk, undoes its filters and copies the part inside
// the dataset into out.
func (d *Dataset) placeChunk(out []byte, c chunkRef, chunkBytes uint64) error {
	f := d.f
	rank := len(d.Shape)
	for i, o := range c.offset {
		if o >= d.Shape[i] || o%d.layout.chunk[i] != 0 {
			return errf("chunk", c.addr, "chunk offset %v outside the dataset %v or off the chunk grid", c.offset, d.Shape)
		}
	}
	if c.addr == undef {
		return nil
	}
	data, err := f.read("chunk", c.addr, c.size)
	if err != nil {
		return err
	}
	for i := len(d.filters) - 1; i >= 0; i-- {
		if c.mask&(1<<uint(i)) != 0 {
			continue
		}
		if data, err = unfilter(d.filters[i], data, chunkBytes, c.addr); err != nil {
			return err
		}
	}
	if uint64(len(data)) != chunkBytes {
		return errf("chunk", c.addr, "holds %d bytes after filters, %d expected", len(data), chunkBytes)
	}
	es := uint64(d.Type.Size)
	// Copy row by row along the last dimension.
	ch := d.layout.chunk
	rowLen := min(ch[rank-1], d.Shape[rank-1]-c.offset[rank-1])
	idx := make([]uint64, rank) // index within the chunk
	for {
		// source offset within the chunk
		var src, dst uint64
		inside := true
		for i := 0; i < rank; i++ {
			src = src*ch[i] + idx[i]
			g := c.offset[i] + idx[i]
			if g >= d.Shape[i] {
				inside = false
			}
			dst = dst*d.Shape[i] + g
		}
		if inside {
			copy(out[dst*es:(dst+rowLen)*es], data[src*es:(src+rowLen)*es])
		}
		// next row: increment idx over dims 0..rank-2
		i := rank - 2
		for ; i >= 0; i-- {
			idx[i]++
			if idx[i] < ch[i] {
				break
			}
			idx[i] = 0
		}
		if i < 0 {
			return nil
		}
	}
}

func unfilter(fl filter, data []byte, want uint64, at uint64) ([]byte, error) {
	switch fl.id {
	case filterDeflate:
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, errf("chunk", at, "deflate: %v", err)
		}
		out, err := io.ReadAll(io.LimitReader(zr, int64(want)+1))
		if err != nil {
			return nil, errf("chunk", at, "deflate: %v", err)
		}
		if uint64(len(out)) > want {
			return nil, errf("chunk", at, "deflate output exceeds the chunk size %d", want)
		}
		return out, nil
	case filterShuffle:
		size := 1
		if len(fl.client) > 0 {
			size = int(fl.client[0])
		}
		if size <= 1 || len(data) < size {
			return data, nil
		}
		n := len(data) / size
		out := make([]byte, len(data))
		for b := 0; b < size; b++ {
			for i := 0; i < n; i++ {
				out[i*size+b] = data[b*n+i]
			}
		}
		copy(out[n*size:], data[n*size:])
		return out, nil
	case filterFletcher32:
		if len(data) < 4 {
			return nil, errf("chunk", at, "fletcher32: chunk shorter than its checksum")
		}
		body, stored := data[:len(data)-4], data[len(data)-4:]
		sum := fletcher32(body)
		if binary.LittleEndian.Uint32(stored) != sum && binary.BigEndian.Uint32(stored) != sum {
			return nil, errf("chunk", at, "fletcher32 checksum mismatch (stored %x, computed %08x)", stored, sum)
		}
		return body, nil
	}
	return nil, errors.New("unreachable filter")
}

// fletcher32 is HDF5's Fletcher checksum over 16-bit big-endian words (an
// odd last byte counts as the high byte of a word).
func fletcher32(b []byte) uint32 {
	var s1, s2 uint32 = 0xffff, 0xffff
	n := len(b) / 2
	for n > 0 {
		t := min(n, 360)
		n -= t
		for ; t > 0; t-- {
			s1 += uint32(b[0])<<8 | uint32(b[1])
			s2 += s1
			b = b[2:]
		}
		s1 = (s1 & 0xffff) + (s1 >> 16)
		s2 = (s2 & 0xffff) + (s2 >> 16)
	}
	if len(b) == 1 {
		s1 += uint32(b[0]) << 8
		s2 += s1
		s1 = (s1 & 0xffff) + (s1 >> 16)
		s2 = (s2 & 0xffff) + (s2 >> 16)
	}
	s1 = (s1 & 0xffff) + (s1 >> 16)
	s2 = (s2 & 0xffff) + (s2 >> 16)
	return s2<<16 | s1
}

// chunkBTree visits the chunks of a v1 B-tree chunk index.
func (f *File) chunkBTree(addr uint64, rank int, visit func(chunkRef) error) error {
	return f.btree1(addr, 1, 8+8*(rank+1), func(key []byte, child uint64) error {
		c := f.cursor("v1 B-tree chunk key", addr, key)
		ref := chunkRef{size: uint64(c.u32()), mask: c.u32(), offset: make([]uint64, rank), addr: child}
		for k := range ref.offset {
			ref.offset[k] = c.uvar(8)
		}
		if c.err != nil {
			return c.err
		}
		return visit(ref)
	})
}

// fixedArray visits the chunks of a fixed-array chunk index.
func (f *File) fixedArray(addr uint64, filtered bool, chunkBytes, nchunks uint64, visit func(k uint64, c chunkRef) error) error {
	b, err := f.read("fixed array header", addr, uint64(8+f.sl+f.so+4))
	if err != nil {
		return err
	}
	c := f.cursor("fixed array header", addr, b)
	c.sig("FAHD")
	c.skip(1)
	client := c.u8()
	esize := int(c.u8())
	pageBits := int(c.u8())
	nent := c.length()
	dblk := c.addr()
	if c.err != nil {
		return c.err
	}
	if (client == 1) != filtered {
		return errf("fixed array header", addr, "client %d does not match the dataset's filters", client)
	}
	minSize := f.so
	if filtered {
		minSize = f.so + 1 + 4
	}
	if esize < minSize || esize > f.so+8+4 || pageBits > 32 || nent != nchunks {
		return errf("fixed array header", addr, "inconsistent (entry size %d, page bits %d, %d entries for %d chunks)", esize, pageBits, nent, nchunks)
	}
	if nent > f.size/uint64(esize)+1 {
		return errf("fixed array header", addr, "%d entries cannot fit in the file", nent)
	}
	if dblk == undef {
		return nil
	}
	prefix := uint64(6 + f.so)
	perPage := uint64(1) << uint(pageBits)
	paged := nent > perPage
	npages := (nent + perPage - 1) / perPage
	if paged {
		prefix += (npages + 7) / 8
	}
	entry := func(c *cursor, k uint64) error {
		ref := chunkRef{addr: c.addr(), size: chunkBytes}
		if filtered {
			ref.size = c.uvar(esize - f.so - 4)
			ref.mask = c.u32()
		}
		if c.err != nil {
			return c.err
		}
		return visit(k, ref)
	}
	if !paged {
		b, err := f.read("fixed array data block", dblk, prefix+nent*uint64(esize)+4)
		if err != nil {
			return err
		}
		c := f.cursor("fixed array data block", dblk, b)
		c.sig("FADB")
		c.skip(int(prefix) - 4)
		for k := uint64(0); k < nent; k++ {
			if err := entry(c, k); err != nil {
				return err
			}
		}
		return nil
	}
	hdr, err := f.read("fixed array data block", dblk, prefix+4)
	if err != nil {
		return err
	}
	if string(hdr[:4]) != "FADB" {
		return errf("fixed array data block", dblk, "signature FADB expected")
	}
	bitmap := hdr[6+f.so : prefix]
	pos := dblk + prefix + 4
	for p := uint64(0); p < npages; p++ {
		cnt := min(perPage, nent-p*perPage)
		size := cnt*uint64(esize) + 4
		if bitmap[p/8]&(0x80>>(p%8)) != 0 {
			b, err := f.read("fixed array data block page", pos, size)
			if err != nil {
				return err
			}
			c := f.cursor("fixed array data block page", pos, b)
			for i := uint64(0); i < cnt; i++ {
				if err := entry(c, p*perPage+i); err != nil {
					return err
				}
			}
		}
		pos += size
	}
	return nil
}
