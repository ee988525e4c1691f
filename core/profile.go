package core

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ncx-project/ncx/fixedpoint"
)

// CoreVersion is the version of docs/core-spec.md that this package implements.
const CoreVersion = 1

// Fixed widths shared by every profile (spec section 1).
const (
	WeightBits  = 8
	WExpBits    = 3
	TraceBits   = 8
	RefBits     = 8
	DecayBits   = 13
	DecayOne    = fixedpoint.DecayOne // decay multiplier meaning "no decay"
	TrShiftBits = 3
	TrIncBits   = 8
	RuleBits    = 3
	NumRules    = 1 << RuleBits
	MaxWExp     = 1<<WExpBits - 1
	MaxTrShift  = 1<<TrShiftBits - 1
	MaxTrace    = 1<<TraceBits - 1
	MaxRef      = 1<<RefBits - 1
)

// Profile fixes the sizes and widths of one build of the core.
type Profile struct {
	Name   string `json:"name"`
	NB     uint   `json:"nb"` // neuron address bits
	SB     uint   `json:"sb"` // synapse address bits
	RB     uint   `json:"rb"` // plastic fan-in address bits
	VW     uint   `json:"vw"` // state width
	Target string `json:"target"`
	// Burst is true when the build includes burst units (spec section 8).
	Burst bool `json:"burst"`
	// ClockHz is the clock the profile is expected to close timing at; used
	// only to turn cycle counts into seconds in reports.
	ClockHz float64 `json:"clock_hz"`
}

// Neurons is the number of neuron slots, 2^NB.
func (p Profile) Neurons() int { return 1 << p.NB }

// Synapses is the number of synapse words, 2^SB.
func (p Profile) Synapses() int { return 1 << p.SB }

// FanIn is the number of plastic fan-in words, 2^RB.
func (p Profile) FanIn() int { return 1 << p.RB }

// VMin and VMax bound every VW-bit signed quantity.
func (p Profile) VMin() int32 { return int32(fixedpoint.MinSigned(p.VW)) }

// VMax is the largest VW-bit signed value.
func (p Profile) VMax() int32 { return int32(fixedpoint.MaxSigned(p.VW)) }

// Validate checks that the widths are ones the RTL and emulator support.
func (p Profile) Validate() error {
	switch {
	case p.NB < 1 || p.NB > 16:
		return fmt.Errorf("core: profile %q: nb=%d outside 1..16", p.Name, p.NB)
	case p.SB < 1 || p.SB > 24:
		return fmt.Errorf("core: profile %q: sb=%d outside 1..24", p.Name, p.SB)
	case p.RB < 1 || p.RB > 24:
		return fmt.Errorf("core: profile %q: rb=%d outside 1..24", p.Name, p.RB)
	case p.VW < 16 || p.VW > 30:
		return fmt.Errorf("core: profile %q: vw=%d outside 16..30", p.Name, p.VW)
	}
	return nil
}

// Profiles are the built-in targets (spec section 1).
var Profiles = map[string]Profile{
	"tiny":  {Name: "tiny", NB: 6, SB: 12, RB: 11, VW: 16, Burst: true, Target: "tests", ClockHz: 50e6},
	"up5k":  {Name: "up5k", NB: 8, SB: 10, RB: 9, VW: 16, Target: "Lattice iCE40 UP5K (block RAM only)", ClockHz: 24e6},
	"a7":    {Name: "a7", NB: 10, SB: 15, RB: 14, VW: 16, Burst: true, Target: "Xilinx xc7a35t (Digilent CMod A7)", ClockHz: 100e6},
	"a100t": {Name: "a100t", NB: 12, SB: 17, RB: 16, VW: 16, Burst: true, Target: "Xilinx xc7a100t", ClockHz: 100e6},
	"sim":   {Name: "sim", NB: 16, SB: 24, RB: 22, VW: 24, Burst: true, Target: "emulation only", ClockHz: 100e6},
}

// ProfileNames lists the built-in profiles from smallest to largest.
func ProfileNames() []string {
	names := make([]string, 0, len(Profiles))
	for n := range Profiles {
		names = append(names, n)
	}
	sort.Slice(names, func(a, b int) bool {
		pa, pb := Profiles[names[a]], Profiles[names[b]]
		if pa.NB != pb.NB {
			return pa.NB < pb.NB
		}
		return pa.SB < pb.SB
	})
	return names
}

// LookupProfile returns a built-in profile by name.
func LookupProfile(name string) (Profile, error) {
	p, ok := Profiles[name]
	if !ok {
		return Profile{}, fmt.Errorf("core: unknown target profile %q (known: %s)", name, strings.Join(ProfileNames(), ", "))
	}
	return p, nil
}
