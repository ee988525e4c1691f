package main

import (
	"context"
	"errors"

	"github.com/ncx-project/ncx/compiler"
	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver/neurocorex"
	"github.com/ncx-project/ncx/network"
	"github.com/ncx-project/ncx/run/emulate"
	"github.com/ncx-project/ncx/run/output"
)

// Exit codes of ncx. They are the whole contract with scripts: every error
// maps to exactly one of them, in exitCode.
const (
	exitOK       = 0 // success
	exitError    = 1 // any other failure (I/O, internal)
	exitBadInput = 2 // bad command line, or an input file that is missing or invalid
	exitNoFit    = 3 // the network does not fit the target profile
	// exitInterrupted: SIGINT or SIGTERM stopped the command (the shell's
	// 128+2). Outputs are complete or absent; a command that kept partial
	// results says so in them (summary.json "interrupted": true).
	exitInterrupted = 130
)

// exitErr attaches an exit code to an error.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

// usageError marks err as a misuse of the command line (exit 2); ncx then
// points at --help.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// badInput marks err as a problem with an input file (exit 2). nil stays nil.
func badInput(err error) error {
	if err == nil {
		return nil
	}
	return &exitErr{code: exitBadInput, err: err}
}

// exitCode maps an error returned by a command to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitErr
	var ue *usageError
	var fit *compiler.FitError
	var ne *network.Error
	var ie *emulate.InputError
	switch {
	case errors.As(err, &fit), errors.Is(err, neurocorex.ErrTooBig):
		return exitNoFit
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ue):
		return exitBadInput
	case errors.As(err, &ne), errors.As(err, &ie),
		errors.Is(err, core.ErrBadImage), errors.Is(err, core.ErrInvalidImage), errors.Is(err, output.ErrBadSpikes):
		return exitBadInput
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitError
}
