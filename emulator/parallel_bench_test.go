package emulator

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
)

// timeRun is the wall time of steps steps of a fresh core in mode.
func timeRun(tb testing.TB, im *core.Image, mode string, steps int) float64 {
	c := newInMode(tb, im, mode)
	t0 := time.Now()
	for range steps {
		c.Step()
	}
	return time.Since(t0).Seconds()
}

// reportRatios runs the modes in interleaved rounds and reports, for each
// mode after the first, min/median/max of its speed relative to the first
// (first's time / its time: above 1 is faster).
func reportRatios(b *testing.B, im *core.Image, steps, rounds int, modes ...string) {
	ratios := make([][]float64, len(modes))
	for range b.N {
		for r := range rounds {
			t := make([]float64, len(modes))
			for j := range modes {
				k := (j + r) % len(modes) // rotate the order
				t[k] = timeRun(b, im, modes[k], steps)
			}
			for k := 1; k < len(modes); k++ {
				ratios[k] = append(ratios[k], t[0]/t[k])
			}
		}
	}
	for k := 1; k < len(modes); k++ {
		x := slices.Sorted(slices.Values(ratios[k]))
		b.ReportMetric(x[0], modes[k]+"/"+modes[0]+"-min")
		b.ReportMetric(x[len(x)/2], modes[k]+"/"+modes[0]+"-median")
		b.ReportMetric(x[len(x)-1], modes[k]+"/"+modes[0]+"-max")
	}
}

// BenchmarkParallelThreshold measures where two goroutines start to pay:
// CUBA-like networks (mean fan-out 80) of growing size, phase 1 on two
// goroutines at every step against serial, as interleaved rounds. The
// smallest size whose median is clearly above 1 sets parallelMin (with
// -tags purego, which leaves only the scalar kernel, parallelMinScalar).
func BenchmarkParallelThreshold(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	for _, n := range []int{4096, 8192, 16384, 32768, 65536} {
		im := cubaImage(n, 1)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			reportRatios(b, im, 80_000_000/n, 7, "serial", "parallel")
		})
	}
}

// BenchmarkParallelUnderLoad runs the default mode, forced two-goroutine
// mode and serial mode side by side while processes outside this one keep
// every core busy (one busy loop per CPU, as other users of a shared
// machine would), on a 65,536-neuron network. The default must never be
// slower than serial: default/serial-median >= 1. With a vector kernel the
// default is serial at this size (parallelMin); -tags purego exercises the
// per-step chooser with the scalar kernel.
func BenchmarkParallelUnderLoad(b *testing.B) {
	if runtime.GOMAXPROCS(0) < 2 {
		b.Skip("needs GOMAXPROCS >= 2")
	}
	im := cubaImage(65536, 1)
	for _, load := range []bool{false, true} {
		name := "idle"
		if load {
			name = "loaded"
		}
		b.Run(name, func(b *testing.B) {
			if load {
				stop := startLoad(b, runtime.NumCPU())
				defer stop()
			}
			reportRatios(b, im, 1000, 7, "serial", "default", "parallel")
		})
	}
}

// startLoad starts n busy-looping processes and returns a function that
// stops them.
func startLoad(tb testing.TB, n int) func() {
	var cmds []*exec.Cmd
	for range n {
		cmd := exec.Command("/bin/sh", "-c", "while :; do :; done")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			tb.Skipf("cannot start a load process: %v", err)
		}
		cmds = append(cmds, cmd)
	}
	return func() {
		for _, c := range cmds {
			_ = c.Process.Kill()
			_ = c.Wait()
		}
	}
}
