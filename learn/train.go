package learn

import (
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
	Steps       int     `json:"steps"` // core steps of the epoch's training
	WallSec     float64 `json:"wall_sec"`
}

// Train runs epochs of on-core training of n on train (order reshuffled each
// epoch with PCG(seed, epoch)) and evaluates on test after every epoch.
func Train(n *Net, train, test *Dataset, epochs int, seed uint64, onEpoch func(EpochStats)) ([]EpochStats, error) {
	var out []EpochStats
	order := make([]int, train.Len())
	for i := range order {
		order[i] = i
	}
	for ep := range epochs {
		if d := n.Cfg.RateHalving; d > 0 && ep > 0 && ep%d == 0 {
			eh, eo := max(1, n.Image.Rules[ruleHidden].APlus/2), max(1, n.Image.Rules[ruleOutput].APlus/2)
			if err := n.SetRates(eh, eo); err != nil {
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
