package nirimport

import (
	"fmt"
	"math"
)

type pspec struct {
	name     string
	required bool
	def      float64
}

// neuronParams lists the parameters of each neuron type (NIR's names).
var neuronParams = map[string][]pspec{
	"LIF":       {{"tau", true, 0}, {"r", true, 0}, {"v_leak", true, 0}, {"v_threshold", true, 0}, {"v_reset", false, 0}},
	"LI":        {{"tau", true, 0}, {"r", true, 0}, {"v_leak", true, 0}},
	"IF":        {{"r", true, 0}, {"v_threshold", true, 0}, {"v_reset", false, 0}},
	"I":         {{"r", true, 0}},
	"CubaLIF":   {{"tau_mem", true, 0}, {"tau_syn", true, 0}, {"r", true, 0}, {"v_leak", true, 0}, {"v_threshold", true, 0}, {"v_reset", false, 0}, {"w_in", false, 1}},
	"CubaLI":    {{"tau_mem", true, 0}, {"tau_syn", true, 0}, {"r", true, 0}, {"v_leak", true, 0}, {"w_in", false, 1}},
	"Threshold": {{"threshold", true, 0}},
}

// Methods of discretisation (docs/nir.md).
const (
	MethodExact = "exact" // exponential decay, input held over the step
	MethodEuler = "euler" // forward Euler, as snnTorch and Norse step
)

// phys is one neuron's discretised dynamics in the NIR node's voltage
// units, relative to v_leak (u = v − v_leak):
//
//	i' = as·i + gain·x,   u' = am·u + i' + bias,   spike if u' >= thr, then u' = reset
//
// or, with rsub (reset by subtraction), u' = u' − thr after a spike.
//
// where x is the neuron's input (weights times spikes, per step).
type phys struct {
	am, as   float64
	gain     float64
	bias     float64 // added to u every step
	thr      float64
	reset    float64
	init     float64
	spiking  bool
	rsub     bool
	vleak    float64 // for reporting absolute voltages
	tauMem   float64 // requested (s), 0 for none
	tauSyn   float64
	leakFree bool // I and IF: no leak, v integrates without bound
}

// neuronParamsAt reads every parameter of neuron j of a node.
type paramTable struct {
	vals map[string][]float64
}

func (t paramTable) at(name string, j int) float64 {
	v := t.vals[name]
	if len(v) == 0 {
		return 0
	}
	if len(v) == 1 {
		return v[0]
	}
	return v[j]
}

func (g *graph) paramTable(n *node) (paramTable, error) {
	t := paramTable{vals: map[string][]float64{}}
	size := prod(n.shape)
	for _, p := range neuronParams[n.typ] {
		x, _, err := g.floats(n, p.name, p.required)
		if err != nil {
			return t, err
		}
		if x == nil {
			x = []float64{p.def}
		}
		if len(x) != 1 && len(x) != size {
			return t, g.errf(n.name, "parameter %s has %d elements for %d neurons", p.name, len(x), size)
		}
		for _, v := range x {
			if math.IsInf(v, 0) {
				return t, g.errf(n.name, "parameter %s is infinite", p.name)
			}
		}
		t.vals[p.name] = x
	}
	return t, nil
}

