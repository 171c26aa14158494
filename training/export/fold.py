"""Fold a trained HGQ2 L1 VAE encoder into integer-unit constants and prove, from its formats, that a plain
float graph over them is exact.

HGQ2 0.2 at inference, per quantized element with format (k, i, f), round RND and overflow SAT (FACTS.md):
``i' = max(i, -f)``; clip to ``[-k 2^i', 2^i' - 2^-f]``; ``floor(x 2^f + 0.5) 2^-f``; zero where ``k + i + f <= 0``.
Here every quantized activation is carried as the integer ``q = x 2^f`` instead: the scales ``2^-f`` of a layer's
inputs go into the rows of its weights, the ``2^f`` of the next quantizer and its ``+ 0.5`` into the columns and
the bias, so a hidden layer is ``floor(q @ A + B)`` clipped to ``[0, 2^(i'+f) - 1]`` (ReLU then SAT: a clip
commutes with the monotone ``floor(. + 0.5)``), and a pruned element (``k + i + f <= 0``) is a zero row.

Every product and partial sum is then an integer multiple of the accumulator's grid (the finest power of two
among its constants); while ``bound / grid <= 2^24`` all of them are exact in float32 and the summation order
of the MatMul cannot matter. A layer beyond that bound is computed in float64 (exact to 2^53) and the card says
so. The same bound holds for the Keras model's own float32 arithmetic (the same numbers times powers of two).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from adtrigger.bundle.latent_score import LatentGroup, cast_mu, check_groups, describe, is_plain, single_group

EXACT_BITS = {"float32": 24, "float64": 53}


class ExportError(ValueError):
    """The model cannot be exported exactly (unsupported quantizer, or a bound beyond float64)."""


# ---------------------------------------------------------------- fixed-point helpers


def lowbit(v: np.ndarray) -> np.ndarray:
    """Exponent of the lowest set bit of each (float64-exact) value: v is an integer multiple of 2**lowbit;
    +inf marks zeros (they constrain no grid)."""
    v = np.abs(np.asarray(v, dtype=np.float64))
    m, e = np.frexp(v)  # v = m 2^e, m in [0.5, 1): m 2^53 is an integer
    ints = (m * 2.0**53).astype(np.int64)
    tz = np.zeros(ints.shape, dtype=np.int64)
    nz = ints != 0
    low = ints & -ints  # lowest set bit as a power of two
    tz[nz] = np.round(np.log2(low[nz].astype(np.float64))).astype(np.int64)
    return np.where(nz, (e - 53 + tz).astype(np.float64), np.inf)


def fixed_type(lo: float, hi: float, grid_exp: float) -> dict:
    """The smallest ``ap_fixed``/``ap_ufixed`` ``{signed, width, integer, fraction}`` holding every multiple of
    ``2**grid_exp`` in [lo, hi] (``integer`` counts the sign bit, as in ap_fixed<width, integer>)."""
    frac = 0 if not math.isfinite(grid_exp) else max(0, -int(grid_exp))
    signed = lo < 0
    mag = max(abs(lo), abs(hi), 0.0)
    # unsigned: max 2^I - 2^-F; signed: -2^(I-1) .. 2^(I-1) - 2^-F
    integer = 0 if mag == 0 else math.ceil(math.log2(hi + 2.0**-frac)) if hi > 0 else 0
    if signed:
        neg = math.ceil(math.log2(-lo)) if lo < 0 else 0
        integer = max(integer, neg) + 1
    integer = max(integer, 1 - frac)  # at least one bit in all
    return {"signed": bool(signed), "width": int(integer + frac), "integer": int(integer), "fraction": int(frac)}


@dataclass(frozen=True)
class KIF:
    """Per-element (k, i, f) of one HGQ2 fixed-point quantizer (RND, SAT), (n,) ints each."""

    k: np.ndarray
    i: np.ndarray
    f: np.ndarray

    @property
    def pruned(self) -> np.ndarray:
        """(n,) bool: elements HGQ2 zeroes at inference (k + i + f <= 0)."""
        return self.k + self.i + self.f <= 0

    @property
    def int_lo(self) -> np.ndarray:
        """(n,) lowest quantized value in units of 2^-f (float64 integers)."""
        return -self.k * np.ldexp(1.0, np.maximum(self.i, -self.f) + self.f)

    @property
    def int_hi(self) -> np.ndarray:
        """(n,) highest quantized value in units of 2^-f."""
        return np.ldexp(1.0, np.maximum(self.i, -self.f) + self.f) - 1.0

    def as_type(self) -> dict:
        """The covering fixed-point type of the live elements plus the per-element (k, i, f) for firmware."""
        live = ~self.pruned
        lo = float(np.min(np.ldexp(self.int_lo, -self.f)[live], initial=0.0))
        hi = float(np.max(np.ldexp(self.int_hi, -self.f)[live], initial=0.0))
        t = fixed_type(lo, hi, -float(np.max(self.f[live], initial=0)))
        t["per_element"] = {"k": self.k.tolist(), "i": self.i.tolist(), "f": self.f.tolist()}
        return t


def read_kif(quantizer, n: int) -> KIF:
    """(k, i, f) of an HGQ2 ``FixedPointQuantizerKIF`` broadcast to ``n`` elements; refuses what it cannot fold."""
    from keras import ops

    name = type(quantizer).__name__
    if name != "FixedPointQuantizerKIF":
        raise ExportError(f"quantizer {quantizer.name}: {name} is not supported (need a KIF fixed-point quantizer)")
    if quantizer.round_mode != "RND" or quantizer.overflow_mode != "SAT":
        raise ExportError(
            f"quantizer {quantizer.name}: round {quantizer.round_mode} / overflow {quantizer.overflow_mode} is not "
            "supported; the L1 VAE quantizes with RND and SAT (training/vae.py)"
        )
    k, i, f = (np.broadcast_to(ops.convert_to_numpy(v).reshape(-1), (n,)).astype(np.int64) for v in quantizer.kif)
    return KIF(k=k, i=i, f=f)


# ---------------------------------------------------------------- the folded stages


@dataclass
class InputStage:
    """Raw (N, n) float32 -> integer inputs ``q = floor(x * c + d)`` [clipped to ``clip``], with the overflow
    guard ``x > hi32 or x < lo32`` on the raw inputs (the L1 full scale as float32 comparisons)."""

    offset: np.ndarray  # (n,) float32: the preprocessing offset
    c: np.ndarray  # (n,) float32: 2^(f - shift) (times 2^-m for a two-level input), exact
    d: np.ndarray  # (n,) float32: 0.5 - offset * 2^(f - shift) (times 2^-m), exact
    fused: bool  # True: floor(x c + d) equals Keras's floor(((x - offset) c) + 0.5) (checked); False: Keras order
    clip: tuple[np.ndarray | None, np.ndarray | None]  # integer (lo, hi) where the full scale reaches SAT
    lo32: np.ndarray  # (n,) float32 guard bounds
    hi32: np.ndarray
    q_lo: np.ndarray  # (n,) float64 bounds of q over in-scale events
    q_hi: np.ndarray
    kif: KIF


@dataclass
class DenseStage:
    """``acc = q @ weight + bias`` in ``dtype``; hidden: ``q' = min(relu(floor(acc)), relu_max)``."""

    name: str
    weight: np.ndarray  # (n_in, n_out) float64, exact in float32 or float64
    bias: np.ndarray  # (n_out,)
    dtype: str
    hidden: bool
    relu_max: np.ndarray | None  # (n_out,) integer clip, None when the clip can never act
    acc_lo: np.ndarray  # (n_out,) interval bounds of acc
    acc_hi: np.ndarray
    grid_exp: np.ndarray  # (n_out,) lowbit of the accumulator grid
    bits: float  # log2(max bound / grid): the accumulator's significant bits
    formats: dict = field(default_factory=dict)


