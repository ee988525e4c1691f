package hdf5

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Writer builds an HDF5 file in memory: groups, datasets and attributes,
// written as superblock 0, version-1 object headers, symbol-table groups,
// contiguous datasets and global-heap strings.
type Writer struct {
	root *wnode
}

type wnode struct {
	name     string
	group    bool
	children []*wnode
	byName   map[string]*wnode
	value    *Value
	attrs    []Attribute
	addr     uint64 // object header address, once written
	// symbol table of a group, once written
	btree, heap uint64
}

// WGroup is a group being built.
type WGroup struct{ n *wnode }

// NewWriter starts an empty file.
func NewWriter() *Writer {
	return &Writer{root: &wnode{group: true, byName: map[string]*wnode{}}}
}

// Root is the root group.
func (w *Writer) Root() *WGroup { return &WGroup{w.root} }

func checkName(name string) error {
	if name == "" || name == "." || strings.ContainsAny(name, "/\x00") {
		return fmt.Errorf("hdf5: invalid object name %q", name)
	}
	return nil
}

// Group returns the member group of that name, creating it if needed.
func (g *WGroup) Group(name string) (*WGroup, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if c, ok := g.n.byName[name]; ok {
		if !c.group {
			return nil, fmt.Errorf("hdf5: %q is a dataset, not a group", name)
		}
		return &WGroup{c}, nil
	}
	c := &wnode{name: name, group: true, byName: map[string]*wnode{}}
	g.n.children = append(g.n.children, c)
	g.n.byName[name] = c
	return &WGroup{c}, nil
}

// Write adds a dataset. The element type follows the value: F is written
// as float64 (float32 when v.Type is a 4-byte Float), I as 64-bit signed
// integers (or v.Type's size if it is an Int), U as uint64, S as variable-
// length UTF-8 strings, B as h5py booleans.
func (g *WGroup) Write(name string, v *Value) error {
	if err := checkName(name); err != nil {
		return err
	}
	if _, ok := g.n.byName[name]; ok {
		return fmt.Errorf("hdf5: %q already exists", name)
	}
	if err := checkValue(v); err != nil {
		return fmt.Errorf("hdf5: dataset %q: %w", name, err)
	}
	c := &wnode{name: name, value: v}
	g.n.children = append(g.n.children, c)
	g.n.byName[name] = c
	return nil
}

// SetAttr attaches an attribute to the group.
func (g *WGroup) SetAttr(name string, v *Value) error {
	if err := checkValue(v); err != nil {
		return fmt.Errorf("hdf5: attribute %q: %w", name, err)
	}
	g.n.attrs = append(g.n.attrs, Attribute{Name: name, Value: v})
	return nil
}

func checkValue(v *Value) error {
	n, ok := numElems(v.Shape, math.MaxInt32)
	if !ok {
		return fmt.Errorf("shape %v too large", v.Shape)
	}
	kinds := 0
	for _, present := range []bool{v.F != nil, v.I != nil, v.U != nil, v.S != nil, v.B != nil} {
		if present {
			kinds++
		}
	}
	if kinds != 1 {
		return fmt.Errorf("value must hold exactly one of F, I, U, S, B")
	}
	if uint64(v.Len()) != n {
		return fmt.Errorf("%d elements for shape %v", v.Len(), v.Shape)
	}
	return nil
}

// Scalars and arrays for Write and SetAttr.

// Floats is a float64 array of the given shape.
func Floats(shape []uint64, x []float64) *Value {
	return &Value{Type: Datatype{Class: Float, Size: 8}, Shape: shape, F: x}
}

// Float32s is an array stored as float32 (values are rounded to float32).
func Float32s(shape []uint64, x []float64) *Value {
	return &Value{Type: Datatype{Class: Float, Size: 4}, Shape: shape, F: x}
}

// Ints is an int64 array of the given shape.
func Ints(shape []uint64, x []int64) *Value {
	return &Value{Type: Datatype{Class: Int, Size: 8, Signed: true}, Shape: shape, I: x}
}

// Strings is an array of variable-length UTF-8 strings.
func Strings(shape []uint64, s []string) *Value {
	return &Value{Type: Datatype{Class: VString, Size: 16, UTF8: true}, Shape: shape, S: s}
}

