package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/nirimport"
)

// compileFlags are the compiler overrides shared by commands that accept a
// network description.
type compileFlags struct {
	Target string  // profile name or profile file; "" keeps the description's
	Steps  int     // 0 keeps the description's
	Seed   *uint64 // nil keeps the description's
	NIR    nirFlags
	// AllowLoss keeps a network that quantisation moves by more than the
	// compiler's bounds (compiler.Options.AllowLoss).
	AllowLoss bool
	Warn      func(string)
	// NeuroCoreX compiles for a NeuroCoreX board: one weight exponent for
	// all projections, thresholds within its Q7.10 register, and NIR graphs
	// on profile NeuroCoreXProfile unless Target says otherwise.
	NeuroCoreX bool
}

// NeuroCoreXProfile is the ncx-core profile a NIR graph compiled for
// NeuroCoreX gets: the CMod A7-35T that NeuroCoreX runs on, whose 16-bit
// voltages hold NeuroCoreX's 18-bit Q7.10 range at weight exponent 7, so the
// same image also runs on ncx-core on that board.
const NeuroCoreXProfile = "a7"

// neuroCoreXTarget turns --target neurocorex, which names a board rather
// than a profile, into NeuroCoreX with the default profile.
func (cf *compileFlags) neuroCoreXTarget() {
	if cf.Target == targetNeuroCoreX {
		cf.NeuroCoreX, cf.Target = true, ""
	}
}

// options are the compiler options the flags ask for.
func (cf compileFlags) options() compiler.Options {
	o := compiler.Options{Steps: cf.Steps, Seed: cf.Seed, AllowLoss: cf.AllowLoss, Warn: cf.Warn}
	if cf.NeuroCoreX {
		o.CommonWExp, o.MaxVUnits = true, neurocorex.MaxVUnits
	}
	return o
}

// source is an image ready to run, with the network description it was
// compiled from when that is known.
type source struct {
	Path   string
	Image  *core.Image
	Net    *network.Network // nil when read from an image file
	Report *compiler.Report // nil when read from an image file
	// NIR is the import of a NIR graph (nil for other sources).
	NIR *nirimport.Result
}

// isNetworkFile reports whether path names a network description rather than
// a compiled image.
func isNetworkFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// compileNetwork loads and compiles a network description.
func compileNetwork(path string, cf compileFlags) (*source, error) {
	if isNIRFile(path) {
		res, err := importNIR(path, cf)
		if err != nil {
			return nil, err
		}
		// the import already stored the steps in the network
		opts := cf.options()
		opts.Steps = 0
		im, rep, err := compiler.Compile(res.Net, opts)
		if err != nil {
			return nil, err
		}
		return &source{Path: path, Image: im, Net: res.Net, Report: rep, NIR: res}, nil
	}
	net, err := network.Load(path)
	if err != nil {
		return nil, err // *network.Error: exit 2
	}
	opts := cf.options()
	if cf.Target != "" {
		cwd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		p, err := compiler.ResolveTarget(cf.Target, cwd)
		if err != nil {
			return nil, &usageError{err: fmt.Errorf("--target: %w", err)}
		}
		opts.Profile = &p
	}
	im, rep, err := compiler.Compile(net, opts)
	if err != nil {
		return nil, err
	}
	return &source{Path: path, Image: im, Net: net, Report: rep}, nil
}

// loadSource reads a compiled image, or compiles a network description in
// memory when path ends in .yaml, .yml or .json.
func loadSource(path string, cf compileFlags) (*source, error) {
	if isNetworkFile(path) || isNIRFile(path) {
		return compileNetwork(path, cf)
	}
	im, err := readImage(path)
	if err != nil {
		return nil, err
	}
	return &source{Path: path, Image: im}, nil
}

// readImage reads an image file; every failure is bad input.
func readImage(path string) (*core.Image, error) {
	im, err := core.ReadImage(path)
	if err != nil {
		if !strings.Contains(err.Error(), path) {
			err = fmt.Errorf("%s: %w", path, err)
		}
		return nil, badInput(err)
	}
	return im, nil
}

// networkOf returns the network description behind src: the one it was
// compiled from, or the one the image names as its source (taken relative to
// the working directory, then to the image's directory).
func networkOf(src *source) (*network.Network, error) {
	if src.Net != nil {
		return src.Net, nil
	}
	name := src.Image.Meta.Source
	if name == "" {
		return nil, badInput(fmt.Errorf("%s does not name the network description it was compiled from", src.Path))
	}
	candidates := []string{name}
	if !filepath.IsAbs(name) {
		candidates = append(candidates, filepath.Join(filepath.Dir(src.Path), name))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return network.Load(c)
		}
	}
	return nil, badInput(fmt.Errorf("network description %s of image %s not found; run emulate on the .yaml instead", name, src.Path))
}

// replaceExt swaps the extension of path for ext (".ncx", ".out").
func replaceExt(path, ext string) string {
	return strings.TrimSuffix(path, filepath.Ext(path)) + ext
}

// mkdirOut creates an output directory.
func mkdirOut(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	return nil
}
