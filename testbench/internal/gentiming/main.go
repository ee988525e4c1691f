// Command gentiming writes hdl/ncx_timing.vh from core.TimingV1, so that the
// RTL and the emulator share one set of cycle constants. Run it with
// `go generate ./testbench` from the module root.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/ncx-project/ncx/core"
)

func main() {
	out := flag.String("o", "hdl/ncx_timing.vh", "output file")
	flag.Parse()
	if err := os.WriteFile(*out, []byte(core.TimingV1.VerilogHeader()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gentiming:", err)
		os.Exit(1)
	}
}
