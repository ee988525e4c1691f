package fixedpoint

// LFSRTaps is the Galois toggle mask of the 16-bit LFSR, corresponding to
// the maximal-length polynomial x^16 + x^14 + x^13 + x^11 + 1.
const LFSRTaps = 0xB400

// LFSRDefaultSeed replaces a zero seed (the all-zero state is a fixed point
// of the LFSR and would never change).
const LFSRDefaultSeed = 0xACE1

// LFSR is the 16-bit Galois linear-feedback shift register of ncx-core
// (spec section 8.1: the stochastic burst decision and BDSP rounding). One step of the state s is:
//
//	lsb := s & 1
//	s >>= 1
//	if lsb == 1 { s ^= 0xB400 }
//
// From any non-zero state it cycles through all 65535 non-zero states. The
// zero value is ready to use and behaves as if seeded with 0xACE1.
// An LFSR is not safe for concurrent use.
type LFSR struct {
	s uint16
}

// NewLFSR returns an LFSR whose state is seed; a zero seed is replaced by
// LFSRDefaultSeed (0xACE1).
func NewLFSR(seed uint16) *LFSR {
	if seed == 0 {
		seed = LFSRDefaultSeed
	}
	return &LFSR{s: seed}
}

// State returns the current state without advancing (LFSRDefaultSeed for a
// zero-value LFSR).
func (l *LFSR) State() uint16 {
	if l.s == 0 {
		return LFSRDefaultSeed
	}
	return l.s
}

// Next advances the LFSR by one step and returns the new state, which is
// never 0.
func (l *LFSR) Next() uint16 {
	s := l.State()
	lsb := s & 1
	s >>= 1
	if lsb == 1 {
		s ^= LFSRTaps
	}
	l.s = s
	return s
}
