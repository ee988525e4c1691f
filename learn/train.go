package learn

import (
	"math"
	"math/rand/v2"
	"time"
)

// EpochStats summarises one training epoch.
type EpochStats struct {
	Epoch       int     `json:"epoch"`
	TrainAcc    float64 `json:"train_acc"` // online: forward-phase predictions during the epoch
	TestAcc     float64 `json:"test_acc"`  // frozen copy after the epoch
	BurstTarget float64 `json:"burst_target"`
	BurstOther  float64 `json:"burst_other"`
	PBarTarget  float64 `json:"pbar_target"`
	PBarOther   float64 `json:"pbar_other"`
	HidWMean    float64 `json:"hid_w_mean"` // input->hidden weights after the epoch, LSB
	HidWStd     float64 `json:"hid_w_std"`
	HidWMove    float64 `json:"hid_w_move"` // RMS change of the input->hidden weights over the epoch
	// HidCredit is the cosine between the input->hidden weight change of the
	// epoch and the feedback-alignment direction Σ (Yᵀ(t − e))·xᵀ of its
	// samples: > 0 means the core moved the hidden weights the way the output
	// error, sent back through the burst feedback, asks.
	HidCredit float64 `json:"hid_credit"`
	OutWMean  float64 `json:"out_w_mean"`
	OutWStd   float64 `json:"out_w_std"`
	Diag      Diag    `json:"diag"`
	Steps     int     `json:"steps"` // core steps of the epoch's training
	WallSec   float64 `json:"wall_sec"`
}

// Train runs epochs of on-core training of n on train (order reshuffled each
// epoch with PCG(seed, epoch)) and evaluates on test after every epoch.
func Train(n *Net, train, test *Dataset, epochs int, seed uint64, onEpoch func(EpochStats)) ([]EpochStats, error) {
	var out []EpochStats
	order := make([]int, train.Len())
	for i := range order {
		order[i] = i
	}
	if n.diag == nil {
		n.EnableDiag()
	}
	for ep := range epochs {
		w0 := n.hiddenWeights()
		clear(n.faDir)
		stopHidden := n.Proto.HiddenEpochs > 0 && ep == n.Proto.HiddenEpochs
		if d := n.Proto.HalveEvery; d > 0 && ep > 0 && ep%d == 0 || stopHidden {
			scale := 1
			if d > 0 {
				scale = 1 << min(ep/d, 8)
			}
			n.frozen = n.frozen || stopHidden
			if err := n.SetRates(scale, n.Proto.HalveInputTrace); err != nil {
				return out, err
			}
		}
		t0 := time.Now()
		s0 := n.Steps()
		rng := rand.New(rand.NewPCG(seed, uint64(ep)+1))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		st := EpochStats{Epoch: ep + 1}
		correct := 0
		for _, i := range order {
			s := n.TrainSample(train.X[i], train.Y[i])
			if s.Pred == train.Y[i] {
				correct++
			}
			st.BurstTarget += s.BurstTarget
			st.BurstOther += s.BurstOther
			st.PBarTarget += s.PBarTarget
			st.PBarOther += s.PBarOther
		}
		m := float64(max(1, len(order)))
		st.TrainAcc = float64(correct) / m
		st.BurstTarget /= m
		st.BurstOther /= m
		st.PBarTarget /= m
		st.PBarOther /= m
		st.Steps = n.Steps() - s0
		st.Diag = n.TakeDiag()
		st.HidWMean, st.HidWStd = n.WeightStats(n.inHid)
		st.OutWMean, st.OutWStd = n.WeightStats(n.hidOut)
		w1 := n.hiddenWeights()
		st.HidWMove = rmsDiff(w0, w1)
		st.HidCredit = n.credit(w0, w1)
		st.WallSec = time.Since(t0).Seconds()
		acc, err := n.Evaluate(test.X, test.Y)
		if err != nil {
			return out, err
		}
		st.TestAcc = acc
		out = append(out, st)
		if onEpoch != nil {
			onEpoch(st)
		}
	}
	return out, nil
}

// hiddenWeights is a copy of the input->hidden weights.
func (n *Net) hiddenWeights() []int8 {
	var w []int8
	for a, p := range n.Image.Meta.SynProj {
		if int(p) == n.inHid {
			w = append(w, n.Core.Weight(a))
		}
	}
	return w
}

func rmsDiff(a, b []int8) float64 {
	s := 0.0
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		s += d * d
	}
	return math.Sqrt(s / float64(max(1, len(a))))
}

// credit is the cosine between the hidden weight change w1 − w0 and faDir.
// Weights are laid out by source (input i) then target (hidden j).
func (n *Net) credit(w0, w1 []int8) float64 {
	if n.faDir == nil || len(w0) != n.In.Count*n.Hid.Count {
		return 0
	}
	dot, na, nb := 0.0, 0.0, 0.0
	for i := range n.In.Count {
		for j := range n.Hid.Count {
			d := float64(w1[i*n.Hid.Count+j]) - float64(w0[i*n.Hid.Count+j])
			f := n.faDir[j*n.In.Count+i]
			dot += d * f
			na += d * d
			nb += f * f
		}
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
