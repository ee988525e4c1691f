package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/hdf5"
	"github.com/ncx-project/ncx/internal/atomicfile"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nir"
	"github.com/ncx-project/ncx/nirexport"
	"github.com/ncx-project/ncx/nirimport"
)

// nirFlags are the choices a NIR graph needs on its way to the core.
type nirFlags struct {
	Dt     string // step: seconds ("1e-4") or a duration ("0.1ms")
	Method string
	Reset  string
	Spikes string // CSV of input spikes for the graph's Input node
}

func (nf *nirFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&nf.Dt, "dt", "", "NIR graphs: time step, seconds (1e-4) or with a unit (0.1ms); required")
	fl.StringVar(&nf.Method, "method", nirimport.MethodExact, "NIR graphs: discretisation, exact (exponential decay) or euler (as snnTorch/Norse step)")
	fl.StringVar(&nf.Reset, "reset", "", "NIR graphs: reset after a spike, zero (to v_reset) or subtract (v drops by the threshold); default: each node's metadata reset_mechanism, else zero")
}

// isNIRFile reports whether path names a NIR graph (an HDF5 file).
func isNIRFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".nir", ".h5", ".hdf5":
		return true
	}
	return false
}

func parseDt(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, &usageError{err: fmt.Errorf("--dt is required for a NIR graph: NIR times are continuous (e.g. --dt 1e-4 or --dt 0.1ms)")}
	}
	if v, err := strconv.ParseFloat(strings.TrimSuffix(s, "s"), 64); err == nil && !strings.HasSuffix(s, "ms") && !strings.HasSuffix(s, "us") {
		if !(v > 0) {
			return 0, &usageError{err: fmt.Errorf("--dt %q: must be > 0", s)}
		}
		return v, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, &usageError{err: fmt.Errorf("--dt %q: want seconds (1e-4) or a duration (0.1ms, 100us)", s)}
	}
	return d.Seconds(), nil
}

// importNIR reads a NIR graph and lowers it for the target (default sim).
func importNIR(path string, cf compileFlags) (*nirimport.Result, error) {
	dt, err := parseDt(cf.NIR.Dt)
	if err != nil {
		return nil, err
	}
	target := cf.Target
	switch {
	case target == "" && cf.NeuroCoreX:
		target = NeuroCoreXProfile
	case target == "":
		target = "sim"
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	prof, err := compiler.ResolveTarget(target, cwd)
	if err != nil {
		return nil, &usageError{err: fmt.Errorf("--target: %w", err)}
	}
	f, err := nir.Read(path)
	if err != nil {
		return nil, badInput(err)
	}
	opts := nirimport.Options{Dt: dt, Profile: prof, Method: cf.NIR.Method, Reset: cf.NIR.Reset, Steps: cf.Steps}
	if cf.NeuroCoreX {
		// NeuroCoreX's ±128.0 at weight exponent 7 (8 Q7.10 LSB per LSB),
		// less one LSB for the rounding of threshold and weight
		opts.MaxV = neurocorex.MaxVUnits*(1<<core.MaxWExp) - 1
	}
	if cf.NIR.Spikes != "" {
		spikes, err := readNIRSpikes(cf.NIR.Spikes, dt)
		if err != nil {
			return nil, badInput(err)
		}
		var inputs []string
		for _, n := range f.Graph.Names() {
			if f.Graph.Nodes[n].Type == "Input" {
				inputs = append(inputs, n)
			}
		}
		if len(inputs) != 1 {
			return nil, &usageError{err: fmt.Errorf("--spikes needs a graph with exactly one Input node, %s has %d", path, len(inputs))}
		}
		opts.Inputs = map[string][]network.Spike{inputs[0]: spikes}
	}
	res, err := nirimport.Import(f, path, opts)
	if err != nil {
		return nil, badInput(err)
	}
	return res, nil
}

// readNIRSpikes reads step,index (or time_s,index) rows.
func readNIRSpikes(path string, dt float64) ([]network.Spike, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []network.Spike
	seconds, first := false, true
	for ln, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, ",")
		if len(cols) != 2 {
			return nil, fmt.Errorf("%s:%d: want step,index or time_s,index, got %q", path, ln+1, line)
		}
		head := strings.TrimSpace(cols[0])
		if first && (head == "step" || head == "time_s") {
			seconds, first = head == "time_s", false
			continue
		}
		first = false
		t, err1 := strconv.ParseFloat(head, 64)
		i, err2 := strconv.Atoi(strings.TrimSpace(cols[1]))
		if err1 != nil || err2 != nil || t < 0 || i < 0 || (!seconds && t != math.Trunc(t)) {
			return nil, fmt.Errorf("%s:%d: bad row %q", path, ln+1, line)
		}
		step := int(t)
		if seconds {
			step = int(math.Round(t / dt))
		}
		out = append(out, network.Spike{Step: step, Index: i})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Step < out[b].Step })
	return out, nil
}

