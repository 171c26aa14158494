"""HLT-style streaming scoring service: runs from a model bundle with ONNX Runtime alone (issue 5)."""
