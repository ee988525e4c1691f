package learn

import (
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
)

// Dataset is a labelled set of feature vectors scaled to [0, 1].
type Dataset struct {
	X       [][]float64
	Y       []int
	Classes int
}

// DefaultDigitsPath is where the shared 8x8 digits live, relative to the
// repository root.
const DefaultDigitsPath = "../shared/data/digits.csv.gz"

// LoadDigits reads digits.csv.gz (or a plain CSV): 64 pixels 0..16, then the
// label, one sample a row. Pixels are scaled to [0, 1].
func LoadDigits(path string) (*Dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if gz, err := gzip.NewReader(f); err == nil {
		defer gz.Close()
		r = gz
	} else if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("learn: %w", err)
	}
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("learn: %s: %w", path, err)
	}
	d := &Dataset{Classes: 10}
	for i, row := range rows {
		if len(row) != 65 {
			return nil, fmt.Errorf("learn: %s row %d: %d fields, want 65", path, i+1, len(row))
		}
		x := make([]float64, 64)
		for k := range x {
			v, err := strconv.ParseFloat(row[k], 64)
			if err != nil {
				return nil, fmt.Errorf("learn: %s row %d: %w", path, i+1, err)
			}
			x[k] = v / 16
		}
		y, err := strconv.Atoi(row[64])
		if err != nil || y < 0 || y > 9 {
			return nil, fmt.Errorf("learn: %s row %d: bad label %q", path, i+1, row[64])
		}
		d.X = append(d.X, x)
		d.Y = append(d.Y, y)
	}
	return d, nil
}

// Split shuffles the sample indices with a Fisher-Yates shuffle driven by
// math/rand/v2 PCG(seed, 0) and returns the first frac of them as the
// training set and the rest as the test set.
func (d *Dataset) Split(seed uint64, frac float64) (train, test *Dataset) {
	idx := make([]int, len(d.Y))
	for i := range idx {
		idx[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	for i := len(idx) - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		idx[i], idx[j] = idx[j], idx[i]
	}
	ntr := int(frac * float64(len(idx)))
	return d.subset(idx[:ntr]), d.subset(idx[ntr:])
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
