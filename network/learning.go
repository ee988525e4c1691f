package network

import "gopkg.in/yaml.v3"

// Teaching modes of a learning protocol.
const (
	// TeachLabel writes the teacher's on into the labelled output neuron
	// and off into the others, as the teacher does in a plain run.
	TeachLabel = "label"
	// TeachError writes on·(t − e) into every output neuron: t is 1 for the
	// label and 0 otherwise, e = min(1, count/full_count) the neuron's
	// event count of the forward phase. The burst probability of each output
	// then moves by its error (rate-form burstprop's output error).
	TeachError = "error"
)

// Evaluation sets of a learning protocol.
const (
	EvalTest  = "test"  // the dataset's test split
	EvalTrain = "train" // the training split (for tasks such as XOR whose test set is the training set)
)

// Learning is the protocol ncx learn runs on a network with a teacher: per
// training sample a forward phase (the dataset_input's present_steps, teach
// at 0; the output event counts are the prediction), a teaching phase
// (input on, teacher's inputs set, output neurons forced to fire every
// step), a gap (the input's gap_steps, nothing on) and a relax phase
// (outputs forced at teach 0, so the burst-probability estimates see
// rest-level bursts while the presynaptic traces are near 0). Every weight
// change is made by the core's BDSP rules; the host only forces spikes and
// writes registers between phases.
type Learning struct {
	Epochs     int
	TeachSteps int
	RelaxSteps int
	Teach      string  // TeachLabel or TeachError
	FullCount  float64 // TeachError: forward-phase count that means e = 1
	// Repeat presents every training sample this many times per epoch.
	Repeat int
	// HalveEvery > 0 halves the aplus of every BDSP rule (down to 1) every
	// HalveEvery epochs; with HalveInputTrace the dataset input's trace
	// increment too (the presynaptic factor of the first layer's rule, so
	// its rate keeps falling below aplus = 1).
	HalveEvery      int
	HalveInputTrace bool
	// ErrorsOnly skips the teaching phase of samples the forward phase
	// already classifies right (the gap and relax phases still run).
	ErrorsOnly bool
	// HiddenEpochs > 0 stops hidden-layer learning after that many epochs
	// (the host writes aplus 0 into the first layer's rule); the output
	// layer keeps learning.
	HiddenEpochs int
	// Evaluation after every epoch, on a copy of the weights with every
	// aplus 0: EvalSet (EvalTest or EvalTrain), each sample presented
	// EvalRepeats times (gap and forward phase, counts summed), the set
	// taken EvalCopies times.
	EvalSet     string
	EvalRepeats int
	EvalCopies  int
	Line        int
}

func (d *dec) learning(node *yaml.Node, path string, n *Network) (*Learning, error) {
	o, err := d.object(node, path)
	if err != nil {
		return nil, err
	}
	l := &Learning{Line: o.node.Line, Teach: TeachError, Repeat: 1, EvalSet: EvalTest, EvalRepeats: 1, EvalCopies: 1}
	if n.Teacher == nil {
		return nil, d.err(node, path, "needs a teacher (the output population and the dataset it learns)")
	}
	ints := []struct {
		k      string
		v      *int
		lo, hi int64
		req    bool
	}{
		{"epochs", &l.Epochs, 1, 1 << 20, true},
		{"teach_steps", &l.TeachSteps, 1, MaxSteps, true},
		{"relax_steps", &l.RelaxSteps, 0, MaxSteps, false},
		{"repeat", &l.Repeat, 1, 1 << 20, false},
		{"halve_every", &l.HalveEvery, 0, 1 << 20, false},
		{"hidden_epochs", &l.HiddenEpochs, 0, 1 << 20, false},
		{"eval_repeats", &l.EvalRepeats, 1, 1 << 10, false},
		{"eval_copies", &l.EvalCopies, 1, 1 << 10, false},
	}
	for _, f := range ints {
		v, ok, err := o.optInt(f.k, f.lo, f.hi)
		if err != nil {
			return nil, err
		}
		if !ok && f.req {
			return nil, o.missing(f.k)
		}
		if ok {
			*f.v = int(v)
		}
	}
	if m, ok, err := o.optStr("teach"); err != nil {
		return nil, err
	} else if ok {
		if m != TeachLabel && m != TeachError {
			return nil, d.err(o.get("teach"), o.sub("teach"), "unknown teaching mode %q (want label or error)", m)
		}
		l.Teach = m
	}
	if v, ok, err := o.optFloat("full_count"); err != nil {
		return nil, err
	} else if ok {
		if v <= 0 {
			return nil, d.err(o.get("full_count"), o.sub("full_count"), "must be > 0, got %g", v)
		}
		l.FullCount = v
	} else if l.Teach == TeachError {
		return nil, o.missing("full_count")
	}
	for _, f := range []struct {
		k string
		v *bool
	}{{"halve_input_trace", &l.HalveInputTrace}, {"errors_only", &l.ErrorsOnly}} {
		if v, ok, err := o.optBool(f.k); err != nil {
			return nil, err
		} else if ok {
			*f.v = v
		}
	}
	if s, ok, err := o.optStr("eval_set"); err != nil {
		return nil, err
	} else if ok {
		if s != EvalTest && s != EvalTrain {
			return nil, d.err(o.get("eval_set"), o.sub("eval_set"), "unknown set %q (want test or train)", s)
		}
		l.EvalSet = s
	}
	return l, o.done()
}