// writeNIRReport prints what the import did: nodes, populations, the
// discretisation and its errors.
func writeNIRReport(w io.Writer, rep *nirimport.Report) error {
	fmt.Fprintf(w, "NIR import: dt %g s, %s discretisation, reset %s\n", rep.Dt, rep.Method, rep.Reset)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "node\ttype\tshape\tpopulations\tsynapses in\tlatency (steps)\t")
	for _, n := range rep.Nodes {
		pops := strings.Join(n.Populations, " ")
		if len(n.Populations) > 4 {
			pops = fmt.Sprintf("%s … (%d)", strings.Join(n.Populations[:3], " "), len(n.Populations))
		}
		lat := "-"
		if l, ok := rep.Latency[n.Name]; ok {
			lat = strconv.Itoa(l)
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%d\t%s\t\n", n.Name, n.Type, n.Shape, pops, n.Synapses, lat)
	}
	tw.Flush()
	if len(rep.Params) > 0 {
		fmt.Fprintln(w, "\ndiscretisation (requested → what the core does):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "population\tparameter\trequested\tcore\trel. error\t")
		shown := 0
		for _, p := range rep.Params {
			if shown == 40 {
				fmt.Fprintf(tw, "…\t(%d more rows in --report)\t\t\t\t\n", len(rep.Params)-shown)
				break
			}
			shown++
			e := fmt.Sprintf("%+.3g%%", 100*p.RelErr)
			if p.Requested == 0 {
				e = fmt.Sprintf("%+.3g (abs.)", p.AbsErr)
			}
			fmt.Fprintf(tw, "%s\t%s\t%.6g %s\t%.6g %s\t%s\t\n", p.Population, p.Name, p.Requested, p.Unit, p.Hardware, p.Unit, e)
		}
		tw.Flush()
	}
	for _, m := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", m)
	}
	fmt.Fprintln(w)
	return nil
}

// ImportOptions are the inputs of ncx import.
type ImportOptions struct {
	F       *Factory
	Model   string
	Output  string
	Compile compileFlags
}

func newImportCmd(f *Factory) *cobra.Command {
	opts := &ImportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "import MODEL.nir",
		Short: "Turn a NIR graph into an ncx network description",
		Long: strings.TrimSpace(`
Read a NIR graph (HDF5, as NIR's write makes it) and write an ncx network
description (YAML) that compiles to the same image as compiling the graph
directly: populations with raw hardware values, synapse lists with weights in
LSB (CSV files in NET.conn/ for large projections), probes on the outputs.

Neuron nodes become populations (one per distinct parameter set); chains of
Affine, Linear, Scale, Conv, pooling and Flatten nodes between them are folded
into synapse weights and neuron biases. The time step is required: NIR's
parameters are continuous-time. docs/nir.md writes down the discretisation;
the report printed here lists what it costs per parameter.

Nothing is written when the graph cannot be imported.`),
		Example: strings.TrimSpace(`
$ ncx import model.nir -o net.yaml --dt 1e-4
$ ncx import model.nir -o net.yaml --dt 1ms --target a7 --method euler --spikes in.csv
$ ncx import model.nir -o net.yaml --dt 1ms --target neurocorex --spikes in.csv`),
		Args: exactArgs(1, "NIR graph MODEL.nir"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Model = args[0]
			opts.Compile.neuroCoreXTarget()
			return importRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "", "network description to write (default: MODEL with extension .yaml)")
	fl.StringVar(&opts.Compile.Target, "target", "sim", "target profile whose voltage width sets the raw values; neurocorex: profile a7, refusing what NeuroCoreX cannot represent (then compile the YAML with --target neurocorex)")
	fl.IntVar(&opts.Compile.Steps, "steps", 1000, "run length stored in the description")
	fl.StringVar(&opts.Compile.NIR.Spikes, "spikes", "", "CSV of input spikes (step,index or time_s,index) for the graph's Input node")
	opts.Compile.NIR.register(fl)
	return cmd
}

