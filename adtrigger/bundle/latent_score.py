"""The L1 score from the latent means, defined once for training, ONNX export and firmware: grouped sum mu^2.

The latent vector mu is cut into contiguous groups (e.g. a topology group and a kinematic group); each group scores

    s_g = mantissa_g * 2**scale_log2_g * sum_{d in [start_g, stop_g)} q_g(m_g(mu_d))**2,   m_g = relu if
                                                                                            one_sided_g else identity

and the event scores ``max_g s_g``. q_g is the identity, or, when the group sets ``int_bits`` and ``frac_bits``,
the cast onto a fixed-point grid that truncates (floor) to a step of 2**-frac_bits and saturates at
[-2**int_bits, 2**int_bits - step] (unsigned for a one-sided group: [0, 2**int_bits - step]): ap_fixed's AP_TRN,
AP_SAT. Training sets the range above the SM tail (training.vae.mu_grid), so only events beyond it saturate (still
above every SM score), and the squares the firmware computes shrink from the encoder's full-scale width to a dozen
bits. q_g is non-decreasing, so the score keeps its monotonic response. One threshold on the max is the OR of one
threshold per group; the group scale (a small integer ``scale_mantissa`` < 256 times a power of two: a constant
multiplier of a few adders and a free shift in firmware) sets how the SM rate is shared between the groups. A
single group over every dimension with scale 1, two-sided and without a cast, is AXOL1TL's plain sum mu^2.

Exactness: mu comes out of the quantized encoder on a fixed-point grid; squares, sums, power-of-two scalings and a
max are exact in float64 as long as the score type fits 53 bits (the export checks that), so numpy, the ONNX graph
and the firmware's fixed-point arithmetic give the same number. numpy only: the service and firmware import it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class LatentGroup:
    """Latent dimensions [start, stop), their power-of-two weight, and whether only mu > 0 counts."""

    start: int
    stop: int
    scale_log2: int = 0
    one_sided: bool = False
    scale_mantissa: int = 1  # the group's weight is scale_mantissa * 2**scale_log2
    int_bits: int | None = None  # with frac_bits: mu's fixed-point grid before squaring (None: mu as it comes)
    frac_bits: int | None = None

    def __post_init__(self) -> None:
        if not (isinstance(self.start, int) and isinstance(self.stop, int) and 0 <= self.start < self.stop):
            raise ValueError(f"a latent group needs integers 0 <= start < stop, got [{self.start}, {self.stop})")
        if not isinstance(self.scale_log2, int) or abs(self.scale_log2) > 24:
            raise ValueError(f"scale_log2 must be an integer in [-24, 24], got {self.scale_log2!r}")
        if not isinstance(self.scale_mantissa, int) or not 1 <= self.scale_mantissa < 256:
            raise ValueError(f"scale_mantissa must be an integer in [1, 255], got {self.scale_mantissa!r}")
        if (self.int_bits is None) != (self.frac_bits is None):
            raise ValueError("a latent group sets both int_bits and frac_bits, or neither")
        if self.clipped:
            i, f = self.int_bits, self.frac_bits
            if not (isinstance(i, int) and isinstance(f, int) and i >= 0 and f >= 0 and 1 <= i + f <= 26):
                raise ValueError(f"int_bits and frac_bits must be integers >= 0 with a sum in [1, 26], got {i}, {f}")

    @property
    def clipped(self) -> bool:
        """mu is cast onto the group's own fixed-point grid (truncated, saturated) before squaring."""
        return self.int_bits is not None

    @property
    def width(self) -> int | None:
        """Bits of that grid, sign included (None without one)."""
        return None if not self.clipped else int(self.int_bits + self.frac_bits + (not self.one_sided))

    @property
    def scale(self) -> float:
        """The group's weight, exact in float64."""
        return float(np.ldexp(float(self.scale_mantissa), self.scale_log2))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def single_group(latent: int) -> list[LatentGroup]:
    """Plain sum mu^2 over ``latent`` dimensions."""
    return [LatentGroup(0, int(latent))]


def check_groups(groups: Sequence[LatentGroup], latent: int) -> list[LatentGroup]:
    """The groups, checked to tile [0, latent) without gaps or overlap, in order."""
    groups = list(groups)
    if not groups:
        raise ValueError("a score needs at least one latent group")
    edge = 0
    for g in groups:
        if g.start != edge:
            raise ValueError(f"latent groups must tile [0, {latent}) in order; {g} starts at {g.start}, not {edge}")
        edge = g.stop
    if edge != latent:
        raise ValueError(f"latent groups cover [0, {edge}) but the encoder has {latent} latent dimensions")
    return groups


