package emulator

import "github.com/ncx-project/ncx/core"

// phase1Kernel runs phase 1 over neurons [lo, hi) of t, both multiples of
// blockNeurons, and writes the spike bitmap of those blocks. Every kernel
// gives bit for bit the result of neuronTable.phase1Scalar.
type phase1Kernel func(t *neuronTable, lo, hi int, vmin, vmax int32)

type namedKernel struct {
	name string
	fn   phase1Kernel
}

// maxVectorVW is the widest state the 32-bit vector lanes handle exactly:
// decay splits |x| at bit 12, which keeps every product below 2^31 for
// |x| < 2^29, and v's sum of three VW-bit terms fits 32 bits up to VW = 29.
const maxVectorVW = 29

// kernels lists the phase-1 kernels this machine can run, fastest first; the
// scalar kernel, which every machine runs, is last.
func kernels() []namedKernel {
	return append(vectorKernels(), namedKernel{"scalar", (*neuronTable).phase1Scalar})
}

// bestKernel is the fastest kernel that handles images of profile p.
func bestKernel(p core.Profile) namedKernel {
	ks := kernels()
	if p.VW > maxVectorVW {
		return ks[len(ks)-1]
	}
	return ks[0]
}
