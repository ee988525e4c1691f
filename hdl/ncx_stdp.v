// ncx_stdp: the weight update of the plasticity rules (docs/core-spec.md
// section 4), purely combinational. Phase 2 depression (potentiate_i = 0):
//   w' = clip(w - rmul(aminus, tr_post), wmin, wmax)
// Phase 3 potentiation (potentiate_i = 1):
//   w' = clip(w + rmul(aplus, tr_pre), wmin, wmax)
// with rmul(a, b) = (a*b + 128) >> 8 and clip(x, lo, hi) = min(max(x, lo), hi)
// on a 10-bit signed intermediate.
module ncx_stdp (
  input  wire [7:0] w_i,         // signed weight
  input  wire [7:0] tr_i,        // trace of the other neuron
  input  wire [7:0] a_i,         // aplus or aminus
  input  wire [7:0] wmin_i,      // signed
  input  wire [7:0] wmax_i,      // signed
  input  wire       potentiate_i,
  output wire [7:0] w_o
);
  wire [15:0] mul  = {8'd0, a_i} * {8'd0, tr_i};
  wire [16:0] prod = {1'b0, mul} + 17'd128;
  wire [9:0]  step = {1'b0, prod[16:8]};
  wire [9:0]  w10  = {{2{w_i[7]}}, w_i};
  wire [9:0]  x    = potentiate_i ? (w10 + step) : (w10 - step);
  wire [9:0]  lo   = {{2{wmin_i[7]}}, wmin_i};
  wire [9:0]  hi   = {{2{wmax_i[7]}}, wmax_i};
  wire [9:0]  t    = ($signed(x) < $signed(lo)) ? lo : x;
  wire [9:0]  r    = ($signed(t) > $signed(hi)) ? hi : t;

  assign w_o = r[7:0];

  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_prod = ^{prod[7:0], r[9:8]};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
