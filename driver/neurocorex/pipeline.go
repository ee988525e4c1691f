package neurocorex

// pipeline is NeuroCoreX's neuron datapath at the resolution of its 100 kHz
// clock: the registers of Core_engine.vhd's LIF_updater, Spike_FF_updater and
// Core_run_start, LIF_unit.vhd's lif_ctrl with its v and J FIFOs, and the
// 100 MHz accumulations (lateral and feed-forward weight sums) as events
// between edges. Each edge computes every register's next value from the
// current ones, as the VHDL's signal assignments do, so the pipeline's
// offsets, the shared Isyn_out register and the run boundaries come out as
// the design has them (docs/neurocorex.md, "What the VHDL computes"). The
// 100 MHz part of the core (weight sums and STDP) is fast, clocked 1,000
// times between two 100 kHz edges.
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
	enTpre                 bool // en_tpre_update
	// Spike_FF_updater
	sinPrev, sinLatch bool
	// the 100 MHz domain
	f fast
	// process_stdp_flag_read's write_index: the next STDP-enable bit's
	// cell, counting on across 0x60 blocks until a run or readback
	enIdx uint16
	// clock_domain_interface: input spike pulse into the 100 kHz domain
	syncReg, pulse bool
	// LIF_unit lif_ctrl
	state        lifState
	counter0     int
	lVin, lIsyn  int32
	lIin         int32
	lSin         bool
	na           int // NEURON_ADDR
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
	m.f.reset()
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
		nwc, nwcFF = m.f.wP[c+4], m.f.wFFP[c+4]
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
	nEnTpre := !cond
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
			if k == 1 {
				m.na = m.f.r.naLoader
			} else {
				m.na = 0
			}
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
	m.pIsynOut, m.pSpike, m.enTpre = nIsynPort, nSpike, nEnTpre
	m.spL, m.spLPrev = nSpL, nSpLPrev
	m.cur, m.seen = nCur, nSeen
	m.sinLatch, m.sinPrev = nLatch, nSinPrev
	m.pulse = nPulse
	if m.pulse {
		m.syncReg = false // cleared in the 100 MHz domain once the pulse is up
	}
}

func wrap15(x int64) int32 { return int32(uint32(x)<<17) >> 17 }

// slot clocks the 100 MHz domain through the 1,000 edges that follow a
// 100 kHz edge. release >= 0 is the address of a record the sorter releases
// in it (WRITE_EN_INPUT seen at the 8th edge, measured on the VHDL); actFall
// > 0 is the edge from which ACTIVATE_TRIGER reads '0' (the 9th, after the
// last record), act whether it is '1' before.
func (m *pipeline) slot(t *Tables, act bool, release, actFall int) {
	s := slowRegs{spk: m.pSpike, cur: m.cur, enTpre: m.enTpre, sIn: m.lSin, na: m.na, seen: m.seen}
	for i := 1; i <= slotEdges; i++ {
		en := release >= 0 && i == releaseEdge
		if en {
			m.f.r.naLoader = release
		}
		prev := m.f.r
		m.f.edge(t, &s, act && (actFall <= 0 || i < actFall), en, i == 1)
		if i > releaseEdge+1 {
			i += m.f.idle(&prev, slotEdges-i)
		}
	}
	if release >= 0 {
		m.syncReg = true // clock_domain_interface's sync_reg1, read at the next 100 kHz edge
	}
}

const (
	slotEdges   = 1000 // 100 MHz edges per 100 kHz period
	releaseEdge = 8    // the edge after a TRIGER fall at which en_Input reads '1'
)

// run steps the pipeline through a run whose records are released in the
// steps of release (input address by step), the last in step last, and
// hands frame, the output bit of every neuron slot p = 4..93, to done after
// each step 0..last, so a board can send it as the VHDL would, step by step.
func (m *pipeline) run(t *Tables, release map[int]int, last int, done func(frame *[FrameBits]bool)) {
	m.init()
	// the sorter raises ACTIVATE_TRIGER when the first record is written;
	// the sweep generator then counts 96 slots before its first TRIGER
	for range N - 1 {
		m.edge(t, true, false)
		m.slot(t, true, -1, 0)
	}
	m.edge(t, true, true)
	var frame [FrameBits]bool
	for s := 0; s <= last; s++ {
		frame = [FrameBits]bool{}
		act := s < last
		// the record is released early in the slot after the TRIGER edge;
		// the last one empties the input FIFO, so ACTIVATE_TRIGER falls
		// right after it (its feed-forward sums are cleared before they
		// are used, but its spike still reaches S_in and the FF tpre pass)
		rel, fall := -1, 0
		if a, ok := release[s]; ok {
			rel = a
		}
		if !act {
			fall = releaseEdge + 1
		}
		m.slot(t, true, rel, fall)
		for j := range N {
			if m.state == lifRun && m.counter0 >= 5 && m.counter0 <= n0+4 && m.pSpike {
				frame[m.counter0-5] = true
			}
			m.edge(t, act, act && j == N-1)
			if j < N-1 {
				m.slot(t, act, -1, 0)
			}
		}
		done(&frame)
	}
	// the rest of LIF_unit's end-of-run reset, and the idle edges before
	// the next command
	for range 2 * N {
		m.slot(t, false, -1, 0)
		m.edge(t, false, false)
	}
	m.slot(t, false, -1, 0)
}

// resetAASTDP is what an AA weight upload does besides writing the
// weights: tpre_updater's init_weight branch sets every AA tpre counter
// to -1 and apre flag to 0, and all tpost to -1 and apost to 0.
func (m *pipeline) resetAASTDP() {
	m.init()
	for i := range Weights {
		m.f.tpreAA[i], m.f.apreAA[i] = -1, 0
	}
	for i := range N {
		m.f.tpost[i], m.f.apost[i] = -1, false
	}
}

// enableBit stores the next STDP-enable bit as process_stdp_flag_read
// does: cells 0..9,215 of the write index go to the AA bits, the rest to
// the FF bits at index-9,216 (the low 14 bits: the RAM's address pins).
func (m *pipeline) enableBit(t *Tables, v bool) {
	m.init()
	i := int(m.enIdx)
	if i < Weights {
		t.EnableAA[i] = v
	} else if a := (i - Weights) & (ramCells - 1); a < Weights {
		t.EnableFF[a] = v
	} else {
		m.f.enFFSpare[a-Weights] = v
	}
	m.enIdx++
}
