package hdf5

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
)

// Error is a problem found in a file: the structure being read, its offset
// in the file and what is wrong.
type Error struct {
	Structure string // e.g. "object header", "v1 B-tree node", "dataset /node/w"
	Offset    uint64 // file offset of the structure (absolute)
	Msg       string
}

func (e *Error) Error() string {
	return fmt.Sprintf("hdf5: %s at offset %d (0x%x): %s", e.Structure, e.Offset, e.Offset, e.Msg)
}

func errf(structure string, off uint64, format string, a ...any) *Error {
	return &Error{Structure: structure, Offset: off, Msg: fmt.Sprintf(format, a...)}
}

// MaxDataBytes bounds the decoded size of one dataset or attribute value
// independently of the file size; decoding a value may additionally use at
// most maxExpansion times the file size (deflate cannot expand further).
const MaxDataBytes = 1 << 30

const maxExpansion = 1100

// undef is HDF5's undefined address (all bits set).
const undef = ^uint64(0)

var signature = []byte{0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}

// File is an open HDF5 file.
type File struct {
	r      io.ReaderAt
	size   uint64 // file length
	closer io.Closer

	base   uint64 // base address: every address in the file is relative to it
	so, sl int    // size of offsets and of lengths
	// Superblock is the superblock version (0..3).
	Superblock int

	rootAddr uint64
	// rootCache: symbol-table root of a version-0/1 superblock (the root
	// group's object header holds it too; kept for files whose root header
	// lacks the message).
	rootBTree, rootHeap uint64

	gheaps map[uint64]map[uint16][]byte
	// budget of bytes the reader may still allocate for decoded values.
	budget uint64
}

// Open opens the named file for reading.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("hdf5: %w", err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("hdf5: %w", err)
	}
	f, err := NewFile(fh, st.Size())
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// NewFile reads an HDF5 file of the given size from r.
func NewFile(r io.ReaderAt, size int64) (*File, error) {
	if size < 0 {
		return nil, errf("file", 0, "negative size")
	}
	f := &File{r: r, size: uint64(size), gheaps: map[uint64]map[uint16][]byte{}}
	f.budget = MaxDataBytes
	if b := maxExpansion*f.size + 1<<20; b < f.budget {
		f.budget = b
	}
	if err := f.superblock(); err != nil {
		return nil, err
	}
	return f, nil
}

// Close closes the underlying file if Open opened it.
func (f *File) Close() error {
	if f.closer != nil {
		return f.closer.Close()
	}
	return nil
}

// readAbs reads n bytes at absolute offset off.
func (f *File) readAbs(what string, off, n uint64) ([]byte, error) {
	if n > f.size || off > f.size-n {
		return nil, errf(what, off, "%d bytes needed but the file ends at %d (truncated or corrupt)", n, f.size)
	}
	b := make([]byte, n)
	if _, err := f.r.ReadAt(b, int64(off)); err != nil && !(err == io.EOF && uint64(len(b)) == n) {
		return nil, errf(what, off, "read: %v", err)
	}
	return b, nil
}

// read reads n bytes at file address addr (relative to the base address).
func (f *File) read(what string, addr, n uint64) ([]byte, error) {
	if addr == undef {
		return nil, errf(what, addr, "undefined address")
	}
	if addr > f.size || f.base > f.size-addr {
		return nil, errf(what, addr, "address beyond the end of the file (%d bytes; truncated or corrupt)", f.size)
	}
	return f.readAbs(what, f.base+addr, n)
}

// readUpTo reads at most n bytes at addr, fewer if the file ends first; for
// structures whose length is only known after parsing their start.
func (f *File) readUpTo(what string, addr, n uint64) ([]byte, error) {
	if addr == undef || addr > f.size || f.base > f.size-addr {
		return nil, errf(what, addr, "address beyond the end of the file (%d bytes; truncated or corrupt)", f.size)
	}
	abs := f.base + addr
	if n > f.size-abs {
		n = f.size - abs
	}
	return f.readAbs(what, abs, n)
}

// take charges n bytes of decoded data to the file's allocation budget.
func (f *File) take(what string, off, n uint64) error {
	if n > f.budget {
		return errf(what, off, "needs %d bytes of memory, more than this file may claim (%d left of a bound of %d bytes)", n, f.budget, MaxDataBytes)
	}
	f.budget -= n
	return nil
}

// cursor decodes little-endian fields from a buffer; a short buffer sets err
// rather than panicking, and every later read then returns zero.
type cursor struct {
	b    []byte
	p    int
	f    *File
	what string
	at   uint64 // absolute file offset of b[0], for errors
	err  error
}

func (f *File) cursor(what string, addr uint64, b []byte) *cursor {
	return &cursor{b: b, f: f, what: what, at: f.base + addr}
}

