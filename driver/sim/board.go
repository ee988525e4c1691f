package sim

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/emulator"
)

// Config describes a simulated board. Only Profile is required.
type Config struct {
	Profile     core.Profile
	CoreVersion uint16 // reported version; default core.CoreVersion
	MaxPayload  int    // default driver.MaxPayload
	Window      int    // default 8
	InputCap    int    // queued input events; default max(4096, 2*neurons)
	Name        string // default "ncx-sim"
	// Protocol is the protocol version the board speaks and reports:
	// core.ProtocolVersion by default; 2 leaves out READ_SUM and CRC-32C
	// frames, as a board built before version 3 would.
	Protocol int
	// StepDelay is slept after every step, to model a slow core.
	StepDelay time.Duration
	// OutLogSteps bounds the output log READ_OUT reads to the last
	// OutLogSteps steps, as a board's memory does; 0 keeps every step, so
	// a test's lost records can always be fetched.
	OutLogSteps int
}

// Board is a simulated ncx-core board.
type Board struct {
	cfg  Config
	prof core.Profile

	mu    sync.Mutex
	mem   [core.NumHostSels][]core.Word // memories by host_sel, grown on demand; missing words are zero
	numN  int
	kind  uint8  // rule_kind register (burst profiles)
	lfsr  uint16 // lfsr register (burst profiles)
	rfrac uint8  // rule_frac register (burst profiles)
	emu   *emulator.Core
	dirty bool // memories changed since emu was built
	muted bool

	// link state
	synced  bool
	expect  uint8
	nakSent bool
	replies [256][]byte // last ACK/NAK frame sent for each seq, for duplicates
	evSeq   uint8
	wide    bool // answer in CRC-32C frames: the last frame received was one

	// run state
	running  bool
	stopReq  bool
	runSteps int
	stepIdx  int
	through  uint32
	queue    map[uint32][]uint32
	queued   int
	outLog   []driver.StepRecord
	outBuf   []byte
	outMax   int // largest OUT payload: MaxPayload, or less if RUN asked
	runCyc   uint64
	st       driver.Status
	port     driver.Port
	writeErr error
}

// NewBoard returns a board with cleared memories and num_neurons 1.
func NewBoard(cfg Config) (*Board, error) {
	if err := cfg.Profile.Validate(); err != nil {
		return nil, fmt.Errorf("sim: %w", err)
	}
	if cfg.CoreVersion == 0 {
		cfg.CoreVersion = core.CoreVersion
	}
	if cfg.MaxPayload <= 0 || cfg.MaxPayload > driver.MaxPayload {
		cfg.MaxPayload = driver.MaxPayload
	}
	if cfg.Window <= 0 {
		cfg.Window = 8
	}
	if cfg.InputCap <= 0 {
		cfg.InputCap = max(4096, 2*cfg.Profile.Neurons())
	}
	if cfg.Name == "" {
		cfg.Name = "ncx-sim"
	}
	if cfg.Protocol == 0 {
		cfg.Protocol = core.ProtocolVersion
	}
	if cfg.Protocol < 2 || cfg.Protocol > core.ProtocolVersion {
		return nil, fmt.Errorf("sim: protocol %d outside 2..%d", cfg.Protocol, core.ProtocolVersion)
	}
	b := &Board{cfg: cfg, prof: cfg.Profile}
	b.reset()
	return b, nil
}

func (b *Board) reset() {
	b.mem = [core.NumHostSels][]core.Word{}
	b.numN = 1
	b.kind, b.lfsr, b.rfrac = 0, 0, 0
	b.emu = nil
	b.dirty = true
	b.running, b.stopReq = false, false
	b.queue = map[uint32][]uint32{}
	b.queued = 0
	b.outLog, b.outBuf = nil, nil
	b.st = driver.Status{}
}

