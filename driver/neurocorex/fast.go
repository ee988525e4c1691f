package neurocorex

// fast is the part of Core_engine.vhd clocked at 100 MHz, one rising edge
// at a time: the feed-forward and lateral weight sums, the
// four STDP processes (the tpre/apre bookkeeping of both matrices, the
// per-neuron tpost/apost, and the AA and FF weight update passes), the
// FF skip-flag tracker and the synapse RAMs with their registered read
// ports. Between two 100 kHz edges there are 1,000 of these edges; the
// 100 kHz registers they read (Spike_out, current_neuron_index,
// en_tpre_update, S_in, NEURON_ADDR, trigger_seen) are constant in between.
//
// Each edge computes every register's next value from the current ones and
// commits them together, as the VHDL's signal assignments do; where a
// process assigns a register twice in one edge, the later assignment wins,
// as in VHDL. RAM reads return the cell's value from before a write in the
// same edge. What the passes compute (and which cells they address) is
// docs/neurocorex.md, section "STDP as the VHDL computes it".
type fast struct {
	r fregs
	// spare cells 9,216..16,383 of the block RAMs (cells below are Tables)
	ffSpare, aaSpare     [ramCells - Weights]int8
	enAASpare, enFFSpare [ramCells - Weights]bool
	tpreAA, tpreFF       [ramCells]int8
	apreAA, apreFF       [ramCells]int8 // 2-bit signed: 1 is "01"
	tpost                [N]int8        // tpost_dummy
	apost                [N]bool        // apost_dummy
	wFF, wFFP            [N]int32       // weight_FF, weight_FF_prev
	w, wP                [N]int32       // weight, weight_prev

	// Hazard names the first edge at which GHDL would stop the simulation
	// (a negative RAM address passed to to_unsigned); the model goes on
	// as the FPGA does, with the address's low bits.
	Hazard string
}

// fregs are fast's scalar registers, copied whole every edge.
type fregs struct {
	// registered RAM outputs
	bramData, ffReadData, latBramData, latReadData int8
	tpreRD, apreRD, tpreRDFF, apreRDFF             int8
	enRDAA, enRDFF                                 bool

	naLoader int // NA_weight_loader: the address of the last released record

	// accumulation_process (feed-forward sums)
	accIdx   int
	accDone  bool
	bramAddr int

	// lat_accumulation_process (lateral sums) and its retrigger counter
	spkPrev     bool // port_spike_out_prev
	msc         int  // multiple_spike_counter
	flagMSC     bool
	flagTrig    bool // flag_trig_counter
	latAccIdx   int
	latAccDone  bool
	latBramAddr int

	// AA_weight_loader, stdp_update branch
	luIdx                  int
	luDone, luActive       bool
	toggle                 bool
	latReadAddr, apreRAddr int
	enRAddrAA              int
	aaWe                   bool
	aaWAddr                int
	aaWData                int8

	// FF_weight_loader, stdp_update branch
	fuIdx                      int
	fuDone, fuActive, toggleFF bool
	ffReadAddr, apreRAddrFF    int
	enRAddrFF                  int
	apostRDFF                  bool
	ffWe                       bool
	ffWAddr                    int
	ffWData                    int8

	// tpre_skip_flag_FF_tracker
	skipCnt        int
	skip, skipOnce bool

	// tpre_updater_FF
	sinPrev                   bool // port_spike_in_prev
	mscFF                     int
	flagMSCFF, flagTrigFF     bool
	enPrevFF, flagTrigNoFF    bool
	mnscFF                    int
	flagMNSCFF                bool
	tuIdxFF                   int
	uActFF, uDoneFF, missedFF bool
	tpreRAddrFF, tpreWAddrFF  int
	tpreWDataFF, apreWDataFF  int8
	tpreWeFF, apreWeFF        bool

	// tpre_updater (AA)
	enPrev, flagTrigNo bool
	mnsc               int
	flagMNSC           bool
	tuIdx              int
	uAct, uDone        bool
	missed             bool
	tpreRAddr          int
	tpreWAddr          int
	tpreWData          int8
	apreWData          int8
	tpreWe             bool
}

const (
	ramCells  = 16384 // cells a 14-bit block RAM address reaches
	counterTo = 1000  // multiple_spike_counter_max and its siblings
	lastIdx   = N - 1 // N1 in Core_engine.vhd
)

