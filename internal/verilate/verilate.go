// Package verilate builds Verilator models (and, through Cached, other
// simulators' builds) once and caches them: a build lands in a directory
// named after a hash of every input file, the tool's version and the command
// line, so an unchanged design is never rebuilt, and a file lock makes
// concurrent test packages wait for one build instead of racing.
package verilate

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"

	"github.com/ncx-project/ncx/core"
)

// ErrNoVerilator is returned by Build when verilator is not on PATH.
var ErrNoVerilator = errors.New("verilator not found: install it with apt-get install -y verilator")

// Root is the module root: the directory holding go.mod, hdl/ and testbench/.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// CoreSources lists the Verilog sources of ncx_core (hdl/*.v), sorted.
func CoreSources() ([]string, error) {
	dir := filepath.Join(Root(), "hdl")
	files, err := filepath.Glob(filepath.Join(dir, "*.v"))
	if err != nil {
		return nil, fmt.Errorf("verilate: %w", err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("verilate: no Verilog sources in %s", dir)
	}
	return files, nil
}

// BoardSources lists the board logic of hdl/board (hdl/board/sources.f, the
// one list the bitstream scripts read too), as paths in that order.
func BoardSources() ([]string, error) {
	dir := filepath.Join(Root(), "hdl", "board")
	b, err := os.ReadFile(filepath.Join(dir, "sources.f"))
	if err != nil {
		return nil, fmt.Errorf("verilate: board sources: %w", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, filepath.Join(dir, l))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("verilate: no files in %s", filepath.Join(dir, "sources.f"))
	}
	return out, nil
}

// BurstParam is the value of ncx_core's Burst parameter for profile p.
func BurstParam(p core.Profile) int {
	if p.Burst {
		return 1
	}
	return 0
}

// ProfileParams are the Verilator overrides of ncx_core's size parameters
// for profile p (the top module passes them down).
func ProfileParams(p core.Profile) []string {
	return []string{fmt.Sprintf("-GNB=%d", p.NB), fmt.Sprintf("-GSB=%d", p.SB), fmt.Sprintf("-GRB=%d", p.RB),
		fmt.Sprintf("-GVW=%d", p.VW), fmt.Sprintf("-GBurst=%d", BurstParam(p))}
}

// Spec describes one cached build.
type Spec struct {
	ObjRoot string // directory holding the cached builds and the lock
	Name    string // build directory prefix, e.g. the variant name
	Top     string // top module
	Binary  string // name of the executable Verilator produces
	// Sources are compiled in order: the Verilog files, then the C++ harness.
	Sources []string
	// Includes are the include directories; every header (*.vh, *.h) in them
	// is part of the cache key.
	Includes []string
	// Flags are further verilator options (parameters, defines, CFLAGS).
	Flags []string
}

// args is the verilator command line building into mdir.
func (s Spec) args(mdir string) []string {
	args := []string{"--cc", "--exe", "--build", "-O3", "-j", "2", "--top-module", s.Top}
	args = append(args, s.Flags...)
	for _, d := range s.Includes {
		args = append(args, "-I"+d)
	}
	args = append(args, "--Mdir", mdir, "-o", s.Binary)
	return append(args, s.Sources...)
}

// inputs lists every file the build depends on.
func (s Spec) inputs() ([]string, error) {
	in := append([]string(nil), s.Sources...)
	for _, d := range s.Includes {
		for _, pat := range []string{"*.vh", "*.h"} {
			hs, err := filepath.Glob(filepath.Join(d, pat))
			if err != nil {
				return nil, fmt.Errorf("verilate: %w", err)
			}
			sort.Strings(hs)
			in = append(in, hs...)
		}
	}
	return in, nil
}

// Build returns the path of the cached binary, building it when needed.
func Build(s Spec) (string, error) {
	if _, err := exec.LookPath("verilator"); err != nil {
		return "", ErrNoVerilator
	}
	inputs, err := s.inputs()
	if err != nil {
		return "", err
	}
	var key strings.Builder
	if out, err := exec.Command("verilator", "--version").Output(); err == nil {
		key.Write(out)
	}
	// The command line without checkout paths, so a moved tree keeps its key.
	fmt.Fprint(&key, strings.ReplaceAll(fmt.Sprintf("%q", s.args("")), Root(), "."))
	return Cached(Cache{ObjRoot: s.ObjRoot, Name: s.Name, Binary: s.Binary, Inputs: inputs, Key: key.String(),
		Make: func(dir string) error {
			cmd := exec.Command("verilator", s.args(dir)...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("verilator build of %s failed: %v\n%s", s.Name, err, tail(string(out), 4000))
			}
			return nil
		}})
}

// Cache is one content-addressed build, by Verilator or another tool (GHDL
// in driver/vhdlboard).
type Cache struct {
	ObjRoot string   // directory holding the cached builds and the lock
	Name    string   // build directory prefix
	Binary  string   // the file Make leaves in its directory
	Inputs  []string // files whose contents are part of the key
	Key     string   // the rest of the key: tool version, command lines
	// Make builds into dir, a fresh directory that becomes the cache entry
	// when Make succeeds.
	Make func(dir string) error
}

// Cached returns the path of c's Binary, running Make under a file lock
// when no build with the same key exists.
func Cached(c Cache) (string, error) {
	h := sha256.New()
	for _, f := range c.Inputs {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("verilate: %w", err)
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(data))
		h.Write(data)
	}
	fmt.Fprint(h, c.Key)
	final := filepath.Join(c.ObjRoot, c.Name+"-"+hex.EncodeToString(h.Sum(nil))[:16])
	bin := filepath.Join(final, c.Binary)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(c.ObjRoot, 0o755); err != nil {
		return "", fmt.Errorf("verilate: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(c.ObjRoot, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
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
	tmp, err := os.MkdirTemp(c.ObjRoot, ".build-")
	if err != nil {
		return "", fmt.Errorf("verilate: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := c.Make(tmp); err != nil {
		return "", err
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