// Load puts an image into the memories directly, as a flash would.
func (b *Board) Load(im *core.Image) error {
	p := im.Profile
	if p.NB != b.prof.NB || p.SB != b.prof.SB || p.RB != b.prof.RB || p.VW != b.prof.VW {
		return fmt.Errorf("sim: image for profile %s does not fit a %s board", p.Name, b.prof.Name)
	}
	if err := im.Validate(); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	if im.Burst != nil && !b.prof.Burst {
		return fmt.Errorf("sim: image uses burst units, which a %s board does not have", b.prof.Name)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, blk := range driver.ImageMemories(im) {
		b.setWords(blk.Sel, 0, blk.Words)
	}
	b.dirty = true
	return nil
}

// Mute makes the board ignore everything it receives and send nothing, as
// a board that hangs.
func (b *Board) Mute(on bool) {
	b.mu.Lock()
	b.muted = on
	b.mu.Unlock()
}

// Memory returns a copy of the first count words of memory sel.
func (b *Board) Memory(sel, count int) []core.Word {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]core.Word, count)
	for k := range out {
		out[k] = b.word(sel, k)
	}
	return out
}

// setWords stores words at addr of memory or register sel (unchecked).
func (b *Board) setWords(sel, addr int, ws []core.Word) {
	switch sel {
	case core.HostSelNumNeurons:
		b.numN = int(ws[0][0])
	case core.HostSelKind:
		b.kind = uint8(ws[0][0])
	case core.HostSelLFSR:
		b.lfsr = uint16(ws[0][0])
	case core.HostSelRuleFrac:
		b.rfrac = uint8(ws[0][0])
	default:
		m := &b.mem[sel]
		if need := addr + len(ws); need > len(*m) {
			*m = append(*m, make([]core.Word, need-len(*m))...)
		}
		copy((*m)[addr:], ws)
	}
}

// Status returns the board's counters.
func (b *Board) Status() driver.Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status()
}

func (b *Board) status() driver.Status {
	s := b.st
	s.Running = b.running
	s.Queued = uint32(b.queued)
	s.Through = b.through
	s.StepsRun = uint32(b.stepIdx)
	return s
}

type item struct {
	f   driver.Frame
	bad bool
}

// Serve speaks the protocol on p until p fails or is closed. It returns
// nil when the port was closed (io.EOF, closed pipe), else the error.
func (b *Board) Serve(p driver.Port) error {
	if err := p.SetReadTimeout(20 * time.Millisecond); err != nil {
		return fmt.Errorf("sim: %w", err)
	}
	b.mu.Lock()
	b.port = p
	b.writeErr = nil
	b.mu.Unlock()
	frames := make(chan item, 64)
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, 16384)
		var d driver.Decoder
		quiet := 0
		emit := func() {
			for {
				f, ok, bad := d.Next()
				if bad {
					frames <- item{bad: true}
				}
				if !ok {
					return
				}
				frames <- item{f: f}
			}
		}
		for {
			n, err := p.Read(buf)
			if err != nil {
				errc <- err
				return
			}
			if n == 0 {
				if quiet++; quiet >= 2 {
					for d.Pending() > 0 {
						d.Idle()
						frames <- item{bad: true}
						emit()
					}
				}
				continue
			}
			quiet = 0
			d.Feed(buf[:n])
			emit()
		}
	}()
	for {
		b.mu.Lock()
		can := b.canStep()
		b.mu.Unlock()
		if can {
			select {
			case it := <-frames:
				b.handleItem(it)
			case err := <-errc:
				return closedOK(err)
			default:
				b.mu.Lock()
				b.step()
				b.mu.Unlock()
				if b.cfg.StepDelay > 0 {
					time.Sleep(b.cfg.StepDelay)
				}
			}
		} else {
			b.mu.Lock()
			b.flushOut()
			b.mu.Unlock()
			select {
			case it := <-frames:
				b.handleItem(it)
			case err := <-errc:
				return closedOK(err)
			}
		}
		b.mu.Lock()
		werr := b.writeErr
		b.mu.Unlock()
		if werr != nil {
			return closedOK(werr)
		}
	}
}

// ErrClosed is what an End returns after either end was closed. It wraps
// driver.ErrPortGone.
var ErrClosed = fmt.Errorf("sim: link closed: %w", driver.ErrPortGone)

func closedOK(err error) error {
	if errors.Is(err, driver.ErrPortGone) {
		return nil
	}
	return fmt.Errorf("sim: %w", err)
}

func (b *Board) send(seq, cmd uint8, payload []byte) []byte {
	raw := driver.AppendFrameAs(nil, b.wide, seq, cmd, payload)
	if b.writeErr == nil && !b.muted {
		if _, err := b.port.Write(raw); err != nil {
			b.writeErr = err
		}
	}
	return raw
}

