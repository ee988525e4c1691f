package emulator

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ncx-project/ncx/core"
)

// randomTable is a neuron table with every field drawn over its whole legal
// range, with extra weight on the edges (saturation bounds, zero, decay 0 and
// 4096, refractory 0/1/255, full traces, every tr_shift), and in some tables a
// few neurons that reset by subtraction.
func randomTable(r *rand.Rand, prof core.Profile, n int) *neuronTable {
	lo, hi := prof.VMin(), prof.VMax()
	val := func() int32 {
		switch r.IntN(6) {
		case 0:
			return []int32{lo, hi, 0, -1, 1, lo + 1, hi - 1}[r.IntN(7)]
		case 1:
			return int32(r.IntN(2001)) - 1000
		default:
			return int32(r.Int64N(int64(hi)-int64(lo)+1) + int64(lo))
		}
	}
	u8 := func() uint8 { return []uint8{0, 1, 2, 254, 255, uint8(r.IntN(256))}[r.IntN(6)] }
	m := func() uint16 { return []uint16{0, 1, 4095, 4096, uint16(r.IntN(4097))}[r.IntN(5)] }
	im := &core.Image{Profile: prof, NumNeurons: n}
	noTrace := r.IntN(3) == 0 // a trace-free table, as CUBA-like networks are
	// a quarter of the tables have a few neurons that reset by subtraction,
	// a quarter have them in half the lanes
	rsubPct := []int{0, 0, 1, 50}[r.IntN(4)]
	for range n {
		im.Params = append(im.Params, core.NeuronParams{Thr: val(), VReset: val(), Bias: val(), DV: m(), DI: m(),
			TRef: u8(), TrShift: uint8(r.IntN(8)), TrInc: u8(), RSub: r.IntN(100) < rsubPct})
		im.State = append(im.State, core.NeuronState{V: val(), I: val(), Ref: u8()})
		im.Trace = append(im.Trace, u8())
		if noTrace {
			im.Params[len(im.Params)-1].TrInc, im.Trace[len(im.Trace)-1] = 0, 0
		}
	}
	t := newNeuronTable(im)
	if t.noTrace != noTrace {
		panic("randomTable: trace-free table not detected")
	}
	for k := range n {
		t.acc[k] = val()
		if r.IntN(5) == 0 {
			t.force(k)
		}
	}
	return t
}

func cloneTable(t *neuronTable) *neuronTable {
	c := *t
	c.v, c.i, c.acc, c.st = slices.Clone(t.v), slices.Clone(t.i), slices.Clone(t.acc), slices.Clone(t.st)
	c.spikeBits = slices.Clone(t.spikeBits)
	return &c
}

func sameTables(a, b *neuronTable) bool {
	return slices.Equal(a.v, b.v) && slices.Equal(a.i, b.i) && slices.Equal(a.acc, b.acc) &&
		slices.Equal(a.st, b.st) && slices.Equal(a.spikeBits, b.spikeBits)
}

// TestKernelsMatchScalar is the property test of every vector kernel this
// machine runs: on random tables (both state widths, whole and partial
// ranges, several steps in a row with fresh input and forces) each leaves
// exactly the state, traces, refractory counters and spike bitmap of the
// scalar kernel.
func TestKernelsMatchScalar(t *testing.T) {
	ks := kernels()
	if len(ks) == 1 {
		t.Skip("this machine (or build) has no vector kernel; the scalar kernel is the only path")
	}
	r := rand.New(rand.NewPCG(12, 1))
	trials := 400
	if testing.Short() {
		trials = 50
	}
	for _, k := range ks[:len(ks)-1] {
		spikes, traceFree, rsubSpikes := 0, 0, 0
		for trial := range trials {
			prof := core.Profiles[[]string{"tiny", "sim"}[trial%2]]
			n := 1 + r.IntN(5*blockNeurons)
			want := randomTable(r, prof, n)
			got := cloneTable(want)
			if want.noTrace {
				traceFree++
			}
			np := len(want.v)
			for step := range 6 {
				lo, hi := 0, np
				if step%3 == 2 { // a sub-range, as the parallel split runs
					lo = r.IntN(np/blockNeurons+1) * blockNeurons
					hi = lo + r.IntN((np-lo)/blockNeurons+1)*blockNeurons
				}
				want.phase1Scalar(lo, hi, prof.VMin(), prof.VMax())
				k.fn(got, lo, hi, prof.VMin(), prof.VMax())
				if !sameTables(want, got) {
					for j := range np {
						if want.v[j] != got.v[j] || want.i[j] != got.i[j] || want.st[j] != got.st[j] || want.acc[j] != got.acc[j] {
							t.Fatalf("%s trial %d step %d (%s, range %d..%d) neuron %d: v %d/%d i %d/%d st %#x/%#x acc %d/%d",
								k.name, trial, step, prof.Name, lo, hi, j, want.v[j], got.v[j], want.i[j], got.i[j],
								want.st[j], got.st[j], want.acc[j], got.acc[j])
						}
					}
					t.Fatalf("%s trial %d step %d: spike bitmaps differ", k.name, trial, step)
				}
				for _, j := range want.appendSpikes(nil, lo, hi) {
					spikes++
					if want.tp[j]&tpRSub != 0 {
						rsubSpikes++
					}
				}
				if want.noTrace && !slices.Equal(want.st, got.st) {
					t.Fatalf("%s trial %d: a trace-free table gained a trace", k.name, trial)
				}
				for j := range n { // fresh input and forces for the next step
					want.acc[j] = int32(r.IntN(4001)) - 2000
					if r.IntN(9) == 0 {
						want.force(j)
					}
				}
				copy(got.acc, want.acc)
				copy(got.st, want.st)
			}
		}
		if spikes == 0 {
			t.Fatalf("%s: no neuron spiked in any trial; the test proves nothing", k.name)
		}
		if traceFree == 0 || traceFree == trials {
			t.Fatalf("%s: %d of %d tables trace-free; both kinds must be covered", k.name, traceFree, trials)
		}
		if rsubSpikes == 0 {
			t.Fatalf("%s: no spike of a neuron that resets by subtraction; the test does not cover rsub", k.name)
		}
		t.Logf("%s: %d random tables (%d trace-free), %d spikes (%d by subtraction), identical to scalar",
			k.name, trials, traceFree, spikes, rsubSpikes)
	}
}

// The spec transcription test runs the default kernel; this runs it with
// every kernel, so the scalar kernel is checked against the spec on a machine
// whose default is a vector one.
func TestEveryKernelMatchesSpec(t *testing.T) {
	for _, k := range kernels() {
		t.Run(k.name, func(t *testing.T) {
			for seed := uint64(0); seed < 60; seed++ {
				r := rand.New(rand.NewPCG(seed, 9))
				prof := core.Profiles[[]string{"tiny", "sim"}[seed%2]]
				im := randomImage(r, prof, seed%3 == 0)
				c, err := New(im)
				if err != nil {
					t.Fatal(err)
				}
				c.kernel = k.fn
				ref := newSpecCore(im)
				for step := range 30 {
					for j := range im.NumNeurons {
						if r.IntN(7) == 0 {
							_ = c.Force(uint32(j))
							ref.force[j] = true
						}
					}
					got := c.Step()
					want, _, _, _ := ref.step()
					if !slices.Equal(want, got.Spikes) || !slices.Equal(ref.state, c.State()) || !slices.Equal(ref.trace, c.Trace()) {
						t.Fatalf("seed %d step %d: kernel %s differs from the spec", seed, step, k.name)
					}
				}
			}
		})
	}
}
