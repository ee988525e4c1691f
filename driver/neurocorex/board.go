package neurocorex

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/fixedpoint"
)

// Board is a model of a NeuroCoreX board (docs/neurocorex.md): it parses
// the header commands with their fixed-length payloads, keeps weights and
// parameters, runs the VHDL's neuron datapath edge by edge (pipeline) when
// spikes arrive and answers with the start marker and 90-bit frames, and
// answers weight readback with 9,215 bytes, STDP included.
type Board struct {
	mu   sync.Mutex
	t    Tables
	rx   []byte // every byte received, for tests
	pipe pipeline
	Runs int // runs completed
}

// NewBoard returns a board with the power-on contents.
func NewBoard() *Board { return &Board{t: *Defaults()} }

// Load sets the board's contents, as a whole upload would (an AA upload
// also resets the AA STDP state).
func (b *Board) Load(t *Tables) {
	b.mu.Lock()
	b.t = *t
	b.pipe.resetAASTDP()
	b.mu.Unlock()
}

// Poke writes the RAM cells of the FF and AA weights and STDP enable bits
// directly, without an upload's side effects: what a test harness does to
// the VHDL's block RAMs (driver/vhdlboard) to skip minutes of UART upload.
func (b *Board) Poke(ff, aa *[N][N]int8, enFF, enAA *[Weights]bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if ff != nil {
		b.t.FF = *ff
	}
	if aa != nil {
		b.t.AA = *aa
	}
	if enFF != nil {
		b.t.EnableFF = *enFF
	}
	if enAA != nil {
		b.t.EnableAA = *enAA
	}
}

// STDPState is the STDP bookkeeping a board holds besides its tables.
type STDPState struct {
	TpreAA, TpreFF [Weights]int8 // per-synapse counters, -1 inactive
	ApreAA, ApreFF [Weights]int8 // 2-bit flags: 1 active
	Tpost          [N]int8       // per-neuron counters (tpost_dummy)
	Apost          [N]bool
	// Hazard names the first access at which GHDL would stop a simulation
	// of the VHDL (empty: none).
	Hazard string
}

// STDP returns the board's STDP state.
func (b *Board) STDP() STDPState {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pipe.init()
	f := &b.pipe.f
	s := STDPState{Tpost: f.tpost, Apost: f.apost, Hazard: f.Hazard}
	copy(s.TpreAA[:], f.tpreAA[:Weights])
	copy(s.TpreFF[:], f.tpreFF[:Weights])
	copy(s.ApreAA[:], f.apreAA[:Weights])
	copy(s.ApreFF[:], f.apreFF[:Weights])
	return s
}

// Tables returns a copy of what the board holds.
func (b *Board) Tables() Tables {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.t
}

// Received returns a copy of every byte received so far.
func (b *Board) Received() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]byte(nil), b.rx...)
}

// Serve reads commands from p until it fails; it returns nil when p closes.
func (b *Board) Serve(p driver.Port) error {
	if err := p.SetReadTimeout(20 * time.Millisecond); err != nil {
		return err
	}
	var in []byte
	buf := make([]byte, 4096)
	// need returns n bytes once they have arrived.
	need := func(n int) ([]byte, error) {
		for len(in) < n {
			k, err := p.Read(buf)
			if err != nil {
				return nil, err
			}
			b.mu.Lock()
			b.rx = append(b.rx, buf[:k]...)
			b.mu.Unlock()
			in = append(in, buf[:k]...)
		}
		out := in[:n:n]
		in = in[n:]
		return out, nil
	}
	write := func(out []byte) error {
		_, err := p.Write(out)
		return err
	}
	for {
		out, err := b.command(need, write)
		if err != nil {
			return closed(err)
		}
		if len(out) > 0 {
			if err := write(out); err != nil {
				return closed(err)
			}
		}
	}
}

// Exec runs the whole commands in cmds, as Serve would receive them, and
// returns what the board answers. A command cut short is an error.
func (b *Board) Exec(cmds []byte) ([]byte, error) {
	b.mu.Lock()
	b.rx = append(b.rx, cmds...)
	b.mu.Unlock()
	need := func(n int) ([]byte, error) {
		if len(cmds) < n {
			return nil, errors.New("neurocorex: board model: command cut short")
		}
		out := cmds[:n:n]
		cmds = cmds[n:]
		return out, nil
	}
	var out []byte
	collect := func(p []byte) error {
		out = append(out, p...)
		return nil
	}
	for len(cmds) > 0 {
		o, err := b.command(need, collect)
		if err != nil {
			return out, err
		}
		out = append(out, o...)
	}
	return out, nil
}

