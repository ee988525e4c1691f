package nirimport

import (
	"fmt"
	"math"
	"sort"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
)

// ownShape is the shape a node fixes by itself (nil when it follows its
// input).
func (g *graph) ownShape(n *node) ([]int, error) {
	switch n.typ {
	case "Input", "Output":
		v, err := g.ints(n, "shape", n.typ == "Input")
		if err != nil || v == nil {
			return nil, err
		}
		for _, d := range v {
			if d <= 0 {
				return nil, g.errf(n.name, "shape %v has a dimension <= 0", v)
			}
		}
		if len(v) == 0 {
			return []int{1}, nil
		}
		return v, nil
	case "Affine", "Linear":
		_, s, err := g.floats(n, "weight", true)
		if err != nil {
			return nil, err
		}
		if len(s) != 2 {
			return nil, g.errf(n.name, "weight must be 2-D (out × in), got shape %s", shapeStr(s))
		}
		return []int{s[0]}, nil
	case "Conv1d", "Conv2d":
		c, err := g.convOf(n, nil)
		if err != nil || c == nil {
			return nil, err
		}
		if n.typ == "Conv1d" {
			return []int{c.cout, c.ow}, nil
		}
		return []int{c.cout, c.oh, c.ow}, nil
	}
	if neuronTypes[n.typ] {
		var shape []int
		for _, k := range neuronParams[n.typ] {
			_, s, err := g.floats(n, k.name, false)
			if err != nil {
				return nil, err
			}
			if prod(s) > 1 && (shape == nil || prod(s) > prod(shape)) {
				shape = s
			}
		}
		return shape, nil
	}
	return nil, nil
}

// outShape computes a node's output shape from its input shape.
func (g *graph) outShape(n *node, in []int) ([]int, error) {
	size := prod(in)
	switch n.typ {
	case "Input":
		return g.ownShape(n)
	case "Output", "Identity", "Delay":
		if own, err := g.ownShape(n); err != nil {
			return nil, err
		} else if own != nil && prod(own) != size {
			return nil, g.errf(n.name, "shape %s but its input has %d elements (shape %s)", shapeStr(own), size, shapeStr(in))
		}
		return in, nil
	case "Affine", "Linear":
		_, s, err := g.floats(n, "weight", true)
		if err != nil {
			return nil, err
		}
		if len(s) == 2 && s[1] != size {
			return nil, g.errf(n.name, "weight is %d × %d but its input has %d elements (shape %s)", s[0], s[1], size, shapeStr(in))
		}
		return g.ownShape(n)
	case "Scale":
		x, _, err := g.floats(n, "scale", true)
		if err != nil {
			return nil, err
		}
		if len(x) != 1 && len(x) != size {
			return nil, g.errf(n.name, "scale has %d elements but its input has %d", len(x), size)
		}
		return in, nil
	case "Flatten":
		start, err := g.ints(n, "start_dim", false)
		if err != nil {
			return nil, err
		}
		end, err := g.ints(n, "end_dim", false)
		if err != nil {
			return nil, err
		}
		s, e := 0, len(in)-1
		if len(start) == 1 {
			s = start[0]
		}
		if len(end) == 1 {
			e = end[0]
		}
		if e < 0 {
			e += len(in)
		}
		s = max(0, min(s, len(in)-1))
		e = max(s, min(e, len(in)-1))
		out := append([]int{}, in[:s]...)
		out = append(out, prod(in[s:e+1]))
		return append(out, in[e+1:]...), nil
	case "Conv1d", "Conv2d":
		c, err := g.convOf(n, in)
		if err != nil {
			return nil, err
		}
		if n.typ == "Conv1d" {
			return []int{c.cout, c.ow}, nil
		}
		return []int{c.cout, c.oh, c.ow}, nil
	case "SumPool2d", "AvgPool2d":
		c, err := g.poolOf(n, in)
		if err != nil {
			return nil, err
		}
		return []int{c.cout, c.oh, c.ow}, nil
	}
	if neuronTypes[n.typ] {
		own, err := g.ownShape(n)
		if err != nil {
			return nil, err
		}
		if own != nil && prod(own) != size {
			return nil, g.errf(n.name, "has %d neurons (parameter shape %s) but its input has %d elements (shape %s)", prod(own), shapeStr(own), size, shapeStr(in))
		}
		if own != nil {
			return own, nil
		}
		return in, nil
	}
	return nil, g.errf(n.name, "no shape rule for type %s", n.typ)
}

