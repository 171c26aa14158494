"""Evaluation of anomaly scores against the weighted SM: metrics (JSON), ROC plots (PNG) and a markdown table.

Works on score arrays only, so the VAE, the AE baseline and the supervised reference are judged by one code path.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from adtrigger.training.metrics import (
    MIN_EFFECTIVE_SM_ABOVE,
    auc,
    effective_count,
    fpr_for_events_per_day,
    min_resolved_fpr,
    operating_point,
    roc_curve,
    sigma_for_events,
)

FPR_POINTS = (1e-5, 1e-4, 1e-3)
EVENTS_PER_DAY = 50.0  # seed-004 fixes the SM acceptance at ~30-50 events/day


def _sm_reference(sm: dict[str, np.ndarray], name: str, signal: str) -> np.ndarray:
    """The SM scores a signal's score is compared with: shared, or trained for that signal (``name@signal``)."""
    return sm[name] if name in sm else sm[f"{name}@{signal}"]


def evaluate_scores(
    sm: dict[str, np.ndarray],
    sm_weight: np.ndarray,
    signals: dict[str, dict[str, np.ndarray]],
) -> dict[str, Any]:
    """Metrics per (score name, signal): AUC, TPR at FPR 1e-5/1e-4/1e-3, efficiency at 50 SM events/day.

    sm: score name -> (N_sm,) scores; signals: signal -> score name -> (N_sig,) scores. A reference score
    (e.g. the supervised classifier) may exist for some signals only.
    """
    out: dict[str, Any] = {
        "sm_events": len(sm_weight),
        "sm_effective_events": effective_count(sm_weight),
        "min_resolved_fpr": min_resolved_fpr(sm_weight),
        "events_per_day": EVENTS_PER_DAY,
        "fpr_at_events_per_day": fpr_for_events_per_day(EVENTS_PER_DAY),
        "scores": {},
    }
    for signal, by_score in signals.items():
        for name, sig in by_score.items():
            sm_scores = _sm_reference(sm, name, signal)
            fpr, tpr, _ = roc_curve(sm_scores, sm_weight, sig)
            points = {f"{p:g}": operating_point(sm_scores, sm_weight, sig, None, p).as_dict() for p in FPR_POINTS}
            day = operating_point(sm_scores, sm_weight, sig, None, out["fpr_at_events_per_day"]).as_dict()
            day["sigma_pb_for_100_per_month"] = sigma_for_events(day["tpr"])
            out["scores"].setdefault(name, {})[signal] = {
                "auc": auc(fpr, tpr),
                "tpr_at_fpr": points,
                "at_events_per_day": day,
                "signal_events": len(sig),
            }
    return out


def _cell(point: dict[str, Any]) -> str:
    text = f"{point['tpr']:.3g}"
    return text if point["resolved"] else f"({text})"


def fpr_label(fpr: float) -> str:
    """1e-3 rather than 0.001: how the FPR working points are named in tables and plots."""
    mantissa, exponent = f"{fpr:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def markdown_table(metrics: dict[str, Any], fpr: float | Sequence[float] = FPR_POINTS) -> str:
    """One row per (signal, score): AUC and TPR at each FPR in ``fpr``, highest first, since on a small SM stream
    only the highest is resolved; values in parentheses lack SM statistics (see :func:`min_resolved_fpr`)."""
    fprs = sorted({float(f) for f in np.atleast_1d(fpr)}, reverse=True)
    signals = sorted({s for by in metrics["scores"].values() for s in by})
    header = ["signal", "score", "AUC", *(f"TPR @ FPR {fpr_label(f)}" for f in fprs)]
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for s in signals:
        for name, by_signal in metrics["scores"].items():
            m = by_signal.get(s)
            if m is not None:
                cells = [s, name, f"{m['auc']:.3f}", *(_cell(m["tpr_at_fpr"][f"{f:g}"]) for f in fprs)]
                rows.append("| " + " | ".join(cells) + " |")
    day = metrics["fpr_at_events_per_day"]
    rows.append("")
    rows.append(
        f"SM test events: {metrics['sm_events']} ({metrics['sm_effective_events']:.0f} effective). "
        f"Parentheses: unresolved, fewer than {MIN_EFFECTIVE_SM_ABOVE:g} effective SM events expected above the "
        f"threshold (FPR below {metrics['min_resolved_fpr']:.2g}). "
        f"{metrics['events_per_day']:g} SM events/day of seed-004's stream is FPR {day:.2g}."
    )
    return "\n".join(rows)


def evaluation_markdown(metrics: dict[str, Any], roc_png: str = "roc.png") -> str:
    """The evaluation's table.md: every FPR working point in one table, then the ROC plot."""
    points = ", ".join(fpr_label(f) for f in sorted(FPR_POINTS, reverse=True))
    title = f"# {metrics.get('model', 'model')}: evaluation"
    return "\n\n".join([title, f"## TPR at FPR {points}", markdown_table(metrics), f"![ROC]({roc_png})"]) + "\n"


def roc_figure(sm: dict[str, np.ndarray], sm_weight: np.ndarray, signals: dict[str, dict[str, np.ndarray]]):
    """The ROC page as a matplotlib Figure: one panel per signal, TPR against FPR on a log axis, every score
    overlaid; the FPR range the SM statistics cannot resolve is shaded, every artist has a legend entry."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(signals)
    fig, axes = plt.subplots(1, n, figsize=(4.6 * n, 5.2), squeeze=False, layout="constrained")
    floor = min_resolved_fpr(sm_weight)
    for ax, (signal, by_score) in zip(axes[0], signals.items(), strict=True):
        for name, sig in by_score.items():
            sm_scores = _sm_reference(sm, name, signal)
            fpr, tpr, _ = roc_curve(sm_scores, sm_weight, sig)
            ok = fpr > 0
            ax.plot(fpr[ok], tpr[ok], label=f"{name} (AUC {auc(fpr, tpr):.3f})")
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
