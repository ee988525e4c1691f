// SB_SPRAM256KA: behavioural model of the iCE40 UP5K single-port RAM
// (16K x 16) for simulation only (Verilator, Icarus). Synthesis (yosys
// defines SYNTHESIS) skips this file and maps the primitive of the cell
// library. On a clock edge with CHIPSELECT high: WREN high writes the
// nibbles of DATAIN enabled by MASKWREN (bit k: DATAIN[4k+3:4k]) and leaves
// DATAOUT as it was; WREN low reads, DATAOUT = mem[ADDRESS] after the edge.
// STANDBY, SLEEP and POWEROFF (active low) are not modelled. The array
// starts undefined, as on the device.
`ifndef SYNTHESIS
module SB_SPRAM256KA (
  input  wire [13:0] ADDRESS,
  input  wire [15:0] DATAIN,
  input  wire [3:0]  MASKWREN,
  input  wire        WREN,
  input  wire        CHIPSELECT,
  input  wire        CLOCK,
  /* verilator lint_off UNUSEDSIGNAL */
  input  wire        STANDBY,
  input  wire        SLEEP,
  input  wire        POWEROFF,
  /* verilator lint_on UNUSEDSIGNAL */
  output reg  [15:0] DATAOUT
);
  reg [15:0] mem_q [0:16383];
  integer k;

  always @(posedge CLOCK) begin
    if (CHIPSELECT) begin
      if (WREN) begin
        for (k = 0; k < 4; k = k + 1) begin
          if (MASKWREN[k]) begin
            mem_q[ADDRESS][4*k +: 4] <= DATAIN[4*k +: 4];
          end
        end
      end else begin
        DATAOUT <= mem_q[ADDRESS];
      end
    end
  end
endmodule
`endif
