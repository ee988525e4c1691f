package testbench

import (
	"errors"
	"flag"
	"os"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/testbench/rtl"
)

var (
	flagSeed   = flag.Uint64("seed", 1, "first seed of the random networks of TestRTLMatchesEmulator")
	flagCount  = flag.Int("count", 300, "number of random networks of TestRTLMatchesEmulator")
	flagUpdate = flag.Bool("update", false, "rewrite testbench/golden from the emulator")
)

// harness builds (or finds cached) the Verilator harness for v. Without
// verilator it fails under CI=true and skips otherwise.
func harness(t testing.TB, v rtl.Variant) string {
	t.Helper()
	bin, err := rtl.Build(v)
	if errors.Is(err, rtl.ErrNoVerilator) {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// harnesses builds v for both profiles the random networks of gen.New use,
// keyed by profile name (v.Profile is ignored).
func harnesses(t testing.TB, v rtl.Variant) map[string]string {
	t.Helper()
	bins := make(map[string]string, 2)
	for _, name := range []string{"tiny", "up5k"} {
		v.Profile = profile(t, name)
		bins[name] = harness(t, v)
	}
	return bins
}

func profile(t testing.TB, name string) core.Profile {
	p, err := core.LookupProfile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
