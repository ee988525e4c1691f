#!/usr/bin/env bash
# CUBA-4000: the ncx emulator against Brian2's C++ standalone mode, measured
# as interleaved pairs in one run on one machine, at 10,000 and 100,000 steps
# (1 s and 10 s of biological time at dt = 0.1 ms). Prints min/median/max of
# each wall time and of the per-pair speed ratio, firing rates and synaptic
# events per second of both. Compilation (ncx and Brian2) is not timed.
#
# Usage: scripts/bench-cuba.sh PEER_SCRIPT (the Brian2 CUBA peer script, run by path)
# Environment: PAIRS (default 5), STEPS (default "10000 100000").
#
# Brian2 compiles its C++ project once per run length; the later pairs rerun
# the compiled binary (`main` in the project directory), which draws a new
# random network each time, exactly as a fresh Python run would.
set -euo pipefail
cd "$(dirname "$0")/.."
peer="${1:-}"
pairs="${PAIRS:-5}"
steps_list="${STEPS:-10000 100000}"
nets="cuba cuba_matched"
n=4000

if [ -z "$peer" ] || [ ! -f "$peer" ]; then
  echo "bench-cuba: the Brian2 peer script '$peer' is not a file: give its path (make bench-cuba BRIAN2_CUBA=path/to/brian2_cuba.py)" >&2
  exit 1
fi
if ! /usr/bin/python3 -c 'import brian2' 2>/dev/null; then
  echo "bench-cuba: installing python3-brian (Debian) for the peer run" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq python3-brian >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/bench.test" ./bench/

# ncx_run NET STEPS -> "wall spikes events"
ncx_run() {
  (cd bench && NCX_CUBA_NET="../examples/$1.yaml" NCX_CUBA_STEPS="$2" \
    "$work/bench.test" -test.run '^$' -test.bench '^BenchmarkCUBA$' -test.benchtime 1x) |
    awk '/^BenchmarkCUBA/ { for (i = 2; i < NF; i++) m[$(i+1)] = $i
      print m["wall-s/run"], m["spikes/run"], m["syn-events/run"] }'
}

# brian_run STEPS -> "wall spikes events"; the first call per STEPS compiles.
brian_run() {
  local dir="$work/brian-$1" dur
  dur=$(awk -v s="$1" 'BEGIN { printf "%g", s / 10000 }')
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    local out
    out=$(cd "$(dirname "$peer")" && TMPDIR="$dir" /usr/bin/python3 "$(basename "$peer")" cpp "$dur" "$n" 2>/dev/null | tail -1)
    echo "$out" | awk -v n="$n" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); m[kv[1]] = kv[2] }
      sub("s$", "", m["wall"]); print m["wall"], m["spikes"], m["spikes"] * 0.02 * n }'
    return
  fi
  local proj
  proj=$(ls -d "$dir"/b2cuba* | head -1)
  (cd "$proj" && ./main >/dev/null)
  local wall spikes
  wall=$(awk '{ print $1 }' "$proj/results/last_run_info.txt")
  spikes=$(od -An -tu4 "$proj"/results/_array_spikemonitor_N_* | tr -d ' ')
  echo "$wall $spikes $(awk -v s="$spikes" -v n="$n" 'BEGIN { print s * 0.02 * n }')"
}

# stats: min median max of the numbers on stdin
stats() {
  sort -g | awk '{ a[NR] = $1 } END { med = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "%10.4g %10.4g %10.4g", a[1], med, a[NR] }'
}

echo "CUBA-4000, ncx emulator vs Brian2 cpp_standalone, $pairs interleaved pairs per run length"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
for steps in $steps_list; do
  : >"$work/res-$steps"
  for p in $(seq 1 "$pairs"); do
    # alternate the order so that neither side always runs first
    if [ $((p % 2)) -eq 1 ]; then
      b=$(brian_run "$steps"); for net in $nets; do echo "$net $(ncx_run "$net" "$steps")" >>"$work/res-$steps"; done
    else
      for net in $nets; do echo "$net $(ncx_run "$net" "$steps")" >>"$work/res-$steps"; done; b=$(brian_run "$steps")
    fi
    echo "brian $b" >>"$work/res-$steps"
    echo "pair $p" >>"$work/res-$steps"
  done
  sim=$(awk -v s="$steps" 'BEGIN { print s / 10000 }')
  res="$work/res-$steps"
  printf '\n== %s steps (%s s simulated) ==\n' "$steps" "$sim"
  printf '%-34s %10s %10s %10s\n' "" min median max
  printf '%-34s %s\n' "Brian2 wall s" "$(awk '$1 == "brian" { print $2 }' "$res" | stats)"
  for net in $nets; do
    printf '%-34s %s\n' "ncx $net wall s" "$(awk -v n="$net" '$1 == n { print $2 }' "$res" | stats)"
    # per pair: Brian2 wall / ncx wall = ncx's speed in units of Brian2's
    printf '%-34s %s\n' "speed ncx/Brian2 ($net)" "$(awk -v n="$net" '$1 == n { w = $2 } $1 == "brian" { b = $2 } $1 == "pair" { print b / w }' "$res" | stats)"
  done
  printf '%-34s %s\n' "Brian2 rate Hz (2 currents)" "$(awk -v n=$n -v t="$sim" '$1 == "brian" { print $3 / n / t }' "$res" | stats)"
  for net in $nets; do
    printf '%-34s %s\n' "ncx $net rate Hz (1 current)" "$(awk -v n=$n -v t="$sim" -v k="$net" '$1 == k { print $3 / n / t }' "$res" | stats)"
  done
  printf '%-34s %s\n' "Brian2 synaptic events/s (~)" "$(awk '$1 == "brian" { print $4 / $2 }' "$res" | stats)"
  for net in $nets; do
    printf '%-34s %s\n' "ncx $net synaptic events/s" "$(awk -v k="$net" '$1 == k { print $4 / $2 }' "$res" | stats)"
  done
done
echo
echo "ncx's CUBA has one synaptic current (the core has one compartment) and fires at ~12.6 Hz; Brian2's has two"
echo "(5 ms excitatory, 10 ms inhibitory) and fires at ~5.6 Hz. cuba_matched doubles the inhibitory weight so each"
echo "inhibitory spike carries Brian2's charge, which brings the rate to ~6.5 Hz. Brian2's events are spikes x 0.02 x N."
