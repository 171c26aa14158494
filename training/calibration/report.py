"""The report of one calibrated threshold: rate vs threshold over the range the data resolve, a close-up of the target
and the achieved interval, the signal efficiencies (rate.png), and a short markdown summary (calibration.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from adtrigger.bundle.rates import MIN_EFFECTIVE_ABOVE, resolved
from adtrigger.training.calibration.scoring import Scored

ZOOM = 1.5  # the close-up spans the target and the achieved interval, widened by this factor either way
FALLING = 0.9  # the overview starts at the threshold where the SM fraction falls below this


def _curves(distribution: dict) -> list[dict]:
    """Both halves' resolved points: label, colour, thresholds, fraction and (held-out only) its interval."""
    t = np.asarray(distribution["thresholds"], dtype=np.float64)
    halves = [("threshold-setting half", "C0", distribution, False)]
    if distribution.get("heldout"):
        halves.append(("held-out half", "C1", distribution["heldout"], True))
    out = []
    for label, color, half, band in halves:
        fpr = np.asarray(half["fpr"], dtype=np.float64)
        keep = resolved(float(half["n_effective"]), fpr)  # beyond, a zero on a log axis spans 300 decades
        curve = {"label": label, "color": color, "t": t[keep], "fpr": fpr[keep]}
        if band:
            curve |= {"lo": np.asarray(half["fpr_lo"])[keep], "hi": np.asarray(half["fpr_hi"])[keep]}
        out.append(curve)
    return out


def _target_text(target: dict) -> str:
    unit = {"rate_hz": "{:g} Hz", "events_per_day": "{:g} events/day", "fpr": "FPR {:g}",
            "pure_rate_hz": "{:g} Hz pure"}[target["kind"]]  # fmt: skip
    return unit.format(target["value"])


def _draw_rates(ax, curves: list[dict], entry: dict, scale: float) -> None:
    """The curves (steps: the fraction at t holds down to the next lower stored threshold), the target and the
    threshold with its achieved interval."""
    target, a = entry["target"], entry["achieved"]
    for c in curves:
        if "lo" in c:
            ax.fill_between(c["t"], c["lo"] * scale, c["hi"] * scale, step="pre", alpha=0.3, color=c["color"],
                            lw=0, label=f"held-out {a['cl']:.0%} CL")  # fmt: skip
        ax.step(c["t"], c["fpr"] * scale, where="pre", color=c["color"], label=c["label"])
    ax.axhline(target["fpr"] * scale, color="k", ls="--", lw=1, label=f"target {_target_text(target)}")
    ax.axhspan(a["fpr_lo"] * scale, a["fpr_hi"] * scale, color="C3", alpha=0.12, lw=0, label="achieved interval")
    ax.errorbar([entry["score"]], [a["fpr"] * scale], yerr=[[(a["fpr"] - a["fpr_lo"]) * scale],
                [(a["fpr_hi"] - a["fpr"]) * scale]], fmt="o", color="C3", ms=4, capsize=3,
                label=f"threshold {entry['score']:.6g}: achieved (held-out)")  # fmt: skip


