package vhdlboard

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/ncx-project/ncx/driver/neurocorex"
)

// TestRandomProgramsAgainstModel is the random differential test of the
// VHDL against neurocorex.Board, STDP included: seeded random programs run
// one after another on one simulation and one model board, which hold the
// same state throughout (weights, STDP counters and flags, refractory
// counters, the core's registers). Each program writes random sparse FF and
// AA weights and random STDP-enable bits into both (the harness's backdoor:
// a UART upload costs 24M cycles; with NCX_VHDL_PROGRAMS >= 50 the last
// program uploads them over the UART instead), sends a random debug bias and,
// every fifth program, random thresholds, refractory lengths, leak, FF
// amplitude and STDP parameters (the 0x20 block), then two runs of 2 or 3
// steps of random input. After each run the board's whole answer must equal
// the model's byte for byte, and every cell of the eight synapse RAMs
// (weights after learning, enable bits, tpre counters, apre flags) the
// model's. Each mismatch names seed, program, run, step and neuron, or RAM
// and cell, and both values.
//
// CI runs 20 programs (3 with -short); NCX_VHDL_PROGRAMS=N runs N (make
// neurocorex-diff N=200), NCX_VHDL_SEED picks the seed and
// NCX_VHDL_UART_PROGRAM which program uploads over the UART.
func TestRandomProgramsAgainstModel(t *testing.T) {
	n := 20
	if testing.Short() {
		n = 3
	}
	if v, err := strconv.Atoi(os.Getenv("NCX_VHDL_PROGRAMS")); err == nil && v > 0 {
		n = v
	}
	seed := uint64(1)
	if v, err := strconv.ParseUint(os.Getenv("NCX_VHDL_SEED"), 10, 64); err == nil {
		seed = v
	}
	uartProg := -1
	if n >= 50 {
		uartProg = n - 1
	}
	if v, err := strconv.Atoi(os.Getenv("NCX_VHDL_UART_PROGRAM")); err == nil {
		uartProg = v
	}
	h, err := StartHarness(build(t), os.Stderr, 2_000)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	d := &differ{t: t, h: h, model: neurocorex.NewBoard(), seed: seed}
	var secs, cpus, ratios []float64
	spikes, updates := 0, 0
	for prog := range n {
		c0, m0, u0 := h.Stats(), d.modelTime, h.CPU()
		sp, up := d.program(prog, prog == uartProg)
		spikes += sp
		updates += up
		c1 := h.Stats()
		sec, msec, cpu := (c1.Wall - c0.Wall).Seconds(), (d.modelTime - m0).Seconds(), (h.CPU() - u0).Seconds()
		secs, cpus, ratios = append(secs, sec), append(cpus, cpu), append(ratios, cpu/msec)
		t.Logf("seed %d program %d: %d spikes, %d weights changed by STDP, %.2fM cycles, VHDL %.1f s wall %.1f s CPU, model %.3f s",
			seed, prog, sp, up, float64(c1.Cycles-c0.Cycles)/1e6, sec, cpu, msec)
		if t.Failed() {
			t.Fatalf("stopping at the first program with mismatches (seed %d program %d)", seed, prog)
		}
	}
	if spikes == 0 || updates == 0 {
		t.Errorf("%d spikes and %d STDP weight updates in %d programs: the comparison says too little", spikes, updates, n)
	}
	st := h.Stats()
	cpu := h.CPU().Seconds()
	for _, x := range [][]float64{secs, cpus, ratios} {
		sort.Float64s(x)
	}
	t.Logf("%d programs, 0 mismatches, %d spikes, %d STDP weight updates; %d cycles, %.0f s of simulator CPU (%.0f cycles/s), %v waiting for it (a shared machine); "+
		"a program: wall s min %.1f median %.1f max %.1f, CPU s min %.1f median %.1f max %.1f; VHDL CPU / model time: min %.0f median %.0f max %.0f",
		n, spikes, updates, st.Cycles, cpu, float64(st.Cycles)/cpu, st.Wall.Round(time.Second),
		secs[0], secs[len(secs)/2], secs[len(secs)-1], cpus[0], cpus[len(cpus)/2], cpus[len(cpus)-1],
		ratios[0], ratios[len(ratios)/2], ratios[len(ratios)-1])
}