def groups_from_json(raw: Iterable[Mapping[str, Any]] | None, latent: int) -> list[LatentGroup]:
    """Groups from the card's ``score.groups`` (or a record); None means one plain group over every dimension."""
    if raw is None:
        return single_group(latent)
    groups = []
    for i, g in enumerate(raw):
        if not isinstance(g, Mapping):
            raise ValueError(f"score.groups[{i}] must be an object with start, stop, scale_log2, one_sided")
        try:
            i, f = g.get("int_bits"), g.get("frac_bits")
            groups.append(LatentGroup(int(g["start"]), int(g["stop"]), int(g.get("scale_log2", 0)),
                                      bool(g.get("one_sided", False)), int(g.get("scale_mantissa", 1)),
                                      None if i is None else int(i), None if f is None else int(f)))  # fmt: skip
        except KeyError as err:
            raise ValueError(f"score.groups[{i}] lacks {err.args[0]!r}") from None
    return check_groups(groups, latent)


def groups_to_json(groups: Sequence[LatentGroup]) -> list[dict[str, Any]]:
    """The groups for a card or record; a group without its own grid leaves int_bits/frac_bits out."""
    return [{k: v for k, v in g.as_dict().items() if v is not None} for g in groups]


def cast_mu(m: np.ndarray, group: LatentGroup) -> np.ndarray:
    """relu (one-sided group) and the group's fixed-point cast (floor onto 2**-frac_bits, saturate), float64 exact."""
    m = np.asarray(m, dtype=np.float64)
    if group.one_sided:
        m = np.maximum(m, 0.0)
    if not group.clipped:
        return m
    f, top = group.frac_bits, 2.0 ** (group.int_bits + group.frac_bits)
    k = np.clip(np.floor(np.ldexp(m, f)), 0.0 if group.one_sided else -top, top - 1.0)
    return np.ldexp(k, -f)


def saturated(mu: np.ndarray, groups: Sequence[LatentGroup]) -> np.ndarray:
    """(N,) bool: some mu of a group with a cast lies beyond the cast's range (>= 2**int_bits, or < -2**int_bits in a
    two-sided group), so :func:`cast_mu` saturates it; flooring alone is not saturation."""
    mu = np.asarray(mu, dtype=np.float64)
    out = np.zeros(len(mu), bool)
    for g in groups:
        if g.clipped:
            m, top = mu[:, g.start : g.stop], 2.0**g.int_bits
            out |= ((m >= top) | ((m < -top) & (not g.one_sided))).any(axis=1)
    return out


def group_scores(mu: np.ndarray, groups: Sequence[LatentGroup]) -> np.ndarray:
    """(N, n_groups) float64: each group's scaled sum of squares."""
    mu = np.asarray(mu, dtype=np.float64)
    cols = []
    for g in groups:
        m = cast_mu(mu[:, g.start : g.stop], g)
        cols.append(np.sum(m * m, axis=1) * g.scale)  # exact: a <= 8-bit mantissa times a power of two
    return np.stack(cols, axis=1)


def grouped_mu2(mu: np.ndarray, groups: Sequence[LatentGroup] | None = None) -> np.ndarray:
    """(N,) float64 score: the max over groups of :func:`group_scores` (plain sum mu^2 without groups)."""
    mu = np.asarray(mu, dtype=np.float64)
    if groups is None:
        return np.sum(mu * mu, axis=1)
    return group_scores(mu, check_groups(groups, mu.shape[1])).max(axis=1)


def is_plain(groups: Sequence[LatentGroup] | None) -> bool:
    """No groups, or one two-sided group at scale 1 (tiling makes it cover every dimension): plain sum mu^2."""
    return not groups or (
        len(groups) == 1 and groups[0].scale == 1.0 and not groups[0].one_sided and not groups[0].clipped
    )


def describe(groups: Sequence[LatentGroup]) -> str:
    """One line for cards and reports, e.g. ``max(sum_{0..7} mu^2, 0.125 sum_{8..9} relu(mu)^2)``; a group's grid
    reads ``q<int_bits>.<frac_bits>(mu)``."""
    if is_plain(groups):
        return "sum mu^2"
    terms = []
    for g in groups:
        sq = "relu(mu)" if g.one_sided else "mu"
        sq = f"q{g.int_bits}.{g.frac_bits}({sq})^2" if g.clipped else f"{sq}^2"
        scale = f"{g.scale:g} " if g.scale != 1.0 else ""
        terms.append(f"{scale}sum_{{{g.start}..{g.stop - 1}}} {sq}")
    return f"max({', '.join(terms)})"
