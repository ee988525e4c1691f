package emulator

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/stretchr/testify/require"
)

func TestMatchesSpecTranscription(t *testing.T) {
	fracMoved := 0 // images whose fraction bits the core changed
	for seed := uint64(0); seed < 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		prof := core.Profiles["tiny"]
		if seed%5 == 0 {
			prof = core.Profiles["sim"] // 24-bit state
		}
		im := randomImage(r, prof, seed%2 == 1)
		require.NoError(t, im.Validate(), "seed %d", seed)
		c, err := New(im)
		require.NoError(t, err)
		ref := newSpecCore(im)
		wf0 := c.WFrac()
		for step := 0; step < 40; step++ {
			for k := 0; k < im.NumNeurons; k++ {
				if r.IntN(6) == 0 {
					require.NoError(t, c.Force(uint32(k)))
					ref.force[k] = true
				}
			}
			got := c.Step()
			want, f, g, fb := ref.step()
			where := fmt.Sprintf("seed %d step %d", seed, step)
			require.Equal(t, want, append([]uint32(nil), got.Spikes...), where)
			require.Equal(t, len(want), len(got.Spikes), where)
			require.Equal(t, f, got.F, where)
			require.Equal(t, g, got.G, where)
			require.Equal(t, fb, got.FB, where)
			nb := 0
			for _, sp := range want {
				if ref.burst != nil && ref.burst[sp] {
					nb++
				}
			}
			require.Equal(t, nb, len(got.Bursts), where)
			require.Equal(t, core.TimingV1.StepCyclesBurst(uint64(im.NumNeurons), uint64(len(want)), f, g, uint64(nb), fb), got.Cycles, where)
			require.Equal(t, ref.bstate, c.BurstState(), where)
			require.Equal(t, ref.lfsr, c.LFSR(), where)
			require.Equal(t, ref.state, c.State(), where)
			require.Equal(t, ref.trace, c.Trace(), where)
			for k, a := range c.Acc() {
				require.Equal(t, ref.acc[k], int64(a), "%s acc[%d]", where, k)
			}
			require.Equal(t, len(ref.wfrac), len(c.WFrac()), where)
			if len(ref.wfrac) > 0 {
				require.Equal(t, ref.wfrac, c.WFrac(), where)
			}
			require.Equal(t, len(ref.syn), len(c.Syn()), where) // nil and empty alike
			if len(ref.syn) > 0 {
				require.Equal(t, ref.syn, c.Syn(), where)
			}
		}
		if !slices.Equal(wf0, c.WFrac()) {
			fracMoved++
		}
	}
	require.Greater(t, fracMoved, 10, "the random images exercise fraction bits")
	t.Logf("%d of 300 images changed fraction bits", fracMoved)
}

// oneNeuron is an image with a single neuron and no synapses.
func oneNeuron(q core.NeuronParams, s core.NeuronState) *core.Image {
	return &core.Image{Profile: core.Profiles["tiny"], NumNeurons: 1, Params: []core.NeuronParams{q},
		State: []core.NeuronState{s}, Trace: []uint8{0}, Fanout: []core.Fanout{{}}}
}

