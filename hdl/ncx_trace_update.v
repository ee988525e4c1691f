// ncx_trace_update: the trace update of docs/core-spec.md section 4, purely
// combinational. It gives both outcomes, for the neuron update to choose
// from once the spike is known (pipeline stage 2); the trace and its
// parameters come straight from the RAMs (stage 1):
//   tr1      = tdecay(tr, tr_shift) = tr - ((tr + 2^k - 1) >> k)
//   tr_spike = min(255, tr1 + tr_inc)
module ncx_trace_update (
  input  wire [7:0] tr_i,
  input  wire [2:0] tr_shift_i,
  input  wire [7:0] tr_inc_i,
  output wire [7:0] tr1_o,
  output wire [7:0] tr_spike_o
);
  wire [8:0] tr_round = {1'b0, tr_i} + ((9'd1 << tr_shift_i) - 9'd1);
  /* verilator lint_off UNUSEDSIGNAL */
  wire [8:0] tr_dec   = tr_round >> tr_shift_i;  // at most 255: bit 8 is zero
  /* verilator lint_on UNUSEDSIGNAL */
  wire [7:0] tr1      = tr_i - tr_dec[7:0];
  wire [8:0] tr_bump  = {1'b0, tr1} + {1'b0, tr_inc_i};

  assign tr1_o      = tr1;
  assign tr_spike_o = tr_bump[8] ? 8'd255 : tr_bump[7:0];
endmodule
