// ncx_neuron_update: the phase-1 neuron datapath of docs/core-spec.md section
// 4, purely combinational. Given one neuron's parameters, state, trace and
// force bit, it produces the next state, the next trace and the spike flag.
// The terms that do not depend on i1 come in precomputed by the pipeline
// stage before (after the decay multipliers, the long path otherwise):
//   tr1, tr_spike                       (ncx_trace_update)
//   i1  = sat(decay(i, di) + acc)       (ncx_sat_add)
//   vb  = decay(v, dv) + bias           (wide, not saturated)
//   vbt = decay(v, dv) + bias - thr     (wide)
// so that v1 = sat(vb + i1) and the threshold test sat(vb + i1) >= thr,
// which is (vbt + i1 >= 0) or thr = -2^(VW-1), are two parallel adds.
// A spike sets v to vreset, or with rsub (reset by subtraction) to
// sat(v1 - thr); v1 - thr of a VW-bit v1 and thr needs VW+1 bits.
// Port names are the field names of the spec and of the Go structs
// (core.NeuronParams, core.NeuronState).
module ncx_neuron_update #(
  parameter integer VW = 16
) (
  // state word (i enters only through i1_i)
  input  wire [VW-1:0] v_i,
  input  wire [7:0]    ref_i,
  input  wire [7:0]    tr1_i,       // tdecay(tr, tr_shift), ncx_trace_update
  input  wire [7:0]    tr_spike_i,  // min(255, tr1 + tr_inc), ncx_trace_update
  input  wire          force_i,
  // param word (bias enters through vb_i and vbt_i; thr also through vbt_i
  // and thr_min_i for the threshold test)
  input  wire [VW-1:0] vreset_i,
  input  wire          rsub_i,     // reset by subtraction
  input  wire [VW-1:0] thr_i,
  input  wire [VW+2:0] vb_i,       // decay(v, dv) + bias, signed
  input  wire [VW+2:0] vbt_i,      // decay(v, dv) + bias - thr, signed
  input  wire          thr_min_i,  // thr = -2^(VW-1): every non-refractory neuron spikes
  input  wire [VW-1:0] i1_i,       // sat(decay(i, di) + acc), ncx_sat_add
  input  wire [7:0]    tref_i,
  // next state
  output wire [VW-1:0] v_o,
  output wire [VW-1:0] i_o,
  output wire [7:0]    ref_o,
  output wire [7:0]    tr_o,
  output wire          spike_o
);
  // Wide signed intermediates: a decayed value is at most 2^(VW+1) in
  // magnitude (m <= 8191), so decay + bias - thr + i1 fits VW+3 bits.
  localparam integer XW = VW + 3;

  // sat(x): clamp to the VW-bit signed range.
  function [VW-1:0] sat;
    input [XW-1:0] x;
    begin
      if (!x[XW-1] && (x[XW-2:VW-1] != {(XW-VW){1'b0}})) begin
        sat = {1'b0, {(VW-1){1'b1}}};
      end else if (x[XW-1] && (x[XW-2:VW-1] != {(XW-VW){1'b1}})) begin
        sat = {1'b1, {(VW-1){1'b0}}};
      end else begin
        sat = x[VW-1:0];
      end
    end
  endfunction

  function [XW-1:0] sext;
    input [VW-1:0] x;
    begin
      sext = {{(XW-VW){x[VW-1]}}, x};
    end
  endfunction

  wire [VW-1:0] i1 = i1_i;
  wire [VW-1:0] v_int = sat(vb_i + sext(i1));
  // sat(x) >= thr  <=>  x - thr >= 0, except that a saturated-low x still
  // reaches thr = -2^(VW-1)
  wire [XW-1:0] v_thr = vbt_i + sext(i1);
  wire          at_thr = !v_thr[XW-1] || thr_min_i;
  wire          refractory = (ref_i != 8'd0);
  wire [VW-1:0] v1 = refractory ? v_i : v_int;
  wire [7:0]    ref1 = refractory ? (ref_i - 8'd1) : 8'd0;
  wire          spike = force_i | (!refractory && at_thr);


`ifdef NCX_INJECT_BUG
  // Deliberate off-by-one in the refractory reload, used by the testbench to
  // show that the differential test catches a one-LSB RTL error.
  wire [7:0] tref_reload = tref_i + 8'd1;
`else
  wire [7:0] tref_reload = tref_i;
`endif

  wire [VW-1:0] v_sub = sat(sext(v1) - sext(thr_i));

  assign v_o     = spike ? (rsub_i ? v_sub : vreset_i) : v1;
  assign i_o     = i1;
  assign ref_o   = spike ? tref_reload : ref1;
  assign tr_o    = spike ? tr_spike_i : tr1_i;
  assign spike_o = spike;
endmodule
