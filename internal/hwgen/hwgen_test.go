package hwgen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ncx-project/ncx/core"
	"github.com/ncx-project/ncx/internal/verilate"
)

// TestGeneratedFilesUpToDate fails when a file generated from package core
// differs from what is on disk.
func TestGeneratedFilesUpToDate(t *testing.T) {
	root := verilate.Root()
	files, err := Files(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(root, f.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.Content) {
			t.Errorf("%s is stale: run `go generate ./...` (or make generate)", f.Path)
		}
	}
}

// TestMacroNamesUnique checks that no two macros of the Verilog headers
// share a name (a field named like a width suffix would).
func TestMacroNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	re := regexp.MustCompile("(?m)^`define (\\w+)")
	for _, h := range []string{MemHeader(), ProtoHeader()} {
		for _, m := range re.FindAllStringSubmatch(h, -1) {
			if seen[m[1]] {
				t.Errorf("macro %s defined twice", m[1])
			}
			seen[m[1]] = true
		}
	}
}

// TestProtocolDocMatchesCodes checks the code and name columns of the
// command, board-frame and NAK tables of docs/protocol.md against the
// tables of core/protocol.go (their other columns are prose).
func TestProtocolDocMatchesCodes(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(verilate.Root(), "docs", "protocol.md"))
	if err != nil {
		t.Fatal(err)
	}
	// rows of the tables headed "| cmd | name |" or "| reason | name |"
	rows := map[string]string{}
	inTable := false
	for _, line := range strings.Split(string(doc), "\n") {
		switch {
		case strings.HasPrefix(line, "| cmd | name |"), strings.HasPrefix(line, "| reason | name |"):
			inTable = true
		case !strings.HasPrefix(line, "|"):
			inTable = false
		case inTable && !strings.HasPrefix(line, "|---"):
			cells := strings.Split(line, "|")
			rows[strings.TrimSpace(cells[1])] = strings.TrimSpace(cells[2])
		}
	}
	check := func(key, name string) {
		if got, ok := rows[key]; !ok || got != name {
			t.Errorf("docs/protocol.md row %s says %q, core says %q", key, got, name)
		}
		delete(rows, key)
	}
	for _, c := range core.Commands {
		check(fmt.Sprintf("0x%02X", c.Value), c.Name)
	}
	for _, c := range core.NakReasons {
		check(fmt.Sprint(c.Value), c.Name)
	}
	for k, v := range rows {
		t.Errorf("docs/protocol.md has a row %s %q that core does not know", k, v)
	}
}
