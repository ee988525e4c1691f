# The board logic every ncx_board top builds from, one file of hdl/board a
# line: driver/rtlboard, hdl/board/bitstream.sh, hdl/cmoda7/synth.sh and
# build.tcl and testbench's lint read this list. Not here: the tops
# (ncx_icebreaker.v, ../cmoda7/ncx_cmoda7.v), the simulation model of the
# iCE40 SPRAM (SB_SPRAM256KA.v) and the UART test bench (ncx_uart_tb.v).
ncx_board.v
ncx_cmd_engine.v
ncx_frame_rx.v
ncx_frame_tx.v
ncx_spike_queue.v
ncx_sp_ram.v
ncx_crc16.v
ncx_uart_rx.v
ncx_uart_tx.v
