// ncx_ram: simple dual-port block RAM, one write port and one read port on a
// single clock (spec section 2). The read is synchronous: rdata_o holds
// mem[raddr_i] sampled on the rising edge where re_i is high, valid in the
// following cycle. A read and a write of the same address on the same edge
// return the old word (read-first); the core does not rely on it, because it
// forwards the last write itself. The array has no reset so that synthesis
// maps it onto block RAM; InitFile optionally preloads it with $readmemh.
//
// Style is the array's ram_style attribute, which Yosys's memory_libmap and
// Vivado honour: "auto" leaves the choice to the tool's cost model,
// "distributed" asks for LUTRAM (the read stays synchronous: rdata_q is the
// output register behind the asynchronous LUTRAM read, so timing and the
// read-first behaviour are those of the block RAM), "block" for block RAM.
// Simulators ignore it; a board top uses it to trade LUTs for block RAM.
module ncx_ram #(
  parameter integer Width    = 8,
  parameter integer AddrBits = 4,
  parameter         InitFile = "",
  // Style is used only by the attribute, which the linter does not see.
  /* verilator lint_off UNUSEDPARAM */
  parameter         Style    = "auto"
  /* verilator lint_on UNUSEDPARAM */
) (
  input  wire                clk_i,
  input  wire                we_i,
  input  wire [AddrBits-1:0] waddr_i,
  input  wire [Width-1:0]    wdata_i,
  input  wire                re_i,
  input  wire [AddrBits-1:0] raddr_i,
  output wire [Width-1:0]    rdata_o
);
  localparam integer Depth = 1 << AddrBits;

  (* ram_style = Style *) reg [Width-1:0] mem_q [0:Depth-1];
  reg [Width-1:0] rdata_q;

  generate
    if (InitFile != "") begin : g_init
      initial $readmemh(InitFile, mem_q);
    end
  endgenerate

  always @(posedge clk_i) begin
    if (we_i) begin
      mem_q[waddr_i] <= wdata_i;
    end
    if (re_i) begin
      rdata_q <= mem_q[raddr_i];
    end
  end

  assign rdata_o = rdata_q;
endmodule
