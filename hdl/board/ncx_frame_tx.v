// ncx_frame_tx: the board's frame sender (docs/protocol.md section 2): sync
// A5 5A, seq, cmd, len (u16, little endian), len payload bytes, CRC-16/
// CCITT-FALSE over seq..payload (low byte first), out of ncx_uart_tx.
//
// The command engine holds go_i high from the cycle after it asks for a
// frame (seq_i, cmd_i, len_i steady) until done_o, which is high for the
// one cycle that ends the frame: the engine leaves its wait on that edge and
// the sender is idle again on the next. The payload comes by index: while
// pl_req_o is high the sender waits for byte pl_idx_o; the engine answers
// with pl_valid_i and pl_byte_i, in the same cycle or a few later (it may
// have to read the core, the counter RAM or the spike buffer first), and
// the byte goes out on that edge.
module ncx_frame_tx #(
  parameter integer ClkHz = 12_000_000,
  parameter integer Baud  = 1_000_000
) (
  input  wire        clk_i,
  input  wire        rst_ni,
  input  wire        go_i,
  input  wire [7:0]  seq_i,
  input  wire [7:0]  cmd_i,
  input  wire [12:0] len_i,
  output wire        pl_req_o,
  output wire [12:0] pl_idx_o,
  input  wire        pl_valid_i,
  input  wire [7:0]  pl_byte_i,
  output wire        done_o,
  output wire        tx_o
);
  // header (idx counts its bytes), payload, CRC, one byte on the UART
  localparam [1:0] THdr = 2'd0, TPay = 2'd1, TCrc = 2'd2, TByte = 2'd3;

  reg  [1:0]  state_q, ret_q;
  reg  [12:0] idx_q;
  reg  [15:0] crc_q;
  reg  [7:0]  data_q;
  reg         crc_on_q;
  wire        ready;
  wire [15:0] crc_next;

  ncx_uart_tx #(.ClkHz(ClkHz), .Baud(Baud)) u_tx (
    .clk_i(clk_i), .rst_ni(rst_ni), .data_i(data_q), .valid_i(state_q == TByte), .ready_o(ready), .tx_o(tx_o));
  ncx_crc16 u_crc (.crc_i(crc_q), .data_i(data_q), .crc_o(crc_next));

  wire [7:0] hdr_byte = (idx_q[2:0] == 3'd0) ? 8'hA5 :
                        (idx_q[2:0] == 3'd1) ? 8'h5A :
                        (idx_q[2:0] == 3'd2) ? seq_i :
                        (idx_q[2:0] == 3'd3) ? cmd_i :
                        (idx_q[2:0] == 3'd4) ? len_i[7:0] : {3'd0, len_i[12:8]};

  assign pl_req_o = state_q == TPay && idx_q != len_i;
  assign pl_idx_o = idx_q;
  assign done_o   = state_q == TCrc && idx_q == 13'd2;

  task send_byte;  // b on the UART (into the CRC when crc_on), then ret
    input [7:0] b;
    input       crc_on;
    input [1:0] ret;
    begin
      data_q   <= b;
      crc_on_q <= crc_on;
      ret_q    <= ret;
      state_q  <= TByte;
    end
  endtask

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= THdr;
      ret_q <= THdr;
      idx_q <= 13'd0;
      crc_q <= 16'hFFFF;
      data_q <= 8'd0;
      crc_on_q <= 1'b0;
    end else begin
      case (state_q)
        THdr: begin
          if (go_i) begin
            if (idx_q == 13'd6) begin
              idx_q <= 13'd0;
              state_q <= TPay;
            end else begin
              if (idx_q == 13'd0) begin
                crc_q <= 16'hFFFF;
              end
              idx_q <= idx_q + 13'd1;
              send_byte(hdr_byte, idx_q >= 13'd2, THdr);
            end
          end
        end
        TPay: begin
          if (idx_q == len_i) begin
            idx_q <= 13'd0;
            state_q <= TCrc;
          end else if (pl_valid_i) begin
            idx_q <= idx_q + 13'd1;
            send_byte(pl_byte_i, 1'b1, TPay);
          end
        end
        TCrc: begin  // low byte first
          if (idx_q == 13'd0) begin
            idx_q <= 13'd1;
            send_byte(crc_q[7:0], 1'b0, TCrc);
          end else if (idx_q == 13'd1) begin
            idx_q <= 13'd2;
            send_byte(crc_q[15:8], 1'b0, TCrc);
          end else begin  // done_o
            idx_q <= 13'd0;
            state_q <= THdr;
          end
        end
        default: begin  // TByte
          if (ready) begin
            if (crc_on_q) begin
              crc_q <= crc_next;
            end
            state_q <= ret_q;
          end
        end
      endcase
    end
  end
endmodule
