package neurocorex

// pipeline is NeuroCoreX's neuron datapath at the resolution of its 100 kHz
// clock: the registers of Core_engine.vhd's LIF_updater, Spike_FF_updater and
// Core_run_start, LIF_unit.vhd's lif_ctrl with its v and J FIFOs, and the
// 100 MHz accumulations (lateral and feed-forward weight sums) as events
// between edges. Each edge computes every register's next value from the
// current ones, as the VHDL's signal assignments do, so the pipeline's
// offsets, the shared Isyn_out register and the run boundaries come out as
// the design has them (docs/neurocorex.md, "What the VHDL computes"). STDP
// is not modelled.
type pipeline struct {
	// Core_engine LIF_updater
	iin, vin, isynIn, vin2 int32
	sin1, sin2, sin        bool
	si1, si2, si           int32 // Sin_internal stages: spike counts (8-bit)
	wcomb, wcombFF         int32
	isynOut, isynOutFF     int32
	pVout, pIsynOut        int32 // PORT_vout, PORT_Isyn_out
	pSpike                 bool  // PORT_Spike_out
	tref                   [N]int32
	spL, spLPrev           [N]int32
	cur                    int  // current_neuron_index_int
	seen                   bool // trigger_seen: loader_status is stdp_update
	// Spike_FF_updater
	sinPrev, sinLatch bool
	// 100 MHz accumulations
	w, wPrev, wFF, wFFPrev [N]int32
	// clock_domain_interface: input spike pulse into the 100 kHz domain
	syncReg, pulse bool
	// LIF_unit lif_ctrl
	state        lifState
	counter0     int
	lVin, lIsyn  int32
	lIin         int32
	lSin         bool
	rdEn, wrEn   bool
	dinV, dinJ   int32
	fifoV, fifoJ stdFIFO
	started      bool
}

type lifState int

const (
	lifReady lifState = iota
	lifRun
	lifSyncA
	lifSyncB
)

// stdFIFO is a standard-mode FIFO (fifo_generator_1): a read puts the oldest
// word on dout after the edge; dout holds otherwise.
type stdFIFO struct {
	q    []int32
	dout int32
}

func (f *stdFIFO) clock(rd, wr bool, din int32) {
	if rd && len(f.q) > 0 {
		f.dout = f.q[0]
		f.q = f.q[1:]
	}
	if wr && len(f.q) < 1024 {
		f.q = append(f.q, din)
	}
}

const n0 = 90 // neurons with a FIFO entry (LIF_unit's N0)

func (m *pipeline) init() {
	if m.started {
		return
	}
	m.started = true
	// LIF_unit's SET state fills the FIFOs with 90 zeros after configuration
	m.fifoV.q = make([]int32, n0)
	m.fifoJ.q = make([]int32, n0)
	m.state = lifReady
}

func inc8(x int32) int32 { return int32(int8(x + 1)) }

