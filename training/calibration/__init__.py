"""Offline threshold tuning (``adtrigger calibrate``): SM data scored through the bundle's ONNX graph, a threshold
for a target rate on one SM half, its achieved rate on the other, written into the bundle."""

from adtrigger.training.calibration.tune import calibrate, calibrate_ladder, calibrate_many, parse_ladder

__all__ = ["calibrate", "calibrate_ladder", "calibrate_many", "parse_ladder"]
