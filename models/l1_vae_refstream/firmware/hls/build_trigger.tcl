# Vitis HLS: C simulation and synthesis of the trigger top l1_vae_refstream_trigger (bundle 'l1_vae_refstream').
# Run from this folder:  vitis_hls -f build_trigger.tcl   (reports in l1_vae_refstream_trigger_prj/solution1/syn/report/)
open_project -reset l1_vae_refstream_trigger_prj
set_top l1_vae_refstream_trigger
add_files firmware/encoder.cpp -cflags "-std=c++14 -Ifirmware -Ifirmware/ap_types"
add_files firmware/l1_vae_refstream_trigger.cpp -cflags "-std=c++14 -Ifirmware -Ifirmware/ap_types"
add_files -tb tb/l1_vae_refstream_trigger_tb.cpp -cflags "-std=c++14 -Ifirmware -Ifirmware/ap_types"
add_files -tb tb/hw_inputs.dat
open_solution -reset solution1 -flow_target vivado
set_part {xcvu9p-flga2104-2L-e}
create_clock -period 5.0 -name default
csim_design -argv "tb/hw_inputs.dat"
csynth_design
exit