// edge is one rising edge of the 100 kHz clock. act is the sorter's
// ACTIVATE_TRIGER (a run is on), trig the TRIGER pulse that starts a sweep.
func (m *pipeline) edge(t *Tables, act, trig bool) {
	c := m.cur
	amp := int64(t.TrefMax[0] & 0xFF)
	// --- Core_engine LIF_updater, from the current register values
	nIin, nVin, nIsynIn := m.lIin, m.lVin, m.lIsyn
	nsin1, nsin2, nsin := m.sin1, m.sin2, m.sin
	nsi1, nsi2, nsi := m.si1, m.si2, m.si
	nwc, nwcFF := m.wcomb, m.wcombFF
	switch {
	case c <= N-5:
		nsin1, nsin2, nsin = m.sinPrev, m.sin1, m.sin2
		nsi1, nsi2, nsi = m.spLPrev[c+4], m.si1, m.si2
		nwc, nwcFF = m.wPrev[c+4], m.wFFPrev[c+4]
	case c == N-4:
		nsi, nwcFF = m.si2, 0
	default:
		nsi, nwc, nwcFF = 0, 0, 0
	}
	cond := c > 3 && c < N-2 && m.vin2 >= t.VThr[c] && m.tref[c] == 0
	mr2 := q(int64(m.wcomb), 1)
	mr2FF := q(int64(m.wcombFF), amp)
	nIsynOut, nIsynOutFF := m.isynOut, m.isynOutFF
	switch {
	case m.si > 0 && m.sin:
		nIsynOut = wrap18(int64(m.isynIn) + int64(mr2))
		nIsynOutFF = mr2FF
		if cond {
			nIsynOutFF = 0
		}
	case m.si > 0:
		nIsynOut = wrap18(int64(m.isynIn) + int64(mr2))
	case m.sin:
		nIsynOutFF = mr2FF
		if cond {
			nIsynOutFF = 0
		}
	default:
		nIsynOutFF = 0
	}
	nVin2 := wrap18(int64(m.vin) + int64(m.iin))
	nSpike := cond
	var nVout int32
	nSpL, nSpLPrev := m.spL, m.spLPrev
	if cond {
		m.tref[c] = 1
		for i := range N {
			if i != c {
				nSpL[i] = inc8(m.spL[i])
			}
		}
	} else {
		switch r := m.tref[c]; {
		case r >= 1 && r < t.TrefMax[c]:
			m.tref[c]++
		case r >= t.TrefMax[c]:
			m.tref[c] = 0
		}
		if act {
			nVout = wrap18(int64(m.vin2) - int64(t.TauMem[LeakWord]) + int64(m.isynOut) + int64(m.isynOutFF))
		}
	}
	if c == N-1 {
		nSpLPrev, nSpL = m.spL, [N]int32{}
	}
	var nIsynPort int32
	if act {
		nIsynPort = m.isynOut
	}
	nCur := 0
	if act && !trig && m.seen {
		nCur = c + 1
	}
	// --- Spike_FF_updater
	nLatch, nSinPrev := m.sinLatch, m.sinPrev
	if m.lSin && act {
		nLatch = true
	}
	if c == N-1 {
		nSinPrev, nLatch = m.sinLatch, false
	}
	// --- Core_run_start
	nSeen := m.seen
	if trig && !m.seen {
		nSeen = true
	} else if !act && m.seen {
		nSeen = false
	}
	// --- clock_domain_interface
	nPulse := m.syncReg
	// --- LIF_unit lif_ctrl and its FIFOs (which see last edge's enables)
	doutV, doutJ := m.fifoV.dout, m.fifoJ.dout
	m.fifoV.clock(m.rdEn, m.wrEn, m.dinV)
	m.fifoJ.clock(m.rdEn, m.wrEn, m.dinJ)
	k := m.counter0
	switch m.state {
	case lifSyncA:
		m.lVin, m.lIsyn, m.wrEn = 0, 0, false
		m.state = lifSyncB
	case lifSyncB:
		if k < n0 {
			m.counter0++
			m.rdEn, m.wrEn, m.dinV, m.dinJ = true, true, 0, 0
		} else {
			m.counter0, m.rdEn, m.wrEn, m.dinV = 0, false, false, 0
			m.state = lifReady
		}
	case lifReady:
		if trig {
			m.rdEn = true
			m.state = lifRun
		} else {
			m.counter0, m.wrEn, m.rdEn = 0, false, false
		}
	case lifRun:
		if k < n0+5 {
			m.counter0++
			m.lSin = k == 1 && m.pulse
			if k == int(t.NDebug) {
				m.lIin = t.IBias
			} else {
				m.lIin = 0
			}
			m.rdEn = k < n0-1
			if k < n0+1 && k > 0 {
				m.lVin, m.lIsyn = doutV, doutJ
			}
			if !act && k == n0+4 {
				m.counter0 = 0
				m.state = lifSyncA
			} else if k >= 5 {
				m.wrEn, m.dinV, m.dinJ = true, m.pVout, m.pIsynOut
			} else {
				m.wrEn, m.dinV, m.dinJ = false, 0, 0
			}
		} else {
			m.counter0, m.wrEn, m.rdEn = 0, false, true
		}
	}
	// --- commit the core's registers
	m.iin, m.vin, m.isynIn, m.vin2 = nIin, nVin, nIsynIn, nVin2
	m.sin1, m.sin2, m.sin = nsin1, nsin2, nsin
	m.si1, m.si2, m.si = nsi1, nsi2, nsi
	m.wcomb, m.wcombFF = nwc, nwcFF
	m.isynOut, m.isynOutFF = nIsynOut, nIsynOutFF
	if !cond {
		m.pVout = nVout
	} else {
		m.pVout = 0 // vreset
	}
	m.pIsynOut, m.pSpike = nIsynPort, nSpike
	m.spL, m.spLPrev = nSpL, nSpLPrev
	m.cur, m.seen = nCur, nSeen
	m.sinLatch, m.sinPrev = nLatch, nSinPrev
	m.pulse = nPulse
	if m.pulse {
		m.syncReg = false // cleared in the 100 MHz domain once the pulse is up
	}
	// --- 100 MHz events in the slot after the edge
	if m.seen && m.pSpike && m.cur > 4 && m.cur < N-1 {
		for r := range N {
			if r != m.cur {
				m.w[r] = wrap15(int64(m.w[r]) + int64(t.AA[r][m.cur]))
			}
		}
	}
	if m.seen && m.cur == N-1 {
		m.wPrev, m.w = m.w, [N]int32{}
		m.wFFPrev, m.wFF = m.wFF, [N]int32{}
	}
}

func wrap15(x int64) int32 { return int32(uint32(x)<<17) >> 17 }

// run steps the pipeline through a run whose records are released in the
// steps of release (input address by step), the last in step last, and
// returns the output bit of every neuron slot p = 4..93 per step 0..last.
func (m *pipeline) run(t *Tables, release map[int]int, last int) [][FrameBits]bool {
	m.init()
	// the sorter raises ACTIVATE_TRIGER when the first record is written;
	// the sweep generator then counts 96 slots before its first TRIGER
	for range N - 1 {
		m.edge(t, true, false)
	}
	m.edge(t, true, true)
	frames := make([][FrameBits]bool, last+1)
	for s := 0; s <= last; s++ {
		act := s < last
		if a, ok := release[s]; ok && act {
			// released right after the TRIGER edge: the FF column is summed
			// at 100 MHz and the spike pulse crosses into the 100 kHz domain
			for r := range N {
				if a >= 0 && a < N {
					m.wFF[r] = wrap15(int64(m.wFF[r]) + int64(t.FF[r][a]))
				}
			}
			m.syncReg = true
		}
		if !act {
			// the last record empties the input FIFO: ACTIVATE_TRIGER
			// falls and the feed-forward sums are cleared
			m.wFF, m.wFFPrev = [N]int32{}, [N]int32{}
		}
		for j := range N {
			if m.state == lifRun && m.counter0 >= 5 && m.counter0 <= n0+4 && m.pSpike {
				frames[s][m.counter0-5] = true
			}
			m.edge(t, act, act && j == N-1)
		}
	}
	// the rest of LIF_unit's end-of-run reset, and the idle edges before
	// the next command
	for range 2 * N {
		m.edge(t, false, false)
	}
	return frames
}