// inferShapes gives every node its input and output shape, checking that
// every edge joins equal sizes.
func (g *graph) inferShapes() error {
	for _, name := range g.order {
		n := g.nodes[name]
		if n.typ == "Input" || (neuronTypes[n.typ] && len(n.in) == 0) {
			s, err := g.ownShape(n)
			if err != nil {
				return err
			}
			if s == nil {
				return g.errf(name, "cannot tell its size: no input edges and no parameter arrays")
			}
			n.shape = s
		}
	}
	for changed := true; changed; {
		changed = false
		for _, name := range g.order {
			n := g.nodes[name]
			if n.shape != nil && (n.inShape != nil || len(n.in) == 0) {
				continue
			}
			var in []int
			for _, u := range n.in {
				if s := g.nodes[u].shape; s != nil {
					in = s
					break
				}
			}
			if in == nil {
				// a neuron inside a loop may fix its own shape
				if neuronTypes[n.typ] && n.shape == nil {
					if s, err := g.ownShape(n); err == nil && s != nil {
						n.shape = s
						changed = true
					}
				}
				continue
			}
			n.inShape = in
			if n.shape == nil {
				s, err := g.outShape(n, in)
				if err != nil {
					return err
				}
				n.shape = s
			}
			changed = true
		}
	}
	for _, name := range g.order {
		n := g.nodes[name]
		if n.shape == nil {
			return g.errf(name, "cannot infer its shape (is it reachable from an Input?)")
		}
		for _, u := range n.in {
			us := g.nodes[u].shape
			if prod(us) != prod(n.inShape) {
				return g.errf(name, "inputs disagree in size: %s gives %d elements %s, another input %d %s", u, prod(us), shapeStr(us), prod(n.inShape), shapeStr(n.inShape))
			}
		}
		if n.typ != "Input" {
			if _, err := g.outShape(n, n.inShape); err != nil {
				return err
			}
		}
		if prod(n.shape) > 1<<24 {
			return g.errf(name, "%d elements: more than any core holds", prod(n.shape))
		}
	}
	return nil
}

// convOf reads a Conv1d/Conv2d node; in is its input shape (nil: from the
// node's input_shape parameter only).
func (g *graph) convOf(n *node, in []int) (*conv, error) {
	w, ws, err := g.floats(n, "weight", true)
	if err != nil {
		return nil, err
	}
	one := n.typ == "Conv1d"
	if (one && len(ws) != 3) || (!one && len(ws) != 4) {
		return nil, g.errf(n.name, "weight shape %s: want (out_ch, in_ch/groups, kernel%s)", shapeStr(ws), map[bool]string{true: "", false: "_h, kernel_w"}[one])
	}
	groups := 1
	if gv, err := g.ints(n, "groups", false); err != nil {
		return nil, err
	} else if len(gv) == 1 {
		groups = gv[0]
	}
	if groups < 1 || ws[0]%groups != 0 {
		return nil, g.errf(n.name, "groups %d does not divide the %d output channels", groups, ws[0])
	}
	c := &conv{cout: ws[0], cin: ws[1] * groups, groups: groups, weight: w, kernel: true, kh: 1, kw: ws[2], h: 1}
	if !one {
		c.kh, c.kw = ws[2], ws[3]
	}
	// spatial input size: input_shape parameter, else the input edge's shape
	spatial, err := g.ints(n, "input_shape", false)
	if err != nil {
		return nil, err
	}
	want := 2
	if one {
		want = 1
	}
	switch {
	case len(spatial) == want:
	case len(in) == want+1:
		spatial = in[1:]
		if in[0] != c.cin {
			return nil, g.errf(n.name, "input has %d channels, weight expects %d", in[0], c.cin)
		}
	case in == nil:
		return nil, nil
	default:
		return nil, g.errf(n.name, "needs input_shape or a (channels, %s) input; input shape is %s", map[bool]string{true: "length", false: "height, width"}[one], shapeStr(in))
	}
	if one {
		c.w = spatial[0]
	} else {
		c.h, c.w = spatial[0], spatial[1]
	}
	if in != nil && prod(in) != c.cin*c.h*c.w {
		return nil, g.errf(n.name, "input has %d elements, the convolution expects %d × %d × %d", prod(in), c.cin, c.h, c.w)
	}
	stride, err := g.pair(n, "stride", 1)
	if err != nil {
		return nil, err
	}
	dil, err := g.pair(n, "dilation", 1)
	if err != nil {
		return nil, err
	}
	c.sy, c.sx, c.dy, c.dx = stride[0], stride[1], dil[0], dil[1]
	if one {
		c.sy, c.dy = 1, 1
	}
	if c.sy < 1 || c.sx < 1 || c.dy < 1 || c.dx < 1 {
		return nil, g.errf(n.name, "stride and dilation must be >= 1")
	}
	if pv := n.params["padding"]; pv != nil && pv.S != nil {
		switch pv.S[0] {
		case "valid":
		case "same":
			if c.sy != 1 || c.sx != 1 {
				return nil, g.errf(n.name, "padding 'same' needs stride 1")
			}
			c.py, c.px = c.dy*(c.kh-1)/2, c.dx*(c.kw-1)/2
			c.oh, c.ow = c.h, c.w
			if one {
				c.py, c.oh = 0, 1
			}
			return c, nil
		default:
			return nil, g.errf(n.name, "padding %q: want 'same', 'valid' or integers", pv.S[0])
		}
	} else {
		pad, err := g.pair(n, "padding", 0)
		if err != nil {
			return nil, err
		}
		c.py, c.px = pad[0], pad[1]
		if one {
			c.py = 0
		}
	}
	if c.py < 0 || c.px < 0 {
		return nil, g.errf(n.name, "negative padding")
	}
	c.oh = convOut(c.h, c.py, c.dy, c.kh, c.sy)
	c.ow = convOut(c.w, c.px, c.dx, c.kw, c.sx)
	if c.oh <= 0 || c.ow <= 0 {
		return nil, g.errf(n.name, "kernel larger than the padded input: output would be %d × %d", c.oh, c.ow)
	}
	return c, nil
}

