// Package data holds the datasets that ncx's demos, tests and docs use, built
// into the binary so that they work from any directory and in a clone that has
// nothing beside it. Each file's origin and licence is in data/README.md.
package data

import (
	"bytes"
	_ "embed"
	"io"
)

//go:embed digits.csv.gz
var digits []byte

// DigitsFile is the repository path of the built-in digits, for messages and
// for tools that want the file itself.
const DigitsFile = "data/digits.csv.gz"

// DigitsGzip returns the built-in 8x8 digits (UCI Optical Recognition of
// Handwritten Digits, test set; CC BY 4.0): gzip-compressed CSV, one sample a
// line, 64 pixels 0..16 then the label 0..9, 1,797 samples.
func DigitsGzip() io.Reader { return bytes.NewReader(digits) }

// Digits returns a copy of the gzip-compressed built-in digits file.
func Digits() []byte { return bytes.Clone(digits) }
