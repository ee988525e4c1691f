// ncx_sat_add: y = sat(x + a + b) of docs/core-spec.md section 3, purely
// combinational. x is a decay product from ncx_decay (VW+3 bits signed, at
// most 2^(VW+1) in magnitude), a and b are VW-bit signed; the sum fits VW+3
// bits and is clamped to the VW-bit signed range. Phase 1 uses it for
// i1 = sat(decay(i, di) + acc) and va1 = sat(decay(va, da) + acca + teach).
module ncx_sat_add #(
  parameter integer VW = 16
) (
  input  wire [VW+2:0] x_i,  // signed
  input  wire [VW-1:0] a_i,  // signed
  input  wire [VW-1:0] b_i,  // signed
  output wire [VW-1:0] y_o   // signed, saturated
);
  localparam integer XW = VW + 3;

  wire [XW-1:0] sum = x_i + {{(XW-VW){a_i[VW-1]}}, a_i} + {{(XW-VW){b_i[VW-1]}}, b_i};
  wire          hi  = !sum[XW-1] && (sum[XW-2:VW-1] != {(XW-VW){1'b0}});
  wire          lo  = sum[XW-1] && (sum[XW-2:VW-1] != {(XW-VW){1'b1}});

  assign y_o = hi ? {1'b0, {(VW-1){1'b1}}} : lo ? {1'b1, {(VW-1){1'b0}}} : sum[VW-1:0];
endmodule
