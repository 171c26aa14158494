"""Rates and thresholds: targets (rate at an input rate, events per day, FPR), weighted Clopper-Pearson intervals,
and the SM score distribution ``sm_distribution.json`` from which a threshold is retargeted without a new pass.

Weighted counts: a weighted fraction p = sum_{score >= t} w / sum w is treated as a binomial fraction of
k_eff = (sum_{>=t} w)^2 / sum_{>=t} w^2 effective events (Kish) out of n_eff = k_eff / p, so its relative error is
that of the accepted events' own weights (the tail can be dominated by a few heavy events) and Clopper-Pearson
applies to the non-integer counts. With nothing above, the upper limit uses the whole sample's Kish count.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from statistics import NormalDist

import numpy as np

from adtrigger.bundle.fixed import threshold_on_grid
from adtrigger.bundle.schema import TARGET_KINDS, BundleError

CL_1SIGMA = 0.6826894921370859  # central interval of +-1 sigma
SECONDS_PER_DAY = 86400.0
MIN_EFFECTIVE_ABOVE = 10.0  # effective SM events above threshold a target needs (FPR relative error ~ 1/sqrt(10))
DENSE_EVENTS = 2000  # the distribution keeps every distinct score of this many top (effective) events ...
LOG_POINTS = 500  # ... and this many log-spaced FPR levels below them
_UNITS = {"": 1.0, "hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9}


def parse_rate(text: str | float) -> float:
    """A rate in Hz from ``"1kHz"``, ``"100 kHz"``, ``"40MHz"``, ``"250"`` or a number."""
    if isinstance(text, int | float):
        return float(text)
    m = re.fullmatch(r"\s*([-+0-9.eE]+)\s*([kKmMgG]?[hH][zZ])?\s*", text)
    try:
        value = float(m.group(1)) if m else math.nan
    except ValueError:
        value = math.nan
    if not m or not math.isfinite(value):
        raise BundleError(f"cannot read the rate {text!r}: write a number with an optional unit, e.g. 1kHz or 250Hz")
    return value * _UNITS[(m.group(2) or "").lower()]


@dataclass(frozen=True)
class Target:
    """What the threshold must achieve: ``kind`` rate_hz | events_per_day (``value`` at ``input_rate_hz``) | fpr, or
    pure_rate_hz: ``value`` Hz of input events that ``menu`` (a reference L1 menu's name) rejects and the AD takes;
    its ``fpr`` is then that pure fraction of all input events."""

    kind: str
    value: float
    input_rate_hz: float | None = None
    menu: str | None = None

    @property
    def fpr(self) -> float:
        """The SM false-positive rate (accepted fraction) the target means."""
        if self.kind == "fpr":
            return self.value
        per_second = self.value if self.kind in ("rate_hz", "pure_rate_hz") else self.value / SECONDS_PER_DAY
        return per_second / self.input_rate_hz

    def rate_hz(self, fpr: float) -> float | None:
        """The output rate of an accepted fraction ``fpr`` at this target's input rate (None without one)."""
        return None if self.input_rate_hz is None else fpr * self.input_rate_hz

    def as_dict(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if v is not None}
        return {**out, "fpr": self.fpr}


def make_target(
    *,
    rate_hz: float | None = None,
    events_per_day: float | None = None,
    fpr: float | None = None,
    input_rate_hz: float | None = None,
    pure_rate_hz: float | None = None,
    menu: str | None = None,
) -> Target:
    """Check and build a target from exactly one of rate, events per day (both need an input rate), FPR, or a pure
    rate against ``menu`` (with an input rate)."""
    given = {k: v for k, v in (("rate", rate_hz), ("events per day", events_per_day), ("FPR", fpr),
                               ("pure rate", pure_rate_hz)) if v is not None}  # fmt: skip
    if len(given) != 1:
        raise BundleError("give exactly one target: a rate (with an input rate), events per day (with one), an FPR, "
                          "or a pure rate against a menu (with an input rate)")  # fmt: skip
    (what, value), = given.items()
    if not (math.isfinite(value) and value > 0):
        raise BundleError(f"the target {what} must be a positive number, got {value}")
    if fpr is not None:
        if fpr >= 1:
            raise BundleError(f"the target FPR must be below 1, got {fpr}")
        return Target("fpr", float(fpr), None if input_rate_hz is None else float(input_rate_hz))
    if input_rate_hz is None or not (math.isfinite(input_rate_hz) and input_rate_hz > 0):
        raise BundleError(f"a target {what} needs a positive input rate (--input-rate 100kHz), not {input_rate_hz}")
    if pure_rate_hz is not None and not menu:
        raise BundleError("a pure-rate target needs the reference menu it is pure against (--menu MENU)")
    kind = "rate_hz" if rate_hz is not None else "pure_rate_hz" if pure_rate_hz is not None else "events_per_day"
    t = Target(kind, float(value), float(input_rate_hz), menu if kind == "pure_rate_hz" else None)
    if t.fpr >= 1:
        per_day = f"{input_rate_hz * SECONDS_PER_DAY:g} events/day"
        limit = per_day if events_per_day is not None else f"{input_rate_hz:g} Hz"
        raise BundleError(f"the target {what} {value:g} is not below the input rate ({limit}): nothing to reject")
    return t


def target_from_dict(d: Mapping) -> Target:
    """A target as stored in a card's threshold entry (``kind``, ``value``, optional ``input_rate_hz``)."""
    if d.get("kind") not in TARGET_KINDS:
        raise BundleError(f"target kind must be one of {TARGET_KINDS}, got {d.get('kind')!r}")
    try:
        value = float(d["value"])
        rate = None if d.get("input_rate_hz") is None else float(d["input_rate_hz"])
    except (KeyError, TypeError, ValueError):
        raise BundleError(f"a target needs a numeric value (and input_rate_hz), got {dict(d)}") from None
    menu = d.get("menu") if d["kind"] == "pure_rate_hz" else None
    return make_target(**{d["kind"]: value}, input_rate_hz=rate, menu=menu)  # the kinds are make_target's keywords


# --- Clopper-Pearson with non-integer counts -----------------------------------------------------------------------


def _betacf(a: np.ndarray, b: np.ndarray, x: np.ndarray, max_iter: int = 20000) -> np.ndarray:
    """Continued fraction of the incomplete beta function (modified Lentz), vectorised, to 1e-15; an element stops
    iterating once it has converged (large counts need ~sqrt(a + b) terms, small ones a few)."""
    tiny = 1e-300

    def clamp(v: np.ndarray) -> np.ndarray:
        return np.where(np.abs(v) < tiny, tiny, v)

    a, b, x = (np.array(v, dtype=np.float64).ravel() for v in (a, b, x))
    c = np.ones_like(x)
    d = 1.0 / clamp(1.0 - (a + b) * x / (a + 1.0))
    h = d.copy()
    live = np.arange(len(x))
    for m in range(1, max_iter + 1):
        aa_, bb_, xx, cc, dd = a[live], b[live], x[live], c[live], d[live]
        aa = m * (bb_ - m) * xx / ((aa_ - 1.0 + 2 * m) * (aa_ + 2 * m))
        dd = 1.0 / clamp(1.0 + aa * dd)
        cc = clamp(1.0 + aa / cc)
        step = dd * cc
        aa = -(aa_ + m) * (aa_ + bb_ + m) * xx / ((aa_ + 2 * m) * (aa_ + 1.0 + 2 * m))
        dd = 1.0 / clamp(1.0 + aa * dd)
        cc = clamp(1.0 + aa / cc)
        delta = dd * cc
        h[live] *= step * delta
        c[live], d[live] = cc, dd
        live = live[np.abs(delta - 1.0) >= 1e-15]
        if not len(live):
            break
    return h


_lgamma = np.vectorize(math.lgamma, otypes=[np.float64])


def _log_beta_density(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """log of x^a (1-x)^b / B(a, b)."""
    return _lgamma(a + b) - _lgamma(a) - _lgamma(b) + a * np.log(x) + b * np.log1p(-x)


def betainc(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Regularised incomplete beta I_x(a, b) for a, b > 0 (numpy only; scipy.special.betainc in the tests)."""
    a, b, x = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, x)))
    shape = a.shape
    a, b, x = a.ravel(), b.ravel(), x.ravel()
    xc = np.clip(x, 1e-300, 1 - 1e-16)
    front = xc < (a + 1.0) / (a + b + 2.0)
    aa, bb, xx = np.where(front, a, b), np.where(front, b, a), np.where(front, xc, 1 - xc)
    cf = np.exp(_log_beta_density(aa, bb, xx)) * _betacf(aa, bb, xx) / aa
    out = np.where(front, cf, 1.0 - cf)
    return np.where(x <= 0, 0.0, np.where(x >= 1, 1.0, out)).reshape(shape)


def _beta_ppf(q: float, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x with I_x(a, b) = q: Newton steps on u = log x, kept inside a shrinking bracket (bisection when a step
    leaves it), from the normal approximation; converges in a handful of steps, exact for tiny fractions."""
    a, b = (np.asarray(v, dtype=np.float64).ravel() for v in (a, b))
    mean, var = a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))
    z = NormalDist().inv_cdf(q)
    u = np.log(np.clip(mean + z * np.sqrt(var), 1e-300, 1 - 1e-12))
    lo, hi = np.full_like(a, -745.0), np.zeros_like(a)
    lgab = _lgamma(a + b) - _lgamma(a) - _lgamma(b)
    for _ in range(100):
        x = np.exp(u)
        f = betainc(a, b, x) - q
        below = f < 0
        lo, hi = np.where(below, u, lo), np.where(below, hi, u)
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):  # inf steps fall back to bisection
            dfdu = np.exp(lgab + a * u + (b - 1.0) * np.log1p(-np.minimum(x, 1 - 1e-16)))  # d I / d log x
            step = np.where(dfdu > 0, f / np.where(dfdu > 0, dfdu, 1.0), np.inf)
        new = u - step
        new = np.where((new > lo) & (new < hi) & np.isfinite(new), new, 0.5 * (lo + hi))
        done = np.abs(new - u) < 1e-12
        u = new
        if done.all():
            break
    return np.exp(u)


