// ncx_burst_index: the burst-probability table index of docs/core-spec.md
// section 8.2, purely combinational:
//   idx = clamp(((va1 - aoff) >>> ashift) + 32, 0, 63)
// with >>> an arithmetic (floor) shift. Phase 1 stage 2 computes it and
// addresses the lut memory with it.
module ncx_burst_index #(
  parameter integer VW = 16
) (
  input  wire [VW-1:0] va_i,      // signed, va1
  input  wire [VW-1:0] aoff_i,    // signed
  input  wire [3:0]    ashift_i,  // 0..15
  output wire [5:0]    idx_o
);
  wire signed [VW:0]   d = $signed({va_i[VW-1], va_i}) - $signed({aoff_i[VW-1], aoff_i});
  wire signed [VW:0]   s = d >>> ashift_i;
  wire signed [VW+1:0] t = $signed({s[VW], s}) + $signed({{(VW-4){1'b0}}, 6'd32});

  assign idx_o = t[VW+1] ? 6'd0 : (t[VW:6] != {(VW-5){1'b0}}) ? 6'd63 : t[5:0];
endmodule
