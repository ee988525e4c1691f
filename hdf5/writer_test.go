package hdf5

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sample builds a file with every kind of value the writer supports.
func sample(t *testing.T) (*Writer, map[string]*Value) {
	t.Helper()
	w := NewWriter()
	want := map[string]*Value{
		"/version":           ScalarString("1.0"),
		"/node/type":         ScalarString("NIRGraph"),
		"/node/edges":        Strings([]uint64{3, 2}, []string{"in", "lif", "lif", "out", "lif", "lif"}),
		"/node/nodes/lif/w":  Floats([]uint64{2, 3}, []float64{1, -2.5, 3e-9, 0, -0, 1e300}),
		"/node/nodes/lif/f":  Float32s([]uint64{3}, []float64{0.5, -1.25, 3}),
		"/node/nodes/lif/s":  ScalarFloat(0.001),
		"/node/nodes/lif/i":  Ints([]uint64{4}, []int64{-1, 0, 1 << 40, -(1 << 62)}),
		"/node/nodes/lif/i2": {Type: Datatype{Class: Int, Size: 2, Signed: true}, Shape: []uint64{2}, I: []int64{-300, 300}},
		"/node/nodes/lif/u":  {Shape: []uint64{1}, U: []uint64{1 << 63}},
		"/node/nodes/lif/b":  {Shape: []uint64{3}, B: []bool{true, false, true}},
		"/node/nodes/lif/n":  ScalarInt(7),
		"/node/nodes/lif/e":  Floats([]uint64{0}, []float64{}),
		"/node/nodes/lif/us": Strings([]uint64{3}, []string{"", "τ", strings.Repeat("x", 5000)}),
	}
	for p, v := range want {
		dir, name := filepath.Split(p)
		g := w.Root()
		for _, part := range strings.Split(strings.Trim(dir, "/"), "/") {
			if part == "" {
				continue
			}
			var err error
			if g, err = g.Group(part); err != nil {
				t.Fatal(err)
			}
		}
		if err := g.Write(name, v); err != nil {
			t.Fatal(err)
		}
	}
	g, _ := w.Root().Group("many")
	for i := 0; i < 40; i++ {
		g.Write(fmt.Sprintf("m%02d", i), ScalarInt(int64(i)))
		want[fmt.Sprintf("/many/m%02d", i)] = ScalarInt(int64(i))
	}
	w.Root().Group("empty")
	if err := w.Root().SetAttr("note", ScalarString("written by ncx")); err != nil {
		t.Fatal(err)
	}
	return w, want
}

// TestWriterRoundTrip reads back what the writer wrote, element by element.
func TestWriterRoundTrip(t *testing.T) {
	w, want := sample(t)
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	root, err := f.Root()
	if err != nil {
		t.Fatal(err)
	}
	for p, v := range want {
		o, err := root.Lookup(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		got, err := o.(*Dataset).Read()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if v.F != nil && v.Type.Size == 4 {
			for i := range v.F {
				v.F[i] = float64(float32(v.F[i]))
			}
		}
		if !reflect.DeepEqual(got.F, v.F) || !reflect.DeepEqual(got.I, v.I) || !reflect.DeepEqual(got.U, v.U) ||
			!reflect.DeepEqual(got.S, v.S) || !reflect.DeepEqual(got.B, v.B) || len(got.Shape) != len(v.Shape) {
			t.Errorf("%s: got %+v, want %+v", p, got, v)
		}
	}
	as, err := root.Attrs()
	if err != nil || len(as) != 1 || as[0].Value.S[0] != "written by ncx" {
		t.Errorf("root attributes %+v, %v", as, err)
	}
	if e, err := root.Group("empty"); err != nil || len(e.Names()) != 0 {
		t.Errorf("empty group: %v", err)
	}
}

// TestWriterH5py has h5py (Debian's python3-h5py) and h5dump read a file the
// writer made; skipped with the reason when they are not installed.
func TestWriterH5py(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import h5py").Run(); err != nil {
		t.Skip("h5py not installed (apt-get install python3-h5py): ", err)
	}
	w, want := sample(t)
	b, err := w.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "w.h5")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `
import h5py, json, sys
out = {}
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, o):
        if isinstance(o, h5py.Dataset):
            v = o.asstr()[()] if h5py.check_string_dtype(o.dtype) is not None else o[()]
            try:
                v = v.tolist()
            except AttributeError:
                pass
            out["/" + name] = v
    f.visititems(visit)
    out["@note"] = f.attrs["note"]
print(json.dumps(out))
`
	outb, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("h5py: %v\n%s", err, outb)
	}
	var got map[string]any
	if err := json.Unmarshal(outb, &got); err != nil {
		t.Fatalf("%v: %s", err, outb)
	}
	if got["@note"] != "written by ncx" {
		t.Errorf("attribute: %v", got["@note"])
	}
	for p, v := range want {
		g, ok := got[p]
		if !ok {
			t.Errorf("h5py does not see %s", p)
			continue
		}
		flat := flatten(g)
		if len(flat) != v.Len() {
			t.Errorf("%s: h5py reads %d elements, want %d", p, len(flat), v.Len())
			continue
		}
		for i, x := range flat {
			var ok bool
			switch {
			case v.F != nil:
				want := v.F[i]
				if v.Type.Size == 4 {
					want = float64(float32(want))
				}
				ok = x == want
			case v.I != nil:
				ok = x == float64(v.I[i])
			case v.U != nil:
				ok = x == float64(v.U[i])
			case v.S != nil:
				ok = x == v.S[i]
			case v.B != nil:
				ok = x == v.B[i]
			}
			if !ok {
				t.Errorf("%s[%d]: h5py reads %v", p, i, x)
				break
			}
		}
	}
	if _, err := exec.LookPath("h5dump"); err != nil {
		t.Log("h5dump not installed (apt-get install hdf5-tools): skipped that half")
		return
	}
	dump, err := exec.Command("h5dump", path).CombinedOutput()
	if err != nil || bytes.Contains(dump, []byte("h5dump error")) {
		t.Fatalf("h5dump: %v\n%s", err, dump)
	}
	if !bytes.Contains(dump, []byte(`"NIRGraph"`)) || !bytes.Contains(dump, []byte("3e-09")) {
		t.Errorf("h5dump output lacks expected values:\n%s", dump)
	}
}

func flatten(x any) []any {
	if l, ok := x.([]any); ok {
		var out []any
		for _, e := range l {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []any{x}
}
