package neurocorex

import "fmt"

// Sizes of the NeuroCoreX build (docs/neurocorex.md section 2 and 5).
const (
	N            = 96    // neuron slots and matrix side
	Weights      = N * N // 9216 weights per matrix
	ParamWords   = 4 * N // vthr, Tref_max, tau_mem, stdp_params
	EnableBytes  = Weights / 8
	FirstNeuron  = 4  // lowest internal neuron index that can spike
	LastNeuron   = 93 // highest
	Usable       = LastNeuron - FirstNeuron + 1
	FrameBits    = 90 // output bits per step: bit b is neuron b+4
	ReadbackLen  = Weights - 1
	LeakWord     = 8  // tau_mem index that holds the global leak
	MaxNDebug    = 97 // N_debug_int : INTEGER RANGE 0 TO N0+7 in LIF_unit.vhd
	QFrac        = 10
	wordBytes    = 3
	word18Mask   = 1<<18 - 1
	maxQ         = 1<<17 - 1
	minQ         = -(1 << 17)
	dummyAddress = 0 // input address Lower leaves without weights, used for padding
)

// Header bytes (upper nibble = command).
const (
	HdrFF       = 0x00
	HdrAA       = 0x10
	HdrParams   = 0x20
	HdrSpikes   = 0x30
	HdrDebug    = 0x40
	HdrReadback = 0x50
	HdrEnable   = 0x60
	// ReadbackDummy is the byte the host notebooks send after HdrReadback.
	ReadbackDummy = 0x7A
	// StartMarker precedes a run's output bitstream.
	StartMarker = 0xFF
)

// Tables is everything a NeuroCoreX board is loaded with.
type Tables struct {
	FF [N][N]int8 // feed-forward weights [row][col]: row = neuron p+2, col = input address
	AA [N][N]int8 // recurrent weights [row][col]: row = post neuron p+2, col = pre neuron p+1
	// VThr is each neuron's threshold, Q7.10.
	VThr [N]int32
	// TrefMax is each neuron's refractory length; bits 7:0 of TrefMax[0]
	// are also the feed-forward synaptic amplitude.
	TrefMax [N]int32
	// TauMem: only TauMem[LeakWord] is used, as one global subtractive leak (Q7.10).
	TauMem [N]int32
	// STDP: [0] 7:0 tpre_FF_max; [1] 7:0 tpre_AA_max, 15:8 tpost_AA_max; [2] 7:0 dplus, 15:8 dminus.
	STDP [N]int32
	// EnableAA and EnableFF are the per-synapse STDP enable bits, row-major.
	EnableAA, EnableFF [Weights]bool
	IBias              int32 // debug bias current, Q7.10
	NDebug             uint8 // the bias goes to neuron NDebug+3
}

// Defaults returns the board's power-on contents.
func Defaults() *Tables {
	t := &Tables{NDebug: 0}
	for i := range N {
		t.VThr[i] = 512
		t.TrefMax[i] = 4
		for j := range N {
			t.FF[i][j] = 1
			t.AA[i][j] = 6
		}
	}
	return t
}

// AppendWord18 appends v as an 18-bit two's complement word, little endian
// in three bytes (bits 1:0 of the third byte used).
func AppendWord18(b []byte, v int32) []byte {
	u := uint32(v) & word18Mask
	return append(b, byte(u), byte(u>>8), byte(u>>16))
}

// Word18 decodes three bytes as a signed 18-bit word.
func Word18(b []byte) int32 {
	u := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2]&3)<<16
	return int32(u<<14) >> 14
}

func fitsQ(v int32) bool { return v >= minQ && v <= maxQ }

// Check reports values that do not fit their 18-bit words.
func (t *Tables) Check() error {
	for name, arr := range map[string]*[N]int32{"vthr": &t.VThr, "Tref_max": &t.TrefMax, "tau_mem": &t.TauMem, "stdp_params": &t.STDP} {
		for i, v := range arr {
			if !fitsQ(v) {
				return fmt.Errorf("neurocorex: %s[%d] = %d does not fit 18 bits", name, i, v)
			}
		}
	}
	if !fitsQ(t.IBias) {
		return fmt.Errorf("neurocorex: I_bias %d does not fit 18 bits", t.IBias)
	}
	if t.NDebug > MaxNDebug {
		return fmt.Errorf("neurocorex: N_debug %d is above %d, the range LIF_unit.vhd declares for it: what the board does then depends on synthesis (for no bias, send I_bias 0)", t.NDebug, MaxNDebug)
	}
	return nil
}

// FFBlock is the 0x0_ command: header, 9216 weights row-major, one ignored byte.
func (t *Tables) FFBlock() []byte { return weightBlock(HdrFF, &t.FF) }

// AABlock is the 0x1_ command.
func (t *Tables) AABlock() []byte { return weightBlock(HdrAA, &t.AA) }

func weightBlock(h byte, w *[N][N]int8) []byte {
	b := make([]byte, 0, 2+Weights)
	b = append(b, h)
	for r := range N {
		for c := range N {
			b = append(b, byte(w[r][c]))
		}
	}
	return append(b, 0x00)
}

// ParamBlock is the 0x2_ command: header, then vthr[96], Tref_max[96],
// tau_mem[96], stdp_params[96] as 18-bit words (1152 bytes); nothing after.
func (t *Tables) ParamBlock() []byte {
	b := make([]byte, 0, 1+ParamWords*wordBytes)
	b = append(b, HdrParams)
	for _, arr := range []*[N]int32{&t.VThr, &t.TrefMax, &t.TauMem, &t.STDP} {
		for _, v := range arr {
			b = AppendWord18(b, v)
		}
	}
	return b
}

// DebugBlock is the 0x4_ command: header, I_bias word, N_debug word.
func (t *Tables) DebugBlock() []byte {
	b := AppendWord18([]byte{HdrDebug}, t.IBias)
	return AppendWord18(b, int32(t.NDebug))
}

// EnableBlock is the 0x6_ command: header, 1152 bytes of AA enable bits,
// 1152 bytes of FF enable bits, one ignored byte; each byte holds eight
// synapses, the first in bit 7.
func (t *Tables) EnableBlock() []byte {
	b := make([]byte, 0, 2+2*EnableBytes)
	b = append(b, HdrEnable)
	for _, en := range []*[Weights]bool{&t.EnableAA, &t.EnableFF} {
		for k := 0; k < EnableBytes; k++ {
			var x byte
			for j := range 8 {
				if en[8*k+j] {
					x |= 0x80 >> j
				}
			}
			b = append(b, x)
		}
	}
	return append(b, 0x00)
}