// discretise returns neuron j's dynamics at step dt (seconds); bias is the
// constant input the linear layers add (in x units).
func (g *graph) discretise(n *node, t paramTable, j int, dt, bias float64, method string, rsub bool) (phys, error) {
	decay := func(tau float64, what string) (float64, float64, error) {
		if !(tau > 0) {
			return 0, 0, g.errf(n.name, "%s must be > 0, got %g", what, tau)
		}
		if method == MethodEuler {
			a := 1 - dt/tau
			if a < 0 {
				return 0, 0, g.errf(n.name, "%s = %g s is shorter than dt = %g s: forward Euler would oscillate", what, tau, dt)
			}
			return a, dt / tau, nil
		}
		a := math.Exp(-dt / tau)
		return a, 1 - a, nil
	}
	var p phys
	r := t.at("r", j)
	switch n.typ {
	case "LIF", "LI":
		am, k, err := decay(t.at("tau", j), "tau")
		if err != nil {
			return p, err
		}
		p.am, p.gain, p.tauMem = am, k*r, t.at("tau", j)
		p.bias = p.gain * bias
	case "CubaLIF", "CubaLI":
		am, km, err := decay(t.at("tau_mem", j), "tau_mem")
		if err != nil {
			return p, err
		}
		as, ks, err := decay(t.at("tau_syn", j), "tau_syn")
		if err != nil {
			return p, err
		}
		win := t.at("w_in", j)
		p.am, p.as, p.tauMem, p.tauSyn = am, as, t.at("tau_mem", j), t.at("tau_syn", j)
		p.gain = km * r * ks * win
		// A constant input settles the current at w_in·b; the core adds it
		// to v directly, so the current's rise over the first few tau_syn
		// is skipped (docs/nir.md).
		p.bias = km * r * win * bias
	case "IF", "I":
		p.am, p.gain, p.leakFree = 1, dt*r, true
		p.bias = p.gain * bias
	case "Threshold":
		p.gain, p.bias = 1, bias
		p.thr, p.spiking = t.at("threshold", j), true
		return p, nil
	}
	if n.typ == "LIF" || n.typ == "CubaLIF" || n.typ == "IF" {
		p.spiking = true
		if n.typ != "IF" {
			p.vleak = t.at("v_leak", j)
		}
		p.thr = t.at("v_threshold", j) - p.vleak
		if rsub {
			// v_reset plays no part; u drops by thr, which must be a drop
			p.rsub = true
			if p.thr <= 0 {
				return p, g.errf(n.name, "reset by subtraction needs v_threshold %g above v_leak %g (neuron %d)", t.at("v_threshold", j), p.vleak, j)
			}
		} else if p.reset = t.at("v_reset", j) - p.vleak; p.reset >= p.thr {
			return p, g.errf(n.name, "v_reset %g is not below v_threshold %g (neuron %d)", t.at("v_reset", j), t.at("v_threshold", j), j)
		}
	} else if n.typ != "I" {
		p.vleak = t.at("v_leak", j)
	}
	// NIR simulators start every state at 0, so u starts at −v_leak.
	p.init = -p.vleak
	return p, nil
}

// ParamReport compares one requested parameter with what the core does.
type ParamReport struct {
	Node       string  `json:"node"`
	Population string  `json:"population"`
	Name       string  `json:"name"`
	Requested  float64 `json:"requested"`
	Hardware   float64 `json:"hardware"`
	Unit       string  `json:"unit"`
	// RelErr is (hardware − requested)/|requested|, 0 when requested is 0
	// (AbsErr says it then).
	RelErr float64 `json:"rel_err"`
	AbsErr float64 `json:"abs_err"`
}

func paramReport(node, pop, name, unit string, req, hw float64) ParamReport {
	rel := 0.0
	if req != 0 {
		rel = (hw - req) / math.Abs(req)
	}
	if math.IsInf(hw, 0) {
		// the multiplier rounded to 4096: no decay at all (JSON has no Inf)
		rel, hw = math.MaxFloat64, math.MaxFloat64
	}
	return ParamReport{Node: node, Population: pop, Name: name, Requested: req, Hardware: hw, Unit: unit, RelErr: rel, AbsErr: hw - req}
}

// tauOf inverts the decay multiplier m (of 4096) into a time constant.
func tauOf(m int64, dt float64, method string) float64 {
	a := float64(m) / 4096
	switch {
	case a <= 0:
		return 0
	case a >= 1:
		return math.Inf(1)
	case method == MethodEuler:
		return dt / (1 - a)
	}
	return -dt / math.Log(a)
}

func fmtShape(s []int) string { return fmt.Sprint(s) }
