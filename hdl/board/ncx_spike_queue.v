// ncx_spike_queue: the board's input queue (2^QBits STREAM_IN records) and
// spike buffer (the 2^NB spikes of one step) in one single-port RAM: the
// UP5K's SB_SPRAM256KA (Spram = 1) or an inferred block RAM (ncx_sp_ram,
// Spram = 0, e.g. the Artix-7 of the CMod A7).
//
// Record r is words 2r (step bits 15:0) and 2r+1 (step bits QSW-1:16 above
// the neuron's NB bits) at 0..2^(QBits+1)-1; spike k is word 2^13 + k. The
// command engine never asks for two accesses in one cycle, so one port
// serves all: a spike write (spk_we_i) wins, then a queued record word
// write, then a queue read (q_rd_i), else the spike at rd_ptr is read.
// Reads are valid in the cycle after the edge that samples them; a write
// keeps the read data (the SPRAM's behaviour, which ncx_sp_ram copies).
//
// Strobes, each for one clock edge:
//   clear_i    drop every record (head = tail)
//   push_lo_i  write word 0 of the record at the tail (rec_step_i[15:0]),
//   push_hi_i  then word 1 ({rec_step_i[QSW-1:16], rec_n_i}); the tail moves
//   rd_lo_i    address word 0 of the head record, then rd_hi_i word 1 (word
//              0, read meanwhile, is kept); head_step_o and head_n_o are
//              valid in the cycle after the edge that samples the q_rd_i
//              following rd_hi_i
//   pop_i      the head moves to the next record
//   spk_clr_i  empty the spike buffer; spk_we_i appends spk_id_i
//   rd_set_i   rd_ptr = rd_ptr_i; rd_inc_i: rd_ptr + 1 (the spike read)
module ncx_spike_queue #(
  parameter integer NB    = 8,
  parameter integer QBits = 7,
  parameter integer Spram = 1
) (
  input  wire              clk_i,
  input  wire              rst_ni,
  // input queue
  input  wire              clear_i,
  input  wire              push_lo_i,
  input  wire              push_hi_i,
  input  wire [31-NB:0]    rec_step_i,
  input  wire [NB-1:0]     rec_n_i,
  input  wire              rd_lo_i,
  input  wire              rd_hi_i,
  input  wire              q_rd_i,
  input  wire              pop_i,
  output wire [QBits:0]    count_o,
  output wire [31-NB:0]    head_step_o,
  output wire [NB-1:0]     head_n_o,
  // spike buffer
  input  wire              spk_clr_i,
  input  wire              spk_we_i,
  input  wire [NB-1:0]     spk_id_i,
  input  wire              rd_set_i,
  input  wire [NB-1:0]     rd_ptr_i,
  input  wire              rd_inc_i,
  output wire [NB:0]       nspk_o,
  output wire [NB-1:0]     spike_o
);
  localparam integer QSW = 32 - NB;  // step bits kept in the queue

  reg  [QBits:0]  head_q, tail_q;
  reg             qwe_q;
  reg  [QBits:0]  qwaddr_q, qraddr_q;
  reg  [15:0]     qwdata_q;
  reg  [15:0]     w0_q;
  reg  [NB:0]     nspk_q;
  reg  [NB-1:0]   sp_q;
  wire [15:0]     dout;

  wire [13:0] addr = spk_we_i ? {1'b1, {(13-NB){1'b0}}, nspk_q[NB-1:0]} :
                     qwe_q    ? {1'b0, {(13-QBits-1){1'b0}}, qwaddr_q} :
                     q_rd_i   ? {1'b0, {(13-QBits-1){1'b0}}, qraddr_q} :
                                {1'b1, {(13-NB){1'b0}}, sp_q};
  wire [15:0] din  = spk_we_i ? {{(16-NB){1'b0}}, spk_id_i} : qwdata_q;
  wire        we   = spk_we_i || qwe_q;

  // Without the SPRAM the same map is folded into a block RAM just deep
  // enough for both halves: address bit 13 stays the half select above the
  // low SpLow bits.
  localparam integer SpLow = (NB > QBits + 1) ? NB : QBits + 1;
  generate
    if (Spram != 0) begin : g_spram
      SB_SPRAM256KA u_spram (
        .ADDRESS(addr), .DATAIN(din), .MASKWREN(4'b1111), .WREN(we), .CHIPSELECT(1'b1),
        .CLOCK(clk_i), .STANDBY(1'b0), .SLEEP(1'b0), .POWEROFF(1'b1), .DATAOUT(dout));
    end else begin : g_bram
      /* verilator lint_off UNUSEDSIGNAL */
      wire addr_unused = ^addr[12:SpLow];  // above both halves: always zero
      /* verilator lint_on UNUSEDSIGNAL */
      ncx_sp_ram #(.Width(16), .AddrBits(SpLow + 1)) u_spram (
        .clk_i(clk_i), .we_i(we), .addr_i({addr[13], addr[SpLow-1:0]}), .wdata_i(din), .rdata_o(dout));
    end
  endgenerate

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      head_q <= {(QBits+1){1'b0}};
      tail_q <= {(QBits+1){1'b0}};
      qwe_q <= 1'b0;
      qwaddr_q <= {(QBits+1){1'b0}};
      qwdata_q <= 16'd0;
      qraddr_q <= {(QBits+1){1'b0}};
      w0_q <= 16'd0;
      nspk_q <= {(NB+1){1'b0}};
      sp_q <= {NB{1'b0}};
    end else begin
      qwe_q <= push_lo_i || push_hi_i;
      if (push_lo_i) begin
        qwaddr_q <= {tail_q[QBits-1:0], 1'b0};
        qwdata_q <= rec_step_i[15:0];
      end
      if (push_hi_i) begin
        qwaddr_q <= {tail_q[QBits-1:0], 1'b1};
        qwdata_q <= {rec_step_i[QSW-1:16], rec_n_i};
        tail_q <= tail_q + 1'b1;
      end
      if (clear_i) begin
        head_q <= tail_q;
      end else if (pop_i) begin
        head_q <= head_q + 1'b1;
      end
      if (rd_lo_i) begin
        qraddr_q <= {head_q[QBits-1:0], 1'b0};
      end
      if (rd_hi_i) begin
        w0_q <= dout;
        qraddr_q <= {head_q[QBits-1:0], 1'b1};
      end
      if (spk_clr_i) begin
        nspk_q <= {(NB+1){1'b0}};
      end else if (spk_we_i) begin
        nspk_q <= nspk_q + 1'b1;
      end
      if (rd_set_i) begin
        sp_q <= rd_ptr_i;
      end else if (rd_inc_i) begin
        sp_q <= sp_q + 1'b1;
      end
    end
  end

  assign count_o     = tail_q - head_q;
  assign head_step_o = {dout[15:NB], w0_q};
  assign head_n_o    = dout[NB-1:0];
  assign nspk_o      = nspk_q;
  assign spike_o     = dout[NB-1:0];
endmodule
