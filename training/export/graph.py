"""Write a folded L1 VAE encoder (:mod:`training.export.fold`) as a plain ONNX graph of standard-domain ops.

Raw L1 inputs ``l1_inputs`` (N, 57) float32 in, ``score`` (N,) float64 out. The graph works on the transposed
batch (features x events): every per-feature constant (the preprocessing, the quantizer steps and limits, the
biases) is then one scalar per row applied along a long contiguous row, about 3x cheaper in ONNX Runtime than a
57-wide vector broadcast over every event (measured, docs/export.md); the layers are Gemms ``W^T q + b``. Inputs
and hidden units that HGQ2 pruned (only zero weights) are left out. Per live input one multiply, one add, one floor;
per hidden layer Gemm, Relu, Floor (and Min where SAT can act); the head; the score in float64 (for a grouped sum
mu^2 per group a Slice, a Relu where one-sided, ReduceSumSquare and a Mul by its scale, then a Max); the overflow
guard on the raw inputs (two subtractions, a max, a ReLU and a one-row Gemm).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from adtrigger.training.export.fold import DenseStage, FoldedEncoder, InputStage

OPSET = 18  # Split(num_outputs), ReduceSumSquare(axes input); ONNX Runtime >= 1.14
IR_VERSION = 8
INPUT_NAME = "l1_inputs"
OUTPUT_NAME = "score"
_NP = {"float32": np.float32, "float64": np.float64}
_ONNX = {"float32": TensorProto.FLOAT, "float64": TensorProto.DOUBLE}


class _Builder:
    """Collects nodes and constants; ``op`` returns the output name."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []

    def const(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(np.asarray(value), f"c_{name}"))
        return f"c_{name}"

    def op(self, op_type: str, inputs: list[str], name: str, **attrs) -> str:
        self.nodes.append(helper.make_node(op_type, inputs, [name], name=f"{op_type}_{name}", **attrs))
        return name


def _rows(v, live: np.ndarray):
    """The live rows of a per-input array (other fields pass through)."""
    if isinstance(v, tuple):
        return tuple(_rows(u, live) for u in v)
    return v[live] if isinstance(v, np.ndarray) and v.ndim == 1 else v


def _col(v: np.ndarray) -> np.ndarray:
    """(n,) -> (n, 1): one constant per row of the transposed batch."""
    return np.asarray(v).reshape(-1, 1)


def _input_stage(b: _Builder, folded: FoldedEncoder, xt: str, dtype: str, live: np.ndarray) -> str:
    """The quantized inputs of the ``live`` rows (those with a nonzero weight; the rest cost nothing)."""
    s = folded.input
    if len(live) < len(s.c):
        xt = b.op("Gather", [xt, b.const("live_inputs", live.astype(np.int64))], "live_t", axis=0)
    s = InputStage(**{k: _rows(v, live) for k, v in vars(s).items()})
    if s.fused:  # floor(x c + d), proven equal to Keras's order at export
        t = b.op("Mul", [xt, b.const("in_scale", _col(s.c))], "in_scaled")
        t = b.op("Add", [t, b.const("in_shift", _col(s.d))], "in_shifted")
    else:  # Keras's own order: (x - offset) * c + 0.5
        t = b.op("Sub", [xt, b.const("in_offset", _col(s.offset))], "in_centred")
        t = b.op("Mul", [t, b.const("in_scale", _col(s.c))], "in_scaled")
        t = b.op("Add", [t, b.const("in_half", _col((s.d + s.offset * s.c).astype(np.float32)))], "in_shifted")
    q = b.op("Floor", [t], "in_q")
    if s.clip[0] is not None:
        q = b.op("Max", [q, b.const("in_sat_lo", _col(s.clip[0]))], "in_sat_lo")
    if s.clip[1] is not None:
        q = b.op("Min", [q, b.const("in_sat_hi", _col(s.clip[1]))], "in_sat_hi")
    if dtype == "float64":
        q = b.op("Cast", [q], "in_q64", to=TensorProto.DOUBLE)
    return q


def _guard(b: _Builder, folded: FoldedEncoder, xt: str) -> str:
    """(N,) bool: an input beyond the L1 full scale (training.vae.input_overflow), on the raw float32 inputs.

    ``max(x - hi, lo - x, 0)`` is > 0 exactly where x > hi or x < lo (IEEE subtraction keeps the sign), and a sum of
    such non-negative terms is > 0 exactly where one is: the sum over the inputs is one small Gemm."""
    s, n = folded.input, len(folded.input.c)
    above = b.op("Sub", [xt, b.const("full_scale_hi", _col(s.hi32))], "above_hi")
    below = b.op("Sub", [b.const("full_scale_lo", _col(s.lo32)), xt], "below_lo")
    excess = b.op("Relu", [b.op("Max", [above, below], "excess_signed")], "excess")
    total = b.op("Gemm", [b.const("ones", np.ones((1, n), np.float32)), excess], "excess_sum")
    beyond = b.op("Greater", [total, b.const("zero_sum", np.float32(0.0))], "beyond")
    return b.op("Reshape", [beyond, b.const("flat", np.array([-1], np.int64))], "overflow")


