// ncx_cmd_engine: the command engine of the ncx board (ncx_board wires it to
// ncx_frame_rx, ncx_frame_tx, ncx_spike_queue and ncx_core). One sequential
// state machine: it dispatches (a frame waiting in the ring first, else the
// end of a run, else the next step), checks sequence numbers (expect,
// once-only NAK, the replies of the last 16 frames re-sent for repeats),
// executes RESET, IDENTIFY, WRITE_MEM / READ_MEM / SET_NUM_NEURONS through
// the core's host port (ceil(width/8) bytes a word, little endian), RUN,
// STOP, STREAM_IN into the input queue, STATUS, and runs steps: before step
// t every queued record for step t writes force[n] = 1 (host_sel 4), the
// step starts, its spikes go to the spike buffer and its cycles are counted
// from the edge that samples start_o to core_done_i; then the step's record
// goes out in one OUT frame per part. It runs step t only when t < through,
// and sends DONE at the end of the run.
//
// It is the sole owner of what the parts share, which is why the parts
// never run at once: it asks one of them for a job and waits for the answer
// (parse_o / load_o until rx_ok_i, rx_hunt_i, rx_bad_i / ld_done_i; tx_go_o
// until tx_done_i, serving pl_req_i meanwhile), each answer a
// combinational signal of the part's last cycle so the engine moves on the
// same edge as the part does.
// - the shift register wsh (ShBI bytes): ncx_frame_rx shifts bytes of the
//   ring in at the top (sh_i) and reads the header and CRC back (wsh_o); it
//   is the core's host write data and, shifting out at the bottom, the
//   DATA reply.
// - the core's host port, the step's start and the spike buffer's writes.
// - the counter RAM (ncx_ram, 64 bytes, one EBR): the STATUS/DONE counters
//   (total_steps and total_cycles 64 bits, dropped, crc_errors, naks_sent,
//   frames_ok 32 bits) laid out as the STATUS payload, and the
//   de-duplication table; a byte-serial adder updates them (bump: read, add
//   with carry, write, one byte every two cycles) and the sender reads them
//   byte by byte. After reset the RAM is cleared (64 + a few cycles)
//   before the first frame is parsed.
// Queue records keep the low 32-NB bits of their step, so a record more
// than 2^(31-NB) steps ahead of the run is dropped (counted).
//
// Memory widths and host_sel codes come from the generated ncx_mem.vh and
// ncx_mem_fn.vh (core.MemMap), protocol codes from ncx_proto.vh
// (core/protocol.go).
`include "ncx_mem.vh"
`include "ncx_proto.vh"
module ncx_cmd_engine #(
  parameter integer NB         = 8,
  parameter integer SB         = 10,
  parameter integer RB         = 9,
  parameter integer VW         = 16,
  parameter integer Burst      = 0,
  parameter integer ClkHz      = 12_000_000,   // announced in INFO
  parameter integer MaxPayload = 240,          // announced in INFO
  parameter integer Window     = 2,            // frames in flight, announced in INFO
  parameter integer QBits      = 7,            // input queue of 2^QBits records
  parameter integer ShBI       = 12,           // bytes of wsh: max(7, bytes of the widest word) (ncx_board)
  parameter integer NameLen    = 7,
  parameter [8*NameLen-1:0] Name = "ncx-rtl"
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  // ncx_frame_rx
  output wire                 parse_o,
  input  wire                 rx_ok_i,
  input  wire                 rx_hunt_i,
  input  wire                 rx_bad_i,
  input  wire [7:0]           seq_i,
  input  wire [7:0]           cmd_i,
  input  wire [12:0]          len_i,
  input  wire                 rx_pending_i,
  output wire                 consume_o,
  output wire                 seek_o,
  output wire [3:0]           seek_off_o,
  output wire                 load_o,
  output wire [3:0]           ld_n_o,
  input  wire                 ld_done_i,
  input  wire                 sh_i,
  input  wire [7:0]           sh_byte_i,
  output wire [8*ShBI-1:0]    wsh_o,
  // ncx_frame_tx
  output wire                 tx_go_o,
  output wire [7:0]           tx_seq_o,
  output wire [7:0]           tx_cmd_o,
  output wire [12:0]          tx_len_o,
  input  wire                 pl_req_i,
  input  wire [12:0]          pl_idx_i,
  output wire                 pl_valid_o,
  output wire [7:0]           pl_byte_o,
  input  wire                 tx_done_i,
  // ncx_spike_queue
  output wire                 q_clear_o,
  output wire                 q_push_lo_o,
  output wire                 q_push_hi_o,
  output wire [31-NB:0]       q_step_o,
  output wire [NB-1:0]        q_n_o,
  output wire                 q_rd_lo_o,
  output wire                 q_rd_hi_o,
  output wire                 q_rd_o,
  output wire                 q_pop_o,
  input  wire [QBits:0]       q_count_i,
  input  wire [31-NB:0]       q_head_step_i,
  input  wire [NB-1:0]        q_head_n_i,
  output wire                 spk_clr_o,
  output wire                 spk_we_o,
  output wire                 spk_rd_set_o,
  output wire [NB-1:0]        spk_rd_ptr_o,
  output wire                 spk_rd_inc_o,
  input  wire [NB:0]          nspk_i,
  input  wire [NB-1:0]        spike_i,
  // ncx_core
  output wire                 start_o,
  input  wire                 core_done_i,
  input  wire                 spike_valid_i,
  output wire [4:0]           host_sel_o,
  output wire [`NCX_HAW-1:0]  host_addr_o,
  output wire [`NCX_HDW-1:0]  host_wdata_o,
  output wire                 host_we_o,
  output wire                 host_re_o,
  input  wire [`NCX_HDW-1:0]  host_rdata_i,
  output wire                 running_o,
  output wire                 error_o     // a corrupted frame arrived since reset
);
  // ---------------------------------------------------------------- widths
  /* verilator lint_off UNUSEDPARAM */
`include "ncx_mem_fn.vh"
  /* verilator lint_on UNUSEDPARAM */
  localparam integer HAW = `NCX_HAW;
  localparam integer HDW = `NCX_HDW;
  localparam integer QSW = 32 - NB;                       // step bits kept in the queue
  localparam integer ShW = 8 * ShBI;
  localparam integer PerI = (MaxPayload - 12) / 2;  // spikes in one OUT part
  localparam integer QCapI = 1 << QBits;
  localparam integer InfoLenI = 24 + NameLen;

  localparam integer NBI = NB, SBI = SB, RBI = RB, VWI = VW, WinI = Window, MaxPlI = MaxPayload;
  localparam integer HAWI = HAW;
  localparam [12:0] MaxPl = MaxPlI[12:0];
  localparam [12:0] Per   = PerI[12:0];
  localparam [12:0] InfoLen = InfoLenI[12:0];
  localparam [QBits:0] QCap = QCapI[QBits:0];
  localparam [7:0]  Protocol = 8'd2;  // the version this board speaks (no CRC32 frames, no READ_SUM)
  localparam [15:0] Feat = `NCX_FEAT_STOP | `NCX_FEAT_STATUS | ((Burst != 0) ? `NCX_FEAT_BURST : 16'h0000);
  localparam [31:0] ClkHz32 = ClkHz;
  localparam [7:0] Nb8 = NBI[7:0], Sb8 = SBI[7:0], Rb8 = RBI[7:0], Vw8 = VWI[7:0], Win8 = WinI[7:0];

  // payload kinds of the frame sender
  localparam [2:0] KNone = 3'd0, KNak = 3'd1, KInfo = 3'd2, KStatus = 3'd3, KDone = 3'd4,
                   KData = 3'd5, KOut = 3'd6;
  // counter RAM: byte addresses (STATUS payload offsets for the STATUS counters)
  localparam [5:0] ATotal = 6'd5, ADropped = 6'd13, ACrcErr = 6'd17, ANaks = 6'd21,
                   AFrames = 6'd25, ARunCyc = 6'd40, ARep = 6'd48;
  localparam [5:0] DoneOff = 6'd36;  // DONE payload byte i (4..11) is counter byte i + 36

  // states (the codes of the single-module board, gaps where parts took states over)
  localparam [5:0] SIdle = 6'd0, SParse = 6'd1, SExec = 6'd7, SExec2 = 6'd8, SQuery = 6'd9,
                   SApply = 6'd10, SApplied = 6'd11, SEnd = 6'd12, SBad = 6'd13, SLoad = 6'd14,
                   SSend = 6'd17,
                   SDrd = 6'd20, SDrd1 = 6'd21, SFb = 6'd22, SFpw = 6'd23, SSrd = 6'd24,
                   SSrd1 = 6'd25, SBad2 = 6'd26, SWm = 6'd27, SWm1 = 6'd28, SClr = 6'd29,
                   SSiCnt = 6'd30, SSi = 6'd31, SSi1 = 6'd32, SSi2 = 6'd33, SPop = 6'd34,
                   SPop1 = 6'd35, SPop2 = 6'd36, SPop3 = 6'd37, SPop4 = 6'd38, SStart = 6'd39,
                   SRunW = 6'd40, SOutP = 6'd41, SOutP2 = 6'd42, SStepEnd = 6'd43, SFin = 6'd44,
                   SFin2 = 6'd45, SWmChk = 6'd46, SB0 = 6'd47, SB1 = 6'd48, SCrcOk = 6'd49,
                   SSiT = 6'd50, SStepEnd2 = 6'd51, SFb2 = 6'd52;

  reg  [5:0] state_q;

  wire            run_ok, rec_drop, h_due, h_late, spk_next;
  wire [31:0]     r_step;
  wire [15:0]     r_n;
  reg  [NB:0]     off_q;

  // ------------------------------------------------------------------ core
  reg  [4:0]     hsel_q;
  reg  [HAW-1:0] haddr_q;
  reg            hwe_q, hre_q;
  /* verilator lint_off UNUSEDSIGNAL */
  reg  [ShW-1:0] wsh_q;  // frame loader, host write data, DATA reply shifter
  /* verilator lint_on UNUSEDSIGNAL */

  // ------------------------------------------------- memory table (host_sel)
  // RESET clears host_sel 0 .. ClrEnd-1 except num_neurons and lfsr, then sets
  // num_neurons = 1 (at ClrEnd): in a burst build that takes in wfrac and
  // rule_frac, which follow the registers; without burst units it stops at
  // num_neurons, as before they existed.
  localparam [4:0] ClrEnd = (Burst != 0) ? `NCX_SEL_RULE_FRAC + 5'd1 : `NCX_SEL_NUM_NEURONS;
  function sel_ok;  // a wire sel byte names a memory or register of this build
    input [7:0] s;
    sel_ok = s[7:`NCX_SEL_BITS] == {(8-`NCX_SEL_BITS){1'b0}} && ncx_sel_used(s[`NCX_SEL_BITS-1:0]);
  endfunction

  // ------------------------------------------------------------ registers
  reg  [5:0]   ld_ret_q, f_ret_q;
  reg  [3:0]   ld_n_q;
  reg  [12:0]  cnt_q;
  reg  [3:0]   reason_q;
  // link state
  reg          synced_q, nak_sent_q, err_q;
  reg  [7:0]   expect_q;
  reg  [7:0]   evseq_q;
  // frame sender
  reg  [7:0]   f_seq_q, f_cmd_q;
  reg  [12:0]  f_len_q;
  reg  [2:0]   f_kind_q;
  reg  [3:0]   nak_reason_q;
  reg  [3:0]   wbi_q;
  // memory commands
  reg  [4:0]   m_sel_q;
  reg  [HAW-1:0] m_addr_q;
  reg  [7:0]   m_cnt_q, m_k_q;
  reg  [3:0]   m_wb_q;
  reg  [4:0]   clr_sel_q;
  reg  [HAW-1:0] clr_addr_q;
  reg  [NB:0]  numn_q;
  // run
  reg          running_q, stop_q;
  reg  [31:0]  run_steps_q, step_q, through_q, cyc_q;
  reg  [12:0]  recs_q, k_q;
  reg  [7:0]   part_q;
  reg  [12:0]  out_n_q;
  reg          out_last_q;
  // counter RAM and its byte-serial adder
  reg  [5:0]   b_addr_q, b_ret_q;
  reg  [6:0]   b_n_q;
  reg  [31:0]  b_add_q;
  reg          b_c_q, b_clr_q;
  reg          rw_q;       // de-duplication table write
  reg  [5:0]   rwa_q;
  reg  [7:0]   rwd_q;
  wire [7:0]   c_rdata;
  wire [8:0]   b_sum = {1'b0, c_rdata} + {1'b0, b_add_q[7:0]} + {8'd0, b_c_q};
  wire [5:0]   f_caddr = pl_idx_i[5:0] + ((f_kind_q == KDone) ? DoneOff : 6'd0);
  wire [5:0]   c_raddr = (state_q == SB0) ? b_addr_q : (state_q == SExec) ? (ARep + {2'd0, seq_i[3:0]}) : f_caddr;
  wire         c_we = (state_q == SB1) || rw_q;
  wire [5:0]   c_waddr = (state_q == SB1) ? b_addr_q : rwa_q;
  wire [7:0]   c_wdata = (state_q == SB1) ? (b_clr_q ? 8'd0 : b_sum[7:0]) : rwd_q;

  ncx_ram #(.Width(8), .AddrBits(6)) u_cnt (
    .clk_i(clk_i), .we_i(c_we), .waddr_i(c_waddr), .wdata_i(c_wdata),
    .re_i(1'b1), .raddr_i(c_raddr), .rdata_o(c_rdata));

  // ------------------------------------------------------- payload bytes
  wire [8*NameLen-1:0] name_le;
  genvar gi;
  generate
    for (gi = 0; gi < NameLen; gi = gi + 1) begin : g_name
      assign name_le[8*gi +: 8] = Name[8*(NameLen-1-gi) +: 8];
    end
  endgenerate
  wire [511:0] info_vec = {{(512-192-8*NameLen){1'b0}}, name_le, Feat, ClkHz32, 32'd0,
                           {{(31-QBits){1'b0}}, QCap}, Win8, {3'd0, MaxPl}, Vw8, Rb8, Sb8, Nb8, `NCX_CORE_VERSION, Protocol};
  wire [7:0]   info_byte = info_vec[{pl_idx_i[5:0], 3'd0} +: 8];
  wire         steps_left = step_q < run_steps_q;  // DONE: stopped
  // bytes of a 32-bit register
  function [7:0] byte4;
    input [31:0] v;
    input [1:0]  i;
    begin
      case (i)
        2'd0: byte4 = v[7:0];
        2'd1: byte4 = v[15:8];
        2'd2: byte4 = v[23:16];
        default: byte4 = v[31:24];
      endcase
    end
  endfunction
  wire [31:0]  qcount32 = {{(31-QBits){1'b0}}, q_count_i};
  wire [1:0]   bi_m1 = pl_idx_i[1:0] - 2'd1;
  reg  [7:0]   fixed_byte;  // STATUS, DONE, OUT header, NAK; c_rdata holds the counter byte
  always @* begin
    fixed_byte = c_rdata;
    case (f_kind_q)
      KNak: fixed_byte = pl_idx_i[0] ? expect_q : {4'd0, nak_reason_q};
      KInfo: fixed_byte = info_byte;
      KStatus: begin
        if (pl_idx_i[5:0] == 6'd0) begin
          fixed_byte = {7'd0, running_q};
        end else if (pl_idx_i[5:0] <= 6'd4) begin
          fixed_byte = byte4(step_q, bi_m1);
        end else if (pl_idx_i[5:0] >= 6'd33) begin
          fixed_byte = byte4(through_q, bi_m1);
        end else if (pl_idx_i[5:0] >= 6'd29) begin
          fixed_byte = byte4(qcount32, bi_m1);
        end
      end
      KDone: begin
        if (pl_idx_i[5:0] <= 6'd3) begin
          fixed_byte = byte4(step_q, pl_idx_i[1:0]);
        end else if (pl_idx_i[5:0] == 6'd12) begin
          fixed_byte = {7'd0, steps_left};
        end
      end
      default: begin  // KOut: step u32, cycles u32, part u8, flags u8, n u16
        case (pl_idx_i[3:0])
          4'd0, 4'd1, 4'd2, 4'd3: fixed_byte = byte4(step_q, pl_idx_i[1:0]);
          4'd4, 4'd5, 4'd6, 4'd7: fixed_byte = byte4(cyc_q, pl_idx_i[1:0]);
          4'd8:  fixed_byte = part_q;
          4'd9:  fixed_byte = {7'd0, out_last_q};
          4'd10: fixed_byte = out_n_q[7:0];
          default: fixed_byte = {3'd0, out_n_q[12:8]};
        endcase
      end
    endcase
  end


  // request fields (wsh holds the first 7 payload bytes)
  wire [7:0]  q_sel   = wsh_q[7:0];
  wire [31:0] q_addr  = wsh_q[39:8];
  wire [15:0] q_cnt   = wsh_q[55:40];
  wire [31:0] q_u32   = wsh_q[31:0];
  // words of this board are at most 15 bytes (bit 4 of ncx_sel_bytes is 0)
  /* verilator lint_off UNUSEDSIGNAL */
  wire [4:0]  q_wb5   = ncx_sel_bytes(q_sel[`NCX_SEL_BITS-1:0]);
  /* verilator lint_on UNUSEDSIGNAL */
  wire [3:0]  q_wb    = q_wb5[3:0];
  wire [4:0]  q_ab    = ncx_sel_abits(q_sel[`NCX_SEL_BITS-1:0]);
  // addr + count <= 2^ab: addr < 2^HAW and count < 256 (a reply or write of
  // more words cannot fit MaxPayload anyway), then HAW+1 bits suffice
  wire [HAW:0] q_end  = {1'b0, q_addr[HAW-1:0]} + {{(HAW-7){1'b0}}, q_cnt[7:0]};
  wire [HAW:0] q_depth = {{HAW{1'b0}}, 1'b1} << q_ab;
  wire [11:0] q_bytes = q_cnt[7:0] * q_wb;
  wire        q_range = sel_ok(q_sel) && q_cnt != 16'd0 && q_cnt[15:8] == 8'd0 &&
                        q_addr[31:HAW] == {(32-HAWI){1'b0}} && q_end <= q_depth;
  wire        is_query = cmd_i == `NCX_CMD_READ_MEM || cmd_i == `NCX_CMD_STATUS || cmd_i == `NCX_CMD_READ_OUT;
  wire [7:0]  seq_back = expect_q - seq_i;
  // n > 2^NB or n == 0 (SET_NUM_NEURONS, num_neurons register)
  wire        numn_bad = wsh_q[31:0] == 32'd0 || wsh_q[31:NB+1] != {(31-NB){1'b0}} ||
                         (wsh_q[NB] && wsh_q[NB-1:0] != {NB{1'b0}});
  // STREAM_IN record in wsh
  assign r_step = wsh_q[31:0];
  assign r_n    = wsh_q[47:32];
  /* verilator lint_off UNUSEDSIGNAL */
  wire [32:0] r_diff = {1'b0, r_step} - {1'b0, step_q};  // bit 32: late; only high bits tested
  /* verilator lint_on UNUSEDSIGNAL */
  assign rec_drop = r_diff[32] || {16'd0, r_n} >= {{(31-NB){1'b0}}, numn_q} || r_diff[31:QSW-1] != {(33-QSW){1'b0}};
  assign run_ok = !running_q && len_i >= 13'd4 && q_u32 != 32'd0;
  // queue head
  wire [QSW-1:0] h_diff = q_head_step_i - step_q[QSW-1:0];
  assign h_due  = h_diff == {QSW{1'b0}};
  assign h_late = h_diff[QSW-1];  // its step has run
  wire [NB:0]    spk_left = nspk_i - off_q;
  wire [15:0]    spk16 = {{(16-NB){1'b0}}, spike_i};
  // ------------------------------------------------------------ frame sender
  // The engine waits in SSend while ncx_frame_tx sends the frame; payload
  // bytes it cannot give at once it fetches in SDrd/SDrd1/SFpw (a word of
  // the core), SSrd/SSrd1 (a spike) and SFb/SFb2 (counter RAM or a register),
  // returning to SSend with the byte.
  wire        pl_echo = f_kind_q == KData && pl_idx_i < 13'd7;                // DATA: the request header
  wire        pl_hi   = f_kind_q == KOut && pl_idx_i >= 13'd12 && pl_idx_i[0];  // OUT: a spike's high byte
  wire        pl_now  = state_q == SSend && pl_req_i && (pl_echo || pl_hi);
  wire        pl_valid = pl_now || state_q == SFb2 || state_q == SFpw || state_q == SSrd1;
  wire [7:0]  pl_byte = (state_q == SFb2) ? fixed_byte :
                        (state_q == SSrd1) ? spk16[7:0] :
                        (pl_now && pl_hi) ? spk16[15:8] : wsh_q[7:0];
  assign spk_next = pl_now && pl_hi;

  wire [HAW:0]   clr_last = ({{HAW{1'b0}}, 1'b1} << ncx_sel_abits(clr_sel_q)) - 1'b1;

  // ------------------------------------------------------------ spike queue
  assign q_clear_o    = (state_q == SApply && (cmd_i == `NCX_CMD_RESET || (cmd_i == `NCX_CMD_RUN && run_ok))) ||
                        state_q == SFin2;
  assign q_push_lo_o  = state_q == SSi1 && !rec_drop;
  assign q_push_hi_o  = state_q == SSi2;
  assign q_step_o     = r_step[QSW-1:0];
  assign q_n_o        = r_n[NB-1:0];
  assign q_rd_lo_o    = state_q == SPop && q_count_i != {(QBits+1){1'b0}};
  assign q_rd_hi_o    = state_q == SPop2;
  assign q_rd_o       = state_q == SPop1 || state_q == SPop3;
  assign q_pop_o      = state_q == SPop4 && (h_due || h_late);
  assign spk_clr_o    = state_q == SStart;
  assign spk_we_o     = spike_valid_i && state_q == SRunW;
  assign spk_rd_set_o = state_q == SOutP;
  assign spk_rd_ptr_o = off_q[NB-1:0];
  assign spk_rd_inc_o = spk_next;

  // ----------------------------------------------------------- frame receiver
  // The engine reads the ring only through ncx_frame_rx: a parse (SParse),
  // loads into wsh (SLoad), and the read pointer set to a payload offset
  // where a command starts reading (every cycle of SApply of WRITE_MEM and
  // of SSiCnt, harmless where it goes on to a NAK, since every read is
  // preceded by one).
  wire       rx_seek = state_q == SCrcOk || (state_q == SSi && k_q == recs_q) ||
                       (state_q == SApply && cmd_i == `NCX_CMD_WRITE_MEM) || state_q == SSiCnt;
  wire [3:0] rx_off  = (state_q == SApply) ? 4'd13 : (state_q == SSiCnt) ? 4'd10 : 4'd6;

  assign parse_o    = state_q == SParse;
  assign consume_o  = state_q == SEnd;
  assign seek_o     = rx_seek;
  assign seek_off_o = rx_off;
  assign load_o     = state_q == SLoad;
  assign ld_n_o     = ld_n_q;
  assign wsh_o      = wsh_q;

  // wsh: one next-state rule for all its uses. Small values (num_neurons,
  // force = 1, zeros for RESET) are set in SApply (SET_NUM_NEURONS), SClr and
  // SPop4, the states that write them to the core with hwe_q on the next edge;
  // every other use shifts a byte in at the top (sh_i: the ring, else 0:
  // the DATA echo and words going out) or loads a word read from the core.
  wire          wsh_set = (state_q == SApply && cmd_i == `NCX_CMD_SET_NUM_NEURONS) || state_q == SClr || state_q == SPop4;
  wire [NB:0]   wsh_small = (state_q == SApply) ? q_u32[NB:0] :
                            (state_q == SClr && clr_sel_q != ClrEnd) ? {(NB+1){1'b0}} : {{NB{1'b0}}, 1'b1};
  wire          wsh_ld  = state_q == SDrd1;
  wire          wsh_sh  = sh_i || state_q == SFpw ||
                          (pl_now && pl_echo);
  wire [7:0]    wsh_in  = sh_i ? sh_byte_i : 8'd0;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      wsh_q <= {ShW{1'b0}};
    end else if (wsh_set) begin
      wsh_q <= {{(ShW-NB-1){1'b0}}, wsh_small};
    end else if (wsh_ld) begin
      wsh_q <= {{(ShW-HDW){1'b0}}, host_rdata_i};
    end else if (wsh_sh) begin
      wsh_q <= {wsh_in, wsh_q[ShW-1:8]};
    end
  end

  // ------------------------------------------------------- sender and core
  assign tx_go_o      = state_q == SSend;
  assign tx_seq_o     = f_seq_q;
  assign tx_cmd_o     = f_cmd_q;
  assign tx_len_o     = f_len_q;
  assign pl_valid_o   = pl_valid;
  assign pl_byte_o    = pl_byte;
  assign start_o      = state_q == SStart;
  assign host_sel_o   = hsel_q;
  assign host_addr_o  = haddr_q;
  assign host_wdata_o = wsh_q[HDW-1:0];
  assign host_we_o    = hwe_q;
  assign host_re_o    = hre_q;
  assign running_o = running_q;
  assign error_o   = err_q;

  // a call of the frame sender: reply to the current frame
  task send;
    input [7:0]  seq;
    input [7:0]  cmd;
    input [12:0] len;
    input [2:0]  kind;
    input [5:0]  ret;
    begin
      f_seq_q  <= seq;
      f_cmd_q  <= cmd;
      f_len_q  <= len;
      f_kind_q <= kind;
      f_ret_q  <= ret;
      wbi_q    <= 4'd0;
      state_q  <= SSend;
    end
  endtask

  task send_nak;  // naks_sent is counted when the frame is out
    input [7:0] seq;
    input [3:0] reason;
    input [5:0] ret;
    begin
      nak_reason_q <= reason;
      send(seq, `NCX_CMD_NAK, 13'd2, KNak, ret);
    end
  endtask

  task load;  // n bytes of the ring from its read pointer into wsh[8n-1:0] (rest zero), then ret
    input [3:0]        n;
    input [5:0]        ret;
    begin
      ld_n_q    <= n;
      ld_ret_q  <= ret;
      state_q   <= SLoad;
    end
  endtask

  task accept;  // the frame of seq_i is taken in order: expect the next, note entry in the de-duplication table
    input [7:0] entry;
    begin
      expect_q   <= expect_q + 8'd1;
      nak_sent_q <= 1'b0;
      rw_q       <= 1'b1;
      rwa_q      <= ARep + {2'd0, seq_i[3:0]};
      rwd_q      <= entry;
    end
  endtask

  task bump;  // counter RAM bytes [addr, addr+n) += add (or = 0 when clr), then ret
    input [5:0]  addr;
    input [6:0]  n;
    input [31:0] add;
    input        clr;
    input [5:0]  ret;
    begin
      b_addr_q <= addr;
      b_n_q    <= n;
      b_add_q  <= add;
      b_c_q    <= 1'b0;
      b_clr_q  <= clr;
      b_ret_q  <= ret;
      state_q  <= SB0;
    end
  endtask

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= SB0;  // clear the counter RAM first
      b_addr_q <= 6'd0;
      b_n_q <= 7'd64;
      b_add_q <= 32'd0;
      b_c_q <= 1'b0;
      b_clr_q <= 1'b1;
      b_ret_q <= SIdle;
      rw_q <= 1'b0;
      rwa_q <= 6'd0;
      rwd_q <= 8'd0;
      hsel_q <= 5'd0;
      haddr_q <= {HAW{1'b0}};
      hwe_q <= 1'b0;
      hre_q <= 1'b0;
      ld_ret_q <= SIdle;
      f_ret_q <= SIdle;
      ld_n_q <= 4'd0;
      cnt_q <= 13'd0;
      reason_q <= 4'd0;
      synced_q <= 1'b0;
      nak_sent_q <= 1'b0;
      err_q <= 1'b0;
      expect_q <= 8'd0;
      evseq_q <= 8'd0;
      f_seq_q <= 8'd0;
      f_cmd_q <= 8'd0;
      f_len_q <= 13'd0;
      f_kind_q <= KNone;
      nak_reason_q <= 4'd0;
      wbi_q <= 4'd0;
      m_sel_q <= 5'd0;
      m_addr_q <= {HAW{1'b0}};
      m_cnt_q <= 8'd0;
      m_k_q <= 8'd0;
      m_wb_q <= 4'd0;
      clr_sel_q <= 5'd0;
      clr_addr_q <= {HAW{1'b0}};
      numn_q <= {{NB{1'b0}}, 1'b1};
      running_q <= 1'b0;
      stop_q <= 1'b0;
      run_steps_q <= 32'd0;
      step_q <= 32'd0;
      through_q <= 32'd0;
      cyc_q <= 32'd0;
      recs_q <= 13'd0;
      k_q <= 13'd0;
      off_q <= {(NB+1){1'b0}};
      part_q <= 8'd0;
      out_n_q <= 13'd0;
      out_last_q <= 1'b0;
    end else begin
      hwe_q <= 1'b0;
      hre_q <= 1'b0;
      rw_q <= 1'b0;
      case (state_q)
        // ------------------------------------------------ dispatch
        SIdle: begin
          if (rx_pending_i) begin
            state_q <= SParse;
          end else if (running_q && (stop_q || !steps_left)) begin
            state_q <= SFin;
          end else if (running_q && step_q < through_q) begin
            state_q <= SPop;
          end
        end

        // ------------------------------------------------ frame parser
        SParse: begin  // ncx_frame_rx parses the frame at the ring's base
          if (rx_ok_i) begin
            bump(AFrames, 7'd4, 32'd1, 1'b0, SCrcOk);
          end else if (rx_bad_i) begin
            state_q <= SBad;
          end else if (rx_hunt_i) begin
            state_q <= SIdle;
          end
        end
        SCrcOk: load(4'd7, SExec);  // rx_seek: from payload byte 0
        SBad: begin
          err_q <= 1'b1;
          bump(ACrcErr, 7'd4, 32'd1, 1'b0, SBad2);
        end
        SBad2: begin
          if (synced_q && !nak_sent_q) begin
            nak_sent_q <= 1'b1;
            send_nak(8'd0, `NCX_NAK_CRC, SIdle);
          end else begin
            state_q <= SIdle;
          end
        end

        // ------------------------------------------------ subroutines
        SLoad: begin
          if (ld_done_i) begin
            state_q <= ld_ret_q;
          end
        end
        SB0: state_q <= SB1;  // the counter RAM reads b_addr on this edge
        SB1: begin            // c_we: b_sum (or 0) is written to b_addr
          b_c_q <= b_sum[8];
          b_add_q <= {8'd0, b_add_q[31:8]};
          b_addr_q <= b_addr_q + 6'd1;
          b_n_q <= b_n_q - 7'd1;
          state_q <= (b_n_q == 7'd1) ? b_ret_q : SB0;
        end
        SSend: begin  // ncx_frame_tx sends; pl_now: a payload byte it takes at once
          if (tx_done_i) begin
            if (f_kind_q == KNak) begin  // naks_sent counts frames out
              bump(ANaks, 7'd4, 32'd1, 1'b0, f_ret_q);
            end else begin
              state_q <= f_ret_q;
            end
          end else if (pl_req_i && !pl_now) begin
            if (f_kind_q == KData) begin
              if (wbi_q == 4'd0) begin
                hsel_q <= m_sel_q;
                haddr_q <= m_addr_q;
                hre_q <= 1'b1;
                state_q <= SDrd;
              end else begin
                state_q <= SFpw;
              end
            end else if (f_kind_q == KOut && pl_idx_i >= 13'd12) begin
              state_q <= SSrd;  // the read pointer addresses the spike
            end else begin
              state_q <= SFb;  // the counter RAM reads f_caddr on this edge
            end
          end
        end
        SFb:  state_q <= SFb2;
        SFb2: state_q <= SSend;  // pl_byte: fixed_byte
        SDrd:  state_q <= SDrd1;  // core reads on this edge
        SDrd1: state_q <= SFpw;   // wsh loads the word
        SFpw: begin  // pl_byte: the word's next byte
          if (wbi_q + 4'd1 == m_wb_q) begin
            wbi_q <= 4'd0;
            m_addr_q <= m_addr_q + 1'b1;
          end else begin
            wbi_q <= wbi_q + 4'd1;
          end
          state_q <= SSend;
        end
        SSrd:  state_q <= SSrd1;  // the spike buffer reads on this edge
        SSrd1: state_q <= SSend;  // pl_byte: the spike's low byte

        // ------------------------------------------------ sequence numbers
        SExec: begin  // the counter RAM reads the de-duplication entry of seq
          if (cmd_i == `NCX_CMD_IDENTIFY) begin
            synced_q <= 1'b1;
            expect_q <= seq_i + 8'd1;
            nak_sent_q <= 1'b0;
            send(seq_i, `NCX_CMD_INFO, InfoLen, KInfo, SEnd);
          end else begin
            if (!synced_q) begin
              synced_q <= 1'b1;
              expect_q <= seq_i;
            end
            state_q <= SExec2;
          end
        end
        SExec2: begin  // c_rdata: {valid, 3'd0, reason} of seq[3:0]
          if (seq_i != expect_q) begin
            if (seq_back >= 8'd1 && seq_back <= 8'd128) begin  // a repeat
              if (is_query) begin
                state_q <= SQuery;
              end else if (seq_back <= 8'd16 && c_rdata[7] && c_rdata[3:0] != 4'd0) begin
                send_nak(seq_i, c_rdata[3:0], SEnd);
              end else begin
                send(seq_i, `NCX_CMD_ACK, 13'd0, KNone, SEnd);
              end
            end else if (!nak_sent_q) begin
              nak_sent_q <= 1'b1;
              send_nak(seq_i, `NCX_NAK_ORDER, SEnd);
            end else begin
              state_q <= SEnd;
            end
          end else if (is_query) begin
            accept(8'd0);
            state_q <= SQuery;
          end else begin
            state_q <= SApply;
          end
        end
        SQuery: begin
          if (cmd_i == `NCX_CMD_STATUS) begin
            send(seq_i, `NCX_CMD_STATUS_REPLY, 13'd37, KStatus, SEnd);
          end else if (cmd_i == `NCX_CMD_READ_MEM) begin
            if (running_q) begin
              send_nak(seq_i, `NCX_NAK_RUNNING, SEnd);
            end else if (len_i < 13'd7 || !q_range || {1'b0, q_bytes} + 13'd7 > MaxPl) begin
              send_nak(seq_i, `NCX_NAK_BAD_ARGUMENT, SEnd);
            end else begin
              m_sel_q <= q_sel[4:0];
              m_addr_q <= q_addr[HAW-1:0];
              m_wb_q <= q_wb;
              send(seq_i, `NCX_CMD_DATA, {1'b0, q_bytes} + 13'd7, KData, SEnd);
            end
          end else begin
            send_nak(seq_i, `NCX_NAK_UNKNOWN_COMMAND, SEnd);  // READ_OUT: no output log
          end
        end
        SEnd: begin
          state_q <= SIdle;  // rx_consume
        end

        // ------------------------------------------------ commands
        SApply: begin
          reason_q <= 4'd0;
          case (cmd_i)
            `NCX_CMD_RESET: begin
              running_q <= 1'b0;
              stop_q <= 1'b0;
              err_q <= 1'b0;
              step_q <= 32'd0;
              through_q <= 32'd0;
              clr_sel_q <= 5'd0;
              clr_addr_q <= {HAW{1'b0}};
              bump(ATotal, 7'd24, 32'd0, 1'b1, SClr);  // total .. frames_ok
            end
            `NCX_CMD_WRITE_MEM: begin
              if (running_q) begin
                reason_q <= `NCX_NAK_RUNNING;
                state_q <= SApplied;
              end else if (len_i < 13'd7 || !q_range || len_i != {1'b0, q_bytes} + 13'd7) begin
                reason_q <= `NCX_NAK_BAD_ARGUMENT;
                state_q <= SApplied;
              end else begin
                m_sel_q <= q_sel[4:0];
                m_addr_q <= q_addr[HAW-1:0];
                m_cnt_q <= q_cnt[7:0];
                m_wb_q <= q_wb;
                m_k_q <= 8'd0;
                // rx_seek: the first word
                state_q <= SWm;
              end
            end
            `NCX_CMD_SET_NUM_NEURONS: begin
              if (running_q) begin
                reason_q <= `NCX_NAK_RUNNING;
              end else if (len_i < 13'd4 || numn_bad) begin
                reason_q <= `NCX_NAK_BAD_ARGUMENT;
              end else begin
                hsel_q <= `NCX_SEL_NUM_NEURONS;
                haddr_q <= {HAW{1'b0}};
                hwe_q <= 1'b1;
                numn_q <= q_u32[NB:0];
              end
              state_q <= SApplied;
            end
            `NCX_CMD_RUN: begin
              if (running_q) begin
                reason_q <= `NCX_NAK_BAD_STATE;
                state_q <= SApplied;
              end else if (!run_ok) begin
                reason_q <= `NCX_NAK_BAD_ARGUMENT;
                state_q <= SApplied;
              end else begin
                running_q <= 1'b1;
                stop_q <= 1'b0;
                run_steps_q <= q_u32;
                step_q <= 32'd0;
                through_q <= 32'd0;
                bump(ARunCyc, 7'd8, 32'd0, 1'b1, SApplied);  // total_cycles = 0
              end
            end
            `NCX_CMD_STOP: begin
              if (running_q) begin
                stop_q <= 1'b1;
              end
              state_q <= SApplied;
            end
            `NCX_CMD_STREAM_IN: begin
              if (len_i < 13'd4) begin
                reason_q <= `NCX_NAK_BAD_ARGUMENT;
                state_q <= SApplied;
              end else begin
                cnt_q <= 13'd4;
                recs_q <= 13'd0;
                state_q <= SSiCnt;
              end
            end
            default: begin
              reason_q <= `NCX_NAK_UNKNOWN_COMMAND;
              state_q <= SApplied;
            end
          endcase
        end
        SApplied: begin
          if (reason_q == `NCX_NAK_NO_SPACE) begin  // not consumed: the host resends it
            if (!nak_sent_q) begin
              nak_sent_q <= 1'b1;
              send_nak(seq_i, `NCX_NAK_NO_SPACE, SEnd);
            end else begin
              state_q <= SEnd;
            end
          end else begin
            accept({4'b1000, reason_q});
            if (reason_q != 4'd0) begin
              send_nak(seq_i, reason_q, SEnd);
            end else begin
              send(seq_i, `NCX_CMD_ACK, 13'd0, KNone, SEnd);
            end
          end
        end

        SClr: begin  // RESET: zero every memory and register but lfsr, then num_neurons = 1
          if (clr_sel_q == ClrEnd) begin
            hsel_q <= `NCX_SEL_NUM_NEURONS;
            haddr_q <= {HAW{1'b0}};
            hwe_q <= 1'b1;
            numn_q <= {{NB{1'b0}}, 1'b1};
            state_q <= SApplied;
          end else if (!sel_ok({3'd0, clr_sel_q}) || clr_sel_q == `NCX_SEL_NUM_NEURONS || clr_sel_q == `NCX_SEL_LFSR) begin
            clr_sel_q <= clr_sel_q + 5'd1;
          end else begin
            hsel_q <= clr_sel_q;
            haddr_q <= clr_addr_q;
            hwe_q <= 1'b1;
            if ({1'b0, clr_addr_q} == clr_last) begin
              clr_addr_q <= {HAW{1'b0}};
              clr_sel_q <= clr_sel_q + 5'd1;
            end else begin
              clr_addr_q <= clr_addr_q + 1'b1;
            end
          end
        end

        SWm: begin  // WRITE_MEM: next word
          if (m_k_q == m_cnt_q) begin
            state_q <= SApplied;
          end else begin
            load(m_wb_q, SWmChk);
          end
        end
        SWmChk: begin
          if (m_sel_q == `NCX_SEL_NUM_NEURONS && numn_bad) begin
            reason_q <= `NCX_NAK_BAD_ARGUMENT;
            state_q <= SApplied;
          end else begin
            state_q <= SWm1;
          end
        end
        SWm1: begin  // the core writes wsh on the next edge
          hsel_q <= m_sel_q;
          haddr_q <= m_addr_q;
          hwe_q <= 1'b1;
          if (m_sel_q == `NCX_SEL_NUM_NEURONS) begin
            numn_q <= wsh_q[NB:0];
          end
          m_addr_q <= m_addr_q + 1'b1;
          m_k_q <= m_k_q + 8'd1;
          state_q <= SWm;
        end

        SSiCnt: begin  // STREAM_IN: count the 6-byte records
          if (cnt_q < len_i) begin
            cnt_q <= cnt_q + 13'd6;
            recs_q <= recs_q + 13'd1;
          end else if (cnt_q != len_i) begin
            reason_q <= `NCX_NAK_BAD_ARGUMENT;
            state_q <= SApplied;
          end else if (!running_q) begin
            bump(ADropped, 7'd4, {19'd0, recs_q}, 1'b0, SApplied);
          end else if ({{(13-QBits-1){1'b0}}, q_count_i} + recs_q > {{(13-QBits-1){1'b0}}, QCap}) begin
            reason_q <= `NCX_NAK_NO_SPACE;
            state_q <= SApplied;
          end else begin
            k_q <= 13'd0;
            // rx_seek: the first record
            state_q <= SSi;
          end
        end
        SSi: begin
          if (k_q == recs_q) begin
            load(4'd4, SSiT);  // rx_seek: through
          end else begin
            k_q <= k_q + 13'd1;
            load(4'd6, SSi1);
          end
        end
        SSiT: begin
          if (q_u32 > through_q) begin
            through_q <= q_u32;
          end
          state_q <= SApplied;
        end
        SSi1: begin
          if (rec_drop) begin
            bump(ADropped, 7'd4, 32'd1, 1'b0, SSi);
          end else begin
            state_q <= SSi2;  // the queue writes the record's first word
          end
        end
        SSi2: state_q <= SSi;  // and its second

        // ------------------------------------------------ steps
        SPop: begin  // force the queued inputs of this step
          if (q_count_i == {(QBits+1){1'b0}}) begin
            state_q <= SStart;
          end else begin
            state_q <= SPop1;  // the queue addresses the head's first word
          end
        end
        SPop1: state_q <= SPop2;  // and reads it
        SPop2: state_q <= SPop3;  // keeps it, addresses the second
        SPop3: state_q <= SPop4;  // and reads it
        SPop4: begin  // the queue pops the head if due or late
          if (h_due) begin
            hsel_q <= `NCX_SEL_FORCE;
            haddr_q <= {{(HAW-NB){1'b0}}, q_head_n_i};
            hwe_q <= 1'b1;
            state_q <= SPop;
          end else if (h_late) begin
            bump(ADropped, 7'd4, 32'd1, 1'b0, SPop);
          end else begin
            state_q <= SStart;
          end
        end
        SStart: begin  // start_i is high in this state; the spike buffer empties
          cyc_q <= 32'd0;
          state_q <= SRunW;
        end
        SRunW: begin
          if (core_done_i) begin
            off_q <= {(NB+1){1'b0}};
            part_q <= 8'd0;
            state_q <= SOutP;
          end else begin
            cyc_q <= cyc_q + 32'd1;
          end
        end
        SOutP: begin  // the spike buffer's read pointer goes to off
          if ({{(12-NB){1'b0}}, spk_left} > Per) begin
            out_n_q <= Per;
            out_last_q <= 1'b0;
            send(evseq_q, `NCX_CMD_OUT, 13'd12 + {Per[11:0], 1'b0}, KOut, SOutP2);
          end else begin
            out_n_q <= {{(12-NB){1'b0}}, spk_left};
            out_last_q <= 1'b1;
            send(evseq_q, `NCX_CMD_OUT, 13'd12 + {{(11-NB){1'b0}}, spk_left, 1'b0}, KOut, SOutP2);
          end
        end
        SOutP2: begin
          evseq_q <= evseq_q + 8'd1;
          off_q <= off_q + out_n_q[NB:0];
          part_q <= part_q + 8'd1;
          state_q <= out_last_q ? SStepEnd : SOutP;
        end
        SStepEnd: begin
          step_q <= step_q + 32'd1;
          bump(ATotal, 7'd8, 32'd1, 1'b0, SStepEnd2);
        end
        SStepEnd2: bump(ARunCyc, 7'd8, cyc_q, 1'b0, SIdle);
        SFin: send(evseq_q, `NCX_CMD_DONE, 13'd13, KDone, SFin2);
        SFin2: begin
          evseq_q <= evseq_q + 8'd1;
          running_q <= 1'b0;
          stop_q <= 1'b0;  // the queue drops what is left
          bump(ADropped, 7'd4, qcount32, 1'b0, SIdle);
        end
        default: state_q <= SIdle;
      endcase
    end
  end
endmodule
