// Generated from core.TimingV1 by `go generate ./testbench`; do not edit.
// The table in docs/core-spec.md section 5 explains each constant.
localparam integer CORE_VERSION = 1;
localparam integer T_C_START = 1;
localparam integer T_P1 = 3;
localparam integer T_C_ROW = 2;
localparam integer T_P2 = 3;
localparam integer T_P3 = 3;
localparam integer T_D_SPIKE = 3;