// poolOf reads a SumPool2d/AvgPool2d node as a convolution of ones over
// each channel.
func (g *graph) poolOf(n *node, in []int) (*conv, error) {
	if len(in) != 3 {
		return nil, g.errf(n.name, "needs a (channels, height, width) input, got shape %s", shapeStr(in))
	}
	k, err := g.pair(n, "kernel_size", 0)
	if err != nil {
		return nil, err
	}
	if _, ok := n.params["kernel_size"]; !ok {
		return nil, g.errf(n.name, "missing parameter \"kernel_size\"")
	}
	stride, err := g.pair(n, "stride", k[0])
	if err != nil {
		return nil, err
	}
	pad, err := g.pair(n, "padding", 0)
	if err != nil {
		return nil, err
	}
	c := &conv{cin: in[0], cout: in[0], groups: in[0], h: in[1], w: in[2], kh: k[0], kw: k[1],
		sy: stride[0], sx: stride[1], py: pad[0], px: pad[1], dy: 1, dx: 1}
	if c.kh < 1 || c.kw < 1 || c.sy < 1 || c.sx < 1 || c.py < 0 || c.px < 0 {
		return nil, g.errf(n.name, "kernel %v, stride %v, padding %v out of range", k, stride, pad)
	}
	c.oh = convOut(c.h, c.py, 1, c.kh, c.sy)
	c.ow = convOut(c.w, c.px, 1, c.kw, c.sx)
	if c.oh <= 0 || c.ow <= 0 {
		return nil, g.errf(n.name, "kernel larger than the padded input")
	}
	return c, nil
}

