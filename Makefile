# ncx — the two commands that matter are `make demo` and `make test`.
GO      ?= go
BIN     := bin/ncx
BUILD   := build
# Third-party peers are run by path, never copied into the repository: ORNL's NeuroCoreX VHDL for the long
# GHDL targets (NCX_NEUROCOREX_SRC, as for `ncx board sim --target neurocorex --rtl`) and the Brian2 CUBA script
# for bench-cuba (BRIAN2_CUBA). Each target that needs one refuses with a message when it is not given.
NCX_NEUROCOREX_SRC ?=
BRIAN2_CUBA ?=

.PHONY: all build demo test test-go test-neurocorex-vhdl neurocorex-diff need-neurocorex lint tools bench bench-cuba golden generate synth synth-a7 bitstream bitstream-a7 clean clean-clone learn

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) ./cmd/ncx

# Build ncx, compile the built-in example, emulate it and show the result.
demo: build
	@mkdir -p $(BUILD)
	$(BIN) compile examples/small.yaml -o $(BUILD)/small.ncx --mem-dir $(BUILD)/small.mem
	$(BIN) emulate $(BUILD)/small.ncx --out $(BUILD)/small.out --plot --compare-float
	@echo "outputs in $(BUILD)/small.out (spikes.csv, raster.png, membrane.png, cycles.csv, summary.json)"

# Every test: installs the simulators it needs, then vet, format check and the full Go suite
# (unit, property, fuzz seed corpora, Verilator/Icarus differential and golden tests).
test: tools lint test-go

tools:
	@scripts/ensure-tools.sh

lint:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; test -z "$$out" || { echo "gofmt needed: $$out"; exit 1; }
	$(GO) vet ./...

test-go:
	$(GO) test -count=1 -timeout 30m ./...

# ncx against ORNL's NeuroCoreX VHDL under GHDL, beyond what CI runs: the full flash + readback + run
# session (about 45M simulated cycles, 20 minutes) and the random differential test with 200 programs.
# Needs NCX_NEUROCOREX_SRC=DIR (the NeuroCoreX source directory).
test-neurocorex-vhdl: tools need-neurocorex
	NCX_NEUROCOREX_SRC=$(abspath $(NCX_NEUROCOREX_SRC)) NCX_VHDL_LONG=1 $(GO) test -count=1 -timeout 60m -run 'NeuroCoreXVHDL' -v ./cmd/ncx/
	$(MAKE) neurocorex-diff N=200

# The random differential test of NeuroCoreX's VHDL against ncx's model, STDP included, with N programs
# (CI runs 20): about 1.4M simulated cycles and 10 CPU seconds a program, the last of N >= 50 uploading
# over the UART (25M cycles). SEED=S picks another seed.
N ?= 200
SEED ?= 1
neurocorex-diff: tools need-neurocorex
	NCX_NEUROCOREX_SRC=$(abspath $(NCX_NEUROCOREX_SRC)) NCX_VHDL_PROGRAMS=$(N) NCX_VHDL_SEED=$(SEED) nice -n 10 $(GO) test -count=1 -timeout 900m -run 'RandomProgramsAgainstModel' -v ./driver/vhdlboard/

need-neurocorex:
	@test -n "$(NCX_NEUROCOREX_SRC)" && test -d "$(NCX_NEUROCOREX_SRC)" || { \
	  echo "this target runs ORNL's NeuroCoreX VHDL: give its source directory, e.g. make $(MAKECMDGOALS) NCX_NEUROCOREX_SRC=path/to/neurocorex (got '$(NCX_NEUROCOREX_SRC)')" >&2; exit 2; }

# Benchmarks: emulator kernels and compile speed, then CUBA-4000 against Brian2 standalone
# (BRIAN2_CUBA=path/to/brian2_cuba.py, the peer script).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./emulator/ ./compiler/
	$(MAKE) bench-cuba

bench-cuba:
	@scripts/bench-cuba.sh $(BRIAN2_CUBA)

# The full on-core learning runs behind docs/learning.md and the README table: XOR over 10 network
# seeds, the digits over 5 seeds (three at a time) with their hidden-frozen twins and float references.
# Figures and NAME_results.json go to learn/figures. About 11 minutes on the shared 2-core machine (load ~7).
learn: build
	$(BIN) learn xor --seeds 10 --parallel 2 --out learn/figures
	$(BIN) learn digits --seeds 5 --parallel 3 --out learn/figures

# Rewrite the files generated from package core's tables (hdl/*.vh, the harness's
# ncx_mem.h, the memory tables of docs/core-spec.md); a test fails when one is stale.
generate:
	$(GO) generate ./...

# Regenerate the checked-in golden vectors (only ever on purpose).
golden:
	$(GO) test ./testbench/ -run Golden -args -update

synth:
	@hdl/synth/run.sh

clean:
	rm -rf bin $(BUILD) testbench/obj_*

# iCEBreaker (iCE40 UP5K) bitstream of the ncx-core board (hdl/board): build/ncx_icebreaker.bin,
# with utilisation and fmax; same as "ncx bitstream".
bitstream:
	@hdl/board/bitstream.sh $(BUILD)

# CMod A7-35T (the NeuroCoreX board) bitstream of the ncx-core board (hdl/cmoda7): build/cmoda7/ncx_cmoda7.bit
# through Vivado's batch flow; refuses with a message when vivado is not on PATH.
bitstream-a7:
	@hdl/cmoda7/bitstream.sh $(BUILD)/cmoda7

# Yosys synth_xilinx utilisation of the CMod A7 top (no Vivado needed): a markdown table.
synth-a7:
	@hdl/cmoda7/synth.sh $(BUILD)/cmoda7

# The repository alone (cloned into an empty directory, no sibling shared/) must demo and test.
clean-clone:
	@scripts/clean-clone.sh
