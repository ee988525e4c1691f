// ncx_board: an ncx-core board on a UART, speaking wire protocol 2
// (docs/protocol.md) the way the simulated board of driver/sim does, for
// the subset its INFO advertises (features STOP and STATUS; BURST when
// Burst = 1; no READ_OUT output log). Wiring only:
//
//   rx_i -> ncx_frame_rx: UART, receive ring (2^RxBits bytes), sync hunt,
//           length limit, CRC-16/CCITT-FALSE, stale partial frames
//        -> ncx_cmd_engine: sequence numbers, commands, steps, STATUS/DONE
//           counters; owns the shift register the ring is read into, the
//           core's host port and the counter RAM
//        -> ncx_frame_tx: framing, CRC, payload bytes asked of the engine
//           by index -> tx_o
//   ncx_spike_queue: input queue (2^QBits STREAM_IN records) and the spike
//           buffer of one step in one SPRAM (Spram = 1, iCE40) or block RAM
//   ncx_core: the core the engine drives
//
// The engine is one sequential state machine and the parts work only when
// it asks (see ncx_cmd_engine): while it sends a reply or runs a step,
// received bytes wait in the ring, which holds Window frames of MaxPayload
// bytes. Synchronous active-low reset.
`include "ncx_mem.vh"
module ncx_board #(
  parameter integer NB         = 8,
  parameter integer SB         = 10,
  parameter integer RB         = 9,
  parameter integer VW         = 16,
  parameter integer Burst      = 0,
  parameter integer ClkHz      = 12_000_000,
  parameter integer Baud       = 1_000_000,
  parameter integer MaxPayload = 240,          // announced in INFO
  parameter integer Window     = 2,            // frames in flight, announced in INFO
  parameter integer RxBits     = 9,            // receive ring of 2^RxBits bytes
  parameter integer QBits      = 7,            // input queue of 2^QBits records
  parameter integer IdleCycles = ClkHz / 25,   // 40 ms: a partial frame is stale
  parameter integer NameLen    = 7,
  parameter [8*NameLen-1:0] Name = "ncx-rtl",
  parameter integer Spram      = 1,            // 1: iCE40 SB_SPRAM256KA, 0: ncx_sp_ram (inferred block RAM)
  parameter         NeuronStyle = "auto"       // ncx_core NeuronStyle ("distributed": LUTRAM)
) (
  input  wire clk_i,
  input  wire rst_ni,
  input  wire rx_i,
  output wire tx_o,
  output wire running_o,
  output wire error_o     // a corrupted frame arrived since reset
);
  localparam integer HAW = `NCX_HAW;
  localparam integer HDW = `NCX_HDW;
  localparam integer MaxWbI = (HDW + 7) / 8;              // bytes of the widest word
  localparam integer ShBI = (MaxWbI > 7) ? MaxWbI : 7;    // and of a request header

  // ncx_frame_rx
  wire            parse, rx_ok, rx_hunt, rx_bad, rx_pending, consume, seek, load, ld_done, sh;
  wire [7:0]      seq, cmd, sh_byte;
  wire [12:0]     len;
  wire [3:0]      seek_off, ld_n;
  wire [8*ShBI-1:0] wsh;
  // ncx_frame_tx
  wire            tx_go, pl_req, pl_valid, tx_done;
  wire [7:0]      tx_seq, tx_cmd, pl_byte;
  wire [12:0]     tx_len, pl_idx;
  // ncx_spike_queue
  wire            q_clear, q_push_lo, q_push_hi, q_rd_lo, q_rd_hi, q_rd, q_pop;
  wire            spk_clr, spk_we, spk_rd_set, spk_rd_inc;
  wire [31-NB:0]  q_step, q_head_step;
  wire [NB-1:0]   q_n, q_head_n, spk_rd_ptr, spike;
  wire [QBits:0]  q_count;
  wire [NB:0]     nspk;
  // ncx_core
  wire            start, core_done, spike_valid, host_we, host_re;
  wire [NB-1:0]   spike_id;
  wire [4:0]      host_sel;
  wire [HAW-1:0]  host_addr;
  wire [HDW-1:0]  host_wdata, host_rdata;

  ncx_frame_rx #(.ClkHz(ClkHz), .Baud(Baud), .MaxPayload(MaxPayload), .RxBits(RxBits),
    .IdleCycles(IdleCycles), .ShBI(ShBI)) u_rx (
    .clk_i(clk_i), .rst_ni(rst_ni), .rx_i(rx_i),
    .parse_i(parse), .ok_o(rx_ok), .hunt_o(rx_hunt), .bad_o(rx_bad),
    .seq_o(seq), .cmd_o(cmd), .len_o(len), .pending_o(rx_pending), .consume_i(consume),
    .seek_i(seek), .seek_off_i(seek_off), .load_i(load), .ld_n_i(ld_n),
    .ld_done_o(ld_done), .sh_o(sh), .sh_byte_o(sh_byte), .wsh_i(wsh));

  ncx_cmd_engine #(.NB(NB), .SB(SB), .RB(RB), .VW(VW), .Burst(Burst), .ClkHz(ClkHz),
    .MaxPayload(MaxPayload), .Window(Window), .QBits(QBits), .ShBI(ShBI),
    .NameLen(NameLen), .Name(Name)) u_engine (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .parse_o(parse), .rx_ok_i(rx_ok), .rx_hunt_i(rx_hunt), .rx_bad_i(rx_bad),
    .seq_i(seq), .cmd_i(cmd), .len_i(len), .rx_pending_i(rx_pending), .consume_o(consume),
    .seek_o(seek), .seek_off_o(seek_off), .load_o(load), .ld_n_o(ld_n), .ld_done_i(ld_done),
    .sh_i(sh), .sh_byte_i(sh_byte), .wsh_o(wsh),
    .tx_go_o(tx_go), .tx_seq_o(tx_seq), .tx_cmd_o(tx_cmd), .tx_len_o(tx_len),
    .pl_req_i(pl_req), .pl_idx_i(pl_idx), .pl_valid_o(pl_valid), .pl_byte_o(pl_byte), .tx_done_i(tx_done),
    .q_clear_o(q_clear), .q_push_lo_o(q_push_lo), .q_push_hi_o(q_push_hi), .q_step_o(q_step), .q_n_o(q_n),
    .q_rd_lo_o(q_rd_lo), .q_rd_hi_o(q_rd_hi), .q_rd_o(q_rd), .q_pop_o(q_pop),
    .q_count_i(q_count), .q_head_step_i(q_head_step), .q_head_n_i(q_head_n),
    .spk_clr_o(spk_clr), .spk_we_o(spk_we), .spk_rd_set_o(spk_rd_set), .spk_rd_ptr_o(spk_rd_ptr),
    .spk_rd_inc_o(spk_rd_inc), .nspk_i(nspk), .spike_i(spike),
    .start_o(start), .core_done_i(core_done), .spike_valid_i(spike_valid),
    .host_sel_o(host_sel), .host_addr_o(host_addr), .host_wdata_o(host_wdata), .host_we_o(host_we),
    .host_re_o(host_re), .host_rdata_i(host_rdata),
    .running_o(running_o), .error_o(error_o));

  ncx_frame_tx #(.ClkHz(ClkHz), .Baud(Baud)) u_tx (
    .clk_i(clk_i), .rst_ni(rst_ni), .go_i(tx_go), .seq_i(tx_seq), .cmd_i(tx_cmd), .len_i(tx_len),
    .pl_req_o(pl_req), .pl_idx_o(pl_idx), .pl_valid_i(pl_valid), .pl_byte_i(pl_byte),
    .done_o(tx_done), .tx_o(tx_o));

  ncx_spike_queue #(.NB(NB), .QBits(QBits), .Spram(Spram)) u_queue (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .clear_i(q_clear), .push_lo_i(q_push_lo), .push_hi_i(q_push_hi), .rec_step_i(q_step), .rec_n_i(q_n),
    .rd_lo_i(q_rd_lo), .rd_hi_i(q_rd_hi), .q_rd_i(q_rd), .pop_i(q_pop),
    .count_o(q_count), .head_step_o(q_head_step), .head_n_o(q_head_n),
    .spk_clr_i(spk_clr), .spk_we_i(spk_we), .spk_id_i(spike_id),
    .rd_set_i(spk_rd_set), .rd_ptr_i(spk_rd_ptr), .rd_inc_i(spk_rd_inc),
    .nspk_o(nspk), .spike_o(spike));

  /* verilator lint_off PINCONNECTEMPTY */
  ncx_core #(.NB(NB), .SB(SB), .RB(RB), .VW(VW), .Burst(Burst), .NeuronStyle(NeuronStyle)) u_core (
    .clk_i(clk_i), .rst_ni(rst_ni), .start_i(start), .done_o(core_done), .busy_o(),
    .spike_valid_o(spike_valid), .spike_id_o(spike_id), .spike_burst_o(),
    .host_sel_i(host_sel), .host_addr_i(host_addr), .host_wdata_i(host_wdata), .host_we_i(host_we),
    .host_re_i(host_re), .host_rdata_o(host_rdata));
  /* verilator lint_on PINCONNECTEMPTY */
endmodule
