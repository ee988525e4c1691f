// ncx_core: ncx-core version 1, the spiking-neuron core of docs/core-spec.md.
//
// One step (started by start_i while idle) runs three phases back to back:
//   phase 1  neuron update, one neuron issued per cycle (ncx_neuron_update)
//   phase 2  spike delivery into acc and STDP depression (ncx_stdp)
//   phase 3  STDP potentiation through the plastic fan-in table
// The cycle count of a step is exactly
//   T = T_C_START + n + T_P1 + 2*K*T_C_ROW + F + G + T_P2 + T_P3
// (spec section 5) for every network: the pipelines never stall; the only
// read-after-write hazard (two consecutive synapses with the same target in
// phase 2) is resolved by forwarding the last acc write.
//
// Cycle map (cycle 0 is the edge that samples start_i):
//   cycle 0                         START
//   cycle 1+k, k < n                phase 1 issues neuron k (RAM addresses)
//     +1  RAM data valid; decay(v, dv) and decay(i, di) (ncx_decay); registered
//     +2  ncx_neuron_update, write-back on the next edge; spike list append;
//     +3  spike_valid_o/spike_id_o high (T_D_SPIKE = 3)
//   then T_P1 drain cycles.
//   Phases 2 and 3: per spike a row header of T_C_ROW = 2 cycles (read the
//   spike list, read the fanout word), then one synapse (phase 2) or fan-in
//   word (phase 3) issued per cycle, then T_P2 / T_P3 drain cycles (the cycle
//   that finds the spike list exhausted is the first of them).
//   Phase 2 synapse pipeline: A read syn | B read acc/trace/rule | C write.
//   Phase 3 fan-in pipeline:  A read rev | B read syn/trace | C read rule | D write.
//   cycle T                         DONE: done_o high for one cycle.
//
// Host port (spec section 6): while idle, host_we writes host_wdata into word
// host_addr of memory host_sel (0 param .. 8 rule, 15 num_neurons); host_re
// reads it, data valid on host_rdata_o in the next cycle. Ignored while busy.
module ncx_core #(
  parameter integer NB = 6,   // neuron address bits
  parameter integer SB = 12,  // synapse address bits
  parameter integer RB = 11,  // plastic fan-in address bits
  parameter integer VW = 16,  // state width
  // Optional $readmemh files for the memories (empty: load through the host port)
  parameter ParamInit  = "",
  parameter StateInit  = "",
  parameter TraceInit  = "",
  parameter FanoutInit = "",
  parameter SynInit    = "",
  parameter RevInit    = "",
  parameter RuleInit   = "",
  // derived widths, not meant to be overridden
  parameter integer PW  = 3 * VW + 45,        // param word
  parameter integer STW = 2 * VW + 8,         // state word
  parameter integer FW  = 2 * SB + 2 * RB + 2,  // fanout word
  parameter integer YW  = NB + 14,            // syn word
  parameter integer RVW = SB + NB,            // rev word
  parameter integer HAW = (SB > RB) ? ((SB > NB) ? SB : NB) : ((RB > NB) ? RB : NB),
  parameter integer HDW = (PW > FW) ? PW : FW
) (
  input  wire           clk_i,
  input  wire           rst_ni,        // synchronous, active low
  // step control
  input  wire           start_i,
  output wire           done_o,
  output wire           busy_o,
  output wire           spike_valid_o,
  output wire [NB-1:0]  spike_id_o,
  // host port
  input  wire [3:0]     host_sel_i,
  input  wire [HAW-1:0] host_addr_i,
  input  wire [HDW-1:0] host_wdata_i,
  input  wire           host_we_i,
  input  wire           host_re_i,
  output wire [HDW-1:0] host_rdata_o
);
  /* verilator lint_off UNUSEDPARAM */
