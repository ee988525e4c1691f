// Package rtlboard runs the RTL ncx-core board (hdl/board/ncx_icebreaker.v,
// or the CMod A7 top hdl/cmoda7/ncx_cmoda7.v: UART, frame parser, command
// engine and ncx_core) under Verilator and
// exposes its UART as a driver.Port, so that driver.Client talks to the
// Verilog exactly as it talks to a real board. The Verilated model is
// driven by hdl/board/sim_uart.cpp, which turns the RX/TX pins into a byte
// stream on stdin/stdout at a few clock cycles a bit.
package rtlboard

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/internal/verilate"
)

// ErrNoVerilator is returned by Build when verilator is not on PATH.
var ErrNoVerilator = verilate.ErrNoVerilator

// Config selects a build of the board top.
type Config struct {
	// Div is the number of clock cycles a UART bit takes (default 4).
	Div int
	// Profile sets the core's widths and burst units (default: the board's
	// own profile, up5k on the iCEBreaker, a7 on the CMod A7).
	Profile *core.Profile
	// Board selects the top: BoardICEBreaker (default) or BoardCMODA7.
	Board string
}

// The board tops Build can verilate.
const (
	BoardICEBreaker = "icebreaker"
	BoardCMODA7     = "cmoda7"
)

// Boards lists the board tops, the default first.
var Boards = []string{BoardICEBreaker, BoardCMODA7}

// BoardProfile is the profile a board top is built with when Config has
// none: the one its FPGA holds, up5k on the iCEBreaker, a7 on the CMod A7.
func BoardProfile(board string) (core.Profile, error) {
	switch board {
	case BoardICEBreaker:
		return core.Profiles["up5k"], nil
	case BoardCMODA7:
		return core.Profiles["a7"], nil
	}
	return core.Profile{}, fmt.Errorf("rtlboard: unknown board %q (have %s)", board, strings.Join(Boards, ", "))
}

func (c Config) board() string {
	if c.Board == "" {
		return BoardICEBreaker
	}
	return c.Board
}

func (c Config) profile() core.Profile {
	if c.Profile != nil {
		return *c.Profile
	}
	p, _ := BoardProfile(c.board()) // an unknown board fails in Build
	return p
}

func (c Config) div() int {
	if c.Div < 4 {
		return 4
	}
	return c.Div
}

// ClkHz is the clock the simulated board reports in INFO: Div cycles a bit
// at 1 Mbaud.
func (c Config) ClkHz() int { return 1_000_000 * c.div() }

// Build returns the path of the Verilated board for c, building it under
// build/rtlboard/<hash>/ (gitignored) unless a build of the same sources,
// harness, verilator version and flags is already there. Concurrent callers
// take a file lock, so each variant is built once.
func Build(c Config) (string, error) {
	srcs, err := verilate.CoreSources()
	if err != nil {
		return "", err
	}
	root := verilate.Root()
	b := filepath.Join(root, "hdl", "board")
	flags := append([]string{fmt.Sprintf("-GClkHz=%d", c.ClkHz()), "-GBaud=1000000"}, verilate.ProfileParams(c.profile())...)
	var top []string
	switch c.board() {
	case BoardICEBreaker:
		top = []string{filepath.Join(b, "ncx_icebreaker.v")}
	case BoardCMODA7:
		top = []string{filepath.Join(root, "hdl", "cmoda7", "ncx_cmoda7.v")}
		flags = append(flags, "-CFLAGS", "-DNCX_CMODA7")
	default:
		_, err := BoardProfile(c.Board)
		return "", err
	}
	logic, err := verilate.BoardSources()
	if err != nil {
		return "", err
	}
	srcs = append(srcs, top...)
	srcs = append(srcs, logic...)
	// the SPRAM model too: Verilator resolves the modules of every generate branch
	srcs = append(srcs, filepath.Join(b, "SB_SPRAM256KA.v"), filepath.Join(b, "sim_uart.cpp"))
	return verilate.Build(verilate.Spec{
		ObjRoot:  filepath.Join(root, "build", "rtlboard"),
		Name:     fmt.Sprintf("%s-%s-div%d", c.board(), c.profile().Name, c.div()),
		Top:      "ncx_" + c.board(),
		Binary:   "sim_uart",
		Sources:  srcs,
		Includes: []string{filepath.Join(root, "hdl"), b},
		Flags:    flags,
	})
}

// Board is a running Verilated board; it is a driver.Port.
type Board struct {
	*driver.Inbox
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	mu     sync.Mutex
	closed bool
	name   string
}

// Start runs the board binary built by Build.
func Start(bin string, c Config) (*Board, error) {
	cmd := exec.Command(bin, "--div", fmt.Sprint(c.div()))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("rtlboard: %w", err)
	}
	b := &Board{Inbox: driver.NewInbox("rtlboard"), cmd: cmd, stdin: stdin, name: "rtl-" + c.board()}
	go func() {
		p := make([]byte, 4096)
		for {
			n, err := stdout.Read(p)
			b.Put(p[:n])
			if err != nil {
				b.Fail(fmt.Errorf("rtlboard: simulator ended: %w", err))
				return
			}
		}
	}()
	return b, nil
}

// Write sends bytes to the board's RX pin.
func (b *Board) Write(p []byte) (int, error) { return b.stdin.Write(p) }

// Close ends the simulation.
func (b *Board) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	b.mu.Unlock()
	b.Inbox.Close()
	b.stdin.Close()
	done := make(chan struct{})
	go func() { b.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
	return nil
}

// String names the port in errors.
func (b *Board) String() string { return b.name }

var _ driver.Port = (*Board)(nil)
