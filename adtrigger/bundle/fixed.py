"""The L1 threshold on the firmware's score grid: the fixed-point type ``fixed_point.score`` of the card.

The firmware compares its fixed-point score with an integer ``raw`` threshold; the HLT compares the float score with
the float threshold. Both must take the same decision on every event, so the float threshold is put on the grid
(``raw * 2**-fraction``) and :func:`disagreements` counts the events where the two decisions would differ.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from adtrigger.bundle.schema import BundleError


def raw_range(score_type: Mapping) -> tuple[int, int]:
    """(lowest, highest) raw integer of an ``ap_fixed``/``ap_ufixed`` type ``{signed, width, integer, fraction}``."""
    w = int(score_type["width"])
    return (-(2 ** (w - 1)), 2 ** (w - 1) - 1) if score_type["signed"] else (0, 2**w - 1)


def threshold_on_grid(threshold: float, score_type: Mapping) -> dict:
    """``{"raw", "value"}``: the smallest grid value >= ``threshold``, so a score on the grid is accepted by
    ``score >= value`` exactly when it is by ``score >= threshold``. Refused beyond the type's range."""
    f = int(score_type["fraction"])
    lo, hi = raw_range(score_type)
    raw = math.ceil(math.ldexp(float(threshold), f))
    if raw > hi:
        raise BundleError(
            f"threshold {threshold:g} is above the largest L1 score {math.ldexp(hi, -f):g} of fixed_point.score "
            f"({score_type}): the firmware could never accept an event at it; choose a looser target"
        )
    raw = max(raw, lo)
    return {"raw": int(raw), "value": math.ldexp(raw, -f)}


def fixed_scores(scores: np.ndarray, score_type: Mapping) -> np.ndarray:
    """(N,) int64 raw firmware scores of float scores: truncated onto the grid and saturated (AP_TRN, AP_SAT)."""
    lo, hi = raw_range(score_type)
    scaled = np.floor(np.ldexp(np.asarray(scores, dtype=np.float64), int(score_type["fraction"])))
    return np.clip(scaled, lo, hi).astype(np.int64)


def disagreements(scores: np.ndarray, threshold: float, raw: int, score_type: Mapping) -> int:
    """How many events the float decision ``score >= threshold`` and the L1 decision ``fixed >= raw`` disagree on."""
    scores = np.asarray(scores, dtype=np.float64)
    return int(np.count_nonzero((scores >= threshold) != (fixed_scores(scores, score_type) >= raw)))
