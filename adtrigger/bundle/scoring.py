"""The one scoring path: a bundle's ``model.onnx`` in one ONNX Runtime session, shared by the service and the
threshold tuning tool, so the rate measured offline is the rate of the code that runs online.

Inputs are checked before they reach the graph (shape against the card, dtype, finite, non-empty): a wrong array
gets a ``BundleError`` that says what is wrong instead of a silent wrong score.
"""

from __future__ import annotations

import os

import numpy as np

from adtrigger.bundle.schema import BundleError
from adtrigger.bundle.store import Bundle, load_bundle

MODEL_FILE = "model.onnx"
MAX_BATCH = 65536  # events per session run: bounds the graph's intermediate buffers, not the caller's batch


class Scorer:
    """Scores raw inputs with a bundle's ONNX graph and applies its thresholds (accept iff score >= threshold)."""

    def __init__(self, bundle: Bundle | str | os.PathLike[str], threads: int = 1) -> None:
        import onnxruntime as ort

        self.bundle = bundle if isinstance(bundle, Bundle) else load_bundle(bundle)
        card = self.bundle.card
        if MODEL_FILE not in card["files"]:
            raise BundleError(f"bundle {self.bundle.path} has no {MODEL_FILE}: run adtrigger export first")
        model = self.bundle.read_checked(MODEL_FILE)  # the bytes the session runs are the bytes the card vouches for
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = int(threads)
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])
        except Exception as err:  # onnxruntime raises its own exception types
            raise BundleError(f"{self.bundle.path / MODEL_FILE}: ONNX Runtime cannot load it ({err})") from None
        self.input_name = card["input"]["name"]
        self.output_name = card["score"]["output"]
        if self.input_name not in {i.name for i in self.session.get_inputs()}:
            raise BundleError(f"{MODEL_FILE} has no input {self.input_name!r} (card field input.name)")
        if self.output_name not in {o.name for o in self.session.get_outputs()}:
            raise BundleError(f"{MODEL_FILE} has no output {self.output_name!r} (card field score.output)")
        self.n_features = int(card["input"]["n_features"])
        self.shapes = [tuple(s) for s in card["input"]["shapes"]]

    def check_input(self, x: np.ndarray) -> np.ndarray:
        """``x``: (N, *shape) for a shape of the card's ``input.shapes``, float32 (or float64 exactly
        representable in float32), finite, N >= 1. Returns (N, n_features) float32, C-contiguous."""
        if not isinstance(x, np.ndarray):
            raise BundleError(f"inputs must be a numpy array, got {type(x).__name__}")
        if x.ndim < 2 or tuple(x.shape[1:]) not in self.shapes:
            want = " or ".join(str(("N", *s)) for s in self.shapes)
            raise BundleError(f"inputs have shape {x.shape}; this bundle takes {want}")
        if len(x) == 0:
            raise BundleError("empty batch: give at least one event")
        if x.dtype == np.float64:
            x32 = x.astype(np.float32)
            if not np.array_equal(x32, x, equal_nan=True):
                raise BundleError(
                    "float64 inputs are not exactly representable in float32 (the graph's input type); "
                    "round them to float32 (and to the L1 granularity) before scoring"
                )
            x = x32
        elif x.dtype != np.float32:
            raise BundleError(f"inputs have dtype {x.dtype}; give float32 (or float64 exactly representable in it)")
        x = np.ascontiguousarray(x.reshape(len(x), self.n_features))
        with np.errstate(over="ignore"):
            total = x.sum()
        if not np.isfinite(total):  # one fast pass; a sum that overflows from finite inputs is checked row by row
            bad = np.flatnonzero(~np.isfinite(x).all(axis=1))
            if len(bad):
                raise BundleError(f"{len(bad)} event(s) have NaN or infinite inputs (first: event {bad[0]}); drop them")
        return x

    def score(self, x: np.ndarray) -> np.ndarray:
        """(N,) float64 scores of raw inputs ``x``: (N, 57) or (N, 19, 3) float32 for the L1 VAE."""
        x = self.check_input(x)
        out = np.empty(len(x), dtype=np.float64)
        for start in range(0, len(x), MAX_BATCH):
            chunk = x[start : start + MAX_BATCH]
            (s,) = self.session.run([self.output_name], {self.input_name: chunk})
            out[start : start + len(chunk)] = np.asarray(s, dtype=np.float64).reshape(len(chunk))
        return out

    def threshold(self, threshold_name: str | None = None) -> float:
        """The float threshold ``thresholds[name]["score"]`` (default: the active threshold)."""
        return float(self.bundle.threshold(threshold_name)["score"])

    def accept(self, scores: np.ndarray, threshold_name: str | None = None) -> np.ndarray:
        """(N,) bool: ``scores >= threshold`` of the named (default: active) threshold."""
        return np.asarray(scores, dtype=np.float64) >= self.threshold(threshold_name)
