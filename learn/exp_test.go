package learn

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"
)

// TestExperiment runs one digits configuration given as JSON in LEARN_EXP
// (fields of RunConfig; "net" fields override DefaultDigitsNet) and prints
// the per-epoch diagnostics. For parameter studies:
//
//	LEARN_EXP='{"epochs":3,"train_limit":600,"net":{"eta_hidden":2}}' go test -run TestExperiment -v ./learn
func TestExperiment(t *testing.T) {
	js := os.Getenv("LEARN_EXP")
	if js == "" {
		t.Skip("set LEARN_EXP to a JSON experiment")
	}
	exp := struct {
		RunConfig
		Net NetConfig `json:"net"`
	}{RunConfig: RunConfig{SkipFrozen: true}, Net: DefaultDigitsNet()}
	if err := json.Unmarshal([]byte(js), &exp); err != nil {
		t.Fatal(err)
	}
	net, err := ParseTask(exp.Net, DigitsTask("../"+DefaultDigitsPath), nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := exp.RunConfig
	cfg.Progress = os.Stdout
	r, err := Run(net, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.OnCore {
		fmt.Println(epochDiagLine(s))
	}
	for _, s := range r.Frozen {
		fmt.Printf("frozen ep %d test %.3f train %.3f\n", s.Epoch, s.TestAcc, s.TrainAcc)
	}
	last3 := func(st []EpochStats) float64 {
		m, k := 0.0, 0
		for i := max(0, len(st)-3); i < len(st); i++ {
			m += st[i].TestAcc
			k++
		}
		return m / float64(max(1, k))
	}
	fmt.Printf("RESULT %s test %.3f frozen %.3f last3 %.3f frozen %.3f\n", js, r.OnCoreTest, r.FrozenTest, last3(r.OnCore), last3(r.Frozen))
}

func epochDiagLine(s EpochStats) string {
	d := s.Diag
	ns := float64(max(1, d.Samples))
	line := fmt.Sprintf("ep %d test %.3f train %.3f | Wh %.1f±%.1f move %.2f credit %+.3f Wo %.1f±%.1f", s.Epoch, s.TestAcc, s.TrainAcc, s.HidWMean, s.HidWStd, s.HidWMove, s.HidCredit, s.OutWMean, s.OutWStd)
	for p, name := range []string{"fwd", "teach", "rest"} {
		line += fmt.Sprintf(" | %s hid ev/s %.0f bf %.2f err %+.3f out ev/s %.1f bf %.2f err %+.3f", name,
			float64(d.Hid[p].Events)/ns, d.Hid[p].BurstFrac(), d.Hid[p].MeanErr(),
			float64(d.Out[p].Events)/ns, d.Out[p].BurstFrac(), d.Out[p].MeanErr())
	}
	return line
}
