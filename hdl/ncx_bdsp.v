// ncx_bdsp: the BDSP weight update of docs/core-spec.md section 8.4, purely
// combinational:
//   prod = aplus * trace[src] * err[post]      (|prod| < 2^24)
//   dw   = (prod + next(lfsr)) >>> 16          (stochastic rounding)
//   w'   = clip(w + dw, wmin, wmax)
// The product trace[src] * err[post] (te_i, 17 bits signed) is formed one
// pipeline stage earlier; here it is scaled by aplus.
module ncx_bdsp (
  input  wire [7:0]  w_i,          // signed weight
  input  wire [16:0] te_i,         // signed, trace[src] * err[post]
  input  wire [7:0]  aplus_i,
  input  wire [15:0] lfsr_next_i,  // next(lfsr)
  input  wire [7:0]  wmin_i,       // signed
  input  wire [7:0]  wmax_i,       // signed
  output wire [7:0]  w_o
);
  wire signed [25:0] prod = $signed({1'b0, aplus_i}) * $signed(te_i);
  wire signed [25:0] sum  = prod + $signed({10'd0, lfsr_next_i});
  /* verilator lint_off UNUSEDSIGNAL */
  wire signed [25:0] dw   = sum >>> 16;  // -255..254: the top bits are sign copies
  /* verilator lint_on UNUSEDSIGNAL */
  wire signed [10:0] x    = $signed({{3{w_i[7]}}, w_i}) + $signed(dw[10:0]);
  wire signed [10:0] lo   = $signed({{3{wmin_i[7]}}, wmin_i});
  wire signed [10:0] hi   = $signed({{3{wmax_i[7]}}, wmax_i});
  wire signed [10:0] t    = (x < lo) ? lo : x;
  wire signed [10:0] r    = (t > hi) ? hi : t;

  assign w_o = r[7:0];

  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_r = ^r[10:8];
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
