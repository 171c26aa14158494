"""Evaluation of anomaly scores against the weighted SM: metrics (JSON), ROC plots (PNG) and markdown tables.

Works on score arrays only, so the VAE, its float twin, the plain L1 triggers, the AE baseline and the supervised
reference are judged by one code path. The bar a model must clear at each FPR is the best of the plain triggers and
the AE there (:data:`BAR_SCORES`); the supervised classifier, trained on the signal, is a reference, not part of it.
TPRs at FPR <= 1e-4 carry a bootstrap 68 % band (:func:`metrics.tpr_bands`): there the threshold rests on a few
tens of SM events and its position, not the signal count, sets the error.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from adtrigger.training.metrics import (
    BAND_LEVEL,
    BOOTSTRAP_RESAMPLES,
    MIN_EFFECTIVE_SM_ABOVE,
    auc,
    bootstrap_thresholds,
    bootstrap_tprs,
    central_band,
    effective_count,
    fpr_for_events_per_day,
    min_resolved_fpr,
    operating_point,
    poisson_multiplicities,
    roc_curve,
    sigma_for_events,
)
from adtrigger.training.plain_triggers import PLAIN_TRIGGERS

FPR_POINTS = (1e-5, 1e-4, 1e-3)
EVENTS_PER_DAY = 50.0  # seed-004 fixes the SM acceptance at ~30-50 events/day
BAND_MAX_FPR = 1e-4  # operating points at or below this FPR get a bootstrap band
BAR_TABLE_FPRS = (1e-3, 1e-4)  # the bar table's FPR points
AE_SCORE = "AE (ADC2021)"
SUPERVISED_SCORE = "supervised"
FLOAT_TWIN_SCORE = "float twin"
PLAIN_TRIGGER_SCORES = tuple(PLAIN_TRIGGERS)  # MET, S_T, leading lepton pT
BAR_SCORES = (*PLAIN_TRIGGER_SCORES, AE_SCORE)  # in this order: a tie goes to the first


def _sm_key(sm: dict[str, np.ndarray], name: str, signal: str) -> str:
    """Which SM scores a signal's score is compared with: shared, or trained for that signal (``name@signal``)."""
    return name if name in sm else f"{name}@{signal}"


def _sm_reference(sm: dict[str, np.ndarray], name: str, signal: str) -> np.ndarray:
    """The SM scores of :func:`_sm_key`."""
    return sm[_sm_key(sm, name, signal)]


def evaluate_scores(
    sm: dict[str, np.ndarray],
    sm_weight: np.ndarray,
    signals: dict[str, dict[str, np.ndarray]],
    *,
    primary: str | None = None,
    n_resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = 0,
) -> dict[str, Any]:
    """Metrics per (score name, signal): AUC, TPR at FPR 1e-5/1e-4/1e-3, efficiency at 50 SM events/day; with
    ``primary`` (the model's score name) also the bar and the model's ratios to it and to its float twin
    (:func:`compare_to_bar`).

    sm: score name -> (N_sm,) scores; signals: signal -> score name -> (N_sig,) scores. A reference score
    (e.g. the supervised classifier) may exist for some signals only. Operating points at FPR <= 1e-4 get
    ``tpr_band`` [lo, hi], the bootstrap 68 % band from ``n_resamples`` resamples (seeded): one set of SM resamples
    for every score, one per signal, so the bands of different scores share their SM fluctuations.
    """
    out: dict[str, Any] = {
        "sm_events": len(sm_weight),
        "sm_effective_events": effective_count(sm_weight),
        "min_resolved_fpr": min_resolved_fpr(sm_weight),
        "events_per_day": EVENTS_PER_DAY,
        "fpr_at_events_per_day": fpr_for_events_per_day(EVENTS_PER_DAY),
        "bootstrap": {"resamples": n_resamples, "seed": seed, "level": BAND_LEVEL, "max_fpr": BAND_MAX_FPR},
        "scores": {},
    }
    band_points = [p for p in FPR_POINTS if p <= BAND_MAX_FPR]
    day_banded = out["fpr_at_events_per_day"] <= BAND_MAX_FPR
    band_fprs = [*band_points, *([out["fpr_at_events_per_day"]] if day_banded else [])]
    sm_resamples = poisson_multiplicities(len(sm_weight), n_resamples, seed) if n_resamples else None
    thresholds: dict[str, np.ndarray] = {}  # bootstrap thresholds per SM reference, shared by the signals
    for signal, by_score in signals.items():
        sig_resamples = None
        for name, sig in by_score.items():
            sm_key = _sm_key(sm, name, signal)
            sm_scores = sm[sm_key]
            fpr, tpr, _ = roc_curve(sm_scores, sm_weight, sig)
            points = {f"{p:g}": operating_point(sm_scores, sm_weight, sig, None, p).as_dict() for p in FPR_POINTS}
            day = operating_point(sm_scores, sm_weight, sig, None, out["fpr_at_events_per_day"]).as_dict()
            day["sigma_pb_for_100_per_month"] = sigma_for_events(day["tpr"])
            if sm_resamples is not None and band_fprs:
                if sm_key not in thresholds:
                    thresholds[sm_key] = bootstrap_thresholds(sm_scores, sm_weight, band_fprs, sm_resamples)
                if sig_resamples is None:
                    sig_resamples = poisson_multiplicities(len(sig), n_resamples, seed + 1)
                bands = central_band(bootstrap_tprs(sig, None, thresholds[sm_key], sig_resamples), BAND_LEVEL)
                targets = [points[f"{p:g}"] for p in band_points] + ([day] if day_banded else [])
                for point, band in zip(targets, bands.tolist(), strict=True):
                    point["tpr_band"] = band
            out["scores"].setdefault(name, {})[signal] = {
                "auc": auc(fpr, tpr),
                "tpr_at_fpr": points,
                "at_events_per_day": day,
                "signal_events": len(sig),
            }
    if primary is not None:
        out.update(compare_to_bar(out, primary))
    return out