@dataclass
class FoldedEncoder:
    """Everything the ONNX graph needs: input stage, hidden layers, and the head(s) (mu, or mu and log sigma^2)."""

    input: InputStage
    layers: list[DenseStage]
    head: DenseStage  # columns: mu (latent) [then log sigma^2 (latent)]
    latent: int
    score_kind: str
    formats: dict  # per-layer fixed-point formats for the card
    exp_table: ExpTable | None = None  # kl, rz: exp(+-log sigma^2) by table lookup
    groups: list[LatentGroup] = field(default_factory=list)  # mu2: the latent groups of the score (one: sum mu^2)

    @property
    def plain(self) -> bool:
        """One two-sided group over every dimension at scale 1: today's sum mu^2 (and its graph)."""
        return is_plain(self.groups)


@dataclass
class ExpTable:
    """``values[k] = exp(sign * (t0 + k 2^grid_exp))`` by numpy, as :func:`training.vae.score_from_latent` computes
    it: ONNX Runtime's Exp differs from numpy's in the last bit for ~13 % of values, a lookup does not. log sigma^2
    is a fixed-point value (a grid of 2^grid_exp within its interval), so the table is small."""

    t0: float
    t1: float
    grid_exp: int
    values: np.ndarray  # float64


MAX_TABLE = 2**22