def _dense(b: _Builder, stage: DenseStage, q: str, dtype_in: str, rows: np.ndarray, cols: np.ndarray) -> str:
    """``W^T q + b`` over the live ``rows`` (inputs) and ``cols`` (outputs some later layer reads)."""
    np_t = _NP[stage.dtype]
    if stage.dtype != dtype_in:
        q = b.op("Cast", [q], f"{stage.name}_in64", to=_ONNX[stage.dtype])
    w = b.const(f"{stage.name}_wt", np.ascontiguousarray(stage.weight[np.ix_(rows, cols)].T.astype(np_t)))
    acc = b.op("Gemm", [w, q, b.const(f"{stage.name}_b", _col(stage.bias[cols].astype(np_t)))], f"{stage.name}_acc")
    if not stage.hidden:
        return acc
    # ReLU first: max(floor(a), 0) = floor(max(a, 0)), and ONNX Runtime fuses a ReLU into the Gemm before it
    h = b.op("Relu", [acc], f"{stage.name}_relu")
    h = b.op("Floor", [h], f"{stage.name}_floor")
    if stage.relu_max is not None:
        h = b.op("Min", [h, b.const(f"{stage.name}_sat", _col(stage.relu_max[cols].astype(np_t)))], f"{stage.name}_q")
    return h


def _score(b: _Builder, head: str, folded: FoldedEncoder, dtype: str, overflow: str) -> str:
    latent = folded.latent
    z = head if dtype == "float64" else b.op("Cast", [head], "head64", to=TensorProto.DOUBLE)
    if folded.score_kind == "mu2":
        if folded.plain:
            return b.op("ReduceSumSquare", [z, b.const("score_axis", np.array([0], np.int64))], "mu2", keepdims=0)
        return _grouped_mu2(b, z, folded)
    split = b.const("split", np.array([latent, latent], np.int64))
    b.nodes.append(helper.make_node("Split", [z, split], ["mu", "logvar_raw"], name="Split_head", axis=0))
    table = folded.exp_table
    lim = (b.const("lv_lo", np.float64(table.t0)), b.const("lv_hi", np.float64(table.t1)))
    lv = b.op("Clip", ["logvar_raw", *lim], "logvar")  # +-LOGVAR_CLIP, and every in-scale value is inside
    step = b.const("lv_step", np.ldexp(1.0, -table.grid_exp))
    idx = b.op("Mul", [b.op("Sub", [lv, lim[0]], "lv_from_t0"), step], "lv_k")
    idx = b.op("Cast", [idx], "lv_idx", to=TensorProto.INT64)
    # an event beyond the full scale may carry NaN here (inf * 0); its index is replaced, its score is overflow_score
    guard = b.op("Unsqueeze", [overflow, b.const("axis0_lv", np.array([0], np.int64))], "overflow_2d")
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


def _grouped_mu2(b: _Builder, z: str, folded: FoldedEncoder) -> str:
    """max over groups of scale sum m(mu_d)^2 (:mod:`adtrigger.bundle.latent_score`) on the (latent, N) float64
    head: every square, sum, product by the group's scale (an 8-bit integer times a power of two) and max is exact
    while the score type fits 53 bits (the fold checks that), so the order of ReduceSumSquare's sum cannot matter."""
    axis = b.const("score_axis", np.array([0], np.int64))
    terms = []
    for j, g in enumerate(folded.groups):
        rows = b.op("Slice", [z, b.const(f"g{j}_start", np.array([g.start], np.int64)),
                              b.const(f"g{j}_stop", np.array([g.stop], np.int64)), axis], f"g{j}_mu")  # fmt: skip
        if g.one_sided:
            rows = b.op("Relu", [rows], f"g{j}_relu")
        if g.clipped:  # latent_score.cast_mu: floor onto 2^-frac_bits, saturate; power-of-two scalings are exact
            top = 2.0 ** (g.int_bits + g.frac_bits)
            k = b.op("Floor", [b.op("Mul", [rows, b.const(f"g{j}_up", np.ldexp(1.0, g.frac_bits))], f"g{j}_up")],
                     f"g{j}_floor")  # fmt: skip
            lims = [b.const(f"g{j}_lo", np.float64(0.0 if g.one_sided else -top)),
                    b.const(f"g{j}_hi", np.float64(top - 1.0))]  # fmt: skip
            k = b.op("Clip", [k, *lims], f"g{j}_sat")
            rows = b.op("Mul", [k, b.const(f"g{j}_down", np.ldexp(1.0, -g.frac_bits))], f"g{j}_cast")
        t = b.op("ReduceSumSquare", [rows, axis], f"g{j}_mu2", keepdims=0)
        if g.scale != 1.0:  # scale_mantissa * 2^scale_log2, exact in float64
            t = b.op("Mul", [t, b.const(f"g{j}_scale", np.float64(g.scale))], f"g{j}_scaled")
        terms.append(t)
    return terms[0] if len(terms) == 1 else b.op("Max", terms, "mu2")


def _numpy_sum(b: _Builder, terms: str, n: int, name: str) -> str:
    """Sums over the n rows of (n, N) float64 in numpy's pairwise order (8 running sums, then a tree), as np.sum
    of (N, n) along its rows adds them, so the results match bit for bit."""
    cols = [f"{terms}_{j}" for j in range(n)]
    if n == 1:
        cols = [terms]
    else:
        b.nodes.append(helper.make_node("Split", [terms], cols, name=f"Split_{terms}", axis=0, num_outputs=n))
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
    xt = b.op("Transpose", [INPUT_NAME], "inputs_t", perm=[1, 0])
    stages = [*folded.layers, folded.head]
    # inputs and hidden units that only meet zero weights (pruned by HGQ2) are left out of the graph
    live = [np.flatnonzero(np.any(s.weight != 0, axis=1)) for s in stages]
    live = [rows if len(rows) else np.arange(1) for rows in live] + [np.arange(folded.head.weight.shape[1])]
    q = _input_stage(b, folded, xt, dtype, live[0])
    for i, stage in enumerate(folded.layers):
        q, dtype = _dense(b, stage, q, dtype, live[i], live[i + 1]), stage.dtype
    head = _dense(b, folded.head, q, dtype, live[-2], live[-1])
    overflow = _guard(b, folded, xt)
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
