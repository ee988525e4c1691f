package network

import (
	"fmt"
	"regexp"
	"strconv"
)

// Error is a problem in a network description. It always names the file; Line
// is 0 when the problem is not tied to one line (for example an empty file),
// and Field is the dotted path of the offending field ("populations[1].tau_mem")
// or, for errors inside a CSV file, empty.
type Error struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	s += ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Msg
}

func errAt(file string, line int, field, format string, a ...any) *Error {
	return &Error{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, a...)}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 syntax error into an *Error that names the file;
// yaml.v3 only reports "yaml: line N: msg".
func yamlError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "syntax error: " + m[2]}
	}
	return &Error{File: file, Msg: "syntax error: " + trimYAMLPrefix(msg)}
}

func trimYAMLPrefix(s string) string {
	if len(s) > 6 && s[:6] == "yaml: " {
		return s[6:]
	}
	return s
}
