package main

import (
	"io"
	"os"

	"github.com/spf13/cobra"
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

// commandFactory builds one top-level command.
type commandFactory func(f *Factory) *cobra.Command

var registry []commandFactory

// register adds a top-level command. Each command file calls it from init,
// so adding a command never needs an edit of root.go:
//
//	func init() { register(newBoardCmd) }
func register(c commandFactory) { registry = append(registry, c) }
