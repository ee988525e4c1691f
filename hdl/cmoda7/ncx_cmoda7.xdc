# Pins of ncx_cmoda7 on the Digilent CMod A7-35T (XC7A35T-1CPG236C). Package
# pins and bank voltages are the board's facts as published in Digilent's
# CMod A7 rev. B master XDC; the port names are ncx_cmoda7's.

# 12 MHz oscillator (IO_L12P_T1_MRCC_14, a clock-capable pin)
set_property -dict { PACKAGE_PIN L17 IOSTANDARD LVCMOS33 } [get_ports sysclk]
create_clock -name sysclk -period 83.333 [get_ports sysclk]

# FT2232HQ channel B: uart_txd_in is the host's transmit line into the FPGA,
# uart_rxd_out the FPGA's transmit line to the host.
set_property -dict { PACKAGE_PIN J17 IOSTANDARD LVCMOS33 } [get_ports uart_txd_in]
set_property -dict { PACKAGE_PIN J18 IOSTANDARD LVCMOS33 } [get_ports uart_rxd_out]

# BTN0 (reset). BTN1 (B18) is not used.
set_property -dict { PACKAGE_PIN A18 IOSTANDARD LVCMOS33 } [get_ports btn0]

# LD1, LD2
set_property -dict { PACKAGE_PIN A17 IOSTANDARD LVCMOS33 } [get_ports {led[0]}]
set_property -dict { PACKAGE_PIN C16 IOSTANDARD LVCMOS33 } [get_ports {led[1]}]

# RGB LED LD0
set_property -dict { PACKAGE_PIN C17 IOSTANDARD LVCMOS33 } [get_ports led0_r]
set_property -dict { PACKAGE_PIN B16 IOSTANDARD LVCMOS33 } [get_ports led0_g]
set_property -dict { PACKAGE_PIN B17 IOSTANDARD LVCMOS33 } [get_ports led0_b]

# The UART, button and LEDs are asynchronous to sysclk (the receiver
# oversamples its line, the rest is human-speed): no I/O timing to meet.
set_false_path -from [get_ports {uart_txd_in btn0}]
set_false_path -to [get_ports {uart_rxd_out led[*] led0_r led0_g led0_b}]

# Configuration bank voltage (bank 0 at 3.3 V on this board).
set_property CFGBVS VCCO [current_design]
set_property CONFIG_VOLTAGE 3.3 [current_design]
