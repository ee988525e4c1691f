package sim_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/sim"
)

// soakCycles is the number of flash + run + readback cycles of TestSoak:
// NCX_SOAK=N sets it (the closing figure of issue 9 used 1000); CI runs 16,
// and -short 8.
func soakCycles(t *testing.T) int {
	if v := os.Getenv("NCX_SOAK"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("NCX_SOAK=%q: want a positive number of cycles", v)
		}
		return n
	}
	if testing.Short() {
		return 8
	}
	return 16
}

// soakRate is the per-byte fault rate of cycle cyc and the protocol of its
// board: each cycle drops, duplicates and corrupts bytes at that rate each,
// each way (so 3 % of the bytes are hit at 1e-2). Every fourth cycle is a
// protocol 2 board (the RTL board's protocol), which answers in CRC-16 frames
// as long as its payload limit, which the host cannot shorten: it gets the
// gentler rate.
func soakRate(cyc int) (float64, int) {
	return [4]float64{1e-2, 1e-3, 3e-3, 1e-3}[cyc%4], [4]int{core.ProtocolVersion, core.ProtocolVersion, core.ProtocolVersion, 2}[cyc%4]
}

// TestSoak flashes, runs and reads back seeded random networks over a link
// that drops, duplicates and corrupts bytes in both directions at up to 1e-2
// each, on protocol 3 boards (CRC-32C frames, READ_SUM) and, every fourth
// cycle, a protocol 2 board (CRC-16, double reads). Every cycle must either
// succeed exactly — the board's memory equals the image after the flash, the
// run's spikes and cycle counts equal the emulator's, the readback after the
// run equals the board's true memory — or fail with an error; it must never
// return wrong data. At these rates it must not fail at all.
func TestSoak(t *testing.T) {
	n := soakCycles(t)
	// NCX_SOAK_FROM=K runs cycles K..K+N-1, so that a long soak can be split
	// into shards run side by side (the waits of a noisy line, not the CPU,
	// set its pace)
	from := 0
	if v := os.Getenv("NCX_SOAK_FROM"); v != "" {
		var err error
		if from, err = strconv.Atoi(v); err != nil || from < 0 {
			t.Fatalf("NCX_SOAK_FROM=%q: want a cycle number", v)
		}
	}
	var failed []string
	start := time.Now()
	for cyc := from; cyc < from+n; cyc++ {
		rate, proto := soakRate(cyc)
		t0 := time.Now()
		err := soakCycle(t, uint64(cyc), rate, proto)
		t.Logf("cycle %d rate %g protocol %d: %v (%v)", cyc, rate, proto, time.Since(t0).Round(time.Millisecond), err)
		if err != nil {
			failed = append(failed, fmt.Sprintf("cycle %d (rate %g, protocol %d): %v", cyc, rate, proto, err))
		}
	}
	t.Logf("%d cycles in %v, %d failed", n, time.Since(start).Round(time.Millisecond), len(failed))
	for _, f := range failed {
		t.Error(f)
	}
}

// soakCycle runs one cycle; a wrong result is a test failure (t.Fatalf),
// an error from the driver is returned.
func soakCycle(t *testing.T, seed uint64, rate float64, proto int) error {
	prof := tiny()
	im := randomImage(t, prof, 16+int(seed%48), 4+int(seed%9), seed)
	// a protocol 2 board cannot be asked for short READ_OUT replies: give it
	// the RTL board's payload limit
	b, err := sim.NewBoard(sim.Config{Profile: prof, Protocol: proto, MaxPayload: map[bool]int{true: 240}[proto < 3]})
	if err != nil {
		t.Fatal(err)
	}
	f := sim.Faults{Drop: rate, Dup: rate, Corrupt: rate}
	l := sim.NewLink(sim.LinkConfig{ToBoard: f, ToHost: f, Seed: seed})
	go b.Serve(l.Board)
	defer l.Host.Close()
	// the in-process line answers in microseconds: shorter waits than a
	// USB-UART bridge needs keep the soak fast without changing what it tests
	c, err := driver.Open(l.Host, &driver.Options{Timeout: 50 * time.Millisecond, MinTimeout: time.Millisecond})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Flash(im, nil); err != nil {
		return err
	}
	for _, blk := range driver.ImageMemories(im) {
		if got := b.Memory(blk.Sel, len(blk.Words)); !reflect.DeepEqual(got, blk.Words) {
			t.Fatalf("seed %d: Flash returned nil but memory %d of the board differs from the image", seed, blk.Sel)
		}
	}
	steps := 60 + int(seed%80)
	in := randomInput(im.NumNeurons, steps, 3, seed)
	want, emu := emulate(t, im, steps, in)
	res, err := c.Run(context.Background(), steps, in)
	if err != nil {
		return err
	}
	if len(res.Steps) != steps {
		t.Fatalf("seed %d: %d steps returned, want %d", seed, len(res.Steps), steps)
	}
	for s, w := range want {
		g := res.Steps[s]
		if uint64(g.Cycles) != w.cycles || !reflect.DeepEqual(nilIfEmpty(g.Spikes), nilIfEmpty(w.spikes)) {
			t.Fatalf("seed %d step %d: board cycles %d spikes %v, emulator cycles %d spikes %v", seed, s, g.Cycles, g.Spikes, w.cycles, w.spikes)
		}
	}
	back, err := c.Readback(nil)
	if err != nil {
		return err
	}
	// the readback is the board's true memory, which is the emulator's
	// state (acc and force, which an image does not hold, are read alone)
	for _, blk := range driver.ImageMemories(back) {
		if blk.Sel == core.MemAcc || blk.Sel == core.MemForce {
			continue
		}
		if got := b.Memory(blk.Sel, len(blk.Words)); !reflect.DeepEqual(got, blk.Words) {
			t.Fatalf("seed %d: readback of memory %d differs from the board's memory", seed, blk.Sel)
		}
	}
	acc, err := c.ReadMem(core.MemAcc, 0, im.NumNeurons)
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(acc, b.Memory(core.MemAcc, im.NumNeurons)) {
		t.Fatalf("seed %d: ReadMem of acc differs from the board's memory", seed)
	}
	if !reflect.DeepEqual(back.Syn, emu.Syn()) || !reflect.DeepEqual(back.State, emu.State()) || !reflect.DeepEqual(back.Trace, emu.Trace()) {
		t.Fatalf("seed %d: readback after the run differs from the emulator's state", seed)
	}
	return nil
}
