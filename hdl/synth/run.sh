#!/bin/sh
# Synthesise ncx_core for the FPGA profiles and print a markdown table.
#
#   hdl/synth/run.sh [outdir]      (default outdir: hdl/synth/out, gitignored)
#
# The sizes come from core.Profiles (go run ./internal/cmd/profparams);
# each profile is built with burst units on and off (ncx_core's Burst
# parameter; the profile's own setting is marked).
# up5k    iCE40 UP5K, synth_ice40 -dsp, nextpnr-ice40 --up5k for fmax when
#         the design fits the 30 EBR.
# a7      xc7a35t, synth_xilinx -family xc7 (no open place and route: LUT/FF/
#         BRAM/DSP counts only); the burst build also with the per-neuron
#         memories in LUTRAM (ncx_core NeuronStyle "distributed"), as the
#         CMod A7 top builds it.
# The design is wrapped in ncx_synth_top (serial host port) to fit the pins.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
hdl=$(dirname "$here")
root=$(dirname "$hdl")
out=${1:-$here/out}
mkdir -p "$out"
srcs="$hdl/ncx_core.v $hdl/ncx_ram.v $hdl/ncx_neuron_update.v $hdl/ncx_stdp.v $hdl/ncx_decay.v $hdl/ncx_sat_add.v"
srcs="$srcs $hdl/ncx_trace_update.v $hdl/ncx_burst_index.v $hdl/ncx_burst_decide.v $hdl/ncx_bdsp.v $here/ncx_synth_top.v"

read_cmd="read_verilog -I$hdl $srcs"

# cell counts from a yosys 'stat' log: sum of cells whose type matches $2
count() { awk -v re="$2" '$1 ~ re && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$1"; }

params() { (cd "$root" && go run ./internal/cmd/profparams "$1"); }

label() { # burst default
  if [ "$1" = 1 ]; then b=on; else b=off; fi
  if [ "$1" = "$2" ]; then echo "$b (profile)"; else echo "$b"; fi
}

ice40() { # profile burst
  set -- $(params "$1") "$2"
  prof=$1 nb=$2 sb=$3 rb=$4 vw=$5 def=$6 burst=$7
  name=$prof-burst$burst
  yosys -q -l "$out/$name.yosys.log" -p "$read_cmd; chparam -set NB $nb -set SB $sb -set RB $rb -set VW $vw -set Burst $burst ncx_synth_top;
    synth_ice40 -top ncx_synth_top -dsp -json $out/$name.json; tee -q -o $out/$name.stat stat" >/dev/null 2>&1
  luts=$(count "$out/$name.stat" '^SB_LUT4$')
  ffs=$(count "$out/$name.stat" '^SB_DFF')
  bram=$(count "$out/$name.stat" '^SB_RAM40_4K$')
  dsp=$(count "$out/$name.stat" '^SB_MAC16$')
  if [ "$bram" -gt 30 ]; then
    fmax="does not fit (30 EBR)"
  elif command -v nextpnr-ice40 >/dev/null; then
    nextpnr-ice40 --up5k --package sg48 --json "$out/$name.json" --pcf-allow-unconstrained \
      --freq 24 --seed 1 -q -l "$out/$name.pnr.log" >/dev/null 2>&1 || true
    fmax=$(grep "Max frequency for clock" "$out/$name.pnr.log" | tail -1 | sed 's/.*: \([0-9.]*\) MHz.*/\1 MHz/')
    [ -n "$fmax" ] || fmax="pnr failed"
  else
    fmax="-"
  fi
  echo "| $prof | $(label "$burst" "$def") | iCE40 UP5K | $nb/$sb/$rb/$vw | $luts | $ffs | $bram EBR | $dsp | $fmax |"
}

xc7() { # profile burst [NeuronStyle]
  style=${3:-auto}
  set -- $(params "$1") "$2"
  prof=$1 nb=$2 sb=$3 rb=$4 vw=$5 def=$6 burst=$7
  name=$prof-burst$burst-$style
  yosys -q -l "$out/$name.yosys.log" -p "$read_cmd; chparam -set NB $nb -set SB $sb -set RB $rb -set VW $vw -set Burst $burst -set NeuronStyle \"$style\" ncx_synth_top;
    synth_xilinx -family xc7 -flatten -top ncx_synth_top; write_json $out/$name.json; tee -q -o $out/$name.stat stat" >/dev/null 2>&1
  luts=$(count "$out/$name.stat" '^LUT[1-6]$')
  ffs=$(count "$out/$name.stat" '^FD[CPRSE]+$')
  b36=$(count "$out/$name.stat" '^RAMB36E1$')
  b18=$(count "$out/$name.stat" '^RAMB18E1$')
  lutram=$(count "$out/$name.stat" '^RAM(32|64|128|256)')
  dsp=$(count "$out/$name.stat" '^DSP48E1$')
  lbl=$(label "$burst" "$def")
  [ "$style" = auto ] || lbl="$lbl, per-neuron LUTRAM"
  echo "| $prof | $lbl | xc7a35t | $nb/$sb/$rb/$vw | $luts (+$lutram LUTRAM) | $ffs | $b36 RAMB36 + $b18 RAMB18 | $dsp | - (no open P&R) |"
}

echo "| profile | burst units | device | NB/SB/RB/VW | LUTs | FFs | block RAM | DSP | fmax |"
echo "|---|---|---|---|---|---|---|---|---|"
ice40 up5k 0
ice40 up5k 1
xc7 a7 1
xc7 a7 1 distributed
xc7 a7 0
