// ncx_decay: decay(x, m) = sign(x) * ((|x| * m) >> 12) of docs/core-spec.md
// section 3, purely combinational: the magnitude is scaled by m/4096 and
// rounded toward zero. The result is VW+3 bits signed (m up to 8191 gives at
// most 2^(VW+1) in magnitude); for m <= 4096 it is within the VW-bit range.
module ncx_decay #(
  parameter integer VW = 16
) (
  input  wire [VW-1:0] x_i,  // signed
  input  wire [12:0]   m_i,  // 0..4096
  output wire [VW+2:0] y_o   // signed
);
  wire [VW-1:0]  mag = x_i[VW-1] ? (~x_i + 1'b1) : x_i;  // |-2^(VW-1)| = 2^(VW-1) unsigned
  /* verilator lint_off UNUSEDSIGNAL */
  wire [VW+12:0] prod = mag * m_i;  // the low 12 bits are shifted out
  /* verilator lint_on UNUSEDSIGNAL */
  wire [VW+2:0]  res = {2'b00, prod[VW+12:12]};

  assign y_o = x_i[VW-1] ? (~res + 1'b1) : res;
endmodule
