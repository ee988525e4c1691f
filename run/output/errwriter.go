package output

import "bufio"

// errWriter remembers the first write error so that CSV writers can check once.
// It is typed on *bufio.Writer rather than being internal/errw's io.Writer:
// Stream calls it for every row of every step, and direct calls to the
// buffered writer avoid an interface call per row.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) str(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *errWriter) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}
