// Command gentiming writes hdl/ncx_timing.vh from core.TimingV1, so the
// Verilog takes its cycle constants from the same place as the emulator.
package main

import (
	"fmt"
	"os"

	"github.com/ncx-project/ncx/core"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gentiming OUT.vh")
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], []byte(core.TimingV1.VerilogHeader()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gentiming:", err)
		os.Exit(1)
	}
}
