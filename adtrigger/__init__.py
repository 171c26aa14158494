"""adtrigger: trigger anomaly detection with compact quantized VAEs, from Pythia events to FPGA firmware."""

__version__ = "0.1.0"
