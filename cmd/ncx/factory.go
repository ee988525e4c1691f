package main

import (
	"io"
	"os"
)

// Factory carries what every command needs from its environment, so that
// tests can run commands in-process with buffers.
type Factory struct {
	In     io.Reader
	Out    io.Writer // data: results, tables, JSON
	ErrOut io.Writer // status: progress, "wrote ...", warnings
	// StderrTTY says whether ErrOut is a terminal (progress bars allowed).
	StderrTTY bool
	Getenv    func(string) string
}

// newSystemFactory is the Factory of a real process.
func newSystemFactory() *Factory {
	return &Factory{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, StderrTTY: isTerminal(os.Stderr), Getenv: os.Getenv}
}

// showProgress reports whether commands may draw a progress bar: only on a
// terminal, and never under CI.
func (f *Factory) showProgress() bool {
	return f.StderrTTY && f.Getenv("CI") == ""
}
