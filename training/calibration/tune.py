"""``adtrigger calibrate``: a threshold for a target SM rate, set on one SM half and checked on the other, written
into the bundle with its L1 fixed-point twin, its SM distribution and a report.

The threshold is the lowest score whose weighted SM fraction (score >= t) on the threshold-setting half does not
exceed the target FPR, moved up onto the grid of ``fixed_point.score`` so that the float (HLT) and the fixed-point
(L1) comparisons take the same decision on every event; that agreement is checked on every scored event.
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

from adtrigger.bundle import BundleError, atomic_write_json, load_bundle, update_card
from adtrigger.bundle.fixed import disagreements, threshold_on_grid
from adtrigger.bundle.rates import (
    CL_1SIGMA,
    Target,
    check_resolved,
    clopper_pearson,
    effective_above,
    fraction_above,
    kish,
    sm_distribution,
    threshold_at_fpr,
)
from adtrigger.training.calibration.scoring import Scored, score_plan
from adtrigger.training.calibration.sources import plan as plan_shards
from adtrigger.training.card import utc_now

DISTRIBUTION_FILE = "sm_distribution.json"
REPORT_DIR = "calibration"  # calibration/<name>/: each named threshold keeps its own report
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def report_files(name: str) -> dict[str, str]:
    """The report of threshold ``name`` inside the bundle: ``{"markdown", "plot"}`` under ``calibration/<name>/``.
    The name becomes a folder, so it is refused unless letters, digits, ``_`` and ``-``."""
    if not _NAME.fullmatch(name):
        raise BundleError(f"threshold name {name!r}: use letters, digits, '_' and '-' (it names calibration/<name>/)")
    return {"markdown": f"{REPORT_DIR}/{name}/calibration.md", "plot": f"{REPORT_DIR}/{name}/rate.png"}


def achieved_at(scored: Scored, threshold: float, target: Target) -> dict:
    """The held-out half's weighted fraction at ``threshold`` with its interval, as a rate at the input rate."""
    scores, weight = scored.sm_b
    f = fraction_above(scores, weight, np.array([threshold]))
    out = {"fpr": f["fpr"][0], "fpr_lo": f["fpr_lo"][0], "fpr_hi": f["fpr_hi"][0], "cl": CL_1SIGMA}
    if target.input_rate_hz is not None:
        out |= {f"rate_hz{s}": out[f"fpr{s}"] * target.input_rate_hz for s in ("", "_lo", "_hi")}
    return out | {
        "n_events": len(scores),
        "n_effective": kish(weight),
        "n_effective_above": effective_above(scores, weight, threshold),
        "split": "independent SM half",
    }


def target_warning(target: Target, achieved: dict) -> str | None:
    """A warning when the target lies outside the achieved interval on the held-out half, else None. The pull is
    in the combined statistics of both halves (the threshold fluctuates with its half as the rate does with the
    other, ~sqrt(2) x the interval), so the user can tell a fluctuation from a mismatch of the halves."""
    fpr, lo, hi = achieved["fpr"], achieved["fpr_lo"], achieved["fpr_hi"]
    if lo <= target.fpr <= hi:
        return None
    sigma = (hi - lo) / 2 * math.sqrt(2)
    pull = f" ({(fpr - target.fpr) / sigma:+.1f} sigma of both halves' statistics)" if sigma > 0 else ""
    if "rate_hz" in achieved:
        asked = f"{target.rate_hz(target.fpr):.4g} Hz"
        got = f"{achieved['rate_hz']:.4g} Hz [{achieved['rate_hz_lo']:.4g}, {achieved['rate_hz_hi']:.4g}]"
    else:
        asked, got = f"FPR {target.fpr:.4g}", f"FPR {fpr:.4g} [{lo:.4g}, {hi:.4g}]"
    return (
        f"target {asked} is outside the achieved {achieved['cl']:.0%} interval on the held-out SM half, {got}"
        f"{pull}: the threshold misses its target (more SM data narrows both halves' statistics)"
    )


def signal_efficiencies(scored: Scored, threshold: float) -> dict[str, dict]:
    """Per signal: accepted fraction (unit weights) with its Clopper-Pearson interval."""
    out = {}
    for name, s in scored.signals.items():
        k = float(np.count_nonzero(s >= threshold))
        lo, hi = clopper_pearson(np.array([k]), np.array([float(len(s))]))
        out[name] = {"efficiency": k / len(s), "lo": float(lo[0]), "hi": float(hi[0]), "events": len(s)}
    return out


