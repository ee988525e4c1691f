// Package sim is a simulated ncx-core board for tests, benchmarks and
// `ncx board sim`: Board speaks wire protocol v3 (docs/protocol.md) over any
// driver.Port and runs steps on an emulator.Core, so a host talking to it
// sees exactly what a real board would produce, bit for bit and cycle count
// for cycle count.
//
// Ways to connect a host to a Board:
//
//   - ServePTY serves on the master side of a pseudo-terminal and returns
//     the slave device path, which any serial client can open.
//   - NewLink returns an in-process full-duplex pair of Ports, optionally
//     throttled to a baud rate (10 bits per byte, as 8N1 on a UART) and with
//     fault injection: dropped, duplicated and corrupted bytes, a board that
//     stops answering, a link that vanishes.
//
// A Board serves one Port at a time; its exported methods are safe to call
// from other goroutines while it serves.
package sim
