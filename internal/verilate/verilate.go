// Package verilate builds Verilator models once and caches them: a build
// lands in a directory named after a hash of every input file, the Verilator
// version and the command line, so an unchanged design is never rebuilt, and
// a file lock makes concurrent test packages wait for one build instead of
// racing.
package verilate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// ErrNoVerilator is returned by Build when verilator is not on PATH.
var ErrNoVerilator = errors.New("verilator not found: install it with apt-get install -y verilator")

// Spec describes one cached build.
type Spec struct {
	ObjRoot string   // directory holding the cached builds and the lock
	Name    string   // build directory prefix, e.g. the variant name
	Binary  string   // name of the executable Verilator produces
	Inputs  []string // every file whose contents the build depends on
	// Args returns the verilator command line, with mdir as the output
	// directory; Args("") is hashed into the cache key.
	Args func(mdir string) []string
}

// Build returns the path of the cached binary, building it when needed.
func Build(s Spec) (string, error) {
	if _, err := exec.LookPath("verilator"); err != nil {
		return "", ErrNoVerilator
	}
	h := sha256.New()
	for _, f := range s.Inputs {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("verilate: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(data))
		h.Write(data)
	}
	if out, err := exec.Command("verilator", "--version").Output(); err == nil {
		h.Write(out)
	}
	fmt.Fprintf(h, "%q", s.Args(""))
	final := filepath.Join(s.ObjRoot, s.Name+"-"+hex.EncodeToString(h.Sum(nil))[:16])
	bin := filepath.Join(final, s.Binary)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(s.ObjRoot, 0o755); err != nil {
		return "", fmt.Errorf("verilate: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(s.ObjRoot, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", fmt.Errorf("verilate: %w", err)
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("verilate: lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // built by another process while we waited
	}
	tmp, err := os.MkdirTemp(s.ObjRoot, ".build-")
	if err != nil {
		return "", fmt.Errorf("verilate: %w", err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("verilator", s.Args(tmp)...)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("verilator build of %s failed: %v\n%s", s.Name, err, tail(string(out), 4000))
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("verilate: %w", err)
	}
	return bin, nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
