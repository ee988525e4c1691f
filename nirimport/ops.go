package nirimport

import (
	"math"
	"sort"
)

// entry is one non-zero of a sparse row: output index and weight.
type entry struct {
	j int32
	w float64
}

// sparse is a matrix by rows: rows[i] lists the outputs that input i reaches.
type sparse struct {
	rows  [][]entry
	cols  int
	ident bool // the identity: composing with it copies nothing
}

func identity(n int) *sparse {
	s := &sparse{rows: make([][]entry, n), cols: n, ident: true}
	flat := make([]entry, n)
	for i := range flat {
		flat[i] = entry{int32(i), 1}
		s.rows[i] = flat[i : i+1 : i+1]
	}
	return s
}

func (s *sparse) nnz() int {
	n := 0
	for _, r := range s.rows {
		n += len(r)
	}
	return n
}

// then composes: row i of the result is row i of s pushed through op, whose
// rows are indexed by s's columns.
func (s *sparse) then(op *sparse) *sparse {
	if s.ident {
		return op
	}
	out := &sparse{rows: make([][]entry, len(s.rows)), cols: op.cols}
	acc := make([]float64, op.cols)
	mark := make([]bool, op.cols)
	var touched []int32
	for i, row := range s.rows {
		touched = touched[:0]
		for _, e := range row {
			for _, f := range op.rows[e.j] {
				if !mark[f.j] {
					mark[f.j] = true
					touched = append(touched, f.j)
				}
				acc[f.j] += e.w * f.w
			}
		}
		if len(touched) == 0 {
			continue
		}
		sort.Slice(touched, func(a, b int) bool { return touched[a] < touched[b] })
		r := make([]entry, 0, len(touched))
		for _, j := range touched {
			if acc[j] != 0 {
				r = append(r, entry{j, acc[j]})
			}
			acc[j], mark[j] = 0, false
		}
		out.rows[i] = r
	}
	return out
}

// plus adds two matrices of the same shape.
func (s *sparse) plus(t *sparse) *sparse {
	out := &sparse{rows: make([][]entry, len(s.rows)), cols: s.cols}
	for i := range s.rows {
		a, b := s.rows[i], t.rows[i]
		r := make([]entry, 0, len(a)+len(b))
		x, y := 0, 0
		for x < len(a) || y < len(b) {
			switch {
			case y == len(b) || (x < len(a) && a[x].j < b[y].j):
				r = append(r, a[x])
				x++
			case x == len(a) || b[y].j < a[x].j:
				r = append(r, b[y])
				y++
			default:
				if w := a[x].w + b[y].w; w != 0 {
					r = append(r, entry{a[x].j, w})
				}
				x++
				y++
			}
		}
		out.rows[i] = r
	}
	return out
}

// applyVec pushes a dense vector through op.
func (op *sparse) applyVec(v []float64) []float64 {
	out := make([]float64, op.cols)
	for k, x := range v {
		if x == 0 {
			continue
		}
		for _, e := range op.rows[k] {
			out[e.j] += x * e.w
		}
	}
	return out
}

// dense builds the operator of a weight matrix W (out × in, row-major):
// row k of the operator is column k of W.
func dense(w []float64, out, in int) *sparse {
	s := &sparse{rows: make([][]entry, in), cols: out}
	counts := make([]int, in)
	for j := 0; j < out; j++ {
		for k := 0; k < in; k++ {
			if w[j*in+k] != 0 {
				counts[k]++
			}
		}
	}
	for k := range s.rows {
		s.rows[k] = make([]entry, 0, counts[k])
	}
	for j := 0; j < out; j++ {
		for k := 0; k < in; k++ {
			if x := w[j*in+k]; x != 0 {
				s.rows[k] = append(s.rows[k], entry{int32(j), x})
			}
		}
	}
	return s
}

// diag builds a per-element scaling.
func diag(scale []float64, n int) *sparse {
	s := &sparse{rows: make([][]entry, n), cols: n}
	for i := 0; i < n; i++ {
		x := scale[0]
		if len(scale) == n {
			x = scale[i]
		}
		if x != 0 {
			s.rows[i] = []entry{{int32(i), x}}
		}
	}
	return s
}

// conv describes a 2-D cross-correlation as PyTorch computes it (1-D is
// the case H = 1). Padding is given per side: before (top/left); the output
// size fixes the rest.
type conv struct {
	cin, cout, groups int
	h, w              int // input
	kh, kw            int
	sy, sx            int
	py, px            int // padding before
	dy, dx            int
	oh, ow            int // output
	weight            []float64
	kernel            bool // false: pooling (weight 1, groups = channels; averaging scales afterwards)
}

// op builds the operator: row (ci, y, x) of the input lists every output it
// feeds.
func (c *conv) op() *sparse {
	in := c.cin * c.h * c.w
	s := &sparse{rows: make([][]entry, in), cols: c.cout * c.oh * c.ow}
	// Two passes, counting then filling, so the rows share one exact
	// allocation (a million-synapse layer costs 16 MB, not twice that).
	counts := make([]int32, in)
	c.each(func(k int, _ int32, _ float64) { counts[k]++ })
	total := 0
	for _, n := range counts {
		total += int(n)
	}
	flat := make([]entry, total)
	at := 0
	for k, n := range counts {
		s.rows[k] = flat[at : at : at+int(n)]
		at += int(n)
	}
	c.each(func(k int, out int32, w float64) { s.rows[k] = append(s.rows[k], entry{out, w}) })
	return s
}

// each calls fn for every (input, output, weight) the layer connects, in
// increasing output order for each input.
func (c *conv) each(fn func(k int, out int32, w float64)) {
	cinG, coutG := c.cin/c.groups, c.cout/c.groups
	for co := 0; co < c.cout; co++ {
		g := co / coutG
		for oy := 0; oy < c.oh; oy++ {
			for ox := 0; ox < c.ow; ox++ {
				out := int32((co*c.oh+oy)*c.ow + ox)
				for cl := 0; cl < cinG; cl++ {
					ci := g*cinG + cl
					for ky := 0; ky < c.kh; ky++ {
						iy := oy*c.sy - c.py + ky*c.dy
						if iy < 0 || iy >= c.h {
							continue
						}
						for kx := 0; kx < c.kw; kx++ {
							ix := ox*c.sx - c.px + kx*c.dx
							if ix < 0 || ix >= c.w {
								continue
							}
							w := 1.0
							if c.kernel {
								w = c.weight[((co*cinG+cl)*c.kh+ky)*c.kw+kx]
								if w == 0 {
									continue
								}
							}
							fn((ci*c.h+iy)*c.w+ix, out, w)
						}
					}
				}
			}
		}
	}
}

// convOut is PyTorch's output size of one spatial dimension.
func convOut(in, pad, dil, k, stride int) int {
	n := (in+2*pad-dil*(k-1)-1)/stride + 1
	return int(math.Max(float64(n), 0))
}