def _overview(ax, curves: list[dict], entry: dict, scale: float) -> None:
    """Limits of the log-log overview: x from where the rate starts to fall (below, every threshold accepts nearly
    everything) to the last resolved point, y over what is drawn."""
    target, a = entry["target"], entry["achieved"]
    falling = [c["t"][c["fpr"] <= FALLING] for c in curves]
    t = np.concatenate([*falling, *(c["t"][-1:] for c in curves), [entry["score"]]])
    y = np.concatenate([c[k] for c in curves for k in ("fpr", "lo", "hi") if k in c]
                       + [[target["fpr"], a["fpr_lo"], a["fpr_hi"]]])  # fmt: skip
    y = y[y > 0] * scale
    ax.set_yscale("log")
    ax.set_ylim(y.min() / 2, y.max() * 2)
    if t.min() > 0:
        ax.set_xscale("log")
        ax.set_xlim(t.min() / 1.1, t.max() * 1.1)
    else:
        ax.set_xlim(t.min() - 0.05 * np.ptp(t), t.max() + 0.05 * np.ptp(t))
    ax.set_title(f"resolved range (>= {MIN_EFFECTIVE_ABOVE:g} effective events above)", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")


def _closeup(ax, curves: list[dict], entry: dict, scale: float) -> None:
    """Limits of the linear close-up: the target and the achieved interval, widened by ``ZOOM``, over the
    thresholds whose rates fall inside; titled with both numbers, in red when the target is missed."""
    target, a = entry["target"], entry["achieved"]
    lo = min(target["fpr"], a["fpr_lo"]) * scale / ZOOM
    hi = max(target["fpr"], a["fpr_hi"]) * scale * ZOOM
    near = [c["t"][(c["fpr"] * scale >= lo) & (c["fpr"] * scale <= hi)] for c in curves]
    t = np.concatenate([*near, [entry["score"]]])
    pad = max(0.05 * (t.max() - t.min()), 1e-3 * abs(entry["score"]), 1e-12)
    ax.set_xlim(t.min() - pad, t.max() + pad)
    ax.set_ylim(lo, hi)
    fmt = "{:.4g} Hz" if target.get("input_rate_hz") else "FPR {:.4g}"
    achieved = f"{fmt.format(a['fpr'] * scale)} [{a['fpr_lo'] * scale:.4g}, {a['fpr_hi'] * scale:.4g}]"
    missed = entry.get("warning")
    ax.set_title(f"target {_target_text(target)}, achieved {achieved}" + (": target outside" if missed else ""),
                 fontsize=9, color="C3" if missed else "k")  # fmt: skip


def rate_figure(distribution: dict, entry: dict, effs: dict[str, dict]):
    """The figure of rate.png: (a) SM rate (or FPR) vs threshold over the points both halves resolve, log scale;
    (b) the same around the target, linear, where the target line and the achieved interval can be read off;
    (c) each signal's efficiency at the threshold with its interval. Returns the matplotlib figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scale = entry["target"].get("input_rate_hz") or 1.0
    pure = "pure " if entry["target"]["kind"] == "pure_rate_hz" else ""
    unit = f"SM {pure}rate [Hz]" if entry["target"].get("input_rate_hz") else f"SM {pure}false-positive rate"
    curves = _curves(distribution)
    fig, (ax, zx, bx) = plt.subplots(1, 3, figsize=(15, 4.4), gridspec_kw={"width_ratios": [1.4, 1.2, 0.9]})
    for axis, limits in ((ax, _overview), (zx, _closeup)):
        _draw_rates(axis, curves, entry, scale)
        limits(axis, curves, entry, scale)
        axis.set_xlabel(f"threshold on score ({distribution['score_kind']})")
        axis.set_ylabel(unit)
    names = list(effs)
    if names:
        eff = np.array([effs[n]["efficiency"] for n in names])
        err = np.array([[e - effs[n]["lo"], effs[n]["hi"] - e] for n, e in zip(names, eff, strict=True)]).T
        bx.bar(range(len(names)), eff, yerr=err, color="C2", capsize=3)
        bx.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=7)
    else:
        bx.text(0.5, 0.5, "no signal files given", ha="center", va="center", transform=bx.transAxes)
    bx.set_ylabel("signal efficiency at the threshold")
    fig.tight_layout()
    return fig


def plot_rate(distribution: dict, entry: dict, effs: dict[str, dict], path: Path) -> Path:
    """Write :func:`rate_figure` to ``path`` (PNG)."""
    import matplotlib.pyplot as plt

    fig = rate_figure(distribution, entry, effs)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def pure_distribution(distribution: dict, scored: Scored) -> dict:
    """The SM *pure* rate against the threshold (events the menu accepts left out of the numerator), both halves,
    in the layout of ``distribution``: computed once for all of a calibration's pure-rate thresholds."""
    from adtrigger.bundle.rates import sm_distribution
    from adtrigger.training.calibration.tune import pure_scores

    (sa, wa), (sb, wb) = scored.sm_a, scored.sm_b
    floor = min(float(sa.min(initial=0.0)), float(sb.min(initial=0.0))) - 1.0  # below every score: never accepted
    pa = np.maximum(pure_scores(sa, scored.menu_a), floor)
    pb = np.maximum(pure_scores(sb, scored.menu_b), floor)
    return sm_distribution(pa, wa, distribution["score_kind"] + ", pure", heldout=(pb, wb))


def plot_view(distribution: dict, pure: dict | None, entry: dict) -> tuple[dict, dict]:
    """(distribution, entry) for :func:`plot_rate`: as they are, or for a pure-rate target the pure distribution
    (:func:`pure_distribution`) with the pure achieved rate, so the plot reads the quantity the target fixes."""
    if entry["target"]["kind"] != "pure_rate_hz":
        return distribution, entry
    a = entry["achieved"]
    view = {k: a[f"pure_{k}"] for k in ("fpr", "fpr_lo", "fpr_hi")} | {"cl": a["cl"]}
    return pure, {**entry, "achieved": view}


def _signal_rows(effs: dict[str, dict]) -> list[str]:
    """The signal table: AD alone, and with a reference menu the menu, menu-OR-AD and the gain."""
    menu = any("menu" in e for e in effs.values())
    head = "| signal | AD efficiency | 68% CL | events |" + (" menu | menu OR AD | gain |" if menu else "")
    rows = [head, "| --- " * (head.count("|") - 1) + "|"]
    for n, e in effs.items():
        row = f"| {n} | {e['efficiency']:.4g} | [{e['lo']:.4g}, {e['hi']:.4g}] | {e['events']} |"
        if "menu" in e:
            keys = ("menu", "menu_or_ad", "gain")
            row += "".join(f" {e[k]:.4g} [{e[k + '_lo']:.3g}, {e[k + '_hi']:.3g}] |" for k in keys)
        rows.append(row)
    return rows


def ladder_markdown(bundle: str, menu, entries: dict[str, dict], effs: dict[str, dict[str, dict]]) -> str:
    """``calibration/ladder.md``: every seed's threshold, pure and total rate with intervals, and per signal the
    menu's efficiency, menu-OR-AD and the gain (the AD's events that no menu seed takes)."""
    first = next(iter(entries.values()))
    rate = first["target"].get("input_rate_hz")
    lines = [
        f"# {bundle}: threshold ladder against the menu `{menu.name}` (sha256 {menu.sha256[:12]})",
        f"- input rate: {rate:.5g} Hz (for a zero-bias stream, its colliding-bunch rate)" if rate else "- rates: FPR",
        f"- the menu alone accepts {first['achieved'].get('menu_fpr', float('nan')) * (rate or 1):.4g}"
        f"{' Hz' if rate else ''} of the held-out SM half",
        "",
        "| seed | threshold | L1 raw | pure rate target | pure rate (68% CL) | total rate (68% CL) | warning |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, e in entries.items():
        a = e["achieved"]
        unit = " Hz" if "rate_hz" in a else ""
        pre = "rate_hz" if "rate_hz" in a else "fpr"
        pure = f"{a['pure_' + pre]:.4g} [{a['pure_' + pre + '_lo']:.4g}, {a['pure_' + pre + '_hi']:.4g}]"
        total = f"{a[pre]:.4g} [{a[pre + '_lo']:.4g}, {a[pre + '_hi']:.4g}]"
        raw = e["fixed"]["raw"] if e.get("fixed") else "-"
        lines.append(f"| {name} | {e['score']:.6g} | {raw} | {e['target']['value']:g}{unit} | {pure}{unit} | "
                     f"{total}{unit} | {'yes' if e.get('warning') else ''} |")  # fmt: skip
    signals = list(next(iter(effs.values())))
    for sig in signals:
        lines += ["", f"## {sig}", "", "| seed | AD | menu | menu OR AD | gain (AD only) | relative gain |",
                  "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for name in entries:
            e = effs[name][sig]
            rel = e["gain"] / e["menu"] if e.get("menu") else float("nan")
            lines.append(f"| {name} | {e['efficiency']:.4g} | {e['menu']:.4g} | {e['menu_or_ad']:.4g} | "
                         f"{e['gain']:.4g} [{e['gain_lo']:.3g}, {e['gain_hi']:.3g}] | {rel:+.1%} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def _pure_line(a: dict, t: dict) -> str:
    """The pure rate's line: events the AD accepts and no seed of the reference menu does."""
    rate = ""
    if "pure_rate_hz" in a:
        rate = f" = {a['pure_rate_hz']:.4g} Hz [{a['pure_rate_hz_lo']:.4g}, {a['pure_rate_hz_hi']:.4g}]"
    return (f"- pure (not taken by the menu `{t.get('menu')}`, which alone takes FPR {a['menu_fpr']:.4g}): "
            f"FPR {a['pure_fpr']:.4g} [{a['pure_fpr_lo']:.4g}, {a['pure_fpr_hi']:.4g}]{rate}")  # fmt: skip


def markdown(bundle: str, name: str, entry: dict, effs: dict[str, dict], scored: Scored) -> str:
    """The calibration in a few lines and a table; the plot is the ``rate.png`` beside it."""
    t, a = entry["target"], entry["achieved"]
    rate = ""
    if "rate_hz" in a:
        rate = f" = {a['rate_hz']:.4g} Hz [{a['rate_hz_lo']:.4g}, {a['rate_hz_hi']:.4g}] at {t['input_rate_hz']:g} Hz"
    fixed = entry.get("fixed")
    at = f" at {t['input_rate_hz']:g} Hz input" if "input_rate_hz" in t else ""
    lines = [
        f"# {bundle}: threshold `{name}`",
        *([f"- **warning**: {entry['warning']}"] if entry.get("warning") else []),
        f"- target: {t['kind']} {t['value']:g}{at} (FPR {t['fpr']:.4g})",
        f"- threshold (HLT, float): score >= {entry['score']!r}",
        f"- threshold (L1, fixed point): raw {fixed['raw']} = {fixed['value']!r}" if fixed else "- no fixed-point type",
        f"- achieved on the held-out SM half: FPR {a['fpr']:.4g} [{a['fpr_lo']:.4g}, {a['fpr_hi']:.4g}] "
        f"({a['cl']:.4g} CL){rate}; {a['n_events']} events, {a['n_effective']:.1f} effective, "
        f"{a['n_effective_above']:.1f} effective above threshold",
        *([_pure_line(a, t)] if "pure_fpr" in a else []),
        f"- threshold set on the other half: {len(scored.sm_a[0])} events; "
        f"{scored.left_out} SM training/validation events left out",
        "",
        *_signal_rows(effs),
        "",
        "![rate vs threshold](rate.png)",
    ]
    return "\n".join(lines) + "\n"
