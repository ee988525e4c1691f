package hdf5

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// walkAll opens and reads everything reachable in a file, as a consumer
// would; errors are fine, panics and runaway allocation are not.
func walkAll(f *File) {
	root, err := f.Root()
	if err != nil {
		return
	}
	budget := 2000
	var walk func(g *Group, depth int)
	walk = func(g *Group, depth int) {
		g.Attrs()
		if depth > 8 {
			return
		}
		for _, n := range g.Names() {
			if budget--; budget < 0 {
				return
			}
			o, err := g.Open(n)
			if err != nil {
				continue
			}
			switch o := o.(type) {
			case *Group:
				walk(o, depth+1)
			case *Dataset:
				o.Attrs()
				o.Read()
			}
		}
	}
	walk(root, 0)
}

// FuzzRead feeds arbitrary bytes (seeded with real files and their
// truncations) to the reader.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"v0_compact", "v0_contiguous", "v3_extensible", "v0_softlink"} {
		b, err := os.ReadFile("testdata/" + name + ".h5")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("\x89HDF\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := NewFile(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		if file.budget > maxExpansion*uint64(len(b))+1<<20 {
			t.Fatalf("allocation bound %d not tied to the file size %d", file.budget, len(b))
		}
		done := make(chan struct{})
		go func() { walkAll(file); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			panic("reading took more than 10 s")
		}
	})
}
