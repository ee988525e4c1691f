package core

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// AtomicFile is a file that is written under a temporary name in its final
// directory and renamed into place by Commit. Until Commit succeeds, the
// final name is untouched; Abort (or a failed Commit) removes the temporary
// file. It buffers writes.
type AtomicFile struct {
	*bufio.Writer
	path string
	f    *os.File
	done bool
}

// CreateAtomic starts writing path atomically.
func CreateAtomic(path string) (*AtomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	// CreateTemp makes the file private; outputs are ordinary files.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &AtomicFile{Writer: bufio.NewWriterSize(f, 1<<16), path: path, f: f}, nil
}

// Path is the final name of the file.
func (a *AtomicFile) Path() string { return a.path }

// Commit flushes, syncs and renames the file into place.
func (a *AtomicFile) Commit() error {
	if a.done {
		return fmt.Errorf("commit %s: already finished", a.path)
	}
	a.done = true
	err := a.Flush()
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.f.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// Abort discards the file. It is safe to call after Commit (it then does
// nothing), so `defer f.Abort()` is the usual pattern.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.f.Name())
}

// WriteFileAtomic writes path through a temporary file in the same directory,
// synced and renamed into place, so a failed write never leaves half a file.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	a, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	defer a.Abort()
	if err := write(a.Writer); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.Commit()
}