def _ratio(num: float, den: float) -> float | None:
    """num / den; inf for a positive num over 0, None when both are 0 (no ratio to speak of)."""
    if den > 0:
        return num / den
    return float("inf") if num > 0 else None


def compare_to_bar(
    metrics: dict[str, Any],
    primary: str,
    bar_scores: Sequence[str] = BAR_SCORES,
    twin: str = FLOAT_TWIN_SCORE,
) -> dict[str, Any]:
    """The bar and the model's standing, per signal and FPR point (keys as ``tpr_at_fpr``).

    ``bar[signal][fpr]``: {"tpr", "by", "tpr_band"?, "resolved"}, the best TPR among ``bar_scores`` present for that
    signal (a tie goes to the first named); ``ratio_to_bar[signal][fpr]`` the primary's TPR over it;
    ``ratio_to_float_twin[signal][fpr]`` the primary's TPR over the float twin's, i.e. what the quantized
    (firmware) model keeps of its float architecture. A ratio is inf over a zero TPR, None when both are zero.
    """
    scores = metrics["scores"]
    out: dict[str, Any] = {"primary_score": primary, "bar_scores": list(bar_scores), "bar": {},
                           "ratio_to_bar": {}, "ratio_to_float_twin": {}}  # fmt: skip
    for signal, m in scores.get(primary, {}).items():
        candidates = [(name, scores[name][signal]) for name in bar_scores if signal in scores.get(name, {})]
        for key, point in m["tpr_at_fpr"].items():
            if candidates:
                by, best = max(candidates, key=lambda c: c[1]["tpr_at_fpr"][key]["tpr"])  # max keeps the first
                best_point = best["tpr_at_fpr"][key]
                entry = {"tpr": best_point["tpr"], "by": by, "resolved": best_point["resolved"]}
                if "tpr_band" in best_point:
                    entry["tpr_band"] = best_point["tpr_band"]
                out["bar"].setdefault(signal, {})[key] = entry
                out["ratio_to_bar"].setdefault(signal, {})[key] = _ratio(point["tpr"], entry["tpr"])
            if signal in scores.get(twin, {}):
                twin_tpr = scores[twin][signal]["tpr_at_fpr"][key]["tpr"]
                out["ratio_to_float_twin"].setdefault(signal, {})[key] = _ratio(point["tpr"], twin_tpr)
    return out


def _tpr_text(point: dict[str, Any]) -> str:
    """``0.025 [0.019, 0.031]`` (the bootstrap band where there is one), in parentheses when unresolved."""
    text = f"{point['tpr']:.3g}"
    if "tpr_band" in point:
        lo, hi = point["tpr_band"]
        text += f" [{lo:.3g}, {hi:.3g}]"
    return text if point["resolved"] else f"({text})"


