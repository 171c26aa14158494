"""Write a folded L1 VAE encoder (:mod:`training.export.fold`) as a plain ONNX graph of standard-domain ops.

Raw L1 inputs ``l1_inputs`` (N, 57) float32 in, ``score`` (N,) float64 out. Per input one multiply, one add and
one floor (the preprocessing and the input quantizer); per hidden layer MatMul, Add, Floor, Relu (and Min where
SAT can act); the head; the score in float64; the overflow guard as two comparisons on the raw inputs.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from training.export.fold import DenseStage, FoldedEncoder

OPSET = 20  # ReduceMax on bool needs 20; ONNX Runtime >= 1.17
IR_VERSION = 9
INPUT_NAME = "l1_inputs"
OUTPUT_NAME = "score"
_NP = {"float32": np.float32, "float64": np.float64}
_ONNX = {"float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE}


class _Builder:
    """Collects nodes and constants; ``op`` returns the output name."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(np.asarray(value), f"c_{name}"))
        return f"c_{name}"

    def op(self, op_type: str, inputs: list[str], name: str, **attrs) -> str:
        self.nodes.append(helper.make_node(op_type, inputs, [name], name=f"{op_type}_{name}", **attrs))
        return name


def _input_stage(b: _Builder, folded: FoldedEncoder, dtype: str) -> str:
    s = folded.input
    if s.fused:  # floor(x c + d), proven equal to Keras's order at export
        t = b.op("Mul", [INPUT_NAME, b.const("in_scale", s.c)], "in_scaled")
        t = b.op("Add", [t, b.const("in_shift", s.d)], "in_shifted")
    else:  # Keras's own order: (x - offset) * c + 0.5
        t = b.op("Sub", [INPUT_NAME, b.const("in_offset", s.offset)], "in_centred")
        t = b.op("Mul", [t, b.const("in_scale", s.c)], "in_scaled")
        t = b.op("Add", [t, b.const("in_half", (s.d + s.offset * s.c).astype(np.float32))], "in_shifted")
    q = b.op("Floor", [t], "in_q")
    if s.clip[0] is not None:
        q = b.op("Max", [q, b.const("in_sat_lo", s.clip[0])], "in_sat_lo")
    if s.clip[1] is not None:
        q = b.op("Min", [q, b.const("in_sat_hi", s.clip[1])], "in_sat_hi")
    if dtype == "float64":
        q = b.op("Cast", [q], "in_q64", to=TensorProto.DOUBLE)
    return q


def _guard(b: _Builder, folded: FoldedEncoder) -> str:
    """(N,) bool: an input beyond the L1 full scale (training.vae.input_overflow), on the raw float32 inputs."""
    axes = b.const("axis1", np.array([1], np.int64))
    above = b.op("Greater", [INPUT_NAME, b.const("full_scale_hi", folded.input.hi32)], "above")
    below = b.op("Less", [INPUT_NAME, b.const("full_scale_lo", folded.input.lo32)], "below")
    out = b.op("Or", [above, below], "beyond")
    return b.op("ReduceMax", [out, axes], "overflow", keepdims=0)


def _dense(b: _Builder, stage: DenseStage, q: str, dtype_in: str) -> str:
    np_t = _NP[stage.dtype]
    if stage.dtype != dtype_in:
        q = b.op("Cast", [q], f"{stage.name}_in64", to=_ONNX[stage.dtype])
    acc = b.op("MatMul", [q, b.const(f"{stage.name}_w", stage.weight.astype(np_t))], f"{stage.name}_mm")
    acc = b.op("Add", [acc, b.const(f"{stage.name}_b", stage.bias.astype(np_t))], f"{stage.name}_acc")
    if not stage.hidden:
        return acc
    # ReLU first: max(floor(a), 0) = floor(max(a, 0)), and ONNX Runtime fuses a ReLU into the Gemm before it
    h = b.op("Relu", [acc], f"{stage.name}_relu")
    h = b.op("Floor", [h], f"{stage.name}_floor")
    if stage.relu_max is not None:
        h = b.op("Min", [h, b.const(f"{stage.name}_sat", stage.relu_max.astype(np_t))], f"{stage.name}_q")
    return h


