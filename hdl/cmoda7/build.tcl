# Vivado non-project batch flow for ncx_cmoda7 (run by bitstream.sh):
#   vivado -mode batch -source build.tcl -tclargs HDL_DIR OUT_DIR
# Reads the core (hdl/*.v), the board logic (hdl/board) and the CMod A7 top
# with its constraints, then synthesises, places, routes and writes
# OUT_DIR/ncx_cmoda7.bit with utilisation and timing reports beside it.
if {[llength $argv] != 2} {
  puts stderr "usage: vivado -mode batch -source build.tcl -tclargs HDL_DIR OUT_DIR"
  exit 2
}
set hdl [file normalize [lindex $argv 0]]
set out [file normalize [lindex $argv 1]]
file mkdir $out

set srcs [lsort [glob -directory $hdl *.v]]
# the board logic: hdl/board/sources.f, one file a line (# comments)
set fh [open $hdl/board/sources.f r]
foreach line [split [read $fh] "\n"] {
  set line [string trim $line]
  if {$line ne "" && ![string match "#*" $line]} {
    lappend srcs $hdl/board/$line
  }
}
close $fh
lappend srcs $hdl/cmoda7/ncx_cmoda7.v
read_verilog $srcs
read_xdc $hdl/cmoda7/ncx_cmoda7.xdc

synth_design -top ncx_cmoda7 -part xc7a35tcpg236-1 -include_dirs [list $hdl $hdl/board]
opt_design
place_design
route_design
report_utilization -file $out/ncx_cmoda7.utilization.rpt
report_timing_summary -file $out/ncx_cmoda7.timing.rpt
write_bitstream -force $out/ncx_cmoda7.bit

# refuse a bitstream that misses the 12 MHz clock
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
if {$wns < 0} {
  puts stderr "ncx_cmoda7: timing not met (worst negative slack $wns ns); see $out/ncx_cmoda7.timing.rpt"
  exit 1
}
puts "wrote $out/ncx_cmoda7.bit (worst setup slack $wns ns at 12 MHz)"
