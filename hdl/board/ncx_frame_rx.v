// ncx_frame_rx: the board's receive side. Bytes of ncx_uart_rx go into a
// ring of 2^RxBits bytes (ncx_ram, one EBR; bytes arriving while it is full
// are lost, which the host's CRC and sequence checks catch). The frame at
// the ring's base is parsed on request: sync hunt (A5 5A), length limit
// (MaxPayload), CRC-16/CCITT-FALSE over seq..payload; on any failure the
// base skips one byte so the next parse hunts from there; a partial frame
// with no byte for IdleCycles is stale and fails the same way.
//
// The command engine owns the shift register wsh (ShBI bytes) that holds
// what is read from the ring: this module shifts bytes into it (sh_o,
// sh_byte_o at the top, ShBI shifts a load) and reads it back (wsh_i) for
// the header and the received CRC. Requests, each held until its answer:
//   parse_i  parse the frame at the base: one cycle of ok_o (a good frame,
//            seq_o, cmd_o, len_o its header, still in the ring), hunt_o (no
//            sync at the base: skipped a byte) or bad_o (too long, stale or
//            a bad CRC: skipped a byte)
//   load_i   shift ld_n_i bytes of the ring from the read pointer into wsh
//            (zeros after them), answered by one cycle of ld_done_o; the
//            read pointer moves past them
// and strobes: seek_i sets the read pointer to base + seek_off_i; consume_i
// drops the parsed frame (the base moves past it). pending_o: the ring holds
// a byte.
module ncx_frame_rx #(
  parameter integer ClkHz      = 12_000_000,
  parameter integer Baud       = 1_000_000,
  parameter integer MaxPayload = 240,
  parameter integer RxBits     = 9,
  parameter integer IdleCycles = ClkHz / 25,
  parameter integer ShBI       = 12   // bytes of the engine's shift register (ncx_board)
) (
  input  wire              clk_i,
  input  wire              rst_ni,
  input  wire              rx_i,
  // parser
  input  wire              parse_i,
  output wire              ok_o,
  output wire              hunt_o,
  output wire              bad_o,
  output reg  [7:0]        seq_o,
  output reg  [7:0]        cmd_o,
  output reg  [12:0]       len_o,
  output wire              pending_o,
  input  wire              consume_i,
  // reads of the ring into the engine's shift register
  input  wire              seek_i,
  input  wire [3:0]        seek_off_i,
  input  wire              load_i,
  input  wire [3:0]        ld_n_i,
  output wire              ld_done_o,
  output wire              sh_o,
  output wire [7:0]        sh_byte_o,
  /* verilator lint_off UNUSEDSIGNAL */
  input  wire [8*ShBI-1:0] wsh_i      // the header and CRC bytes are its low 6
  /* verilator lint_on UNUSEDSIGNAL */
);
  localparam integer MaxPlI = MaxPayload, ShBm1I = ShBI - 1, Off2I = 2;
  localparam [12:0] MaxPl = MaxPlI[12:0];
  localparam [3:0]  ShBm1 = ShBm1I[3:0];
  localparam [RxBits-1:0] Off2 = Off2I[RxBits-1:0];
  localparam integer IdleI = (IdleCycles < 16_000_000) ? IdleCycles : 16_000_000;
  localparam [23:0] IdleMax = IdleI[23:0];

  // RIdle waits for a request; RLd1/RLd2 read one byte of a load and shift
  // it in; the others are the parser's
  localparam [3:0] RIdle = 4'd0, RHdr = 4'd1, RWBody = 4'd2, RCrc1 = 4'd3, RCrc2 = 4'd4,
                   RCrcChk = 4'd5, RLd1 = 4'd6, RLd2 = 4'd7;

  wire       rx_valid;
  wire [7:0] rx_data;
  /* verilator lint_off PINCONNECTEMPTY */
  ncx_uart_rx #(.ClkHz(ClkHz), .Baud(Baud)) u_rx (
    .clk_i(clk_i), .rst_ni(rst_ni), .rx_i(rx_i), .data_o(rx_data), .valid_o(rx_valid), .frame_err_o());
  /* verilator lint_on PINCONNECTEMPTY */

  reg  [3:0]        state_q, ret_q;
  reg  [RxBits:0]   wr_q, base_q;
  reg  [RxBits-1:0] rd_addr_q;
  reg  [23:0]       idle_q;  // cycles left until a partial frame is stale
  reg  [3:0]        ld_i_q, ld_n_q;
  reg  [15:0]       crc_q;
  reg  [12:0]       cnt_q;
  wire [7:0]        rd_data;
  wire [15:0]       crc_next;
  wire [RxBits:0]   avail = wr_q - base_q;
  wire              rx_full = avail[RxBits];
  wire              timeout = idle_q == 24'd0;
  wire [12:0]       frame_len = len_o + 13'd8;
  wire [31:0]       need32  = {19'd0, frame_len};
  wire [31:0]       avail32 = {{(31-RxBits){1'b0}}, avail};
  wire [RxBits:0]   need = need32[RxBits:0];

  ncx_ram #(.Width(8), .AddrBits(RxBits)) u_ring (
    .clk_i(clk_i), .we_i(rx_valid && !rx_full), .waddr_i(wr_q[RxBits-1:0]), .wdata_i(rx_data),
    .re_i(1'b1), .raddr_i(rd_addr_q), .rdata_o(rd_data));
  ncx_crc16 u_crc (.crc_i(crc_q), .data_i(rd_data), .crc_o(crc_next));

  wire sync_bad = wsh_i[7:0] != 8'hA5 || wsh_i[15:8] != 8'h5A;
  wire too_long = wsh_i[47:32] > {3'd0, MaxPl};
  wire stale    = (state_q == RIdle && parse_i && avail32 < 32'd6) ||
                  (state_q == RWBody && avail32 < need32);
  assign hunt_o    = state_q == RHdr && sync_bad;
  assign bad_o     = (state_q == RHdr && !sync_bad && too_long) || (stale && timeout) ||
                     (state_q == RCrcChk && wsh_i[15:0] != crc_q);
  assign ok_o      = state_q == RCrcChk && wsh_i[15:0] == crc_q;
  assign ld_done_o = state_q == RLd2 && ld_i_q == ShBm1 && ret_q == RIdle;
  assign sh_o      = state_q == RLd2;
  assign sh_byte_o = (ld_i_q < ld_n_q) ? rd_data : 8'd0;
  assign pending_o = avail != {(RxBits+1){1'b0}};

  task load;  // n bytes of the ring from addr into wsh, then ret
    input [RxBits-1:0] addr;
    input [3:0]        n;
    input [3:0]        ret;
    begin
      rd_addr_q <= addr;
      ld_n_q    <= n;
      ret_q     <= ret;
      state_q   <= RLd1;
    end
  endtask

  always @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= RIdle;
      ret_q <= RIdle;
      wr_q <= {(RxBits+1){1'b0}};
      base_q <= {(RxBits+1){1'b0}};
      rd_addr_q <= {RxBits{1'b0}};
      idle_q <= IdleMax;
      ld_i_q <= 4'd0;
      ld_n_q <= 4'd0;
      crc_q <= 16'hFFFF;
      cnt_q <= 13'd0;
      seq_o <= 8'd0;
      cmd_o <= 8'd0;
      len_o <= 13'd0;
    end else begin
      if (rx_valid) begin
        idle_q <= IdleMax;
        if (!rx_full) begin
          wr_q <= wr_q + 1'b1;
        end
      end else if (!timeout) begin
        idle_q <= idle_q - 24'd1;
      end
      if (consume_i) begin
        base_q <= base_q + need;
      end
      if (seek_i) begin
        rd_addr_q <= base_q[RxBits-1:0] + {{(RxBits-4){1'b0}}, seek_off_i};
      end

      case (state_q)
        RIdle: begin
          if (load_i) begin  // the ring reads rd_addr on this edge (as RLd1)
            rd_addr_q <= rd_addr_q + 1'b1;
            ld_n_q <= ld_n_i;
            ret_q <= RIdle;
            state_q <= RLd2;
          end else if (parse_i) begin  // wait for a header
            if (avail32 >= 32'd6) begin
              load(base_q[RxBits-1:0], 4'd6, RHdr);
            end else if (timeout) begin
              base_q <= base_q + 1'b1;
            end
          end
        end
        RHdr: begin
          seq_o <= wsh_i[23:16];
          cmd_o <= wsh_i[31:24];
          len_o <= wsh_i[44:32];
          if (sync_bad || too_long) begin  // hunt_o, bad_o
            base_q <= base_q + 1'b1;
            state_q <= RIdle;
          end else begin
            state_q <= RWBody;
          end
        end
        RWBody: begin  // wait for the rest of the frame
          if (avail32 >= need32) begin
            rd_addr_q <= base_q[RxBits-1:0] + Off2;
            crc_q <= 16'hFFFF;
            cnt_q <= len_o + 13'd4;
            state_q <= RCrc1;
          end else if (timeout) begin  // bad_o
            base_q <= base_q + 1'b1;
            state_q <= RIdle;
          end
        end
        RCrc1: begin
          if (cnt_q == 13'd0) begin
            load(rd_addr_q, 4'd2, RCrcChk);
          end else begin
            rd_addr_q <= rd_addr_q + 1'b1;
            state_q <= RCrc2;
          end
        end
        RCrc2: begin
          crc_q <= crc_next;
          cnt_q <= cnt_q - 13'd1;
          state_q <= RCrc1;
        end
        RCrcChk: begin  // ok_o or bad_o
          if (wsh_i[15:0] != crc_q) begin
            base_q <= base_q + 1'b1;
          end
          state_q <= RIdle;
        end
        RLd1: begin  // the ring reads rd_addr on this edge
          rd_addr_q <= rd_addr_q + 1'b1;
          state_q <= RLd2;
        end
        RLd2: begin  // sh_o: a byte shifts in at the top; ShBI shifts in all
          ld_i_q <= ld_i_q + 4'd1;
          if (ld_i_q == ShBm1) begin
            ld_i_q <= 4'd0;
            state_q <= ret_q;
          end else if (ld_i_q + 4'd1 < ld_n_q) begin
            state_q <= RLd1;
          end
        end
        default: state_q <= RIdle;
      endcase
    end
  end
endmodule
