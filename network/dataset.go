package network

import (
	"compress/gzip"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Dataset is a labelled dataset declared at the top level of a description.
// The file is a CSV (optionally gzip-compressed, name ending in .gz) with one
// sample per row: Features feature columns and one label column.
type Dataset struct {
	Name string
	File string // path as resolved against Network.Dir
	// Features is the number of feature columns, Classes the number of
	// labels (labels are integers 0..Classes-1).
	Features, Classes int
	// LabelColumn is the 0-based column of the label (the YAML accepts
	// "first", "last" or a number; default last).
	LabelColumn int
	// Scale is the largest feature value: a feature of Scale is presented at
	// the full rate of a dataset_input population. Features lie in 0..Scale.
	Scale float64
	// Train is the fraction of samples in the training split, SplitSeed the
	// seed of the shuffle (see Split).
	Train     float64
	SplitSeed uint64
	Line      int

	data *Data
}

// Data is the content of a dataset file.
type Data struct {
	Features [][]float64 // per sample, Features values
	Labels   []int       // per sample, 0..Classes-1
	// Train and Test are sample indices: the deterministic split of Split.
	Train, Test []int
}

// LoadDataset returns the samples of ds and its train/test split. The file
// is read (and validated) once by Load; later calls return the same data, so
// callers must not modify it.
func LoadDataset(ds *Dataset) (*Data, error) {
	if ds.data != nil {
		return ds.data, nil
	}
	d, err := readDataset(ds, ds.File, 0, "file")
	if err != nil {
		return nil, err
	}
	ds.data = d
	return d, nil
}

// Split returns the deterministic train/test split of n samples: the
// permutation of 0..n-1 made by a Fisher-Yates shuffle (for i = n-1 down to 1,
// swap i with j = r.IntN(i+1)) driven by rand.New(rand.NewPCG(seed, 0)) from
// math/rand/v2; the first round(train·n) indices of the permutation are the
// training samples, the rest the test samples, both in permutation order.
func Split(n int, train float64, seed uint64) (trainIdx, testIdx []int) {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	r := rand.New(rand.NewPCG(seed, 0))
	for i := n - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		perm[i], perm[j] = perm[j], perm[i]
	}
	k := int(math.Round(train * float64(n)))
	k = min(max(k, 0), n)
	return perm[:k], perm[k:]
}

// Dataset returns the dataset called name, or nil.
func (n *Network) Dataset(name string) *Dataset {
	for _, d := range n.Datasets {
		if d.Name == name {
			return d
		}
	}
	return nil
}

func (d *dec) dataset(node *yaml.Node, path string, n *Network) (*Dataset, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	ds := &Dataset{Line: o.node.Line, Train: 1}
	if ds.Name, err = o.reqStr("name"); err != nil {
		return nil, err
	}
	file, err := o.reqStr("file")
	if err != nil {
		return nil, err
	}
	ds.File = resolvePath(n.Dir, file)
	f, err := o.reqInt("features", 1, MaxPopulationSize)
	if err != nil {
		return nil, err
	}
	c, err := o.reqInt("classes", 1, MaxPopulationSize)
	if err != nil {
		return nil, err
	}
	ds.Features, ds.Classes = int(f), int(c)
	ds.LabelColumn = ds.Features
	if ln := o.get("label_column"); ln != nil {
		s, err := d.scalar(ln, o.sub("label_column"))
		if err != nil {
			return nil, err
		}
		switch s.Value {
		case "last":
		case "first":
			ds.LabelColumn = 0
		default:
			v, err := d.integer(s, o.sub("label_column"), 0, int64(ds.Features))
			if err != nil {
				return nil, d.err(s, o.sub("label_column"), "must be first, last or a column number 0..%d, got %q", ds.Features, s.Value)
			}
			ds.LabelColumn = int(v)
		}
	}
	ds.Scale = 1
	if v, ok, err := o.optFloat("scale"); err != nil {
		return nil, err
	} else if ok {
		if v <= 0 {
			return nil, d.err(o.get("scale"), o.sub("scale"), "must be > 0, got %g", v)
		}
		ds.Scale = v
	}
	if sn := o.get("split"); sn != nil {
		so, err := d.object(sn, o.sub("split"))
		if err != nil {
			return nil, err
		}
		if v, ok, err := so.optFloat("train"); err != nil {
			return nil, err
		} else if ok {
			if v <= 0 || v > 1 {
				return nil, d.err(so.get("train"), so.sub("train"), "must be in (0, 1], got %g", v)
			}
			ds.Train = v
		}
		if s, ok, err := so.optInt("seed", 0, 1<<62); err != nil {
			return nil, err
		} else if ok {
			ds.SplitSeed = uint64(s)
		}
		if err := so.done(); err != nil {
			return nil, err
		}
	}
	if err := o.done(); err != nil {
		return nil, err
	}
	data, err := readDataset(ds, d.file, o.line("file"), o.sub("file"))
	if err != nil {
		return nil, err
	}
	ds.data = data
	return ds, nil
}