func (b *Board) nak(seq, reason uint8, msg string) []byte {
	b.st.NaksSent++
	return b.send(seq, core.CmdNak, driver.Nak{Reason: reason, Expect: b.expect, Msg: msg}.Encode())
}

func (b *Board) handleItem(it item) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.muted {
		return
	}
	if it.bad {
		b.st.CRCErrors++
		if b.synced && !b.nakSent {
			b.nakSent = true
			b.nak(0, core.NakCRC, "")
		}
		return
	}
	f := it.f
	if f.Wide && b.cfg.Protocol < 3 {
		b.st.CRCErrors++ // a board before protocol 3 does not know this sync pair
		return
	}
	b.wide = f.Wide
	b.st.FramesOK++
	if f.Cmd == core.CmdIdentify {
		b.synced, b.expect, b.nakSent = true, f.Seq+1, false
		b.send(f.Seq, core.CmdInfo, b.info().Encode())
		return
	}
	if !b.synced {
		b.synced, b.expect = true, f.Seq
	}
	if f.Seq != b.expect {
		if d := b.expect - f.Seq; d >= 1 && d <= 128 { // already applied: answer again
			if driver.IsQuery(f.Cmd) {
				b.query(f)
			} else if r := b.replies[f.Seq]; r != nil && b.writeErr == nil {
				if _, err := b.port.Write(r); err != nil {
					b.writeErr = err
				}
			} else {
				b.send(f.Seq, core.CmdAck, nil)
			}
			return
		}
		if !b.nakSent {
			b.nakSent = true
			b.nak(f.Seq, core.NakOrder, "")
		}
		return
	}
	if driver.IsQuery(f.Cmd) {
		b.expect++
		b.nakSent = false
		b.replies[f.Seq] = nil
		b.query(f)
		return
	}
	reason, msg := b.apply(f)
	if reason == core.NakNoSpace { // not consumed: the host resends it
		if !b.nakSent {
			b.nakSent = true
			b.nak(f.Seq, reason, msg)
		}
		return
	}
	b.expect++
	b.nakSent = false
	if reason != 0 {
		b.replies[f.Seq] = b.nak(f.Seq, reason, msg)
	} else {
		b.replies[f.Seq] = b.send(f.Seq, core.CmdAck, nil)
	}
}

func (b *Board) info() driver.Info {
	p := b.prof
	feat := uint16(core.FeatsV1)
	if p.Burst {
		feat |= core.FeatBurst
	}
	if b.cfg.Protocol >= 3 {
		feat |= core.FeatSum | core.FeatCRC32
	}
	return driver.Info{
		Protocol: uint8(b.cfg.Protocol), CoreVersion: b.cfg.CoreVersion, Features: feat,
		NB: uint8(p.NB), SB: uint8(p.SB), RB: uint8(p.RB), VW: uint8(p.VW),
		MaxPayload: uint16(b.cfg.MaxPayload), Window: uint8(b.cfg.Window),
		InputCap: uint32(b.cfg.InputCap), OutLogSteps: b.outLogSteps(), ClockHz: uint32(p.ClockHz), Board: b.cfg.Name,
	}
}

func (b *Board) memCheck(h driver.MemHeader) (uint, string) {
	width, ok := driver.MemWidth(b.prof, int(h.Sel))
	if !ok {
		return 0, fmt.Sprintf("no memory with host_sel %d", h.Sel)
	}
	if h.Count == 0 || uint64(h.Addr)+uint64(h.Count) > uint64(b.prof.MemDepth(int(h.Sel))) {
		return 0, fmt.Sprintf("words %d+%d outside depth %d", h.Addr, h.Count, b.prof.MemDepth(int(h.Sel)))
	}
	return width, ""
}

