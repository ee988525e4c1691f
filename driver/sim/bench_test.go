package sim_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/sim"
)

func lineRate(baud int) float64 { return float64(baud) / 10 } // bytes per second, 8N1

// BenchmarkUpload writes the whole synapse memory of an a7 board over a
// 1 Mbaud link and reports the word bytes carried as a fraction of the line.
func BenchmarkUpload1M(b *testing.B) {
	const baud = 1_000_000
	prof := core.Profiles["a7"]
	words := make([]core.Word, prof.Synapses())
	for i := range words {
		words[i] = core.Word{uint64(i * 2654435761)}
	}
	board := newBoard(b, prof)
	c, _ := openLink(b, board, sim.LinkConfig{Baud: baud}, &driver.Options{Baud: baud})
	bytes := len(words) * driver.WordBytes(prof.MemWidth(core.MemSyn))
	var el time.Duration
	for b.Loop() {
		start := time.Now()
		if err := c.WriteMem(core.MemSyn, 0, words); err != nil {
			b.Fatal(err)
		}
		el += time.Since(start)
	}
	b.ReportMetric(float64(bytes)*float64(b.N)/el.Seconds()/lineRate(baud), "line-fraction")
	b.ReportMetric(float64(bytes)*float64(b.N)/el.Seconds()/1e3, "kB/s")
}

// BenchmarkStream1M runs steps with 64 input spikes each over a 1 Mbaud
// link and reports the input record bytes as a fraction of the line.
func BenchmarkStream1M(b *testing.B) {
	const baud = 1_000_000
	prof := core.Profiles["a7"]
	im := randomImage(b, prof, 1024, 2, 8)
	board := newBoard(b, prof)
	c, _ := openLink(b, board, sim.LinkConfig{Baud: baud}, &driver.Options{Baud: baud})
	if err := c.Flash(im, nil); err != nil {
		b.Fatal(err)
	}
	const steps = 400
	var in []core.InputSpike
	for s := range steps {
		for k := range 64 {
			in = append(in, core.InputSpike{Step: uint32(s), Neuron: uint32((s*7 + k*16) % 1024)})
		}
	}
	var el time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := c.Run(context.Background(), steps, in); err != nil {
			b.Fatal(err)
		}
		el += time.Since(start)
	}
	b.ReportMetric(float64(len(in)*6)*float64(b.N)/el.Seconds()/lineRate(baud), "line-fraction")
	b.ReportMetric(float64(len(in))*float64(b.N)/el.Seconds(), "spikes/s")
}

// BenchmarkFlashA7 flashes a full a7 image (every neuron, synapse and
// fan-in word) with readback verify, at 1 and 3 Mbaud.
func BenchmarkFlashA7(b *testing.B) {
	im := fullImage(b, core.Profiles["a7"])
	for _, baud := range []int{1_000_000, 3_000_000} {
		b.Run(map[int]string{1_000_000: "1Mbaud", 3_000_000: "3Mbaud"}[baud], func(b *testing.B) {
			board := newBoard(b, im.Profile)
			c, _ := openLink(b, board, sim.LinkConfig{Baud: baud}, &driver.Options{Baud: baud})
			total := 0
			var el time.Duration
			for b.Loop() {
				start := time.Now()
				if err := c.Flash(im, func(d, t int) { total = t }); err != nil {
					b.Fatal(err)
				}
				el += time.Since(start)
			}
			b.ReportMetric(el.Seconds()/float64(b.N), "s/flash")
			b.ReportMetric(float64(total)*float64(b.N)/el.Seconds()/lineRate(baud), "line-fraction")
		})
	}
}

// BenchmarkGoodput1M writes 8 KiB of synapse words and reads them back over
// a 1 Mbaud line that drops, duplicates and corrupts bytes at the given rate
// each, each way, and reports the word bytes carried per second as a
// fraction of the line rate (goodput).
func BenchmarkGoodput1M(b *testing.B) {
	const baud = 1_000_000
	prof := core.Profiles["a7"]
	width := prof.MemWidth(core.MemSyn)
	words := make([]core.Word, 8192/driver.WordBytes(width))
	for i := range words {
		words[i] = core.Word{uint64(i*2654435761) & (1<<width - 1)}
	}
	for _, rate := range []float64{0, 1e-3, 1e-2} {
		b.Run(fmt.Sprintf("rate=%g", rate), func(b *testing.B) {
			board := newBoard(b, prof)
			f := sim.Faults{Drop: rate, Dup: rate, Corrupt: rate}
			c, _ := openLink(b, board, sim.LinkConfig{Baud: baud, ToBoard: f, ToHost: f, Seed: 1}, &driver.Options{Baud: baud, MinTimeout: benchMinTimeout})
			bytes := 2 * len(words) * driver.WordBytes(width)
			var el time.Duration
			for b.Loop() {
				start := time.Now()
				if err := c.WriteMem(core.MemSyn, 0, words); err != nil {
					b.Fatal(err)
				}
				got, err := c.ReadMem(core.MemSyn, 0, len(words))
				if err != nil {
					b.Fatal(err)
				}
				el += time.Since(start)
				if !reflect.DeepEqual(got, words) {
					b.Fatal("read back different words")
				}
			}
			b.ReportMetric(float64(bytes)*float64(b.N)/el.Seconds()/lineRate(baud), "goodput")
		})
	}
}

var benchMinTimeout = func() time.Duration { d, _ := time.ParseDuration(os.Getenv("MT")); return d }()