func (c *cursor) need(n int) bool {
	if c.err != nil {
		return false
	}
	if n < 0 || n > len(c.b)-c.p {
		c.err = errf(c.what, c.at, "structure runs past its end (needs %d bytes at +%d of %d)", n, c.p, len(c.b))
		return false
	}
	return true
}

func (c *cursor) bytes(n int) []byte {
	if !c.need(n) {
		return nil
	}
	v := c.b[c.p : c.p+n]
	c.p += n
	return v
}

func (c *cursor) skip(n int) { c.bytes(n) }

func (c *cursor) u8() uint8 {
	if !c.need(1) {
		return 0
	}
	c.p++
	return c.b[c.p-1]
}

func (c *cursor) u16() uint16 {
	if !c.need(2) {
		return 0
	}
	c.p += 2
	return binary.LittleEndian.Uint16(c.b[c.p-2:])
}

func (c *cursor) u32() uint32 {
	if !c.need(4) {
		return 0
	}
	c.p += 4
	return binary.LittleEndian.Uint32(c.b[c.p-4:])
}

// uvar reads an n-byte little-endian unsigned integer (n <= 8).
func (c *cursor) uvar(n int) uint64 {
	if n > 8 {
		c.err = errf(c.what, c.at, "field of %d bytes is wider than 8", n)
		return 0
	}
	b := c.bytes(n)
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// addr reads a file address; all-ones (of any width) is undef.
func (c *cursor) addr() uint64 {
	n := c.f.so
	v := c.uvar(n)
	if n < 8 && v == 1<<(8*uint(n))-1 {
		return undef
	}
	return v
}

func (c *cursor) length() uint64 { return c.uvar(c.f.sl) }

func (c *cursor) sig(s string) {
	b := c.bytes(len(s))
	if c.err == nil && string(b) != s {
		c.err = errf(c.what, c.at, "signature %q expected, found %q", s, b)
	}
}

func (c *cursor) left() int { return len(c.b) - c.p }

func (f *File) superblock() error {
	var at uint64
	found := false
	for at = 0; at+8 <= f.size; {
		b, err := f.readAbs("superblock", at, 8)
		if err != nil {
			return err
		}
		if bytes.Equal(b, signature) {
			found = true
			break
		}
		if at == 0 {
			at = 512
		} else {
			at *= 2
		}
	}
	if !found {
		return errf("superblock", 0, "not an HDF5 file (no signature at 0, 512, 1024, ...)")
	}
	hdr, err := f.readAbs("superblock", at, min(f.size-at, 256))
	if err != nil {
		return err
	}
	c := &cursor{b: hdr, f: f, what: "superblock", at: at}
	c.skip(8)
	v := c.u8()
	f.Superblock = int(v)
	switch v {
	case 0, 1:
		c.skip(3) // free-space, root symbol table, reserved
		if sh := c.u8(); sh != 0 && c.err == nil {
			return errf("superblock", at, "shared header message format version %d not supported", sh)
		}
		f.so, f.sl = int(c.u8()), int(c.u8())
		if err := f.checkSizes(at); err != nil {
			return err
		}
		c.skip(1)
		c.skip(4) // group leaf / internal node K
		c.skip(4) // consistency flags
		if v == 1 {
			c.skip(4)
		}
		f.base = c.addr()
		c.addr() // free space info
		c.addr() // end of file
		c.addr() // driver info
		// Root group symbol table entry.
		c.addr() // link name offset
		f.rootAddr = c.addr()
		cache := c.u32()
		c.skip(4)
		f.rootBTree, f.rootHeap = undef, undef
		if cache == 1 {
			f.rootBTree, f.rootHeap = c.addr(), c.addr()
		}
	case 2, 3:
		f.so, f.sl = int(c.u8()), int(c.u8())
		if err := f.checkSizes(at); err != nil {
			return err
		}
		c.skip(1) // flags
		f.base = c.addr()
		c.addr() // superblock extension (holds nothing this subset needs)
		c.addr() // end of file
		f.rootAddr = c.addr()
		c.skip(4) // checksum
		f.rootBTree, f.rootHeap = undef, undef
	default:
		return errf("superblock", at, "version %d not supported (0 to 3 are)", v)
	}
	if c.err != nil {
		return c.err
	}
	if f.base == undef {
		f.base = 0
	}
	if f.base == 0 {
		// Files with a user block have a base address equal to the
		// superblock's position; some writers leave the field 0 anyway.
		f.base = at
	}
	return nil
}

func (f *File) checkSizes(at uint64) error {
	ok := func(n int) bool { return n == 2 || n == 4 || n == 8 }
	if !ok(f.so) || !ok(f.sl) {
		return errf("superblock", at, "size of offsets %d / lengths %d not supported (2, 4 or 8)", f.so, f.sl)
	}
	return nil
}
