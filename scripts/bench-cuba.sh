#!/usr/bin/env bash
# CUBA-4000 for 10,000 steps (1 s of biological time at dt = 0.1 ms): the ncx
# emulator against Brian2's C++ standalone mode, measured in the same run on
# the same machine. Usage: scripts/bench-cuba.sh [SHARED_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
peer="$shared/peers/brian2_cuba.py"

echo "== ncx emulator: examples/cuba.yaml, 10,000 steps =="
out=$(go test -run '^$' -bench 'CUBA10k' -benchtime 3x ./bench/)
echo "$out" | grep -E '^Benchmark'
ncx_wall=$(echo "$out" | grep -oE '[0-9.]+ wall-s/run' | awk '{print $1}')

if [ ! -f "$peer" ]; then
  echo "peer script $peer not found: pass the shared/ directory as the first argument" >&2
  exit 1
fi
if ! /usr/bin/python3 -c 'import brian2' 2>/dev/null; then
  echo "installing python3-brian (Debian) for the peer run" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq python3-brian >/dev/null
fi
echo "== Brian2 C++ standalone: same network size and step count (compile time excluded) =="
peer_out=$(cd "$(dirname "$peer")" && /usr/bin/python3 "$(basename "$peer")" cpp 1.0 4000 2>/dev/null | tail -1)
echo "$peer_out"
brian_wall=$(echo "$peer_out" | grep -oE 'wall=[0-9.]+' | cut -d= -f2)
awk -v n="$ncx_wall" -v b="$brian_wall" 'BEGIN {
  printf "ncx %.3f s, Brian2 cpp_standalone %.3f s: ncx is %.2fx Brian2'\''s speed\n", n, b, b / n }'
