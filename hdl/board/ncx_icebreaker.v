// ncx_icebreaker: ncx-core board top for the 1BitSquared iCEBreaker (iCE40
// UP5K-SG48, 12 MHz oscillator, FTDI FT2232H channel B as the UART), with
// the up5k profile (NB=8 SB=10 RB=9 VW=16, no burst units). Pins in
// icebreaker.pcf. A power-on counter (and the user button BTN_N) holds the
// design in synchronous reset for 16 cycles. Green LED: a run is in
// progress; red LED: a corrupted frame has arrived since reset. The profile
// parameters are there for simulation (driver/rtlboard builds a tiny/burst
// variant too); the iCEBreaker build keeps the defaults.
module ncx_icebreaker #(
  parameter integer ClkHz = 12_000_000,
  parameter integer Baud  = 1_000_000,
  parameter integer NB    = 8,
  parameter integer SB    = 10,
  parameter integer RB    = 9,
  parameter integer VW    = 16,
  parameter integer Burst = 0
) (
  input  wire CLK,     // 12 MHz
  input  wire RX,      // from the host (FTDI TXD)
  output wire TX,      // to the host (FTDI RXD)
  input  wire BTN_N,   // user button, active low: reset
  output wire LEDR_N,
  output wire LEDG_N
);
  reg [3:0] por_q = 4'd0;
  reg       rst_n_q = 1'b0;

  always @(posedge CLK) begin
    if (!BTN_N) begin
      por_q <= 4'd0;
    end else if (por_q != 4'hF) begin
      por_q <= por_q + 4'd1;
    end
    rst_n_q <= (por_q == 4'hF);
  end

  wire running, error;

  ncx_board #(
    .NB(NB), .SB(SB), .RB(RB), .VW(VW), .Burst(Burst),
    .ClkHz(ClkHz), .Baud(Baud),
    .MaxPayload(240), .Window(2), .RxBits(9), .QBits(7),
    .NameLen(14), .Name("ncx-icebreaker")
  ) u_board (
    .clk_i(CLK), .rst_ni(rst_n_q), .rx_i(RX), .tx_o(TX), .running_o(running), .error_o(error));

  assign LEDG_N = !running;
  assign LEDR_N = !error;
endmodule
