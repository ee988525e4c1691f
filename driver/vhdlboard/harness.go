package vhdlboard

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ncx-project/ncx/driver/neurocorex"
)

// RAM names a synapse RAM of the design for Harness.Poke and Dump (the
// ids of hdl/neurocorex/ncx_backdoor.vhd).
type RAM int

// The synapse RAMs, in dump order.
const (
	RAMWeightAA RAM = iota + 1
	RAMWeightFF
	RAMEnableAA
	RAMEnableFF
	RAMTpreAA
	RAMTpreFF
	RAMApreAA
	RAMApreFF
	numRAMs = int(RAMApreFF)
)

var ramNames = [...]string{"", "AA weight", "FF weight", "AA enable", "FF enable", "AA tpre", "FF tpre", "AA apre", "FF apre"}

func (r RAM) String() string {
	if r < 1 || int(r) > numRAMs {
		return "RAM " + strconv.Itoa(int(r))
	}
	return ramNames[r]
}

// Harness drives the simulation command by command, without a host's
// timing: a test decides exactly how many cycles pass, and can write and
// read the synapse RAMs directly between runs (a backdoor: no UART, no
// loader side effects).
type Harness struct {
	*proc
}

// StartHarness runs the simulation built by Build for a test; the design
// has run powerOn cycles (its power-on 0x00 byte discarded) when it returns.
func StartHarness(s *Sim, stderr io.Writer, powerOn int) (*Harness, error) {
	p, err := startProc(s, stderr)
	if err != nil {
		return nil, err
	}
	h := &Harness{p}
	if _, _, err := h.step(powerOn, nil); err != nil {
		h.quit()
		return nil, err
	}
	return h, nil
}

// Run queues send for the RX pin, advances cycles cycles and returns what
// the board sent meanwhile and how many host bytes are still queued.
func (h *Harness) Run(cycles int, send []byte) ([]byte, int, error) {
	return h.step(cycles, send)
}

// Poke writes data into cells addr, addr+1, ... of ram at the next clock
// edge (one cycle passes). The RX pin must be idle.
func (h *Harness) Poke(ram RAM, addr int, data []int8) error {
	b := make([]byte, len(data))
	for i, v := range data {
		b[i] = byte(v)
	}
	t0 := time.Now()
	reply, err := h.command(fmt.Sprintf("poke %d %d %s", ram, addr, hex.EncodeToString(b)))
	h.count(1, t0, -1)
	if err != nil {
		return err
	}
	if reply != "ok" {
		return fmt.Errorf("vhdlboard: harness answered %q to poke", reply)
	}
	return nil
}

// Dump is the contents of cells 0..9,215 of every synapse RAM, indexed by
// RAM.
type Dump [numRAMs + 1][neurocorex.Weights]int8

// Dump reads every synapse RAM (one cycle passes).
func (h *Harness) Dump() (*Dump, error) {
	t0 := time.Now()
	reply, err := h.command("dump")
	h.count(1, t0, -1)
	if err != nil {
		return nil, err
	}
	hx, ok := strings.CutPrefix(reply, "dump ")
	if !ok {
		return nil, fmt.Errorf("vhdlboard: harness answered %.40q to dump", reply)
	}
	b, err := hex.DecodeString(hx)
	if err != nil || len(b) != numRAMs*neurocorex.Weights {
		return nil, fmt.Errorf("vhdlboard: dump of %d bytes: %v", len(b), err)
	}
	d := &Dump{}
	for r := 1; r <= numRAMs; r++ {
		for i := range neurocorex.Weights {
			d[r][i] = int8(b[(r-1)*neurocorex.Weights+i])
		}
	}
	return d, nil
}

// CPU returns the CPU time the simulator process has used so far (user and
// system; zero where /proc is not available).
func (h *Harness) CPU() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", h.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// the fields after the command name, which is in parentheses
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(u+s) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times (100 on Linux).
const clockTicks = 100

// Close ends the simulation.
func (h *Harness) Close() { h.quit() }
