// ncx_synth_top: a pin-limited wrapper of ncx_core for synthesis and
// place-and-route experiments. The wide host port is reached through a shift
// register: sh_en_i shifts sh_in_i into {host_addr, host_wdata} (MSB first);
// host_we_i/host_re_i use the shifted value; the word read by host_re_i is
// captured in the next cycle and shifted out on sh_out_o by sh_en_i.
`include "ncx_mem.vh"
module ncx_synth_top #(
  parameter integer NB = 8,
  parameter integer SB = 14,
  parameter integer RB = 13,
  parameter integer VW = 16,
  parameter integer Burst = 0,
  parameter NeuronStyle   = "auto",  // ncx_core NeuronStyle
  parameter integer HAW = `NCX_HAW,
  parameter integer HDW = `NCX_HDW
) (
  input  wire          clk_i,
  input  wire          rst_ni,
  input  wire          start_i,
  output wire          done_o,
  output wire          busy_o,
  output wire          spike_valid_o,
  output wire [NB-1:0] spike_id_o,
  output wire          spike_burst_o,
  input  wire [`NCX_SEL_BITS-1:0] host_sel_i,
  input  wire          host_we_i,
  input  wire          host_re_i,
  input  wire          sh_in_i,
  input  wire          sh_en_i,
  output wire          sh_out_o
);
  reg  [HAW+HDW-1:0] in_q;
  reg  [HDW-1:0]     out_q;
  reg                rvalid_q;
  wire [HDW-1:0]     host_rdata;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      in_q     <= {(HAW+HDW){1'b0}};
      out_q    <= {HDW{1'b0}};
      rvalid_q <= 1'b0;
    end else begin
      rvalid_q <= host_re_i;
      if (sh_en_i) begin
        in_q <= {in_q[HAW+HDW-2:0], sh_in_i};
      end
      if (rvalid_q) begin
        out_q <= host_rdata;
      end else if (sh_en_i) begin
        out_q <= {out_q[HDW-2:0], 1'b0};
      end
    end
  end

  assign sh_out_o = out_q[HDW-1];

  ncx_core #(.NB(NB), .SB(SB), .RB(RB), .VW(VW), .Burst(Burst), .NeuronStyle(NeuronStyle)) u_core (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .start_i       (start_i),
    .done_o        (done_o),
    .busy_o        (busy_o),
    .spike_valid_o (spike_valid_o),
    .spike_id_o    (spike_id_o),
    .spike_burst_o (spike_burst_o),
    .host_sel_i    (host_sel_i),
    .host_addr_i   (in_q[HAW+HDW-1:HDW]),
    .host_wdata_i  (in_q[HDW-1:0]),
    .host_we_i     (host_we_i),
    .host_re_i     (host_re_i),
    .host_rdata_o  (host_rdata)
  );
endmodule
