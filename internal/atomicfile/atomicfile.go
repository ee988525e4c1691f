// Package atomicfile writes files so that they appear complete under their
// final name or not at all: every output of ncx (images, memory files, run
// results, plots, reports) goes through it.
package atomicfile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// File is a file that is written under a temporary name in its final
// directory and renamed into place by Commit. Until Commit succeeds, the
// final name is untouched; Abort (or a failed Commit) removes the temporary
// file. It buffers writes.
type File struct {
	*bufio.Writer
	path string
	f    *os.File
	done bool
}

// Create starts writing path atomically.
func Create(path string) (*File, error) {
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
	return &File{Writer: bufio.NewWriterSize(f, 1<<16), path: path, f: f}, nil
}

// Path is the final name of the file.
func (a *File) Path() string { return a.path }

// Commit flushes, syncs and renames the file into place.
func (a *File) Commit() error {
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
func (a *File) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.f.Close()
	os.Remove(a.f.Name())
}

// Write writes path through a temporary file in the same directory, synced
// and renamed into place, so a failed write never leaves half a file.
func Write(path string, write func(w *bufio.Writer) error) error {
	a, err := Create(path)
	if err != nil {
		return err
	}
	defer a.Abort()
	if err := write(a.Writer); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.Commit()
}