def _score(b: _Builder, head: str, folded: FoldedEncoder, dtype: str, overflow: str) -> str:
    latent = folded.latent
    axes = b.const("score_axis", np.array([1], np.int64))
    z = head if dtype == "float64" else b.op("Cast", [head], "head64", to=TensorProto.DOUBLE)
    if folded.score_kind == "mu2":
        return b.op("ReduceSumSquare", [z, axes], "mu2", keepdims=0)
    split = b.const("split", np.array([latent, latent], np.int64))
    b.nodes.append(helper.make_node("Split", [z, split], ["mu", "logvar_raw"], name="Split_head", axis=1))
    table = folded.exp_table
    lim = (b.const("lv_lo", np.float64(table.t0)), b.const("lv_hi", np.float64(table.t1)))
    lv = b.op("Clip", ["logvar_raw", *lim], "logvar")  # +-LOGVAR_CLIP, and every in-scale value is inside
    step = b.const("lv_step", np.ldexp(1.0, -table.grid_exp))
    idx = b.op("Mul", [b.op("Sub", [lv, lim[0]], "lv_from_t0"), step], "lv_k")
    idx = b.op("Cast", [idx], "lv_idx", to=TensorProto.INT64)
    # an event beyond the full scale may carry NaN here (inf * 0); its index is replaced, its score is overflow_score
    guard = b.op("Unsqueeze", [overflow, b.const("axis1_lv", np.array([1], np.int64))], "overflow_2d")
    idx = b.op("Where", [guard, b.const("idx0", np.int64(0)), idx], "lv_idx_safe")
    e = b.op("Gather", [b.const("exp_table", table.values), idx], "exp_lv", axis=0)
    mu2 = b.op("Mul", ["mu", "mu"], "mu_sq")
    if folded.score_kind == "kl":  # numpy's order in training.vae.score_from_latent
        t = b.op("Add", [mu2, e], "kl_a")
        t = b.op("Sub", [t, b.const("one", np.float64(1.0))], "kl_b")
        t = b.op("Sub", [t, lv], "kl_c")
        terms = b.op("Mul", [b.const("half", np.float64(0.5)), t], "kl_terms")
    else:  # rz: mu^2 exp(-log sigma^2)
        terms = b.op("Mul", [mu2, e], "rz_terms")
    return _numpy_sum(b, terms, latent, folded.score_kind)


def _numpy_sum(b: _Builder, terms: str, n: int, name: str) -> str:
    """Row sums of (N, n) float64 in numpy's pairwise order (8 running sums, then a tree), so they match np.sum."""
    cols = [f"{terms}_{j}" for j in range(n)]
    if n == 1:
        cols = [terms]
    else:
        b.nodes.append(helper.make_node("Split", [terms], cols, name=f"Split_{terms}", axis=1, num_outputs=n))
    if n < 8:
        acc = cols[0]
        for j in range(1, n):
            acc = b.op("Add", [acc, cols[j]], f"{name}_s{j}")
    else:
        r = list(cols[:8])
        i = 8
        while i < n - n % 8:
            r = [b.op("Add", [r[j], cols[i + j]], f"{name}_r{i + j}") for j in range(8)]
            i += 8
        p = [b.op("Add", [r[2 * j], r[2 * j + 1]], f"{name}_p{j}") for j in range(4)]
        left, right = b.op("Add", [p[0], p[1]], f"{name}_q0"), b.op("Add", [p[2], p[3]], f"{name}_q1")
        acc = b.op("Add", [left, right], f"{name}_t")
        for j in range(i, n):
            acc = b.op("Add", [acc, cols[j]], f"{name}_s{j}")
    return b.op("Reshape", [acc, b.const(f"{name}_flat", np.array([-1], np.int64))], f"{name}_sum")


def build_graph(folded: FoldedEncoder, overflow_score: float, name: str = "l1_vae_score") -> onnx.ModelProto:
    """The ONNX model of a folded encoder; checked with ``onnx.checker``."""
    b = _Builder()
    dtype = folded.layers[0].dtype
    q = _input_stage(b, folded, dtype)
    for stage in folded.layers:
        q, dtype = _dense(b, stage, q, dtype), stage.dtype
    head = _dense(b, folded.head, q, dtype)
    overflow = _guard(b, folded)
    score = _score(b, head, folded, folded.head.dtype, overflow)
    b.op("Where", [overflow, b.const("overflow_score", np.float64(overflow_score)), score], OUTPUT_NAME)
    n = len(folded.input.c)
    graph = helper.make_graph(
        b.nodes, name,
        [helper.make_tensor_value_info(INPUT_NAME, TensorProto.FLOAT, ["N", n])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.DOUBLE, ["N"])],
        b.inits,
    )  # fmt: skip
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="adtrigger")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model
