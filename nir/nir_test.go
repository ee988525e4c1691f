package nir

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/hdf5"
)

const testdata = "../nirimport/testdata/"

func TestReadFixture(t *testing.T) {
	f, err := Read(testdata + "lif1.nir")
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != "0.2.0" {
		t.Errorf("version %q", f.Version)
	}
	want := map[string]string{"input": "Input", "weight": "Affine", "lif": "LIF", "output": "Output"}
	if len(f.Graph.Nodes) != len(want) {
		t.Fatalf("nodes %v", f.Graph.Names())
	}
	for n, typ := range want {
		if f.Graph.Nodes[n].Type != typ {
			t.Errorf("%s: type %q, want %q", n, f.Graph.Nodes[n].Type, typ)
		}
	}
	if w := f.Graph.Nodes["weight"].Params["weight"]; w == nil || w.F[0] != 6 || len(w.Shape) != 2 {
		t.Errorf("weight %+v", w)
	}
	if !reflect.DeepEqual(f.Graph.Edges, [][2]string{{"input", "weight"}, {"weight", "lif"}, {"lif", "output"}}) {
		t.Errorf("edges %v", f.Graph.Edges)
	}
	// A nested subgraph (zoo) keeps its own nodes and edges.
	z, err := Read(testdata + "zoo.nir")
	if err != nil {
		t.Fatal(err)
	}
	sub := z.Graph.Nodes["sub"]
	if sub.Type != "NIRGraph" || sub.Graph == nil || len(sub.Graph.Nodes) != 4 || len(sub.Graph.Edges) != 3 {
		t.Errorf("subgraph %+v", sub)
	}
}

// TestEncodeRoundTrip writes graphs with Encode and reads them back.
func TestEncodeRoundTrip(t *testing.T) {
	for _, name := range []string{"zoo", "conv", "cuba60"} {
		f, err := Read(testdata + name + ".nir")
		if err != nil {
			t.Fatal(err)
		}
		b, err := Encode(f)
		if err != nil {
			t.Fatal(err)
		}
		h, err := hdf5.NewFile(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		g, err := ReadHDF5(h, name)
		if err != nil {
			t.Fatal(err)
		}
		if g.Version != f.Version {
			t.Errorf("%s: version %q, want %q", name, g.Version, f.Version)
		}
		compareGraphs(t, name, f.Graph, g.Graph)
	}
}

func compareGraphs(t *testing.T, where string, a, b *Graph) {
	t.Helper()
	if !reflect.DeepEqual(a.Names(), b.Names()) || !reflect.DeepEqual(a.Edges, b.Edges) {
		t.Fatalf("%s: nodes %v / %v, edges %v / %v", where, a.Names(), b.Names(), a.Edges, b.Edges)
	}
	for _, n := range a.Names() {
		x, y := a.Nodes[n], b.Nodes[n]
		if x.Type != y.Type {
			t.Errorf("%s.%s: type %s / %s", where, n, x.Type, y.Type)
		}
		if x.Graph != nil {
			compareGraphs(t, where+"."+n, x.Graph, y.Graph)
			continue
		}
		for k, v := range x.Params {
			w := y.Params[k]
			if w == nil || !reflect.DeepEqual(v.F, w.F) || !reflect.DeepEqual(v.I, w.I) || !reflect.DeepEqual(v.S, w.S) || !reflect.DeepEqual(v.Shape, w.Shape) {
				t.Errorf("%s.%s.%s differs after the round trip", where, n, k)
			}
		}
	}
}

func TestNotNIR(t *testing.T) {
	_, err := Read("../hdf5/testdata/v0_compact.h5")
	if err == nil || !strings.Contains(err.Error(), "v0_compact.h5: /: no group \"node\"") {
		t.Errorf("error %v", err)
	}
	_, err = Read("nir.go")
	if err == nil || !strings.Contains(err.Error(), "nir.go: superblock") {
		t.Errorf("error %v", err)
	}
}
