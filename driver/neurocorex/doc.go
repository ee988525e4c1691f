// Package neurocorex programs and runs a NeuroCoreX board (ORNL's VHDL
// spiking core on a Digilent CMod A7-35T) over its UART, speaking its wire
// format exactly as the board expects it (docs/neurocorex.md): one header
// byte per command, fixed-length payloads with no checksum, length or
// acknowledgement, 18-bit little-endian Q7.10 words in three bytes.
//
// Tables holds everything the board can be loaded with; Lower builds Tables
// from an ncx image when the network fits what NeuroCoreX can represent and
// refuses with a reason otherwise. Client sends Tables and input spikes and
// decodes the 90-bit output frames; Board models the board: its commands
// byte by byte, its neuron datapath at 100 kHz and its weight sums and
// STDP at 100 MHz, edge by edge, bit for bit with ORNL's VHDL in every
// comparison made (driver/vhdlboard: output bytes and every synapse RAM
// cell after every run of random programs).
//
// Because the protocol has no acknowledgements, nothing here can detect a
// lost or corrupted byte: the only check is reading the weights back
// (ReadWeights), which returns 9,215 of the 9,216 feed-forward weights, as
// the board loses the last one.
//
// A Client, like the board, serves one caller at a time.
package neurocorex
