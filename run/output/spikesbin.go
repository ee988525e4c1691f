package output

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// SpikesBinMagic opens every spikes.bin file; SpikesBinVersion is the format
// version this package writes and reads (see the package documentation).
const (
	SpikesBinMagic   = "NCXS"
	SpikesBinVersion = 1
)

// ErrBadSpikes is wrapped by every error of ReadSpikesBin about the contents.
var ErrBadSpikes = errors.New("output: not a valid spikes.bin file")

// SpikeStep is one step record of spikes.bin.
type SpikeStep struct {
	Cycles  uint64
	Neurons []uint32 // strictly ascending
}

// SpikeFile is the decoded content of spikes.bin.
type SpikeFile struct {
	NumNeurons int
	Steps      []SpikeStep
}

// EncodeSpikesBin appends the spikes.bin encoding of f to dst. It returns an
// error if a step's ids are not strictly ascending or not below NumNeurons.
func EncodeSpikesBin(dst []byte, f *SpikeFile) ([]byte, error) {
	dst = appendSpikesBinHeader(dst, f.NumNeurons, len(f.Steps))
	for i, s := range f.Steps {
		var err error
		if dst, err = appendSpikeStep(dst, i, s.Cycles, s.Neurons, f.NumNeurons); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

func appendSpikesBinHeader(dst []byte, numNeurons, steps int) []byte {
	dst = append(dst, SpikesBinMagic...)
	dst = append(dst, SpikesBinVersion)
	dst = binary.AppendUvarint(dst, uint64(numNeurons))
	return binary.AppendUvarint(dst, uint64(steps))
}

// appendSpikeStep appends the record of step i.
func appendSpikeStep(dst []byte, i int, cycles uint64, neurons []uint32, numNeurons int) ([]byte, error) {
	dst = binary.AppendUvarint(dst, cycles)
	dst = binary.AppendUvarint(dst, uint64(len(neurons)))
	prev := int64(-1)
	for _, n := range neurons {
		if int64(n) <= prev || int64(n) >= int64(numNeurons) {
			return nil, fmt.Errorf("output: encode spikes: step %d: neuron %d out of order or not below %d", i, n, numNeurons)
		}
		dst = binary.AppendUvarint(dst, uint64(int64(n)-prev-1))
		prev = int64(n)
	}
	return dst, nil
}

// SpikeFileOf groups the spikes of a run by step.
func SpikeFileOf(r *Run) *SpikeFile {
	f := &SpikeFile{Steps: make([]SpikeStep, r.Steps)}
	if r.Image != nil {
		f.NumNeurons = r.Image.NumNeurons
	}
	for i := range f.Steps {
		if i < len(r.StepStats) {
			f.Steps[i].Cycles = r.StepStats[i].Cycles
		}
	}
	for _, s := range r.Spikes {
		if int(s.Step) < len(f.Steps) {
			f.Steps[s.Step].Neurons = append(f.Steps[s.Step].Neurons, s.Neuron)
		}
		f.NumNeurons = max(f.NumNeurons, int(s.Neuron)+1)
	}
	return f
}

// WriteSpikesBin writes the spikes of r in spikes.bin format.
func WriteSpikesBin(w io.Writer, r *Run) error {
	b, err := EncodeSpikesBin(nil, SpikeFileOf(r))
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// maxNeurons bounds num_neurons in a file so a corrupted header cannot make
// the reader accept absurd ids; 2^16 is the largest profile (sim).
const maxNeurons = 1 << 24

type countingReader struct {
	r   *bufio.Reader
	off int64
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.off++
	}
	return b, err
}

// ReadSpikesBin decodes a spikes.bin stream. Errors about the content wrap
// ErrBadSpikes and give the byte offset; it never allocates more than the
// data it has actually read justifies.
func ReadSpikesBin(r io.Reader) (*SpikeFile, error) {
	cr := &countingReader{r: bufio.NewReader(r)}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: offset %d: %s", ErrBadSpikes, cr.off, fmt.Sprintf(format, a...))
	}
	var head [5]byte
	for i := range head {
		b, err := cr.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, bad("truncated header")
			}
			return nil, fmt.Errorf("output: read spikes: %w", err)
		}
		head[i] = b
	}
	if string(head[:4]) != SpikesBinMagic {
		return nil, fmt.Errorf("%w: bad magic %q", ErrBadSpikes, head[:4])
	}
	if head[4] != SpikesBinVersion {
		return nil, fmt.Errorf("%w: version %d, this ncx reads version %d", ErrBadSpikes, head[4], SpikesBinVersion)
	}
	uv := func(what string) (uint64, error) {
		var v uint64
		for shift := uint(0); ; shift += 7 {
			b, err := cr.ReadByte()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return 0, bad("truncated in %s", what)
				}
				return 0, fmt.Errorf("output: read spikes: %w", err)
			}
			if shift == 63 && b > 1 || shift > 63 {
				return 0, bad("%s: varint overflows 64 bits", what)
			}
			v |= uint64(b&0x7f) << shift
			if b < 0x80 {
				return v, nil
			}
		}
	}
	nn, err := uv("num_neurons")
	if err != nil {
		return nil, err
	}
	if nn > maxNeurons {
		return nil, bad("num_neurons %d above %d", nn, maxNeurons)
	}
	steps, err := uv("step count")
	if err != nil {
		return nil, err
	}
	f := &SpikeFile{NumNeurons: int(nn)}
	for s := uint64(0); s < steps; s++ {
		var st SpikeStep
		if st.Cycles, err = uv("cycles"); err != nil {
			return nil, err
		}
		k, err := uv("spike count")
		if err != nil {
			return nil, err
		}
		if k > nn {
			return nil, bad("step %d: %d spikes but only %d neurons", s, k, nn)
		}
		if k > 0 {
			st.Neurons = make([]uint32, 0, min(k, 4096))
		}
		next := uint64(0) // smallest id allowed for the next spike
		for j := uint64(0); j < k; j++ {
			d, err := uv("neuron id")
			if err != nil {
				return nil, err
			}
			if d >= nn || next+d >= nn {
				return nil, bad("step %d: neuron id not below %d", s, nn)
			}
			id := next + d
			st.Neurons = append(st.Neurons, uint32(id))
			next = id + 1
		}
		f.Steps = append(f.Steps, st)
	}
	if _, err := cr.ReadByte(); err == nil {
		return nil, bad("data after the last step record")
	} else if !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("output: read spikes: %w", err)
	}
	return f, nil
}

// Spikes flattens a SpikeFile into spikes with absolute cycles (the cycle
// counts of earlier steps plus cycleOf(neuron), when cycleOf is non-nil).
func (f *SpikeFile) Spikes(cycleOf func(neuron uint32) uint64) []Spike {
	var out []Spike
	var base uint64
	for i, s := range f.Steps {
		for _, n := range s.Neurons {
			sp := Spike{Step: uint32(i), Neuron: n}
			if cycleOf != nil {
				sp.Cycle = base + cycleOf(n)
			}
			out = append(out, sp)
		}
		base += s.Cycles
	}
	return out
}
