// ncx_core: ncx-core version 1, the spiking-neuron core of docs/core-spec.md.
//
// One step (started by start_i while idle) runs three phases back to back:
//   phase 1  neuron update, one neuron issued per cycle (ncx_neuron_update);
//            burst units: apical compartment, burst decision, pbar/err
//   phase 2  spike delivery into acc and STDP depression (ncx_stdp); after
//            the event row of a bursting spike, its burst row into acca
//   phase 3  STDP potentiation (ncx_stdp) or BDSP (ncx_bdsp) through the
//            plastic fan-in table; a BDSP rule with its rule_frac bit keeps
//            8 fraction bits per weight in wfrac, at the fan-in address
// The cycle count of a step is exactly
//   T = T_C_START + n + T_P1 + 2*K*T_C_ROW + F + G + T_P2 + T_P3 + B*T_C_ROW + FB
// (spec sections 5 and 8.5) for every network: the pipelines never stall;
// the only read-after-write hazard (two consecutive synapses with the same
// target in phase 2) is resolved by forwarding the last acc/acca write.
//
// Cycle map (cycle 0 is the edge that samples start_i):
//   cycle 0                         START
//   cycle 1+k, k < n                phase 1 issues neuron k (RAM addresses)
//     +1  s1: RAM data valid; trace update (ncx_trace_update),
//             decay(v, dv) + bias, decay(v, dv) + bias - thr,
//             i1 = sat(decay(i, di) + acc), va1 = sat(decay(va, da) + acca + teach)
//             (ncx_decay, ncx_sat_add); registered
//     +2  s2: ncx_neuron_update, state/trace/acc/acca/force written on the next
//             edge; lut index (ncx_burst_index) addresses the lut
//     +3  s3: spike_valid_o/spike_id_o high (T_D_SPIKE = 3); lut data valid,
//             burst decision (ncx_burst_decide): spike_burst_o, bstate and the
//             spike list (with the burst flag) written on the next edge
//   then T_P1 drain cycles (s3 of the last neuron is the last of them).
//   Phases 2 and 3: per spike a row header of T_C_ROW = 2 cycles (read the
//   spike list, read the fanout/bfanout/bstate words), then one synapse
//   (phase 2) or fan-in word (phase 3) issued per cycle; in phase 2 a bursting
//   spike adds a second header of T_C_ROW cycles and its burst row. Then
//   T_P2 / T_P3 drain cycles (the cycle that finds the spike list exhausted
//   is the first of them).
//   Phase 2 synapse pipeline: A read syn | B read acc or acca/trace/rule | C write.
//   Phase 3 fan-in pipeline:  A read rev | B read syn/trace | C read rule,
//                             wfrac, trace*err | D write syn (and wfrac).
//   cycle T                         DONE: done_o high for one cycle.
//
// Host port (spec sections 6 and 8.1): while idle, host_we writes host_wdata
// into word host_addr of memory host_sel (the NCX_SEL_* codes); host_re
// reads it, data valid on host_rdata_o in the next cycle. Ignored while busy.
// With Burst = 0 the burst memories and registers are not built (they read 0).
// Word formats, field slices and host_sel codes come from the generated
// ncx_mem.vh (core.MemMap).
`include "ncx_mem.vh"
module ncx_core #(
  parameter integer NB = 6,   // neuron address bits
  parameter integer SB = 12,  // synapse address bits
  parameter integer RB = 11,  // plastic fan-in address bits
  parameter integer VW = 16,  // state width
  parameter integer Burst = 1,  // 1: burst units and BDSP (spec section 8)
  // Optional $readmemh files for the memories (empty: load through the host port)
  parameter ParamInit  = "",
  parameter StateInit  = "",
  parameter TraceInit  = "",
  parameter FanoutInit = "",
  parameter SynInit    = "",
  parameter RevInit    = "",
  parameter RuleInit   = "",
  // ram_style of the per-neuron memories state, bstate, trace, spk and fanout
  // (ncx_ram Style: "auto" or "distributed"). They fill block RAM worst (e.g.
  // 40-bit state words in three 18-bit RAMB18 columns), so they free the most
  // block RAM per LUT when moved to LUTRAM; the CMod A7 top does that to fit
  // the a7 profile into the xc7a35t (docs/rtl.md). Behaviour is unchanged.
  parameter NeuronStyle = "auto",
  // derived widths (ncx_mem.vh), not meant to be overridden
  parameter integer PW  = `NCX_PARAM_BITS,
  parameter integer STW = `NCX_STATE_BITS,
  parameter integer FW  = `NCX_FANOUT_BITS,
  parameter integer YW  = `NCX_SYN_BITS,
  parameter integer RVW = `NCX_REV_BITS,
  parameter integer BPW = `NCX_BPARAM_BITS,
  parameter integer BSW = `NCX_BSTATE_BITS,
  parameter integer BFW = `NCX_BFANOUT_BITS,
  parameter integer HAW = `NCX_HAW,
  parameter integer HDW = `NCX_HDW
) (
  input  wire           clk_i,
  input  wire           rst_ni,        // synchronous, active low
  // step control
  input  wire           start_i,
  output wire           done_o,
  output wire           busy_o,
  output wire           spike_valid_o,
  output wire [NB-1:0]  spike_id_o,
  output wire           spike_burst_o,  // with spike_valid_o: the event is a burst
  // host port
  input  wire [`NCX_SEL_BITS-1:0] host_sel_i,
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
  localparam         HasBurst = (Burst != 0);

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

  // phases
  localparam [2:0] PhIdle  = 3'd0;
  localparam [2:0] PhStart = 3'd1;
  localparam [2:0] PhNeu   = 3'd2;  // phase 1
  localparam [2:0] PhDel   = 3'd3;  // phase 2
  localparam [2:0] PhPot   = 3'd4;  // phase 3
  localparam [2:0] PhDone  = 3'd5;

  // sequencer states inside a phase
  localparam [2:0] SqIssue  = 3'd0;  // phase 1: issue neurons; phases 2/3: issue row words
  localparam [2:0] SqDrain  = 3'd1;  // count down the pipeline drain
  localparam [2:0] SqHead0  = 3'd2;  // row header: read the spike list
  localparam [2:0] SqHead1  = 3'd3;  // row header: read the fanout (bfanout, bstate) word
  localparam [2:0] SqFirst  = 3'd4;  // fanout word valid: first word of the row
  localparam [2:0] SqBHead0 = 3'd5;  // burst row header, first cycle
  localparam [2:0] SqBHead1 = 3'd6;  // burst row header, second cycle
  localparam [2:0] SqBFirst = 3'd7;  // first word of the burst row

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
  reg           bursting_q, bursting_d;  // phase 2: the current spike is a burst
  reg           brow_q, brow_d;      // phase 2: issuing the burst row
  reg [NB:0]    num_neurons_q;
  reg [7:0]     rule_kind_q;         // bit r: rule r is BDSP
  reg [7:0]     rule_frac_q;         // bit r: BDSP rule r keeps fraction bits in wfrac
  reg [15:0]    lfsr_q;

  wire idle = (phase_q == PhIdle);
  wire host_we = idle && host_we_i;
  wire host_re = idle && host_re_i;

  wire [7:0]  rule_kind = HasBurst ? rule_kind_q : 8'd0;
  wire [7:0]  rule_frac = HasBurst ? rule_frac_q : 8'd0;
  // next(lfsr): the 16-bit Galois LFSR of spec section 8.1
  wire [15:0] lfsr_nx = lfsr_q[0] ? ({1'b0, lfsr_q[15:1]} ^ 16'hb400) : {1'b0, lfsr_q[15:1]};

  // ---------------------------------------------------------------------------
  // Memories
  // ---------------------------------------------------------------------------
  reg             param_re;   reg [NB-1:0] param_raddr;   wire [PW-1:0]  param_rdata;
  reg             state_we;   reg [NB-1:0] state_waddr;   reg  [STW-1:0] state_wdata;
  reg             state_re;   reg [NB-1:0] state_raddr;   wire [STW-1:0] state_rdata;
  reg             trace_we;   reg [NB-1:0] trace_waddr;   reg  [`NCX_TRACE_BITS-1:0] trace_wdata;
  reg             trace_re;   reg [NB-1:0] trace_raddr;   wire [`NCX_TRACE_BITS-1:0] trace_rdata;
  reg             acc_we;     reg [NB-1:0] acc_waddr;     reg  [VW-1:0]  acc_wdata;
  reg             acc_re;     reg [NB-1:0] acc_raddr;     wire [VW-1:0]  acc_rdata;
  reg             force_we;   reg [NB-1:0] force_waddr;   reg            force_wdata;
  reg             force_re;   reg [NB-1:0] force_raddr;   wire           force_rdata;
  reg             fanout_re;  reg [NB-1:0] fanout_raddr;  wire [FW-1:0]  fanout_rdata;
  reg             syn_we;     reg [SB-1:0] syn_waddr;     reg  [YW-1:0]  syn_wdata;
  reg             syn_re;     reg [SB-1:0] syn_raddr;     wire [YW-1:0]  syn_rdata;
  reg             rev_re;     reg [RB-1:0] rev_raddr;     wire [RVW-1:0] rev_rdata;
  reg             rule_re;    reg [`NCX_RULE_ABITS-1:0] rule_raddr; wire [`NCX_RULE_BITS-1:0] rule_rdata;
  reg             spk_we;     reg [NB-1:0] spk_waddr;     reg  [NB:0]    spk_wdata;
  reg             spk_re;     reg [NB-1:0] spk_raddr;     wire [NB:0]    spk_rdata;
  // burst units (section 8); with Burst = 0 the read data are 0
  reg             bparam_re;  reg [NB-1:0] bparam_raddr;  wire [BPW-1:0] bparam_rdata;
  reg             bstate_we;  reg [NB-1:0] bstate_waddr;  reg  [BSW-1:0] bstate_wdata;
  reg             bstate_re;  reg [NB-1:0] bstate_raddr;  wire [BSW-1:0] bstate_rdata;
  reg             acca_we;    reg [NB-1:0] acca_waddr;    reg  [VW-1:0]  acca_wdata;
  reg             acca_re;    reg [NB-1:0] acca_raddr;    wire [VW-1:0]  acca_rdata;
  reg             bfanout_re; reg [NB-1:0] bfanout_raddr; wire [BFW-1:0] bfanout_rdata;
  reg             lut_re;     reg [`NCX_LUT_ABITS-1:0] lut_raddr; wire [`NCX_LUT_BITS-1:0] lut_rdata;
  reg             wfrac_we;   reg [RB-1:0] wfrac_waddr;   reg  [`NCX_WFRAC_BITS-1:0] wfrac_wdata;
  reg             wfrac_re;   reg [RB-1:0] wfrac_raddr;   wire [`NCX_WFRAC_BITS-1:0] wfrac_rdata;

  ncx_ram #(.Width(PW), .AddrBits(`NCX_PARAM_ABITS), .InitFile(ParamInit)) u_param (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == `NCX_SEL_PARAM), .waddr_i(host_addr_i[NB-1:0]),
    .wdata_i(host_wdata_i[PW-1:0]), .re_i(param_re), .raddr_i(param_raddr), .rdata_o(param_rdata));
  ncx_ram #(.Width(STW), .AddrBits(`NCX_STATE_ABITS), .InitFile(StateInit),
    .Style(NeuronStyle)) u_state (
    .clk_i(clk_i), .we_i(state_we), .waddr_i(state_waddr), .wdata_i(state_wdata),
    .re_i(state_re), .raddr_i(state_raddr), .rdata_o(state_rdata));
  ncx_ram #(.Width(`NCX_TRACE_BITS), .AddrBits(`NCX_TRACE_ABITS), .InitFile(TraceInit),
    .Style(NeuronStyle)) u_trace (
    .clk_i(clk_i), .we_i(trace_we), .waddr_i(trace_waddr), .wdata_i(trace_wdata),
    .re_i(trace_re), .raddr_i(trace_raddr), .rdata_o(trace_rdata));
  ncx_ram #(.Width(`NCX_ACC_BITS), .AddrBits(`NCX_ACC_ABITS)) u_acc (
    .clk_i(clk_i), .we_i(acc_we), .waddr_i(acc_waddr), .wdata_i(acc_wdata),
    .re_i(acc_re), .raddr_i(acc_raddr), .rdata_o(acc_rdata));
  ncx_ram #(.Width(`NCX_FORCE_BITS), .AddrBits(`NCX_FORCE_ABITS)) u_force (
    .clk_i(clk_i), .we_i(force_we), .waddr_i(force_waddr), .wdata_i(force_wdata),
    .re_i(force_re), .raddr_i(force_raddr), .rdata_o(force_rdata));
  ncx_ram #(.Width(FW), .AddrBits(`NCX_FANOUT_ABITS), .InitFile(FanoutInit),
    .Style(NeuronStyle)) u_fanout (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == `NCX_SEL_FANOUT), .waddr_i(host_addr_i[NB-1:0]),
    .wdata_i(host_wdata_i[FW-1:0]), .re_i(fanout_re), .raddr_i(fanout_raddr), .rdata_o(fanout_rdata));
  ncx_ram #(.Width(YW), .AddrBits(`NCX_SYN_ABITS), .InitFile(SynInit)) u_syn (
    .clk_i(clk_i), .we_i(syn_we), .waddr_i(syn_waddr), .wdata_i(syn_wdata),
    .re_i(syn_re), .raddr_i(syn_raddr), .rdata_o(syn_rdata));
  ncx_ram #(.Width(RVW), .AddrBits(`NCX_REV_ABITS), .InitFile(RevInit)) u_rev (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == `NCX_SEL_REV), .waddr_i(host_addr_i[RB-1:0]),
    .wdata_i(host_wdata_i[RVW-1:0]), .re_i(rev_re), .raddr_i(rev_raddr), .rdata_o(rev_rdata));
  ncx_ram #(.Width(`NCX_RULE_BITS), .AddrBits(`NCX_RULE_ABITS), .InitFile(RuleInit)) u_rule (
    .clk_i(clk_i), .we_i(host_we && host_sel_i == `NCX_SEL_RULE), .waddr_i(host_addr_i[`NCX_RULE_ABITS-1:0]),
    .wdata_i(host_wdata_i[`NCX_RULE_BITS-1:0]), .re_i(rule_re), .raddr_i(rule_raddr), .rdata_o(rule_rdata));
  // the spike list of the current step, {burst, id} (not visible to the host)
  ncx_ram #(.Width(NB+1), .AddrBits(NB), .Style(NeuronStyle)) u_spk (
    .clk_i(clk_i), .we_i(spk_we), .waddr_i(spk_waddr), .wdata_i(spk_wdata),
    .re_i(spk_re), .raddr_i(spk_raddr), .rdata_o(spk_rdata));

  generate
    if (HasBurst) begin : g_burst_mem
      ncx_ram #(.Width(BPW), .AddrBits(`NCX_BPARAM_ABITS)) u_bparam (
        .clk_i(clk_i), .we_i(host_we && host_sel_i == `NCX_SEL_BPARAM), .waddr_i(host_addr_i[NB-1:0]),
        .wdata_i(host_wdata_i[BPW-1:0]), .re_i(bparam_re), .raddr_i(bparam_raddr), .rdata_o(bparam_rdata));
      ncx_ram #(.Width(BSW), .AddrBits(`NCX_BSTATE_ABITS), .Style(NeuronStyle)) u_bstate (
        .clk_i(clk_i), .we_i(bstate_we), .waddr_i(bstate_waddr), .wdata_i(bstate_wdata),
        .re_i(bstate_re), .raddr_i(bstate_raddr), .rdata_o(bstate_rdata));
      ncx_ram #(.Width(`NCX_ACCA_BITS), .AddrBits(`NCX_ACCA_ABITS)) u_acca (
        .clk_i(clk_i), .we_i(acca_we), .waddr_i(acca_waddr), .wdata_i(acca_wdata),
        .re_i(acca_re), .raddr_i(acca_raddr), .rdata_o(acca_rdata));
      ncx_ram #(.Width(BFW), .AddrBits(`NCX_BFANOUT_ABITS)) u_bfanout (
        .clk_i(clk_i), .we_i(host_we && host_sel_i == `NCX_SEL_BFANOUT), .waddr_i(host_addr_i[NB-1:0]),
        .wdata_i(host_wdata_i[BFW-1:0]), .re_i(bfanout_re), .raddr_i(bfanout_raddr), .rdata_o(bfanout_rdata));
      ncx_ram #(.Width(`NCX_LUT_BITS), .AddrBits(`NCX_LUT_ABITS)) u_lut (
        .clk_i(clk_i), .we_i(host_we && host_sel_i == `NCX_SEL_LUT), .waddr_i(host_addr_i[`NCX_LUT_ABITS-1:0]),
        .wdata_i(host_wdata_i[`NCX_LUT_BITS-1:0]), .re_i(lut_re), .raddr_i(lut_raddr), .rdata_o(lut_rdata));
      ncx_ram #(.Width(`NCX_WFRAC_BITS), .AddrBits(`NCX_WFRAC_ABITS)) u_wfrac (
        .clk_i(clk_i), .we_i(wfrac_we), .waddr_i(wfrac_waddr), .wdata_i(wfrac_wdata),
        .re_i(wfrac_re), .raddr_i(wfrac_raddr), .rdata_o(wfrac_rdata));
    end else begin : g_no_burst_mem
      assign bparam_rdata  = {BPW{1'b0}};
      assign bstate_rdata  = {BSW{1'b0}};
      assign acca_rdata    = {VW{1'b0}};
      assign bfanout_rdata = {BFW{1'b0}};
      assign lut_rdata     = {`NCX_LUT_BITS{1'b0}};
      assign wfrac_rdata   = {`NCX_WFRAC_BITS{1'b0}};
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_ports = ^{bparam_re, bparam_raddr, bstate_we, bstate_waddr, bstate_wdata, bstate_re,
                            bstate_raddr, acca_we, acca_waddr, acca_wdata, acca_re, acca_raddr,
                            bfanout_re, bfanout_raddr, lut_re, lut_raddr, rule_kind_q, rule_frac_q,
                            wfrac_we, wfrac_waddr, wfrac_wdata, wfrac_re, wfrac_raddr};
      /* verilator lint_on UNUSEDSIGNAL */
    end
  endgenerate

  // ---------------------------------------------------------------------------
  // Sequencer
  // ---------------------------------------------------------------------------
  // fanout and bfanout word fields, zero-extended to the row address width
  /* verilator lint_off WIDTH */
  wire [XAW-1:0] fo_base = `NCX_FANOUT_FO_BASE(fanout_rdata);
  wire [XAW:0]   fo_cnt  = `NCX_FANOUT_FO_CNT(fanout_rdata);
  wire [XAW-1:0] fi_base = `NCX_FANOUT_FI_BASE(fanout_rdata);
  wire [XAW:0]   fi_cnt  = `NCX_FANOUT_FI_CNT(fanout_rdata);
  wire [XAW-1:0] bo_base = `NCX_BFANOUT_BO_BASE(bfanout_rdata);
  wire [XAW:0]   bo_cnt  = `NCX_BFANOUT_BO_CNT(bfanout_rdata);
  /* verilator lint_on WIDTH */
  wire           in_rows  = (phase_q == PhDel) || (phase_q == PhPot);
  wire           first    = (seq_q == SqFirst) || (seq_q == SqBFirst);
  wire [XAW-1:0] row_base = (seq_q == SqBFirst) ? bo_base : (phase_q == PhDel) ? fo_base : fi_base;
  wire [XAW:0]   row_cnt  = (seq_q == SqBFirst) ? bo_cnt : (phase_q == PhDel) ? fo_cnt : fi_cnt;
  wire           row_empty = in_rows && first && (row_cnt == {(XAW+1){1'b0}});
  // issuing words of a burst row (phase 2)
  wire           brow_now = (seq_q == SqBFirst) || (seq_q == SqIssue && brow_q);
  // the event row just ending is followed by this spike's burst row
  wire           to_burst = HasBurst && (phase_q == PhDel) && bursting_q && !brow_now;
  // a cycle that starts a row header: Head0, or First of an empty row
  wire           head0     = in_rows && ((seq_q == SqHead0) || (row_empty && !to_burst));
  // First of an empty event row of a bursting spike doubles as BHead0
  wire           bhead0    = row_empty && to_burst;
  wire           list_done = (sptr_q == nspk_q);
  wire           row_issue = in_rows && ((first && !row_empty) || seq_q == SqIssue);
  wire [XAW-1:0] issue_addr = first ? row_base : raddr_q;
  wire           p1_issue  = (phase_q == PhNeu) && (seq_q == SqIssue);

  reg [NB:0]  p1_nspk_next;

  always @* begin
    phase_d    = phase_q;
    seq_d      = seq_q;
    drain_d    = drain_q;
    idx_d      = idx_q;
    nspk_d     = p1_nspk_next;
    sptr_d     = sptr_q;
    raddr_d    = raddr_q;
    rem_d      = rem_q;
    bursting_d = bursting_q;
    brow_d     = brow_q;
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
        end else if (bhead0 || seq_q == SqBHead0) begin
          seq_d = SqBHead1;
        end else if (seq_q == SqHead1) begin
          seq_d      = SqFirst;
          brow_d     = 1'b0;
          bursting_d = (phase_q == PhDel) && spk_rdata[NB];
        end else if (seq_q == SqBHead1) begin
          seq_d  = SqBFirst;
          brow_d = 1'b1;
        end else if (row_issue) begin
          if (first) begin
            rem_d = row_cnt - 1'b1;
          end else begin
            rem_d = rem_q - 1'b1;
          end
          raddr_d = issue_addr + 1'b1;
          if (rem_d != {(XAW+1){1'b0}}) begin
            seq_d = SqIssue;
          end else if (to_burst) begin
            seq_d = SqBHead0;
          end else begin
            seq_d = SqHead0;
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
      bursting_q    <= 1'b0;
      brow_q        <= 1'b0;
      num_neurons_q <= {{NB{1'b0}}, 1'b1};
    end else begin
      phase_q    <= phase_d;
      seq_q      <= seq_d;
      drain_q    <= drain_d;
      idx_q      <= idx_d;
      nspk_q     <= nspk_d;
      sptr_q     <= sptr_d;
      raddr_q    <= raddr_d;
      rem_q      <= rem_d;
      bursting_q <= bursting_d;
      brow_q     <= brow_d;
      if (host_we && host_sel_i == `NCX_SEL_NUM_NEURONS) begin
        num_neurons_q <= host_wdata_i[`NCX_NUM_NEURONS_BITS-1:0];
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Phase 1 pipeline: issue (RAM read) -> s1 (register RAM data, decays, i1,
  // va1) -> s2 (update, write; lut index) -> s3 (burst decision, bstate and
  // spike list write)
  // ---------------------------------------------------------------------------
  reg           p1_s1_valid_q;
  reg [NB-1:0]  p1_s1_idx_q;
  reg           p1_s2_valid_q;
  reg [NB-1:0]  p1_s2_idx_q;
  // dv/di, bias, tr_shift and tr_inc are consumed in stage 1 (thr is, and
  // again here for reset by subtraction): their bits go unused here
  /* verilator lint_off UNUSEDSIGNAL */
  reg [PW-1:0]  p1_param_q;
  reg [STW-1:0] p1_state_q;   // v and ref (i is consumed in stage 1)
  reg [BPW-1:0] p1_bparam_q;  // da and teach are consumed in stage 1
  reg [BSW-1:0] p1_bstate_q;  // pbar and err (va is consumed in stage 1)
  /* verilator lint_on UNUSEDSIGNAL */
  reg [7:0]     p1_tr1_q;       // tdecay(tr, tr_shift)
  reg [7:0]     p1_tr_spike_q;  // min(255, tr1 + tr_inc)
  reg           p1_force_q;
  reg [VW+2:0]  p1_vb_q;    // decay(v, dv) + bias, from the RAM outputs
  reg [VW+2:0]  p1_vbt_q;   // decay(v, dv) + bias - thr
  reg           p1_thr_min_q;
  reg [VW-1:0]  p1_i1_q;    // sat(decay(i, di) + acc)
  reg [VW-1:0]  p1_va1_q;   // sat(decay(va, da) + acca + teach)

  wire [VW+2:0] p1_vdec, p1_idec;
  wire [VW-1:0] p1_i1, p1_va1;

  ncx_decay #(.VW(VW)) u_decay_v (
    .x_i (`NCX_STATE_V(state_rdata)),
    .m_i (`NCX_PARAM_DV(param_rdata)),
    .y_o (p1_vdec)
  );

  ncx_decay #(.VW(VW)) u_decay_i (
    .x_i (`NCX_STATE_I(state_rdata)),
    .m_i (`NCX_PARAM_DI(param_rdata)),
    .y_o (p1_idec)
  );

  // decay(v) + bias and decay(v) + bias - thr (at most 2^(VW+1) + 2^VW in
  // magnitude, VW+3 bits); bias - thr does not wait for the multiplier
  wire [VW-1:0] p1_bias = `NCX_PARAM_BIAS(param_rdata);
  wire [VW-1:0] p1_thr  = `NCX_PARAM_THR(param_rdata);
  wire [VW+2:0] p1_bt   = {{3{p1_bias[VW-1]}}, p1_bias} - {{3{p1_thr[VW-1]}}, p1_thr};
  wire [VW+2:0] p1_vb   = p1_vdec + {{3{p1_bias[VW-1]}}, p1_bias};
  wire [VW+2:0] p1_vbt  = p1_vdec + p1_bt;
  wire          p1_thr_min = (p1_thr == {1'b1, {(VW-1){1'b0}}});

  wire [7:0] p1_tr1, p1_tr_spike;

  ncx_trace_update u_trace_update (
    .tr_i       (trace_rdata),
    .tr_shift_i (`NCX_PARAM_TR_SHIFT(param_rdata)),
    .tr_inc_i   (`NCX_PARAM_TR_INC(param_rdata)),
    .tr1_o      (p1_tr1),
    .tr_spike_o (p1_tr_spike)
  );

  ncx_sat_add #(.VW(VW)) u_i1 (
    .x_i (p1_idec),
    .a_i (acc_rdata),
    .b_i ({VW{1'b0}}),
    .y_o (p1_i1)
  );

  // bparam fields of stage 2 (da and teach are consumed in stage 1)
  wire          bp_bu     = `NCX_BPARAM_BU(p1_bparam_q);
  wire          bp_bmode  = `NCX_BPARAM_BMODE(p1_bparam_q);
  wire [VW-1:0] bp_aoff   = `NCX_BPARAM_AOFF(p1_bparam_q);
  wire [`NCX_BPARAM_ASHIFT_BITS-1:0] bp_ashift = `NCX_BPARAM_ASHIFT(p1_bparam_q);
  wire [`NCX_BPARAM_PSHIFT_BITS-1:0] bp_pshift = `NCX_BPARAM_PSHIFT(p1_bparam_q);

  generate
    if (HasBurst) begin : g_apical
      wire [VW+2:0] p1_adec;  // decay(va, da)
      ncx_decay #(.VW(VW)) u_decay_a (
        .x_i (`NCX_BSTATE_VA(bstate_rdata)),
        .m_i (`NCX_BPARAM_DA(bparam_rdata)),
        .y_o (p1_adec)
      );
      ncx_sat_add #(.VW(VW)) u_va1 (
        .x_i (p1_adec),
        .a_i (acca_rdata),
        .b_i (`NCX_BPARAM_TEACH(bparam_rdata)),
        .y_o (p1_va1)
      );
    end else begin : g_no_apical
      assign p1_va1 = {VW{1'b0}};
    end
  endgenerate

  wire [VW-1:0] nu_v, nu_i;
  wire [7:0]    nu_ref, nu_tr;
  wire          nu_spike;

  ncx_neuron_update #(.VW(VW)) u_neuron_update (
    .v_i        (`NCX_STATE_V(p1_state_q)),
    .ref_i      (`NCX_STATE_REF(p1_state_q)),
    .tr1_i      (p1_tr1_q),
    .tr_spike_i (p1_tr_spike_q),
    .force_i    (p1_force_q),
    .vreset_i   (`NCX_PARAM_VRESET(p1_param_q)),
    .rsub_i     (`NCX_PARAM_RSUB(p1_param_q)),
    .thr_i      (`NCX_PARAM_THR(p1_param_q)),
    .vb_i       (p1_vb_q),
    .vbt_i      (p1_vbt_q),
    .thr_min_i  (p1_thr_min_q),
    .i1_i       (p1_i1_q),
    .tref_i     (`NCX_PARAM_TREF(p1_param_q)),
    .v_o        (nu_v),
    .i_o        (nu_i),
    .ref_o      (nu_ref),
    .tr_o       (nu_tr),
    .spike_o    (nu_spike)
  );

  wire [5:0] p1_lut_idx;

  ncx_burst_index #(.VW(VW)) u_burst_index (
    .va_i     (p1_va1_q),
    .aoff_i   (bp_aoff),
    .ashift_i (bp_ashift),
    .idx_o    (p1_lut_idx)
  );

  // stage 3 (the spike output cycle)
  reg           p1_s3_valid_q;
  reg           spike_valid_q;  // s3: this neuron spiked
  reg [NB-1:0]  spike_id_q;     // s3: neuron index
  reg           p1_s3_bu_q;
  reg           p1_s3_bmode_q;
  reg [`NCX_BPARAM_PSHIFT_BITS-1:0] p1_s3_pshift_q;
  reg [VW-1:0]  p1_s3_va1_q;
  reg [`NCX_BSTATE_PBAR_BITS-1:0] p1_s3_pbar_q;  // UQ8.8
  reg [`NCX_BSTATE_ERR_BITS-1:0] p1_s3_err_q;

  wire       p1_spike = p1_s2_valid_q && nu_spike;
  wire       s3_burst, s3_step;
  wire [15:0] s3_pbar;
  wire [8:0] s3_err;

  ncx_burst_decide u_burst_decide (
    .bu_i        (HasBurst && p1_s3_bu_q),
    .bmode_i     (p1_s3_bmode_q),
    .spike_i     (spike_valid_q),
    .p_i         (lut_rdata),
    .lfsr_next_i (lfsr_nx[7:0]),
    .pbar_i      (p1_s3_pbar_q),
    .err_i       (p1_s3_err_q),
    .pshift_i    (p1_s3_pshift_q),
    .burst_o     (s3_burst),
    .step_o      (s3_step),
    .pbar_o      (s3_pbar),
    .err_o       (s3_err)
  );

  always @* begin
    p1_nspk_next = spike_valid_q ? nspk_q + 1'b1 : nspk_q;
  end

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      p1_s1_valid_q <= 1'b0;
      p1_s2_valid_q <= 1'b0;
      p1_s3_valid_q <= 1'b0;
      spike_valid_q <= 1'b0;
    end else begin
      p1_s1_valid_q <= p1_issue;
      p1_s2_valid_q <= p1_s1_valid_q;
      p1_s3_valid_q <= p1_s2_valid_q;
      spike_valid_q <= p1_spike;
    end
  end

  always @(posedge clk_i) begin
    p1_s1_idx_q    <= idx_q;
    p1_s2_idx_q    <= p1_s1_idx_q;
    p1_param_q     <= param_rdata;
    p1_state_q     <= state_rdata;
    p1_tr1_q       <= p1_tr1;
    p1_tr_spike_q  <= p1_tr_spike;
    p1_force_q     <= force_rdata;
    p1_vb_q        <= p1_vb;
    p1_vbt_q       <= p1_vbt;
    p1_thr_min_q   <= p1_thr_min;
    p1_i1_q        <= p1_i1;
    p1_bparam_q    <= bparam_rdata;
    p1_bstate_q    <= bstate_rdata;
    p1_va1_q       <= p1_va1;
    spike_id_q     <= p1_s2_idx_q;
    p1_s3_bu_q     <= bp_bu;
    p1_s3_bmode_q  <= bp_bmode;
    p1_s3_pshift_q <= bp_pshift;
    p1_s3_va1_q    <= p1_va1_q;
    p1_s3_pbar_q   <= `NCX_BSTATE_PBAR(p1_bstate_q);
    p1_s3_err_q    <= `NCX_BSTATE_ERR(p1_bstate_q);
  end

  assign spike_valid_o = spike_valid_q;
  assign spike_id_o    = spike_id_q;
  assign spike_burst_o = spike_valid_q && s3_burst;

  // ---------------------------------------------------------------------------
  // Phase 2 pipeline: A (read syn) -> B (read acc or acca/trace/rule) -> C (write acc or acca, syn)
  // ---------------------------------------------------------------------------
  wire p2_issue = (phase_q == PhDel) && row_issue;

  reg          p2_b_valid_q;
  reg          p2_b_brow_q;   // the word is from a burst row: into acca, no STDP
  reg [SB-1:0] p2_b_addr_q;
  reg          p2_c_valid_q;
  reg          p2_c_brow_q;
  reg [SB-1:0] p2_c_addr_q;
  reg [YW-1:0] p2_c_syn_q;

  // acc/acca forwarding: the last write of phase 2, one cycle old
  reg          fwd_valid_q;
  reg          fwd_brow_q;
  reg [NB-1:0] fwd_addr_q;
  reg [VW-1:0] fwd_data_q;

  wire [NB-1:0] p2_c_tgt  = `NCX_SYN_TGT(p2_c_syn_q);
  wire [7:0]    p2_c_w    = `NCX_SYN_W(p2_c_syn_q);
  wire [2:0]    p2_c_wexp = `NCX_SYN_WEXP(p2_c_syn_q);
  wire [2:0]    p2_c_rule = `NCX_SYN_RULE(p2_c_syn_q);
  wire [VW-1:0] p2_acc_mem = p2_c_brow_q ? acca_rdata : acc_rdata;
  wire [VW-1:0] p2_acc_cur = (fwd_valid_q && fwd_brow_q == p2_c_brow_q && fwd_addr_q == p2_c_tgt) ?
                             fwd_data_q : p2_acc_mem;
  // w << wexp, sign-extended to VW+1 bits (at most 15 bits significant)
  wire [VW:0]   p2_contrib = {{(VW-7){p2_c_w[7]}}, p2_c_w} << p2_c_wexp;
  wire [VW:0]   p2_sum     = {p2_acc_cur[VW-1], p2_acc_cur} + p2_contrib;
  wire [VW-1:0] p2_acc_new = (p2_sum[VW] != p2_sum[VW-1]) ?
                             {p2_sum[VW], {(VW-1){~p2_sum[VW]}}} : p2_sum[VW-1:0];
  // STDP depression only for event-row synapses with an STDP rule
  wire          p2_c_stdp  = !p2_c_brow_q && (p2_c_rule != 3'd0) && !rule_kind[p2_c_rule];
  wire [7:0]    p2_w_new;

  ncx_stdp u_stdp_dep (
    .w_i          (p2_c_w),
    .tr_i         (trace_rdata),
    .a_i          (`NCX_RULE_AMINUS(rule_rdata)),
    .wmin_i       (`NCX_RULE_WMIN(rule_rdata)),
    .wmax_i       (`NCX_RULE_WMAX(rule_rdata)),
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
    p2_b_brow_q <= HasBurst && brow_now;
    p2_c_addr_q <= p2_b_addr_q;
    p2_c_brow_q <= p2_b_brow_q;
    p2_c_syn_q  <= syn_rdata;
    fwd_addr_q  <= p2_c_tgt;
    fwd_brow_q  <= p2_c_brow_q;
    fwd_data_q  <= p2_acc_new;
  end

  // ---------------------------------------------------------------------------
  // Phase 3 pipeline: A (read rev) -> B (read syn/trace) -> C (read rule and
  // wfrac; trace*err) -> D (write syn and, for a fraction-bit rule, wfrac)
  // ---------------------------------------------------------------------------
  // wfrac is addressed by the fan-in address of stage A, carried along: it is
  // read in C rather than with rev in A so that its data arrive in D without
  // two more 8-bit pipeline registers. Each fan-in address is read and written
  // at most once a step, so its read never needs the write of an earlier word.
  wire p3_issue = (phase_q == PhPot) && row_issue;

  reg          p3_b_valid_q;
  reg          p3_c_valid_q;
  reg [SB-1:0] p3_c_saddr_q;
  reg [RB-1:0] p3_b_fia_q;    // fan-in address of the word (rev and wfrac)
  reg [RB-1:0] p3_c_fia_q;
  reg [RB-1:0] p3_d_fia_q;
  reg          p3_d_valid_q;
  reg [SB-1:0] p3_d_saddr_q;
  reg [YW-1:0] p3_d_syn_q;
  reg [7:0]    p3_d_trace_q;
  // err of the row's spike (the postsynaptic neuron), carried with each word
  reg [8:0]    p3_err_row_q;
  reg [8:0]    p3_b_err_q;
  reg [8:0]    p3_c_err_q;
  reg [16:0]   p3_d_te_q;     // trace[src] * err[post]

  wire [8:0]    p3_a_err   = (seq_q == SqFirst) ? `NCX_BSTATE_ERR(bstate_rdata) : p3_err_row_q;
  wire [SB-1:0] p3_b_saddr = `NCX_REV_SADDR(rev_rdata);
  wire [NB-1:0] p3_b_src   = `NCX_REV_SRC(rev_rdata);
  wire [16:0]   p3_c_te    = $signed({1'b0, trace_rdata}) * $signed(p3_c_err_q);
  wire          p3_d_bdsp  = rule_kind[`NCX_SYN_RULE(p3_d_syn_q)];
  wire          p3_d_frac  = p3_d_bdsp && rule_frac[`NCX_SYN_RULE(p3_d_syn_q)];
  wire [7:0]    p3_w_new, p3_w_bdsp, p3_wfr_bdsp;

  ncx_stdp u_stdp_pot (
    .w_i          (`NCX_SYN_W(p3_d_syn_q)),
    .tr_i         (p3_d_trace_q),
    .a_i          (`NCX_RULE_APLUS(rule_rdata)),
    .wmin_i       (`NCX_RULE_WMIN(rule_rdata)),
    .wmax_i       (`NCX_RULE_WMAX(rule_rdata)),
    .potentiate_i (1'b1),
    .w_o          (p3_w_new)
  );

  generate
    if (HasBurst) begin : g_bdsp
      ncx_bdsp u_bdsp (
        .w_i         (`NCX_SYN_W(p3_d_syn_q)),
        .wfr_i       (wfrac_rdata),
        .frac_i      (p3_d_frac),
        .te_i        (p3_d_te_q),
        .aplus_i     (`NCX_RULE_APLUS(rule_rdata)),
        .lfsr_next_i (lfsr_nx),
        .wmin_i      (`NCX_RULE_WMIN(rule_rdata)),
        .wmax_i      (`NCX_RULE_WMAX(rule_rdata)),
        .w_o         (p3_w_bdsp),
        .wfr_o       (p3_wfr_bdsp)
      );
    end else begin : g_no_bdsp
      assign p3_w_bdsp   = 8'd0;
      assign p3_wfr_bdsp = 8'd0;
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_te = ^{p3_d_te_q, p3_d_fia_q, p3_d_frac};
      /* verilator lint_on UNUSEDSIGNAL */
    end
  endgenerate

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
    p3_b_fia_q   <= issue_addr[RB-1:0];
    p3_c_fia_q   <= p3_b_fia_q;
    p3_d_fia_q   <= p3_c_fia_q;
    p3_d_saddr_q <= p3_c_saddr_q;
    p3_d_syn_q   <= syn_rdata;
    p3_d_trace_q <= trace_rdata;
    p3_err_row_q <= p3_a_err;
    p3_b_err_q   <= p3_a_err;
    p3_c_err_q   <= p3_b_err_q;
    p3_d_te_q    <= p3_c_te;
  end

  // ---------------------------------------------------------------------------
  // Registers rule_kind, rule_frac and lfsr
  // ---------------------------------------------------------------------------
  // the LFSR steps once per stochastic burst-unit event (phase 1, s3) and once
  // per BDSP update (phase 3, D); never both in one cycle
  wire lfsr_step = (p1_s3_valid_q && s3_step) || (p3_d_valid_q && p3_d_bdsp);

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      rule_kind_q <= 8'd0;
      rule_frac_q <= 8'd0;
      lfsr_q      <= 16'd1;
    end else begin
      if (host_we && host_sel_i == `NCX_SEL_RULE_KIND) begin
        rule_kind_q <= host_wdata_i[`NCX_RULE_KIND_BITS-1:0];
      end
      if (host_we && host_sel_i == `NCX_SEL_RULE_FRAC) begin
        rule_frac_q <= host_wdata_i[`NCX_RULE_FRAC_BITS-1:0];
      end
      if (host_we && host_sel_i == `NCX_SEL_LFSR) begin
        lfsr_q <= host_wdata_i[`NCX_LFSR_BITS-1:0];
      end else if (HasBurst && lfsr_step) begin
        lfsr_q <= lfsr_nx;
      end
    end
  end

  // ---------------------------------------------------------------------------
  // Memory port multiplexers
  // ---------------------------------------------------------------------------
  always @* begin
    // phase 1 reads
    param_re     = p1_issue || (host_re && host_sel_i == `NCX_SEL_PARAM);
    param_raddr  = p1_issue ? idx_q : host_addr_i[NB-1:0];
    state_re     = p1_issue || (host_re && host_sel_i == `NCX_SEL_STATE);
    state_raddr  = p1_issue ? idx_q : host_addr_i[NB-1:0];
    force_re     = p1_issue || (host_re && host_sel_i == `NCX_SEL_FORCE);
    force_raddr  = p1_issue ? idx_q : host_addr_i[NB-1:0];
    bparam_re    = p1_issue || (host_re && host_sel_i == `NCX_SEL_BPARAM);
    bparam_raddr = p1_issue ? idx_q : host_addr_i[NB-1:0];

    // phase 1 write-back (s2)
    state_we    = p1_s2_valid_q || (host_we && host_sel_i == `NCX_SEL_STATE);
    state_waddr = p1_s2_valid_q ? p1_s2_idx_q : host_addr_i[NB-1:0];
    state_wdata = p1_s2_valid_q ? {nu_v, nu_i, nu_ref} : host_wdata_i[STW-1:0];
    force_we    = p1_s2_valid_q || (host_we && host_sel_i == `NCX_SEL_FORCE);
    force_waddr = p1_s2_valid_q ? p1_s2_idx_q : host_addr_i[NB-1:0];
    force_wdata = p1_s2_valid_q ? 1'b0 : host_wdata_i[0];
    trace_we    = p1_s2_valid_q || (host_we && host_sel_i == `NCX_SEL_TRACE);
    trace_waddr = p1_s2_valid_q ? p1_s2_idx_q : host_addr_i[NB-1:0];
    trace_wdata = p1_s2_valid_q ? nu_tr : host_wdata_i[`NCX_TRACE_BITS-1:0];
    // lut: phase 1 s2 index
    lut_re      = p1_s2_valid_q || (host_re && host_sel_i == `NCX_SEL_LUT);
    lut_raddr   = p1_s2_valid_q ? p1_lut_idx : host_addr_i[`NCX_LUT_ABITS-1:0];
    // phase 1 write-back (s3): spike list, burst state of burst units
    spk_we      = spike_valid_q;
    spk_waddr   = nspk_q[NB-1:0];
    spk_wdata   = {s3_burst, spike_id_q};
    bstate_we   = (p1_s3_valid_q && p1_s3_bu_q) || (host_we && host_sel_i == `NCX_SEL_BSTATE);
    bstate_waddr = p1_s3_valid_q ? spike_id_q : host_addr_i[NB-1:0];
    bstate_wdata = p1_s3_valid_q ? {p1_s3_va1_q, s3_pbar, s3_err} : host_wdata_i[BSW-1:0];

    // bstate reads: phase 1 neuron, phase 3 row header (err of the spike)
    bstate_re    = p1_issue || (phase_q == PhPot && seq_q == SqHead1) || (host_re && host_sel_i == `NCX_SEL_BSTATE);
    bstate_raddr = p1_issue ? idx_q : (phase_q == PhPot && seq_q == SqHead1) ? spk_rdata[NB-1:0] :
                   host_addr_i[NB-1:0];

    // trace: phase 1 neuron, phase 2 target, phase 3 source
    trace_re    = 1'b1;
    if (p1_issue)          trace_raddr = idx_q;
    else if (p2_b_valid_q) trace_raddr = `NCX_SYN_TGT(syn_rdata);
    else if (p3_b_valid_q) trace_raddr = p3_b_src;
    else                   trace_raddr = host_addr_i[NB-1:0];
    if (!p1_issue && !p2_b_valid_q && !p3_b_valid_q) trace_re = host_re && host_sel_i == `NCX_SEL_TRACE;

    // acc and acca: phase 1 neuron (cleared at write-back), phase 2 target
    acc_re     = p1_issue || p2_b_valid_q || (host_re && host_sel_i == `NCX_SEL_ACC);
    acc_raddr  = p1_issue ? idx_q : p2_b_valid_q ? `NCX_SYN_TGT(syn_rdata) : host_addr_i[NB-1:0];
    acca_re    = p1_issue || p2_b_valid_q || (host_re && host_sel_i == `NCX_SEL_ACCA);
    acca_raddr = acc_raddr;
    if (p1_s2_valid_q) begin
      acc_we     = 1'b1;
      acc_waddr  = p1_s2_idx_q;
      acc_wdata  = {VW{1'b0}};
      acca_we    = 1'b1;
      acca_waddr = p1_s2_idx_q;
      acca_wdata = {VW{1'b0}};
    end else if (p2_c_valid_q) begin
      acc_we     = !p2_c_brow_q;
      acc_waddr  = p2_c_tgt;
      acc_wdata  = p2_acc_new;
      acca_we    = p2_c_brow_q;
      acca_waddr = p2_c_tgt;
      acca_wdata = p2_acc_new;
    end else begin
      acc_we     = host_we && host_sel_i == `NCX_SEL_ACC;
      acc_waddr  = host_addr_i[NB-1:0];
      acc_wdata  = host_wdata_i[VW-1:0];
      acca_we    = host_we && host_sel_i == `NCX_SEL_ACCA;
      acca_waddr = host_addr_i[NB-1:0];
      acca_wdata = host_wdata_i[VW-1:0];
    end

    // rule: phase 2 (syn word of stage B), phase 3 (syn word of stage C)
    rule_re    = p2_b_valid_q || p3_c_valid_q || (host_re && host_sel_i == `NCX_SEL_RULE);
    rule_raddr = p2_b_valid_q ? `NCX_SYN_RULE(syn_rdata) :
                 p3_c_valid_q ? `NCX_SYN_RULE(syn_rdata) : host_addr_i[`NCX_RULE_ABITS-1:0];

    // spike list, fanout and bfanout: row headers of phases 2 and 3
    spk_re        = head0;
    spk_raddr     = sptr_q[NB-1:0];
    fanout_re     = (in_rows && seq_q == SqHead1) || (host_re && host_sel_i == `NCX_SEL_FANOUT);
    fanout_raddr  = (in_rows && seq_q == SqHead1) ? spk_rdata[NB-1:0] : host_addr_i[NB-1:0];
    bfanout_re    = (phase_q == PhDel && seq_q == SqHead1) || (host_re && host_sel_i == `NCX_SEL_BFANOUT);
    bfanout_raddr = (phase_q == PhDel && seq_q == SqHead1) ? spk_rdata[NB-1:0] : host_addr_i[NB-1:0];

    // syn: phase 2 issue, phase 3 stage B
    syn_re    = p2_issue || p3_b_valid_q || (host_re && host_sel_i == `NCX_SEL_SYN);
    syn_raddr = p2_issue ? issue_addr[SB-1:0] : p3_b_valid_q ? p3_b_saddr : host_addr_i[SB-1:0];
    if (p2_c_valid_q) begin
      syn_we    = p2_c_stdp;
      syn_waddr = p2_c_addr_q;
      syn_wdata = {`NCX_SYN_RULE(p2_c_syn_q), `NCX_SYN_WEXP(p2_c_syn_q), p2_w_new, p2_c_tgt};
    end else if (p3_d_valid_q) begin
      syn_we    = 1'b1;
      syn_waddr = p3_d_saddr_q;
      syn_wdata = {`NCX_SYN_RULE(p3_d_syn_q), `NCX_SYN_WEXP(p3_d_syn_q), p3_d_bdsp ? p3_w_bdsp : p3_w_new,
                 `NCX_SYN_TGT(p3_d_syn_q)};
    end else begin
      syn_we    = host_we && host_sel_i == `NCX_SEL_SYN;
      syn_waddr = host_addr_i[SB-1:0];
      syn_wdata = host_wdata_i[YW-1:0];
    end

    // rev: phase 3 issue
    rev_re    = p3_issue || (host_re && host_sel_i == `NCX_SEL_REV);
    rev_raddr = p3_issue ? issue_addr[RB-1:0] : host_addr_i[RB-1:0];

    // wfrac: phase 3 stage C read, stage D write of a fraction-bit BDSP word
    wfrac_re    = p3_c_valid_q || (host_re && host_sel_i == `NCX_SEL_WFRAC);
    wfrac_raddr = p3_c_valid_q ? p3_c_fia_q : host_addr_i[RB-1:0];
    if (p3_d_valid_q) begin
      wfrac_we    = p3_d_frac;
      wfrac_waddr = p3_d_fia_q;
      wfrac_wdata = p3_wfr_bdsp;
    end else begin
      wfrac_we    = host_we && host_sel_i == `NCX_SEL_WFRAC;
      wfrac_waddr = host_addr_i[RB-1:0];
      wfrac_wdata = host_wdata_i[`NCX_WFRAC_BITS-1:0];
    end
  end

  // ---------------------------------------------------------------------------
  // Host read data: the memory selected one cycle earlier
  // ---------------------------------------------------------------------------
  reg [`NCX_SEL_BITS-1:0] host_sel_q;
  reg [HDW-1:0] host_rdata;

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      host_sel_q <= {`NCX_SEL_BITS{1'b0}};
    end else if (host_re) begin
      host_sel_q <= host_sel_i;
    end
  end

  always @* begin
    host_rdata = {HDW{1'b0}};
    case (host_sel_q)
      `NCX_SEL_PARAM:       host_rdata[PW-1:0]  = param_rdata;
      `NCX_SEL_STATE:       host_rdata[STW-1:0] = state_rdata;
      `NCX_SEL_TRACE:       host_rdata[`NCX_TRACE_BITS-1:0] = trace_rdata;
      `NCX_SEL_ACC:         host_rdata[VW-1:0]  = acc_rdata;
      `NCX_SEL_FORCE:       host_rdata[0]       = force_rdata;
      `NCX_SEL_FANOUT:      host_rdata[FW-1:0]  = fanout_rdata;
      `NCX_SEL_SYN:         host_rdata[YW-1:0]  = syn_rdata;
      `NCX_SEL_REV:         host_rdata[RVW-1:0] = rev_rdata;
      `NCX_SEL_RULE:        host_rdata[`NCX_RULE_BITS-1:0] = rule_rdata;
      `NCX_SEL_BPARAM:      host_rdata[BPW-1:0] = bparam_rdata;
      `NCX_SEL_BSTATE:      host_rdata[BSW-1:0] = bstate_rdata;
      `NCX_SEL_ACCA:        host_rdata[VW-1:0]  = acca_rdata;
      `NCX_SEL_BFANOUT:     host_rdata[BFW-1:0] = bfanout_rdata;
      `NCX_SEL_LUT:         host_rdata[`NCX_LUT_BITS-1:0] = lut_rdata;
      `NCX_SEL_RULE_KIND:   host_rdata[`NCX_RULE_KIND_BITS-1:0] = rule_kind;
      `NCX_SEL_NUM_NEURONS: host_rdata[`NCX_NUM_NEURONS_BITS-1:0] = num_neurons_q;
      `NCX_SEL_LFSR:        host_rdata[`NCX_LFSR_BITS-1:0] = HasBurst ? lfsr_q : 16'd0;
      `NCX_SEL_WFRAC:       host_rdata[`NCX_WFRAC_BITS-1:0] = wfrac_rdata;
      `NCX_SEL_RULE_FRAC:   host_rdata[`NCX_RULE_FRAC_BITS-1:0] = rule_frac;
      default:    host_rdata          = {HDW{1'b0}};
    endcase
  end

  assign host_rdata_o = host_rdata;
  assign done_o       = (phase_q == PhDone);
  assign busy_o       = !idle;
endmodule
