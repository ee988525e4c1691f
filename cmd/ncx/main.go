// Command ncx compiles spiking neural networks for the ncx-core FPGA core,
// emulates them cycle-accurately and inspects compiled images.
//
// Run "ncx help" for the commands. Exit codes: 0 success, 1 failure, 2 bad
// command line or input file, 3 network does not fit the target profile,
// 130 interrupted (SIGINT or SIGTERM).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ncx-project/ncx/internal/atomicfile"
)

// interruptGrace is how long a command may take to stop cleanly after SIGINT
// or SIGTERM (a board run sends STOP and collects the last steps) before ncx
// exits anyway.
const interruptGrace = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	done := make(chan int, 1)
	go func() { done <- run(ctx, os.Args[1:], newSystemFactory()) }()
	var code int
	interrupted := false // stop cancels ctx too: note a signal before calling it
	select {
	case code = <-done:
		interrupted = ctx.Err() != nil
	case <-ctx.Done():
		interrupted = true
		// commands that watch ctx stop cleanly; the others (a compile, a
		// flash in progress) are ended here, a second signal ends at once
		stop()
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		select {
		case code = <-done:
		case <-again:
			code = exitAbandoned()
		case <-time.After(interruptGrace):
			code = exitAbandoned()
		}
	}
	stop()
	if interrupted {
		code = exitInterrupted
	}
	os.Exit(code)
}

// exitAbandoned removes the temporary files of outputs not yet in place and
// returns the exit code of an interrupt.
func exitAbandoned() int {
	atomicfile.RemovePending()
	fmt.Fprintln(os.Stderr, "ncx: interrupted")
	return exitInterrupted
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// run executes ncx with args and returns the exit code; it is main without
// the process, for tests.
func run(ctx context.Context, args []string, f *Factory) int {
	root := newRootCmd(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	printError(f.ErrOut, cmd, err)
	return exitCode(err)
}

func printError(w io.Writer, cmd *cobra.Command, err error) {
	fmt.Fprintf(w, "ncx: %v\n", err)
	var ue *usageError
	if errors.As(err, &ue) && cmd != nil {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
}
