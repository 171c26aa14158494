"""The L1 score from the latent means, defined once for training, ONNX export and firmware: grouped sum mu^2.

The latent vector mu is cut into contiguous groups (e.g. a topology group and a kinematic group); each group scores

    s_g = mantissa_g * 2**scale_log2_g * sum_{d in [start_g, stop_g)} m_g(mu_d)**2,   m_g = relu if one_sided_g
                                                                                         else identity

and the event scores ``max_g s_g``. One threshold on the max is the OR of one threshold per group; the group scale
(a small integer ``scale_mantissa`` < 256 times a power of two: a constant multiplier of a few adders and a free
shift in firmware) sets how the SM rate is shared between the groups. A single group over every dimension with
scale 1, two-sided, is AXOL1TL's plain sum mu^2.

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

    def __post_init__(self) -> None:
        if not (isinstance(self.start, int) and isinstance(self.stop, int) and 0 <= self.start < self.stop):
            raise ValueError(f"a latent group needs integers 0 <= start < stop, got [{self.start}, {self.stop})")
        if not isinstance(self.scale_log2, int) or abs(self.scale_log2) > 24:
            raise ValueError(f"scale_log2 must be an integer in [-24, 24], got {self.scale_log2!r}")
        if not isinstance(self.scale_mantissa, int) or not 1 <= self.scale_mantissa < 256:
            raise ValueError(f"scale_mantissa must be an integer in [1, 255], got {self.scale_mantissa!r}")

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
            groups.append(LatentGroup(int(g["start"]), int(g["stop"]), int(g.get("scale_log2", 0)),
                                      bool(g.get("one_sided", False)), int(g.get("scale_mantissa", 1))))  # fmt: skip
        except KeyError as err:
            raise ValueError(f"score.groups[{i}] lacks {err.args[0]!r}") from None
    return check_groups(groups, latent)


def groups_to_json(groups: Sequence[LatentGroup]) -> list[dict[str, Any]]:
    return [g.as_dict() for g in groups]


def group_scores(mu: np.ndarray, groups: Sequence[LatentGroup]) -> np.ndarray:
    """(N, n_groups) float64: each group's scaled sum of squares."""
    mu = np.asarray(mu, dtype=np.float64)
    cols = []
    for g in groups:
        m = mu[:, g.start : g.stop]
        if g.one_sided:
            m = np.maximum(m, 0.0)
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
    return not groups or (len(groups) == 1 and groups[0].scale == 1.0 and not groups[0].one_sided)


def describe(groups: Sequence[LatentGroup]) -> str:
    """One line for cards and reports, e.g. ``max(sum_{0..7} mu^2, 2^-3 sum_{8..9} relu(mu)^2)``."""
    if is_plain(groups):
        return "sum mu^2"
    terms = []
    for g in groups:
        sq = "relu(mu)^2" if g.one_sided else "mu^2"
        scale = f"{g.scale:g} " if g.scale != 1.0 else ""
        terms.append(f"{scale}sum_{{{g.start}..{g.stop - 1}}} {sq}")
    return f"max({', '.join(terms)})"
