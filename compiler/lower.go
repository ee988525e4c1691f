package compiler

import (
	"fmt"
	"math"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
)

// popLowering is what the compiler decided for one population.
type popLowering struct {
	params core.NeuronParams
	vscale float64 // mV per LSB; 0 for raw and input populations
	// wfactor converts a weight in the population's physical units (mV of
	// current jump) into LSB of acc: (1 - a_m) / vscale, or 1 for raw
	// populations whose weights are already in LSB.
	wfactor float64
	vrest   float64 // subtracted from physical voltages (0 for raw)
	report  PopulationReport
	// Burst populations: afactor converts a burst-channel weight (mV of
	// apical voltage jump) into LSB of acca, 1/vscale; ashift is the LUT
	// shift chosen with vscale (lutAlign).
	afactor float64
	ashift  uint8
}

func decayMul(dt, tau float64) uint16 {
	return uint16(math.Round(core.DecayOne * math.Exp(-dt/tau)))
}

// TauOf converts a decay multiplier back into a time constant (ms); m =
// DecayOne (no decay) gives +Inf.
func TauOf(dt float64, m uint16) float64 {
	if m == 0 {
		return 0
	}
	return -dt / math.Log(float64(m)/core.DecayOne)
}

// traceShift picks the tr_shift k whose per-step ratio 1 - 2^-k is closest to
// exp(-dt/tau); k = 0 (ratio 0) clears the trace each step.
func traceShift(dt, tau float64) uint8 {
	want := math.Exp(-dt / tau)
	best, bestErr := uint8(0), math.Inf(1)
	for k := 0; k <= core.MaxTrShift; k++ {
		r := 0.0
		if k > 0 {
			r = 1 - math.Ldexp(1, -k)
		}
		if e := math.Abs(r - want); e < bestErr {
			best, bestErr = uint8(k), e
		}
	}
	return best
}

// TraceTau is the time constant (ms) of the hardware trace decay with shift k.
func TraceTau(dt float64, k uint8) float64 {
	if k == 0 {
		return 0
	}
	return -dt / math.Log1p(-math.Ldexp(1, -int(k)))
}

func clampV(p core.Profile, x float64) (int32, bool) {
	r := math.Round(x)
	if r > float64(p.VMax()) {
		return p.VMax(), true
	}
	if r < float64(p.VMin()) {
		return p.VMin(), true
	}
	return int32(r), false
}

func param(name, unit string, req, hw float64, raw int64) ParamReport {
	pr := ParamReport{Name: name, Unit: unit, Requested: req, Hardware: hw, Raw: raw}
	switch {
	case math.IsInf(hw, 0) || math.IsNaN(hw):
		pr.Hardware, pr.RelErr, pr.Note = 0, 1, "not representable"
	case req != 0:
		pr.RelErr = math.Abs(hw-req) / math.Abs(req)
	default:
		pr.RelErr = math.Abs(hw - req) // absolute error when nothing was requested
	}
	return pr
}

// maxWeightLSB is the largest synaptic contribution the core can add in one
// synapse event: w << wexp with w = 127 and wexp = 7.
const maxWeightLSB = 127 << core.MaxWExp

