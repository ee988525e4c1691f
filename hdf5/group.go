package hdf5

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Object is a group or a dataset.
type Object interface {
	// Path is the object's absolute path ("/" for the root group).
	Path() string
	// Attrs returns the object's attributes sorted by name.
	Attrs() ([]Attribute, error)
}

// Attribute is a named value attached to an object.
type Attribute struct {
	Name  string
	Value *Value
}

type object struct {
	f    *File
	path string
	hdr  *header
}

func (o *object) Path() string { return o.path }

// Group is an HDF5 group: named links to other objects.
type Group struct {
	object
	names []string
	addrs map[string]uint64
}

// Root returns the root group.
func (f *File) Root() (*Group, error) {
	return f.group("/", f.rootAddr)
}

func (f *File) group(path string, addr uint64) (*Group, error) {
	h, err := f.objectHeader(addr)
	if err != nil {
		return nil, wrapPath(path, err)
	}
	g := &Group{object: object{f: f, path: path, hdr: h}, addrs: map[string]uint64{}}
	if err := g.readLinks(); err != nil {
		return nil, wrapPath(path, err)
	}
	sort.Strings(g.names)
	return g, nil
}

// PathError is an error reading a named object.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }
func (e *PathError) Unwrap() error { return e.Err }

func wrapPath(path string, err error) error {
	var pe *PathError
	if errors.As(err, &pe) {
		return err
	}
	return &PathError{Path: path, Err: err}
}

// Names lists the group's members in byte order.
func (g *Group) Names() []string { return g.names }

// Has reports whether the group has a member of that name.
func (g *Group) Has(name string) bool { _, ok := g.addrs[name]; return ok }

func (g *Group) child(name string) string {
	if g.path == "/" {
		return "/" + name
	}
	return g.path + "/" + name
}

// Open opens a member: a *Group or a *Dataset.
func (g *Group) Open(name string) (Object, error) {
	addr, ok := g.addrs[name]
	if !ok {
		return nil, &PathError{Path: g.child(name), Err: errors.New("no such object")}
	}
	path := g.child(name)
	h, err := g.f.objectHeader(addr)
	if err != nil {
		return nil, wrapPath(path, err)
	}
	if h.find(msgLayout) != nil || h.find(msgDatatype) != nil {
		d, err := g.f.dataset(path, h)
		if err != nil {
			return nil, wrapPath(path, err)
		}
		return d, nil
	}
	sub := &Group{object: object{f: g.f, path: path, hdr: h}, addrs: map[string]uint64{}}
	if err := sub.readLinks(); err != nil {
		return nil, wrapPath(path, err)
	}
	sort.Strings(sub.names)
	return sub, nil
}

// Group opens a member that must be a group.
func (g *Group) Group(name string) (*Group, error) {
	o, err := g.Open(name)
	if err != nil {
		return nil, err
	}
	s, ok := o.(*Group)
	if !ok {
		return nil, &PathError{Path: g.child(name), Err: errors.New("is a dataset, not a group")}
	}
	return s, nil
}

// Dataset opens a member that must be a dataset.
func (g *Group) Dataset(name string) (*Dataset, error) {
	o, err := g.Open(name)
	if err != nil {
		return nil, err
	}
	d, ok := o.(*Dataset)
	if !ok {
		return nil, &PathError{Path: g.child(name), Err: errors.New("is a group, not a dataset")}
	}
	return d, nil
}

// Lookup opens the object at a slash-separated path below the group.
func (g *Group) Lookup(path string) (Object, error) {
	var cur Object = g
	for _, part := range strings.Split(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		gr, ok := cur.(*Group)
		if !ok {
			return nil, &PathError{Path: cur.Path(), Err: errors.New("is a dataset, not a group")}
		}
		o, err := gr.Open(part)
		if err != nil {
			return nil, err
		}
		cur = o
	}
	return cur, nil
}

func (g *Group) addLink(name string, addr uint64, at uint64) error {
	if _, dup := g.addrs[name]; dup {
		return errf("group", at, "link %q appears twice", name)
	}
	if len(g.names) >= maxLinks {
		return errf("group", at, "more than %d links", maxLinks)
	}
	g.addrs[name] = addr
	g.names = append(g.names, name)
	return nil
}

const (
	maxLinks     = 1 << 20
	maxTreeDepth = 64
)

func (g *Group) readLinks() error {
	f := g.f
	if m := g.hdr.find(msgSymbolTable); m != nil {
		c := f.cursor("symbol table message", m.at, m.data)
		bt, heap := c.addr(), c.addr()
		if c.err != nil {
			return c.err
		}
		return g.symbolTable(bt, heap)
	}
	if g.path == "/" && f.rootBTree != undef && g.hdr.find(msgLinkInfo) == nil && g.hdr.find(msgLink) == nil {
		return g.symbolTable(f.rootBTree, f.rootHeap)
	}
	for _, m := range g.hdr.msgs {
		if m.typ != msgLink {
			continue
		}
		name, addr, err := f.link(m.data, m.at)
		if err != nil {
			return err
		}
		if err := g.addLink(name, addr, m.at); err != nil {
			return err
		}
	}
	if m := g.hdr.find(msgLinkInfo); m != nil {
		c := f.cursor("link info message", m.at, m.data)
		if v := c.u8(); v != 0 && c.err == nil {
			return errf("link info message", m.at, "version %d not supported", v)
		}
		flags := c.u8()
		if flags&1 != 0 {
			c.skip(8)
		}
		heap, names := c.addr(), c.addr()
		if c.err != nil {
			return c.err
		}
		if heap != undef && names != undef {
			return g.denseLinks(heap, names)
		}
	}
	return nil
}