// slowRegs are the 100 kHz registers the 100 MHz processes read.
type slowRegs struct {
	spk    bool // Spike_out
	cur    int  // current_neuron_index_int
	enTpre bool // en_tpre_update
	sIn    bool // S_in (PORT_Spike_in)
	na     int  // NEURON_ADDR (PORT_Neuron_Addr)
	seen   bool // trigger_seen = start_flag; loader_status is stdp_update
}

// reset sets the power-on values: tpre −1 in the cells the design
// declares (its RAMs' initial value; spare cells are zero), tpost −1, the
// passes done.
func (f *fast) reset() {
	for i := range Weights {
		f.tpreAA[i], f.tpreFF[i] = -1, -1
	}
	for i := range f.tpost {
		f.tpost[i] = -1
	}
	r := &f.r
	r.accDone, r.latAccDone, r.luDone, r.fuDone, r.uDoneFF, r.uDone = true, true, true, true, true, true
}

// cell maps an address as a 16-bit to_unsigned and the RAM's 14 address
// pins do; a negative one is what GHDL refuses.
func (f *fast) cell(a int, what string) int {
	if a < 0 && f.Hazard == "" {
		f.Hazard = "negative " + what + " address"
	}
	return a & (ramCells - 1)
}

func ramRead(t *[N][N]int8, spare *[ramCells - Weights]int8, a int) int8 {
	if a < Weights {
		return t[a/N][a%N]
	}
	return spare[a-Weights]
}

func ramWrite(t *[N][N]int8, spare *[ramCells - Weights]int8, a int, v int8) {
	if a < Weights {
		t[a/N][a%N] = v
	} else {
		spare[a-Weights] = v
	}
}

func enRead(t *[Weights]bool, spare *[ramCells - Weights]bool, a int) bool {
	if a < Weights {
		return t[a]
	}
	return spare[a-Weights]
}

func add15(a int32, b int8) int32 { return wrap15(int64(a) + int64(b)) }