// lowerPopulation maps population k onto hardware parameters.
//
// maxW is the largest |weight| (mV) of any event synapse arriving at the
// population, including STDP and BDSP bounds; maxA that of any burst synapse.
func lowerPopulation(net *network.Network, k int, prof core.Profile, maxW, maxA float64, warn func(string, ...any)) (popLowering, error) {
	p := net.Populations[k]
	dt := net.Dt
	var l popLowering
	l.report = PopulationReport{Name: p.Name, Kind: p.Kind, Size: p.Size}
	if p.Reset == network.ResetSubtract {
		l.report.Reset = p.Reset
	}
	field := fmt.Sprintf("populations[%d]", k)
	traceParams := func(t *network.Trace) {
		if t == nil {
			return
		}
		l.params.TrShift = traceShift(dt, t.Tau)
		l.params.TrInc = uint8(t.Inc)
		l.report.Params = append(l.report.Params,
			param("trace.tau", "ms", t.Tau, TraceTau(dt, l.params.TrShift), int64(l.params.TrShift)),
			param("trace.inc", "", float64(t.Inc), float64(t.Inc), int64(t.Inc)))
	}
	switch {
	case p.IsInput():
		// Inputs never fire on their own: v stays 0 and thr is out of reach.
		l.params = core.NeuronParams{Thr: prof.VMax()}
		l.wfactor = 1
		traceParams(p.Trace)
		return l, nil
	case p.Raw != nil:
		r := p.Raw
		l.wfactor = 1
		var sat [3]bool
		l.params.Thr, sat[0] = clampV(prof, float64(r.Thr))
		l.params.VReset, sat[1] = clampV(prof, float64(r.VReset))
		l.params.Bias, sat[2] = clampV(prof, float64(r.Bias))
		if sat[0] || sat[1] || sat[2] {
			return l, &network.Error{File: net.File, Line: p.Line, Field: field + ".raw",
				Msg: fmt.Sprintf("thr/vreset/bias do not fit the %d-bit state of profile %s", prof.VW, prof.Name)}
		}
		l.params.DV, l.params.DI = uint16(r.DV), uint16(r.DI)
		l.params.TRef, l.params.TrShift, l.params.TrInc = uint8(r.TRef), uint8(r.TrShift), uint8(r.TrInc)
		l.params.RSub = p.Reset == network.ResetSubtract
		l.report.Raw = true
		if a := p.Apical; a != nil {
			// raw burst units: apical voltages and burst weights in LSB
			l.ashift, l.afactor = uint8(a.AShift), 1
		}
		return l, nil
	}
	am := math.Exp(-dt / p.TauMem)
	// vscale: the largest voltage magnitude the description asks for uses a
	// quarter of the signed range, leaving 4x headroom for excursions below
	// reset under inhibition and above threshold within a step.
	lo, hi := p.VInit.Bounds()
	m := math.Max(math.Max(math.Abs(p.VThresh-p.VRest), math.Abs(p.VReset-p.VRest)),
		math.Max(math.Abs(lo-p.VRest), math.Abs(hi-p.VRest)))
	if a := p.Apical; a != nil {
		// The apical voltage shares the scale: its offset with the
		// sigmoid's useful range (±6 units) and the teaching inputs.
		m = math.Max(m, math.Max(math.Abs(a.Offset)+6/a.Slope, math.Abs(a.Teach)))
		if t := net.Teacher; t != nil && t.PopIdx == k {
			m = math.Max(m, math.Max(math.Abs(t.On), math.Abs(t.Off)))
		}
	}
	if m == 0 {
		m = 1
	}
	quarter := math.Ldexp(1, int(prof.VW)-3)
	l.vscale = m / quarter
	if wmin := maxW * (1 - am) / maxWeightLSB; wmin > l.vscale {
		l.vscale = wmin
		l.report.WeightLimited = true
	}
	if amin := maxA / maxWeightLSB; amin > l.vscale {
		l.vscale = amin
		l.report.WeightLimited = true
	}
	if a := p.Apical; a != nil {
		var ok bool
		if l.vscale, l.ashift, ok = lutAlign(l.vscale, a.Slope); !ok {
			steep := LUTUnit / (a.Slope * l.vscale)
			why := fmt.Sprintf("too steep: one LUT bin would be %.2g LSB of apical voltage at %.3g mV/LSB", steep, l.vscale)
			if steep >= 1 {
				why = fmt.Sprintf("too shallow: one LUT bin would need 2^%d LSB, the 4-bit ashift reaches 2^%d", int(math.Log2(steep)), core.MaxAShift)
			}
			return l, &network.Error{File: net.File, Line: a.Line, Field: fmt.Sprintf("populations[%d].apical.slope", k),
				Msg: fmt.Sprintf("%g per mV is %s", a.Slope, why)}
		}
		l.afactor = 1 / l.vscale
	}
	l.vrest = p.VRest
	l.wfactor = (1 - am) / l.vscale
	l.report.VScale = l.vscale

	var sat bool
	l.params.Thr, _ = clampV(prof, (p.VThresh-p.VRest)/l.vscale)
	l.params.VReset, _ = clampV(prof, (p.VReset-p.VRest)/l.vscale)
	l.params.RSub = p.Reset == network.ResetSubtract
	l.params.Bias, sat = clampV(prof, p.Bias*(1-am)/l.vscale)
	if sat {
		warn("population %s: bias %g mV saturates the %d-bit bias register", p.Name, p.Bias, prof.VW)
	}
	l.params.DV = decayMul(dt, p.TauMem)
	l.params.DI = decayMul(dt, p.TauSyn)
	steps := math.Round(p.TRef / dt)
	if steps > core.MaxRef {
		return l, &network.Error{File: net.File, Line: p.Line, Field: field + ".t_ref",
			Msg: fmt.Sprintf("%g ms is %g steps at dt=%g ms, above the hardware maximum %d", p.TRef, steps, dt, core.MaxRef)}
	}
	l.params.TRef = uint8(steps)
	vs := l.vscale
	l.report.Params = append(l.report.Params,
		param("v_thresh", "mV", p.VThresh, p.VRest+float64(l.params.Thr)*vs, int64(l.params.Thr)))
	if !l.params.RSub { // a subtracting population has no v_reset
		l.report.Params = append(l.report.Params,
			param("v_reset", "mV", p.VReset, p.VRest+float64(l.params.VReset)*vs, int64(l.params.VReset)))
	}
	l.report.Params = append(l.report.Params,
		param("bias", "mV", p.Bias, float64(l.params.Bias)*vs/(1-am), int64(l.params.Bias)),
		param("tau_mem", "ms", p.TauMem, TauOf(dt, l.params.DV), int64(l.params.DV)),
		param("tau_syn", "ms", p.TauSyn, TauOf(dt, l.params.DI), int64(l.params.DI)),
		param("t_ref", "ms", p.TRef, float64(l.params.TRef)*dt, int64(l.params.TRef)))
	traceParams(p.Trace)
	if l.params.DV == core.DecayOne {
		warn("population %s: tau_mem %g ms is so long that v does not decay at all at dt=%g ms", p.Name, p.TauMem, dt)
	}
	return l, nil
}
