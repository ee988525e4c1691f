package emulator

import (
	"math"
	"math/big"

	"github.com/ncx-project/ncx/core"
)

// specCore is a deliberately naive transcription of docs/core-spec.md section
// 4, using math/big for every intermediate so that no Go integer overflow or
// clever branch-free trick can hide a bug in the fast emulator.
type specCore struct {
	im    *core.Image
	state []core.NeuronState
	trace []uint8
	acc   []int64
	force []bool
	syn   []core.Synapse
	// burst units (spec section 8)
	bstate []core.BurstState
	acca   []int64
	lfsr   uint16
	burst  []bool
	wfrac  []uint8 // per fan-in address (section 8.4)
}

func newSpecCore(im *core.Image) *specCore {
	s := &specCore{im: im, state: append([]core.NeuronState(nil), im.State...), trace: append([]uint8(nil), im.Trace...),
		acc: make([]int64, im.NumNeurons), force: make([]bool, im.NumNeurons), syn: append([]core.Synapse(nil), im.Syn...)}
	if im.Burst != nil {
		s.bstate = append([]core.BurstState(nil), im.Burst.State...)
		s.acca = make([]int64, im.NumNeurons)
		s.lfsr = im.Burst.LFSR
		s.burst = make([]bool, im.NumNeurons)
		s.wfrac = make([]uint8, len(im.Rev))
		copy(s.wfrac, im.Burst.WFrac)
	}
	return s
}

func (s *specCore) sat(x *big.Int) int64 {
	lo := big.NewInt(int64(s.im.Profile.VMin()))
	hi := big.NewInt(int64(s.im.Profile.VMax()))
	if x.Cmp(lo) < 0 {
		return lo.Int64()
	}
	if x.Cmp(hi) > 0 {
		return hi.Int64()
	}
	return x.Int64()
}

func specDecay(x int64, m uint16) *big.Int {
	ax := new(big.Int).Abs(big.NewInt(x))
	ax.Mul(ax, big.NewInt(int64(m)))
	ax.Rsh(ax, 12)
	if x < 0 {
		ax.Neg(ax)
	}
	return ax
}

func specRmul(a, b uint8) int64 { return (int64(a)*int64(b) + 128) / 256 }

func specClip(x, lo, hi int64) int64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

func (s *specCore) burstPhase1(n int, spike bool) {
	q := s.im.Burst.Params[n]
	aa := s.acca[n]
	s.acca[n] = 0
	s.burst[n] = false
	if !q.BU {
		return
	}
	st := &s.bstate[n]
	sum := new(big.Int).Add(specDecay(int64(st.VA), q.DA), big.NewInt(aa))
	sum.Add(sum, big.NewInt(int64(q.Teach)))
	st.VA = int32(s.sat(sum))
	if !spike {
		return
	}
	d := int64(st.VA) - int64(q.AOff)
	idx := int64(math.Floor(float64(d)/math.Pow(2, float64(q.AShift)))) + 32
	idx = specClip(idx, 0, 63)
	p := s.im.Burst.LUT[idx]
	var b bool
	if q.BMode == 0 {
		b = p >= 128
	} else {
		s.lfsr = core.LFSRNext(s.lfsr)
		b = int(s.lfsr%256) < int(p)
	}
	s.burst[n] = b
	target := 0
	if b {
		target = 255
	}
	st.Err = int16(target - int(math.Round(float64(st.PBar)/256+1e-9)))
	diff := float64(target*256 - int(st.PBar))
	st.PBar = uint16(int(st.PBar) + int(math.Floor(diff/math.Pow(2, float64(q.PShift)))))
}

