package emulator

import (
	"math"
	"math/bits"

	"github.com/ncx-project/ncx/core"
)

// blockNeurons is the granule of the neuron table: its length is padded to a
// multiple of it, phase 1 ranges start and end on it, and each block owns one
// word of the spike bitmap, so ranges never share a word or a cache line.
const blockNeurons = 64

// neuronTable holds every neuron's parameters and state as parallel arrays
// (structure of arrays), so that a vector kernel loads 16 neurons' worth of
// one field with one instruction. Fields that are narrower than 32 bits are
// packed into shared words to keep the pass at nine streams.
//
// Packed words:
//
//	st   bits 0..7 ref, 8..15 tr, bit 16 force
//	dvdi bits 0..15 dv, 16..31 di
//	tp   bits 0..7 tref, 8..10 tr_shift, 16..23 tr_inc, 24..31 mode flags
//
// The mode flags are per-neuron variants of the phase-1 rule: bit 24 is
// rsub (reset by subtraction), which every kernel selects per lane.
//
// The arrays are padded to a multiple of blockNeurons with neurons that can
// never spike (thr above every reachable v) and whose state stays zero, so
// kernels need no tail loop. Nothing outside phase 1 reads the padding.
type neuronTable struct {
	n           int // real neurons; the arrays have len padded(n)
	v, i, acc   []int32
	st          []uint32
	thr, vreset []int32
	bias        []int32
	dvdi, tp    []uint32
	spikeBits   []uint64 // phase-1 output: bit k%64 of word k/64 is neuron k's spike

	// noTrace: every trace is 0 and every tr_inc is 0, so traces stay 0
	// (nothing else writes them); vector kernels then skip the trace decay.
	noTrace bool
}

// tpRSub is the rsub mode flag in tp.
const tpRSub = 1 << 24

const (
	stRefMask  = 0xff
	stTrShift  = 8
	stForceBit = 1 << 16
)

func padded(n int) int { return (n + blockNeurons - 1) / blockNeurons * blockNeurons }

func newNeuronTable(im *core.Image) *neuronTable {
	n := im.NumNeurons
	np := padded(n)
	t := &neuronTable{
		n: n, v: make([]int32, np), i: make([]int32, np), acc: make([]int32, np), st: make([]uint32, np),
		thr: make([]int32, np), vreset: make([]int32, np), bias: make([]int32, np),
		dvdi: make([]uint32, np), tp: make([]uint32, np), spikeBits: make([]uint64, np/blockNeurons),
	}
	for k := n; k < np; k++ {
		t.thr[k] = math.MaxInt32 // v never exceeds vmax < MaxInt32: padding never spikes
	}
	t.noTrace = true
	for k, q := range im.Params {
		s := im.State[k]
		t.v[k], t.i[k] = s.V, s.I
		t.st[k] = uint32(s.Ref) | uint32(im.Trace[k])<<stTrShift
		t.noTrace = t.noTrace && im.Trace[k] == 0
		t.setParams(k, q)
	}
	return t
}

// setParams writes neuron k's param word.
func (t *neuronTable) setParams(k int, q core.NeuronParams) {
	_ = t.thr[:t.n][k] // a padding neuron is out of range like any other
	t.thr[k], t.vreset[k], t.bias[k] = q.Thr, q.VReset, q.Bias
	t.dvdi[k] = uint32(q.DV) | uint32(q.DI)<<16
	tp := uint32(q.TRef) | uint32(q.TrShift&7)<<8 | uint32(q.TrInc)<<16
	if q.RSub {
		tp |= tpRSub
	}
	t.tp[k] = tp
	// a trace increment ends trace-free running for good (cheap to keep
	// correct, and images do not switch back)
	t.noTrace = t.noTrace && q.TrInc == 0
}

func (t *neuronTable) ref(k int) uint8   { return uint8(t.st[:t.n][k]) }
func (t *neuronTable) tr(k int) uint8    { return uint8(t.st[:t.n][k] >> stTrShift) }
func (t *neuronTable) force(k int)       { t.st[k] |= stForceBit }
func (t *neuronTable) forced(k int) bool { return t.st[k]&stForceBit != 0 }

// appendSpikes appends the ids of the neurons whose bit is set in the spike
// bitmap of blocks [lo/64, hi/64), ascending.
func (t *neuronTable) appendSpikes(spikes []uint32, lo, hi int) []uint32 {
	for w, word := range t.spikeBits[lo/blockNeurons : hi/blockNeurons] {
		base := uint32(lo + w*blockNeurons)
		for ; word != 0; word &= word - 1 {
			spikes = append(spikes, base+uint32(bits.TrailingZeros64(word)))
		}
	}
	return spikes
}

// phase1Scalar is the reference phase-1 pass (spec section 4) over neurons
// [lo, hi), both multiples of blockNeurons; every vector kernel must match it
// bit for bit. It writes the spike bitmap of its blocks.
func (t *neuronTable) phase1Scalar(lo, hi int, vmin, vmax int32) {
	out := t.spikeBits[lo/blockNeurons : hi/blockNeurons]
	vlo, vhi := int64(vmin), int64(vmax)
	for b := range out {
		k0 := lo + b*blockNeurons
		// array pointers of one block: no bounds checks inside it
		v, i, acc, st := (*[blockNeurons]int32)(t.v[k0:]), (*[blockNeurons]int32)(t.i[k0:]),
			(*[blockNeurons]int32)(t.acc[k0:]), (*[blockNeurons]uint32)(t.st[k0:])
		thr, vreset, bias := (*[blockNeurons]int32)(t.thr[k0:]), (*[blockNeurons]int32)(t.vreset[k0:]),
			(*[blockNeurons]int32)(t.bias[k0:])
		dvdi, tp := (*[blockNeurons]uint32)(t.dvdi[k0:]), (*[blockNeurons]uint32)(t.tp[k0:])
		var word uint64
		for k := range blockNeurons {
			// int64 sums stay exact for VW up to 30.
			dd, s, p := dvdi[k], st[k], tp[k]
			i1 := min(max(int64(decay(i[k], uint16(dd>>16)))+int64(acc[k]), vlo), vhi)
			acc[k] = 0
			ref := s & stRefMask
			v1 := int64(v[k])
			ref1 := ref
			if ref > 0 {
				ref1--
			} else {
				v1 = min(max(int64(decay(v[k], uint16(dd)))+i1+int64(bias[k]), vlo), vhi)
			}
			tr := uint32(tdecayTable[p>>8&7][uint8(s>>stTrShift)])
			if s&stForceBit != 0 || (ref == 0 && v1 >= int64(thr[k])) {
				if p&tpRSub != 0 {
					v1 = min(max(v1-int64(thr[k]), vlo), vhi)
				} else {
					v1 = int64(vreset[k])
				}
				ref1 = p & 0xff
				tr = min(tr+(p>>16&0xff), core.MaxTrace)
				word |= 1 << k
			}
			v[k], i[k], st[k] = int32(v1), int32(i1), ref1|tr<<stTrShift
		}
		out[b] = word
	}
}