func TestHandComputedCases(t *testing.T) {
	t.Run("bias charges to threshold then refractory holds v", func(t *testing.T) {
		im := oneNeuron(core.NeuronParams{Thr: 10, VReset: -5, Bias: 4, DV: 4096, DI: 4096, TRef: 2}, core.NeuronState{})
		c, err := New(im)
		require.NoError(t, err)
		var vs []int32
		var fired []int
		for s := 0; s < 8; s++ {
			r := c.Step()
			if len(r.Spikes) > 0 {
				fired = append(fired, s)
			}
			vs = append(vs, c.V(0))
		}
		// v: 4, 8, 12>=10 spike -> -5, held -5, held -5, -1, 3, 7
		require.Equal(t, []int32{4, 8, -5, -5, -5, -1, 3, 7}, vs)
		require.Equal(t, []int{2}, fired)
	})
	t.Run("decay rounds toward zero on both sides", func(t *testing.T) {
		require.Equal(t, int32(-7), decay(-15, 2048)) // -7.5 -> -7
		require.Equal(t, int32(7), decay(15, 2048))
		require.Equal(t, int32(-1), decay(-1, 4096))
		require.Equal(t, int32(0), decay(-1, 4095))
		require.Equal(t, int32(-8388608), decay(-8388608, 4096))
	})
	t.Run("saturation instead of wrap", func(t *testing.T) {
		im := oneNeuron(core.NeuronParams{Thr: 32767, VReset: 0, Bias: 32767, DV: 4096, DI: 4096}, core.NeuronState{V: 32000})
		c, err := New(im)
		require.NoError(t, err)
		r := c.Step()
		require.Equal(t, int32(0), c.V(0), "v saturates at 32767 = thr and fires")
		require.Len(t, r.Spikes, 1)
	})
	t.Run("trace decays to zero with rounded-up decrement", func(t *testing.T) {
		im := oneNeuron(core.NeuronParams{Thr: 32767, DV: 4096, DI: 4096, TrShift: 3, TrInc: 100}, core.NeuronState{})
		im.Trace[0] = 9
		c, err := New(im)
		require.NoError(t, err)
		var trs []uint8
		for s := 0; s < 9; s++ {
			c.Step()
			trs = append(trs, c.Tr(0))
		}
		// 9 -> 9-ceil(9/8)=7 -> 6 -> 5 -> 4 -> 3 -> 2 -> 1 -> 0 -> 0
		require.Equal(t, []uint8{7, 6, 5, 4, 3, 2, 1, 0, 0}, trs)
		require.NoError(t, c.Force(0))
		c.Step()
		require.Equal(t, uint8(100), c.Tr(0))
	})
	t.Run("STDP pair in the same step", func(t *testing.T) {
		// 0 -> 1 plastic (rule 1), both forced in the same step.
		im, _ := stdpPair()
		c, err := New(im)
		require.NoError(t, err)
		require.NoError(t, c.Force(0, 1))
		r := c.Step()
		require.Equal(t, []uint32{0, 1}, r.Spikes)
		// depression: rmul(32, 200) = (6400+128)>>8 = 25 -> 10-25 = -15
		// potentiation: rmul(64, 200) = (12800+128)>>8 = 50 -> -15+50 = 35
		require.Equal(t, int8(35), c.Weight(0))
		require.Equal(t, []int32{0, 40}, c.Acc(), "delivered with the weight before the change: 10<<2")
		tm := core.TimingV1
		require.Equal(t, tm.CStart+2+tm.P1+2*2*tm.CRow+1+1+tm.P2+tm.P3, r.Cycles)
	})
}

// stdpPair is two neurons, 0 -> 1 plastic (STDP rule 1), never firing on
// their own, and their param word.
func stdpPair() (*core.Image, core.NeuronParams) {
	q := core.NeuronParams{Thr: 32767, DV: 4096, DI: 4096, TrShift: 0, TrInc: 200}
	im := &core.Image{Profile: core.Profiles["tiny"], NumNeurons: 2,
		Params: []core.NeuronParams{q, q}, State: make([]core.NeuronState, 2), Trace: []uint8{0, 0},
		Fanout: []core.Fanout{{FoBase: 0, FoCnt: 1}, {FiBase: 0, FiCnt: 1}},
		Syn:    []core.Synapse{{Tgt: 1, W: 10, WExp: 2, Rule: 1}},
		Rev:    []core.RevEntry{{SAddr: 0, Src: 0}}}
	im.Rules[1] = core.Rule{APlus: 64, AMinus: 32, WMin: -20, WMax: 40}
	return im, q
}

