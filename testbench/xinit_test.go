package testbench

import (
	"fmt"
	"testing"

	"github.com/ncx-project/ncx/testbench/rtl"
)

// TestRTLRandomInit runs random networks on a build where every register and
// memory bit starts random (--x-assign unique --x-initial unique, seeded per
// run) and checks that the results still match the emulator: a register that
// the design forgets to reset, or a memory word it reads before writing,
// shows up as a difference.
func TestRTLRandomInit(t *testing.T) {
	bins := map[string]string{
		"tiny": harness(t, rtl.Variant{Profile: profile(t, "tiny"), XInit: true}),
		"up5k": harness(t, rtl.Variant{Profile: profile(t, "up5k"), XInit: true}),
	}
	dir := t.TempDir()
	for k := uint64(0); k < 30; k++ {
		seed := 1000 + k
		for _, init := range []int{1, 2} { // all ones, random
			extra := []string{fmt.Sprintf("+verilator+rand+reset+%d", init), fmt.Sprintf("+verilator+seed+%d", 1+k)}
			if _, _, _, err := diffOne(t, bins, seed, dir, extra...); err != nil {
				t.Fatalf("random initial state (%v): %v", extra, err)
			}
		}
	}
}
