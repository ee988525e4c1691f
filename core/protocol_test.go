package core

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestProtocolTablesHoldEveryCode parses protocol.go and checks that each
// Cmd, Nak and Feat constant has exactly one row in its table, with no two
// rows of a table sharing a value or a name.
func TestProtocolTablesHoldEveryCode(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "protocol.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string][]Code{"Cmd": Commands, "Nak": NakReasons, "Feat": Features}
	consts := map[string]int{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			for _, id := range spec.(*ast.ValueSpec).Names {
				for prefix := range tables {
					if strings.HasPrefix(id.Name, prefix) && id.Name != "FeatsV1" {
						consts[prefix]++
					}
				}
			}
		}
	}
	for prefix, codes := range tables {
		if len(codes) != consts[prefix] {
			t.Errorf("%d %s constants but %d table rows", consts[prefix], prefix, len(codes))
		}
		values, names := map[uint16]bool{}, map[string]bool{}
		for _, c := range codes {
			if values[c.Value] || names[c.Name] || c.Name == "" {
				t.Errorf("%s table: duplicate or empty row %+v", prefix, c)
			}
			values[c.Value], names[c.Name] = true, true
		}
	}
	if CmdName(CmdStreamIn) != "STREAM_IN" || CmdName(0x7f) != "CMD_7F" || NakText(NakNoSpace) != "input buffer full" || NakText(99) != "reason 99" {
		t.Fatal("CmdName/NakText do not read the tables")
	}
}