// TestHostWrites: rule and param words written between steps take effect
// from the next step; the state is kept.
func TestHostWrites(t *testing.T) {
	im, q := stdpPair()
	c, err := New(im)
	require.NoError(t, err)
	require.Error(t, c.SetRule(0, core.Rule{}), "rule 0 is static")
	require.Error(t, c.SetRule(core.NumRules, core.Rule{}))
	off := core.Rule{WMin: -20, WMax: 40}
	require.NoError(t, c.SetRule(1, off))
	require.Equal(t, off, c.Rule(1))
	require.NoError(t, c.Force(0, 1))
	c.Step()
	require.Equal(t, int8(10), c.Weight(0), "aplus = aminus = 0: no change")
	q.TrInc = 50
	c.SetParams(0, q)
	require.Equal(t, uint8(200), c.Tr(0), "the trace is state, not rewritten")
	require.NoError(t, c.Force(0))
	c.Step()
	require.Equal(t, uint8(50), c.Tr(0), "tr_shift 0 clears, then the new increment")
	require.NoError(t, c.SetRule(1, im.Rules[1]))
	require.NoError(t, c.Force(0, 1))
	c.Step()
	// depression rmul(32, 200) = 25 -> -15; potentiation rmul(64, 50) = 13 -> -2
	require.Equal(t, int8(-2), c.Weight(0))
}

func TestTracerMatchesFormula(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	im := randomImage(r, core.Profiles["tiny"], true)
	c, err := New(im)
	require.NoError(t, err)
	var events []core.CycleEvent
	c.Tracer = func(ev core.CycleEvent) { events = append(events, ev) }
	for s := 0; s < 20; s++ {
		for k := 0; k < im.NumNeurons; k += 3 {
			require.NoError(t, c.Force(uint32(k)))
		}
		events = events[:0]
		res := c.Step()
		require.Equal(t, core.EvStart, events[0].Kind)
		last := events[len(events)-1]
		require.Equal(t, core.EvDone, last.Kind)
		require.Equal(t, res.Cycles, last.Cycle)
		var deliver, potent uint64
		prev := uint64(0)
		for _, ev := range events {
			require.GreaterOrEqual(t, ev.Cycle, prev, "events in cycle order")
			prev = ev.Cycle
			switch ev.Kind {
			case core.EvDeliver:
				deliver++
			case core.EvPotent:
				potent++
			}
		}
		require.Equal(t, res.F, deliver)
		require.Equal(t, res.G, potent)
	}
}

func TestForceRejectsUnknownNeuron(t *testing.T) {
	c, err := New(oneNeuron(core.NeuronParams{Thr: 100, DV: 4096}, core.NeuronState{}))
	require.NoError(t, err)
	require.ErrorContains(t, c.Force(0, 5), "force neuron 5: only 1 neurons")
	r := c.Step()
	require.Empty(t, r.Spikes, "a rejected Force call forces nothing")
}

// TestParallelPhase1IsIdentical forces two goroutines on every step: 4,000
// neurons are below parallelMin and parallelMinScalar, where SetParallel(true)
// alone would leave both cores serial.
func TestParallelPhase1IsIdentical(t *testing.T) {
	im := cubaImage(4000, 5)
	a, b := newInMode(t, im, "parallel"), newInMode(t, im, "serial")
	require.NotNil(t, a.sched, "phase 1 runs on two goroutines")
	total := 0
	for s := 0; s < 300; s++ {
		ra, rb := a.Step(), b.Step()
		require.Equal(t, rb.Spikes, ra.Spikes, "step %d", s)
		require.Equal(t, rb.Cycles, ra.Cycles)
		total += len(ra.Spikes)
	}
	require.Greater(t, total, 100, "the network is active")
	require.Equal(t, b.State(), a.State())
	require.Equal(t, b.Acc(), a.Acc())
}

