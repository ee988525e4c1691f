//go:build amd64 && !purego

package emulator

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// kernelArgs is the argument block of the assembly kernels; its layout is
// fixed by the offsets in phase1_amd64.s (checked by TestKernelArgsLayout).
type kernelArgs struct {
	v, i, acc, st     unsafe.Pointer
	thr, vreset, bias unsafe.Pointer
	dvdi, tp          unsafe.Pointer
	bits              unsafe.Pointer // spike bitmap bytes of the range
	n                 int            // neurons in the range, a multiple of 16
	vmin, vmax        int32
	flags             uint32 // kernelNoTrace
}

// kernelNoTrace tells a kernel that every trace is 0 and no neuron has a
// trace increment, so traces stay 0 and the trace decay can be skipped.
const kernelNoTrace = 1

//go:noescape
func phase1AVX512(a *kernelArgs)

//go:noescape
func phase1AVX2(a *kernelArgs)

func (t *neuronTable) args(lo, hi int, vmin, vmax int32) kernelArgs {
	a := kernelArgs{
		v: unsafe.Pointer(&t.v[lo]), i: unsafe.Pointer(&t.i[lo]), acc: unsafe.Pointer(&t.acc[lo]),
		st: unsafe.Pointer(&t.st[lo]), thr: unsafe.Pointer(&t.thr[lo]), vreset: unsafe.Pointer(&t.vreset[lo]),
		bias: unsafe.Pointer(&t.bias[lo]), dvdi: unsafe.Pointer(&t.dvdi[lo]), tp: unsafe.Pointer(&t.tp[lo]),
		bits: unsafe.Pointer(&t.spikeBits[lo/blockNeurons]), n: hi - lo, vmin: vmin, vmax: vmax,
	}
	if t.noTrace {
		a.flags |= kernelNoTrace
	}
	return a
}

func (t *neuronTable) phase1AVX512(lo, hi int, vmin, vmax int32) {
	if hi > lo {
		a := t.args(lo, hi, vmin, vmax)
		phase1AVX512(&a)
	}
}

func (t *neuronTable) phase1AVX2(lo, hi int, vmin, vmax int32) {
	if hi > lo {
		a := t.args(lo, hi, vmin, vmax)
		phase1AVX2(&a)
	}
}

// vectorKernels are the kernels this CPU (and its OS, which must save the
// vector registers) supports. x/sys/cpu checks both.
func vectorKernels() []namedKernel {
	var ks []namedKernel
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ {
		ks = append(ks, namedKernel{"avx512", (*neuronTable).phase1AVX512})
	}
	if cpu.X86.HasAVX2 {
		ks = append(ks, namedKernel{"avx2", (*neuronTable).phase1AVX2})
	}
	return ks
}
