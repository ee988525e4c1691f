package hdf5

import (
	"encoding/binary"
	"math"
	"strings"
)

// Class is the kind of a datatype as this package sees it.
type Class int

// Datatype classes of the supported subset.
const (
	Int     Class = iota // fixed-point, signed or unsigned
	Float                // IEEE binary32 or binary64
	String               // fixed-length string
	VString              // variable-length string (global heap)
	Bool                 // h5py boolean: enum FALSE=0 / TRUE=1 over an 8-bit integer
	Enum                 // other enumerations: read as their integer values
)

// Datatype describes the elements of a dataset or attribute.
type Datatype struct {
	Class     Class
	Size      int  // bytes per element as stored
	BigEndian bool // Int, Float, Bool, Enum
	Signed    bool // Int, Bool, Enum
	// Pad is the padding of fixed strings: 0 null-terminated, 1 null-padded,
	// 2 space-padded.
	Pad int
	// UTF8 marks strings whose character set is UTF-8 (else ASCII).
	UTF8 bool
	// Names and Values are the members of an enumeration.
	Names  []string
	Values []int64
}

// datatype parses a datatype message; it returns the type and the number of
// bytes it took.
func (f *File) datatype(b []byte, at uint64) (Datatype, int, error) {
	c := f.cursor("datatype message", at, b)
	cv := c.u8()
	bits := c.bytes(3)
	size := c.u32()
	if c.err != nil {
		return Datatype{}, 0, c.err
	}
	class, version := cv&0x0f, cv>>4
	if size == 0 || size > 1<<16 {
		return Datatype{}, 0, errf("datatype message", at, "element size %d out of range", size)
	}
	t := Datatype{Size: int(size)}
	switch class {
	case 0: // fixed-point
		t.Class = Int
		t.BigEndian = bits[0]&1 != 0
		t.Signed = bits[0]&8 != 0
		off, prec := c.u16(), c.u16()
		if c.err != nil {
			return t, 0, c.err
		}
		if size != 1 && size != 2 && size != 4 && size != 8 {
			return t, 0, errf("datatype message", at, "integer of %d bytes not supported (1, 2, 4 or 8)", size)
		}
		if off != 0 || int(prec) != 8*int(size) {
			return t, 0, errf("datatype message", at, "integer with bit offset %d and precision %d not supported", off, prec)
		}
	case 1: // floating point
		t.Class = Float
		if bits[0]&0x40 != 0 {
			return t, 0, errf("datatype message", at, "VAX floating-point byte order not supported")
		}
		t.BigEndian = bits[0]&1 != 0
		c.u16() // bit offset
		prec := c.u16()
		c.u8() // exponent location
		esize := c.u8()
		c.u8() // mantissa location
		msize := c.u8()
		c.u32() // exponent bias
		if c.err != nil {
			return t, 0, c.err
		}
		ieee := (size == 4 && prec == 32 && esize == 8 && msize == 23) || (size == 8 && prec == 64 && esize == 11 && msize == 52)
		if !ieee {
			return t, 0, errf("datatype message", at, "floating point of %d bytes (exponent %d, mantissa %d bits) is not IEEE binary32/64", size, esize, msize)
		}
	case 3: // string
		t.Class = String
		t.Pad = int(bits[0] & 0x0f)
		t.UTF8 = bits[0]>>4 == 1
	case 8: // enumeration
		base, n, err := f.datatype(c.b[c.p:], at+uint64(c.p))
		if err != nil {
			return t, 0, err
		}
		c.skip(n)
		if base.Class != Int {
			return t, 0, errf("datatype message", at, "enumeration over a non-integer type not supported")
		}
		nm := int(binary.LittleEndian.Uint16([]byte{bits[0], bits[1]}))
		t.Class, t.BigEndian, t.Signed = Enum, base.BigEndian, base.Signed
		for i := 0; i < nm && c.err == nil; i++ {
			rest := c.b[c.p:]
			end := 0
			for end < len(rest) && rest[end] != 0 {
				end++
			}
			if end == len(rest) {
				return t, 0, errf("datatype message", at, "enumeration member name not terminated")
			}
			t.Names = append(t.Names, string(rest[:end]))
			n := end + 1
			if version < 3 {
				n = (n + 7) &^ 7
			}
			c.skip(n)
		}
		for i := 0; i < nm && c.err == nil; i++ {
			v := c.bytes(int(size))
			if v != nil {
				t.Values = append(t.Values, decodeInt(v, base))
			}
		}
		if c.err != nil {
			return t, 0, c.err
		}
		if nm == 2 && size == 1 && t.Names[0] == "FALSE" && t.Names[1] == "TRUE" && t.Values[0] == 0 && t.Values[1] == 1 {
			t.Class = Bool
		}
	case 9: // variable-length
		if bits[0]&0x0f != 1 {
			return t, 0, errf("datatype message", at, "variable-length sequences other than strings not supported")
		}
		t.Class = VString
		t.Pad = int(bits[0] >> 4)
		t.UTF8 = bits[1]&0x0f == 1
		_, n, err := f.datatype(c.b[c.p:], at+uint64(c.p))
		if err != nil {
			return t, 0, err
		}
		c.skip(n)
	default:
		names := map[uint8]string{2: "time", 4: "bitfield", 5: "opaque", 6: "compound", 7: "reference", 10: "array"}
		name := names[class]
		if name == "" {
			name = "unknown"
		}
		return t, 0, errf("datatype message", at, "datatype class %d (%s) not supported", class, name)
	}
	if c.err != nil {
		return t, 0, c.err
	}
	return t, c.p, nil
}

