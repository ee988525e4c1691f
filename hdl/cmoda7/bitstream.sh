#!/bin/sh
# Build the CMod A7-35T bitstream of the ncx-core board with Vivado (batch,
# non-project flow in build.tcl):
#
#   hdl/cmoda7/bitstream.sh [outdir]    (default: build/cmoda7, i.e. build/cmoda7/ncx_cmoda7.bit)
#
# Vivado is not open source and not installed by `make tools`; without it on
# PATH this refuses and points at the open utilisation estimate (synth.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hdl=$(dirname "$here")
root=$(dirname "$hdl")
out=${1:-$root/build/cmoda7}
if ! command -v vivado >/dev/null 2>&1; then
  cat >&2 <<MSG
bitstream-a7: vivado not found on PATH.
  The CMod A7 (Artix-7 XC7A35T) bitstream needs AMD Vivado (the free ML Standard edition covers this part);
  source its settings64.sh so that 'vivado' is on PATH, then run 'make bitstream-a7' again.
  Without Vivado, 'make synth-a7' gives the yosys synth_xilinx utilisation of the same top.
MSG
  exit 1
fi
mkdir -p "$out"
cd "$out"
vivado -mode batch -nojournal -log "$out/vivado.log" -source "$here/build.tcl" -tclargs "$hdl" "$out"
