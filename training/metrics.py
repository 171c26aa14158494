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
BOOTSTRAP_RESAMPLES = 200
BAND_LEVEL = 0.68  # central interval of the bootstrap TPRs: a 1-sigma band
_BOOTSTRAP_CHUNK_ELEMENTS = 4_000_000  # resamples x events held as float64 at once (~32 MB)


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


def auc_and_tprs(sm: np.ndarray, sm_weight: np.ndarray | None, sig: np.ndarray, fprs=(1e-3, 1e-4)) -> dict[str, float]:
    """{"auc", f"{fpr:g}": TPR} of unweighted signal scores against the weighted SM: the compact row of a scan."""
    fpr, tpr, _ = roc_curve(sm, sm_weight, sig)
    out = {"auc": auc(fpr, tpr)}
    sig = np.asarray(sig, dtype=np.float64)
    for p in fprs:
        out[f"{p:g}"] = float(np.mean(sig >= threshold_at_fpr(sm, sm_weight, p)))
    return out


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


# ---------------------------------------------------------------- bootstrap bands
# At FPR <= 1e-4 the threshold sits on a few tens of SM events, so the TPR's error is dominated by where the
# threshold falls, which the binomial tpr_err ignores. The bootstrap resamples both the SM (with its weights) and the
# signal, recomputes the threshold on each resampled SM exactly as threshold_at_fpr does and the TPR on the resampled
# signal. Poisson(1) multiplicities stand for resampling with replacement, so every resample is a weight vector on
# one sort of the scores (no per-resample sort), and only the cumulative sums over the events near the top, where the
# thresholds fall, are needed: the totals are one matrix-vector product.


def poisson_multiplicities(n_events: int, n_resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0) -> np.ndarray:
    """(n_resamples, n_events) uint8 Poisson(1) counts: how often each event occurs in each bootstrap resample."""
    rng = np.random.default_rng(seed)
    out = np.empty((n_resamples, n_events), dtype=np.uint8)
    step = _chunk_rows(n_events)
    for i in range(0, n_resamples, step):
        out[i : i + step] = rng.poisson(1.0, size=(min(step, n_resamples - i), n_events))
    return out