// edge is one 100 MHz edge. act is the sorter's ACTIVATE_TRIGER, enInput
// the record-release pulse (its address already in naLoader), rising the
// edge right after a 100 kHz rising edge (clk = '1', clk_delayed = '0').
func (f *fast) edge(t *Tables, s *slowRegs, act, enInput, rising bool) {
	r := &f.r
	nv := *r // next values of the scalar registers
	n := &nv
	stdp := s.seen
	cur := s.cur
	dplus, dminus := int8(t.STDP[2]), int8(t.STDP[2]>>8)
	tpreFFMax, tpreAAMax, tpostAAMax := int8(t.STDP[0]), int8(t.STDP[1]), int8(t.STDP[1]>>8)
	spkTrig := (!r.spkPrev && s.spk) || (r.flagMSC && s.spk)

	// --- RAM ports (values from before this edge's writes)
	n.bramData = ramRead(&t.FF, &f.ffSpare, r.bramAddr)
	n.ffReadData = ramRead(&t.FF, &f.ffSpare, r.ffReadAddr)
	n.latBramData = ramRead(&t.AA, &f.aaSpare, r.latBramAddr)
	n.latReadData = ramRead(&t.AA, &f.aaSpare, r.latReadAddr)
	n.tpreRD, n.apreRD = f.tpreAA[r.tpreRAddr], f.apreAA[r.apreRAddr]
	n.tpreRDFF, n.apreRDFF = f.tpreFF[r.tpreRAddrFF], f.apreFF[r.apreRAddrFF]
	n.enRDAA = enRead(&t.EnableAA, &f.enAASpare, r.enRAddrAA)
	n.enRDFF = enRead(&t.EnableFF, &f.enFFSpare, r.enRAddrFF)

	if stdp {
		// --- accumulation_process
		accW, accV := -1, int32(0)
		if enInput {
			n.accIdx, n.accDone = 0, false
			n.bramAddr = f.cell(r.naLoader, "FF sum")
		} else if !r.accDone {
			if r.accIdx > 0 {
				accW, accV = r.accIdx-1, add15(f.wFF[r.accIdx-1], r.bramData)
			}
			switch {
			case r.accIdx < lastIdx:
				n.accIdx = r.accIdx + 1
				n.bramAddr = f.cell((r.accIdx+1)*N+r.naLoader, "FF sum")
			case r.accIdx == lastIdx:
				n.bramAddr = f.cell(r.accIdx*N+r.naLoader, "FF sum")
				n.accIdx = r.accIdx + 1
			default:
				n.accIdx, n.accDone = 0, true
			}
		}
		switch {
		case cur == lastIdx && rising:
			f.wFFP, f.wFF = f.wFF, [N]int32{}
		case !act:
			f.wFFP, f.wFF = [N]int32{}, [N]int32{}
		default:
			if accW >= 0 {
				f.wFF[accW] = accV
			}
		}

		// --- lat_accumulation_process
		n.spkPrev = s.spk
		n.msc, n.flagMSC = retrigger(r.msc, r.flagTrig)
		latW, latV := -1, int32(0)
		if spkTrig {
			n.latAccIdx, n.latAccDone, n.flagTrig = 0, false, true
			n.latBramAddr = f.cell(r.latAccIdx*N+cur, "lateral sum")
		} else if !r.latAccDone {
			if row := r.latAccIdx - 1; r.latAccIdx > 0 && row != cur && cur > 4 && cur < lastIdx {
				latW, latV = row, add15(f.w[row], r.latBramData)
			}
			switch {
			case r.latAccIdx < lastIdx:
				n.latAccIdx = r.latAccIdx + 1
				n.latBramAddr = f.cell((r.latAccIdx+1)*N+cur, "lateral sum")
			case r.latAccIdx == lastIdx:
				n.latBramAddr = f.cell(r.latAccIdx*N+cur, "lateral sum")
				n.latAccIdx = r.latAccIdx + 1
			default:
				n.latAccIdx, n.latAccDone = 0, true
			}
		} else {
			n.flagTrig = false
		}
		if cur == lastIdx && rising {
			f.wP, f.w = f.w, [N]int32{}
		} else if latW >= 0 {
			f.w[latW] = latV
		}

		f.aaUpdate(n, s, spkTrig, dplus, dminus)
		f.ffUpdate(n, s, spkTrig, dplus, dminus)
	}

	// --- tpre_skip_flag_FF_tracker (runs whatever the loader status)
	switch {
	case r.skipCnt == counterTo:
		n.skip, n.skipOnce, n.skipCnt = false, true, (r.skipCnt+1)&0x3FF
	case r.flagTrigFF:
		n.skipCnt, n.skip, n.skipOnce = 0, false, false
	case cur == r.naLoader && !r.skipOnce && s.seen:
		n.skipCnt, n.skip = (r.skipCnt+1)&0x3FF, true
	default:
		n.skip = false
	}

	f.tpreFFUpdate(n, s, tpreFFMax)
	tp := tpostWrite{idx: -1}
	if stdp {
		tp = f.tpreAAUpdate(n, s, spkTrig, tpreAAMax, tpostAAMax)
	}

	// --- RAM writes, from the registers as they were before this edge
	if r.aaWe {
		ramWrite(&t.AA, &f.aaSpare, r.aaWAddr, r.aaWData)
	}
	if r.ffWe {
		ramWrite(&t.FF, &f.ffSpare, r.ffWAddr, r.ffWData)
	}
	if r.tpreWe {
		f.tpreAA[r.tpreWAddr], f.apreAA[r.tpreWAddr] = r.tpreWData, r.apreWData
	}
	if r.tpreWeFF {
		f.tpreFF[r.tpreWAddrFF] = r.tpreWDataFF
	}
	if r.apreWeFF {
		f.apreFF[r.tpreWAddrFF] = r.apreWDataFF
	}
	if tp.idx >= 0 {
		f.tpost[tp.idx] = tp.tpost
		if tp.setApost {
			f.apost[tp.idx] = tp.apost
		}
	}
	f.r = nv
}

// tpostWrite is tpre_updater's pending write of one neuron's tpost and
// apost (idx -1: none).
type tpostWrite struct {
	idx      int
	tpost    int8
	setApost bool
	apost    bool
}

