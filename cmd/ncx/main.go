// Command ncx compiles spiking neural networks for the ncx-core FPGA core,
// emulates them cycle-accurately and inspects compiled images.
//
// Run "ncx help" for the commands. Exit codes: 0 success, 1 failure, 2 bad
// command line or input file, 3 network does not fit the target profile.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], newSystemFactory())
	stop()
	os.Exit(code)
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
