package fixedpoint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stepRef is a straightforward re-implementation of the documented step.
func stepRef(s uint16) uint16 {
	if s%2 == 1 {
		return (s / 2) ^ 0xB400
	}
	return s / 2
}

func TestLFSRFirstValues(t *testing.T) {
	// Worked by hand from 0xACE1 = 1010 1100 1110 0001:
	//   lsb 1: 0x5670 ^ 0xB400 = 0xE270
	//   lsb 0: 0x7138; lsb 0: 0x389C; lsb 0: 0x1C4E; lsb 0: 0x0E27
	//   lsb 1: 0x0713 ^ 0xB400 = 0xB313
	want := []uint16{0xE270, 0x7138, 0x389C, 0x1C4E, 0x0E27, 0xB313}
	l := NewLFSR(0xACE1)
	for i, w := range want {
		assert.Equal(t, w, l.Next(), "step %d", i+1)
	}
}

func TestLFSRSeeds(t *testing.T) {
	assert.Equal(t, uint16(0xACE1), NewLFSR(0).State(), "zero seed replaced")
	assert.Equal(t, uint16(0x0001), NewLFSR(1).State())
	var zero LFSR
	assert.Equal(t, NewLFSR(0xACE1).Next(), zero.Next(), "zero value acts as seed 0xACE1")
}

func TestLFSRMatchesReference(t *testing.T) {
	l := NewLFSR(0xBEEF)
	s := uint16(0xBEEF)
	for i := range 100000 {
		s = stepRef(s)
		require.Equal(t, s, l.Next(), "step %d", i)
	}
}

func TestLFSRPeriod(t *testing.T) {
	l := NewLFSR(1)
	seen := make([]bool, 1<<16)
	for i := 1; ; i++ {
		s := l.Next()
		require.NotZero(t, s)
		if s == 1 {
			require.Equal(t, 65535, i, "period from seed 1")
			break
		}
		require.False(t, seen[s], "state %#04x repeated after %d steps", s, i)
		seen[s] = true
		require.Less(t, i, 65535)
	}
}