// Scalar helpers.
func ScalarFloat(x float64) *Value { return Floats(nil, []float64{x}) }
func ScalarInt(x int64) *Value     { return Ints(nil, []int64{x}) }
func ScalarString(s string) *Value { return Strings(nil, []string{s}) }

// encoding state
type wbuf struct {
	b []byte
	// strings: value pointer -> per element (collection address, index)
	heapRefs map[*Value][]heapRef
}

type heapRef struct {
	coll uint64
	idx  uint32
}

func (w *wbuf) align() {
	for len(w.b)%8 != 0 {
		w.b = append(w.b, 0)
	}
}

func (w *wbuf) pos() uint64 { return uint64(len(w.b)) }

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func le64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

func pad8(b []byte) []byte {
	for len(b)%8 != 0 {
		b = append(b, 0)
	}
	return b
}

// Bytes encodes the file.
func (wr *Writer) Bytes() ([]byte, error) {
	w := &wbuf{heapRefs: map[*Value][]heapRef{}}
	// Superblock placeholder, patched at the end.
	w.b = make([]byte, 96)
	maxMembers := 0
	var strs []*Value
	var scan func(n *wnode)
	scan = func(n *wnode) {
		if n.group {
			maxMembers = max(maxMembers, len(n.children))
			for _, c := range n.children {
				scan(c)
			}
		} else if n.value.S != nil {
			strs = append(strs, n.value)
		}
		for _, a := range n.attrs {
			if a.Value.S != nil {
				strs = append(strs, a.Value)
			}
		}
	}
	scan(wr.root)
	leafK := max(4, (maxMembers+1)/2)
	if leafK > math.MaxUint16 {
		return nil, fmt.Errorf("hdf5: a group of %d members is more than this writer supports (%d)", maxMembers, 2*math.MaxUint16)
	}
	w.globalHeaps(strs)
	if err := w.object(wr.root, leafK); err != nil {
		return nil, err
	}
	// Superblock version 0.
	sb := append([]byte{}, signature...)
	sb = append(sb, 0, 0, 0, 0, 0, 8, 8, 0)
	sb = le16(sb, uint16(leafK))
	sb = le16(sb, internalK)
	sb = le32(sb, 0)
	sb = le64(sb, 0)     // base address
	sb = le64(sb, undef) // free space info
	sb = le64(sb, w.pos())
	sb = le64(sb, undef) // driver info
	// root group symbol table entry
	sb = le64(sb, 0)
	sb = le64(sb, wr.root.addr)
	sb = le32(sb, 1)
	sb = le32(sb, 0)
	sb = le64(sb, wr.root.btree)
	sb = le64(sb, wr.root.heap)
	copy(w.b, sb)
	return w.b, nil
}

// internalK is the group B-tree internal node K (HDF5's default).
const internalK = 16

// globalHeaps lays out every string in global heap collections.
func (w *wbuf) globalHeaps(vals []*Value) {
	const maxColl = 1 << 20
	var coll []byte
	var refs []struct {
		v *Value
		i int
	}
	var idx uint32
	flush := func() {
		if coll == nil {
			return
		}
		// free space object for the rest of a 4096-byte minimum collection
		size := uint64(len(coll))
		if size+16 <= 4096 {
			free := 4096 - size
			coll = le16(coll, 0)
			coll = le16(coll, 0)
			coll = le32(coll, 0)
			coll = le64(coll, free)
			coll = append(coll, make([]byte, free-16)...)
		} else if size < 4096 {
			coll = append(coll, make([]byte, 4096-size)...)
		}
		binary.LittleEndian.PutUint64(coll[8:], uint64(len(coll)))
		at := w.pos()
		w.b = append(w.b, coll...)
		for _, r := range refs {
			w.heapRefs[r.v][r.i].coll = at
		}
		coll, refs, idx = nil, nil, 0
	}
	for _, v := range vals {
		w.heapRefs[v] = make([]heapRef, len(v.S))
		for i, s := range v.S {
			if coll == nil {
				coll = append([]byte("GCOL"), 1, 0, 0, 0)
				coll = le64(coll, 0)
			}
			idx++
			coll = le16(coll, uint16(idx))
			coll = le16(coll, 1)
			coll = le32(coll, 0)
			coll = le64(coll, uint64(len(s)))
			coll = pad8(append(coll, s...))
			w.heapRefs[v][i].idx = idx
			refs = append(refs, struct {
				v *Value
				i int
			}{v, i})
			if len(coll) > maxColl || idx == math.MaxUint16 {
				flush()
			}
		}
	}
	flush()
}

