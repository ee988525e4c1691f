#!/usr/bin/env bash
# Proves the repository is self-contained: clones the committed HEAD into an
# empty temporary directory (so there is no sibling shared/ with peers or data),
# then runs `make demo` and the Go tests there. The Verilator/Icarus packages
# (testbench, driver/rtlboard) are left out: they read nothing outside the
# repository, `make test` has just run them, and rebuilding their models in a
# fresh tree would double CI time. Usage: scripts/clean-clone.sh [REPO_DIR]
set -euo pipefail
repo="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git clone -q --no-local "$repo" "$tmp/ncx"
cd "$tmp/ncx"
test ! -e ../shared || { echo "clean-clone: $tmp/shared exists" >&2; exit 1; }
echo "clean clone of $(git rev-parse --short HEAD) in $tmp/ncx (no ../shared)"
make demo
pkgs=$(go list ./... | grep -v -e '/testbench' -e '/driver/rtlboard')
# -short keeps the learning and soak runs at their CI sizes.
go test -count=1 -short $pkgs