func decodeInt(b []byte, t Datatype) int64 {
	var u uint64
	n := len(b)
	for i := 0; i < n; i++ {
		j := i
		if !t.BigEndian {
			j = n - 1 - i
		}
		u = u<<8 | uint64(b[j])
	}
	if t.Signed && n < 8 && u&(1<<(8*uint(n)-1)) != 0 {
		u |= ^uint64(0) << (8 * uint(n))
	}
	return int64(u)
}

func decodeUint(b []byte, big bool) uint64 {
	var u uint64
	n := len(b)
	for i := 0; i < n; i++ {
		j := i
		if !big {
			j = n - 1 - i
		}
		u = u<<8 | uint64(b[j])
	}
	return u
}

// dataspace parses a dataspace message into a shape (nil shape and scalar
// true for a scalar; null spaces have zero elements).
func (f *File) dataspace(b []byte, at uint64) (shape []uint64, null bool, err error) {
	c := f.cursor("dataspace message", at, b)
	v := c.u8()
	nd := int(c.u8())
	flags := c.u8()
	switch v {
	case 1:
		c.skip(5)
	case 2:
		typ := c.u8()
		if typ == 2 {
			return nil, true, c.err
		}
	default:
		if c.err == nil {
			return nil, false, errf("dataspace message", at, "version %d not supported", v)
		}
	}
	if nd > 32 {
		return nil, false, errf("dataspace message", at, "rank %d above HDF5's limit of 32", nd)
	}
	shape = make([]uint64, nd)
	for i := range shape {
		shape[i] = c.length()
	}
	_ = flags // maximum dimensions and permutations do not change the data read
	return shape, false, c.err
}

// Value is a decoded dataset or attribute: its type, shape (empty for a
// scalar) and elements in row-major order in one of the slices, by class:
// Float → F, Int/Enum → I (unsigned 64-bit values above MaxInt64 are in U
// instead, with I nil), String/VString → S, Bool → B.
type Value struct {
	Type  Datatype
	Shape []uint64
	F     []float64
	I     []int64
	U     []uint64
	S     []string
	B     []bool
}

// Len is the number of elements.
func (v *Value) Len() int {
	switch {
	case v.F != nil:
		return len(v.F)
	case v.I != nil:
		return len(v.I)
	case v.U != nil:
		return len(v.U)
	case v.S != nil:
		return len(v.S)
	case v.B != nil:
		return len(v.B)
	}
	return 0
}

// numElems multiplies the dimensions, failing on overflow past limit.
func numElems(shape []uint64, limit uint64) (uint64, bool) {
	n := uint64(1)
	for _, d := range shape {
		if d != 0 && n > limit/d {
			return 0, false
		}
		n *= d
	}
	return n, n <= limit
}

