#!/bin/sh
# Build the iCEBreaker bitstream of the ncx-core board:
#   yosys synth_ice40 -> nextpnr-ice40 --up5k --package sg48 -> icepack
#
#   hdl/board/bitstream.sh [outdir]     (default: build, i.e. build/ncx_icebreaker.bin)
#
# Prints the utilisation and the maximum frequency nextpnr reports for the
# 12 MHz clock. Environment: SEED (nextpnr seed, default 1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hdl=$(dirname "$here")
root=$(dirname "$hdl")
out=${1:-$root/build}
mkdir -p "$out"
for t in yosys nextpnr-ice40 icepack; do
  command -v $t >/dev/null || { echo "$t not found: install it with apt-get install -y yosys nextpnr-ice40 fpga-icestorm" >&2; exit 1; }
done
srcs=$(ls "$hdl"/*.v | sort | tr "\n" " ")
logic=$(grep -v -e '^#' -e '^$' "$here/sources.f" | sed "s|^|$here/|" | tr "\n" " ")
board="$here/ncx_icebreaker.v $logic $here/SB_SPRAM256KA.v"  # the model is empty under SYNTHESIS
echo "synthesising (yosys synth_ice40) ..." >&2
yosys -q -l "$out/ncx_icebreaker.yosys.log" -p "read_verilog -I$hdl $srcs $board;
  synth_ice40 -top ncx_icebreaker -dsp ${SYNTH_OPTS:--abc9} -json $out/ncx_icebreaker.json; tee -q -o $out/ncx_icebreaker.stat stat" >/dev/null
echo "placing and routing (nextpnr-ice40 --up5k --package sg48) ..." >&2
nextpnr-ice40 --up5k --package sg48 --json "$out/ncx_icebreaker.json" --pcf "$here/icebreaker.pcf" \
  --asc "$out/ncx_icebreaker.asc" --freq 12 --seed "${SEED:-1}" -q -l "$out/ncx_icebreaker.pnr.log" >/dev/null 2>&1 || {
  grep -E 'ICESTORM_(LC|RAM|DSP):|ERROR' "$out/ncx_icebreaker.pnr.log" | sed 's/^Info: */  /' >&2
  echo "place and route failed; log: $out/ncx_icebreaker.pnr.log" >&2; exit 1; }
icepack "$out/ncx_icebreaker.asc" "$out/ncx_icebreaker.bin"
echo "utilisation (nextpnr):"
sed -n "/Device utilisation/,/ICESTORM_SPRAM/p" "$out/ncx_icebreaker.pnr.log" | grep -E 'ICESTORM_(LC|RAM|DSP|SPRAM):|SB_IO:' | sed 's/^Info: */  /'
grep "Max frequency for clock" "$out/ncx_icebreaker.pnr.log" | tail -1 | sed 's/^Info: */timing: /'
echo "wrote $out/ncx_icebreaker.bin"
