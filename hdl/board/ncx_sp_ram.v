// ncx_sp_ram: single-port RAM that behaves like the port of SB_SPRAM256KA
// that ncx_board uses (all nibbles written together), for devices without
// the iCE40 SPRAM. On a clock edge with we_i high the word is written and
// rdata_o keeps its value; with we_i low rdata_o becomes mem[addr_i] after
// the edge. Keeping rdata_o on writes is what the board's queue and spike
// buffer were written against, so the two memories are interchangeable.
// The array has no reset so that synthesis infers block RAM (one RAMB18 for
// 1K x 16 on the 7 series).
module ncx_sp_ram #(
  parameter integer Width    = 16,
  parameter integer AddrBits = 10
) (
  input  wire                clk_i,
  input  wire                we_i,
  input  wire [AddrBits-1:0] addr_i,
  input  wire [Width-1:0]    wdata_i,
  output wire [Width-1:0]    rdata_o
);
  localparam integer Depth = 1 << AddrBits;

  reg [Width-1:0] mem_q [0:Depth-1];
  reg [Width-1:0] rdata_q;

  always @(posedge clk_i) begin
    if (we_i) begin
      mem_q[addr_i] <= wdata_i;
    end else begin
      rdata_q <= mem_q[addr_i];
    end
  end

  assign rdata_o = rdata_q;
endmodule
