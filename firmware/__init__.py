"""L1 firmware flow: hls4ml project, bit-exact emulation, RTL with open tools (issue 6)."""
