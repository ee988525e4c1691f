// tb_ncx_core: a plain Verilog-2005 testbench for ncx_core, for a 4-state
// cross-check with Icarus Verilog. It does what the Verilator harness does
// (testbench/harness/ncx_harness.cpp) and prints the same format, so the two
// outputs can be compared line by line; X or Z bits show up as 'x'/'z' digits.
//
// Plusargs: +mem=DIR (the .mem files of core.Image.WriteMemDir), +stim=FILE
// ($readmemh file, one N-bit force mask per step), +steps=N, +nn=num_neurons,
// +nsyn=syn words, +nrev=rev words, +out=FILE, +burst=1 for an image with
// burst units (bparam.mem .. lut.mem, regs.mem with an optional third line
// rule_frac, wfrac.mem if present). A core built with Burst = 1 running an
// image without burst units gets bparam cleared, rule_kind and rule_frac 0
// and lfsr 1, as in the Verilator harness, which this bench follows in
// dumping wfrac only for images that use fraction bits. Widths and host_sel
// codes come from hdl/ncx_mem.vh.
`include "ncx_mem.vh"
module tb_ncx_core;
  parameter integer NB = 6;
  parameter integer SB = 12;
  parameter integer RB = 11;
  parameter integer VW = 16;
  parameter integer Burst = 1;

  localparam integer N   = 1 << NB;
  localparam integer S   = 1 << SB;
  localparam integer R   = 1 << RB;
  localparam integer HAW = `NCX_HAW;
  localparam integer HDW = `NCX_HDW;
  localparam integer MaxSteps = 4096;

  reg            clk = 1'b0;
  reg            rst_n = 1'b0;
  reg            start = 1'b0;
  reg  [`NCX_SEL_BITS-1:0] host_sel = {`NCX_SEL_BITS{1'b0}};
  reg  [HAW-1:0] host_addr = {HAW{1'b0}};
  reg  [HDW-1:0] host_wdata = {HDW{1'b0}};
  reg            host_we = 1'b0;
  reg            host_re = 1'b0;
  wire [HDW-1:0] host_rdata;
  wire           done, busy, spike_valid, spike_burst;
  wire [NB-1:0]  spike_id;

  ncx_core #(.NB(NB), .SB(SB), .RB(RB), .VW(VW), .Burst(Burst)) dut (
    .clk_i(clk), .rst_ni(rst_n), .start_i(start), .done_o(done), .busy_o(busy),
    .spike_valid_o(spike_valid), .spike_id_o(spike_id), .spike_burst_o(spike_burst),
    .host_sel_i(host_sel), .host_addr_i(host_addr), .host_wdata_i(host_wdata),
    .host_we_i(host_we), .host_re_i(host_re), .host_rdata_o(host_rdata));

  always #5 clk = ~clk;

  reg [`NCX_PARAM_BITS-1:0] m_param [0:(1 << `NCX_PARAM_ABITS)-1];
  reg [`NCX_STATE_BITS-1:0] m_state [0:(1 << `NCX_STATE_ABITS)-1];
  reg [`NCX_TRACE_BITS-1:0] m_trace [0:(1 << `NCX_TRACE_ABITS)-1];
  reg [`NCX_ACC_BITS-1:0] m_acc [0:(1 << `NCX_ACC_ABITS)-1];
  reg [`NCX_FORCE_BITS-1:0] m_force [0:(1 << `NCX_FORCE_ABITS)-1];
  reg [`NCX_FANOUT_BITS-1:0] m_fanout [0:(1 << `NCX_FANOUT_ABITS)-1];
  reg [`NCX_SYN_BITS-1:0] m_syn [0:(1 << `NCX_SYN_ABITS)-1];
  reg [`NCX_REV_BITS-1:0] m_rev [0:(1 << `NCX_REV_ABITS)-1];
  reg [`NCX_RULE_BITS-1:0] m_rule [0:(1 << `NCX_RULE_ABITS)-1];
  reg [`NCX_BPARAM_BITS-1:0] m_bparam [0:(1 << `NCX_BPARAM_ABITS)-1];
  reg [`NCX_BSTATE_BITS-1:0] m_bstate [0:(1 << `NCX_BSTATE_ABITS)-1];
  reg [`NCX_ACCA_BITS-1:0] m_acca [0:(1 << `NCX_ACCA_ABITS)-1];
  reg [`NCX_BFANOUT_BITS-1:0] m_bfanout [0:(1 << `NCX_BFANOUT_ABITS)-1];
  reg [`NCX_LUT_BITS-1:0] m_lut [0:(1 << `NCX_LUT_ABITS)-1];
  reg [N-1:0]   m_stim   [0:MaxSteps-1];
  reg [`NCX_WFRAC_BITS-1:0] m_wfrac [0:(1 << `NCX_WFRAC_ABITS)-1];
  reg [15:0]    m_regs   [0:2];  // regs.mem: rule_kind, lfsr, rule_frac (0 if absent)

  reg [8*512-1:0] memdir, stimfile, outfile, path;
  integer steps, nn, nsyn, nrev, burst, frac, fd, s, a, c, t, k;
  integer sp_id [0:N-1];
  integer sp_cyc [0:N-1];
  reg     sp_burst [0:N-1];
  reg finished;

  task tick;
    begin
      @(posedge clk);
      #1;
    end
  endtask

  task host_write(input [`NCX_SEL_BITS-1:0] sel, input integer addr, input [HDW-1:0] data);
    begin
      host_sel = sel;
      host_addr = addr;
      host_wdata = data;
      host_we = 1'b1;
      tick;
      host_we = 1'b0;
    end
  endtask

  task host_read(input [`NCX_SEL_BITS-1:0] sel, input integer addr);
    begin
      host_sel = sel;
      host_addr = addr;
      host_re = 1'b1;
      tick;
      host_re = 1'b0;
    end
  endtask

  initial begin
    if (!$value$plusargs("mem=%s", memdir) || !$value$plusargs("steps=%d", steps) ||
        !$value$plusargs("nn=%d", nn) || !$value$plusargs("nsyn=%d", nsyn) ||
        !$value$plusargs("nrev=%d", nrev) || !$value$plusargs("out=%s", outfile)) begin
      $display("tb_ncx_core: missing plusargs");
      $finish;
    end
    for (s = 0; s < MaxSteps; s = s + 1) m_stim[s] = {N{1'b0}};
    if ($value$plusargs("stim=%s", stimfile)) $readmemh(stimfile, m_stim);
    $sformat(path, "%0s/param.mem", memdir);  $readmemh(path, m_param);
    $sformat(path, "%0s/state.mem", memdir);  $readmemh(path, m_state);
    $sformat(path, "%0s/trace.mem", memdir);  $readmemh(path, m_trace);
    $sformat(path, "%0s/acc.mem", memdir);    $readmemh(path, m_acc);
    $sformat(path, "%0s/force.mem", memdir);  $readmemh(path, m_force);
    $sformat(path, "%0s/fanout.mem", memdir); $readmemh(path, m_fanout);
    if (nsyn > 0) begin $sformat(path, "%0s/syn.mem", memdir); $readmemh(path, m_syn); end
    if (nrev > 0) begin $sformat(path, "%0s/rev.mem", memdir); $readmemh(path, m_rev); end
    $sformat(path, "%0s/rule.mem", memdir);   $readmemh(path, m_rule);
    if (!$value$plusargs("burst=%d", burst)) burst = 0;
    m_regs[2] = 16'd0;
    for (a = 0; a < nrev; a = a + 1) m_wfrac[a] = {`NCX_WFRAC_BITS{1'b0}};
    frac = 0;
    if (burst != 0) begin
      $sformat(path, "%0s/bparam.mem", memdir);  $readmemh(path, m_bparam);
      $sformat(path, "%0s/bstate.mem", memdir);  $readmemh(path, m_bstate);
      $sformat(path, "%0s/acca.mem", memdir);    $readmemh(path, m_acca);
      $sformat(path, "%0s/bfanout.mem", memdir); $readmemh(path, m_bfanout);
      $sformat(path, "%0s/lut.mem", memdir);     $readmemh(path, m_lut);
      $sformat(path, "%0s/regs.mem", memdir);    $readmemh(path, m_regs);
      $sformat(path, "%0s/wfrac.mem", memdir);
      fd = $fopen(path, "r");
      if (fd != 0) begin
        $fclose(fd);
        if (nrev > 0) $readmemh(path, m_wfrac);
      end
      if (m_regs[2] != 16'd0) frac = 1;
      for (a = 0; a < nrev; a = a + 1) if (m_wfrac[a] != {`NCX_WFRAC_BITS{1'b0}}) frac = 1;
    end else begin
      for (a = 0; a < N; a = a + 1) m_bparam[a] = {`NCX_BPARAM_BITS{1'b0}};
      m_regs[0] = 16'd0;
      m_regs[1] = 16'd1;
    end
    fd = $fopen(outfile, "w");

    tick;
    tick;
    rst_n = 1'b1;
    tick;
    for (a = 0; a < nn; a = a + 1) begin
      host_write(`NCX_SEL_PARAM, a, m_param[a]);
      host_write(`NCX_SEL_STATE, a, m_state[a]);
      host_write(`NCX_SEL_TRACE, a, m_trace[a]);
      host_write(`NCX_SEL_ACC, a, m_acc[a]);
      host_write(`NCX_SEL_FORCE, a, m_force[a]);
      host_write(`NCX_SEL_FANOUT, a, m_fanout[a]);
    end
    for (a = 0; a < nsyn; a = a + 1) host_write(`NCX_SEL_SYN, a, m_syn[a]);
    for (a = 0; a < nrev; a = a + 1) host_write(`NCX_SEL_REV, a, m_rev[a]);
    for (a = 0; a < (1 << `NCX_RULE_ABITS); a = a + 1) host_write(`NCX_SEL_RULE, a, m_rule[a]);
    if (Burst != 0) begin
      for (a = 0; a < nn; a = a + 1) begin
        host_write(`NCX_SEL_BPARAM, a, m_bparam[a]);
        if (burst != 0) begin
          host_write(`NCX_SEL_BSTATE, a, m_bstate[a]);
          host_write(`NCX_SEL_ACCA, a, m_acca[a]);
          host_write(`NCX_SEL_BFANOUT, a, m_bfanout[a]);
        end
      end
      if (burst != 0) for (a = 0; a < (1 << `NCX_LUT_ABITS); a = a + 1) host_write(`NCX_SEL_LUT, a, m_lut[a]);
      host_write(`NCX_SEL_RULE_KIND, 0, m_regs[0]);
      host_write(`NCX_SEL_LFSR, 0, m_regs[1]);
      host_write(`NCX_SEL_RULE_FRAC, 0, m_regs[2]);
      for (a = 0; a < nrev; a = a + 1) host_write(`NCX_SEL_WFRAC, a, m_wfrac[a]);
    end
    host_write(`NCX_SEL_NUM_NEURONS, 0, nn);

    $fwrite(fd, "ncx-rtl 1 nb %0d sb %0d rb %0d vw %0d\n", NB, SB, RB, VW);
    for (s = 0; s < steps; s = s + 1) begin
      for (a = 0; a < nn; a = a + 1) begin
        if (m_stim[s][a]) host_write(`NCX_SEL_FORCE, a, 1);
      end
      start = 1'b1;
      tick;  // edge 0 samples start
      start = 1'b0;
      finished = 1'b0;
      t = 0;
      k = 0;
      for (c = 0; !finished; c = c + 1) begin
        if (c > 0) tick;
        if (spike_valid !== 1'b0) begin
          if (spike_valid !== 1'b1 || ^spike_id === 1'bx) begin
            $display("tb_ncx_core: step %0d cycle %0d: spike output is X", s, c);
            $finish;
          end
          if (spike_burst !== 1'b0 && spike_burst !== 1'b1) begin
            $display("tb_ncx_core: step %0d cycle %0d: spike_burst_o is X", s, c);
            $finish;
          end
          sp_id[k] = spike_id;
          sp_cyc[k] = c;
          sp_burst[k] = spike_burst;
          k = k + 1;
        end
        if (spike_burst === 1'b1 && spike_valid !== 1'b1) begin
          $display("tb_ncx_core: step %0d cycle %0d: spike_burst_o without spike_valid_o", s, c);
          $finish;
        end
        if (done === 1'b1) begin
          finished = 1'b1;
          t = c;
        end else if (c > 1000000) begin
          $display("tb_ncx_core: step %0d did not finish", s);
          $finish;
        end
      end
      tick;
      $fwrite(fd, "step %0d cycles %0d\n", s, t);
      for (a = 0; a < k; a = a + 1) begin
        if (sp_burst[a]) $fwrite(fd, "spike %0d %0d burst\n", sp_id[a], sp_cyc[a]);
        else $fwrite(fd, "spike %0d %0d\n", sp_id[a], sp_cyc[a]);
      end
      $fwrite(fd, "state");
      for (a = 0; a < nn; a = a + 1) begin host_read(`NCX_SEL_STATE, a); $fwrite(fd, " %h", host_rdata[`NCX_STATE_BITS-1:0]); end
      $fwrite(fd, "\ntrace");
      for (a = 0; a < nn; a = a + 1) begin host_read(`NCX_SEL_TRACE, a); $fwrite(fd, " %h", host_rdata[`NCX_TRACE_BITS-1:0]); end
      $fwrite(fd, "\nacc");
      for (a = 0; a < nn; a = a + 1) begin host_read(`NCX_SEL_ACC, a); $fwrite(fd, " %h", host_rdata[`NCX_ACC_BITS-1:0]); end
      $fwrite(fd, "\nsyn");
      for (a = 0; a < nsyn; a = a + 1) begin host_read(`NCX_SEL_SYN, a); $fwrite(fd, " %h", host_rdata[`NCX_SYN_BITS-1:0]); end
      if (burst != 0) begin
        $fwrite(fd, "\nbstate");
        for (a = 0; a < nn; a = a + 1) begin host_read(`NCX_SEL_BSTATE, a); $fwrite(fd, " %h", host_rdata[`NCX_BSTATE_BITS-1:0]); end
        $fwrite(fd, "\nacca");
        for (a = 0; a < nn; a = a + 1) begin host_read(`NCX_SEL_ACCA, a); $fwrite(fd, " %h", host_rdata[`NCX_ACCA_BITS-1:0]); end
        host_read(`NCX_SEL_LFSR, 0);
        $fwrite(fd, "\nlfsr %h", host_rdata[`NCX_LFSR_BITS-1:0]);
      end
      if (frac != 0) begin
        $fwrite(fd, "\nwfrac");
        for (a = 0; a < nrev; a = a + 1) begin host_read(`NCX_SEL_WFRAC, a); $fwrite(fd, " %h", host_rdata[`NCX_WFRAC_BITS-1:0]); end
      end
      $fwrite(fd, "\nend\n");
    end
    $fclose(fd);
    $finish;
  end
endmodule