// datatype encodes the on-disk type for a value.
func datatypeOf(v *Value) []byte {
	switch {
	case v.F != nil:
		if v.Type.Class == Float && v.Type.Size == 4 {
			b := []byte{0x11, 0x20, 31, 0}
			b = le32(b, 4)
			b = le16(le16(b, 0), 32)
			return le32(append(b, 23, 8, 0, 23), 127)
		}
		b := []byte{0x11, 0x20, 63, 0}
		b = le32(b, 8)
		b = le16(le16(b, 0), 64)
		return le32(append(b, 52, 11, 0, 52), 1023)
	case v.I != nil:
		size := 8
		if v.Type.Class == Int && (v.Type.Size == 1 || v.Type.Size == 2 || v.Type.Size == 4) {
			size = v.Type.Size
		}
		return intType(size, true)
	case v.U != nil:
		return intType(8, false)
	case v.S != nil:
		b := le32([]byte{0x19, 0x01, 0x01, 0}, 16)
		return append(b, intType(1, false)...)
	default: // bool
		b := le32([]byte{0x18, 2, 0, 0}, 1)
		b = append(b, intType(1, true)...)
		b = append(b, "FALSE\x00\x00\x00TRUE\x00\x00\x00\x00"...)
		return append(b, 0, 1)
	}
}

func intType(size int, signed bool) []byte {
	bits := byte(0)
	if signed {
		bits = 0x08
	}
	b := le32([]byte{0x10, bits, 0, 0}, uint32(size))
	return le16(le16(b, 0), uint16(8*size))
}

func elemSize(v *Value) int {
	switch {
	case v.F != nil:
		if v.Type.Class == Float && v.Type.Size == 4 {
			return 4
		}
		return 8
	case v.I != nil:
		if v.Type.Class == Int && (v.Type.Size == 1 || v.Type.Size == 2 || v.Type.Size == 4) {
			return v.Type.Size
		}
		return 8
	case v.S != nil:
		return 16
	case v.B != nil:
		return 1
	}
	return 8
}

func dataspaceOf(shape []uint64) []byte {
	b := []byte{1, byte(len(shape)), 0, 0, 0, 0, 0, 0}
	for _, d := range shape {
		b = le64(b, d)
	}
	return b
}