// aaUpdate is AA_weight_loader's stdp_update branch: on a spike, a pass
// over the spiking neuron's AA row that adds dplus to the synapses whose
// apre flag is set (toggle 0), then, if the neuron still spikes when the
// pass ends, a pass over its column that subtracts dminus where the other
// neuron's apost is set (toggle 1).
func (f *fast) aaUpdate(n *fregs, s *slowRegs, spkTrig bool, dplus, dminus int8) {
	r := &f.r
	cur := s.cur
	if spkTrig && r.luDone {
		n.luIdx, n.luDone, n.luActive, n.toggle = 0, false, true, false
	} else if r.toggle && !r.luActive {
		n.luIdx, n.luActive, n.luDone = 0, true, false
	}
	if !r.luActive {
		n.aaWe = false
		return
	}
	k := r.luIdx
	switch {
	case !r.toggle && k < lastIdx:
		n.latReadAddr = f.cell((cur+1)*N+k, "AA STDP read")
		n.apreRAddr = f.cell(k*N+cur, "AA apre read")
		n.enRAddrAA = f.cell((cur+1)*N+k, "AA enable read")
	case r.toggle && k <= lastIdx:
		n.latReadAddr = f.cell((k+1)*N+cur, "AA STDP read")
		n.apreRAddr = f.cell(cur*N+k, "AA apre read")
		n.enRAddrAA = f.cell((k+1)*N+cur, "AA enable read")
	default:
		n.latReadAddr, n.apreRAddr, n.enRAddrAA = 0, 0, 0
	}
	if k > 0 {
		switch {
		case r.apreRD == 1 && !r.toggle && r.enRDAA:
			n.aaWData = r.latReadData + dplus // 8-bit: the > 127 clamp never fires
			n.aaWe = true
			n.aaWAddr = f.cell((cur+1)*N+k-2, "AA potentiation")
		case r.toggle && k > 1 && r.enRDAA:
			if f.apost[k-2] && k-2 != cur {
				n.aaWData = floorM1(r.latReadData - dminus)
				n.aaWe = true
				n.aaWAddr = f.cell((k-1)*N+cur, "AA depression")
			} else {
				n.aaWe = false
			}
		default:
			n.aaWe = false
		}
		switch {
		case k <= lastIdx:
			n.luIdx = k + 1
		case s.spk && !r.toggle:
			n.toggle, n.luActive, n.luDone = true, false, true
		default:
			n.luActive, n.luDone, n.toggle = false, true, false
		}
	} else {
		n.luIdx = k + 1
	}
}

// retrigger is one of the design's 11-bit retrigger counters: it counts
// up while its trigger flag is set or it is running, and when it reaches
// 1,000 it restarts from 0 and raises its flag for one edge.
func retrigger(c int, trig bool) (next int, flag bool) {
	switch {
	case c == counterTo:
		return 0, true
	case trig || c > 0:
		return (c + 1) & 0x7FF, false
	}
	return c, false
}

// floorM1 is the depression's clamp: the 8-bit difference (already
// wrapped) is raised to -1 when below it.
func floorM1(v int8) int8 {
	if v < -1 {
		return -1
	}
	return v
}

// ffUpdate is FF_weight_loader's stdp_update branch: an input spike starts
// the depression pass (toggle 1), a neuron spike the potentiation pass
// (toggle 0), whichever comes last in the edge.
func (f *fast) ffUpdate(n *fregs, s *slowRegs, spkTrig bool, dplus, dminus int8) {
	r := &f.r
	cur := s.cur
	if !r.sinPrev && s.sIn && r.fuDone {
		n.fuIdx, n.fuDone, n.fuActive, n.toggleFF = 0, false, true, true
	}
	if spkTrig && r.fuDone {
		n.fuIdx, n.fuDone, n.fuActive, n.toggleFF = 0, false, true, false
	}
	if !r.fuActive {
		n.ffWe = false
		return
	}
	k := r.fuIdx
	switch {
	case !r.toggleFF && k < lastIdx:
		n.ffReadAddr = f.cell(k*N+cur, "FF STDP read")
		n.apreRAddrFF = f.cell(k*N+cur, "FF apre read")
		n.apostRDFF = false
		n.enRAddrFF = f.cell(k*N+cur, "FF enable read")
	case r.toggleFF && k <= lastIdx && k > 0:
		n.ffReadAddr = f.cell(s.na*N+k, "FF STDP read")
		n.apreRAddrFF = 0
		n.apostRDFF = f.apost[k-1]
		n.enRAddrFF = f.cell(s.na*N+k, "FF enable read")
	default:
		n.ffReadAddr, n.apreRAddrFF, n.enRAddrFF = 0, 0, 0
	}
	if k > 0 {
		switch {
		case r.apreRDFF == 1 && !r.toggleFF && r.enRDFF:
			n.ffWData = r.ffReadData + dplus
			n.ffWe = true
			n.ffWAddr = f.cell((k-2)*N+cur, "FF potentiation")
		case r.toggleFF && r.apostRDFF && r.enRDFF:
			n.ffWData = floorM1(r.ffReadData - dminus)
			n.ffWe = true
			n.ffWAddr = f.cell((cur+1)*N+k-2, "FF depression")
		default:
			n.ffWe = false
		}
		if k <= lastIdx {
			n.fuIdx = k + 1
		} else {
			n.fuActive, n.fuDone = false, true
		}
	} else {
		n.fuIdx = k + 1
	}
}