def choose_threshold(scored: Scored, target: Target, score_type: dict | None) -> tuple[float, dict | None]:
    """(float threshold, fixed {"raw", "value"} or None) for ``target`` from the threshold-setting half."""
    fpr = target.fpr
    check_resolved(kish(scored.sm_a[1]), fpr, "threshold-setting SM half")
    check_resolved(kish(scored.sm_b[1]), fpr, "held-out SM half")
    t = threshold_at_fpr(*scored.sm_a, fpr)
    if score_type is None:
        return t, None
    fixed = threshold_on_grid(t, score_type)
    every = np.concatenate([scored.sm_a[0], scored.sm_b[0], *scored.signals.values()])
    bad = disagreements(every, fixed["value"], fixed["raw"], score_type)
    if bad:
        raise BundleError(
            f"the float and fixed-point decisions differ on {bad} of {len(every)} events: the graph's scores are "
            f"not on the grid of fixed_point.score ({score_type}); re-run adtrigger export"
        )
    return fixed["value"], fixed


def calibrate(
    model_dir: str | Path,
    sm_paths: list[Path],
    signal_paths: list[Path],
    target: Target,
    *,
    name: str = "default",
    activate: bool = True,
    seed: int | None = None,
    shard_events: int = 200_000,
    max_events: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> dict:
    """Calibrate threshold ``name`` of a bundle for ``target``; returns the card's new threshold entry."""
    report = report_files(name)
    bundle = load_bundle(model_dir)
    card = bundle.card
    if "model.onnx" not in card["files"]:
        raise BundleError(f"bundle {bundle.path} has no model.onnx: run adtrigger export first")
    fixed_point = card.get("fixed_point")
    if card["kind"] == "l1_vae" and not fixed_point:
        raise BundleError(f"bundle {bundle.path} has no fixed_point (the L1 score type): run adtrigger export first")
    seed = int(card.get("settings", {}).get("seed", 1) if seed is None else seed)
    shards = plan_shards(card, sm_paths, signal_paths, seed=seed, shard_events=shard_events, max_events=max_events)
    scored = score_plan(shards, str(bundle.path), card["files"]["model.onnx"]["sha256"], card["kind"],
                        workers=workers, scheduler=scheduler)  # fmt: skip
    threshold, fixed = choose_threshold(scored, target, fixed_point["score"] if fixed_point else None)
    achieved = achieved_at(scored, threshold, target)
    effs = signal_efficiencies(scored, threshold)
    entry = {
        "target": target.as_dict(),
        "score": threshold,
        "fixed": fixed,
        "achieved": achieved,
        "warning": target_warning(target, achieved),
        "signal_efficiency": {k: v["efficiency"] for k, v in effs.items()},
        "created": utc_now(),
        "data": {
            "sm_files": shards.sm_files,
            "signal_files": [str(p) for p in signal_paths],
            "seed": seed,
            "threshold_half": {"n_events": len(scored.sm_a[0]), "n_effective": kish(scored.sm_a[1])},
            "training_events_left_out": scored.left_out,
            "max_events": max_events,
        },
        "report": report,
    }
    distribution = sm_distribution(*scored.sm_a, card["score"]["kind"], heldout=scored.sm_b)
    _write_outputs(bundle.path, distribution, scored, entry, effs, name)
    changes = {"thresholds": {name: entry}}
    if activate:
        changes["active_threshold"] = name
    update_card(bundle.path, changes, files=[DISTRIBUTION_FILE, *report.values()], replace=[f"thresholds.{name}"])
    return entry


def _write_outputs(root: Path, distribution: dict, scored: Scored, entry: dict, effs: dict, name: str) -> None:
    """``sm_distribution.json`` and the threshold's report (``entry["report"]``), each by temp file and rename."""
    from adtrigger.training.calibration.report import markdown, plot_rate

    atomic_write_json(root / DISTRIBUTION_FILE, distribution)
    md, png = (root / entry["report"][k] for k in ("markdown", "plot"))
    md.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=md.parent, prefix=".tmp") as tmp:
        plot_rate(distribution, entry, effs, Path(tmp) / png.name)
        (Path(tmp) / md.name).write_text(markdown(root.name, name, entry, effs, scored))
        for f in (png, md):
            shutil.move(Path(tmp) / f.name, f)  # same file system: a rename
