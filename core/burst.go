package core

import "github.com/ncx-project/ncx/fixedpoint"

// Burst-unit constants (spec section 8).
const (
	LUTBits      = 6
	LUTSize      = 1 << LUTBits
	LUTCenter    = 32
	AShiftBits   = 4
	MaxAShift    = 1<<AShiftBits - 1
	PShiftBits   = 3
	MaxPShift    = 1<<PShiftBits - 1
	ErrBits      = 9
	PBarBits     = 16 // UQ8.8
	MaxPBar      = 0xFF00
	BModeThresh  = 0
	BModeStochas = 1
)

// LUTUnit is the width of one bin of the burst LUT in sigmoid units (the
// argument of the sigmoid) as the compiler fills it: the 64 bins span ±6.
const LUTUnit = 6.0 / LUTCenter

// BurstParams is one word of the bparam memory.
type BurstParams struct {
	BU     bool   `json:"bu"`
	BMode  uint8  `json:"bmode"` // 0 threshold, 1 stochastic
	DA     uint16 `json:"da"`    // apical decay multiplier 0..4096
	AOff   int32  `json:"aoff"`
	AShift uint8  `json:"ashift"` // 0..15
	PShift uint8  `json:"pshift"` // 0..7
	Teach  int32  `json:"teach"`
}

// BurstState is one word of the bstate memory.
type BurstState struct {
	VA   int32  `json:"va"`
	PBar uint16 `json:"pbar"` // UQ8.8, 0..65280
	Err  int16  `json:"err"`  // 9-bit signed
}

// BFanout is one word of the bfanout memory: a neuron's burst row.
type BFanout struct {
	BoBase, BoCnt uint32
}

// BurstTables holds the burst-unit memories and registers of an image; an
// image without burst units has none.
type BurstTables struct {
	Params   []BurstParams // len NumNeurons
	State    []BurstState  // len NumNeurons: initial state
	BFanout  []BFanout     // len NumNeurons
	LUT      [LUTSize]uint8
	RuleKind uint8  // bit r set: rule r is BDSP
	LFSR     uint16 // initial LFSR state, never 0
	// RuleFrac bit r set: BDSP rule r keeps 8 fraction bits per weight in
	// WFrac (spec section 8.4).
	RuleFrac uint8
	// WFrac holds those bits per fan-in address (len(Image.Rev)); nil when
	// all are 0.
	WFrac []uint8
}

// LFSRNext advances the core's 16-bit Galois LFSR (fixedpoint.LFSR, taps
// 0xB400) one step from the non-zero state s.
func LFSRNext(s uint16) uint16 { return fixedpoint.NewLFSR(s).Next() }

// IsBDSP reports whether rule r is a BDSP rule.
func (b *BurstTables) IsBDSP(r uint8) bool { return b != nil && b.RuleKind>>r&1 == 1 }

// HasFrac reports whether rule r is a BDSP rule with fraction bits.
func (b *BurstTables) HasFrac(r uint8) bool { return b.IsBDSP(r) && b.RuleFrac>>r&1 == 1 }

// SetWFrac keeps words as WFrac in the form images hold them: nil when
// every word is 0.
func (b *BurstTables) SetWFrac(words []uint8) {
	b.WFrac = nil
	if anyNonZero(words) {
		b.WFrac = words
	}
}

// FracAt is the wfrac word at fan-in address a (0 when WFrac is nil).
func (b *BurstTables) FracAt(a int) uint8 {
	if b == nil || b.WFrac == nil {
		return 0
	}
	return b.WFrac[a]
}

func (im *Image) validateBurst(owner []int32) error {
	b := im.Burst
	if b == nil {
		return nil
	}
	n := im.NumNeurons
	p := im.Profile
	if !p.Burst {
		return invalid("profile %s has no burst units", p.Name)
	}
	if len(b.Params) != n || len(b.State) != n || len(b.BFanout) != n {
		return invalid("burst tables have %d/%d/%d entries, want %d", len(b.Params), len(b.State), len(b.BFanout), n)
	}
	if b.LFSR == 0 {
		return invalid("lfsr seed must not be 0")
	}
	if b.RuleKind&1 != 0 {
		return invalid("rule 0 is the static rule and cannot be BDSP")
	}
	if extra := b.RuleFrac &^ b.RuleKind; extra != 0 {
		return invalid("rule_frac 0x%02x sets bits of rules that are not BDSP rules (rule_kind 0x%02x)", b.RuleFrac, b.RuleKind)
	}
	if b.WFrac != nil && len(b.WFrac) != len(im.Rev) {
		return invalid("wfrac has %d words, want one per fan-in word (%d)", len(b.WFrac), len(im.Rev))
	}
	lo, hi := p.VMin(), p.VMax()
	for i, q := range b.Params {
		if q.DA > DecayOne || q.AShift > MaxAShift || q.PShift > MaxPShift || q.BMode > 1 {
			return invalid("neuron %d: burst parameter out of range (da %d, ashift %d, pshift %d, bmode %d)", i, q.DA, q.AShift, q.PShift, q.BMode)
		}
		if q.AOff < lo || q.AOff > hi || q.Teach < lo || q.Teach > hi {
			return invalid("neuron %d: aoff/teach outside %d-bit range", i, p.VW)
		}
		s := b.State[i]
		if s.VA < lo || s.VA > hi || s.Err < -256 || s.Err > 255 || s.PBar > MaxPBar {
			return invalid("neuron %d: initial burst state out of range", i)
		}
	}
	for i, f := range b.BFanout {
		if uint64(f.BoBase)+uint64(f.BoCnt) > uint64(len(im.Syn)) {
			return invalid("neuron %d: burst row %d+%d outside %d synapse words", i, f.BoBase, f.BoCnt, len(im.Syn))
		}
		for a := f.BoBase; a < f.BoBase+f.BoCnt; a++ {
			if owner[a] >= 0 {
				return invalid("synapse word %d is in a burst row of neuron %d and another row", a, i)
			}
			owner[a] = int32(i)
			s := im.Syn[a]
			if s.Rule != 0 {
				return invalid("burst synapse word %d has rule %d; burst synapses are static", a, s.Rule)
			}
			if !b.Params[s.Tgt].BU {
				return invalid("burst synapse word %d targets neuron %d, which is not a burst unit", a, s.Tgt)
			}
		}
	}
	return nil
}
