package compiler

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
)

// LUTUnit is the width of one burst LUT bin in sigmoid units (the argument
// of the sigmoid): the 64 bins span ±32·LUTUnit = ±6, where the sigmoid is
// within 0.25 % of 0 or 1.
const LUTUnit = core.LUTUnit

// BurstLUT is the burst-probability table every image with burst units
// carries: entry i is round(255·sigmoid(x_i)) with x_i = (i − 32 + 0.5)·LUTUnit
// the centre of bin i. The table is shared by every burst population; each
// population's ashift (and vscale) map its apical voltages onto it.
func BurstLUT() [core.LUTSize]uint8 {
	var l [core.LUTSize]uint8
	for i := range l {
		l[i] = uint8(math.Round(255 * sigmoid((float64(i-core.LUTCenter)+0.5)*LUTUnit)))
	}
	return l
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// lutAlign makes a burst population's vscale a little coarser (by less than
// 2x) so that one LUT bin, 2^ashift LSB of apical voltage, is exactly
// LUTUnit sigmoid units: slope·vscale·2^ashift = LUTUnit. It returns the new
// vscale and ashift. ok is false when no 4-bit ashift can do that: the slope
// is too steep for vscale (a LUT bin would be finer than one LSB) or too
// shallow (the 64 bins would not cover the sigmoid within the VW-bit range).
func lutAlign(vscale, slope float64) (vs float64, ashift uint8, ok bool) {
	s := math.Floor(math.Log2(LUTUnit / (slope * vscale)))
	if s < 0 || s > core.MaxAShift {
		return vscale, 0, false
	}
	return LUTUnit / (slope * math.Ldexp(1, int(s))), uint8(s), true
}

// lutMaxErr is the largest difference between the hardware burst
// probability (lut[idx]/256: the LFSR byte is below p with probability
// p/256) and the float sigmoid(slope·(va − offset)), over apical voltages
// from 40 bins below to 40 bins above the offset.
func lutMaxErr(lut *[core.LUTSize]uint8, q core.BurstParams, vscale, slope, offset float64) float64 {
	step := int64(1)
	if q.AShift > 3 {
		step = 1 << (q.AShift - 3)
	}
	span := int64(40) << q.AShift
	worst := 0.0
	for d := -span; d <= span; d += step {
		va := int64(q.AOff) + d
		idx := min(max((va-int64(q.AOff))>>q.AShift+core.LUTCenter, 0), core.LUTSize-1)
		hw := float64(lut[idx]) / 256
		fl := sigmoid(slope * (float64(va)*vscale - offset))
		worst = math.Max(worst, math.Abs(hw-fl))
	}
	return worst
}

// pbarShift is round(log2(tau)) clamped to 0..7.
func pbarShift(tau float64) uint8 {
	return uint8(min(max(math.Round(math.Log2(tau)), 0), core.MaxPShift))
}

// teachLSB converts a teaching input (mV of steady-state apical
// depolarisation) into the teach register: teach·(1 − da/4096)/vscale, so
// that va settles at teach/vscale LSB.
func teachLSB(prof core.Profile, mv float64, da uint16, vscale float64) (int32, bool) {
	return clampV(prof, mv*(1-float64(da)/core.DecayOne)/vscale)
}

// lowerBurst fills the bparam word of burst population p, whose vscale has
// been aligned by lutAlign, and reports it.
func lowerBurst(net *network.Network, k int, prof core.Profile, l *popLowering, lut *[core.LUTSize]uint8, warn func(string, ...any)) (core.BurstParams, BurstReport, error) {
	p := net.Populations[k]
	a := p.Apical
	field := fmt.Sprintf("populations[%d].apical", k)
	vs := apicalScale(l.vscale)
	slope := a.Slope
	if p.Raw != nil {
		slope = LUTUnit / math.Ldexp(1, int(l.ashift))
	}
	q := core.BurstParams{BU: true, AShift: l.ashift}
	if a.Mode == network.ModeStochastic {
		q.BMode = core.BModeStochas
	}
	q.DA = decayMul(net.Dt, a.Tau)
	var sat bool
	if q.AOff, sat = clampV(prof, a.Offset/vs); sat {
		return q, BurstReport{}, &network.Error{File: net.File, Line: a.Line, Field: field + ".offset",
			Msg: fmt.Sprintf("%g mV does not fit the %d-bit apical voltage at %.3g mV/LSB", a.Offset, prof.VW, vs)}
	}
	q.PShift = pbarShift(a.PBarTau)
	if q.Teach, sat = teachLSB(prof, a.Teach, q.DA, vs); sat {
		warn("population %s: apical teach %g mV saturates the %d-bit teach register", p.Name, a.Teach, prof.VW)
	}
	hwSlope := LUTUnit / (vs * math.Ldexp(1, int(q.AShift)))
	mode := a.Mode
	r := BurstReport{Name: p.Name, Mode: mode, AShift: q.AShift, PShift: q.PShift,
		LUTMaxErr: lutMaxErr(lut, q, vs, slope, a.Offset)}
	hwTeach := 0.0
	if q.DA < core.DecayOne {
		hwTeach = float64(q.Teach) * vs / (1 - float64(q.DA)/core.DecayOne)
	}
	r.Params = []ParamReport{
		param("apical.tau", "ms", a.Tau, TauOf(net.Dt, q.DA), int64(q.DA)),
		param("apical.offset", "mV", a.Offset, float64(q.AOff)*vs, int64(q.AOff)),
		param("apical.slope", "/mV", slope, hwSlope, int64(q.AShift)),
		param("apical.pbar_tau", "events", a.PBarTau, math.Ldexp(1, int(q.PShift)), int64(q.PShift)),
		param("apical.teach", "mV", a.Teach, hwTeach, int64(q.Teach)),
	}
	if r.LUTMaxErr > 0.05 {
		warn("population %s: the burst LUT deviates from the sigmoid by up to %.3f (apical slope %g /mV at %.3g mV/LSB)", p.Name, r.LUTMaxErr, slope, vs)
	}
	return q, r, nil
}

// apicalScale is the apical voltage unit of a population with voltage scale
// vs: vs itself, or 1 (values in LSB) for raw populations (vs = 0).
func apicalScale(vs float64) float64 {
	if vs == 0 {
		return 1
	}
	return vs
}

// initPBar is the UQ8.8 register value of an initial burst-probability
// estimate p (0..1).
func initPBar(p float64) uint16 {
	return uint16(math.Round(p * core.MaxPBar))
}

// bdspScale is 2^16/255²: the hardware adds aplus·trace·err/2^16 LSB of w,
// and Etilde = trace/255, (B − Pbar) = err/255, so eta (weight units) becomes
// aplus = eta/wscale · 2^16/255².
const bdspScale = 65536.0 / (255 * 255)

// quantiseBDSP converts a BDSP description into a rule word: aplus as
// above, aminus 0 (unused by BDSP rules), bounds quantised like weights.
func quantiseBDSP(pr *network.Projection, wscale float64, warn func(string, ...any)) (core.Rule, RuleReport) {
	b := pr.BDSP
	x := math.Round(b.Eta / wscale * bdspScale)
	if x > 255 {
		warn("projection %s: bdsp eta %g is %.0f rule LSB, clamped to 255", pr.Name, b.Eta, x)
		x = 255
	}
	if x == 0 && b.Eta > 0 {
		warn("projection %s: bdsp eta %g rounds to 0 (the smallest non-zero eta is %.3g)", pr.Name, b.Eta, 0.5*wscale/bdspScale)
	}
	bound := func(v float64) int8 { return int8(roundW(v / wscale)) }
	r := core.Rule{APlus: uint8(x), WMin: bound(b.WMin), WMax: bound(b.WMax)}
	rr := RuleReport{Kind: "bdsp", Fraction: b.Fraction, Rule: r, Params: []ParamReport{
		param("eta", "w", b.Eta, x*wscale/bdspScale, int64(x)),
		param("w_min", "w", b.WMin, float64(r.WMin)*wscale, int64(r.WMin)),
		param("w_max", "w", b.WMax, float64(r.WMax)*wscale, int64(r.WMax)),
	}}
	return r, rr
}

// lfsrSeed derives the LFSR's initial state from the network seed (a
// splitmix64 finaliser folded to 16 bits; never 0).
func lfsrSeed(seed uint64) uint16 {
	z := seed + 0x9E3779B97F4A7C15
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	z ^= z >> 31
	s := uint16(z ^ z>>16 ^ z>>32 ^ z>>48)
	if s == 0 {
		s = 0xACE1
	}
	return s
}

// TeacherInfo is the lowered teacher of an image, kept in Meta.Extra under
// "teacher": the output population and its teach register values.
type TeacherInfo struct {
	Population string `json:"population"`
	Dataset    string `json:"dataset"`
	First      int    `json:"first"`
	Count      int    `json:"count"`
	On         int32  `json:"on"`  // teach register of the labelled neuron
	Off        int32  `json:"off"` // teach register of the others
}

// TeacherOf returns the teacher recorded in an image (also after the image
// went through JSON), or false.
func TeacherOf(im *core.Image) (TeacherInfo, bool) {
	v, ok := im.Meta.Extra["teacher"]
	if !ok {
		return TeacherInfo{}, false
	}
	if t, ok := v.(TeacherInfo); ok {
		return t, true
	}
	b, err := json.Marshal(v)
	var t TeacherInfo
	if err != nil || json.Unmarshal(b, &t) != nil {
		return TeacherInfo{}, false
	}
	return t, true
}

// TeachWrite is one host write of a neuron's teach register, before step
// Step runs (emulator.Core.SetTeach).
type TeachWrite struct {
	Step   int
	Neuron int   // absolute neuron id
	Teach  int32 // register value
}

// TeachSchedule converts net's teacher (network.Network.TeachWrites) into
// register writes for image im, compiled from net. Nil without a teacher.
func TeachSchedule(net *network.Network, im *core.Image, steps int) []TeachWrite {
	t := net.Teacher
	if t == nil || im.Burst == nil {
		return nil
	}
	pop, ok := im.Meta.PopulationByName(t.Population)
	if !ok {
		return nil
	}
	da := im.Burst.Params[pop.First].DA
	var out []TeachWrite
	for _, w := range net.TeachWrites(steps) {
		v, _ := teachLSB(im.Profile, w.MV, da, apicalScale(pop.VScale))
		out = append(out, TeachWrite{Step: w.Step, Neuron: pop.First + w.Index, Teach: v})
	}
	return out
}

// coreTeach converts teach writes into the image's form (core.Meta.Teach).
func coreTeach(ws []TeachWrite) []core.TeachWrite {
	var out []core.TeachWrite
	for _, w := range ws {
		out = append(out, core.TeachWrite{Step: uint32(w.Step), Neuron: uint32(w.Neuron), Teach: w.Teach})
	}
	return out
}
