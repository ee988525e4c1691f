// ncx_burst_decide: the burst decision and pbar/err update of
// docs/core-spec.md section 8.2, purely combinational. For a burst unit that
// spikes (bu_i & spike_i), with p = lut[idx]:
//   bmode 0: burst = (p >= 128)
//   bmode 1: lfsr = next(lfsr); burst = (lfsr[7:0] < p)
//   err1  = (burst ? 255 : 0) - pbar            (9-bit signed)
//   pbar1 = pbar + (err1 >>> pshift)
// otherwise pbar and err pass through. lfsr_next_i is next(lfsr), computed
// once in the core; step_o says that this event consumes it.
module ncx_burst_decide (
  input  wire       bu_i,
  input  wire       bmode_i,
  input  wire       spike_i,
  input  wire [7:0] p_i,
  input  wire [7:0] lfsr_next_i,  // low byte of next(lfsr)
  input  wire [7:0] pbar_i,
  input  wire [8:0] err_i,        // signed
  input  wire [2:0] pshift_i,
  output wire       burst_o,
  output wire       step_o,
  output wire [7:0] pbar_o,
  output wire [8:0] err_o
);
  wire       event_  = bu_i & spike_i;
  wire       burst   = event_ & (bmode_i ? (lfsr_next_i < p_i) : p_i[7]);
  wire [8:0] target  = burst ? 9'd255 : 9'd0;
  wire [8:0] err1    = target - {1'b0, pbar_i};
  wire [8:0] delta   = $signed(err1) >>> pshift_i;
  /* verilator lint_off UNUSEDSIGNAL */
  wire [8:0] pbar1   = {1'b0, pbar_i} + delta;  // stays in 0..255: bit 8 is the discarded carry
  /* verilator lint_on UNUSEDSIGNAL */

  assign burst_o = burst;
  assign step_o  = event_ & bmode_i;
  assign pbar_o  = event_ ? pbar1[7:0] : pbar_i;
  assign err_o   = event_ ? err1 : err_i;
endmodule