// differ runs programs on the VHDL and the model side by side.
type differ struct {
	t     *testing.T
	h     *Harness
	model *neurocorex.Board
	seed  uint64
	tb    neurocorex.Tables // the program's tables, as sent
	// modelTime is the time spent in the model
	modelTime time.Duration
}

func (d *differ) fatal(err error) {
	d.t.Helper()
	if err != nil {
		d.t.Fatal(err)
	}
}

// send queues blk on the VHDL's RX pin and runs until it has been sent
// (and longer, for extra cycles), and gives it to the model; it returns
// both answers.
func (d *differ) send(blk []byte, extra int) (vhdl, model []byte) {
	d.t.Helper()
	t0 := time.Now()
	out, err := d.model.Exec(blk)
	d.modelTime += time.Since(t0)
	d.fatal(err)
	got, q, err := d.h.Run(len(blk)*CyclesPerByte+extra, blk)
	d.fatal(err)
	if q != 0 {
		d.t.Fatalf("%d bytes still queued", q)
	}
	return got, out
}

// program runs program prog; it returns the spikes seen and the weights
// STDP changed.
func (d *differ) program(prog int, uart bool) (spikes, updates int) {
	rng := rand.New(rand.NewPCG(d.seed, uint64(prog)))
	tb := &d.tb
	if prog == 0 {
		*tb = *neurocorex.Defaults()
	}
	for r := range neurocorex.N {
		for c := range neurocorex.N {
			tb.FF[r][c], tb.AA[r][c] = 0, 0
			if rng.IntN(4) == 0 {
				tb.FF[r][c] = int8(rng.IntN(256) - 128)
			}
			if rng.IntN(4) == 0 {
				tb.AA[r][c] = int8(rng.IntN(256) - 128)
			}
		}
	}
	for i := range neurocorex.Weights {
		tb.EnableAA[i], tb.EnableFF[i] = rng.IntN(2) == 0, rng.IntN(2) == 0
	}
	// FF cell 0 stays disabled: at the start of a potentiation pass the
	// design reads apre and enable cell 0 and, if both are set, writes to
	// a negative address, where GHDL stops (docs/neurocorex.md)
	tb.EnableFF[0] = false
	if uart {
		// the loaders' side effects too: an AA upload resets the AA STDP
		// state; the enable bits take 3.7M cycles to reach the core
		d.send(tb.AABlock(), 0)
		d.send(tb.FFBlock(), 0)
		d.send(tb.EnableBlock(), 4_000_000)
	} else {
		ff, aa := flat(&tb.FF), flat(&tb.AA)
		for _, p := range []struct {
			ram RAM
			v   []int8
		}{{RAMWeightFF, ff}, {RAMWeightAA, aa}, {RAMEnableFF, bits(&tb.EnableFF)}, {RAMEnableAA, bits(&tb.EnableAA)}} {
			d.fatal(d.h.Poke(p.ram, 0, p.v))
		}
		d.model.Poke(&tb.FF, &tb.AA, &tb.EnableFF, &tb.EnableAA)
	}
	if prog%5 == 0 {
		for p := range neurocorex.N {
			tb.VThr[p] = 256 + rng.Int32N(6000)
			tb.TrefMax[p] = rng.Int32N(6)
		}
		tb.TrefMax[0] = 1 + rng.Int32N(255)
		tb.TauMem[neurocorex.LeakWord] = rng.Int32N(300)
		small := func(max int32) int32 {
			if rng.IntN(4) == 0 {
				return rng.Int32N(1 << 16)
			}
			return rng.Int32N(max) | rng.Int32N(max)<<8
		}
		tb.STDP[0], tb.STDP[1], tb.STDP[2] = small(12), small(12), small(24)
		d.send(tb.ParamBlock(), 0)
	}
	tb.IBias = rng.Int32N(4001) - 2000
	tb.NDebug = uint8(rng.IntN(neurocorex.MaxNDebug + 1))
	d.send(tb.DebugBlock(), 0)
	before := d.model.Tables()
	for run := range 2 {
		spikes += d.run(rng, fmt.Sprintf("seed %d program %d run %d", d.seed, prog, run))
	}
	after := d.model.Tables()
	for r := range neurocorex.N {
		for c := range neurocorex.N {
			if before.FF[r][c] != after.FF[r][c] {
				updates++
			}
			if before.AA[r][c] != after.AA[r][c] {
				updates++
			}
		}
	}
	return spikes, updates
}

