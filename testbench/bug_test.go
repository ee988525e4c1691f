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
	bins := map[string]string{
		"tiny": harness(t, rtl.Variant{Profile: profile(t, "tiny"), InjectBug: true}),
		"up5k": harness(t, rtl.Variant{Profile: profile(t, "up5k"), InjectBug: true}),
	}
	dir := t.TempDir()
	msg := regexp.MustCompile(`^seed \d+ step \d+ cycle \d+ (neuron \d+ (ref|v|i|tr|acc)|spike \d+|neuron \d+ spike)`)
	caught := 0
	for seed := uint64(1); seed <= 40 && caught < 3; seed++ {
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
		t.Fatal("the off-by-one in the refractory reload went unnoticed in 40 random networks")
	}
}