// command reads one command through need, applies it and returns the
// board's answer; a run's answer goes out through emit as it is computed.
func (b *Board) command(need func(int) ([]byte, error), emit func([]byte) error) ([]byte, error) {
	h, err := need(1)
	if err != nil {
		return nil, err
	}
	switch h[0] >> 4 {
	case HdrFF >> 4, HdrAA >> 4:
		d, err := need(Weights + 1)
		if err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		w := &b.t.FF
		if h[0]>>4 == HdrAA>>4 {
			w = &b.t.AA
			b.pipe.resetAASTDP()
		}
		for i := range Weights {
			w[i/N][i%N] = int8(d[i])
		}
	case HdrParams >> 4:
		d, err := need(ParamWords * wordBytes)
		if err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		for k, arr := range []*[N]int32{&b.t.VThr, &b.t.TrefMax, &b.t.TauMem, &b.t.STDP} {
			for i := range N {
				arr[i] = Word18(d[(k*N+i)*wordBytes:])
			}
		}
	case HdrDebug >> 4:
		d, err := need(2 * wordBytes)
		if err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		b.t.IBias, b.t.NDebug = Word18(d), d[3]
	case HdrEnable >> 4:
		d, err := need(2*EnableBytes + 1)
		if err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		for i := range 2 * Weights {
			b.pipe.enableBit(&b.t, d[i/8]&(0x80>>(i%8)) != 0)
		}
	case HdrReadback >> 4:
		if _, err := need(1); err != nil {
			return nil, err
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		b.pipe.enIdx = 0 // loader_status leaves init_weight
		out := make([]byte, ReadbackLen)
		for i := range out {
			out[i] = byte(b.t.FF[i/N][i%N])
		}
		return out, nil
	case HdrSpikes >> 4:
		var recs [][3]byte
		for {
			r, err := need(3)
			if err != nil {
				return nil, err
			}
			if r[0] == 0xFF && r[1] == 0xFF && r[2] == 0xFF {
				break
			}
			recs = append(recs, [3]byte{r[0], r[1], r[2]})
		}
		return nil, b.run(recs, emit)
	default: // undefined: swallows the next byte
		if _, err := need(1); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func closed(err error) error {
	if errors.Is(err, driver.ErrPortGone) {
		return nil
	}
	return err
}

// wrap18 keeps the low 18 bits of x, sign-extended: the VHDL resize to an
// 18-bit signed.
func wrap18(x int64) int32 { return int32(fixedpoint.WrapSigned(x, 18)) }

// q is Q(x) = resize((x*amp) sll 10, 18) as numeric_std computes it for
// SIGNED: the result keeps the product's sign bit and the low 17 bits of the
// shifted product, so the integer part wraps modulo 128 inside its sign
// (200 → 72.0, −129 → −1.0), unlike a plain 18-bit wrap (measured on the
// VHDL: TestParamsAgainstModel in driver/vhdlboard).
func q(x, amp int64) int32 {
	y := x * amp
	r := int32((y & 127) << QFrac)
	if y < 0 {
		r -= 1 << 17
	}
	return r
}

// run steps the VHDL's datapath (pipeline) through the records and hands
// emit the start marker, then each byte of the bitstream (RunBytes) as soon
// as the step that completes it is done, as the VHDL sends them: a host
// reading the line sees bytes arrive while a long run is still being
// computed. After emit fails the run goes on (the board's state must) but
// sends nothing more; run returns that error.
func (b *Board) run(recs [][3]byte, emit func([]byte) error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pipe.enIdx = 0 // loader_status leaves init_weight
	// release step of each record: prev + dt + 1, prev starting at -1
	release := map[int]int{}
	last, prev := 0, -1
	for _, r := range recs {
		prev += int(r[0]) + 1
		release[prev] = int(r[1]) | int(r[2])<<8
		last = prev
	}
	err := emit([]byte{StartMarker})
	total, sent := RunBytes(last), 0
	var acc byte
	bits := 0
	b.pipe.run(&b.t, release, last, func(frame *[FrameBits]bool) {
		var out []byte
		for _, f := range frame {
			if f {
				acc |= 1 << bits
			}
			if bits++; bits == 8 {
				if sent < total {
					out = append(out, acc)
					sent++
				}
				acc, bits = 0, 0
			}
		}
		if len(out) > 0 && err == nil {
			err = emit(out)
		}
	})
	b.Runs++
	return err
}

// Emulate runs spikes for steps steps on a model board freshly loaded with
// t, as a board is after ncx flash, and returns the frames of steps
// 0..steps-1 exactly as Client.Run returns them from a board.
func Emulate(t *Tables, spikes []Spike, steps int) ([][]int, error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	msg, err := EncodeSpikes(spikes, steps)
	if err != nil {
		return nil, err
	}
	b := NewBoard()
	b.Load(t)
	var recs [][3]byte
	for i := 1; i+3 <= len(msg)-3; i += 3 {
		recs = append(recs, [3]byte{msg[i], msg[i+1], msg[i+2]})
	}
	var out []byte
	if err := b.run(recs, func(p []byte) error { out = append(out, p...); return nil }); err != nil {
		return nil, err
	}
	frames := DecodeFrames(out[1:])
	if len(frames) < steps {
		return nil, fmt.Errorf("neurocorex: emulated run gave %d of %d frames", len(frames), steps)
	}
	return frames[:steps], nil
}