func (s *specCore) step() (spikes []uint32, f, g, fb uint64) {
	var bcount uint64
	im := s.im
	for n := 0; n < im.NumNeurons; n++ {
		q := im.Params[n]
		st := s.state[n]
		a := s.acc[n]
		s.acc[n] = 0
		frc := s.force[n]
		s.force[n] = false
		i1 := s.sat(new(big.Int).Add(specDecay(int64(st.I), q.DI), big.NewInt(a)))
		var v1 int64
		var ref1 int
		if st.Ref > 0 {
			ref1 = int(st.Ref) - 1
			v1 = int64(st.V)
		} else {
			sum := new(big.Int).Add(specDecay(int64(st.V), q.DV), big.NewInt(i1))
			sum.Add(sum, big.NewInt(int64(q.Bias)))
			v1 = s.sat(sum)
		}
		spike := frc || (st.Ref == 0 && v1 >= int64(q.Thr))
		if spike {
			if q.RSub {
				v1 = s.sat(big.NewInt(v1 - int64(q.Thr)))
			} else {
				v1 = int64(q.VReset)
			}
			ref1 = int(q.TRef)
		}
		tr := int(s.trace[n])
		k := int(q.TrShift)
		tr1 := tr - (tr+(1<<k)-1)/(1<<k)
		if spike {
			tr1 += int(q.TrInc)
			if tr1 > 255 {
				tr1 = 255
			}
			spikes = append(spikes, uint32(n))
		}
		s.state[n] = core.NeuronState{V: int32(v1), I: int32(i1), Ref: uint8(ref1)}
		s.trace[n] = uint8(tr1)
		if im.Burst != nil {
			s.burstPhase1(n, spike)
		}
	}
	for _, sp := range spikes {
		fo := im.Fanout[sp]
		for k := uint32(0); k < fo.FoCnt; k++ {
			a := fo.FoBase + k
			sy := s.syn[a]
			s.acc[sy.Tgt] = s.sat(big.NewInt(s.acc[sy.Tgt] + int64(sy.W)*(1<<sy.WExp)))
			if sy.Rule != 0 && !im.Burst.IsBDSP(sy.Rule) {
				r := im.Rules[sy.Rule]
				s.syn[a].W = int8(specClip(int64(sy.W)-specRmul(r.AMinus, s.trace[sy.Tgt]), int64(r.WMin), int64(r.WMax)))
			}
			f++
		}
		if im.Burst != nil && s.burst[sp] {
			bf := im.Burst.BFanout[sp]
			for k := uint32(0); k < bf.BoCnt; k++ {
				sy := s.syn[bf.BoBase+k]
				s.acca[sy.Tgt] = s.sat(big.NewInt(s.acca[sy.Tgt] + int64(sy.W)*(1<<sy.WExp)))
				fb++
				bcount++
			}
		}
	}
	_ = bcount
	for _, sp := range spikes {
		fo := im.Fanout[sp]
		for k := uint32(0); k < fo.FiCnt; k++ {
			fa := fo.FiBase + k
			e := im.Rev[fa]
			sy := s.syn[e.SAddr]
			r := im.Rules[sy.Rule]
			if im.Burst.HasFrac(sy.Rule) {
				prod := int64(r.APlus) * int64(s.trace[e.Src]) * int64(s.bstate[sp].Err)
				s.lfsr = core.LFSRNext(s.lfsr)
				full := int64(sy.W)*256 + int64(s.wfrac[fa])
				d := int64(math.Floor(float64(prod+int64(s.lfsr)/256) / 256))
				nf := specClip(full+d, int64(r.WMin)*256, int64(r.WMax)*256+255)
				w := int64(math.Floor(float64(nf) / 256))
				s.syn[e.SAddr].W = int8(w)
				s.wfrac[fa] = uint8(nf - 256*w)
				g++
				continue
			}
			if im.Burst.IsBDSP(sy.Rule) {
				prod := int64(r.APlus) * int64(s.trace[e.Src]) * int64(s.bstate[sp].Err)
				s.lfsr = core.LFSRNext(s.lfsr)
				dw := int64(math.Floor(float64(prod+int64(s.lfsr)) / 65536))
				s.syn[e.SAddr].W = int8(specClip(int64(sy.W)+dw, int64(r.WMin), int64(r.WMax)))
				g++
				continue
			}
			s.syn[e.SAddr].W = int8(specClip(int64(sy.W)+specRmul(r.APlus, s.trace[e.Src]), int64(r.WMin), int64(r.WMax)))
			g++
		}
	}
	return spikes, f, g, fb
}
