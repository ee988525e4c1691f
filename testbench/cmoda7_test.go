package testbench

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/internal/verilate"
)

// cmodA7Pins is the CMod A7-35T pin of each ncx_cmoda7 port, as Digilent's
// CMod A7 rev. B master XDC publishes it.
var cmodA7Pins = map[string]string{
	"sysclk": "L17", "uart_txd_in": "J17", "uart_rxd_out": "J18", "btn0": "A18",
	"led[0]": "A17", "led[1]": "C16", "led0_r": "C17", "led0_g": "B16", "led0_b": "B17",
}

// TestCMODA7Constraints checks ncx_cmoda7.xdc against the board's pin facts
// and against the top: every port of ncx_cmoda7 is placed, on the right pin,
// at LVCMOS33, and nothing else is.
func TestCMODA7Constraints(t *testing.T) {
	dir := filepath.Join(verilate.Root(), "hdl", "cmoda7")
	xdc, err := os.ReadFile(filepath.Join(dir, "ncx_cmoda7.xdc"))
	if err != nil {
		t.Fatal(err)
	}
	pinRe := regexp.MustCompile(`(?m)^set_property -dict \{ PACKAGE_PIN (\w+) IOSTANDARD (\w+) \} \[get_ports \{?([\w\[\]]+)\}?\]`)
	got := map[string]string{}
	for _, m := range pinRe.FindAllStringSubmatch(string(xdc), -1) {
		if m[2] != "LVCMOS33" {
			t.Errorf("%s: IOSTANDARD %s, the CMod A7's user I/O banks are 3.3 V (LVCMOS33)", m[3], m[2])
		}
		if _, dup := got[m[3]]; dup {
			t.Errorf("%s placed twice", m[3])
		}
		got[m[3]] = m[1]
	}
	for port, pin := range cmodA7Pins {
		if got[port] != pin {
			t.Errorf("port %s on pin %q, want %s", port, got[port], pin)
		}
	}
	for port := range got {
		if _, ok := cmodA7Pins[port]; !ok {
			t.Errorf("xdc places %s, which is not a port of ncx_cmoda7", port)
		}
	}

	src, err := os.ReadFile(filepath.Join(dir, "ncx_cmoda7.v"))
	if err != nil {
		t.Fatal(err)
	}
	portRe := regexp.MustCompile(`(?m)^\s*(input|output)\s+wire\s+(\[(\d+):0\]\s+)?(\w+)`)
	var ports []string
	for _, m := range portRe.FindAllStringSubmatch(string(src), -1) {
		if m[3] == "" {
			ports = append(ports, m[4])
			continue
		}
		for i := 0; i <= int(m[3][0]-'0'); i++ {
			ports = append(ports, m[4]+"["+string(rune('0'+i))+"]")
		}
	}
	sort.Strings(ports)
	var want []string
	for p := range cmodA7Pins {
		want = append(want, p)
	}
	sort.Strings(want)
	if strings.Join(ports, " ") != strings.Join(want, " ") {
		t.Errorf("ncx_cmoda7 ports %v, constrained ports %v", ports, want)
	}
	if !strings.Contains(string(xdc), "create_clock -name sysclk -period 83.333 [get_ports sysclk]") {
		t.Error("xdc: no 12 MHz clock constraint on sysclk")
	}
}

// TestBitstreamA7RefusesWithoutVivado runs hdl/cmoda7/bitstream.sh with a
// PATH that holds no vivado: it must fail and say what is missing.
func TestBitstreamA7RefusesWithoutVivado(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("sh not found")
	}
	bin := t.TempDir()
	for _, tool := range []string{"dirname", "cat", "mkdir"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Skip(tool + " not found")
		}
		if err := os.Symlink(p, filepath.Join(bin, tool)); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(sh, filepath.Join(verilate.Root(), "hdl", "cmoda7", "bitstream.sh"), out)
	cmd.Env = []string{"PATH=" + bin}
	msg, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("bitstream.sh succeeded without vivado:\n%s", msg)
	}
	if !strings.Contains(string(msg), "vivado not found on PATH") {
		t.Errorf("bitstream.sh without vivado said:\n%s", msg)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("bitstream.sh created %s before refusing", out)
	}
}
