//go:build !amd64 || purego

package emulator

// vectorKernels: this build has no vector kernels (the purego tag, or an
// architecture without them); the scalar kernel runs.
func vectorKernels() []namedKernel { return nil }