// TestResetBySubtraction works spec section 4's rsub rule by hand: v keeps
// what it had above thr, a refractory neuron still holds v, a forced spike
// below thr drives v below 0, and v − thr saturates at both rails.
func TestResetBySubtraction(t *testing.T) {
	p := core.Profiles["tiny"]
	run := func(q core.NeuronParams, s core.NeuronState, steps int, force map[int]bool) (vs []int32, fired []int) {
		q.RSub = true
		c, err := New(oneNeuron(q, s))
		require.NoError(t, err)
		for k := 0; k < steps; k++ {
			if force[k] {
				require.NoError(t, c.Force(0))
			}
			if len(c.Step().Spikes) > 0 {
				fired = append(fired, k)
			}
			vs = append(vs, c.V(0))
		}
		return vs, fired
	}
	t.Run("remainder kept", func(t *testing.T) {
		// vreset is ignored: v = 30k mod 100 after each crossing
		vs, fired := run(core.NeuronParams{Thr: 100, VReset: -7, Bias: 30, DV: 4096, DI: 4096}, core.NeuronState{}, 8, nil)
		require.Equal(t, []int32{30, 60, 90, 20, 50, 80, 10, 40}, vs)
		require.Equal(t, []int{3, 6}, fired)
	})
	t.Run("refractory holds the remainder", func(t *testing.T) {
		vs, fired := run(core.NeuronParams{Thr: 100, Bias: 70, DV: 4096, DI: 4096, TRef: 2}, core.NeuronState{}, 6, nil)
		require.Equal(t, []int32{70, 40, 40, 40, 10, 10}, vs) // 70+70 and 40+70 cross
		require.Equal(t, []int{1, 4}, fired)
	})
	t.Run("forced below threshold", func(t *testing.T) {
		vs, fired := run(core.NeuronParams{Thr: 100, DV: 4096, DI: 4096}, core.NeuronState{V: 20}, 2, map[int]bool{0: true})
		require.Equal(t, []int32{-80, -80}, vs)
		require.Equal(t, []int{0}, fired)
	})
	t.Run("saturates low", func(t *testing.T) {
		vs, _ := run(core.NeuronParams{Thr: p.VMax(), DV: 4096, DI: 4096}, core.NeuronState{V: p.VMin() + 5}, 1, map[int]bool{0: true})
		require.Equal(t, p.VMin(), vs[0])
	})
	t.Run("saturates high", func(t *testing.T) {
		vs, fired := run(core.NeuronParams{Thr: p.VMin(), DV: 4096, DI: 4096}, core.NeuronState{V: 10}, 1, nil)
		require.Equal(t, p.VMax(), vs[0])
		require.Equal(t, []int{0}, fired)
	})
}

// fracPair is two neurons, 0 -> 1 through a BDSP synapse of weight w (rule
// 1: aplus 10, bounds ±wmax) whose fraction bits are frac; neuron 0's trace
// is 200 (198 after a step's decay), neuron 1 is a threshold-mode burst unit
// whose LUT is all lut and whose pbar is pbar.
func fracPair(w int8, frac uint8, wmax int8, lut uint8, pbar uint16) *core.Image {
	im := &core.Image{Profile: core.Profiles["tiny"], NumNeurons: 2,
		Params: []core.NeuronParams{{Thr: 1000, DV: 4096, TrShift: 7}, {Thr: 1000, DV: 4096, TrShift: 7}},
		State:  make([]core.NeuronState, 2), Trace: []uint8{200, 0},
		Fanout: []core.Fanout{{FoBase: 0, FoCnt: 1}, {FoBase: 1, FiBase: 0, FiCnt: 1}},
		Syn:    []core.Synapse{{Tgt: 1, W: w, Rule: 1}},
		Rev:    []core.RevEntry{{SAddr: 0, Src: 0}},
	}
	im.Rules[1] = core.Rule{APlus: 10, WMin: -wmax, WMax: wmax}
	b := &core.BurstTables{Params: []core.BurstParams{{}, {BU: true}}, State: []core.BurstState{{}, {PBar: pbar}},
		BFanout: make([]core.BFanout, 2), RuleKind: 1 << 1, RuleFrac: 1 << 1, LFSR: 0xACE1, WFrac: []uint8{frac}}
	for i := range b.LUT {
		b.LUT[i] = lut
	}
	im.Burst = b
	return im
}

