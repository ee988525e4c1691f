// ncx_burst_decide: the burst decision and pbar/err update of
// docs/core-spec.md section 8.2, purely combinational. For a burst unit that
// spikes (bu_i & spike_i), with p = lut[idx]:
//   bmode 0: burst = (p >= 128)
//   bmode 1: lfsr = next(lfsr); burst = (lfsr[7:0] < p)
//   b8    = burst ? 255 : 0
//   err1  = b8 - ((pbar + 128) >> 8)                   (9-bit signed)
//   pbar1 = pbar + (((b8 << 8) - pbar) >>> pshift)     (UQ8.8, 0..65280)
// otherwise pbar and err pass through. lfsr_next_i is next(lfsr), computed
// once in the core; step_o says that this event consumes it.
module ncx_burst_decide (
  input  wire        bu_i,
  input  wire        bmode_i,
  input  wire        spike_i,
  input  wire [7:0]  p_i,
  input  wire [7:0]  lfsr_next_i,  // low byte of next(lfsr)
  input  wire [15:0] pbar_i,       // UQ8.8
  input  wire [8:0]  err_i,        // signed
  input  wire [2:0]  pshift_i,
  output wire        burst_o,
  output wire        step_o,
  output wire [15:0] pbar_o,
  output wire [8:0]  err_o
);
  wire        event_ = bu_i & spike_i;
`ifdef NCX_INJECT_BURST_BUG
  // deliberate off-by-one for TestInjectedBurstBugIsCaught: bursts also when the LFSR byte equals p
  wire        burst  = event_ & (bmode_i ? (lfsr_next_i <= p_i) : p_i[7]);
`else
  wire        burst  = event_ & (bmode_i ? (lfsr_next_i < p_i) : p_i[7]);
`endif
  wire [8:0]  b8     = burst ? 9'd255 : 9'd0;
  // (pbar + 128) >> 8 is 0..255 for pbar <= 65280; pbar beyond (a bad image)
  // wraps here as in a 16-bit datapath
  /* verilator lint_off UNUSEDSIGNAL */
  wire [16:0] pround = {1'b0, pbar_i} + 17'd128;
  /* verilator lint_on UNUSEDSIGNAL */
  wire [8:0]  err1   = b8 - {1'b0, pround[15:8]};
  // (b8 << 8) - pbar: 18-bit signed
  wire [17:0] diff   = {1'b0, b8[7:0], 8'd0} - {2'b00, pbar_i};
  wire [17:0] delta  = $signed(diff) >>> pshift_i;
  /* verilator lint_off UNUSEDSIGNAL */
  wire [17:0] pbar1  = {2'b00, pbar_i} + delta;  // stays in 0..65280: the top bits are discarded
  /* verilator lint_on UNUSEDSIGNAL */

  assign burst_o = burst;
  assign step_o  = event_ & bmode_i;
  assign pbar_o  = event_ ? pbar1[15:0] : pbar_i;
  assign err_o   = event_ ? err1 : err_i;
endmodule