def _count_text(n: float) -> str:
    return f"{n:.1f}" if n < 10 else f"{n:.0f}"


def _ratio_text(r: float | None) -> str:
    return "n/a" if r is None else f"{r:.2f}"


def fpr_label(fpr: float) -> str:
    """1e-3 rather than 0.001: how the FPR working points are named in tables and plots."""
    mantissa, exponent = f"{fpr:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def markdown_table(metrics: dict[str, Any], fpr: float | Sequence[float] = FPR_POINTS) -> str:
    """One row per (signal, score): AUC, and at each FPR in ``fpr`` the TPR (with its bootstrap band at FPR <= 1e-4)
    and the effective SM events above its threshold; highest FPR first, since on a small SM stream only the highest
    is resolved; values in parentheses lack SM statistics (see :func:`min_resolved_fpr`)."""
    fprs = sorted({float(f) for f in np.atleast_1d(fpr)}, reverse=True)
    signals = sorted({s for by in metrics["scores"].values() for s in by})
    header = ["signal", "score", "AUC"]
    for f in fprs:
        header += [f"TPR @ FPR {fpr_label(f)}", f"SM eff. above @ {fpr_label(f)}"]
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for s in signals:
        for name, by_signal in metrics["scores"].items():
            m = by_signal.get(s)
            if m is not None:
                cells = [s, name, f"{m['auc']:.3f}"]
                for f in fprs:
                    point = m["tpr_at_fpr"][f"{f:g}"]
                    cells += [_tpr_text(point), _count_text(point["sm_effective_above"])]
                rows.append("| " + " | ".join(cells) + " |")
    day = metrics["fpr_at_events_per_day"]
    rows.append("")
    rows.append(
        f"SM test events: {metrics['sm_events']} ({metrics['sm_effective_events']:.0f} effective). "
        f"Parentheses: unresolved, fewer than {MIN_EFFECTIVE_SM_ABOVE:g} effective SM events expected above the "
        f"threshold (FPR below {metrics['min_resolved_fpr']:.2g}). {_band_note(metrics)}"
        f"SM eff. above: the effective SM test events above the threshold. "
        f"{metrics['events_per_day']:g} SM events/day of seed-004's stream is FPR {day:.2g}."
    )
    return "\n".join(rows)


def _band_note(metrics: dict[str, Any]) -> str:
    boot = metrics.get("bootstrap")
    if not boot or not boot.get("resamples"):
        return ""
    return (
        f"[lo, hi]: bootstrap {boot['level']:.0%} band at FPR <= {fpr_label(boot['max_fpr'])} "
        f"({boot['resamples']} resamples of SM and signal, threshold recomputed on each). "
    )


def bar_table(metrics: dict[str, Any], fpr: float | Sequence[float] = BAR_TABLE_FPRS) -> str:
    """One row per (signal, FPR): the model's TPR and the effective SM events above its threshold, the bar (the best of
    :data:`BAR_SCORES`) and the trigger that sets it, the ratio to the bar, the float twin's TPR and the ratio to it;
    empty without a primary score."""
    primary = metrics.get("primary_score")
    if primary is None or primary not in metrics["scores"]:
        return ""
    fprs = sorted({float(f) for f in np.atleast_1d(fpr)}, reverse=True)
    twin = metrics["scores"].get(FLOAT_TWIN_SCORE, {})
    header = ["signal", "FPR", primary, "SM eff. above", "bar", "set by", "ratio to bar"]
    header += [FLOAT_TWIN_SCORE, f"ratio to {FLOAT_TWIN_SCORE}"]
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for s in sorted(metrics["scores"][primary]):
        for f in fprs:
            key = f"{f:g}"
            bar = metrics.get("bar", {}).get(s, {}).get(key)
            twin_point = twin.get(s, {}).get("tpr_at_fpr", {}).get(key)
            point = metrics["scores"][primary][s]["tpr_at_fpr"][key]
            cells = [
                s, fpr_label(f), _tpr_text(point), _count_text(point["sm_effective_above"]),
                _tpr_text(bar) if bar else "n/a", bar["by"] if bar else "n/a",
                _ratio_text(metrics.get("ratio_to_bar", {}).get(s, {}).get(key)),
                _tpr_text(twin_point) if twin_point else "n/a",
                _ratio_text(metrics.get("ratio_to_float_twin", {}).get(s, {}).get(key)),
            ]  # fmt: skip
            rows.append("| " + " | ".join(cells) + " |")
    bar_names = ", ".join(metrics.get("bar_scores", BAR_SCORES))
    rows.append("")
    rows.append(
        f"bar: the best TPR among {bar_names} at that FPR (the supervised classifier, trained on the signal, is a "
        f"reference, not part of the bar). {FLOAT_TWIN_SCORE}: the model's architecture and preprocessing without "
        f"quantizers. Ratios: {primary}'s TPR over the bar's and over the float twin's. Parentheses and [lo, hi] as "
        "above."
    )
    return "\n".join(rows)