// decode turns raw element bytes into a Value.
func (f *File) decode(raw []byte, t Datatype, shape []uint64, n int, what string, at uint64) (*Value, error) {
	v := &Value{Type: t, Shape: shape}
	es := t.Size
	switch t.Class {
	case Float:
		v.F = make([]float64, n)
		for i := range v.F {
			b := raw[i*es : (i+1)*es]
			if es == 4 {
				v.F[i] = float64(math.Float32frombits(uint32(decodeUint(b, t.BigEndian))))
			} else {
				v.F[i] = math.Float64frombits(decodeUint(b, t.BigEndian))
			}
		}
	case Int, Enum:
		if !t.Signed && es == 8 {
			v.U = make([]uint64, n)
			big := false
			for i := range v.U {
				v.U[i] = decodeUint(raw[i*es:(i+1)*es], t.BigEndian)
				big = big || v.U[i] > math.MaxInt64
			}
			if big {
				return v, nil
			}
			v.I = make([]int64, n)
			for i, u := range v.U {
				v.I[i] = int64(u)
			}
			v.U = nil
			return v, nil
		}
		v.I = make([]int64, n)
		for i := range v.I {
			v.I[i] = decodeInt(raw[i*es:(i+1)*es], t)
		}
	case Bool:
		v.B = make([]bool, n)
		for i := range v.B {
			v.B[i] = raw[i] != 0
		}
	case String:
		v.S = make([]string, n)
		for i := range v.S {
			s := string(raw[i*es : (i+1)*es])
			switch t.Pad {
			case 0:
				if k := strings.IndexByte(s, 0); k >= 0 {
					s = s[:k]
				}
			case 1:
				s = strings.TrimRight(s, "\x00")
			case 2:
				s = strings.TrimRight(s, " ")
			}
			v.S[i] = s
		}
	case VString:
		v.S = make([]string, n)
		for i := range v.S {
			c := f.cursor(what, at, raw[i*es:(i+1)*es])
			ln := uint64(c.u32())
			coll := c.addr()
			idx := c.u32()
			if c.err != nil {
				return nil, c.err
			}
			if ln == 0 {
				continue
			}
			obj, err := f.globalObject(coll, idx)
			if err != nil {
				return nil, err
			}
			if ln > uint64(len(obj)) {
				return nil, errf("global heap object", coll, "string of %d bytes but object %d holds %d", ln, idx, len(obj))
			}
			s := string(obj[:ln])
			if k := strings.IndexByte(s, 0); k >= 0 {
				s = s[:k]
			}
			v.S[i] = s
		}
	}
	return v, nil
}

// globalObject returns object idx of the global heap collection at addr.
func (f *File) globalObject(addr uint64, idx uint32) ([]byte, error) {
	objs, ok := f.gheaps[addr]
	if !ok {
		hdr, err := f.read("global heap collection", addr, uint64(8+f.sl))
		if err != nil {
			return nil, err
		}
		c := f.cursor("global heap collection", addr, hdr)
		c.sig("GCOL")
		if v := c.u8(); v != 1 && c.err == nil {
			return nil, errf("global heap collection", addr, "version %d not supported", v)
		}
		c.skip(3)
		size := c.length()
		if c.err != nil {
			return nil, c.err
		}
		b, err := f.read("global heap collection", addr, size)
		if err != nil {
			return nil, err
		}
		objs = map[uint16][]byte{}
		c = f.cursor("global heap collection", addr, b)
		c.skip(8 + f.sl)
		for c.left() >= 8+f.sl && c.err == nil {
			id := c.u16()
			c.skip(6)
			n := c.length()
			if id == 0 {
				break // free space: the rest of the collection
			}
			if n > uint64(c.left()) {
				return nil, errf("global heap collection", addr, "object %d of %d bytes runs past the collection", id, n)
			}
			objs[id] = c.bytes(int(n))
			c.skip(int((n+7)&^7 - n))
		}
		if c.err != nil {
			return nil, c.err
		}
		f.gheaps[addr] = objs
	}
	if idx > math.MaxUint16 {
		return nil, errf("global heap collection", addr, "object index %d out of range", idx)
	}
	o, ok := objs[uint16(idx)]
	if !ok {
		return nil, errf("global heap collection", addr, "no object %d", idx)
	}
	return o, nil
}
