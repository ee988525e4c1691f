package nirimport

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ncx-project/ncx/network"
)

// inlineMax is the largest projection written inline; bigger ones go to a
// CSV file next to the YAML, which network.Load reads faster.
const inlineMax = 2000

// YAML renders an imported network as an ncx network description. The
// result is keyed by path: yamlPath itself and, for large projections, CSV
// files in a directory named after it. Weights are written in their shortest
// exact decimal form, so the description compiles to the same image as the
// imported network.
func YAML(res *Result, yamlPath, source string) (map[string][]byte, error) {
	net := res.Net
	files := map[string][]byte{}
	var b bytes.Buffer
	q := strconv.Quote
	num := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	rep := res.Report
	fmt.Fprintf(&b, "# Imported from %s by ncx import.\n", source)
	fmt.Fprintf(&b, "# dt %g s, %s discretisation, reset %s (docs/nir.md). Neuron populations are raw:\n", rep.Dt, rep.Method, rep.Reset)
	fmt.Fprintf(&b, "# thr, vreset, bias, v_init and weights are in LSB of the core's v, chosen per population.\n")
	fmt.Fprintf(&b, "name: %s\ntarget: %s\ndt: %s\nsteps: %d\n", q(net.Name), q(net.Target), num(net.Dt), net.Steps)
	b.WriteString("\npopulations:\n")
	for _, p := range net.Populations {
		fmt.Fprintf(&b, "  - name: %s\n    size: %d\n", q(p.Name), p.Size)
		if p.IsInput() {
			b.WriteString("    kind: spike_list\n    times: [")
			for i, s := range p.Spikes {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "[%d, %d]", s.Index, s.Step)
			}
			b.WriteString("]\n")
			continue
		}
		r := p.Raw
		fmt.Fprintf(&b, "    kind: lif\n    raw: {thr: %d, vreset: %d, bias: %d, dv: %d, di: %d}\n", r.Thr, r.VReset, r.Bias, r.DV, r.DI)
		if p.Reset == network.ResetSubtract {
			b.WriteString("    reset: subtract\n")
		}
		if p.VInit.A != 0 {
			fmt.Fprintf(&b, "    v_init: %s\n", num(p.VInit.A))
		}
	}
	if len(net.Projections) > 0 {
		b.WriteString("\nprojections:\n")
	}
	dir := strings.TrimSuffix(filepath.Base(yamlPath), filepath.Ext(yamlPath)) + ".conn"
	used := map[string]bool{}
	for k, pr := range net.Projections {
		c := &pr.Connect
		fmt.Fprintf(&b, "  - name: %s\n    pre: %s\n    post: %s\n", q(pr.Name), q(pr.Pre), q(pr.Post))
		if len(c.ListPre) <= inlineMax {
			b.WriteString("    connect: {list: [")
			for e := range c.ListPre {
				if e > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "[%d, %d, %s]", c.ListPre[e], c.ListPost[e], num(c.ListW[e]))
			}
			b.WriteString("]}\n")
			continue
		}
		name := fileName(pr.Name, k, used)
		rel := filepath.ToSlash(filepath.Join(dir, name))
		var csv bytes.Buffer
		csv.WriteString("pre,post,weight\n")
		for e := range c.ListPre {
			fmt.Fprintf(&csv, "%d,%d,%s\n", c.ListPre[e], c.ListPost[e], num(c.ListW[e]))
		}
		files[filepath.Join(filepath.Dir(yamlPath), dir, name)] = csv.Bytes()
		fmt.Fprintf(&b, "    connect: {csv: %s}\n", q(rel))
	}
	if len(net.Probes) > 0 {
		b.WriteString("\nprobes:\n")
		for _, p := range net.Probes {
			fmt.Fprintf(&b, "  - {population: %s, vars: [%s]}\n", q(p.Population), strings.Join(p.Vars, ", "))
		}
	}
	files[yamlPath] = b.Bytes()
	return files, nil
}

// fileName makes a unique, portable CSV file name for a projection.
func fileName(name string, k int, used map[string]bool) string {
	var s strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			s.WriteRune(r)
		case r == '>':
			s.WriteString("to")
		default:
			s.WriteByte('_')
		}
	}
	f := s.String() + ".csv"
	if used[f] {
		f = fmt.Sprintf("%s_%d.csv", s.String(), k)
	}
	used[f] = true
	return f
}