def evaluation_markdown(metrics: dict[str, Any], roc_png: str = "roc.png") -> str:
    """The evaluation's table.md: every FPR working point in one table, the model against the bar in a second,
    then the ROC plot."""
    points = ", ".join(fpr_label(f) for f in sorted(FPR_POINTS, reverse=True))
    title = f"# {metrics.get('model', 'model')}: evaluation"
    parts = [title, f"## TPR at FPR {points}", markdown_table(metrics)]
    if bar := bar_table(metrics):
        primary = metrics["primary_score"]
        parts += [f"## {primary} against the bar (plain L1 triggers and the AE) and its float twin", bar]
    return "\n\n".join([*parts, f"![ROC]({roc_png})"]) + "\n"


def _line_style(name: str) -> dict[str, Any]:
    """Plain triggers thin and dashed, the float twin dash-dotted: the learned scores stand out."""
    if name in PLAIN_TRIGGER_SCORES:
        return {"ls": "--", "lw": 1.0}
    if name == FLOAT_TWIN_SCORE:
        return {"ls": "-.", "lw": 1.2}
    return {"lw": 1.6}


def roc_figure(sm: dict[str, np.ndarray], sm_weight: np.ndarray, signals: dict[str, dict[str, np.ndarray]]):
    """The ROC page as a matplotlib Figure: one panel per signal, TPR against FPR on a log axis, every score
    overlaid; the FPR range the SM statistics cannot resolve is shaded, every artist has a legend entry."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(signals)
    entries = max((len(by) for by in signals.values()), default=0) + 2  # the scores, the shaded band, the marks
    fig, axes = plt.subplots(1, n, figsize=(4.6 * n, 4.6 + 0.15 * entries), squeeze=False, layout="constrained")
    floor = min_resolved_fpr(sm_weight)
    for ax, (signal, by_score) in zip(axes[0], signals.items(), strict=True):
        for name, sig in by_score.items():
            sm_scores = _sm_reference(sm, name, signal)
            fpr, tpr, _ = roc_curve(sm_scores, sm_weight, sig)
            ok = fpr > 0
            ax.plot(fpr[ok], tpr[ok], label=f"{name} (AUC {auc(fpr, tpr):.3f})", **_line_style(name))
        ax.axvspan(
            1e-7, floor, color="grey", alpha=0.2, lw=0,
            label=f"unresolved: < {MIN_EFFECTIVE_SM_ABOVE:g} eff. SM events above (FPR < {floor:.1e})",
        )  # fmt: skip
        marks = sorted(FPR_POINTS, reverse=True)
        ax.vlines(marks, 0, 1, colors="k", linestyles=":", lw=0.8, label="FPR " + ", ".join(map(fpr_label, marks)))
        ax.set_xscale("log")
        ax.set_xlim(1e-6, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("SM false-positive rate")
        ax.set_ylabel("signal efficiency")
        ax.set_title(signal)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), frameon=False)
    return fig


def plot_rocs(
    sm: dict[str, np.ndarray], sm_weight: np.ndarray, signals: dict[str, dict[str, np.ndarray]], path: Path
) -> Path:
    """Write :func:`roc_figure` to ``path`` (PNG)."""
    import matplotlib.pyplot as plt

    fig = roc_figure(sm, sm_weight, signals)
    path = Path(path)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def write_metrics(metrics: dict[str, Any], path: Path) -> Path:
    """JSON with plain floats (inf stays a string so the file is strict JSON)."""

    def clean(v):
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [clean(x) for x in v]
        if isinstance(v, float) and not np.isfinite(v):
            return str(v)
        if isinstance(v, np.generic):
            return clean(v.item())
        return v

    Path(path).write_text(json.dumps(clean(metrics), indent=1))
    return Path(path)
