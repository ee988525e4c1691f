// Package nir reads and writes NIR graphs (the Neuromorphic Intermediate
// Representation, github.com/neuromorphs/NIR) stored as HDF5 files the way
// NIR's own `write` stores them: a root dataset "version" and a group "node"
// holding a NIRGraph (dataset "type", group "nodes" with one subgroup per
// node, dataset "edges" of name pairs). Node parameters are kept as the
// arrays the file holds; their meaning is nirimport's business.
package nir

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/ncx-project/ncx/hdf5"
)

// Graph is a NIRGraph: named nodes and directed edges between them.
type Graph struct {
	Nodes map[string]*Node
	Edges [][2]string
}

// Node is one NIR node.
type Node struct {
	Name string // name within its graph
	Path string // HDF5 path of the node's group, for messages
	Type string // "LIF", "Affine", "NIRGraph", ...
	// Params holds every dataset of the node group except "type", by name.
	Params map[string]*hdf5.Value
	// Graph is the subgraph of a NIRGraph node (nil otherwise).
	Graph *Graph
	// Metadata holds the datasets of the node's "metadata" group (NIR 1.x).
	Metadata map[string]*hdf5.Value
}

// Names returns the node names in byte order.
func (g *Graph) Names() []string {
	var out []string
	for n := range g.Nodes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// File is a NIR file's content.
type File struct {
	Version string
	Graph   *Graph
}

// Error is a problem with a NIR file: the file, the node or HDF5 object,
// and what is wrong.
type Error struct {
	File   string
	Object string // HDF5 path or node name ("" for the file as a whole)
	Msg    string
	Err    error // underlying error, if any
}

func (e *Error) Error() string {
	s := "nir: " + e.File
	if e.Object != "" {
		s += ": " + e.Object
	}
	s += ": " + e.Msg
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Read reads a NIR file.
func Read(path string) (*File, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: strings.TrimPrefix(err.Error(), "hdf5: "), Err: err}
	}
	defer f.Close()
	out, err := ReadHDF5(f, path)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadHDF5 reads a NIR graph from an open HDF5 file; name is used in errors.
func ReadHDF5(f *hdf5.File, name string) (*File, error) {
	fail := func(obj string, err error) error {
		var pe *hdf5.PathError
		if errors.As(err, &pe) {
			obj = pe.Path
			err = pe.Err
		}
		return &Error{File: name, Object: obj, Msg: strings.TrimPrefix(err.Error(), "hdf5: "), Err: err}
	}
	root, err := f.Root()
	if err != nil {
		return nil, fail("/", err)
	}
	out := &File{}
	if root.Has("version") {
		v, err := readString(root, "version")
		if err != nil {
			return nil, fail("/version", err)
		}
		out.Version = v
	}
	if !root.Has("node") {
		return nil, &Error{File: name, Object: "/", Msg: "no group \"node\": not a NIR file"}
	}
	ng, err := root.Group("node")
	if err != nil {
		return nil, fail("/node", err)
	}
	n, err := readNode(ng, "node", 0)
	if err != nil {
		var ne *Error
		if errors.As(err, &ne) {
			ne.File = name
			return nil, ne
		}
		return nil, fail("/node", err)
	}
	if n.Type != "NIRGraph" {
		return nil, &Error{File: name, Object: "/node", Msg: fmt.Sprintf("top-level node is a %s, not a NIRGraph", n.Type)}
	}
	out.Graph = n.Graph
	return out, nil
}

const maxNesting = 32

func readString(g *hdf5.Group, name string) (string, error) {
	d, err := g.Dataset(name)
	if err != nil {
		return "", err
	}
	v, err := d.Read()
	if err != nil {
		return "", err
	}
	if v.S == nil || len(v.S) != 1 {
		return "", fmt.Errorf("want a single string")
	}
	return v.S[0], nil
}

func readNode(g *hdf5.Group, name string, depth int) (*Node, error) {
	if depth > maxNesting {
		return nil, &Error{Object: g.Path(), Msg: fmt.Sprintf("subgraphs nested deeper than %d", maxNesting)}
	}
	if !g.Has("type") {
		return nil, &Error{Object: g.Path(), Msg: "node has no \"type\" dataset"}
	}
	typ, err := readString(g, "type")
	if err != nil {
		return nil, &Error{Object: g.Path() + "/type", Msg: err.Error(), Err: err}
	}
	n := &Node{Name: name, Path: g.Path(), Type: typ, Params: map[string]*hdf5.Value{}}
	for _, m := range g.Names() {
		if m == "type" {
			continue
		}
		o, err := g.Open(m)
		if err != nil {
			return nil, &Error{Object: g.Path() + "/" + m, Msg: strings.TrimPrefix(err.Error(), "hdf5: "), Err: err}
		}
		switch o := o.(type) {
		case *hdf5.Dataset:
			v, err := o.Read()
			if err != nil {
				return nil, &Error{Object: o.Path(), Msg: trimPath(err), Err: err}
			}
			n.Params[m] = v
		case *hdf5.Group:
			switch {
			case typ == "NIRGraph" && m == "nodes":
			case m == "metadata":
				n.Metadata = map[string]*hdf5.Value{}
				for _, k := range o.Names() {
					d, err := o.Dataset(k)
					if err != nil {
						continue // nested dicts: nothing this package reads
					}
					v, err := d.Read()
					if err != nil {
						return nil, &Error{Object: d.Path(), Msg: trimPath(err), Err: err}
					}
					n.Metadata[k] = v
				}
			case m == "input_type" || m == "output_type":
				// newer NIR writes {"input": shape} dicts: keep the shape
				for _, k := range o.Names() {
					d, err := o.Dataset(k)
					if err != nil {
						continue
					}
					if v, err := d.Read(); err == nil {
						n.Params[m] = v
					}
				}
			}
			// metadata and other nested dicts carry nothing the core uses
		}
	}
	if typ != "NIRGraph" {
		return n, nil
	}
	n.Graph = &Graph{Nodes: map[string]*Node{}}
	if g.Has("nodes") {
		ns, err := g.Group("nodes")
		if err != nil {
			return nil, &Error{Object: g.Path() + "/nodes", Msg: trimPath(err), Err: err}
		}
		for _, m := range ns.Names() {
			sub, err := ns.Group(m)
			if err != nil {
				return nil, &Error{Object: ns.Path() + "/" + m, Msg: trimPath(err), Err: err}
			}
			c, err := readNode(sub, m, depth+1)
			if err != nil {
				return nil, err
			}
			n.Graph.Nodes[m] = c
		}
	}
	if e, ok := n.Params["edges"]; ok {
		delete(n.Params, "edges")
		if len(e.S) == 0 && e.Len() > 0 {
			return nil, &Error{Object: g.Path() + "/edges", Msg: "edges must be strings"}
		}
		if len(e.S)%2 != 0 || (len(e.Shape) == 2 && e.Shape[1] != 2) {
			return nil, &Error{Object: g.Path() + "/edges", Msg: fmt.Sprintf("edges must be an n×2 array of names, got shape %v", e.Shape)}
		}
		for i := 0; i+1 < len(e.S); i += 2 {
			n.Graph.Edges = append(n.Graph.Edges, [2]string{e.S[i], e.S[i+1]})
		}
	}
	return n, nil
}

func trimPath(err error) string {
	var pe *hdf5.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return strings.TrimPrefix(err.Error(), "hdf5: ")
}

// Encode writes a NIR file as HDF5 bytes, in the layout NIR's reader expects.
func Encode(f *File) ([]byte, error) {
	w := hdf5.NewWriter()
	version := f.Version
	if version == "" {
		version = "1.0.0"
	}
	if err := w.Root().Write("version", hdf5.ScalarString(version)); err != nil {
		return nil, err
	}
	ng, err := w.Root().Group("node")
	if err != nil {
		return nil, err
	}
	if err := encodeGraph(ng, f.Graph); err != nil {
		return nil, err
	}
	return w.Bytes()
}

func encodeGraph(g *hdf5.WGroup, gr *Graph) error {
	if err := g.Write("type", hdf5.ScalarString("NIRGraph")); err != nil {
		return err
	}
	nodes, err := g.Group("nodes")
	if err != nil {
		return err
	}
	for _, name := range gr.Names() {
		n := gr.Nodes[name]
		sub, err := nodes.Group(name)
		if err != nil {
			return err
		}
		if n.Type == "NIRGraph" {
			if err := encodeGraph(sub, n.Graph); err != nil {
				return err
			}
			continue
		}
		if err := sub.Write("type", hdf5.ScalarString(n.Type)); err != nil {
			return err
		}
		if err := writeAll(sub, n.Params); err != nil {
			return fmt.Errorf("nir: node %s: %w", name, err)
		}
		if len(n.Metadata) > 0 {
			md, err := sub.Group("metadata")
			if err != nil {
				return err
			}
			if err := writeAll(md, n.Metadata); err != nil {
				return fmt.Errorf("nir: node %s metadata: %w", name, err)
			}
		}
	}
	flat := make([]string, 0, 2*len(gr.Edges))
	for _, e := range gr.Edges {
		flat = append(flat, e[0], e[1])
	}
	return g.Write("edges", hdf5.Strings([]uint64{uint64(len(gr.Edges)), 2}, flat))
}

func writeAll(g *hdf5.WGroup, vals map[string]*hdf5.Value) error {
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := g.Write(k, vals[k]); err != nil {
			return err
		}
	}
	return nil
}