func importRun(opts *ImportOptions) error {
	res, err := importNIR(opts.Model, opts.Compile)
	if err != nil {
		return err
	}
	out := opts.Output
	if out == "" {
		out = replaceExt(opts.Model, ".yaml")
	}
	files, err := nirimport.YAML(res, out, opts.Model)
	if err != nil {
		return err
	}
	// Check it compiles before writing anything: a graph too big for the
	// target fails here (exit 3), one NeuroCoreX cannot represent too.
	copts := opts.Compile.options()
	copts.Steps = 0
	im, _, err := compiler.Compile(res.Net, copts)
	if err != nil {
		return err
	}
	if opts.Compile.NeuroCoreX {
		if _, _, err := neurocorex.Lower(im); err != nil {
			return badInput(err)
		}
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		b := files[p]
		if err := atomicfile.Write(p, func(w *bufio.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return err
		}
	}
	fmt.Fprintf(opts.F.ErrOut, "wrote %s", out)
	if len(files) > 1 {
		fmt.Fprintf(opts.F.ErrOut, " and %d connection files", len(files)-1)
	}
	fmt.Fprintln(opts.F.ErrOut)
	return writeNIRReport(opts.F.Out, res.Report)
}

// inspectNIR describes a NIR graph: nodes, shapes, parameter ranges and what
// the core will do with each.
func inspectNIR(w io.Writer, path string, asJSON bool) error {
	f, err := nir.Read(path)
	if err != nil {
		return badInput(err)
	}
	type paramInfo struct {
		Name  string   `json:"name"`
		Shape []uint64 `json:"shape"`
		Min   float64  `json:"min"`
		Max   float64  `json:"max"`
		Text  string   `json:"text,omitempty"`
	}
	type nodeInfo struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Shape []int  `json:"shape,omitempty"` // output shape, inferred

		Core   string      `json:"core"`
		Params []paramInfo `json:"params"`
	}
	var nodes []nodeInfo
	var edges [][2]string
	var walk func(g *nir.Graph, prefix string)
	walk = func(g *nir.Graph, prefix string) {
		for _, e := range g.Edges {
			edges = append(edges, [2]string{prefix + e[0], prefix + e[1]})
		}
		for _, name := range g.Names() {
			n := g.Nodes[name]
			if n.Graph != nil {
				nodes = append(nodes, nodeInfo{Name: prefix + name, Type: n.Type, Core: "subgraph: inlined"})
				walk(n.Graph, prefix+name+".")
				continue
			}
			ni := nodeInfo{Name: prefix + name, Type: n.Type, Core: coreRole(n.Type)}
			if prefix != "" && (n.Type == "Input" || n.Type == "Output") {
				ni.Core = "subgraph port: passes its input through"
			}
			keys := make([]string, 0, len(n.Params))
			for k := range n.Params {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				v := n.Params[k]
				pi := paramInfo{Name: k, Shape: v.Shape}
				switch {
				case v.S != nil:
					pi.Text = strings.Join(v.S, ",")
				default:
					lo, hi := valueRange(v)
					pi.Min, pi.Max = lo, hi
				}
				ni.Params = append(ni.Params, pi)
			}
			nodes = append(nodes, ni)
		}
	}
	walk(f.Graph, "")
	// Shapes as the import infers them; a graph that fails the checks is
	// still listed, with the problem.
	shapes, shapeErr := nirimport.Shapes(f, path)
	for i := range nodes {
		nodes[i].Shape = shapes[nodes[i].Name]
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		out := map[string]any{"file": path, "version": f.Version, "nodes": nodes, "edges": edges}
		if shapeErr != nil {
			out["problem"] = shapeErr.Error()
		}
		return enc.Encode(out)
	}
	fmt.Fprintf(w, "NIR graph %s (version %s): %d nodes, %d edges\n\n", path, f.Version, len(nodes), len(edges))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "node\ttype\toutput\tparameter\tshape\trange\ton the core\t")
	for _, n := range nodes {
		out := "?"
		if n.Shape != nil {
			out = fmt.Sprint(n.Shape)
		}
		if len(n.Params) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t%s\t\t\t\t%s\t\n", n.Name, n.Type, out, n.Core)
		}
		for i, p := range n.Params {
			name, typ, role, o := "", "", "", ""
			if i == 0 {
				name, typ, role, o = n.Name, n.Type, n.Core, out
			}
			rng := fmt.Sprintf("%.4g … %.4g", p.Min, p.Max)
			if p.Min == p.Max {
				rng = fmt.Sprintf("%.4g", p.Min)
			}
			if p.Text != "" {
				rng = p.Text
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\t%s\t\n", name, typ, o, p.Name, p.Shape, rng, role)
		}
	}
	tw.Flush()
	var eb bytes.Buffer
	for i, e := range edges {
		if i > 0 {
			eb.WriteString(", ")
		}
		eb.WriteString(e[0] + " → " + e[1])
	}
	fmt.Fprintf(w, "\nedges: %s\n", eb.String())
	if shapeErr != nil {
		fmt.Fprintf(w, "\nproblem: %v\n", shapeErr)
	}
	return nil
}

