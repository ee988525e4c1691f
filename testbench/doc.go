// Package testbench checks the Verilog core in hdl/ against the Go emulator,
// bit for bit and cycle for cycle: random networks (testbench/gen) run on
// both, golden vectors in testbench/golden pin named reference networks, and
// an Icarus Verilog run cross-checks the Verilator results in 4-state logic.
//
//	go test ./testbench                                  # everything
//	go test ./testbench -run Diff -args -seed 99 -count 1000
//	go test ./testbench -run Golden -args -update        # rewrite golden files
package testbench
