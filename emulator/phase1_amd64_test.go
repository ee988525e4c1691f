//go:build amd64 && !purego

package emulator

import (
	"testing"
	"unsafe"
)

// The assembly reads kernelArgs at fixed offsets (A_* in phase1_amd64.s).
func TestKernelArgsLayout(t *testing.T) {
	var a kernelArgs
	got := []uintptr{unsafe.Offsetof(a.v), unsafe.Offsetof(a.i), unsafe.Offsetof(a.acc), unsafe.Offsetof(a.st),
		unsafe.Offsetof(a.thr), unsafe.Offsetof(a.vreset), unsafe.Offsetof(a.bias), unsafe.Offsetof(a.dvdi),
		unsafe.Offsetof(a.tp), unsafe.Offsetof(a.bits), unsafe.Offsetof(a.n), unsafe.Offsetof(a.vmin), unsafe.Offsetof(a.vmax),
		unsafe.Offsetof(a.flags)}
	want := []uintptr{0, 8, 16, 24, 32, 40, 48, 56, 64, 72, 80, 88, 92, 96}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("kernelArgs field %d at offset %d, the assembly reads %d", k, got[k], want[k])
		}
	}
}
