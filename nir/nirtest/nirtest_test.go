package nirtest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ncx-project/ncx/nir"
)

// TestExampleFiles: the files in examples/ are what Example builds;
// NCX_UPDATE_EXAMPLES=1 rewrites them.
func TestExampleFiles(t *testing.T) {
	l, spikes := Example()
	g, err := l.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{
		filepath.Join("..", "..", "examples", "neurocorex_if.nir"):        g,
		filepath.Join("..", "..", "examples", "neurocorex_if_spikes.csv"): SpikesCSV(spikes),
	}
	for path, b := range want {
		if os.Getenv("NCX_UPDATE_EXAMPLES") == "1" {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b) {
			t.Errorf("%s differs from what Example builds (NCX_UPDATE_EXAMPLES=1 go test ./nir/nirtest rewrites it)", path)
		}
	}
	// and the graph reads back with the shapes it was built with
	f, err := nir.Read(filepath.Join("..", "..", "examples", "neurocorex_if.nir"))
	if err != nil {
		t.Fatal(err)
	}
	w := f.Graph.Nodes["w_in"].Params["weight"]
	if f.Graph.Nodes["hid"].Type != "IF" || len(w.Shape) != 2 || w.Shape[0] != 24 || w.Shape[1] != 8 || len(f.Graph.Edges) != 3 {
		t.Fatalf("read back: %+v", f.Graph)
	}
}
