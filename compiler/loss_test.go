package compiler

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/network"
)

// TestLossRefused: a weight so large that the voltage scale cannot hold the
// threshold is refused, naming the parameter; AllowLoss keeps it with a
// warning. A projection whose weights all round to zero next to a huge one
// is refused the same way.
func TestLossRefused(t *testing.T) {
	src, err := os.ReadFile("../examples/small.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to, want string }{
		{"weight: 4}", "weight: 1e308}", "populations[1].v_thresh: quantised to -65 mV instead of -50 mV (30.0% off, more than the 10% allowed)"},
		{"weight: 8}", "weight: 1e-9}", "projections[2].weight: weights lose 100.0% on average"},
	} {
		path := filepath.Join(t.TempDir(), "lossy.yaml")
		if err := os.WriteFile(path, []byte(strings.Replace(string(src), tc.from, tc.to, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		net := load(t, path)
		_, _, err := Compile(net, Options{})
		var ne *network.Error
		if !errors.As(err, &ne) || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("%s: got %v, want a *network.Error with %q", tc.to, err, tc.want)
		}
		var warned string
		if _, _, err := Compile(net, Options{AllowLoss: true, Warn: func(m string) { warned = m }}); err != nil || !strings.Contains(warned, tc.want) {
			t.Fatalf("%s with AllowLoss: err %v, warning %q", tc.to, err, warned)
		}
	}
}

// TestStimulusLimit: a run whose Poisson input would not fit in memory is
// refused before anything is drawn, naming the population.
func TestStimulusLimit(t *testing.T) {
	net := load(t, "../examples/small.yaml")
	_, _, err := Compile(net, Options{Steps: 1 << 31})
	var ne *network.Error
	if !errors.As(err, &ne) || ne.Field != "populations[0]" || !strings.Contains(err.Error(), "input spikes, more than the 67108864 an image holds") {
		t.Fatalf("got %v", err)
	}
	if _, _, err := Compile(net, Options{Steps: 1 << 33}); err == nil || !strings.Contains(err.Error(), "32-bit step numbers") {
		t.Fatalf("2^33 steps: got %v", err)
	}
}
