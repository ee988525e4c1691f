#!/bin/sh
# Open utilisation estimate of the CMod A7 top (no Vivado needed):
# yosys synth_xilinx -family xc7 on ncx_cmoda7 (a7 profile, board logic,
# UART) and a markdown table of LUTs, flip-flops, block RAM and DSP.
#
#   hdl/cmoda7/synth.sh [outdir]     (default: build/cmoda7)
#
# Counts are yosys's mapping, not Vivado's: no place and route, no fmax.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hdl=$(dirname "$here")
root=$(dirname "$hdl")
out=${1:-$root/build/cmoda7}
mkdir -p "$out"
command -v yosys >/dev/null || { echo "yosys not found: install it with apt-get install -y yosys" >&2; exit 1; }
srcs=$(ls "$hdl"/*.v | sort | tr "\n" " ")
board=$(grep -v -e '^#' -e '^$' "$hdl/board/sources.f" | sed "s|^|$hdl/board/|" | tr "\n" " ")
echo "synthesising ncx_cmoda7 (yosys synth_xilinx -family xc7) ..." >&2
yosys -q -l "$out/ncx_cmoda7.yosys.log" -p "read_verilog -defer -I$hdl -I$hdl/board $srcs $board $here/ncx_cmoda7.v;
  synth_xilinx -family xc7 -flatten -top ncx_cmoda7; tee -q -o $out/ncx_cmoda7.stat stat" >/dev/null 2>&1 || {
  tail -5 "$out/ncx_cmoda7.yosys.log" >&2; echo "yosys failed; log: $out/ncx_cmoda7.yosys.log" >&2; exit 1; }
count() { awk -v re="$2" '$1 ~ re && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$1"; }
st=$out/ncx_cmoda7.stat
luts=$(count "$st" '^LUT[1-6]$')
lutram=$(count "$st" '^RAM(32|64|128|256)')
ffs=$(count "$st" '^FD[CPRSE]+$')
b36=$(count "$st" '^RAMB36E1$')
b18=$(count "$st" '^RAMB18E1$')
dsp=$(count "$st" '^DSP48E1$')
carry=$(count "$st" '^CARRY4$')
echo "| design | LUTs | LUTRAM | FFs | CARRY4 | block RAM | DSP48E1 |"
echo "|---|---|---|---|---|---|---|"
echo "| ncx_cmoda7 (a7 profile, board, UART) | $luts | $lutram | $ffs | $carry | $b36 RAMB36 + $b18 RAMB18 | $dsp |"
