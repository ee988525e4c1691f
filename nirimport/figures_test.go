package nirimport

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/compiler/compilertest"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/reference"
)

// TestFigures prints the README's NIR tables (NCX_NIR_FIGURES=1): for the
// three example graphs, the discretisation error, the fit on every profile
// and the agreement of the emulator's spikes with the float reference.
func TestFigures(t *testing.T) {
	if os.Getenv("NCX_NIR_FIGURES") == "" {
		t.Skip("set NCX_NIR_FIGURES=1 to print the README tables")
	}
	type example struct {
		name   string
		inputs int
		p      float64
		steps  int
		dt     float64
		method string
	}
	for _, ex := range []example{
		{"lif1", 1, 0.2, 2000, 1e-4, MethodExact},
		{"cuba60", 12, 0.3, 2000, 1e-4, MethodExact},
		{"cuba60", 12, 0.3, 2000, 1e-3, MethodExact},
		{"conv", 288, 0.1, 500, 1e-3, MethodExact},
	} {
		f, path := load(t, ex.name)
		r := rand.New(rand.NewPCG(7, 7))
		var spikes []network.Spike
		for s := 0; s < ex.steps; s++ {
			for i := 0; i < ex.inputs; i++ {
				if r.Float64() < ex.p {
					spikes = append(spikes, network.Spike{Step: s, Index: i})
				}
			}
		}
		fmt.Printf("\n### %s (dt %g s, %s, input p=%g per step, %d steps)\n\n", ex.name, ex.dt, ex.method, ex.p, ex.steps)
		fmt.Println("| profile | fits | neurons | synapses | tau error (max) | weight error mean / max | spikes core / float | count ratio | corr | same step | within ±2 |")
		fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
		for _, pn := range []string{"tiny", "up5k", "a7", "a100t", "sim"} {
			prof := profile(t, pn)
			opts := Options{Dt: ex.dt, Profile: prof, Steps: ex.steps, Method: ex.method, Inputs: map[string][]network.Spike{"input": spikes}}
			res, err := Import(f, path, opts)
			var fit *compiler.FitError
			if errors.As(err, &fit) {
				fmt.Printf("| %s | no: %s | | | | | | | | | |\n", pn, strings.TrimPrefix(fit.Error(), "does not fit profile "+pn+": "))
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			im, rep, err := compiler.Compile(res.Net, compiler.Options{})
			if errors.As(err, &fit) {
				fmt.Printf("| %s | no: %s | | | | | | | | | |\n", pn, strings.TrimPrefix(fit.Error(), "does not fit profile "+pn+": "))
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			tauErr := 0.0
			for _, p := range res.Report.Params {
				if strings.HasPrefix(p.Name, "tau") {
					tauErr = math.Max(tauErr, math.Abs(p.RelErr))
				}
			}
			syn, sumRel, maxRel := 0, 0.0, 0.0
			for _, p := range rep.Projections {
				syn += p.Count
				sumRel += p.MeanRelErr * float64(p.Count)
				maxRel = math.Max(maxRel, p.MaxRelErr)
			}
			fixed := compilertest.Spikes(t, im, ex.steps)
			ref, err := res.Reference(ex.steps, im.Meta.Stimulus)
			if err != nil {
				t.Fatal(err)
			}
			// neuron populations only
			var nf, nr, same int
			for s := range fixed {
				a, b := map[uint32]bool{}, map[uint32]bool{}
				for _, id := range fixed[s] {
					if im.Meta.Populations[popIndex(im.Meta.Populations, int(id))].Kind != "input" {
						a[id] = true
						nf++
					}
				}
				for _, id := range ref[s] {
					if im.Meta.Populations[popIndex(im.Meta.Populations, int(id))].Kind != "input" {
						b[id] = true
						nr++
					}
				}
				for id := range a {
					if b[id] {
						same++
					}
				}
			}
			ag := reference.Compare(fixed, ref, im.Meta.Populations, im.Meta.DtMs, 2)
			corr, matched, n := 0.0, 0.0, 0
			for _, p := range ag.Populations {
				if p.Kind != "input" && p.FloatSpikes > 0 {
					corr += p.CountCorr * float64(p.FloatSpikes)
					matched += p.Matched * float64(p.FloatSpikes)
					n += p.FloatSpikes
				}
			}
			ratio := float64(nf) / math.Max(1, float64(nr))
			fmt.Printf("| %s | yes | %d | %d | %.2f%% | %.2f%% / %.0f%% | %d / %d | %.3f | %.3f | %.1f%% | %.1f%% |\n",
				pn, im.NumNeurons, syn, 100*tauErr, 100*sumRel/math.Max(1, float64(syn)), 100*maxRel, nf, nr, ratio,
				corr/math.Max(1, float64(n)), 100*float64(same)/math.Max(1, float64(nr)), 100*matched/math.Max(1, float64(n)))
		}
	}
}

func popIndex(pops []core.Population, id int) int {
	for k, p := range pops {
		if id >= p.First && id < p.First+p.Count {
			return k
		}
	}
	return 0
}