def _chunk_rows(n_events: int) -> int:
    """Resamples per chunk, so that a chunk's float64 weights stay within _BOOTSTRAP_CHUNK_ELEMENTS."""
    return max(1, _BOOTSTRAP_CHUNK_ELEMENTS // max(n_events, 1))


def _resampled_cumsum(
    multiplicity: np.ndarray, columns: np.ndarray, sorted_weight: np.ndarray, buf: np.ndarray | None = None
) -> np.ndarray:
    """(rows, len(columns) + 1) cumulative resampled weight of the events ``columns`` (in score order) with a leading
    0, for a chunk of resamples; in ``buf`` when it is large enough (a fresh array per chunk costs more in page faults
    than the cumsum)."""
    shape = (len(multiplicity), len(columns) + 1)
    out = buf[: shape[0], : shape[1]] if buf is not None and buf.shape[1] == shape[1] else np.empty(shape)
    out[:, 0] = 0.0
    np.multiply(multiplicity[:, columns], sorted_weight, out=out[:, 1:])
    np.cumsum(out[:, 1:], axis=1, out=out[:, 1:])
    return out


def _chunk_thresholds(
    multiplicity: np.ndarray, order: np.ndarray, s: np.ndarray, w: np.ndarray, last: np.ndarray, total: np.ndarray,
    fprs: np.ndarray, k: int,
) -> np.ndarray:  # fmt: skip
    """(rows, n_fpr) thresholds of a chunk of resamples, from the cumulative sums over the top ``k`` events only:
    ``k`` (whole groups of equal scores) grows until every resample's acceptance there exceeds the largest FPR."""
    while True:
        n_groups = int(np.searchsorted(last, min(k, len(s)) - 1)) + 1
        k = int(last[n_groups - 1]) + 1
        at_group = _resampled_cumsum(multiplicity, order[:k], w[:k])[:, 1:][:, last[:n_groups]]
        cum = at_group / total  # (rows, groups) acceptance at each distinct score
        if k == len(s) or (cum[:, -1] > fprs.max()).all():
            break
        k *= 4
    group_score = s[last[:n_groups]]
    present = np.diff(at_group, axis=1, prepend=0.0) > 0  # a group the resample holds
    top = np.where(present.any(axis=1), present.argmax(axis=1), 0)  # the resample's highest SM score
    nothing = np.nextafter(group_score[top], np.inf)  # nothing can be accepted: just above the top
    out = np.empty((len(multiplicity), len(fprs)))
    for j, fpr in enumerate(fprs):
        ok = (cum <= fpr) & present  # a prefix of the groups (cum rises), less the absent ones
        lowest = n_groups - 1 - ok[:, ::-1].argmax(axis=1)
        out[:, j] = np.where(ok.any(axis=1), group_score[lowest], nothing)
    return out


def bootstrap_thresholds(
    sm: np.ndarray, sm_weight: np.ndarray | None, fprs: np.ndarray | list[float], multiplicity: np.ndarray
) -> np.ndarray:
    """(n_resamples, n_fpr) :func:`threshold_at_fpr` of each resampled SM (weights x ``multiplicity`` row)."""
    fprs = np.atleast_1d(np.asarray(fprs, dtype=np.float64))
    if not ((fprs > 0) & (fprs < 1)).all():
        raise ValueError(f"FPRs must be in (0, 1), got {fprs}")
    sm, weight = _scored(sm, sm_weight)
    order = np.argsort(-sm, kind="stable")
    s, w = sm[order], weight[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]  # last index of each distinct score
    k = int(np.searchsorted(np.cumsum(w) / w.sum(), min(1.0, 3 * fprs.max()))) + 64  # a first guess
    out = np.empty((len(multiplicity), len(fprs)))
    step = _chunk_rows(len(s))
    for i in range(0, len(multiplicity), step):
        m = multiplicity[i : i + step]
        total = (m @ weight)[:, None]
        out[i : i + step] = _chunk_thresholds(m, order, s, w, last, np.where(total > 0, total, 1.0), fprs, k)
    return out


def bootstrap_tprs(
    sig: np.ndarray, sig_weight: np.ndarray | None, thresholds: np.ndarray, multiplicity: np.ndarray
) -> np.ndarray:
    """(n_resamples, n_fpr) weighted signal acceptance of ``score >= thresholds[b, j]`` in resample b."""
    sig, weight = _scored(sig, sig_weight)
    order = np.argsort(-sig, kind="stable")
    thresholds = np.asarray(thresholds, dtype=np.float64)
    n_above = np.searchsorted(-sig[order], -thresholds, side="right")  # (n_resamples, n_fpr) events with score >= t
    k = int(n_above.max(initial=0))  # only the top k events can be accepted in any resample
    columns, w = order[:k], weight[order[:k]]
    out = np.empty(thresholds.shape)
    step = _chunk_rows(len(sig))
    buf = np.empty((min(step, len(multiplicity)), k + 1))
    for i in range(0, len(multiplicity), step):
        m = multiplicity[i : i + step]
        accepted = np.take_along_axis(_resampled_cumsum(m, columns, w, buf), n_above[i : i + step], axis=1)
        total = (m @ weight)[:, None]
        out[i : i + step] = np.where(total > 0, accepted / np.where(total > 0, total, 1.0), np.nan)
    return out


def central_band(samples: np.ndarray, level: float = BAND_LEVEL) -> np.ndarray:
    """(..., 2) the central ``level`` interval of bootstrap samples along axis 0 (NaN resamples left out)."""
    q = 50.0 * (1 - level), 50.0 * (1 + level)
    return np.moveaxis(np.nanpercentile(np.asarray(samples, dtype=np.float64), q, axis=0), 0, -1)


def tpr_bands(
    sm: np.ndarray,
    sm_weight: np.ndarray | None,
    sig: np.ndarray,
    sig_weight: np.ndarray | None,
    fprs: float | list[float] | np.ndarray,
    *,
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
    level: float = BAND_LEVEL,
) -> np.ndarray:
    """(n_fpr, 2) bootstrap ``level`` band [lo, hi] of the TPR at each target FPR, SM and signal both resampled;
    deterministic for a seed (the SM uses ``seed``, the signal ``seed + 1``)."""
    fprs = np.atleast_1d(np.asarray(fprs, dtype=np.float64))
    t = bootstrap_thresholds(sm, sm_weight, fprs, poisson_multiplicities(len(sm), n_resamples, seed))
    tpr = bootstrap_tprs(sig, sig_weight, t, poisson_multiplicities(len(sig), n_resamples, seed + 1))
    return central_band(tpr, level)