// TestFractionBitsByHand works spec section 8.4's update through single
// postsynaptic events, with numbers chosen so that the stochastic rounding
// cannot change the result, and the host's access to rule_frac and wfrac.
func TestFractionBitsByHand(t *testing.T) {
	post := func(t *testing.T, c *Core) {
		t.Helper()
		require.NoError(t, c.Force(1))
		require.Equal(t, uint64(1), c.Step().G)
	}
	t.Run("a change below one LSB carries into the fraction", func(t *testing.T) {
		// no burst, pbar 128/256: err = -128; prod = 10·198·(-128) = -253440
		// and d = floor((prod + (lfsr>>8))/256) = -990 whatever the lfsr;
		// full = 5·256 + 16 = 1296 becomes 306 = 1·256 + 50
		im := fracPair(5, 16, 100, 0, 0x8000)
		c, err := New(im)
		require.NoError(t, err)
		post(t, c)
		require.Equal(t, int8(1), c.Weight(0))
		require.Equal(t, []uint8{50}, c.WFrac())
		require.Equal(t, []uint8{50}, c.Image(im).Burst.WFrac)
		require.Equal(t, []uint8{16}, im.Burst.WFrac, "the loaded image is not touched")
		// delivery adds the weight's floor only
		require.NoError(t, c.Force(0))
		c.Step()
		require.Equal(t, int32(1), c.Acc()[1])
	})
	t.Run("clipped at wmax with every fraction bit set", func(t *testing.T) {
		// burst (LUT 255), pbar 0: err = 255, d = 1972 or 1973; 2·256 + d
		// is above (3 << 8) | 255 = 1023
		c, err := New(fracPair(2, 0, 3, 255, 0))
		require.NoError(t, err)
		post(t, c)
		require.Equal(t, int8(3), c.Weight(0))
		require.Equal(t, []uint8{255}, c.WFrac())
	})
	t.Run("clipped at wmin with no fraction bit set", func(t *testing.T) {
		c, err := New(fracPair(-2, 77, 3, 0, 0xFF00)) // err = -255
		require.NoError(t, err)
		post(t, c)
		require.Equal(t, int8(-3), c.Weight(0))
		require.Equal(t, []uint8{0}, c.WFrac())
		require.Nil(t, c.Image(fracPair(-2, 77, 3, 0, 0xFF00)).Burst.WFrac, "all-zero wfrac is nil in an image")
	})
	t.Run("rule_frac cleared: the plain rule, wfrac kept", func(t *testing.T) {
		im := fracPair(5, 16, 100, 0, 0x8000)
		c, err := New(im)
		require.NoError(t, err)
		require.Equal(t, uint8(1<<1), c.RuleFrac())
		require.NoError(t, c.SetRuleFrac(0))
		require.Equal(t, uint8(0), c.RuleFrac())
		post(t, c)
		// dw = floor((-253440 + lfsr)/65536): -4 or -3
		require.Contains(t, []int8{1, 2}, c.Weight(0))
		require.Equal(t, []uint8{16}, c.WFrac())
	})
	t.Run("host writes", func(t *testing.T) {
		c, err := New(fracPair(5, 16, 100, 0, 0x8000))
		require.NoError(t, err)
		require.NoError(t, c.SetWFrac(0, 200))
		require.ErrorContains(t, c.SetWFrac(1, 0), "wfrac word 1 outside the 1 fan-in words")
		post(t, c) // 5·256 + 200 - 990 = 490 = 1·256 + 234
		require.Equal(t, int8(1), c.Weight(0))
		require.Equal(t, []uint8{234}, c.WFrac())
		// aplus written between steps keeps the fraction bits
		require.NoError(t, c.SetRule(1, core.Rule{APlus: 0, WMin: -100, WMax: 100}))
		post(t, c)
		require.Equal(t, int8(1), c.Weight(0))
		require.Equal(t, []uint8{234}, c.WFrac(), "aplus 0 changes nothing")
		plain, err := New(oneNeuron(core.NeuronParams{Thr: 100, DV: 4096}, core.NeuronState{}))
		require.NoError(t, err)
		require.ErrorContains(t, plain.SetRuleFrac(2), "no burst units")
		require.Nil(t, plain.WFrac())
	})
}
