package testbench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/verilate"
)

// TestTimingHeaderUpToDate checks that hdl/ncx_timing.vh is what
// core.TimingV1.VerilogHeader generates (run `go generate ./testbench`).
func TestTimingHeaderUpToDate(t *testing.T) {
	got, err := os.ReadFile(filepath.Join(verilate.Root(), "hdl", "ncx_timing.vh"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != core.TimingV1.VerilogHeader() {
		t.Fatalf("hdl/ncx_timing.vh is stale: run `go generate ./testbench`\nhave:\n%s\nwant:\n%s", got, core.TimingV1.VerilogHeader())
	}
}
