package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ncxBinary builds the ncx command once for the tests that need a real
// process (signals).
func ncxBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "ncx")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// exitStatus is the exit code of a finished command.
func exitStatus(t *testing.T, err error) int {
	t.Helper()
	var ee *exec.ExitError
	if err == nil {
		return 0
	}
	if !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return ee.ExitCode()
}

// TestInterrupts: SIGINT or SIGTERM stops a long command with exit 130 and
// leaves complete files or none: "board sim" stops serving, "emulate"
// writes nothing, "run" on a board keeps the steps that ran and says so in
// summary.json.
func TestInterrupts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds ncx and runs it as a process")
	}
	bin := ncxBinary(t)
	dir := t.TempDir()
	img := filepath.Join(dir, "small.ncx")
	if out, err := exec.Command(bin, "compile", "../../examples/small.yaml", "-o", img).CombinedOutput(); err != nil {
		t.Fatalf("compile: %v\n%s", err, out)
	}

	// board sim, stopped by SIGTERM after serving a run stopped by SIGINT
	sim := exec.Command(bin, "board", "sim", img)
	simOut, err := sim.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start(); err != nil {
		t.Fatal(err)
	}
	defer sim.Process.Kill()
	path, err := bufio.NewReader(simOut).ReadString('\n')
	if err != nil {
		t.Fatalf("board sim printed no device: %v", err)
	}
	path = strings.TrimSpace(path)

	runOut := filepath.Join(dir, "run.out")
	run := exec.Command(bin, "run", img, "--port", path, "--steps", "4000000", "--out", runOut)
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	// signal only once steps are streaming: before that the run is still
	// flashing, and an interrupted flash rightly keeps no summary
	waitForStreamedOutput(t, runOut, 60*time.Second)
	run.Process.Signal(os.Interrupt)
	if code := exitStatus(t, run.Wait()); code != exitInterrupted {
		t.Fatalf("run: exit %d after SIGINT, want %d", code, exitInterrupted)
	}
	var sum struct {
		Interrupted bool `json:"interrupted"`
		StepsDone   *int `json:"steps_done"`
		Steps       int  `json:"steps"`
	}
	b, err := os.ReadFile(filepath.Join(runOut, "summary.json"))
	if err != nil {
		t.Fatalf("run kept no summary: %v", err)
	}
	if err := json.Unmarshal(b, &sum); err != nil || !sum.Interrupted || sum.StepsDone == nil || *sum.StepsDone >= 4000000 || *sum.StepsDone != sum.Steps {
		t.Fatalf("summary.json of the interrupted run: %s (%v)", b, err)
	}

	sim.Process.Signal(syscall.SIGTERM)
	if code := exitStatus(t, sim.Wait()); code != exitInterrupted {
		t.Fatalf("board sim: exit %d after SIGTERM, want %d", code, exitInterrupted)
	}

	// emulate writes nothing when interrupted
	emuOut := filepath.Join(dir, "emu.out")
	emu := exec.Command(bin, "emulate", img, "--steps", "50000000", "--out", emuOut)
	if err := emu.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond)
	emu.Process.Signal(os.Interrupt)
	if code := exitStatus(t, emu.Wait()); code != exitInterrupted {
		t.Fatalf("emulate: exit %d after SIGINT, want %d", code, exitInterrupted)
	}
	if _, err := os.Stat(emuOut); !os.IsNotExist(err) {
		t.Fatalf("interrupted emulate left %s", emuOut)
	}
}

// waitForStreamedOutput waits until a temporary output file in dir has
// bytes in it, i.e. until a run has delivered steps to its writer.
func waitForStreamedOutput(t *testing.T, dir string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		tmps, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
		for _, f := range tmps {
			if fi, err := os.Stat(f); err == nil && fi.Size() > 0 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no streamed output in %s after %v", dir, limit)
}
