#!/bin/sh
# Synthesise ncx_core for the FPGA profiles and print a markdown table.
#
#   hdl/synth/run.sh [outdir]      (default outdir: hdl/synth/out, gitignored)
#
# up5k    iCE40 UP5K, synth_ice40 -dsp, nextpnr-ice40 --up5k for fmax. The
#         profile's syn (2^14 x 22 bit) and rev (2^13 x 21 bit) memories need
#         about 150 EBR; the UP5K has 30 (plus SPRAM, which the core does not
#         use yet), so the full profile is synthesised for the numbers only and
#         placed and routed as "up5k-ebr" (SB=10, RB=9), which fits in EBR.
# a7      xc7a35t, synth_xilinx -family xc7 (no open place and route: LUT/FF/
#         BRAM/DSP counts only).
# The design is wrapped in ncx_synth_top (serial host port) to fit the pins.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hdl=$(dirname "$here")
out=${1:-$here/out}
mkdir -p "$out"
srcs="$hdl/ncx_core.v $hdl/ncx_ram.v $hdl/ncx_neuron_update.v $hdl/ncx_stdp.v $hdl/ncx_decay.v $here/ncx_synth_top.v"

read_cmd="read_verilog -I$hdl $srcs"

# cell counts from a yosys 'stat' log: sum of cells whose type matches $2
count() { awk -v re="$2" '$1 ~ re && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$1"; }

ice40() { # name NB SB RB VW pnr
  name=$1
  yosys -q -l "$out/$name.yosys.log" -p "$read_cmd; chparam -set NB $2 -set SB $3 -set RB $4 -set VW $5 ncx_synth_top;
    synth_ice40 -top ncx_synth_top -dsp -json $out/$name.json; tee -q -o $out/$name.stat stat" >/dev/null 2>&1
  luts=$(count "$out/$name.stat" '^SB_LUT4$')
  ffs=$(count "$out/$name.stat" '^SB_DFF')
  bram=$(count "$out/$name.stat" '^SB_RAM40_4K$')
  dsp=$(count "$out/$name.stat" '^SB_MAC16$')
  fmax="-"
  if [ "$6" = yes ] && command -v nextpnr-ice40 >/dev/null; then
    nextpnr-ice40 --up5k --package sg48 --json "$out/$name.json" --pcf-allow-unconstrained \
      --freq 24 --seed 1 -q -l "$out/$name.pnr.log" >/dev/null 2>&1 || true
    fmax=$(grep "Max frequency for clock" "$out/$name.pnr.log" | tail -1 | sed 's/.*: \([0-9.]*\) MHz.*/\1 MHz/')
    [ -n "$fmax" ] || fmax="pnr failed"
  elif [ "$6" != yes ]; then
    fmax="does not fit (30 EBR)"
  fi
  echo "| $name | iCE40 UP5K | $2/$3/$4/$5 | $luts | $ffs | $bram EBR | $dsp | $fmax |"
}

xc7() { # name NB SB RB VW
  name=$1
  yosys -q -l "$out/$name.yosys.log" -p "$read_cmd; chparam -set NB $2 -set SB $3 -set RB $4 -set VW $5 ncx_synth_top;
    synth_xilinx -family xc7 -flatten -top ncx_synth_top; write_json $out/$name.json; tee -q -o $out/$name.stat stat" >/dev/null 2>&1
  luts=$(count "$out/$name.stat" '^LUT[1-6]$')
  ffs=$(count "$out/$name.stat" '^FD[CPRSE]+$')
  b36=$(count "$out/$name.stat" '^RAMB36E1$')
  b18=$(count "$out/$name.stat" '^RAMB18E1$')
  lutram=$(count "$out/$name.stat" '^RAM(32|64|128|256)')
  dsp=$(count "$out/$name.stat" '^DSP48E1$')
  echo "| $name | xc7a35t | $2/$3/$4/$5 | $luts (+$lutram LUTRAM) | $ffs | $b36 RAMB36 + $b18 RAMB18 | $dsp | - (no open P&R) |"
}

echo "| profile | device | NB/SB/RB/VW | LUTs | FFs | block RAM | DSP | fmax |"
echo "|---|---|---|---|---|---|---|---|"
ice40 up5k 8 14 13 16 no
ice40 up5k-ebr 8 10 9 16 yes
xc7 a7 10 15 14 16
