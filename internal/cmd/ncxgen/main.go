// Command ncxgen writes the files generated from package core's tables
// (internal/hwgen): the Verilog headers in hdl/, the Verilator harness's
// header and the marked tables of the docs. Run it from the module root
// with `go generate ./...` or `make generate`; with -check it writes nothing
// and exits 1 when a file is stale.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ncx-project/ncx/internal/hwgen"
)

func main() {
	root := flag.String("root", ".", "module root")
	check := flag.Bool("check", false, "report stale files instead of writing them")
	flag.Parse()
	files, err := hwgen.Files(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ncxgen:", err)
		os.Exit(1)
	}
	stale := 0
	for _, f := range files {
		path := filepath.Join(*root, f.Path)
		old, err := os.ReadFile(path)
		if err == nil && bytes.Equal(old, f.Content) {
			continue
		}
		stale++
		if *check {
			fmt.Fprintf(os.Stderr, "ncxgen: %s is stale\n", f.Path)
			continue
		}
		if err := os.WriteFile(path, f.Content, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "ncxgen:", err)
			os.Exit(1)
		}
		fmt.Fprintf(os.Stderr, "ncxgen: wrote %s\n", f.Path)
	}
	if *check && stale > 0 {
		os.Exit(1)
	}
}
