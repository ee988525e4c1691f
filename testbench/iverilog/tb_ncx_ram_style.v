// tb_ncx_ram_style: ncx_ram (RTL) against ncx_ram_mapped, the netlist Yosys
// makes of it for a given Style (Xilinx primitives, simulated with Yosys's
// cells_sim.v). Both see the same random writes and reads, a third of the
// reads at the address written on the same edge, half the accesses on 16
// hot addresses so such collisions hit written words; every cycle where the
// RTL output is defined, the netlist output must equal it. Prints
// "compared C mismatches M collisions K".
module tb_ncx_ram_style;
  localparam integer W = 8;
  localparam integer A = 10;
  reg          clk = 1'b0;
  reg          we = 1'b0, re = 1'b0;
  reg  [A-1:0] wa = {A{1'b0}}, ra = {A{1'b0}};
  reg  [W-1:0] wd = {W{1'b0}};
  wire [W-1:0] q_rtl, q_map;
  integer      i, compared = 0, bad = 0, coll = 0, seed = 1;

  ncx_ram #(.Width(W), .AddrBits(A)) u_rtl (
    .clk_i(clk), .we_i(we), .waddr_i(wa), .wdata_i(wd), .re_i(re), .raddr_i(ra), .rdata_o(q_rtl));
  ncx_ram_mapped u_map (
    .clk_i(clk), .we_i(we), .waddr_i(wa), .wdata_i(wd), .re_i(re), .raddr_i(ra), .rdata_o(q_map));

  initial begin
    for (i = 0; i < 20000; i = i + 1) begin
      we = $random(seed);
      re = $random(seed);
      wa = (i % 2 == 0) ? ({$random(seed)} % 16) : $random(seed);
      ra = (i % 3 == 0) ? wa : ((i % 2 == 0) ? ({$random(seed)} % 16) : $random(seed));
      wd = $random(seed);
      if (we && re && wa == ra) coll = coll + 1;
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      if (^q_rtl !== 1'bx) begin
        compared = compared + 1;
        if (q_map !== q_rtl) begin
          bad = bad + 1;
          if (bad <= 5) $display("cycle %0d: rtl %h, mapped %h", i, q_rtl, q_map);
        end
      end
    end
    $display("compared %0d mismatches %0d collisions %0d", compared, bad, coll);
    $finish;
  end
endmodule
