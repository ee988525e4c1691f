// Package compilertest holds helpers for tests that run compiled images on
// the emulator (the compiler's own tests and the reference model's).
package compilertest

import (
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/emulator"
)

// Run drives the emulator with image im for steps steps: before each step it
// applies the teach writes of that step and forces the image's stimulus. It
// returns the spikes and bursts of every step. teach must be sorted by step.
func Run(tb testing.TB, im *core.Image, steps int, teach []core.TeachWrite) (spikes, bursts [][]uint32) {
	tb.Helper()
	c, err := emulator.New(im)
	if err != nil {
		tb.Fatal(err)
	}
	spikes, bursts = make([][]uint32, steps), make([][]uint32, steps)
	st := im.Meta.Stimulus
	for s := 0; s < steps; s++ {
		for ; len(teach) > 0 && int(teach[0].Step) == s; teach = teach[1:] {
			c.SetTeach(int(teach[0].Neuron), teach[0].Teach)
		}
		for ; len(st) > 0 && int(st[0].Step) == s; st = st[1:] {
			if err := c.Force(st[0].Neuron); err != nil {
				tb.Fatal(err)
			}
		}
		r := c.Step()
		spikes[s] = append([]uint32(nil), r.Spikes...)
		bursts[s] = append([]uint32(nil), r.Bursts...)
	}
	return spikes, bursts
}

// Spikes is Run without teach writes, returning only the spikes.
func Spikes(tb testing.TB, im *core.Image, steps int) [][]uint32 {
	tb.Helper()
	sp, _ := Run(tb, im, steps, nil)
	return sp
}