func valueRange(v *hdf5.Value) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(x float64) { lo, hi = math.Min(lo, x), math.Max(hi, x) }
	for _, x := range v.F {
		see(x)
	}
	for _, x := range v.I {
		see(float64(x))
	}
	for _, x := range v.U {
		see(float64(x))
	}
	for _, x := range v.B {
		if x {
			see(1)
		} else {
			see(0)
		}
	}
	if lo > hi {
		return 0, 0
	}
	return lo, hi
}

func coreRole(typ string) string {
	switch typ {
	case "Input":
		return "input population (spikes from --spikes)"
	case "Output":
		return "probes on the population it shows (a readout population if fed by a linear layer)"
	case "LIF", "CubaLIF", "IF":
		return "LIF population(s), one per parameter set"
	case "LI", "CubaLI", "I":
		return "non-spiking population(s): v is the output"
	case "Threshold":
		return "memoryless spiking population"
	case "Affine", "Linear", "Scale", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d":
		return "folded into synapse weights (Affine/Conv bias: neuron bias)"
	case "Flatten":
		return "reshape only"
	case "Delay":
		return "accepted only below half a step (no delay lines)"
	}
	return "not supported"
}

// ExportOptions are the inputs of ncx export.
type ExportOptions struct {
	F       *Factory
	Source  string
	Output  string
	Compile compileFlags
}

func newExportCmd(f *Factory) *cobra.Command {
	opts := &ExportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "export IMAGE|NET.yaml|MODEL.nir",
		Short: "Write what the core computes as a NIR graph",
		Long: strings.TrimSpace(`
Write a compiled image (or a description compiled in memory) as a NIR graph:
one neuron node per population with the core's actual time constants at the
image's dt (its 13-bit decay multipliers converted back), thresholds and
resets, and one Linear node per pair of populations holding the quantised
weights (an Affine where the target has a bias). Voltages are in the core's
LSB; importing the file again at the same dt gives back the same neurons,
synapses and spikes. NIR has no sparse layer: a projection is written as a
dense matrix (at most 2^25 elements). Refractory periods, burst units and
non-decaying currents have no NIR equivalent and are refused.`),
		Example: strings.TrimSpace(`
$ ncx export net.ncx -o net.nir
$ ncx export model.nir --dt 1e-4 --target a7 -o on-a7.nir`),
		Args: exactArgs(1, "image, network description or NIR graph"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Source = args[0]
			return exportRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&opts.Output, "output", "o", "", "NIR file to write (default: SOURCE with extension .nir)")
	fl.StringVar(&opts.Compile.Target, "target", "", "target profile when compiling a description or NIR graph")
	fl.StringVar(&opts.Compile.NIR.Spikes, "spikes", "", "NIR graphs: CSV of input spikes for the Input node")
	opts.Compile.NIR.register(fl)
	return cmd
}

func exportRun(opts *ExportOptions) error {
	src, err := loadSource(opts.Source, opts.Compile)
	if err != nil {
		return err
	}
	g, err := nirexport.Export(src.Image)
	if err != nil {
		return badInput(fmt.Errorf("export %s: %w", opts.Source, err))
	}
	b, err := nir.Encode(g)
	if err != nil {
		return err
	}
	out := opts.Output
	if out == "" {
		out = replaceExt(opts.Source, ".nir")
	}
	if out == opts.Source {
		return &usageError{err: fmt.Errorf("-o %s would overwrite the source", out)}
	}
	if err := atomicfile.Write(out, func(w *bufio.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return err
	}
	fmt.Fprintf(opts.F.ErrOut, "wrote %s (%d nodes, %d edges)\n", out, len(g.Graph.Nodes), len(g.Graph.Edges))
	return nil
}
