// Package bench holds the end-to-end benchmarks that compare ncx against peer
// simulators: the CUBA network compiled from examples/cuba.yaml and emulated
// for 10,000 steps. scripts/bench-cuba.sh runs it next to Brian2's C++
// standalone mode on the same machine and prints the ratio.
package bench