// tpreFFUpdate is tpre_updater_FF, which runs whatever the loader status:
// an input spike zeroes the tpre counters of the input's row and sets their
// apre flags, the other passes count them up to tpre_FF_max and then clear
// them.
func (f *fast) tpreFFUpdate(n *fregs, s *slowRegs, tpreMax int8) {
	r := &f.r
	n.sinPrev = s.sIn
	n.mscFF, n.flagMSCFF = retrigger(r.mscFF, r.flagTrigFF)
	en := !s.sIn // en_tpre_update_FF
	switch {
	case ((!r.enPrevFF && en) || (r.flagMNSCFF && en)) && s.seen:
		n.flagTrigNoFF, n.tuIdxFF, n.uActFF, n.uDoneFF = true, 0, true, false
	case (!r.sinPrev && s.sIn) || (r.flagMSCFF && s.sIn):
		n.tuIdxFF, n.uActFF, n.uDoneFF, n.flagTrigFF = 0, true, false, true
	case r.missedFF && !r.uActFF:
		n.tuIdxFF, n.uActFF, n.uDoneFF = 0, true, false
	default:
		n.flagTrigNoFF, n.flagTrigFF = false, false
	}
	n.enPrevFF = en
	n.mnscFF, n.flagMNSCFF = retrigger(r.mnscFF, r.flagTrigNoFF)
	if !r.uActFF {
		n.tpreWeFF, n.apreWeFF = false, false
		return
	}
	k := r.tuIdxFF
	switch {
	case s.sIn && k <= lastIdx && r.missedFF:
		n.tpreRAddrFF = f.cell(k*N+s.na, "FF tpre read")
	case s.sIn && k <= lastIdx:
		n.tpreRAddrFF = f.cell(s.na*N+k, "FF tpre read")
	case en && k <= lastIdx:
		n.tpreRAddrFF = f.cell(k*N+s.cur, "FF tpre read")
	case k == N:
		n.tpreRAddrFF = 0
	}
	rd := r.tpreRDFF
	switch {
	case k > 0 && s.sIn && !r.missedFF:
		n.tpreWDataFF, n.apreWDataFF = 0, 1
		n.tpreWAddrFF = r.tpreRAddrFF
		n.tpreWeFF, n.apreWeFF = true, true
	case k > 1:
		switch {
		case rd >= 0 && r.missedFF && k-2 != s.na:
			n.tpreWDataFF = rd + 1
			n.tpreWeFF, n.apreWeFF = true, false
			n.tpreWAddrFF = f.cell((k-2)*N+s.na, "FF tpre write")
		case rd >= 0 && rd < tpreMax && !r.missedFF && !r.skip:
			n.tpreWDataFF = rd + 1
			n.tpreWeFF, n.apreWeFF = true, false
			n.tpreWAddrFF = f.cell((k-2)*N+s.cur, "FF tpre write")
		case rd >= 0 && rd >= tpreMax:
			n.tpreWDataFF, n.apreWDataFF = -1, 0
			n.tpreWeFF, n.apreWeFF = true, true
			n.tpreWAddrFF = f.cell((k-2)*N+s.cur, "FF tpre write")
		default:
			n.tpreWeFF, n.apreWeFF = false, false
		}
	}
	switch {
	case k <= lastIdx:
		n.tuIdxFF = k + 1
	case s.sIn && !r.missedFF:
		n.missedFF, n.uActFF, n.uDoneFF = true, false, true
	default:
		n.uActFF, n.uDoneFF, n.missedFF = false, true, false
	}
}