// query answers a side-effect-free command.
func (b *Board) query(f driver.Frame) {
	switch f.Cmd {
	case core.CmdStatus:
		b.send(f.Seq, core.CmdStatusReply, b.status().Encode())
	case core.CmdReadMem:
		if b.running {
			b.nak(f.Seq, core.NakRunning, "")
			return
		}
		h, _, err := driver.DecodeMemHeader(f.Payload)
		if err != nil {
			b.nak(f.Seq, core.NakBadArg, err.Error())
			return
		}
		width, bad := b.memCheck(h)
		if bad == "" && driver.MemHeaderLen+int(h.Count)*driver.WordBytes(width) > b.cfg.MaxPayload {
			bad = "reply would exceed the payload limit"
		}
		if bad != "" {
			b.nak(f.Seq, core.NakBadArg, bad)
			return
		}
		pl := h.Append(nil)
		for a := h.Addr; a < h.Addr+uint32(h.Count); a++ {
			pl = driver.AppendWord(pl, b.word(int(h.Sel), int(a)), width)
		}
		b.send(f.Seq, core.CmdData, pl)
	case core.CmdReadOut:
		if len(f.Payload) < 5 {
			b.nak(f.Seq, core.NakBadArg, "short READ_OUT")
			return
		}
		step, part := binary.LittleEndian.Uint32(f.Payload), f.Payload[4]
		limit := b.cfg.MaxPayload
		if len(f.Payload) >= 7 && b.cfg.Protocol >= 3 { // the host's reply size limit
			limit = min(limit, max(int(binary.LittleEndian.Uint16(f.Payload[5:])), 16))
		}
		i := 0
		for i < len(b.outLog) && (b.outLog[i].Step < step || b.outLog[i].Step == step && b.outLog[i].Part < part) {
			i++
		}
		if i >= len(b.outLog) || b.outLog[i].Step != step || b.outLog[i].Part != part {
			b.nak(f.Seq, core.NakBadArg, fmt.Sprintf("no output for step %d part %d", step, part))
			return
		}
		var pl []byte
		for ; i < len(b.outLog) && (len(pl) == 0 || len(pl)+b.outLog[i].Size() <= limit); i++ {
			pl = b.outLog[i].Append(pl)
		}
		b.send(f.Seq, core.CmdOutReply, pl)
	case core.CmdReadSum:
		if b.cfg.Protocol < 3 {
			b.nak(f.Seq, core.NakBadCmd, fmt.Sprintf("command 0x%02x", f.Cmd))
			return
		}
		if b.running {
			b.nak(f.Seq, core.NakRunning, "")
			return
		}
		r, _, err := driver.DecodeSumRange(f.Payload)
		if err != nil {
			b.nak(f.Seq, core.NakBadArg, err.Error())
			return
		}
		width, ok := driver.MemWidth(b.prof, int(r.Sel))
		if !ok || uint64(r.Addr)+uint64(r.Count) > uint64(b.prof.MemDepth(int(r.Sel))) {
			b.nak(f.Seq, core.NakBadArg, fmt.Sprintf("no range %d+%d in host_sel %d", r.Addr, r.Count, r.Sel))
			return
		}
		var raw []byte
		for a := r.Addr; a < r.Addr+r.Count; a++ {
			raw = driver.AppendWord(raw, b.word(int(r.Sel), int(a)), width)
		}
		b.send(f.Seq, core.CmdSum, binary.LittleEndian.AppendUint32(r.Append(nil), driver.CRC32C(raw)))
	}
}

func (b *Board) word(sel, addr int) core.Word {
	switch sel {
	case core.HostSelNumNeurons:
		return core.Word{uint64(b.numN)}
	case core.HostSelKind:
		return core.Word{uint64(b.kind)}
	case core.HostSelLFSR:
		return core.Word{uint64(b.lfsr)}
	case core.HostSelRuleFrac:
		return core.Word{uint64(b.rfrac)}
	}
	if addr < len(b.mem[sel]) {
		return b.mem[sel][addr]
	}
	return core.Word{}
}