// run sends 2 or 3 steps of random input (at most one spike a step), runs
// the VHDL until the run is over and compares the answers and the RAMs.
func (d *differ) run(rng *rand.Rand, label string) int {
	d.t.Helper()
	steps := 2 + rng.IntN(2)
	var in []neurocorex.Spike
	for s := range steps {
		if rng.IntN(4) != 0 {
			in = append(in, neurocorex.Spike{Step: s, Addr: 1 + rng.IntN(neurocorex.N-1)})
		}
	}
	msg, err := neurocorex.EncodeSpikes(in, steps)
	d.fatal(err)
	// the first TRIGER comes 96 slots after the first record, the run
	// lasts steps+1 sweeps, and LIF_unit's end-of-run reset 92 slots more
	got, want := d.send(msg, (N+(steps+1)*N+100)*1000)
	if !bytes.Equal(got, want) {
		if len(got) != len(want) || len(got) == 0 || got[0] != want[0] {
			d.t.Errorf("%s: the VHDL answered %d bytes % x, the model %d bytes % x", label, len(got), got, len(want), want)
			return 0
		}
		fg, fw := neurocorex.DecodeFrames(got[1:]), neurocorex.DecodeFrames(want[1:])
		for s := range min(len(fg), len(fw)) {
			for p := range neurocorex.N {
				if a, b := slices.Contains(fg[s], p), slices.Contains(fw[s], p); a != b {
					d.t.Errorf("%s step %d neuron %d: VHDL spiked %v, model %v", label, s, p, a, b)
				}
			}
		}
		if !d.t.Failed() {
			d.t.Errorf("%s: answers differ in the bits after the last whole frame", label)
		}
	}
	dump, err := d.h.Dump()
	d.fatal(err)
	d.compareRAMs(dump, label)
	n := 0
	for _, f := range neurocorex.DecodeFrames(got[1:]) {
		n += len(f)
	}
	return n
}

// compareRAMs reports the cells where the VHDL's RAMs differ from the
// model's (at most five a RAM).
func (d *differ) compareRAMs(dump *Dump, label string) {
	d.t.Helper()
	tb, st := d.model.Tables(), d.model.STDP()
	if st.Hazard != "" {
		d.t.Errorf("%s: the model met a %s, where GHDL would have stopped", label, st.Hazard)
	}
	want := map[RAM][]int8{
		RAMWeightAA: flat(&tb.AA), RAMWeightFF: flat(&tb.FF),
		RAMEnableAA: bits(&tb.EnableAA), RAMEnableFF: bits(&tb.EnableFF),
		RAMTpreAA: st.TpreAA[:], RAMTpreFF: st.TpreFF[:], RAMApreAA: st.ApreAA[:], RAMApreFF: st.ApreFF[:],
	}
	for r := RAMWeightAA; r <= RAMApreFF; r++ {
		bad := 0
		for i, w := range want[r] {
			if g := dump[r][i]; g != w {
				if bad < 5 {
					d.t.Errorf("%s: %s RAM row %d column %d (cell %d): VHDL %d, model %d", label, r, i/N, i%N, i, g, w)
				}
				bad++
			}
		}
		if bad > 5 {
			d.t.Errorf("%s: %s RAM: %d cells differ", label, r, bad)
		}
	}
}

// N is the matrix side, for brevity.
const N = neurocorex.N

func flat(w *[N][N]int8) []int8 {
	out := make([]int8, 0, neurocorex.Weights)
	for r := range N {
		out = append(out, w[r][:]...)
	}
	return out
}

func bits(en *[neurocorex.Weights]bool) []int8 {
	out := make([]int8, len(en))
	for i, b := range en {
		if b {
			out[i] = 1
		}
	}
	return out
}
