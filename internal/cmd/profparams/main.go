// Command profparams prints the Verilog parameters of built-in profiles for
// hdl/synth/run.sh, so that synthesis follows core.Profiles:
//
//	go run ./internal/cmd/profparams up5k a7
//
// prints one line per profile: name NB SB RB VW Burst.
package main

import (
	"fmt"
	"os"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/verilate"
)

func main() {
	for _, name := range os.Args[1:] {
		p, err := core.LookupProfile(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "profparams:", err)
			os.Exit(1)
		}
		fmt.Printf("%s %d %d %d %d %d\n", p.Name, p.NB, p.SB, p.RB, p.VW, verilate.BurstParam(p))
	}
}
