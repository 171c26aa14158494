"""Evaluation of anomaly scores against the weighted SM: metrics (JSON), ROC plots (PNG) and a markdown table.

Works on score arrays only, so the VAE, the AE baseline and the supervised reference are judged by one code path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from adtrigger.training.metrics import (
    auc,
    effective_count,
    fpr_for_events_per_day,
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


def markdown_table(metrics: dict[str, Any], fpr: float = 1e-4) -> str:
    """Scores side by side per signal: TPR at ``fpr`` and AUC; values in parentheses lack SM statistics."""
    key = f"{fpr:g}"
    names = list(metrics["scores"])
    signals = sorted({s for by in metrics["scores"].values() for s in by})
    header = "| signal | " + " | ".join(f"{n}: TPR@{key} / AUC" for n in names) + " |"
    rows = [header, "|" + " --- |" * (len(names) + 1)]
    for s in signals:
        cells = []
        for n in names:
            m = metrics["scores"][n].get(s)
            cells.append("–" if m is None else f"{_cell(m['tpr_at_fpr'][key])} / {m['auc']:.3f}")
        rows.append(f"| {s} | " + " | ".join(cells) + " |")
    day = metrics["fpr_at_events_per_day"]
    rows.append("")
    rows.append(
        f"SM test events: {metrics['sm_events']} ({metrics['sm_effective_events']:.0f} effective). "
        f"Parentheses: fewer than 5 effective SM events expected above the threshold. "
        f"{metrics['events_per_day']:g} SM events/day of seed-004's stream is FPR {day:.2g}."
    )
    return "\n".join(rows)


def plot_rocs(
    sm: dict[str, np.ndarray], sm_weight: np.ndarray, signals: dict[str, dict[str, np.ndarray]], path: Path
) -> Path:
    """One panel per signal: TPR against FPR on a log axis, every score overlaid."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(signals)
    fig, axes = plt.subplots(1, n, figsize=(4.2 * n, 4), squeeze=False)
    floor = 1.0 / max(effective_count(sm_weight), 1.0)
    for ax, (signal, by_score) in zip(axes[0], signals.items(), strict=True):
        for name, sig in by_score.items():
            sm_scores = _sm_reference(sm, name, signal)
            fpr, tpr, _ = roc_curve(sm_scores, sm_weight, sig)
            ok = fpr > 0
            ax.plot(fpr[ok], tpr[ok], label=f"{name} (AUC {auc(fpr, tpr):.3f})")
        ax.axvspan(1e-7, floor * 5, color="grey", alpha=0.15, lw=0)
        for p in FPR_POINTS:
            ax.axvline(p, color="grey", ls=":", lw=0.8)
        ax.set_xscale("log")
        ax.set_xlim(1e-6, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("SM false-positive rate")
        ax.set_ylabel("signal efficiency")
        ax.set_title(signal)
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
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
