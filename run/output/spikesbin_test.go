package output

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleSpikeFile() *SpikeFile {
	return &SpikeFile{NumNeurons: 300, Steps: []SpikeStep{
		{Cycles: 310},
		{Cycles: 330, Neurons: []uint32{0, 1, 2, 299}},
		{Cycles: 0, Neurons: []uint32{128}},
		{Cycles: 1 << 40},
	}}
}

func TestSpikesBinRoundTrip(t *testing.T) {
	f := sampleSpikeFile()
	b, err := EncodeSpikesBin(nil, f)
	require.NoError(t, err)
	assert.Equal(t, "NCXS\x01", string(b[:5]))
	got, err := ReadSpikesBin(bytes.NewReader(b))
	require.NoError(t, err)
	assert.Equal(t, f, got)

	// Every proper prefix is reported as truncated, never accepted.
	for n := 0; n < len(b); n++ {
		_, err := ReadSpikesBin(bytes.NewReader(b[:n]))
		require.ErrorIs(t, err, ErrBadSpikes, "prefix %d", n)
	}
	_, err = ReadSpikesBin(bytes.NewReader(append(b, 0)))
	assert.ErrorContains(t, err, "after the last step")
}

func TestSpikesBinFromRun(t *testing.T) {
	r := &Run{Steps: 3,
		Spikes:    []Spike{{Step: 0, Neuron: 5, Cycle: 9}, {Step: 2, Neuron: 1, Cycle: 32}, {Step: 2, Neuron: 7, Cycle: 38}},
		StepStats: []StepStats{{Step: 0, Cycles: 15}, {Step: 1, Cycles: 12}, {Step: 2, Cycles: 20}},
	}
	var buf bytes.Buffer
	require.NoError(t, WriteSpikesBin(&buf, r))
	f, err := ReadSpikesBin(&buf)
	require.NoError(t, err)
	assert.Equal(t, 8, f.NumNeurons)
	require.Len(t, f.Steps, 3)
	assert.Equal(t, []uint32{1, 7}, f.Steps[2].Neurons)
	got := f.Spikes(func(n uint32) uint64 { return 4 + uint64(n) })
	assert.Equal(t, r.Spikes, got)
}

func TestSpikesBinRejects(t *testing.T) {
	cases := map[string][]byte{
		"bad magic":       []byte("NCXI\x01\x00\x00"),
		"version 2":       []byte("NCXS\x02\x00\x00"),
		"spikes but only": []byte("NCXS\x01\x02\x01\x00\x03\x00\x00\x00"),
		"not below 4":     []byte("NCXS\x01\x04\x01\x00\x02\x02\x01"),
		"overflows":       append([]byte("NCXS\x01"), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f),
		"above":           append([]byte("NCXS\x01"), 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00),
	}
	for want, b := range cases {
		_, err := ReadSpikesBin(bytes.NewReader(b))
		require.ErrorIs(t, err, ErrBadSpikes, want)
		assert.ErrorContains(t, err, want)
	}
	_, err := EncodeSpikesBin(nil, &SpikeFile{NumNeurons: 4, Steps: []SpikeStep{{Neurons: []uint32{2, 2}}}})
	assert.Error(t, err)
}

func FuzzReadSpikesBin(f *testing.F) {
	b, _ := EncodeSpikesBin(nil, sampleSpikeFile())
	f.Add(b)
	f.Add([]byte("NCXS\x01\x00\x00"))
	f.Add([]byte("NCXS\x01\x10\x02\x05\x03\x00\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := ReadSpikesBin(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever decodes re-encodes, and decodes to the same thing.
		enc, err := EncodeSpikesBin(nil, sf)
		if err != nil {
			t.Fatalf("decoded file does not re-encode: %v", err)
		}
		again, err := ReadSpikesBin(bytes.NewReader(enc))
		if err != nil {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
		if len(again.Steps) != len(sf.Steps) || again.NumNeurons != sf.NumNeurons {
			t.Fatalf("round trip changed the file")
		}
		for i := range sf.Steps {
			if sf.Steps[i].Cycles != again.Steps[i].Cycles || len(sf.Steps[i].Neurons) != len(again.Steps[i].Neurons) {
				t.Fatalf("round trip changed step %d", i)
			}
			for j, n := range sf.Steps[i].Neurons {
				if again.Steps[i].Neurons[j] != n {
					t.Fatalf("round trip changed step %d", i)
				}
			}
		}
	})
}