// apply executes a command with side effects; reason 0 means success.
func (b *Board) apply(f driver.Frame) (uint8, string) {
	pl := f.Payload
	switch f.Cmd {
	case core.CmdReset:
		b.reset()
		return 0, ""
	case core.CmdWriteMem:
		if b.running {
			return core.NakRunning, ""
		}
		h, data, err := driver.DecodeMemHeader(pl)
		if err != nil {
			return core.NakBadArg, err.Error()
		}
		width, bad := b.memCheck(h)
		if bad != "" {
			return core.NakBadArg, bad
		}
		wb := driver.WordBytes(width)
		if len(data) != int(h.Count)*wb {
			return core.NakBadArg, fmt.Sprintf("%d data bytes for %d words of %d bytes", len(data), h.Count, wb)
		}
		if int(h.Sel) == core.HostSelNumNeurons {
			n := int(driver.ParseWord(data, width)[0])
			if n < 1 || n > b.prof.Neurons() {
				return core.NakBadArg, fmt.Sprintf("num_neurons %d outside 1..%d", n, b.prof.Neurons())
			}
			b.numN = n
		} else {
			ws := make([]core.Word, h.Count)
			for k := range ws {
				ws[k] = driver.ParseWord(data[k*wb:], width)
			}
			b.setWords(int(h.Sel), int(h.Addr), ws)
		}
		b.dirty = true
		return 0, ""
	case core.CmdSetNumNeurons:
		if b.running {
			return core.NakRunning, ""
		}
		if len(pl) < 4 {
			return core.NakBadArg, "short payload"
		}
		n := int(binary.LittleEndian.Uint32(pl))
		if n < 1 || n > b.prof.Neurons() {
			return core.NakBadArg, fmt.Sprintf("num_neurons %d outside 1..%d", n, b.prof.Neurons())
		}
		b.numN, b.dirty = n, true
		return 0, ""
	case core.CmdRun:
		if b.running {
			return core.NakBadState, "already running"
		}
		if len(pl) < 4 || binary.LittleEndian.Uint32(pl) == 0 {
			return core.NakBadArg, "RUN needs a step count of at least 1"
		}
		if err := b.load(); err != nil {
			return core.NakBadState, err.Error()
		}
		b.running, b.stopReq = true, false
		b.runSteps, b.stepIdx = int(binary.LittleEndian.Uint32(pl)), 0
		b.outMax = b.cfg.MaxPayload
		if len(pl) >= 6 && b.cfg.Protocol >= 3 { // the host's OUT frame limit
			b.outMax = min(b.outMax, max(int(binary.LittleEndian.Uint16(pl[4:])), 16))
		}
		b.through, b.runCyc = 0, 0
		b.queue, b.queued = map[uint32][]uint32{}, 0
		b.outLog, b.outBuf = nil, nil
		return 0, ""
	case core.CmdStop:
		if b.running {
			b.stopReq = true
		}
		return 0, ""
	case core.CmdStreamIn:
		if len(pl) < 4 || (len(pl)-4)%6 != 0 {
			return core.NakBadArg, "STREAM_IN payload is not through + 6-byte records"
		}
		recs := (len(pl) - 4) / 6
		if !b.running {
			b.st.Dropped += uint32(recs)
			return 0, ""
		}
		if b.queued+recs > b.cfg.InputCap {
			return core.NakNoSpace, ""
		}
		for k := 0; k < recs; k++ {
			r := pl[4+6*k:]
			step, n := binary.LittleEndian.Uint32(r), uint32(binary.LittleEndian.Uint16(r[4:]))
			if int(step) < b.stepIdx || int(n) >= b.numN {
				b.st.Dropped++
				continue
			}
			b.queue[step] = append(b.queue[step], n)
			b.queued++
		}
		b.through = max(b.through, binary.LittleEndian.Uint32(pl))
		return 0, ""
	}
	return core.NakBadCmd, fmt.Sprintf("command 0x%02x", f.Cmd)
}

// load (re)builds the emulator from the memories if they changed.
func (b *Board) load() error {
	if b.emu != nil && !b.dirty {
		return nil
	}
	im, err := driver.ImageFromMemories(b.prof, func(sel, addr, count int) ([]core.Word, error) {
		out := make([]core.Word, count)
		for k := range out {
			out[k] = b.word(sel, addr+k)
		}
		return out, nil
	})
	if err != nil {
		return fmt.Errorf("memories do not hold a runnable network: %v", err)
	}
	for a := 0; a < b.numN; a++ {
		if b.word(core.MemAcc, a) != (core.Word{}) {
			return fmt.Errorf("acc word %d is not zero; the simulator can only start from cleared acc", a)
		}
		if im.Burst != nil && b.word(core.MemAccA, a) != (core.Word{}) {
			return fmt.Errorf("acca word %d is not zero; the simulator can only start from cleared acca", a)
		}
	}
	emu, err := emulator.New(im)
	if err != nil {
		return err
	}
	for a := 0; a < b.numN; a++ {
		if b.word(core.MemForce, a)[0]&1 != 0 {
			emu.Force(uint32(a))
		}
	}
	b.emu, b.dirty = emu, false
	return nil
}

