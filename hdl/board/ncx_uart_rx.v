// ncx_uart_rx: 8N1 UART receiver, LSB first (docs/protocol.md section 1).
// Two-flop synchroniser on the line; the start bit is confirmed at its middle
// and every data bit sampled at its middle. A missing stop bit raises
// frame_err_o for one cycle instead of valid_o. Synchronous active-high reset.
module ncx_uart_rx #(
  parameter integer ClkHz = 100_000_000,
  parameter integer Baud  = 1_000_000
) (
  input  wire       clk_i,
  input  wire       rst_ni,  // synchronous, active low
  input  wire       rx_i,        // serial line, idle high
  output reg  [7:0] data_o,      // received byte, valid with valid_o
  output reg        valid_o,     // one-cycle pulse per byte
  output reg        frame_err_o  // one-cycle pulse: stop bit was low
);
  localparam integer Div = ClkHz / Baud;
  localparam integer CW  = $clog2(Div + 1);
  localparam integer DivM1I = Div - 1;
  localparam integer HalfI  = Div / 2 - 1;
  localparam [CW-1:0] DivM1 = DivM1I[CW-1:0];
  localparam [CW-1:0] Half  = HalfI[CW-1:0];

  localparam [1:0] StIdle = 2'd0, StStart = 2'd1, StData = 2'd2, StStop = 2'd3;

  reg [1:0]    sync_q;
  reg [1:0]    state_q;
  reg [CW-1:0] cnt_q;
  reg [2:0]    bit_q;
  reg [7:0]    shift_q;

  wire rx = sync_q[1];

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      sync_q      <= 2'b11;
      state_q     <= StIdle;
      cnt_q       <= {CW{1'b0}};
      bit_q       <= 3'd0;
      shift_q     <= 8'd0;
      data_o      <= 8'd0;
      valid_o     <= 1'b0;
      frame_err_o <= 1'b0;
    end else begin
      sync_q      <= {sync_q[0], rx_i};
      valid_o     <= 1'b0;
      frame_err_o <= 1'b0;
      case (state_q)
        StIdle: begin
          if (!rx) begin
            state_q <= StStart;
            cnt_q   <= Half;
          end
        end
        StStart: begin
          if (cnt_q != {CW{1'b0}}) begin
            cnt_q <= cnt_q - 1'b1;
          end else if (rx) begin
            state_q <= StIdle;  // a glitch, not a start bit
          end else begin
            state_q <= StData;
            bit_q   <= 3'd0;
            cnt_q   <= DivM1;
          end
        end
        StData: begin
          if (cnt_q != {CW{1'b0}}) begin
            cnt_q <= cnt_q - 1'b1;
          end else begin
            shift_q <= {rx, shift_q[7:1]};
            cnt_q   <= DivM1;
            if (bit_q == 3'd7) begin
              state_q <= StStop;
            end
            bit_q <= bit_q + 3'd1;
          end
        end
        StStop: begin
          if (cnt_q != {CW{1'b0}}) begin
            cnt_q <= cnt_q - 1'b1;
          end else begin
            state_q <= StIdle;
            if (rx) begin
              data_o  <= shift_q;
              valid_o <= 1'b1;
            end else begin
              frame_err_o <= 1'b1;
            end
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end
endmodule