// link decodes a link message: name and target object header address.
func (f *File) link(b []byte, at uint64) (string, uint64, error) {
	c := f.cursor("link message", at, b)
	if v := c.u8(); v != 1 && c.err == nil {
		return "", 0, errf("link message", at, "version %d not supported", v)
	}
	flags := c.u8()
	typ := uint8(0)
	if flags&0x08 != 0 {
		typ = c.u8()
	}
	if flags&0x04 != 0 {
		c.skip(8)
	}
	if flags&0x10 != 0 {
		c.u8()
	}
	n := c.uvar(1 << (flags & 3))
	if n > uint64(c.left()) {
		return "", 0, errf("link message", at, "name of %d bytes runs past the message", n)
	}
	name := string(c.bytes(int(n)))
	if c.err != nil {
		return "", 0, c.err
	}
	if typ != 0 {
		kind := map[uint8]string{1: "soft", 64: "external"}[typ]
		if kind == "" {
			kind = fmt.Sprintf("type %d", typ)
		}
		return "", 0, errf("link message", at, "%s link %q not supported (hard links only)", kind, name)
	}
	addr := c.addr()
	return name, addr, c.err
}

// symbolTable walks a v1 B-tree of symbol-table nodes.
func (g *Group) symbolTable(btree, heapAddr uint64) error {
	f := g.f
	heap, err := f.localHeap(heapAddr)
	if err != nil {
		return err
	}
	return f.btree1(btree, 0, f.sl, func(_ []byte, child uint64) error {
		return g.symbolNode(child, heap)
	})
}

// btree1 walks a version-1 B-tree of the given node type (0 groups, 1
// chunks) whose keys are keySize bytes, calling leaf with the key before
// each child of every leaf node.
func (f *File) btree1(addr uint64, typ uint8, keySize int, leaf func(key []byte, child uint64) error) error {
	seen := map[uint64]bool{}
	var walk func(addr uint64, depth int) error
	walk = func(addr uint64, depth int) error {
		if depth > maxTreeDepth || seen[addr] {
			return errf("v1 B-tree node", addr, "tree loops or is deeper than %d", maxTreeDepth)
		}
		seen[addr] = true
		hdr, err := f.read("v1 B-tree node", addr, uint64(8+2*f.so))
		if err != nil {
			return err
		}
		c := f.cursor("v1 B-tree node", addr, hdr)
		c.sig("TREE")
		t, level, n := c.u8(), c.u8(), c.u16()
		if c.err != nil {
			return c.err
		}
		if t != typ {
			return errf("v1 B-tree node", addr, "node type %d where %d was expected", t, typ)
		}
		body, err := f.read("v1 B-tree node", addr, uint64(8+2*f.so)+uint64(n)*uint64(keySize+f.so)+uint64(keySize))
		if err != nil {
			return err
		}
		c = f.cursor("v1 B-tree node", addr, body)
		c.skip(8 + 2*f.so)
		for i := 0; i < int(n); i++ {
			key := c.bytes(keySize)
			child := c.addr()
			if c.err != nil {
				return c.err
			}
			if level > 0 {
				err = walk(child, depth+1)
			} else {
				err = leaf(key, child)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return walk(addr, 0)
}

func (g *Group) symbolNode(addr uint64, heap []byte) error {
	f := g.f
	hdr, err := f.read("symbol table node", addr, 8)
	if err != nil {
		return err
	}
	c := f.cursor("symbol table node", addr, hdr)
	c.sig("SNOD")
	if v := c.u8(); v != 1 && c.err == nil {
		return errf("symbol table node", addr, "version %d not supported", v)
	}
	c.skip(1)
	n := c.u16()
	if c.err != nil {
		return c.err
	}
	esz := uint64(2*f.so + 24)
	b, err := f.read("symbol table node", addr, 8+uint64(n)*esz)
	if err != nil {
		return err
	}
	c = f.cursor("symbol table node", addr, b)
	c.skip(8)
	for i := 0; i < int(n); i++ {
		off := c.length()
		obj := c.addr()
		cache := c.u32()
		c.skip(20)
		if c.err != nil {
			return c.err
		}
		if off >= uint64(len(heap)) {
			return errf("symbol table node", addr, "name offset %d outside the local heap (%d bytes)", off, len(heap))
		}
		name := heap[off:]
		end := 0
		for end < len(name) && name[end] != 0 {
			end++
		}
		if cache == 2 {
			return errf("symbol table node", addr, "soft link %q not supported (hard links only)", name[:end])
		}
		if err := g.addLink(string(name[:end]), obj, addr); err != nil {
			return err
		}
	}
	return nil
}

// localHeap returns the data segment of a local heap.
func (f *File) localHeap(addr uint64) ([]byte, error) {
	b, err := f.read("local heap", addr, uint64(8+2*f.sl+f.so))
	if err != nil {
		return nil, err
	}
	c := f.cursor("local heap", addr, b)
	c.sig("HEAP")
	if v := c.u8(); v != 0 && c.err == nil {
		return nil, errf("local heap", addr, "version %d not supported", v)
	}
	c.skip(3)
	size := c.length()
	c.length()
	data := c.addr()
	if c.err != nil {
		return nil, c.err
	}
	return f.read("local heap data", data, size)
}