// linearOp returns the operator of a linear node and its bias (nil: none).
// A nil operator means the identity.
func (g *graph) linearOp(n *node, dt float64) (*sparse, []float64, error) {
	in := prod(n.inShape)
	out := prod(n.shape)
	switch n.typ {
	case "Identity", "Flatten", "Output":
		return nil, nil, nil
	case "Delay":
		d, _, err := g.floats(n, "delay", true)
		if err != nil {
			return nil, nil, err
		}
		for _, x := range d {
			if steps := math.Round(x / dt); steps != 0 || x < 0 {
				return nil, nil, g.errf(n.name, "delay %g s is %g steps at dt %g s: the core has one fixed synaptic delay and no delay lines (docs/core-spec.md section 4), so only delays below half a step are accepted", x, x/dt, dt)
			}
		}
		return nil, nil, nil
	case "Affine", "Linear":
		w, _, err := g.floats(n, "weight", true)
		if err != nil {
			return nil, nil, err
		}
		op := dense(w, out, in)
		if n.typ == "Linear" {
			return op, nil, nil
		}
		b, _, err := g.floats(n, "bias", true)
		if err != nil {
			return nil, nil, err
		}
		if len(b) != out && len(b) != 1 {
			return nil, nil, g.errf(n.name, "bias has %d elements for %d outputs", len(b), out)
		}
		return op, expand(b, out), nil
	case "Scale":
		s, _, err := g.floats(n, "scale", true)
		if err != nil {
			return nil, nil, err
		}
		return diag(s, in), nil, nil
	case "Conv1d", "Conv2d":
		c, err := g.convOf(n, n.inShape)
		if err != nil {
			return nil, nil, err
		}
		b, _, err := g.floats(n, "bias", false)
		if err != nil {
			return nil, nil, err
		}
		var bias []float64
		if b != nil {
			if len(b) != c.cout && len(b) != 1 {
				return nil, nil, g.errf(n.name, "bias has %d elements for %d output channels", len(b), c.cout)
			}
			bc := expand(b, c.cout)
			bias = make([]float64, out)
			for i := range bias {
				bias[i] = bc[i/(c.oh*c.ow)]
			}
		}
		return c.op(), bias, nil
	case "SumPool2d", "AvgPool2d":
		c, err := g.poolOf(n, n.inShape)
		if err != nil {
			return nil, nil, err
		}
		op := c.op()
		if n.typ == "AvgPool2d" {
			// average = sum / kernel area (count_include_pad, PyTorch's default)
			area := float64(c.kh * c.kw)
			for _, r := range op.rows {
				for i := range r {
					r[i].w /= area
				}
			}
		}
		return op, nil, nil
	}
	return nil, nil, fmt.Errorf("nirimport: %s is not linear", n.typ)
}

func expand(x []float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		if len(x) == n {
			out[i] = x[i]
		} else {
			out[i] = x[0]
		}
	}
	return out
}

// fits refuses, before anything large is built, a graph whose neurons or
// unrolled convolutions cannot fit the profile (*compiler.FitError: the
// command line exits 3 with the sizes).
func (g *graph) fits(prof core.Profile) error {
	var neurons []compiler.Contributor
	total := 0
	for _, name := range g.order {
		n := g.nodes[name]
		size := prod(n.shape)
		readout := n.typ == "Output" && n.top && !(len(n.in) == 1 && (neuronTypes[g.nodes[n.in[0]].typ] || g.nodes[n.in[0]].typ == "Input"))
		if neuronTypes[n.typ] || (n.typ == "Input" && n.top) || readout {
			neurons = append(neurons, compiler.Contributor{Name: name, Count: size})
			total += size
		} else if limit := max(16*prof.Neurons(), 1<<16); size > limit {
			return g.errf(name, "%d elements: more than %d, far beyond any population the profile %s can feed", size, limit, prof.Name)
		}
		if n.typ == "Conv1d" || n.typ == "Conv2d" || n.typ == "SumPool2d" || n.typ == "AvgPool2d" {
			var c *conv
			var err error
			if n.typ[0] == 'C' {
				c, err = g.convOf(n, n.inShape)
			} else {
				c, err = g.poolOf(n, n.inShape)
			}
			if err != nil {
				return err
			}
			est := c.cout * c.oh * c.ow * (c.cin / c.groups) * c.kh * c.kw
			if est > 4*prof.Synapses() {
				return &compiler.FitError{Profile: prof.Name, Overflows: []compiler.Overflow{{Resource: "synapses", Need: est,
					Have: prof.Synapses(), Approximate: true, Largest: []compiler.Contributor{{Name: name, Count: est}}}}}
			}
		}
	}
	if total > prof.Neurons() {
		sort.SliceStable(neurons, func(a, b int) bool { return neurons[a].Count > neurons[b].Count })
		if len(neurons) > 4 {
			neurons = neurons[:4]
		}
		return &compiler.FitError{Profile: prof.Name, Overflows: []compiler.Overflow{{Resource: "neurons", Need: total,
			Have: prof.Neurons(), Approximate: true, Largest: neurons}}}
	}
	return nil
}
