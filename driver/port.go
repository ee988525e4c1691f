package driver

import (
	"errors"
	"io"
	"time"
)

// Port is a full-duplex byte pipe to a board.
//
// Read returns (0, nil) when the read timeout passes with no byte received;
// it returns an error only when the port is closed or gone. A Port must allow
// one Read concurrently with one Write.
type Port interface {
	io.ReadWriter
	// SetReadTimeout bounds how long Read waits for the first byte.
	SetReadTimeout(d time.Duration) error
	Close() error
}

// Sentinel errors; test with errors.Is.
var (
	ErrTimeout  = errors.New("board did not answer")
	ErrVersion  = errors.New("unsupported core version")
	ErrRefused  = errors.New("board refused command")
	ErrVerify   = errors.New("readback differs from image")
	ErrPortGone = errors.New("port closed or vanished")
	ErrProtocol = errors.New("protocol error")
)

// portName returns a printable name for p: its String method if it has one.
func portName(p Port) string {
	if s, ok := p.(interface{ String() string }); ok {
		return s.String()
	}
	return "port"
}