// tpreAAUpdate is tpre_updater's stdp_update branch: the per-neuron tpost
// and apost, and the tpre/apre pass over the spiking neuron's row (zero
// and set) or a column (count up to tpre_AA_max, then clear).
func (f *fast) tpreAAUpdate(n *fregs, s *slowRegs, spkTrig bool, tpreMax, tpostMax int8) tpostWrite {
	r := &f.r
	cur := s.cur
	w := tpostWrite{idx: -1}
	switch {
	case ((!r.enPrev && s.enTpre) || (r.flagMNSC && s.enTpre)) && s.seen:
		n.flagTrigNo, n.tuIdx, n.uAct, n.uDone = true, 0, true, false
		switch tp := f.tpost[cur]; {
		case tp >= 0 && tp < tpostMax:
			w = tpostWrite{idx: cur, tpost: tp + 1}
		case tp >= 0:
			w = tpostWrite{idx: cur, tpost: -1, setApost: true, apost: false}
		}
	case spkTrig:
		n.tuIdx, n.uAct, n.uDone = 0, true, false
		w = tpostWrite{idx: cur, tpost: 0, setApost: true, apost: true}
	case r.missed && !r.uAct:
		n.tuIdx, n.uAct, n.uDone = 0, true, false
	default:
		n.flagTrigNo = false
	}
	n.enPrev = s.enTpre
	n.mnsc, n.flagMNSC = retrigger(r.mnsc, r.flagTrigNo)
	if !r.uAct {
		n.tpreWe = false
		return w
	}
	k := r.tuIdx
	switch {
	case s.spk && k <= lastIdx && r.missed:
		n.tpreRAddr = f.cell(k*N+cur, "AA tpre read")
	case s.spk && k <= lastIdx:
		n.tpreRAddr = f.cell(cur*N+k, "AA tpre read")
	case s.enTpre && k <= lastIdx:
		n.tpreRAddr = f.cell(k*N+cur, "AA tpre read")
	case k == N:
		n.tpreRAddr = 0
	}
	rd := r.tpreRD
	switch {
	case k > 0 && s.spk && !r.missed:
		n.tpreWData, n.apreWData = 0, 1
		n.tpreWAddr = r.tpreRAddr
		n.tpreWe = true
	case k > 1:
		switch {
		case rd >= 0 && r.missed && k-2 != cur:
			n.tpreWData, n.apreWData = rd+1, 1
			n.tpreWe = true
			n.tpreWAddr = f.cell((k-2)*N+cur, "AA tpre write")
		case rd >= 0 && rd < tpreMax && !r.missed:
			n.tpreWData, n.apreWData = rd+1, 1
			n.tpreWe = true
			n.tpreWAddr = f.cell((k-2)*N+cur, "AA tpre write")
		case rd >= 0 && rd >= tpreMax:
			n.tpreWData, n.apreWData = -1, 0
			n.tpreWe = true
			n.tpreWAddr = f.cell((k-2)*N+cur, "AA tpre write")
		default:
			n.tpreWe = false
		}
	}
	switch {
	case k <= lastIdx:
		n.tuIdx = k + 1
	case s.spk && !r.missed:
		n.missed, n.uAct, n.uDone = true, false, true
	default:
		n.uAct, n.uDone, n.missed = false, true, false
	}
	return w
}

// idle fast-forwards through edges that would change nothing but the
// retrigger counters: when the last edge (from prev to f.r) wrote no RAM
// and changed no register except counters counting up by one, every
// following edge in the same 100 kHz period does the same until a counter
// reaches 1,000. It advances the counters by as many edges (at most max)
// and returns how many it skipped. prev is the caller's scratch copy: idle
// overwrites its counters with f.r's, so that one comparison of the whole
// structs checks every other register without copying either.
func (f *fast) idle(prev *fregs, max int) int {
	r := &f.r
	if prev.aaWe || prev.ffWe || prev.tpreWe || prev.tpreWeFF || prev.apreWeFF ||
		r.aaWe || r.ffWe || r.tpreWe || r.tpreWeFF || r.apreWeFF {
		return 0
	}
	ctr := func(x *fregs) [5]*int { return [5]*int{&x.msc, &x.mscFF, &x.mnsc, &x.mnscFF, &x.skipCnt} }
	ca, cb := ctr(prev), ctr(r)
	k := max
	var inc [5]bool
	for j := range ca {
		switch *cb[j] - *ca[j] {
		case 0:
		case 1:
			inc[j] = true
			k = min(k, counterTo-*cb[j])
		default:
			return 0
		}
		*ca[j] = *cb[j]
	}
	if *prev != *r || k <= 0 {
		return 0
	}
	for j, p := range cb {
		if inc[j] {
			*p += k
		}
	}
	return k
}
