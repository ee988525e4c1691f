// ncx_uart_tx: 8N1 UART transmitter, LSB first (docs/protocol.md section 1).
// ClkHz / Baud is the number of clock cycles per bit (rounded down).
// Synchronous active-high reset: the FPGA targets reset registers on the
// clock edge, and the UART never needs to act without a clock.
module ncx_uart_tx #(
  parameter integer ClkHz = 100_000_000,
  parameter integer Baud  = 1_000_000
) (
  input  wire       clk_i,
  input  wire       rst_ni,  // synchronous, active low
  input  wire [7:0] data_i,   // byte to send, taken when valid_i && ready_o
  input  wire       valid_i,
  output wire       ready_o,  // idle: a new byte may be given
  output wire       tx_o      // serial line, idle high
);
  localparam integer Div = ClkHz / Baud;
  localparam integer CW  = $clog2(Div + 1);
  localparam integer DivM1I = Div - 1;
  localparam [CW-1:0] DivM1 = DivM1I[CW-1:0];

  reg [9:0]    shift_q;  // stop bit, data, start bit (LSB goes out first)
  reg [3:0]    bits_q;   // bits left to send
  reg [CW-1:0] cnt_q;    // cycles left in the current bit

  assign ready_o = (bits_q == 4'd0);
  assign tx_o    = ready_o ? 1'b1 : shift_q[0];

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      shift_q <= 10'h3ff;
      bits_q  <= 4'd0;
      cnt_q   <= {CW{1'b0}};
    end else if (ready_o) begin
      if (valid_i) begin
        shift_q <= {1'b1, data_i, 1'b0};
        bits_q  <= 4'd10;
        cnt_q   <= DivM1;
      end
    end else if (cnt_q != {CW{1'b0}}) begin
      cnt_q <= cnt_q - 1'b1;
    end else begin
      shift_q <= {1'b1, shift_q[9:1]};
      bits_q  <= bits_q - 4'd1;
      cnt_q   <= DivM1;
    end
  end
endmodule
