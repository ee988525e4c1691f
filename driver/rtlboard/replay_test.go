package rtlboard_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/driver"
	"github.com/ncx-project/ncx/driver/rtlboard"
)

var flagUpdate = flag.Bool("update", false, "re-record testdata/corners.rec from a live session")

const cornersFile = "testdata/corners.rec"

// TestRTLBoardReplay replays testdata/corners.rec, a session of protocol
// corners recorded on the board (hdl/board/sim_uart.cpp, NCX_UART_RECORD),
// and requires every board byte at the cycle it was recorded at: the
// board's UART stream is pinned cycle for cycle, so a refactor of the RTL
// that changes its timing or a byte fails here. A deliberate change is
// re-recorded with -update (then check the diff of the replies).
func TestRTLBoardReplay(t *testing.T) {
	cfg := rtlboard.Config{Div: 4}
	bin, err := rtlboard.Build(cfg)
	if errors.Is(err, rtlboard.ErrNoVerilator) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if *flagUpdate {
		recordCorners(t, bin, cfg)
	}
	rec, err := os.ReadFile(cornersFile)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(string(rec), "\n") {
		if strings.HasPrefix(l, "B ") {
			want = append(want, l)
		}
	}
	cmd := exec.Command(bin, "--div", "4")
	cmd.Env = append(os.Environ(), "NCX_UART_REPLAY="+cornersFile)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() != 0 {
		t.Fatalf("replay: %v: %s", err, stderr.String())
	}
	got := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	for i := 0; i < len(want) && i < len(got); i++ {
		if got[i] != want[i] {
			t.Fatalf("board byte %d: replayed %q, recorded %q (\"B cycle byte\")", i, got[i], want[i])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("replay sent %d bytes, the recording %d", len(got), len(want))
	}
	t.Logf("%d board bytes, each at its recorded cycle", len(want))
}

// recordCorners runs the session of corners live against bin and writes
// its recording to testdata/corners.rec. Replies are not checked here: the
// replay is the test, and -update asks for a look at the diff.
func recordCorners(t *testing.T, bin string, cfg rtlboard.Config) {
	prefix := filepath.Join(t.TempDir(), "rec")
	t.Setenv("NCX_UART_RECORD", prefix)
	b, err := rtlboard.Start(bin, cfg)
	if err != nil {
		t.Fatal(err)
	}
	send := func(raw []byte, wait time.Duration) {
		if _, err := b.Write(raw); err != nil {
			t.Fatal(err)
		}
		time.Sleep(wait)
	}
	f := func(seq, cmd uint8, p []byte) { send(driver.AppendFrame(nil, seq, cmd, p), 30*time.Millisecond) }
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	mem := func(sel uint8, addr uint32, cnt uint16) []byte {
		return binary.LittleEndian.AppendUint16(append([]byte{sel}, u32(addr)...), cnt)
	}
	rec := func(step, n uint32) []byte { return binary.LittleEndian.AppendUint16(u32(step), uint16(n)) }
	stream := func(through uint32, recs ...[]byte) []byte {
		p := u32(through)
		for _, r := range recs {
			p = append(p, r...)
		}
		return p
	}
	f(0, core.CmdIdentify, nil)
	f(1, core.CmdReset, nil)
	f(2, core.CmdSetNumNeurons, u32(10))
	f(3, core.CmdWriteMem, append(mem(31, 0, 1), 1, 2))                      // no such memory
	f(4, core.CmdWriteMem, append(mem(core.HostSelNumNeurons, 0, 1), 12, 0)) // num_neurons word
	f(5, core.CmdReadMem, mem(0, 0, 3))
	f(6, core.CmdReadMem, mem(0, 254, 3)) // past the end
	f(7, core.CmdReadMem, mem(core.HostSelNumNeurons, 0, 1))
	f(20, core.CmdStatus, nil)                          // out of order: NAK
	f(21, core.CmdStatus, nil)                          // again: silent
	f(2, core.CmdSetNumNeurons, u32(10))                // a repeat: ACK again
	f(3, core.CmdWriteMem, append(mem(31, 0, 1), 1, 2)) // a repeat: the same NAK
	f(5, core.CmdReadMem, mem(0, 0, 3))                 // a repeated query is answered
	f(8, core.CmdReadOut, nil)                          // no output log
	f(9, 0x33, nil)                                     // unknown
	f(10, core.CmdStreamIn, stream(3, rec(1, 2)))       // not running: dropped
	f(11, core.CmdSetNumNeurons, u32(0))
	f(12, core.CmdSetNumNeurons, u32(300))
	f(13, core.CmdSetNumNeurons, u32(12))
	f(14, core.CmdRun, u32(0))
	f(15, core.CmdRun, u32(400))
	f(16, core.CmdRun, u32(5))           // already running
	f(17, core.CmdReadMem, mem(0, 0, 1)) // running
	f(18, core.CmdStreamIn, stream(4, rec(0, 1), rec(1, 3), rec(2, 20), rec(3, 5), rec(1<<30, 2), rec(3, 11)))
	f(19, core.CmdStatus, nil)
	var recs [][]byte
	for i := 0; i < 39; i++ {
		recs = append(recs, rec(uint32(50+i/3), uint32(i%12)))
	}
	for s := uint8(20); s < 24; s++ {
		f(s, core.CmdStreamIn, stream(10, recs...)) // the fourth: NO_SPACE
	}
	f(23, core.CmdStreamIn, stream(60))
	send(nil, 100*time.Millisecond)
	f(24, core.CmdStatus, nil)
	f(25, core.CmdStreamIn, stream(300))
	f(26, core.CmdStop, nil)
	send(nil, 100*time.Millisecond)
	f(27, core.CmdStatus, nil)
	f(28, core.CmdStop, nil)
	f(29, core.CmdStreamIn, []byte{1, 2, 3})         // short
	f(30, core.CmdStreamIn, append(stream(1), 1, 2)) // not whole records
	bad := driver.AppendFrame(nil, 31, core.CmdStatus, nil)
	bad[len(bad)-1] ^= 0x55
	send(append([]byte{0x00, 0xA5, 0x13}, bad...), 50*time.Millisecond) // garbage, a corrupted frame
	send([]byte{0xA5, 0x5A, 31, 9, 0xFF, 0x00}, 50*time.Millisecond)    // too long
	send([]byte{0xA5, 0x5A, 31, 9, 0x04}, 200*time.Millisecond)         // stale partial frame
	f(31, core.CmdStatus, nil)
	f(32, core.CmdRun, u32(3))
	send(nil, 100*time.Millisecond)
	f(33, core.CmdReset, nil) // during a run
	f(34, core.CmdStatus, nil)
	f(0, core.CmdIdentify, nil)
	f(1, core.CmdStatus, nil)
	send(nil, 100*time.Millisecond)
	b.Close()
	files, err := filepath.Glob(prefix + ".*")
	if err != nil || len(files) != 1 {
		t.Fatalf("recording: %v %v", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cornersFile, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
