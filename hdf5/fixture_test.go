package hdf5

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// expectation is what scripts/hdf5-fixtures.py recorded for one value.
type expectation struct {
	Kind   string        `json:"kind"`
	Shape  []uint64      `json:"shape"`
	Values []json.Number `json:"values"`
	// strings and bools do not parse as numbers; kept raw
	Raw []json.RawMessage `json:"-"`
}

type fixture struct {
	Datasets map[string]json.RawMessage `json:"datasets"`
	Groups   []string                   `json:"groups"`
	Attrs    map[string]json.RawMessage `json:"attrs"`
}

func loadFixture(t *testing.T, name string) fixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

// checkValue compares a decoded value with its recorded expectation element
// by element.
func expectValue(t *testing.T, where string, v *Value, raw json.RawMessage) {
	t.Helper()
	var e struct {
		Kind   string            `json:"kind"`
		Shape  []uint64          `json:"shape"`
		Values []json.RawMessage `json:"values"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	if len(e.Shape) == 0 {
		e.Shape = nil
	}
	shape := v.Shape
	if len(shape) == 0 {
		shape = nil
	}
	if !equalU64(shape, e.Shape) {
		t.Errorf("%s: shape %v, want %v", where, v.Shape, e.Shape)
		return
	}
	if v.Len() != len(e.Values) {
		t.Errorf("%s: %d elements, want %d", where, v.Len(), len(e.Values))
		return
	}
	for i, r := range e.Values {
		var got, want string
		switch e.Kind {
		case "float":
			if v.F == nil {
				t.Fatalf("%s: class %v, want float", where, v.Type.Class)
			}
			w, err := strconv.ParseFloat(string(r), 64)
			if err != nil {
				t.Fatal(err)
			}
			if v.F[i] != w || math.Signbit(v.F[i]) != math.Signbit(w) {
				got, want = strconv.FormatFloat(v.F[i], 'g', -1, 64), string(r)
			}
		case "int":
			switch {
			case v.I != nil:
				got = strconv.FormatInt(v.I[i], 10)
			case v.U != nil:
				got = strconv.FormatUint(v.U[i], 10)
			default:
				t.Fatalf("%s: class %v, want int", where, v.Type.Class)
			}
			want = string(r)
		case "bool":
			if v.B == nil {
				t.Fatalf("%s: class %v, want bool", where, v.Type.Class)
			}
			got, want = strconv.FormatBool(v.B[i]), string(r)
		case "string":
			if v.S == nil {
				t.Fatalf("%s: class %v, want string", where, v.Type.Class)
			}
			var s string
			if err := json.Unmarshal(r, &s); err != nil {
				t.Fatal(err)
			}
			got, want = v.S[i], s
		}
		if got != want {
			t.Errorf("%s[%d] = %s, want %s", where, i, got, want)
			return
		}
	}
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFixtures reads every file scripts/hdf5-fixtures.py wrote with h5py and
// compares every dataset, group and attribute with what h5py recorded.
func TestFixtures(t *testing.T) {
	names, _ := filepath.Glob("testdata/*.json")
	if len(names) < 5 {
		t.Fatalf("fixtures missing: %v", names)
	}
	for _, jn := range names {
		name := strings.TrimSuffix(filepath.Base(jn), ".json")
		t.Run(name, func(t *testing.T) {
			fx := loadFixture(t, name)
			f, err := Open(filepath.Join("testdata", name+".h5"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			root, err := f.Root()
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, root, fx)
		})
	}
}

func checkTree(t *testing.T, root *Group, fx fixture) {
	t.Helper()
	var paths []string
	for p := range fx.Datasets {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		o, err := root.Lookup(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		d, ok := o.(*Dataset)
		if !ok {
			t.Errorf("%s: not a dataset", p)
			continue
		}
		v, err := d.Read()
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		expectValue(t, p, v, fx.Datasets[p])
	}
	for _, p := range fx.Groups {
		o, err := root.Lookup(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if _, ok := o.(*Group); !ok {
			t.Errorf("%s: not a group", p)
		}
	}
	// Every member the file has is expected, and no more.
	seen := 0
	var walk func(g *Group)
	walk = func(g *Group) {
		for _, n := range g.Names() {
			seen++
			o, err := g.Open(n)
			if err != nil {
				t.Errorf("%v", err)
				continue
			}
			if s, ok := o.(*Group); ok {
				walk(s)
			}
		}
	}
	walk(root)
	if want := len(fx.Datasets) + len(fx.Groups); seen != want {
		t.Errorf("file has %d objects, h5py saw %d", seen, want)
	}
	for key, raw := range fx.Attrs {
		p, name, _ := strings.Cut(key, "@")
		o, err := root.Lookup(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		as, err := o.Attrs()
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		found := false
		for _, a := range as {
			if a.Name == name {
				found = true
				expectValue(t, key, a.Value, raw)
			}
		}
		if !found {
			t.Errorf("%s: attribute missing", key)
		}
	}
}

// TestNotHDF5 checks the errors for files that are not HDF5 or end early.
func TestNotHDF5(t *testing.T) {
	_, err := NewFile(bytes.NewReader([]byte("hello, world")), 12)
	if err == nil || !strings.Contains(err.Error(), "not an HDF5 file") {
		t.Errorf("plain text: %v", err)
	}
	b, err := os.ReadFile("testdata/v0_contiguous.h5")
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFile(bytes.NewReader(b[:600]), 600)
	if err == nil {
		_, err = f.Root()
	}
	if err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("truncated: %v", err)
	}
}

// TestRefused checks that structures outside the subset are refused with an
// error naming the object, the structure and what is unsupported.
func TestRefused(t *testing.T) {
	for _, c := range []struct{ file, path, want string }{
		{"v3_extensible", "/grow", "/grow: hdf5: layout message at offset"},
		{"v3_extensible", "/grow", "extensible-array chunk index"},
		{"v0_softlink", "/", "soft link \"y\" not supported"},
	} {
		f, err := Open(filepath.Join("testdata", c.file+".h5"))
		if err != nil {
			t.Fatal(err)
		}
		root, err := f.Root()
		if err == nil {
			_, err = root.Lookup(c.path)
		}
		f.Close()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want it to contain %q", c.file, c.path, err, c.want)
		}
	}
}