def clopper_pearson(k: np.ndarray, n: np.ndarray, cl: float = CL_1SIGMA) -> tuple[np.ndarray, np.ndarray]:
    """Central Clopper-Pearson interval (lo, hi) of a binomial fraction k/n; k, n may be non-integer (effective)."""
    k, n = np.broadcast_arrays(np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64))
    k = np.minimum(k, n)
    alpha = 1.0 - cl
    lo = np.where(k > 0, _beta_ppf(alpha / 2, np.maximum(k, 1e-12), n - k + 1).reshape(k.shape), 0.0)
    hi = np.where(k < n, _beta_ppf(1 - alpha / 2, k + 1, np.maximum(n - k, 1e-12)).reshape(k.shape), 1.0)
    return lo, hi


def kish(weight: np.ndarray) -> float:
    """Effective number of events (sum w)^2 / sum w^2."""
    w = np.asarray(weight, dtype=np.float64)
    s2 = float((w * w).sum())
    return float(w.sum() ** 2 / s2) if s2 > 0 else 0.0


def weighted_fraction(
    sum_w_above: np.ndarray, sum_w2_above: np.ndarray, sum_w: float, n_eff: float, cl: float = CL_1SIGMA
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(p, lo, hi) of the weighted fraction ``sum_w_above / sum_w`` (see the module docstring for the counts)."""
    sw, sw2 = np.asarray(sum_w_above, dtype=np.float64), np.asarray(sum_w2_above, dtype=np.float64)
    p = sw / sum_w
    k = np.where(sw2 > 0, sw * sw / np.where(sw2 > 0, sw2, 1.0), 0.0)
    n = np.where(p > 0, k / np.where(p > 0, p, 1.0), n_eff)
    lo, hi = clopper_pearson(k, n, cl)
    return p, lo, hi


def effective_above(scores: np.ndarray, weight: np.ndarray, threshold: float) -> float:
    """Kish effective count of the events with ``score >= threshold``."""
    sel = np.asarray(scores) >= threshold
    return kish(np.asarray(weight)[sel])


# --- thresholds from scores ----------------------------------------------------------------------------------------


def _tail_sums(scores: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct scores descending, with the weight, squared weight and number of the events at or above each."""
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    s, w = np.asarray(scores, dtype=np.float64)[order], np.asarray(weight, dtype=np.float64)[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    return s[last], np.cumsum(w)[last], np.cumsum(w * w)[last], last + 1


def resolved(n_effective: float, fpr: float | np.ndarray) -> bool | np.ndarray:
    """Whether the data resolve an SM fraction ``fpr`` (a number, or an array elementwise): a non-zero fraction with
    at least ``MIN_EFFECTIVE_ABOVE`` effective SM events above the threshold."""
    fpr = np.asarray(fpr, dtype=np.float64)
    ok = (fpr > 0) & (n_effective * fpr >= MIN_EFFECTIVE_ABOVE)
    return bool(ok) if ok.ndim == 0 else ok


def check_resolved(n_effective: float, fpr: float, what: str = "SM sample") -> None:
    """Refuse a target FPR that leaves fewer than ``MIN_EFFECTIVE_ABOVE`` effective SM events above threshold."""
    if not resolved(n_effective, fpr):
        need = MIN_EFFECTIVE_ABOVE / fpr
        raise BundleError(
            f"the target FPR {fpr:.3g} cannot be resolved: the {what} has {n_effective:.4g} effective events, so "
            f"~{n_effective * fpr:.2g} would lie above the threshold; {MIN_EFFECTIVE_ABOVE:g} need ~{need:.3g} "
            "effective events: give more SM data or a looser target"
        )


def threshold_at_fpr(scores: np.ndarray, weight: np.ndarray, fpr: float) -> float:
    """The lowest score t whose weighted SM fraction with ``score >= t`` does not exceed ``fpr``."""
    s, cw, _, _ = _tail_sums(scores, weight)
    ok = np.flatnonzero(cw / float(np.sum(weight, dtype=np.float64)) <= fpr)
    return float(s[ok[-1]]) if len(ok) else float(np.nextafter(s[0], np.inf))


def fraction_above(scores: np.ndarray, weight: np.ndarray, thresholds: np.ndarray, cl: float = CL_1SIGMA) -> dict:
    """Weighted fraction with ``score >= t`` for each threshold, with its interval: {fpr, fpr_lo, fpr_hi}."""
    s = np.asarray(scores, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)
    order = np.argsort(s, kind="stable")
    s, w = s[order], w[order]
    tail_w = np.r_[np.cumsum(w[::-1])[::-1], 0.0]  # weight at index >= i
    tail_w2 = np.r_[np.cumsum((w * w)[::-1])[::-1], 0.0]
    i = np.searchsorted(s, np.asarray(thresholds, dtype=np.float64), side="left")
    p, lo, hi = weighted_fraction(tail_w[i], tail_w2[i], float(w.sum()), kish(w), cl)
    return {"fpr": p.tolist(), "fpr_lo": lo.tolist(), "fpr_hi": hi.tolist()}


# --- the SM distribution -------------------------------------------------------------------------------------------


def sm_distribution(
    scores: np.ndarray,
    weight: np.ndarray,
    score_kind: str,
    *,
    heldout: tuple[np.ndarray, np.ndarray] | None = None,
    cl: float = CL_1SIGMA,
    dense_events: int = DENSE_EVENTS,
    log_points: int = LOG_POINTS,
) -> dict:
    """The SM score distribution of docs/bundle.md from the threshold-setting SM scores (and weights).

    Thresholds are every distinct score down to where ``dense_events`` events *and* effective events lie above
    (a tail of light events, e.g. ttbar, is dense in events but not in rate), plus ``log_points`` log-spaced FPR
    levels below; ``fpr`` is the weighted fraction with score >= threshold. With ``heldout`` (scores, weights of an
    independent SM half), ``heldout`` holds that half's fraction at the same thresholds: the achieved rate.
    """
    scores = np.asarray(scores, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    total = float(weight.sum())
    s, cw, cw2, count = _tail_sums(scores, weight)
    frac = cw / total
    # every distinct score while fewer than dense_events events, or effective events, lie above the one before
    n_eff_above = cw * cw / np.where(cw2 > 0, cw2, 1.0)
    dense = np.flatnonzero(np.minimum(np.r_[0, count[:-1]], np.r_[0.0, n_eff_above[:-1]]) < dense_events)
    start = frac[dense[-1]] if len(dense) else frac[0]
    levels = np.geomspace(max(start, 1e-300), 1.0, log_points)
    sparse = np.searchsorted(frac, levels, side="right") - 1  # last distinct score with fraction <= level
    idx = np.unique(np.r_[dense, sparse[sparse >= 0], len(s) - 1])[::-1]  # ascending thresholds
    thresholds = s[idx]
    out = {
        "score_kind": score_kind,
        "n_events": len(scores),
        "sum_weights": total,
        "n_effective": kish(weight),
        "cl": cl,
        "thresholds": thresholds.tolist(),
        **fraction_above(scores, weight, thresholds, cl),
    }
    if heldout is not None:
        hs, hw = (np.asarray(v, dtype=np.float64) for v in heldout)
        out["heldout"] = {
            "n_events": len(hs),
            "sum_weights": float(hw.sum()),
            "n_effective": kish(hw),
            **fraction_above(hs, hw, thresholds, cl),
        }
    return out


@dataclass(frozen=True)
class Retarget:
    """A threshold retargeted from a stored SM distribution, with the rate it achieves."""

    threshold: float
    fixed: dict | None  # {"raw", "value"} on fixed_point.score's grid, when a score type was given
    target: Target
    achieved: dict  # fpr, fpr_lo, fpr_hi, cl (+ rate_hz, rate_hz_lo, rate_hz_hi with an input rate), split


def retarget(distribution: Mapping, target: Target, score_type: Mapping | None = None) -> Retarget:
    """The lowest stored threshold whose SM fraction does not exceed the target's FPR, and its achieved rate (on
    the held-out half when the distribution has one). With ``score_type`` the threshold is put on the L1 grid."""
    if target.kind == "pure_rate_hz":
        raise BundleError(
            "a pure-rate target needs the reference menu's decisions on SM events, which the stored distribution "
            "does not keep: run adtrigger calibrate --menu MENU --pure-rate RATE"
        )
    fpr = target.fpr
    check_resolved(float(distribution["n_effective"]), fpr, "stored SM distribution")
    thresholds = np.asarray(distribution["thresholds"], dtype=np.float64)
    frac = np.asarray(distribution["fpr"], dtype=np.float64)
    ok = np.flatnonzero(frac <= fpr)
    if not len(ok):
        raise BundleError(f"no stored threshold reaches FPR {fpr:.3g} (lowest stored {frac.min():.3g})")
    i = int(ok[0])
    threshold = float(thresholds[i])
    fixed = None
    if score_type is not None:
        fixed = threshold_on_grid(threshold, score_type)
        threshold = fixed["value"]
    ref = distribution.get("heldout") or distribution
    split = "independent SM half" if "heldout" in distribution else "threshold-setting SM sample (not independent)"
    # with a grid threshold the achieved point is the first stored threshold at or above it
    j = min(int(np.searchsorted(thresholds, threshold, side="left")), len(thresholds) - 1)
    achieved = {
        "fpr": float(ref["fpr"][j]),
        "fpr_lo": float(ref["fpr_lo"][j]),
        "fpr_hi": float(ref["fpr_hi"][j]),
        "cl": float(distribution.get("cl", CL_1SIGMA)),
        "split": split,
    }
    if target.input_rate_hz is not None:
        achieved |= {f"rate_hz{s}": achieved[f"fpr{s}"] * target.input_rate_hz for s in ("", "_lo", "_hi")}
    return Retarget(threshold=threshold, fixed=fixed, target=target, achieved=achieved)
