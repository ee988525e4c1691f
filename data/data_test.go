package data

import (
	"bufio"
	"compress/gzip"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func TestDigitsShape(t *testing.T) {
	gz, err := gzip.NewReader(DigitsGzip())
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(gz)
	rows, labels := 0, map[string]int{}
	for sc.Scan() {
		cols := strings.Split(sc.Text(), ",")
		if len(cols) != 65 {
			t.Fatalf("row %d: %d columns, want 65", rows+1, len(cols))
		}
		labels[cols[64]]++
		rows++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != 1797 || len(labels) != 10 {
		t.Fatalf("%d rows with %d labels, want 1797 rows with 10 labels", rows, len(labels))
	}
}

// TestNoPathsOutsideRepository keeps the repository self-contained: no
// tracked file may point users or tests at the data and notes of ../shared,
// the directory beside the repository that a clone does not have. Third-party
// peers (../shared/peers/...) may be named: they cannot be shipped here, and
// what uses them says so and skips when they are missing.
func TestNoPathsOutsideRepository(t *testing.T) {
	out, err := exec.Command("git", "-C", "..", "ls-files").Output()
	if err != nil {
		t.Skipf("not a git checkout (%v): nothing to scan", err)
	}
	// the peer benchmark takes the directory as an argument; the clean-clone
	// script checks that it is absent
	allowed := map[string]bool{"Makefile": true, "scripts/bench-cuba.sh": true, "scripts/clean-clone.sh": true, "data/data_test.go": true}
	for _, f := range strings.Fields(string(out)) {
		if allowed[f] || strings.HasSuffix(f, ".gz") || strings.HasSuffix(f, ".png") {
			continue
		}
		b, err := os.ReadFile("../" + f)
		if err != nil {
			continue // deleted in the working tree
		}
		// any spelling of the directory (../shared/, /work/shared/, a
		// variable ending in shared/): only its peers/ may be named
		for _, m := range sharedRef.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "peers" {
				t.Errorf("%s refers to shared/%s, which a clone of this repository does not have", f, m[1])
				break
			}
		}
	}
}

var sharedRef = regexp.MustCompile(`shared/([A-Za-z0-9_][A-Za-z0-9_.-]*)`)
