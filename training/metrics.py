"""Weighted ROC curves and operating points of an anomaly score against a weighted SM background.

Convention (as AXOL1TL's menu): an event is accepted when ``score >= threshold``. SM events carry cocktail weights;
a working point is only reported as resolved when enough effective SM events lie above its threshold.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

# Seed-004's stream: 110 M W events a month from 58 nb x 55.6 % acceptance x 68 % trigger efficiency gives an
# integrated luminosity of ~5 fb^-1 a month (and its table's "xsec for 100 evt/month" = 100 / (5000 pb^-1 x eff)).
LUMI_PER_MONTH_PB = 5000.0
# Seed-004's single-lepton stream: 186 M events a month (W 110 M is 59.2 %), i.e. 6.2 M a day.
SEED004_STREAM_EVENTS_PER_DAY = 110e6 / 0.592 / 30.0
MIN_EFFECTIVE_SM_ABOVE = 5.0  # expected effective SM events above threshold; below, the FPR error exceeds ~45 %


def effective_count(weight: np.ndarray) -> float:
    """(sum w)^2 / sum w^2: the number of unweighted events with the same statistical power."""
    w = np.asarray(weight, dtype=np.float64)
    s2 = float((w**2).sum())
    return float(w.sum() ** 2 / s2) if s2 > 0 else 0.0


def min_resolved_fpr(sm_weight: np.ndarray) -> float:
    """The lowest FPR whose threshold keeps MIN_EFFECTIVE_SM_ABOVE effective SM events above it; below it the
    rate is unresolved (operating points say so, plots shade it)."""
    n_eff = effective_count(sm_weight)
    return MIN_EFFECTIVE_SM_ABOVE / n_eff if n_eff > 0 else 1.0


def _scored(scores: np.ndarray, weight: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Scores and weights as float64 arrays; no weights means unit weights."""
    scores = np.asarray(scores, dtype=np.float64)
    return scores, np.ones_like(scores) if weight is None else np.asarray(weight, dtype=np.float64)


def roc_curve(
    sm: np.ndarray, sm_weight: np.ndarray | None, sig: np.ndarray, sig_weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted ROC: (fpr, tpr, thresholds), thresholds descending, accepting ``score >= threshold``."""
    sm, w_sm = _scored(sm, sm_weight)
    sig, w_sig = _scored(sig, sig_weight)
    scores = np.concatenate([sm, sig])
    is_sig = np.concatenate([np.zeros(len(sm), bool), np.ones(len(sig), bool)])
    w = np.concatenate([w_sm, w_sig])
    order = np.argsort(-scores, kind="stable")
    scores, is_sig, w = scores[order], is_sig[order], w[order]
    cum_sig = np.cumsum(np.where(is_sig, w, 0.0))
    cum_sm = np.cumsum(np.where(is_sig, 0.0, w))
    last = np.r_[np.flatnonzero(np.diff(scores) != 0), len(scores) - 1]  # last index of each distinct score
    fpr = np.r_[0.0, cum_sm[last] / w_sm.sum()]
    tpr = np.r_[0.0, cum_sig[last] / w_sig.sum()]
    thresholds = np.r_[np.inf, scores[last]]
    return fpr, tpr, thresholds


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """Area under a ROC curve (trapezoids)."""
    return float(np.trapezoid(tpr, fpr))


def threshold_at_fpr(sm: np.ndarray, sm_weight: np.ndarray | None, fpr: float) -> float:
    """The lowest threshold whose weighted SM acceptance (score >= t) does not exceed ``fpr``."""
    if not 0 < fpr < 1:
        raise ValueError(f"FPR must be in (0, 1), got {fpr}")
    sm, w = _scored(sm, sm_weight)
    order = np.argsort(-sm, kind="stable")
    s, cw = sm[order], np.cumsum(w[order]) / w.sum()
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    ok = cw[last] <= fpr
    if not ok.any():
        return float(np.nextafter(s[0], np.inf))  # nothing can be accepted: just above the highest SM score
    return float(s[last[np.flatnonzero(ok)[-1]]])


@dataclass
class OperatingPoint:
    """Signal efficiency at a target SM false-positive rate, with what the statistics allow."""

    target_fpr: float
    threshold: float
    fpr: float  # achieved on the SM sample
    tpr: float
    tpr_err: float  # binomial, from the signal's effective count
    sm_effective_above: float  # effective SM events above the threshold
    resolved: bool  # enough SM statistics above the threshold to trust the FPR

    def as_dict(self) -> dict:
        return asdict(self)


def operating_point(
    sm: np.ndarray,
    sm_weight: np.ndarray | None,
    sig: np.ndarray,
    sig_weight: np.ndarray | None,
    fpr: float,
) -> OperatingPoint:
    """TPR at a target FPR; ``resolved`` is False below :func:`min_resolved_fpr` (too few SM events above)."""
    sm, w_sm = _scored(sm, sm_weight)
    sig, w_sig = _scored(sig, sig_weight)
    t = threshold_at_fpr(sm, w_sm, fpr)
    above_sm = sm >= t
    above_sig = sig >= t
    tpr = float(w_sig[above_sig].sum() / w_sig.sum())
    n_sig = effective_count(w_sig)
    # the SM statistics a rate estimate needs: expected effective count above threshold
    n_eff_above = effective_count(w_sm[above_sm]) if above_sm.any() else 0.0
    return OperatingPoint(
        target_fpr=fpr,
        threshold=t,
        fpr=float(w_sm[above_sm].sum() / w_sm.sum()),
        tpr=tpr,
        tpr_err=float(np.sqrt(max(tpr * (1 - tpr), 1.0 / n_sig**2) / n_sig)) if n_sig else float("nan"),
        sm_effective_above=n_eff_above,
        resolved=bool(fpr >= min_resolved_fpr(w_sm)),
    )


def fpr_for_events_per_day(
    events_per_day: float, stream_events_per_day: float = SEED004_STREAM_EVENTS_PER_DAY
) -> float:
    """The SM false-positive rate that accepts ``events_per_day`` from seed-004's single-lepton stream."""
    return events_per_day / stream_events_per_day


def sigma_for_events(efficiency: float, n_events: float = 100.0, lumi_pb: float = LUMI_PER_MONTH_PB) -> float:
    """Cross section in pb that gives ``n_events`` selected signal events in ``lumi_pb`` (default: a month)."""
    return float("inf") if efficiency <= 0 else n_events / (lumi_pb * efficiency)
