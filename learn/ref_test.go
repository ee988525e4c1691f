package learn

import "testing"

func TestMLPReference(t *testing.T) {
	d, err := LoadDigits("")
	if err != nil {
		t.Fatal(err)
	}
	tr, te := d.Split(0, 0.8)
	epochs := 20
	if testing.Short() {
		tr, epochs = tr.Head(400), 5
	}
	r := TrainMLP(tr, te, 50, epochs, 0.5, false, 1)
	t.Logf("float backprop: %+v", r)
	if chance := 1.0 / float64(d.Classes); r.TestAcc < 5*chance {
		t.Fatalf("float reference test accuracy %.3f, want > %.3f", r.TestAcc, 5*chance)
	}
}
