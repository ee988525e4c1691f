// ncx_cmoda7: ncx-core board top for the Digilent CMod A7-35T (Artix-7
// XC7A35T-1CPG236C, 12 MHz oscillator, FTDI FT2232HQ channel B as the
// USB-UART), the board NeuroCoreX ships on. Pins in ncx_cmoda7.xdc.
//
// The a7 core profile (NB=10 SB=15 RB=14 VW=16, burst units on) behind the
// same ncx_board as the iCEBreaker, with the input queue and spike buffer in
// inferred block RAM (Spram = 0) since the Artix-7 has no SPRAM, and the
// core's per-neuron memories state, bstate, trace, spk and fanout in LUTRAM
// (NeuronStyle = "distributed"): with every memory in block RAM the a7 core
// and board need 54 of the part's 50 RAMB36 by Yosys's mapping, with these
// five in LUTRAM 48 (docs/rtl.md). The design runs straight off the 12 MHz
// pin: the UART needs 12 cycles a bit at 1 Mbaud, and a clock wizard would
// only add a Vivado IP dependency.
//
// A power-on counter (and BTN0, active high on this board) holds the design
// in synchronous reset for 16 cycles. LED1: a run is in progress; LED2: a
// corrupted frame has arrived since reset. The RGB LED (active low, and
// bright enough to glare at full duty) shows the same at 1/16 duty: blue
// idle, green running, red after a corrupted frame.
module ncx_cmoda7 #(
  parameter integer ClkHz = 12_000_000,
  parameter integer Baud  = 1_000_000,
  parameter integer NB    = 10,
  parameter integer SB    = 15,
  parameter integer RB    = 14,
  parameter integer VW    = 16,
  parameter integer Burst = 1,
  parameter NeuronStyle   = "distributed"
) (
  input  wire       sysclk,        // 12 MHz
  input  wire       uart_txd_in,   // from the host (FTDI TXD)
  output wire       uart_rxd_out,  // to the host (FTDI RXD)
  input  wire       btn0,          // active high: reset
  output wire [1:0] led,           // active high
  output wire       led0_r,        // active low
  output wire       led0_g,
  output wire       led0_b
);
  reg [3:0] por_q = 4'd0;
  reg       rst_n_q = 1'b0;
  reg [3:0] pwm_q = 4'd0;

  always @(posedge sysclk) begin
    if (btn0) begin
      por_q <= 4'd0;
    end else if (por_q != 4'hF) begin
      por_q <= por_q + 4'd1;
    end
    rst_n_q <= (por_q == 4'hF);
    pwm_q <= pwm_q + 4'd1;
  end

  wire running, error;

  ncx_board #(
    .NB(NB), .SB(SB), .RB(RB), .VW(VW), .Burst(Burst),
    .ClkHz(ClkHz), .Baud(Baud),
    .MaxPayload(240), .Window(2), .RxBits(9), .QBits(7),
    .NameLen(10), .Name("ncx-cmoda7"), .Spram(0), .NeuronStyle(NeuronStyle)
  ) u_board (
    .clk_i(sysclk), .rst_ni(rst_n_q), .rx_i(uart_txd_in), .tx_o(uart_rxd_out), .running_o(running),
    .error_o(error));

  wire dim = (pwm_q == 4'd0);
  assign led    = {error, running};
  assign led0_r = !(dim && error);
  assign led0_g = !(dim && !error && running);
  assign led0_b = !(dim && !error && !running);
endmodule