// raw encodes the elements.
func (w *wbuf) raw(v *Value) []byte {
	es := elemSize(v)
	b := make([]byte, 0, v.Len()*es)
	switch {
	case v.F != nil:
		for _, x := range v.F {
			if es == 4 {
				b = le32(b, math.Float32bits(float32(x)))
			} else {
				b = le64(b, math.Float64bits(x))
			}
		}
	case v.I != nil:
		var word [8]byte
		for _, x := range v.I {
			binary.LittleEndian.PutUint64(word[:], uint64(x))
			b = append(b, word[:es]...)
		}
	case v.U != nil:
		for _, x := range v.U {
			b = le64(b, x)
		}
	case v.S != nil:
		for i, s := range v.S {
			r := w.heapRefs[v][i]
			b = le32(b, uint32(len(s)))
			b = le64(b, r.coll)
			b = le32(b, r.idx)
		}
	case v.B != nil:
		for _, x := range v.B {
			if x {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		}
	}
	return b
}

type hmsg struct {
	typ  uint16
	data []byte
}

// header writes a version-1 object header and returns its address.
func (w *wbuf) header(msgs []hmsg) uint64 {
	var body []byte
	for _, m := range msgs {
		d := pad8(append([]byte{}, m.data...))
		body = le16(body, m.typ)
		body = le16(body, uint16(len(d)))
		body = append(body, 0, 0, 0, 0)
		body = append(body, d...)
	}
	w.align()
	at := w.pos()
	h := []byte{1, 0}
	h = le16(h, uint16(len(msgs)))
	h = le32(h, 1)
	h = le32(h, uint32(len(body)))
	h = append(h, 0, 0, 0, 0)
	w.b = append(w.b, h...)
	w.b = append(w.b, body...)
	return at
}

func (w *wbuf) attrMsgs(n *wnode) []hmsg {
	var out []hmsg
	for _, a := range n.attrs {
		name := append([]byte(a.Name), 0)
		dt := datatypeOf(a.Value)
		ds := dataspaceOf(a.Value.Shape)
		b := []byte{1, 0}
		b = le16(b, uint16(len(name)))
		b = le16(b, uint16(len(dt)))
		b = le16(b, uint16(len(ds)))
		b = append(b, pad8(name)...)
		b = append(b, pad8(dt)...)
		b = append(b, pad8(ds)...)
		b = append(b, w.raw(a.Value)...)
		out = append(out, hmsg{msgAttribute, b})
	}
	return out
}

// object writes a node (children first) and records its header address.
func (w *wbuf) object(n *wnode, leafK int) error {
	if !n.group {
		v := n.value
		data := w.raw(v)
		w.align()
		addr := w.pos()
		if len(data) == 0 {
			addr = undef
		}
		w.b = append(w.b, data...)
		layout := []byte{3, 1}
		layout = le64(layout, addr)
		layout = le64(layout, uint64(len(data)))
		msgs := []hmsg{
			{msgDataspace, dataspaceOf(v.Shape)},
			{msgDatatype, datatypeOf(v)},
			{msgFill, []byte{2, 2, 2, 1, 0, 0, 0, 0}},
			{msgLayout, layout},
		}
		n.addr = w.header(append(msgs, w.attrMsgs(n)...))
		return nil
	}
	for _, c := range n.children {
		if err := w.object(c, leafK); err != nil {
			return err
		}
	}
	// Members sorted by name, as the B-tree search expects.
	kids := append([]*wnode{}, n.children...)
	sort.Slice(kids, func(i, j int) bool { return kids[i].name < kids[j].name })
	// Local heap: "" at offset 0, then every name.
	heap := make([]byte, 8)
	offs := make([]uint64, len(kids))
	for i, c := range kids {
		offs[i] = uint64(len(heap))
		heap = pad8(append(append(heap, c.name...), 0))
	}
	w.align()
	dataAt := w.pos()
	w.b = append(w.b, heap...)
	n.heap = w.pos()
	h := append([]byte("HEAP"), 0, 0, 0, 0)
	h = le64(h, uint64(len(heap)))
	h = le64(h, 1) // no free block
	h = le64(h, dataAt)
	w.b = append(w.b, h...)
	// One symbol table node holding every member (leafK is large enough).
	snod := w.pos()
	s := append([]byte("SNOD"), 1, 0)
	s = le16(s, uint16(len(kids)))
	for i, c := range kids {
		s = le64(s, offs[i])
		s = le64(s, c.addr)
		s = le32(s, 0)
		s = le32(s, 0)
		s = append(s, make([]byte, 16)...)
	}
	s = append(s, make([]byte, (2*leafK-len(kids))*40)...)
	w.b = append(w.b, s...)
	// v1 B-tree root: a leaf pointing at that node (full-size node image).
	n.btree = w.pos()
	t := append([]byte("TREE"), 0, 0)
	if len(kids) == 0 {
		t = le16(t, 0)
	} else {
		t = le16(t, 1)
	}
	t = le64(le64(t, undef), undef)
	t = le64(t, 0)
	if len(kids) > 0 {
		t = le64(t, snod)
		t = le64(t, offs[len(kids)-1])
	}
	full := 24 + 2*internalK*8 + (2*internalK+1)*8
	t = append(t, make([]byte, full-len(t))...)
	w.b = append(w.b, t...)
	stab := le64(le64(nil, n.btree), n.heap)
	n.addr = w.header(append([]hmsg{{msgSymbolTable, stab}}, w.attrMsgs(n)...))
	return nil
}
