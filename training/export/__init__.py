"""Exact ONNX export of the L1 VAE: fold the quantized encoder (:mod:`.fold`), write the graph (:mod:`.graph`)."""
