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
	bins := harnesses(t, rtl.Variant{XInit: true})
	dir := t.TempDir()
	var cov coverage
	for k := uint64(0); k < 30; k++ {
		seed := 1000 + k
		for _, init := range []int{1, 2} { // all ones, random
			extra := []string{fmt.Sprintf("+verilator+rand+reset+%d", init), fmt.Sprintf("+verilator+seed+%d", 1+k)}
			_, _, cv, err := diffOne(t, bins, seed, dir, extra...)
			if err != nil {
				t.Fatalf("random initial state (%v): %v", extra, err)
			}
			cov.add(cv)
		}
	}
	// burst units: both with burst tables (every burst memory loaded) and
	// without them on the tiny core (bparam cleared by the harness, the other
	// burst memories left random)
	if cov.burstNets == 0 || cov.bursts == 0 || cov.bdspUpdates == 0 || cov.burstNets == cov.networks {
		t.Fatalf("random-init networks do not cover burst units: %+v", cov)
	}
	t.Logf("coverage: %+v", cov)
}
