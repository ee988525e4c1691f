package output

import (
	"bufio"
	"fmt"

	"github.com/ncx-project/ncx/core"
)

// AtomicFile is core.AtomicFile: written under a temporary name and renamed
// into place by Commit.
type AtomicFile = core.AtomicFile

// CreateAtomic starts writing path atomically (core.CreateAtomic).
func CreateAtomic(path string) (*AtomicFile, error) { return core.CreateAtomic(path) }

// WriteAtomic writes path atomically with write.
func WriteAtomic(path string, write func(w *bufio.Writer) error) error {
	a, err := core.CreateAtomic(path)
	if err != nil {
		return err
	}
	defer a.Abort()
	if err := write(a.Writer); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.Commit()
}

// errWriter remembers the first write error so that CSV writers can check once.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) str(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *errWriter) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}