func (b *Board) canStep() bool {
	return b.running && !b.muted && (b.stopReq || (b.stepIdx < b.runSteps && uint32(b.stepIdx) < b.through))
}

// step runs one step (or finishes a stopped run).
func (b *Board) step() {
	if b.stopReq || b.stepIdx >= b.runSteps {
		b.finish()
		return
	}
	t := uint32(b.stepIdx)
	if ids := b.queue[t]; len(ids) > 0 {
		b.emu.Force(ids...)
		b.queued -= len(ids)
		delete(b.queue, t)
	}
	r := b.emu.Step()
	b.runCyc += r.Cycles
	b.st.TotalSteps++
	per := (b.outMax - 12) / 2
	for part, k := 0, 0; ; part++ {
		n := min(per, len(r.Spikes)-k)
		rec := driver.StepRecord{Step: t, Cycles: uint32(r.Cycles), Part: uint8(part), Last: k+n == len(r.Spikes), Spikes: make([]uint16, n)}
		for j := range rec.Spikes {
			rec.Spikes[j] = uint16(r.Spikes[k+j])
		}
		k += n
		b.outLog = append(b.outLog, rec)
		if n := b.cfg.OutLogSteps; n > 0 {
			i := 0
			for i < len(b.outLog) && int(b.outLog[i].Step) <= int(t)-n {
				i++
			}
			b.outLog = b.outLog[i:] // append copies the live records when it grows
		}
		if len(b.outBuf)+rec.Size() > b.outMax {
			b.flushOut()
		}
		b.outBuf = rec.Append(b.outBuf)
		if rec.Last {
			break
		}
	}
	if len(b.outBuf) >= min(1024, b.outMax) {
		b.flushOut()
	}
	b.stepIdx++
	if b.stepIdx >= b.runSteps {
		b.finish()
	}
}

func (b *Board) flushOut() {
	if len(b.outBuf) == 0 {
		return
	}
	b.send(b.evSeq, core.CmdOut, b.outBuf)
	b.evSeq++
	b.outBuf = b.outBuf[:0]
}

// packAll packs xs into buf's storage, reusing it.
func packAll[T any](buf []core.Word, xs []T, pack func(T) core.Word) []core.Word {
	buf = buf[:0]
	for _, x := range xs {
		buf = append(buf, pack(x))
	}
	return buf
}

func (b *Board) finish() {
	b.flushOut()
	stopped := b.stepIdx < b.runSteps
	b.running, b.stopReq = false, false
	b.st.Dropped += uint32(b.queued)
	b.queue, b.queued = map[uint32][]uint32{}, 0
	// write the core's state back into the memories
	p := b.prof
	put := func(sel int, ws []core.Word) []core.Word {
		m := &b.mem[sel]
		if len(ws) > len(*m) {
			*m = append(*m, make([]core.Word, len(ws)-len(*m))...)
		}
		copy(*m, ws)
		return ws[:0]
	}
	acc := func(a int32) core.Word { return core.Word{uint64(uint32(a)) & (1<<p.VW - 1)} }
	var ws []core.Word
	ws = put(core.MemState, packAll(ws, b.emu.State(), p.PackState))
	ws = put(core.MemTrace, packAll(ws, b.emu.Trace(), func(t uint8) core.Word { return core.Word{uint64(t)} }))
	ws = put(core.MemSyn, packAll(ws, b.emu.Syn(), p.PackSyn))
	ws = put(core.MemAcc, packAll(ws, b.emu.Acc(), acc))
	if bs := b.emu.BurstState(); bs != nil {
		ws = put(core.MemBState, packAll(ws, bs, p.PackBState))
		ws = put(core.MemAccA, packAll(ws, b.emu.AccA(), acc))
		put(core.MemWFrac, packAll(ws, b.emu.WFrac(), func(f uint8) core.Word { return core.Word{uint64(f)} }))
		b.lfsr = b.emu.LFSR()
	}
	b.send(b.evSeq, core.CmdDone, driver.Done{Steps: uint32(b.stepIdx), Cycles: b.runCyc, Stopped: stopped}.Encode())
	b.evSeq++
}

func (b *Board) outLogSteps() uint32 {
	if b.cfg.OutLogSteps > 0 {
		return uint32(b.cfg.OutLogSteps)
	}
	return 1 << 31
}
