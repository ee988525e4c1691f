// Package nirimport lowers a NIR graph (package nir) onto an ncx network
// description: neuron nodes become raw-valued LIF populations, chains of
// linear nodes (Affine, Linear, Scale, Conv1d, Conv2d, SumPool2d, AvgPool2d,
// Flatten) between them are folded into synapse weights and neuron biases,
// and the result compiles with package compiler like any YAML network. The
// discretisation (docs/nir.md) is chosen here, at the time step the caller
// gives, and the Report says what it costs.
package nirimport

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/nir"
)

// Error is a problem with the graph: the file, the node and what is wrong.
type Error struct {
	File string
	Node string
	Msg  string
}

func (e *Error) Error() string {
	if e.Node == "" {
		return fmt.Sprintf("nir: %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("nir: %s: node %s: %s", e.File, e.Node, e.Msg)
}

// node is a node of the flattened graph.
type node struct {
	name   string // dotted path through subgraphs
	typ    string
	params map[string]*hdf5.Value
	meta   map[string]*hdf5.Value
	top    bool // in the top-level graph (Input/Output nodes there are the graph's ends)
	in     []string
	out    []string
	// shape of the node's output (nil until known)
	shape []int
	// input shape, for nodes that need it (conv, pool, flatten)
	inShape []int
}

// neuronTypes are the stateful nodes that become populations.
var neuronTypes = map[string]bool{"LIF": true, "IF": true, "LI": true, "I": true, "CubaLIF": true, "CubaLI": true, "Threshold": true}

// linearTypes are folded into weights.
var linearTypes = map[string]bool{"Affine": true, "Linear": true, "Scale": true, "Conv1d": true, "Conv2d": true,
	"SumPool2d": true, "AvgPool2d": true, "Flatten": true, "Identity": true, "Delay": true}

type graph struct {
	file  string
	nodes map[string]*node
	order []string // sorted names
}

func (g *graph) errf(n, format string, a ...any) error {
	return &Error{File: g.file, Node: n, Msg: fmt.Sprintf(format, a...)}
}

// flatten inlines subgraphs: their nodes get the subgraph's name and a dot as
// prefix; edges to a subgraph go to its Input node, edges from it leave its
// Output node; its Input and Output nodes become identities.
func flatten(file string, top *nir.Graph) (*graph, error) {
	g := &graph{file: file, nodes: map[string]*node{}}
	var add func(gr *nir.Graph, prefix string, depth int) error
	add = func(gr *nir.Graph, prefix string, depth int) error {
		ends := func(sub *nir.Graph, typ string) []string {
			var out []string
			for _, n := range sub.Names() {
				if sub.Nodes[n].Type == typ {
					out = append(out, n)
				}
			}
			return out
		}
		resolve := func(name string, asTarget bool) (string, error) {
			n, ok := gr.Nodes[name]
			if !ok {
				if i := strings.IndexByte(name, '.'); i > 0 {
					if s, ok := gr.Nodes[name[:i]]; ok && s.Graph != nil {
						return prefix + name, nil
					}
				}
				return "", g.errf(prefix+name, "named by an edge but not in the graph")
			}
			if n.Graph == nil {
				return prefix + name, nil
			}
			want := "Output"
			if asTarget {
				want = "Input"
			}
			e := ends(n.Graph, want)
			if len(e) != 1 {
				return "", g.errf(prefix+name, "an edge names the subgraph, which has %d %s nodes (exactly 1 needed to connect it)", len(e), want)
			}
			return prefix + name + "." + e[0], nil
		}
		for _, name := range gr.Names() {
			n := gr.Nodes[name]
			full := prefix + name
			if strings.Contains(name, ".") {
				return g.errf(full, "node names must not contain '.' (it separates subgraph paths)")
			}
			if n.Type == "NIRGraph" {
				if depth > 16 {
					return g.errf(full, "subgraphs nested deeper than 16")
				}
				if err := add(n.Graph, full+".", depth+1); err != nil {
					return err
				}
				continue
			}
			typ := n.Type
			if depth > 0 && (typ == "Input" || typ == "Output") {
				typ = "Identity"
			}
			g.nodes[full] = &node{name: full, typ: typ, params: n.Params, meta: n.Metadata, top: depth == 0}
		}
		for _, e := range gr.Edges {
			src, err := resolve(e[0], false)
			if err != nil {
				return err
			}
			dst, err := resolve(e[1], true)
			if err != nil {
				return err
			}
			s, d := g.nodes[src], g.nodes[dst]
			if s == nil {
				return g.errf(src, "named by an edge but not in the graph")
			}
			if d == nil {
				return g.errf(dst, "named by an edge but not in the graph")
			}
			s.out = append(s.out, dst)
			d.in = append(d.in, src)
		}
		return nil
	}
	if err := add(top, "", 0); err != nil {
		return nil, err
	}
	for n := range g.nodes {
		g.order = append(g.order, n)
	}
	sort.Strings(g.order)
	for _, name := range g.order {
		n := g.nodes[name]
		if !neuronTypes[n.typ] && !linearTypes[n.typ] && n.typ != "Input" && n.typ != "Output" {
			return nil, g.errf(name, "unknown NIR type %q (known: Input, Output, Affine, Linear, Scale, LI, LIF, CubaLI, CubaLIF, I, IF, Threshold, Delay, Flatten, Conv1d, Conv2d, SumPool2d, AvgPool2d, NIRGraph)", n.typ)
		}
		if n.typ == "Input" && len(n.in) > 0 {
			return nil, g.errf(name, "an Input node has incoming edges")
		}
		if n.typ == "Output" && len(n.out) > 0 {
			return nil, g.errf(name, "an Output node has outgoing edges")
		}
	}
	return g, nil
}

// param helpers

func (g *graph) value(n *node, key string, required bool) (*hdf5.Value, error) {
	v, ok := n.params[key]
	if !ok {
		if required {
			return nil, g.errf(n.name, "missing parameter %q", key)
		}
		return nil, nil
	}
	return v, nil
}

// floats returns a parameter as float64s (integers converted).
func (g *graph) floats(n *node, key string, required bool) ([]float64, []int, error) {
	v, err := g.value(n, key, required)
	if err != nil || v == nil {
		return nil, nil, err
	}
	shape := make([]int, len(v.Shape))
	for i, d := range v.Shape {
		shape[i] = int(d)
	}
	switch {
	case v.F != nil:
		for _, x := range v.F {
			if math.IsNaN(x) {
				return nil, nil, g.errf(n.name, "parameter %q holds NaN", key)
			}
		}
		return v.F, shape, nil
	case v.I != nil:
		out := make([]float64, len(v.I))
		for i, x := range v.I {
			out[i] = float64(x)
		}
		return out, shape, nil
	case v.B != nil:
		out := make([]float64, len(v.B))
		for i, x := range v.B {
			if x {
				out[i] = 1
			}
		}
		return out, shape, nil
	}
	return nil, nil, g.errf(n.name, "parameter %q is not numeric", key)
}

// ints returns an integer parameter (a scalar or a small array).
func (g *graph) ints(n *node, key string, required bool) ([]int, error) {
	x, _, err := g.floats(n, key, required)
	if err != nil || x == nil {
		return nil, err
	}
	out := make([]int, len(x))
	for i, f := range x {
		if f != math.Trunc(f) || math.Abs(f) > 1<<30 {
			return nil, g.errf(n.name, "parameter %q must hold integers, got %g", key, f)
		}
		out[i] = int(f)
	}
	return out, nil
}

func prod(shape []int) int {
	p := 1
	for _, d := range shape {
		p *= d
	}
	return p
}

func shapeStr(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// pair expands a 1- or 2-element parameter to two values.
func (g *graph) pair(n *node, key string, def int) ([2]int, error) {
	v, err := g.ints(n, key, false)
	if err != nil {
		return [2]int{}, err
	}
	switch len(v) {
	case 0:
		if _, ok := n.params[key]; ok {
			return [2]int{}, g.errf(n.name, "parameter %q is empty", key)
		}
		return [2]int{def, def}, nil
	case 1:
		return [2]int{v[0], v[0]}, nil
	case 2:
		return [2]int{v[0], v[1]}, nil
	}
	return [2]int{}, g.errf(n.name, "parameter %q must have 1 or 2 values, got %d", key, len(v))
}

// Shapes infers the output shape of every node of the flattened graph
// (subgraph nodes named "sub.node"), checking every edge as Import does.
func Shapes(f *nir.File, file string) (map[string][]int, error) {
	g, err := flatten(file, f.Graph)
	if err != nil {
		return nil, err
	}
	if err := g.inferShapes(); err != nil {
		return nil, err
	}
	out := make(map[string][]int, len(g.nodes))
	for name, n := range g.nodes {
		out[name] = n.shape
	}
	return out, nil
}
