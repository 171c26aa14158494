"""The calibration's report: rate vs threshold with its band and the signal efficiencies (rate.png), and a short
markdown summary (calibration.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from adtrigger.training.calibration.scoring import Scored


def plot_rate(distribution: dict, entry: dict, effs: dict[str, dict], path: Path) -> Path:
    """Left: SM rate (or FPR) vs threshold on both halves, held-out band, target and chosen threshold. Right: signal
    efficiency at the chosen threshold with its interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    target = entry["target"]
    scale = target.get("input_rate_hz") or 1.0
    unit = "SM rate [Hz]" if target.get("input_rate_hz") else "SM false-positive rate"
    t = np.asarray(distribution["thresholds"])
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.6, 1]})
    held = distribution.get("heldout")
    if held:
        lo, hi = np.asarray(held["fpr_lo"]) * scale, np.asarray(held["fpr_hi"]) * scale
        ax.fill_between(t, np.maximum(lo, 1e-300), hi, step="post", alpha=0.3, color="C1", label="held-out 68% CL")
        ax.step(t, np.asarray(held["fpr"]) * scale, where="post", color="C1", label="held-out half")
    ax.step(t, np.asarray(distribution["fpr"]) * scale, where="post", color="C0", label="threshold-setting half")
    ax.axhline(target["fpr"] * scale, color="k", ls="--", lw=1, label=f"target {target['kind']} {target['value']:g}")
    ax.axvline(entry["score"], color="C3", lw=1, label=f"threshold {entry['score']:.6g}")
    ax.set_yscale("log")
    if len(t) and t.min() > 0:
        ax.set_xscale("log")
    ax.set_xlabel(f"threshold on score ({distribution['score_kind']})")
    ax.set_ylabel(unit)
    ax.legend(fontsize=7)
    names = list(effs)
    eff = np.array([effs[n]["efficiency"] for n in names])
    err = np.array([[e - effs[n]["lo"], effs[n]["hi"] - e] for n, e in zip(names, eff, strict=True)]).T
    bx.bar(range(len(names)), eff, yerr=err if len(names) else None, color="C2", capsize=3)
    bx.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=7)
    bx.set_ylabel("signal efficiency at the threshold")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def markdown(bundle: str, name: str, entry: dict, effs: dict[str, dict], scored: Scored) -> str:
    """The calibration in a few lines and a table."""
    t, a = entry["target"], entry["achieved"]
    rate = ""
    if "rate_hz" in a:
        rate = f" = {a['rate_hz']:.4g} Hz [{a['rate_hz_lo']:.4g}, {a['rate_hz_hi']:.4g}] at {t['input_rate_hz']:g} Hz"
    fixed = entry.get("fixed")
    at = f" at {t['input_rate_hz']:g} Hz input" if "input_rate_hz" in t else ""
    lines = [
        f"# {bundle}: threshold `{name}`",
        f"- target: {t['kind']} {t['value']:g}{at} (FPR {t['fpr']:.4g})",
        f"- threshold (HLT, float): score >= {entry['score']!r}",
        f"- threshold (L1, fixed point): raw {fixed['raw']} = {fixed['value']!r}" if fixed else "- no fixed-point type",
        f"- achieved on the held-out SM half: FPR {a['fpr']:.4g} [{a['fpr_lo']:.4g}, {a['fpr_hi']:.4g}] "
        f"({a['cl']:.4g} CL){rate}; {a['n_events']} events, {a['n_effective']:.1f} effective, "
        f"{a['n_effective_above']:.1f} effective above threshold",
        f"- threshold set on the other half: {len(scored.sm_a[0])} events; "
        f"{scored.left_out} SM training/validation events left out",
        "",
        "| signal | efficiency | 68% CL | events |",
        "| --- | --- | --- | --- |",
        *(f"| {n} | {e['efficiency']:.4g} | [{e['lo']:.4g}, {e['hi']:.4g}] | {e['events']} |" for n, e in effs.items()),
        "",
        "![rate vs threshold](rate.png)",
    ]
    return "\n".join(lines) + "\n"