`include "ncx_timing.vh"
  /* verilator lint_on UNUSEDPARAM */

  localparam integer XAW = (SB > RB) ? SB : RB;  // row address width

  // drain counter reload values (a drain of D cycles counts D-1 .. 0; in
  // phases 2 and 3 the cycle that finds the spike list exhausted is the first)
  localparam integer DrainStartI = T_C_START - 1;
  localparam integer DrainP1I    = T_P1 - 1;
  localparam integer DrainP2I    = T_P2 - 2;
  localparam integer DrainP3I    = T_P3 - 2;
  localparam [3:0]   DrainStart  = DrainStartI[3:0];
  localparam [3:0]   DrainP1     = DrainP1I[3:0];
  localparam [3:0]   DrainP2     = DrainP2I[3:0];
  localparam [3:0]   DrainP3     = DrainP3I[3:0];

  // memory numbers (host_sel)
  localparam [3:0] SelParam  = 4'd0;
  localparam [3:0] SelState  = 4'd1;
  localparam [3:0] SelTrace  = 4'd2;
  localparam [3:0] SelAcc    = 4'd3;
  localparam [3:0] SelForce  = 4'd4;
  localparam [3:0] SelFanout = 4'd5;
  localparam [3:0] SelSyn    = 4'd6;
  localparam [3:0] SelRev    = 4'd7;
  localparam [3:0] SelRule   = 4'd8;
  localparam [3:0] SelNumNu  = 4'd15;

  // phases
  localparam [2:0] PhIdle  = 3'd0;
  localparam [2:0] PhStart = 3'd1;
  localparam [2:0] PhNeu   = 3'd2;  // phase 1
  localparam [2:0] PhDel   = 3'd3;  // phase 2
  localparam [2:0] PhPot   = 3'd4;  // phase 3
  localparam [2:0] PhDone  = 3'd5;

  // sequencer states inside a phase
  localparam [2:0] SqIssue = 3'd0;  // phase 1: issue neurons; phases 2/3: issue row words
  localparam [2:0] SqDrain = 3'd1;  // count down the pipeline drain
  localparam [2:0] SqHead0 = 3'd2;  // row header: read the spike list
  localparam [2:0] SqHead1 = 3'd3;  // row header: read the fanout word
  localparam [2:0] SqFirst = 3'd4;  // fanout word valid: first word of the row

  // ---------------------------------------------------------------------------
  // Control registers
  // ---------------------------------------------------------------------------
  reg [2:0]     phase_q, phase_d;
  reg [2:0]     seq_q, seq_d;
  reg [3:0]     drain_q, drain_d;
  reg [NB-1:0]  idx_q, idx_d;        // phase 1 neuron counter
  reg [NB:0]    nspk_q, nspk_d;      // spikes in the list
  reg [NB:0]    sptr_q, sptr_d;      // spike list read pointer
  reg [XAW-1:0] raddr_q, raddr_d;    // next word of the current row
  reg [XAW:0]   rem_q, rem_d;        // words of the row still to issue
  reg [NB:0]    num_neurons_q;

  wire idle = (phase_q == PhIdle);
  wire host_we = idle && host_we_i;
  wire host_re = idle && host_re_i;

  // ---------------------------------------------------------------------------
  // Memories
  // ---------------------------------------------------------------------------
  reg             param_re;  reg [NB-1:0] param_raddr;  wire [PW-1:0]  param_rdata;
  reg             state_we;  reg [NB-1:0] state_waddr;  reg  [STW-1:0] state_wdata;
  reg             state_re;  reg [NB-1:0] state_raddr;  wire [STW-1:0] state_rdata;
  reg             trace_we;  reg [NB-1:0] trace_waddr;  reg  [7:0]     trace_wdata;
  reg             trace_re;  reg [NB-1:0] trace_raddr;  wire [7:0]     trace_rdata;
  reg             acc_we;    reg [NB-1:0] acc_waddr;    reg  [VW-1:0]  acc_wdata;
  reg             acc_re;    reg [NB-1:0] acc_raddr;    wire [VW-1:0]  acc_rdata;
  reg             force_we;  reg [NB-1:0] force_waddr;  reg            force_wdata;
  reg             force_re;  reg [NB-1:0] force_raddr;  wire           force_rdata;
  reg             fanout_re; reg [NB-1:0] fanout_raddr; wire [FW-1:0]  fanout_rdata;
  reg             syn_we;    reg [SB-1:0] syn_waddr;    reg  [YW-1:0]  syn_wdata;
  reg             syn_re;    reg [SB-1:0] syn_raddr;    wire [YW-1:0]  syn_rdata;
  reg             rev_re;    reg [RB-1:0] rev_raddr;    wire [RVW-1:0] rev_rdata;
  reg             rule_re;   reg [2:0]    rule_raddr;   wire [31:0]    rule_rdata;
  reg             spk_we;    reg [NB-1:0] spk_waddr;    reg  [NB-1:0]  spk_wdata;
  reg             spk_re;    reg [NB-1:0] spk_raddr;    wire [NB-1:0]  spk_rdata;

  ncx_ram #(.Width(PW), .AddrBits(NB), .InitFile(ParamInit)) u_param (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == SelParam), .waddr_i(host_addr_i[NB-1:0]),
    .wdata_i(host_wdata_i[PW-1:0]), .re_i(param_re), .raddr_i(param_raddr), .rdata_o(param_rdata));
  ncx_ram #(.Width(STW), .AddrBits(NB), .InitFile(StateInit)) u_state (
    .clk_i(clk_i), .we_i(state_we), .waddr_i(state_waddr), .wdata_i(state_wdata),
    .re_i(state_re), .raddr_i(state_raddr), .rdata_o(state_rdata));
  ncx_ram #(.Width(8), .AddrBits(NB), .InitFile(TraceInit)) u_trace (
    .clk_i(clk_i), .we_i(trace_we), .waddr_i(trace_waddr), .wdata_i(trace_wdata),
    .re_i(trace_re), .raddr_i(trace_raddr), .rdata_o(trace_rdata));
  ncx_ram #(.Width(VW), .AddrBits(NB)) u_acc (
    .clk_i(clk_i), .we_i(acc_we), .waddr_i(acc_waddr), .wdata_i(acc_wdata),
    .re_i(acc_re), .raddr_i(acc_raddr), .rdata_o(acc_rdata));
  ncx_ram #(.Width(1), .AddrBits(NB)) u_force (
    .clk_i(clk_i), .we_i(force_we), .waddr_i(force_waddr), .wdata_i(force_wdata),
    .re_i(force_re), .raddr_i(force_raddr), .rdata_o(force_rdata));
  ncx_ram #(.Width(FW), .AddrBits(NB), .InitFile(FanoutInit)) u_fanout (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == SelFanout), .waddr_i(host_addr_i[NB-1:0]),
    .wdata_i(host_wdata_i[FW-1:0]), .re_i(fanout_re), .raddr_i(fanout_raddr), .rdata_o(fanout_rdata));
  ncx_ram #(.Width(YW), .AddrBits(SB), .InitFile(SynInit)) u_syn (
    .clk_i(clk_i), .we_i(syn_we), .waddr_i(syn_waddr), .wdata_i(syn_wdata),
    .re_i(syn_re), .raddr_i(syn_raddr), .rdata_o(syn_rdata));
  ncx_ram #(.Width(RVW), .AddrBits(RB), .InitFile(RevInit)) u_rev (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == SelRev), .waddr_i(host_addr_i[RB-1:0]),
    .wdata_i(host_wdata_i[RVW-1:0]), .re_i(rev_re), .raddr_i(rev_raddr), .rdata_o(rev_rdata));
  ncx_ram #(.Width(32), .AddrBits(3), .InitFile(RuleInit)) u_rule (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == SelRule), .waddr_i(host_addr_i[2:0]),
    .wdata_i(host_wdata_i[31:0]), .re_i(rule_re), .raddr_i(rule_raddr), .rdata_o(rule_rdata));
  // the spike list of the current step (not visible to the host)
  ncx_ram #(.Width(NB), .AddrBits(NB)) u_spk (
    .clk_i(clk_i), .we_i(spk_we), .waddr_i(spk_waddr), .wdata_i(spk_wdata),
    .re_i(spk_re), .raddr_i(spk_raddr), .rdata_o(spk_rdata));

  // ---------------------------------------------------------------------------
  // Sequencer
  // ---------------------------------------------------------------------------
  // fanout word fields, zero-extended to the row address width
  /* verilator lint_off WIDTH */
  wire [XAW-1:0] fo_base = fanout_rdata[2*RB+2*SB+1 -: SB];
  wire [XAW:0]   fo_cnt  = fanout_rdata[2*RB+SB+1 -: SB+1];
  wire [XAW-1:0] fi_base = fanout_rdata[2*RB -: RB];
  wire [XAW:0]   fi_cnt  = fanout_rdata[RB:0];
  /* verilator lint_on WIDTH */
  wire [XAW-1:0] row_base = (phase_q == PhDel) ? fo_base : fi_base;
  wire [XAW:0]   row_cnt  = (phase_q == PhDel) ? fo_cnt : fi_cnt;

  wire in_rows   = (phase_q == PhDel) || (phase_q == PhPot);
  // a cycle that starts a row header: Head0, or First of an empty row
  wire head0     = in_rows && ((seq_q == SqHead0) || (seq_q == SqFirst && row_cnt == {(XAW+1){1'b0}}));
  wire list_done = (sptr_q == nspk_q);
  wire row_issue = in_rows && ((seq_q == SqFirst && row_cnt != {(XAW+1){1'b0}}) || seq_q == SqIssue);
  wire [XAW-1:0] issue_addr = (seq_q == SqFirst) ? row_base : raddr_q;
  wire p1_issue  = (phase_q == PhNeu) && (seq_q == SqIssue);

  reg         p1_spike;   // from the phase 1 write-back stage
  reg [NB:0]  p1_nspk_next;

  always @* begin
    phase_d = phase_q;
    seq_d   = seq_q;
    drain_d = drain_q;
    idx_d   = idx_q;
    nspk_d  = p1_nspk_next;
    sptr_d  = sptr_q;
    raddr_d = raddr_q;
    rem_d   = rem_q;
    case (phase_q)
      PhIdle: begin
        if (start_i) begin
          phase_d = PhStart;
          drain_d = DrainStart;
        end
      end
      PhStart: begin
        // clears the spike list pointers
        nspk_d  = {(NB+1){1'b0}};
        sptr_d  = {(NB+1){1'b0}};
        idx_d   = {NB{1'b0}};
        if (drain_q == 4'd0) begin
          phase_d = PhNeu;
          seq_d   = SqIssue;
        end else begin
          drain_d = drain_q - 4'd1;
        end
      end
      PhNeu: begin
        if (seq_q == SqIssue) begin
          idx_d = idx_q + 1'b1;
          if ({1'b0, idx_q} + 1'b1 >= num_neurons_q) begin
            seq_d   = SqDrain;
            drain_d = DrainP1;
          end
        end else if (drain_q == 4'd0) begin
          phase_d = PhDel;
          seq_d   = SqHead0;
        end else begin
          drain_d = drain_q - 4'd1;
        end
      end
      PhDel, PhPot: begin
        if (head0) begin
          if (list_done) begin
            seq_d   = SqDrain;
            drain_d = (phase_q == PhDel) ? DrainP2 : DrainP3;
          end else begin
            seq_d  = SqHead1;
            sptr_d = sptr_q + 1'b1;
          end
        end else if (seq_q == SqHead1) begin
          seq_d = SqFirst;
        end else if (row_issue) begin
          if (seq_q == SqFirst) begin
            rem_d = row_cnt - 1'b1;
          end else begin
            rem_d = rem_q - 1'b1;
          end
          raddr_d = issue_addr + 1'b1;
          if (rem_d == {(XAW+1){1'b0}}) begin
            seq_d = SqHead0;
          end else begin
            seq_d = SqIssue;
          end
        end else if (seq_q == SqDrain) begin
          if (drain_q == 4'd0) begin
            if (phase_q == PhDel) begin
              phase_d = PhPot;
              seq_d   = SqHead0;
              sptr_d  = {(NB+1){1'b0}};
            end else begin
              phase_d = PhDone;
            end
          end else begin
            drain_d = drain_q - 4'd1;
          end
        end
      end
      PhDone: begin
        phase_d = PhIdle;
      end
      default: begin
        phase_d = PhIdle;
      end
    endcase
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      phase_q       <= PhIdle;
      seq_q         <= SqIssue;
      drain_q       <= 4'd0;
      idx_q         <= {NB{1'b0}};
      nspk_q        <= {(NB+1){1'b0}};
      sptr_q        <= {(NB+1){1'b0}};
      raddr_q       <= {XAW{1'b0}};
      rem_q         <= {(XAW+1){1'b0}};
      num_neurons_q <= {{NB{1'b0}}, 1'b1};
    end else begin
      phase_q <= phase_d;
      seq_q   <= seq_d;
      drain_q <= drain_d;
      idx_q   <= idx_d;
      nspk_q  <= nspk_d;
      sptr_q  <= sptr_d;
      raddr_q <= raddr_d;
      rem_q   <= rem_d;
      if (host_we && host_sel_i == SelNumNu) begin
        num_neurons_q <= host_wdata_i[NB:0];
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Phase 1 pipeline: issue (RAM read) -> s1 (register RAM data) -> s2 (update, write)
  // ---------------------------------------------------------------------------
  reg           p1_s1_valid_q;
  reg [NB-1:0]  p1_s1_idx_q;
  reg           p1_s2_valid_q;
  reg [NB-1:0]  p1_s2_idx_q;
  // dv/di and i are consumed in stage 1 (ncx_decay): those bits go unused here
  /* verilator lint_off UNUSEDSIGNAL */
  reg [PW-1:0]  p1_param_q;
  reg [STW-1:0] p1_state_q;
  /* verilator lint_on UNUSEDSIGNAL */
  reg [7:0]     p1_trace_q;
  reg [VW-1:0]  p1_acc_q;
  reg           p1_force_q;
  reg [VW+2:0]  p1_vdec_q;  // decay(v, dv), computed from the RAM outputs
  reg [VW+2:0]  p1_idec_q;  // decay(i, di)

  wire [VW+2:0] p1_vdec, p1_idec;

  ncx_decay #(.VW(VW)) u_decay_v (
    .x_i (state_rdata[8+2*VW-1 -: VW]),
    .m_i (param_rdata[44:32]),
    .y_o (p1_vdec)
  );

  ncx_decay #(.VW(VW)) u_decay_i (
    .x_i (state_rdata[8+VW-1 -: VW]),
    .m_i (param_rdata[31:19]),
    .y_o (p1_idec)
  );

  wire [VW-1:0] nu_v, nu_i;
  wire [7:0]    nu_ref, nu_tr;
  wire          nu_spike;

  ncx_neuron_update #(.VW(VW)) u_neuron_update (
    .v_i        (p1_state_q[8+2*VW-1 -: VW]),
    .ref_i      (p1_state_q[7:0]),
    .tr_i       (p1_trace_q),
    .acc_i      (p1_acc_q),
    .force_i    (p1_force_q),
    .thr_i      (p1_param_q[45+3*VW-1 -: VW]),
    .vreset_i   (p1_param_q[45+2*VW-1 -: VW]),
    .bias_i     (p1_param_q[45+VW-1 -: VW]),
    .v_decay_i  (p1_vdec_q),
    .i_decay_i  (p1_idec_q),
    .tref_i     (p1_param_q[18:11]),
    .tr_shift_i (p1_param_q[10:8]),
    .tr_inc_i   (p1_param_q[7:0]),
    .v_o        (nu_v),
    .i_o        (nu_i),
    .ref_o      (nu_ref),
    .tr_o       (nu_tr),
    .spike_o    (nu_spike)
  );

  always @* begin
    p1_spike     = p1_s2_valid_q && nu_spike;
    p1_nspk_next = p1_spike ? nspk_q + 1'b1 : nspk_q;
  end

  reg          spike_valid_q;
  reg [NB-1:0] spike_id_q;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      p1_s1_valid_q <= 1'b0;
      p1_s2_valid_q <= 1'b0;
      spike_valid_q <= 1'b0;
    end else begin
      p1_s1_valid_q <= p1_issue;
      p1_s2_valid_q <= p1_s1_valid_q;
      spike_valid_q <= p1_spike;
    end
  end

  always @(posedge clk_i) begin
    p1_s1_idx_q <= idx_q;
    p1_s2_idx_q <= p1_s1_idx_q;
    p1_param_q  <= param_rdata;
    p1_state_q  <= state_rdata;
    p1_trace_q  <= trace_rdata;
    p1_acc_q    <= acc_rdata;
    p1_force_q  <= force_rdata;
    p1_vdec_q   <= p1_vdec;
    p1_idec_q   <= p1_idec;
    spike_id_q  <= p1_s2_idx_q;
  end

  assign spike_valid_o = spike_valid_q;
  assign spike_id_o    = spike_id_q;

  // ---------------------------------------------------------------------------
  // Phase 2 pipeline: A (read syn) -> B (read acc/trace/rule) -> C (write acc, syn)
  // ---------------------------------------------------------------------------
  wire p2_issue = (phase_q == PhDel) && row_issue;

  reg          p2_b_valid_q;
  reg [SB-1:0] p2_b_addr_q;
  reg          p2_c_valid_q;
  reg [SB-1:0] p2_c_addr_q;
  reg [YW-1:0] p2_c_syn_q;

  // acc forwarding: the last acc write of phase 2, one cycle old
  reg          fwd_valid_q;
  reg [NB-1:0] fwd_addr_q;
  reg [VW-1:0] fwd_data_q;

  wire [NB-1:0] p2_c_tgt  = p2_c_syn_q[NB-1:0];
  wire [7:0]    p2_c_w    = p2_c_syn_q[NB+7:NB];
  wire [2:0]    p2_c_wexp = p2_c_syn_q[NB+10:NB+8];
  wire [2:0]    p2_c_rule = p2_c_syn_q[NB+13:NB+11];
  wire [VW-1:0] p2_acc_cur = (fwd_valid_q && fwd_addr_q == p2_c_tgt) ? fwd_data_q : acc_rdata;
  // w << wexp, sign-extended to VW+1 bits (at most 15 bits significant)
  wire [VW:0]   p2_contrib = {{(VW-7){p2_c_w[7]}}, p2_c_w} << p2_c_wexp;
  wire [VW:0]   p2_sum     = {p2_acc_cur[VW-1], p2_acc_cur} + p2_contrib;
  wire [VW-1:0] p2_acc_new = (p2_sum[VW] != p2_sum[VW-1]) ?
                             {p2_sum[VW], {(VW-1){~p2_sum[VW]}}} : p2_sum[VW-1:0];
  wire [7:0]    p2_w_new;

  ncx_stdp u_stdp_dep (
    .w_i          (p2_c_w),
    .tr_i         (trace_rdata),
    .a_i          (rule_rdata[23:16]),
    .wmin_i       (rule_rdata[15:8]),
    .wmax_i       (rule_rdata[7:0]),
    .potentiate_i (1'b0),
    .w_o          (p2_w_new)
  );

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      p2_b_valid_q <= 1'b0;
      p2_c_valid_q <= 1'b0;
      fwd_valid_q  <= 1'b0;
    end else begin
      p2_b_valid_q <= p2_issue;
      p2_c_valid_q <= p2_b_valid_q;
      fwd_valid_q  <= p2_c_valid_q;
    end
  end

  always @(posedge clk_i) begin
    p2_b_addr_q <= issue_addr[SB-1:0];
    p2_c_addr_q <= p2_b_addr_q;
    p2_c_syn_q  <= syn_rdata;
    fwd_addr_q  <= p2_c_tgt;
    fwd_data_q  <= p2_acc_new;
  end

  // ---------------------------------------------------------------------------
  // Phase 3 pipeline: A (read rev) -> B (read syn/trace) -> C (read rule) -> D (write syn)
  // ---------------------------------------------------------------------------
  wire p3_issue = (phase_q == PhPot) && row_issue;

  reg          p3_b_valid_q;
  reg          p3_c_valid_q;
  reg [SB-1:0] p3_c_saddr_q;
  reg          p3_d_valid_q;
  reg [SB-1:0] p3_d_saddr_q;
  reg [YW-1:0] p3_d_syn_q;
  reg [7:0]    p3_d_trace_q;

  wire [SB-1:0] p3_b_saddr = rev_rdata[NB+SB-1:NB];
  wire [NB-1:0] p3_b_src   = rev_rdata[NB-1:0];
  wire [7:0]    p3_w_new;

  ncx_stdp u_stdp_pot (
    .w_i          (p3_d_syn_q[NB+7:NB]),
    .tr_i         (p3_d_trace_q),
    .a_i          (rule_rdata[31:24]),
    .wmin_i       (rule_rdata[15:8]),
    .wmax_i       (rule_rdata[7:0]),
    .potentiate_i (1'b1),
    .w_o          (p3_w_new)
  );

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      p3_b_valid_q <= 1'b0;
      p3_c_valid_q <= 1'b0;
      p3_d_valid_q <= 1'b0;
    end else begin
      p3_b_valid_q <= p3_issue;
      p3_c_valid_q <= p3_b_valid_q;
      p3_d_valid_q <= p3_c_valid_q;
    end
  end

  always @(posedge clk_i) begin
    p3_c_saddr_q <= p3_b_saddr;
    p3_d_saddr_q <= p3_c_saddr_q;
    p3_d_syn_q   <= syn_rdata;
    p3_d_trace_q <= trace_rdata;
  end

  // ---------------------------------------------------------------------------
  // Memory port multiplexers
  // ---------------------------------------------------------------------------
  always @* begin
    // phase 1 reads
    param_re    = p1_issue || (host_re && host_sel_i == SelParam);
    param_raddr = p1_issue ? idx_q : host_addr_i[NB-1:0];
    state_re    = p1_issue || (host_re && host_sel_i == SelState);
    state_raddr = p1_issue ? idx_q : host_addr_i[NB-1:0];
    force_re    = p1_issue || (host_re && host_sel_i == SelForce);
    force_raddr = p1_issue ? idx_q : host_addr_i[NB-1:0];

    // phase 1 write-back
    state_we    = p1_s2_valid_q || (host_we && host_sel_i == SelState);
    state_waddr = p1_s2_valid_q ? p1_s2_idx_q : host_addr_i[NB-1:0];
    state_wdata = p1_s2_valid_q ? {nu_v, nu_i, nu_ref} : host_wdata_i[STW-1:0];
    force_we    = p1_s2_valid_q || (host_we && host_sel_i == SelForce);
    force_waddr = p1_s2_valid_q ? p1_s2_idx_q : host_addr_i[NB-1:0];
    force_wdata = p1_s2_valid_q ? 1'b0 : host_wdata_i[0];
    trace_we    = p1_s2_valid_q || (host_we && host_sel_i == SelTrace);
    trace_waddr = p1_s2_valid_q ? p1_s2_idx_q : host_addr_i[NB-1:0];
    trace_wdata = p1_s2_valid_q ? nu_tr : host_wdata_i[7:0];
    spk_we      = p1_spike;
    spk_waddr   = nspk_q[NB-1:0];
    spk_wdata   = p1_s2_idx_q;

    // trace: phase 1 neuron, phase 2 target, phase 3 source
    trace_re    = 1'b1;
    if (p1_issue)          trace_raddr = idx_q;
    else if (p2_b_valid_q) trace_raddr = syn_rdata[NB-1:0];
    else if (p3_b_valid_q) trace_raddr = p3_b_src;
    else                   trace_raddr = host_addr_i[NB-1:0];
    if (!p1_issue && !p2_b_valid_q && !p3_b_valid_q) trace_re = host_re && host_sel_i == SelTrace;

    // acc: phase 1 neuron (cleared at write-back), phase 2 target
    acc_re    = p1_issue || p2_b_valid_q || (host_re && host_sel_i == SelAcc);
    acc_raddr = p1_issue ? idx_q : p2_b_valid_q ? syn_rdata[NB-1:0] : host_addr_i[NB-1:0];
    if (p1_s2_valid_q) begin
      acc_we    = 1'b1;
      acc_waddr = p1_s2_idx_q;
      acc_wdata = {VW{1'b0}};
    end else if (p2_c_valid_q) begin
      acc_we    = 1'b1;
      acc_waddr = p2_c_tgt;
      acc_wdata = p2_acc_new;
    end else begin
      acc_we    = host_we && host_sel_i == SelAcc;
      acc_waddr = host_addr_i[NB-1:0];
      acc_wdata = host_wdata_i[VW-1:0];
    end

    // rule: phase 2 (syn word of stage B), phase 3 (syn word of stage C)
    rule_re    = p2_b_valid_q || p3_c_valid_q || (host_re && host_sel_i == SelRule);
    rule_raddr = p2_b_valid_q ? syn_rdata[NB+13:NB+11] :
                 p3_c_valid_q ? syn_rdata[NB+13:NB+11] : host_addr_i[2:0];

    // spike list and fanout: row headers of phases 2 and 3
    spk_re       = head0;
    spk_raddr    = sptr_q[NB-1:0];
    fanout_re    = (in_rows && seq_q == SqHead1) || (host_re && host_sel_i == SelFanout);
    fanout_raddr = (in_rows && seq_q == SqHead1) ? spk_rdata : host_addr_i[NB-1:0];

    // syn: phase 2 issue, phase 3 stage B
    syn_re    = p2_issue || p3_b_valid_q || (host_re && host_sel_i == SelSyn);
    syn_raddr = p2_issue ? issue_addr[SB-1:0] : p3_b_valid_q ? p3_b_saddr : host_addr_i[SB-1:0];
    if (p2_c_valid_q) begin
      syn_we    = p2_c_rule != 3'd0;
      syn_waddr = p2_c_addr_q;
      syn_wdata = {p2_c_syn_q[NB+13:NB+8], p2_w_new, p2_c_tgt};
    end else if (p3_d_valid_q) begin
      syn_we    = 1'b1;
      syn_waddr = p3_d_saddr_q;
      syn_wdata = {p3_d_syn_q[NB+13:NB+8], p3_w_new, p3_d_syn_q[NB-1:0]};
    end else begin
      syn_we    = host_we && host_sel_i == SelSyn;
      syn_waddr = host_addr_i[SB-1:0];
      syn_wdata = host_wdata_i[YW-1:0];
    end

    // rev: phase 3 issue
    rev_re    = p3_issue || (host_re && host_sel_i == SelRev);
    rev_raddr = p3_issue ? issue_addr[RB-1:0] : host_addr_i[RB-1:0];
  end

  // ---------------------------------------------------------------------------
  // Host read data: the memory selected one cycle earlier
  // ---------------------------------------------------------------------------
  reg [3:0]     host_sel_q;
  reg [HDW-1:0] host_rdata;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      host_sel_q <= 4'd0;
    end else if (host_re) begin
      host_sel_q <= host_sel_i;
    end
  end

  always @* begin
    host_rdata = {HDW{1'b0}};
    case (host_sel_q)
      SelParam:  host_rdata[PW-1:0]  = param_rdata;
      SelState:  host_rdata[STW-1:0] = state_rdata;
      SelTrace:  host_rdata[7:0]     = trace_rdata;
      SelAcc:    host_rdata[VW-1:0]  = acc_rdata;
      SelForce:  host_rdata[0]       = force_rdata;
      SelFanout: host_rdata[FW-1:0]  = fanout_rdata;
      SelSyn:    host_rdata[YW-1:0]  = syn_rdata;
      SelRev:    host_rdata[RVW-1:0] = rev_rdata;
      SelRule:   host_rdata[31:0]    = rule_rdata;
      SelNumNu:  host_rdata[NB:0]    = num_neurons_q;
      default:   host_rdata          = {HDW{1'b0}};
    endcase
  end

  assign host_rdata_o = host_rdata;
  assign done_o       = (phase_q == PhDone);
  assign busy_o       = !idle;
endmodule
