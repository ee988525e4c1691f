package sim_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/sim"
)

func tiny() core.Profile { return core.Profiles["tiny"] }

func newBoard(t testing.TB, prof core.Profile) *sim.Board {
	t.Helper()
	b, err := sim.NewBoard(sim.Config{Profile: prof})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkRun compares a board run with the emulator, step by step.
func checkRun(t *testing.T, res *driver.RunResult, want []emuStep) {
	t.Helper()
	if len(res.Steps) != len(want) {
		t.Fatalf("board ran %d steps, emulator %d", len(res.Steps), len(want))
	}
	spikes := 0
	for s, w := range want {
		g := res.Steps[s]
		if uint64(g.Cycles) != w.cycles || !reflect.DeepEqual(nilIfEmpty(g.Spikes), nilIfEmpty(w.spikes)) {
			t.Fatalf("step %d: board cycles %d spikes %v, emulator cycles %d spikes %v", s, g.Cycles, g.Spikes, w.cycles, w.spikes)
		}
		spikes += len(w.spikes)
	}
	if spikes == 0 {
		t.Fatalf("no spikes in %d steps: the test network is too quiet to prove anything", len(want))
	}
	t.Logf("matched %d steps, %d spikes", len(want), spikes)
}

func nilIfEmpty(s []uint32) []uint32 {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestPTYFlashRunReadback(t *testing.T) {
	im := randomImage(t, tiny(), 48, 6, 1)
	board := newBoard(t, tiny())
	pt, err := sim.ServePTY(board)
	if err != nil {
		t.Skipf("no pty on this machine: %v", err)
	}
	defer pt.Close()
	port, err := driver.OpenSerial(pt.Path, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	c, err := driver.Open(port, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Flash(im, nil); err != nil {
		t.Fatal(err)
	}
	back, err := c.Readback(nil)
	if err != nil {
		t.Fatal(err)
	}
	back.Profile = im.Profile
	back.Meta = im.Meta
	if !reflect.DeepEqual(back, im) {
		t.Fatalf("readback differs from the image")
	}
	const steps = 300
	in := randomInput(im.NumNeurons, steps, 4, 2)
	want, emu := emulate(t, im, steps, in)
	res, err := c.Run(context.Background(), steps, in)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, res, want)
	// after the run, the board's memories hold the emulator's state
	after, err := c.Readback(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after.Syn, emu.Syn()) || !reflect.DeepEqual(after.State, emu.State()) {
		t.Fatalf("memories after the run differ from the emulator's")
	}
}

func TestWrongCoreVersion(t *testing.T) {
	b, _ := sim.NewBoard(sim.Config{Profile: tiny(), CoreVersion: 7})
	l := sim.NewLink(sim.LinkConfig{})
	go b.Serve(l.Board)
	_, err := driver.Open(l.Host, nil)
	if !errors.Is(err, driver.ErrVersion) {
		t.Fatalf("got %v, want ErrVersion", err)
	}
	t.Log(err)
}

func openLink(t testing.TB, b *sim.Board, cfg sim.LinkConfig, opt *driver.Options) (*driver.Client, *sim.Link) {
	t.Helper()
	l := sim.NewLink(cfg)
	go b.Serve(l.Board)
	c, err := driver.Open(l.Host, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, l
}

func TestBoardStopsAnswering(t *testing.T) {
	b := newBoard(t, tiny())
	c, l := openLink(t, b, sim.LinkConfig{}, &driver.Options{Timeout: 50 * time.Millisecond})
	l.Mute(true)
	start := time.Now()
	_, err := c.Status()
	if !errors.Is(err, driver.ErrTimeout) {
		t.Fatalf("got %v, want ErrTimeout", err)
	}
	t.Logf("%v after %v", err, time.Since(start).Round(time.Millisecond))
	l.Mute(false)
	if _, err := c.Status(); err != nil {
		t.Fatalf("after the board came back: %v", err)
	}
}

func TestPortVanishes(t *testing.T) {
	b := newBoard(t, tiny())
	c, l := openLink(t, b, sim.LinkConfig{}, nil)
	im := randomImage(t, tiny(), 40, 4, 3)
	l.Vanish()
	err := c.Flash(im, nil)
	if !errors.Is(err, driver.ErrPortGone) {
		t.Fatalf("got %v, want ErrPortGone", err)
	}
	t.Log(err)
}

func TestPTYVanishes(t *testing.T) {
	board := newBoard(t, tiny())
	pt, err := sim.ServePTY(board)
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	port, err := driver.OpenSerial(pt.Path, 115200)
	if err != nil {
		t.Fatal(err)
	}
	c, err := driver.Open(port, &driver.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pt.Close()
	_, err = c.Status()
	if !errors.Is(err, driver.ErrPortGone) && !errors.Is(err, driver.ErrTimeout) {
		t.Fatalf("got %v", err)
	}
	t.Log(err)
}

func TestFaultyLink(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    sim.Faults
	}{
		{"drop", sim.Faults{Drop: 2e-4}},
		{"dup", sim.Faults{Dup: 2e-4}},
		{"corrupt", sim.Faults{Corrupt: 2e-4}},
		{"all", sim.Faults{Drop: 1e-4, Dup: 1e-4, Corrupt: 1e-4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im := randomImage(t, tiny(), 64, 30, 5)
			b := newBoard(t, tiny())
			c, _ := openLink(t, b, sim.LinkConfig{ToBoard: tc.f, ToHost: tc.f, Seed: 11}, &driver.Options{Timeout: 30 * time.Millisecond, Retries: 8})
			if err := c.Flash(im, nil); err != nil {
				t.Fatal(err)
			}
			for m, blk := range driver.ImageMemories(im) {
				got := b.Memory(blk.Sel, len(blk.Words))
				if !reflect.DeepEqual(got, blk.Words) {
					t.Fatalf("memory %d differs after flash over a faulty link", m)
				}
			}
			const steps = 400
			in := randomInput(im.NumNeurons, steps, 6, 4)
			want, _ := emulate(t, im, steps, in)
			res, err := c.Run(context.Background(), steps, in)
			if err != nil {
				t.Fatal(err)
			}
			checkRun(t, res, want)
			st := b.Status()
			t.Logf("board: %d CRC errors, %d NAKs, %d frames", st.CRCErrors, st.NaksSent, st.FramesOK)
		})
	}
}
