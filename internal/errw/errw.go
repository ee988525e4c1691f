// Package errw is a writer that keeps the first write error, so that code
// printing a report or a table line by line checks for errors once, at the
// end, instead of after every line.
package errw

import (
	"fmt"
	"io"
)

// Writer passes writes to an underlying writer until one fails; after that
// it writes nothing and every call returns that first error.
type Writer struct {
	w   io.Writer
	err error
}

// New wraps w.
func New(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes p unless an earlier write failed.
func (e *Writer) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// WriteString writes s unless an earlier write failed (through the
// underlying writer's WriteString when it has one, as bufio.Writer does).
func (e *Writer) WriteString(s string) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := io.WriteString(e.w, s)
	e.err = err
	return n, err
}

// Printf formats and writes unless an earlier write failed.
func (e *Writer) Printf(format string, a ...any) {
	if e.err == nil {
		fmt.Fprintf(e, format, a...)
	}
}

// Keep records err as the first error if there is none yet (for errors of
// writers layered on top, such as a tabwriter's Flush).
func (e *Writer) Keep(err error) {
	if e.err == nil {
		e.err = err
	}
}

// Err is the first error, or nil.
func (e *Writer) Err() error { return e.err }
