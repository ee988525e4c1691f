package learn

import (
	"fmt"

	"github.com/ncx-project/ncx/data"
	"github.com/ncx-project/ncx/network"
)

// Dataset is a labelled set of feature vectors scaled to [0, 1].
type Dataset struct {
	X       [][]float64
	Y       []int
	Classes int
}

// DigitsSource names where LoadDigits(path) reads the digits from: the file,
// or for "" the copy built into ncx (package data).
func DigitsSource(path string) string {
	if path == "" {
		return "built-in " + data.DigitsFile + " (UCI optical digits, CC BY 4.0)"
	}
	return path
}

// LoadDigits reads the 8x8 digits: 64 pixels 0..16, then the label, one
// sample a row (gzip when the name ends in .gz), with network's dataset
// reader. An empty path reads the copy built into ncx (data.DigitsGzip).
// Pixels are scaled to [0, 1].
func LoadDigits(path string) (*Dataset, error) {
	ds := &network.Dataset{Name: "digits", File: path, Features: 64, Classes: 10, LabelColumn: 64, Scale: 16, Train: 1}
	var nd *network.Data
	var err error
	if path == "" {
		ds.File = data.DigitsFile
		nd, err = network.ReadDataset(ds, data.DigitsGzip())
	} else {
		nd, err = network.LoadDataset(ds)
	}
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	d := &Dataset{X: nd.Features, Y: nd.Labels, Classes: 10}
	for _, x := range d.X {
		for k := range x {
			x[k] /= 16
		}
	}
	return d, nil
}

// Split shuffles the sample indices with the permutation of network.Split
// (Fisher-Yates driven by math/rand/v2 PCG(seed, 0)) and returns the first
// ⌊frac·n⌋ of them as the training set and the rest as the test set.
func (d *Dataset) Split(seed uint64, frac float64) (train, test *Dataset) {
	perm, _ := network.Split(len(d.Y), 1, seed)
	ntr := int(frac * float64(len(perm)))
	return d.subset(perm[:ntr]), d.subset(perm[ntr:])
}

func (d *Dataset) subset(idx []int) *Dataset {
	s := &Dataset{Classes: d.Classes}
	for _, i := range idx {
		s.X = append(s.X, d.X[i])
		s.Y = append(s.Y, d.Y[i])
	}
	return s
}

// Head returns the first n samples (all when n <= 0 or n >= Len).
func (d *Dataset) Head(n int) *Dataset {
	if n <= 0 || n >= len(d.Y) {
		return d
	}
	return &Dataset{X: d.X[:n], Y: d.Y[:n], Classes: d.Classes}
}

// Len is the number of samples.
func (d *Dataset) Len() int { return len(d.Y) }
