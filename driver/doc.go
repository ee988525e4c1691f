// Package driver talks to an ncx-core board over a serial line using the ncx
// wire protocol v3 (docs/protocol.md): framed, CRC-checked, windowed commands
// that load and read back the core's memories, stream input spikes into a run
// and collect the output spikes and per-step cycle counts.
//
// Layers, bottom up:
//
//   - Port is the byte pipe: a serial device (OpenSerial), a pseudo-terminal,
//     an in-process link (package driver/sim) or a byte-script fake (package
//     driver/drivertest). Protocol code depends only on Port.
//   - Frame, AppendFrame and Decoder are the framing layer.
//   - Client is the ncx-core host: Identify, Reset, WriteMem, ReadMem, Flash,
//     Readback, Run, Status.
//
// # Concurrency
//
// A Port must allow one Read and one Write to run at the same time (one reader
// goroutine, one writer), which every serial port and pty does. A Client
// starts one reader goroutine on its Port; its methods may be called from any
// goroutine but run one at a time (they hold the client's lock). Close stops
// the reader and closes the port.
//
// # Errors
//
// Every error names the package and the device, "driver: /dev/ttyUSB1: ...".
// Errors that callers may want to tell apart wrap the sentinels ErrTimeout
// (the board stopped answering), ErrVersion (the board runs another core
// version), ErrRefused (the board rejected a command, with its reason),
// ErrVerify (readback differs from what was written) and ErrPortGone (the
// device vanished). Nothing in this package panics on bytes received from a
// board.
package driver