// readDataset reads and checks a dataset file. Errors about the file as a
// whole name yamlFile:yamlLine:field; errors in a row name the data file and
// the row's line.
func readDataset(ds *Dataset, yamlFile string, yamlLine int, field string) (*Data, error) {
	f, err := os.Open(ds.File)
	if err != nil {
		return nil, errAt(yamlFile, yamlLine, field, "cannot open %s: %v", ds.File, unwrapPath(err))
	}
	defer f.Close()
	return parseDataset(ds, f, yamlFile, yamlLine, field)
}

// ReadDataset reads the samples of ds from r instead of ds.File (which only
// names the data in errors and decides gzip by its .gz suffix), and keeps
// them for LoadDataset.
func ReadDataset(ds *Dataset, r io.Reader) (*Data, error) {
	d, err := parseDataset(ds, r, ds.File, 0, "")
	if err != nil {
		return nil, err
	}
	ds.data = d
	return d, nil
}

func parseDataset(ds *Dataset, r io.Reader, yamlFile string, yamlLine int, field string) (*Data, error) {
	if strings.HasSuffix(ds.File, ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, errAt(yamlFile, yamlLine, field, "%s is not a gzip file: %v", ds.File, err)
		}
		defer gz.Close()
		r = gz
	}
	data := &Data{}
	ncols := ds.Features + 1
	first := true
	err := scanCSV(r, ds.File, func(line int, cols []string) error {
		if first {
			first = false
			if isHeader(cols) && len(cols) == ncols {
				return nil
			}
		}
		if len(cols) != ncols {
			return errAt(ds.File, line, "", "want %d columns (%d features and a label), got %d", ncols, ds.Features, len(cols))
		}
		x := make([]float64, 0, ds.Features)
		label := -1
		for c, s := range cols {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return errAt(ds.File, line, "", "column %d: bad number %q", c+1, s)
			}
			if c == ds.LabelColumn {
				if v != math.Trunc(v) || v < 0 || v >= float64(ds.Classes) {
					return errAt(ds.File, line, "", "label %s outside 0..%d (classes: %d)", s, ds.Classes-1, ds.Classes)
				}
				label = int(v)
				continue
			}
			if v < 0 || v > ds.Scale {
				return errAt(ds.File, line, "", "column %d: feature %g outside 0..%g (scale)", c+1, v, ds.Scale)
			}
			x = append(x, v)
		}
		data.Features = append(data.Features, x)
		data.Labels = append(data.Labels, label)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(data.Labels) == 0 {
		return nil, errAt(yamlFile, yamlLine, field, "%s holds no samples", ds.File)
	}
	data.Train, data.Test = Split(len(data.Labels), ds.Train, ds.SplitSeed)
	return data, nil
}

// Presentation is one sample shown by a dataset_input population.
type Presentation struct {
	Start  int // first step
	Steps  int // steps the sample is shown (a gap follows)
	Sample int // index into the dataset
	Label  int
}

// Presentations lists the samples population k (a dataset_input) shows
// within steps steps: the training split, in split order, repeated as often
// as needed; sample m starts at step m·(present_steps+gap_steps).
func (n *Network) Presentations(k, steps int) []Presentation {
	p := n.Populations[k]
	if p.Kind != KindDatasetInput {
		return nil
	}
	ds := n.Datasets[p.DatasetIdx]
	data, err := LoadDataset(ds)
	if err != nil || len(data.Train) == 0 {
		return nil
	}
	period := p.PresentSteps + p.GapSteps
	var out []Presentation
	for m := 0; m*period < steps; m++ {
		s := data.Train[m%len(data.Train)]
		out = append(out, Presentation{Start: m * period, Steps: min(p.PresentSteps, steps-m*period), Sample: s, Label: data.Labels[s]})
	}
	return out
}

// TeachWrite is one write of a teaching input: from step Step on, neuron
// Index of the teacher's population gets MV (mV, steady-state apical
// depolarisation).
type TeachWrite struct {
	Step  int
	Index int
	MV    float64
}

// TeachWrites expands the teacher into the writes a host makes during a run
// of steps steps, ordered by step then index: at the start of each
// presentation every neuron gets On or Off, and at its end every neuron gets
// 0. The writes come in the order a host applies them (by step; within a
// step a later write to the same neuron wins). Nil without a teacher.
func (n *Network) TeachWrites(steps int) []TeachWrite {
	t := n.Teacher
	if t == nil {
		return nil
	}
	size := n.Populations[t.PopIdx].Size
	var out []TeachWrite
	for _, pr := range n.Presentations(t.InputIdx, steps) {
		for i := 0; i < size; i++ {
			v := t.Off
			if i == pr.Label {
				v = t.On
			}
			out = append(out, TeachWrite{Step: pr.Start, Index: i, MV: v})
		}
		if end := pr.Start + pr.Steps; end < steps {
			for i := 0; i < size; i++ {
				out = append(out, TeachWrite{Step: end, Index: i})
			}
		}
	}
	return out
}
