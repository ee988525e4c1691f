#!/usr/bin/env bash
# Installs the simulators the test suite needs when they are missing, so that
# `make test` works on a bare Debian machine that has only Go.
set -euo pipefail
need=()
command -v verilator >/dev/null 2>&1 || need+=(verilator)
command -v iverilog >/dev/null 2>&1 || need+=(iverilog)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
# Yosys and its Xilinx cell models: TestRAMStyleLUTRAM maps ncx_ram to LUTRAM and simulates the netlist
command -v yosys >/dev/null 2>&1 || need+=(yosys)
# HDF5 peers for the hdf5 package's writer test (files ncx writes must read in h5py and h5dump)
/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1 || need+=(python3-h5py)
command -v h5dump >/dev/null 2>&1 || need+=(hdf5-tools)
# NeuroCoreX's VHDL (driver/vhdlboard): the LLVM backend runs it about twice as fast as mcode
command -v ghdl-llvm >/dev/null 2>&1 || need+=(ghdl-llvm)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "installing ${need[*]} (apt-get)" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "need root or sudo to apt-get install ${need[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
