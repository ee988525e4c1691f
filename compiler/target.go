package compiler

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ncx-project/ncx/core"
)

// profileFile is the YAML form of a custom profile.
type profileFile struct {
	Name    string  `yaml:"name"`
	NB      uint    `yaml:"nb"`
	SB      uint    `yaml:"sb"`
	RB      uint    `yaml:"rb"`
	VW      uint    `yaml:"vw"`
	Target  string  `yaml:"target"`
	ClockHz float64 `yaml:"clock_hz"`
}

// ResolveTarget returns the profile named by target: a built-in profile name
// (core.Profiles) or the path of a profile YAML file {name, nb, sb, rb, vw,
// target, clock_hz}, relative paths being taken from baseDir. A name that is
// neither a built-in profile nor an existing file is reported with the list of
// built-in names.
func ResolveTarget(target, baseDir string) (core.Profile, error) {
	if p, ok := core.Profiles[target]; ok {
		return p, nil
	}
	path := target
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(target, "/\\.") {
			_, lerr := core.LookupProfile(target)
			return core.Profile{}, lerr
		}
		return core.Profile{}, fmt.Errorf("target profile file %s: %w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var pf profileFile
	if err := dec.Decode(&pf); err != nil && err != io.EOF {
		return core.Profile{}, fmt.Errorf("target profile file %s: %w", path, err)
	}
	if pf.Name == "" {
		base := filepath.Base(path)
		pf.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	p := core.Profile{Name: pf.Name, NB: pf.NB, SB: pf.SB, RB: pf.RB, VW: pf.VW, Target: pf.Target, ClockHz: pf.ClockHz}
	if err := p.Validate(); err != nil {
		return core.Profile{}, fmt.Errorf("target profile file %s: %w", path, err)
	}
	return p, nil
}
