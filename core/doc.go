// Package core describes ncx-core, the spiking-neuron FPGA core that ncx
// compiles for: its target profiles, its memories and their word formats,
// its clock-cycle timing, and the image file that carries a compiled network.
//
// Everything here follows docs/core-spec.md, which is the contract between the
// Go emulator and the Verilog in hdl/. Field names match the spec and the RTL.
package core
