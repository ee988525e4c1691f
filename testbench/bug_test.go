package testbench

import (
	"regexp"
	"testing"

	"github.com/ncx-project/ncx/testbench/rtl"
)

// TestInjectedBugIsCaught builds the core with NCX_INJECT_BUG (the refractory
// counter reloads with tref+1 instead of tref) and checks that the
// differential test reports it as a readable first divergence.
func TestInjectedBugIsCaught(t *testing.T) {
	expectCaught(t, rtl.Variant{InjectBug: true}, 40, 3,
		regexp.MustCompile(`^seed \d+ step \d+ cycle \d+ (neuron \d+ (ref|v|i|tr|acc)|spike \d+|neuron \d+ spike)`),
		"the off-by-one in the refractory reload")
}

// TestInjectedBurstBugIsCaught builds the core with NCX_INJECT_BURST_BUG (the
// stochastic burst decision uses <= where spec 8.2 says <, so it differs only
// when the LFSR byte equals the burst probability) and checks that the random
// burst networks expose it with a readable first divergence.
func TestInjectedBurstBugIsCaught(t *testing.T) {
	expectCaught(t, rtl.Variant{InjectBurstBug: true}, 200, 2,
		regexp.MustCompile(`^seed \d+ step \d+ cycle \d+ `),
		"the off-by-one in the stochastic burst decision")
}

// expectCaught runs random networks from seed 1 up to seed maxSeed (stopping
// after enough differences) on the buggy build v and checks that at least one
// differs from the emulator and that every difference is reported in the
// form msg.
func expectCaught(t *testing.T, v rtl.Variant, maxSeed uint64, enough int, msg *regexp.Regexp, bug string) {
	t.Helper()
	bins := harnesses(t, v)
	dir := t.TempDir()
	caught := 0
	for seed := uint64(1); seed <= maxSeed && caught < enough; seed++ {
		_, _, _, err := diffOne(t, bins, seed, dir)
		if err == nil {
			continue
		}
		caught++
		t.Logf("injected bug reported as: %v", err)
		if !msg.MatchString(err.Error()) {
			t.Errorf("mismatch message not in the expected form: %v", err)
		}
	}
	if caught == 0 {
		t.Fatalf("%s went unnoticed in %d random networks", bug, maxSeed)
	}
}
