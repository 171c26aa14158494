# Out-of-context synthesis, placement and routing of one top module, for the timing the estimate stands in for.
#   vivado -mode batch -source vivado_ooc.tcl -tclargs <out_dir> <top> <part> <period_ns> <clock_port> <source.v>...
# Writes <out_dir>/timing_summary.rpt, utilization.rpt and timing_paths.rpt (the 10 worst setup paths).
# Only the clock is constrained: out of context, the ports have no input/output delay, so Vivado times the
# register-to-register paths (the estimate's port stages assume a register outside; Vivado leaves them unconstrained).

if {$argc < 6} {
    puts "usage: vivado -mode batch -source vivado_ooc.tcl -tclargs out_dir top part period_ns clock_port sources..."
    exit 2
}
lassign $argv out_dir top part period clock
set sources [lrange $argv 5 end]
file mkdir $out_dir

foreach src $sources {
    read_verilog -sv $src
}
synth_design -top $top -part $part -mode out_of_context
create_clock -name $clock -period $period [get_ports $clock]
opt_design
place_design
route_design

report_timing_summary -max_paths 10 -file [file join $out_dir timing_summary.rpt]
report_utilization -file [file join $out_dir utilization.rpt]
report_timing -max_paths 10 -nworst 1 -file [file join $out_dir timing_paths.rpt]
exit 0
