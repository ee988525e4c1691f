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

// TestInjectedBurstBugIsCaught builds the core with NCX_INJECT_BURST_BUG (the
// stochastic burst decision uses <= where spec 8.2 says <, so it differs only
// when the LFSR byte equals the burst probability) and checks that the random
// burst networks expose it with a readable first divergence.
func TestInjectedBurstBugIsCaught(t *testing.T) {
	bins := map[string]string{
		"tiny": harness(t, rtl.Variant{Profile: profile(t, "tiny"), InjectBurstBug: true}),
		"up5k": harness(t, rtl.Variant{Profile: profile(t, "up5k"), InjectBurstBug: true}),
	}
	dir := t.TempDir()
	msg := regexp.MustCompile(`^seed \d+ step \d+ cycle \d+ `)
	caught := 0
	for seed := uint64(1); seed <= 200 && caught < 2; seed++ {
		_, _, _, err := diffOne(t, bins, seed, dir)
		if err == nil {
			continue
		}
		caught++
		t.Logf("injected burst bug reported as: %v", err)
		if !msg.MatchString(err.Error()) {
			t.Errorf("mismatch message not in the expected form: %v", err)
		}
	}
	if caught == 0 {
		t.Fatal("the off-by-one in the stochastic burst decision went unnoticed in 200 random networks")
	}
}
