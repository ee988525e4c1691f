// Package atomicfile writes files so that they appear complete under their
// final name or not at all: every output of ncx (images, memory files, run
// results, plots, reports) goes through it.
package atomicfile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sync"
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

// pending holds the temporary names of files neither committed nor
// aborted, for RemovePending.
var pending sync.Map

// RemovePending removes the temporary files of every File not yet committed
// or aborted: a process that must exit at once (a second interrupt) calls it
// so that it leaves complete files or none.
func RemovePending() {
	pending.Range(func(k, _ any) bool {
		os.Remove(k.(string))
		return true
	})
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
	pending.Store(f.Name(), true)
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
	defer pending.Delete(a.f.Name())
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

// ReadBack flushes what was written so far and opens it for reading, for a
// writer that must rewrite the start of a file it streamed.
func (a *File) ReadBack() (*os.File, error) {
	if err := a.Flush(); err != nil {
		return nil, fmt.Errorf("read back %s: %w", a.path, err)
	}
	f, err := os.Open(a.f.Name())
	if err != nil {
		return nil, fmt.Errorf("read back %s: %w", a.path, err)
	}
	return f, nil
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
	pending.Delete(a.f.Name())
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

// Set is a group of files that appear together or not at all, as the outputs
// of one command: each is written under a temporary name, and Commit renames
// them into place only after every one was written and synced. Abort (safe
// after Commit) removes what is left.
type Set struct {
	files []*File
}

// Add writes path's content into the set.
func (s *Set) Add(path string, write func(w *bufio.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	s.files = append(s.files, f)
	if err := write(f.Writer); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Commit syncs every file, then renames them all into place. A failure
// before the renames leaves no file; a rename failing (rare: same directory)
// leaves the ones renamed before it.
func (s *Set) Commit() error {
	for _, f := range s.files {
		err := f.Flush()
		if err == nil {
			err = f.f.Sync()
		}
		if err != nil {
			s.Abort()
			return fmt.Errorf("write %s: %w", f.path, err)
		}
	}
	for _, f := range s.files {
		if err := f.Commit(); err != nil {
			s.Abort()
			return err
		}
	}
	return nil
}

// Abort discards every file not yet committed.
func (s *Set) Abort() {
	for _, f := range s.files {
		f.Abort()
	}
}
