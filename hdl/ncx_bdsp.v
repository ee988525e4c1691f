// ncx_bdsp: the BDSP weight update of docs/core-spec.md section 8.4, purely
// combinational:
//   prod = aplus * trace[src] * err[post]      (|prod| < 2^24)
// without fraction bits (frac_i = 0):
//   w'   = clip(w + ((prod + next(lfsr)) >>> 16), wmin, wmax)
// with fraction bits (frac_i = 1, the rule's rule_frac bit):
//   full = (w << 8) | wfr
//   nf   = clip(full + ((prod + (next(lfsr) >> 8)) >>> 8), wmin << 8, (wmax << 8) | 255)
//   w'   = nf >>> 8,  wfr' = nf & 255
// Both are one adder and one clamp in units of 1/256 weight LSB:
//   y = (prod + rnd + (full << 8)) >>> 8,  nf = clip(y, wmin << 8, (wmax << 8) | 255)
// with rnd = next(lfsr) >> 8 and the real fraction bits, or rnd = next(lfsr)
// and full = w << 8. The second is the first rule because adding a multiple
// of 256 commutes with the floor shift, and the floor of a clamp to
// [lo*256, hi*256+255] is the clamp of the floor to [lo, hi].
// The product trace[src] * err[post] (te_i, 17 bits signed) is formed one
// pipeline stage earlier; here it is scaled by aplus.
module ncx_bdsp (
  input  wire [7:0]  w_i,          // signed weight
  input  wire [7:0]  wfr_i,        // its fraction bits (wfrac), used when frac_i
  input  wire        frac_i,       // the rule keeps fraction bits
  input  wire [16:0] te_i,         // signed, trace[src] * err[post]
  input  wire [7:0]  aplus_i,
  input  wire [15:0] lfsr_next_i,  // next(lfsr)
  input  wire [7:0]  wmin_i,       // signed
  input  wire [7:0]  wmax_i,       // signed
  output wire [7:0]  w_o,
  output wire [7:0]  wfr_o         // fraction bits of the new weight (frac_i)
);
  wire signed [25:0] prod = $signed({1'b0, aplus_i}) * $signed(te_i);
  wire        [15:0] rnd  = frac_i ? {8'd0, lfsr_next_i[15:8]} : lfsr_next_i;
  wire        [7:0]  fr   = frac_i ? wfr_i : 8'd0;
  // |prod| < 2^24, |full << 8| <= 2^23, rnd < 2^16: the sum fits 26 bits
  wire signed [25:0] sum  = prod + $signed({10'd0, rnd}) + $signed({{2{w_i[7]}}, w_i, fr, 8'd0});
  wire signed [17:0] y    = sum[25:8];
  wire signed [17:0] lo   = $signed({{2{wmin_i[7]}}, wmin_i, 8'h00});
  wire signed [17:0] hi   = $signed({{2{wmax_i[7]}}, wmax_i, 8'hff});
  wire signed [17:0] t    = (y < lo) ? lo : y;
  wire signed [17:0] nf   = (t > hi) ? hi : t;

  assign w_o   = nf[15:8];
  assign wfr_o = nf[7:0];

  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_bits = ^{sum[7:0], nf[17:16]};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