def exp_table(head: DenseStage, latent: int, sign: float, clip: float) -> ExpTable:
    """The table of exp(sign * log sigma^2) over every value the log sigma^2 columns can take, clipped to +-clip."""
    g = int(np.min(head.grid_exp[latent:]))
    t0 = max(float(np.min(head.acc_lo[latent:])), -clip)
    t1 = min(float(np.max(head.acc_hi[latent:])), clip)
    t0, t1 = math.floor(math.ldexp(t0, -g)), math.ceil(math.ldexp(t1, -g))
    if t1 - t0 + 1 > MAX_TABLE:
        raise ExportError(f"log sigma^2 takes {t1 - t0 + 1} values, too many for an exact exp table")
    points = np.ldexp(np.arange(t0, t1 + 1, dtype=np.float64), g)
    return ExpTable(math.ldexp(t0, g), math.ldexp(t1, g), g, np.exp(sign * points))


def _f32_exact(v: np.ndarray, what: str) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    if not np.array_equal(v.astype(np.float32).astype(np.float64), v):
        raise ExportError(f"{what} is not exactly representable in float32")
    return v.astype(np.float32)


def _keras_q(x: np.ndarray, offset: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Keras's integer input (before SAT) in Keras's order: floor(fl(fl(x - offset) * c) + h), float32
    throughout, with h = d + offset c (0.5, or 0.5 2^-m for a two-level input)."""
    x = np.asarray(x, np.float32)
    h = (d.astype(np.float64) + offset.astype(np.float64) * c.astype(np.float64)).astype(np.float32)
    return np.floor(((x - offset) * c) + h)


def _fused_q(x: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(x, np.float32) * c + d)


def _fused_is_exact(offset: np.ndarray, c: np.ndarray, d: np.ndarray, span: int = 4096) -> bool:
    """Does ``floor(x c + d)`` (one rounding) equal Keras's ``floor(fl(x - offset) c + 0.5)`` (two)?

    They can differ only where ``x - offset`` is inexact (0 < x < offset, x with bits below the offset's grid)
    and the two roundings straddle a level: at the level 0, where ``(x - offset) c`` is near -1/2 and the
    binades of -1/2 and 0 differ (a proof sketch is in docs/export.md). Checked on every float32 within ``span``
    ulps of that point, per input."""
    for j in np.flatnonzero(offset != 0):
        x0 = np.float32(-np.float64(d[j]) / np.float64(c[j]))  # where x c + d = 0, i.e. (x - offset) c = -1/2
        steps = np.arange(-span, span + 1, dtype=np.int64)
        bits = np.array([x0], np.float32).view(np.int32).astype(np.int64)[0] + steps
        xs = bits.astype(np.int32).view(np.float32)
        xs = xs[np.isfinite(xs)]
        if not np.array_equal(_keras_q(xs, offset[j], c[j], d[j]), _fused_q(xs, c[j], d[j])):
            return False
    return True


def fold_input(pre, kif: KIF, full_scale: tuple[np.ndarray, np.ndarray]) -> InputStage:
    """The preprocessing ``(x - offset) 2^-shift`` and the input quantizer as ``floor(x c + d)``; the SAT clip is
    kept only where the L1 full scale reaches it (beyond the full scale the overflow guard decides the score)."""
    offset = _f32_exact(pre.offset, "a preprocessing offset")
    c = np.ldexp(np.float32(1.0), (kif.f - pre.shift).astype(np.int32)).astype(np.float32)
    d = _f32_exact(0.5 - offset.astype(np.float64) * c.astype(np.float64), "0.5 - offset * 2^(f - shift)")
    lo, hi = (np.asarray(v, np.float64) for v in full_scale)
    # float32 x > hi (float64) <=> x > largest float32 <= hi; x < lo <=> x < smallest float32 >= lo
    hi32 = hi.astype(np.float32)
    hi32 = np.where(hi32.astype(np.float64) > hi, np.nextafter(hi32, np.float32(-np.inf)), hi32).astype(np.float32)
    lo32 = lo.astype(np.float32)
    lo32 = np.where(lo32.astype(np.float64) < lo, np.nextafter(lo32, np.float32(np.inf)), lo32).astype(np.float32)
    # a two-level quantizer {-1, 0} (k = 1, i = -f) clips at 0: scaling x c + d by 2^-m keeps its sign, and with
    # the full scale inside [-2^m, 2^m) the floor alone gives {-1, 0}, so no clip is needed for it
    two_level = (kif.int_lo == -1) & (kif.int_hi == 0)
    y_lo, y_hi = lo32 * c + d, hi32 * c + d
    m = np.ceil(np.log2(np.maximum(np.maximum(-y_lo, y_hi + 1.0), 1.0)))
    scale = np.where(two_level, np.ldexp(1.0, -m.astype(np.int32)), 1.0).astype(np.float32)
    c, d = (c * scale).astype(np.float32), (d * scale).astype(np.float32)
    fused = _fused_is_exact(offset, c, d)
    # q over in-scale events: monotone in x, so its range is q at the two ends
    q_at_lo, q_at_hi = _keras_q(lo32, offset, c, d).astype(np.float64), _keras_q(hi32, offset, c, d).astype(np.float64)
    live = ~kif.pruned
    clip_lo = np.where(live & (q_at_lo < kif.int_lo), kif.int_lo, -np.inf).astype(np.float32)
    clip_hi = np.where(live & (q_at_hi > kif.int_hi), kif.int_hi, np.inf).astype(np.float32)
    clip = (
        clip_lo if np.isfinite(clip_lo).any() else None,
        clip_hi if np.isfinite(clip_hi).any() else None,
    )
    q_lo, q_hi = np.maximum(q_at_lo, kif.int_lo), np.minimum(q_at_hi, kif.int_hi)
    return InputStage(offset, c, d, fused, clip, lo32, hi32, q_lo, q_hi, kif)


def _interval(weight: np.ndarray, bias: np.ndarray, q_lo: np.ndarray, q_hi: np.ndarray) -> tuple[np.ndarray, ...]:
    a, b = q_lo[:, None] * weight, q_hi[:, None] * weight
    lo = np.minimum(a, b).sum(axis=0) + bias
    hi = np.maximum(a, b).sum(axis=0) + bias
    bound = (np.maximum(np.abs(a), np.abs(b))).sum(axis=0) + np.abs(bias)
    return lo, hi, bound


def fold_dense(
    name: str, weight: np.ndarray, bias: np.ndarray, in_kif: KIF, q_lo: np.ndarray, q_hi: np.ndarray,
    out_f: np.ndarray | None, out_kif: KIF | None, min_dtype: str = "float32",
) -> DenseStage:  # fmt: skip
    """One QDense on integer inputs: rows scaled by 2^-f_in (zero where pruned); for a hidden layer the columns
    by 2^f_out of the consumer's quantizer and + 0.5 in the bias (``floor(acc)`` is then RND)."""
    w = np.asarray(weight, np.float64) * np.where(in_kif.pruned, 0.0, np.ldexp(1.0, -in_kif.f))[:, None]
    b = np.asarray(bias, np.float64).copy()
    hidden = out_kif is not None
    if hidden:
        scale = np.ldexp(1.0, out_f)
        w, b = w * scale[None, :], b * scale + 0.5
    lo, hi, bound = _interval(w, b, q_lo, q_hi)
    grid = np.minimum(np.min(lowbit(w), axis=0), lowbit(b))
    grid = np.where(np.isfinite(grid), grid, 0.0)
    bits = float(np.max(np.log2(np.maximum(bound, 1e-300)) - grid))
    dtype = min_dtype
    if bits > EXACT_BITS["float32"]:
        dtype = "float64"
    if bits > EXACT_BITS["float64"]:
        raise ExportError(f"layer {name}: accumulator needs {bits:.1f} bits, beyond float64's 53: cannot be exact")
    relu_max = None
    if hidden:
        m = out_kif.int_hi
        if (np.floor(hi) > m).any():
            relu_max = m
    return DenseStage(name, w, b, dtype, hidden, relu_max, lo, hi, grid, bits)


def _acc_type(weight: np.ndarray, bias: np.ndarray, kif: KIF, q_lo: np.ndarray, q_hi: np.ndarray) -> dict:
    """The fixed-point type of a layer's accumulator in true units (values of x @ W + b)."""
    w = np.asarray(weight, np.float64) * np.where(kif.pruned, 0.0, np.ldexp(1.0, -kif.f))[:, None]
    b = np.asarray(bias, np.float64)
    lo, hi, _ = _interval(w, b, q_lo, q_hi)
    grid = float(min(np.min(lowbit(w)), np.min(lowbit(b))))
    return fixed_type(float(lo.min()), float(hi.max()), grid)


def _formats(layer, kif: KIF, q_lo: np.ndarray, q_hi: np.ndarray, stage: DenseStage) -> dict:
    from keras import ops

    k = ops.convert_to_numpy(layer.qkernel).astype(np.float64)
    b = ops.convert_to_numpy(layer.qbias).astype(np.float64)
    return {
        "input": kif.as_type(),
        "weight": fixed_type(float(k.min()), float(k.max()), float(np.min(lowbit(k)))),
        "bias": fixed_type(float(b.min(initial=0)), float(b.max(initial=0)), float(np.min(lowbit(b), initial=0))),
        "accumulator": _acc_type(k, b, kif, q_lo, q_hi),
        "accumulator_bits": round(stage.bits, 2),
        "dtype": stage.dtype,
    }


def _concat(kifs: list[KIF]) -> KIF:
    return KIF(*(np.concatenate([getattr(q, a) for q in kifs]) for a in "kif"))


def _dense_layers(model) -> tuple[list, list]:
    hidden = []
    while True:
        try:
            hidden.append(model.get_layer(f"enc_{len(hidden)}"))
        except ValueError:
            break
    heads = [model.get_layer("mu"), model.get_layer("logvar")]
    for layer in hidden + heads:
        if type(layer).__name__ != "QDense" or layer.bias is None or layer.enable_oq:
            raise ExportError(f"layer {layer.name}: need an HGQ2 QDense with a bias and no output quantizer")
        want = "relu" if layer in hidden else "linear"
        if getattr(layer.activation, "__name__", None) != want:
            raise ExportError(f"layer {layer.name}: activation must be {want}, got {layer.activation}")
    if not hidden:
        raise ExportError("the encoder has no hidden layer enc_0")
    return hidden, heads


def score_type(head: DenseStage, latent: int, groups: list[LatentGroup] | None = None) -> dict:
    """The unsigned fixed-point type holding every value of the grouped sum mu^2 exactly (mu from the head's first
    columns): per group the bound of its squares (relu(mu) >= 0 for a one-sided group, the group's saturating cast
    where it has one) and their grid 2^(2 g), both
    times the group's weight ``scale_mantissa * 2^scale_log2`` (the grid by its lowest set bit); the finest grid and
    the largest bound over the groups."""
    groups = single_group(latent) if groups is None else check_groups(groups, latent)
    bounds, grids = [], []
    for g in groups:
        lo, hi = cast_mu(head.acc_lo[g.start : g.stop], g), cast_mu(head.acc_hi[g.start : g.stop], g)
        bounds.append(float(np.maximum(lo**2, hi**2).sum()) * g.scale)
        weight_low = (g.scale_mantissa & -g.scale_mantissa).bit_length() - 1 + g.scale_log2
        # a cast holds every value (its saturation value too) on its grid 2^-frac_bits
        grid = -float(g.frac_bits) if g.clipped else float(np.min(head.grid_exp[g.start : g.stop]))
        grids.append(2.0 * grid + weight_low)
    return fixed_type(0.0, max(bounds), min(grids))


def fold_model(model, score_kind: str = "mu2", groups: list[LatentGroup] | None = None) -> FoldedEncoder:
    """Fold a trained L1 VAE (``training.vae``) for ``score_kind`` ('mu2', or 'kl'/'rz', which need log sigma^2);
    ``groups`` (mu2 only) cut the latent vector for the grouped sum mu^2 (None: one plain group)."""
    from keras import ops

    from adtrigger.training.vae import SCORE_KINDS, l1_full_scale, preprocessing_of

    if score_kind not in SCORE_KINDS:
        raise ExportError(f"score kind must be one of {SCORE_KINDS}, got {score_kind!r}")
    hidden, heads = _dense_layers(model)
    latent = int(heads[0].units)
    try:
        groups = single_group(latent) if groups is None else check_groups(groups, latent)
    except ValueError as err:
        raise ExportError(f"score groups: {err}") from None
    if score_kind != "mu2" and not is_plain(groups):
        raise ExportError(
            f"score {score_kind!r} has no latent groups (got {describe(groups)}); grouped scores are 'mu2' only"
        )
    if score_kind == "mu2":
        heads = heads[:1]
    n = model.input_shape[-1]
    kif = read_kif(hidden[0].iq.quantizer, n)
    inp = fold_input(preprocessing_of(model), kif, l1_full_scale(n))
    q_lo, q_hi = inp.q_lo, inp.q_hi
    layers, formats = [], {}
    for idx, layer in enumerate(hidden):
        consumers = [hidden[idx + 1]] if idx + 1 < len(hidden) else heads
        units = int(layer.units)
        out_kif = _concat([read_kif(c.iq.quantizer, units) for c in consumers])
        w = ops.convert_to_numpy(layer.qkernel).astype(np.float64)
        b = ops.convert_to_numpy(layer.qbias).astype(np.float64)
        reps = len(consumers)
        # each stage's own width decides its type: the integer activations between stages are exact in float32
        stage = fold_dense(layer.name, np.tile(w, reps), np.tile(b, reps), kif, q_lo, q_hi, out_kif.f, out_kif)
        formats[layer.name] = _formats(layer, kif, q_lo, q_hi, stage)
        layers.append(stage)
        q_lo = np.clip(np.floor(stage.acc_lo), 0, out_kif.int_hi)
        q_hi = np.clip(np.floor(stage.acc_hi), 0, out_kif.int_hi)
        kif = out_kif
    units = int(hidden[-1].units)
    w = np.zeros((units * len(heads), latent * len(heads)))
    b = np.zeros(latent * len(heads))
    for h, layer in enumerate(heads):
        w[h * units : (h + 1) * units, h * latent : (h + 1) * latent] = ops.convert_to_numpy(layer.qkernel)
        b[h * latent : (h + 1) * latent] = ops.convert_to_numpy(layer.qbias)
    head = fold_dense("head", w, b, kif, q_lo, q_hi, None, None)
    for h, layer in enumerate(heads):
        rows = slice(h * units, (h + 1) * units)
        sub = KIF(kif.k[rows], kif.i[rows], kif.f[rows])
        formats[layer.name] = _formats(layer, sub, q_lo[rows], q_hi[rows], head)
    folded = FoldedEncoder(inp, layers, head, latent, score_kind, formats, groups=groups)
    if score_kind != "mu2":
        from adtrigger.training.vae import LOGVAR_CLIP

        folded.exp_table = exp_table(head, latent, 1.0 if score_kind == "kl" else -1.0, LOGVAR_CLIP)
    if score_kind == "mu2" and (width := score_type(head, latent, groups)["width"]) > EXACT_BITS["float64"]:
        raise ExportError(f"{describe(groups)} needs {width} bits: beyond float64, not exact")
    return folded
