package learn

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// MLPResult is the accuracy of the float reference.
type MLPResult struct {
	Hidden   int       `json:"hidden"`
	Epochs   int       `json:"epochs"`
	LR       float64   `json:"lr"`
	Frozen   bool      `json:"frozen_hidden"`
	TrainAcc float64   `json:"train_acc"`
	TestAcc  float64   `json:"test_acc"`
	Curve    []float64 `json:"test_curve"` // test accuracy after each epoch
}

// TrainMLP trains the float reference of the spiking architecture: a
// sigmoid MLP inputs -> hidden -> classes with squared error and plain SGD
// (backpropagation), weights N(0, 0.3²), in float64 with gonum/mat. frozen
// leaves the hidden layer at its random initial weights (only the output
// layer learns), the float counterpart of the frozen-hidden spiking run.
func TrainMLP(train, test *Dataset, hidden, epochs int, lr float64, frozen bool, seed uint64) MLPResult {
	rng := rand.New(rand.NewPCG(seed, 0x6d6c70))
	nin, nout := len(train.X[0]), train.Classes
	randm := func(r, c int) *mat.Dense {
		d := make([]float64, r*c)
		for i := range d {
			d[i] = rng.NormFloat64() * 0.3
		}
		return mat.NewDense(r, c, d)
	}
	w1, w2 := randm(hidden, nin), randm(nout, hidden)
	b1, b2 := mat.NewVecDense(hidden, nil), mat.NewVecDense(nout, nil)
	h, o := mat.NewVecDense(hidden, nil), mat.NewVecDense(nout, nil)
	d1, d2 := mat.NewVecDense(hidden, nil), mat.NewVecDense(nout, nil)
	sig := func(v *mat.VecDense) {
		for i := range v.Len() {
			v.SetVec(i, 1/(1+math.Exp(-v.AtVec(i))))
		}
	}
	forward := func(x *mat.VecDense) {
		h.MulVec(w1, x)
		h.AddVec(h, b1)
		sig(h)
		o.MulVec(w2, h)
		o.AddVec(o, b2)
		sig(o)
	}
	acc := func(ds *Dataset) float64 {
		c := 0
		for i, xs := range ds.X {
			forward(mat.NewVecDense(len(xs), xs))
			if mat.Max(o) == o.AtVec(ds.Y[i]) {
				c++
			}
		}
		return float64(c) / float64(max(1, ds.Len()))
	}
	res := MLPResult{Hidden: hidden, Epochs: epochs, LR: lr, Frozen: frozen}
	order := make([]int, train.Len())
	for i := range order {
		order[i] = i
	}
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			x := mat.NewVecDense(nin, train.X[i])
			forward(x)
			for k := range nout {
				t := 0.0
				if k == train.Y[i] {
					t = 1
				}
				e := o.AtVec(k)
				d2.SetVec(k, (t-e)*e*(1-e))
			}
			if !frozen {
				d1.MulVec(w2.T(), d2)
				for j := range hidden {
					e := h.AtVec(j)
					d1.SetVec(j, d1.AtVec(j)*e*(1-e))
				}
				w1.RankOne(w1, lr, d1, x)
				b1.AddScaledVec(b1, lr, d1)
			}
			w2.RankOne(w2, lr, d2, h)
			b2.AddScaledVec(b2, lr, d2)
		}
		res.Curve = append(res.Curve, acc(test))
	}
	res.TrainAcc, res.TestAcc = acc(train), acc(test)
	return res
}
