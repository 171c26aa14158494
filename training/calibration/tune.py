"""``adtrigger calibrate``: a threshold for a target SM rate, set on one SM half and checked on the other, written
into the bundle with its L1 fixed-point twin, its SM distribution and a report.

The threshold is the lowest score whose weighted SM fraction (score >= t) on the threshold-setting half does not
exceed the target FPR, moved up onto the grid of ``fixed_point.score`` so that the float (HLT) and the fixed-point
(L1) comparisons take the same decision on every event; that agreement is checked on every scored event.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np

from adtrigger.bundle import BundleError, atomic_write_bytes, atomic_write_json, load_bundle, update_card
from adtrigger.bundle.fixed import disagreements, threshold_on_grid
from adtrigger.bundle.rates import (
    CL_1SIGMA,
    Target,
    check_resolved,
    clopper_pearson,
    effective_above,
    fraction_above,
    kish,
    parse_rate,
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


NEVER = -float(np.finfo(np.float64).max)  # below every threshold, and finite so differences of scores stay numbers


def pure_scores(scores: np.ndarray, menu: np.ndarray | None) -> np.ndarray:
    """Scores with every event the reference menu accepts moved below any threshold: the fraction at or above a
    threshold is then the *pure* fraction, events the AD takes and no seed of the menu does."""
    if menu is None:
        raise BundleError("a pure-rate target needs the reference menu's decisions: give --menu MENU")
    return np.where(menu, NEVER, np.asarray(scores, dtype=np.float64))


def _setting_half(scored: Scored, target: Target) -> tuple[np.ndarray, np.ndarray]:
    """The threshold-setting half as the target counts it: all events, or only those the menu rejects (pure)."""
    scores, weight = scored.sm_a
    return (pure_scores(scores, scored.menu_a), weight) if target.kind == "pure_rate_hz" else (scores, weight)


def achieved_at(scored: Scored, threshold: float, target: Target) -> dict:
    """The held-out half's weighted fraction at ``threshold`` with its interval, as a rate at the input rate; for
    a pure-rate target also the pure fraction (``pure_fpr``, ``pure_rate_hz``, each with ``_lo``/``_hi``)."""
    scores, weight = scored.sm_b
    f = fraction_above(scores, weight, np.array([threshold]))
    out = {"fpr": f["fpr"][0], "fpr_lo": f["fpr_lo"][0], "fpr_hi": f["fpr_hi"][0], "cl": CL_1SIGMA}
    if target.kind == "pure_rate_hz":
        p = fraction_above(pure_scores(scores, scored.menu_b), weight, np.array([threshold]))
        out |= {"pure_fpr": p["fpr"][0], "pure_fpr_lo": p["fpr_lo"][0], "pure_fpr_hi": p["fpr_hi"][0],
                "menu_fpr": float(weight[scored.menu_b].sum() / weight.sum())}  # fmt: skip
    if target.input_rate_hz is not None:
        for pre in ("", "pure_") if target.kind == "pure_rate_hz" else ("",):
            out |= {f"{pre}rate_hz{s}": out[f"{pre}fpr{s}"] * target.input_rate_hz for s in ("", "_lo", "_hi")}
    return out | {
        "n_events": len(scores),
        "n_effective": kish(weight),
        "n_effective_above": effective_above(scores, weight, threshold),
        "split": "independent SM half",
    }


def target_warning(target: Target, achieved: dict) -> str | None:
    """A warning when the target lies outside the achieved interval on the held-out half, else None. The pull is
    in the combined statistics of both halves (the threshold fluctuates with its half as the rate does with the
    other, ~sqrt(2) x the interval), so the user can tell a fluctuation from a mismatch of the halves. A pure-rate
    target is compared with the pure fraction."""
    pre = "pure_" if target.kind == "pure_rate_hz" else ""
    fpr, lo, hi = achieved[f"{pre}fpr"], achieved[f"{pre}fpr_lo"], achieved[f"{pre}fpr_hi"]
    if lo <= target.fpr <= hi:
        return None
    sigma = (hi - lo) / 2 * math.sqrt(2)
    pull = f" ({(fpr - target.fpr) / sigma:+.1f} sigma of both halves' statistics)" if sigma > 0 else ""
    if f"{pre}rate_hz" in achieved:
        asked = f"{target.rate_hz(target.fpr):.4g} Hz{' pure' if pre else ''}"
        r = [achieved[f"{pre}rate_hz{s}"] for s in ("", "_lo", "_hi")]
        got = f"{r[0]:.4g} Hz [{r[1]:.4g}, {r[2]:.4g}]"
    else:
        asked, got = f"FPR {target.fpr:.4g}", f"FPR {fpr:.4g} [{lo:.4g}, {hi:.4g}]"
    return (
        f"target {asked} is outside the achieved {achieved['cl']:.0%} interval on the held-out SM half, {got}"
        f"{pull}: the threshold misses its target (more SM data narrows both halves' statistics)"
    )


def signal_efficiencies(scored: Scored, threshold: float) -> dict[str, dict]:
    """Per signal: accepted fraction (unit weights) with its Clopper-Pearson interval; with a reference menu also
    the menu's efficiency, the menu-OR-AD efficiency and the gain (menu-OR-AD minus menu), each with its interval."""
    out = {}
    for name, s in scored.signals.items():
        ad = s >= threshold
        eff, lo, hi = selected_fraction(ad)
        out[name] = {"efficiency": eff, "lo": lo, "hi": hi, "events": len(s)}
        menu = None if scored.signal_menu is None else scored.signal_menu.get(name)
        if menu is not None:
            for key, sel in (("menu", menu), ("menu_or_ad", menu | ad), ("gain", ad & ~menu)):
                eff, lo, hi = selected_fraction(sel)
                out[name] |= {key: eff, f"{key}_lo": lo, f"{key}_hi": hi}
    return out


def selected_fraction(selected: np.ndarray) -> tuple[float, float, float]:
    """(fraction, lo, hi) of the unit-weight events ``selected`` (bool), with its 68 % Clopper-Pearson interval."""
    k, n = float(np.count_nonzero(selected)), float(len(selected))
    lo, hi = clopper_pearson(np.array([k]), np.array([n]))
    return k / n, float(lo[0]), float(hi[0])


def choose_threshold(scored: Scored, target: Target, score_type: dict | None) -> tuple[float, dict | None]:
    """(float threshold, fixed {"raw", "value"} or None) for ``target`` from the threshold-setting half."""
    fpr = target.fpr
    what = f" for {target.value:g} Hz pure" if target.kind == "pure_rate_hz" else ""
    check_resolved(kish(scored.sm_a[1]), fpr, f"threshold-setting SM half{what}")
    check_resolved(kish(scored.sm_b[1]), fpr, f"held-out SM half{what}")
    t = threshold_at_fpr(*_setting_half(scored, target), fpr)
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
    menu: str | Path | None = None,
    **kwargs,
) -> dict:
    """Calibrate threshold ``name`` of a bundle for ``target``; returns the card's new threshold entry. A pure-rate
    target needs ``menu`` (a menu file or built-in name); ``kwargs`` as :func:`calibrate_many`."""
    return calibrate_many(model_dir, sm_paths, signal_paths, [(name, target)], activate=name if activate else None,
                          menu=menu, **kwargs)[name]  # fmt: skip


def calibrate_ladder(
    model_dir: str | Path,
    sm_paths: list[Path],
    signal_paths: list[Path],
    seeds: list[tuple[str, Target]],
    *,
    menu: str | Path,
    activate: str | None = "Medium",
    **kwargs,
) -> dict[str, dict]:
    """Calibrate a ladder of seeds (names with pure-rate targets, loosest first) in one pass over the data and
    write them with the card's ``ladder`` (adtrigger.bundle.ladder) and a copy of the menu; returns the entries."""
    names = [n for n, _ in seeds]
    values = [t.value for _, t in seeds]
    if any(b > a for a, b in itertools.pairwise(values)) or any(t.kind != "pure_rate_hz" for _, t in seeds):
        asked = ", ".join(f"{n}={t.value:g} ({t.kind})" for n, t in seeds)
        raise BundleError(f"a ladder's seeds are pure rates, loosest first (highest rate first), got {asked}")
    if activate is not None and activate not in names:
        activate = names[len(names) // 2]
    return calibrate_many(model_dir, sm_paths, signal_paths, seeds, activate=activate, menu=menu, ladder=True,
                          **kwargs)  # fmt: skip


def calibrate_many(
    model_dir: str | Path,
    sm_paths: list[Path],
    signal_paths: list[Path],
    targets: list[tuple[str, Target]],
    *,
    activate: str | None = None,
    menu: str | Path | None = None,
    ladder: bool = False,
    seed: int | None = None,
    shard_events: int = 200_000,
    max_events: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
) -> dict[str, dict]:
    """Score the data once and set one threshold per ``(name, target)``; ``ladder`` also writes the card's ladder
    (the names in the given order, which must run loosest first). Returns the entries by name."""
    reports = {name: report_files(name) for name, _ in targets}
    if len(reports) != len(targets):
        raise BundleError(f"a threshold name is given twice: {[n for n, _ in targets]}")
    bundle = load_bundle(model_dir)
    card = bundle.card
    if "model.onnx" not in card["files"]:
        raise BundleError(f"bundle {bundle.path} has no model.onnx: run adtrigger export first")
    fixed_point = card.get("fixed_point")
    if card["kind"] == "l1_vae" and not fixed_point:
        raise BundleError(f"bundle {bundle.path} has no fixed_point (the L1 score type): run adtrigger export first")
    reference = _load_reference_menu(menu, card, targets, ladder)
    seed = int(card.get("settings", {}).get("seed", 1) if seed is None else seed)
    shards = plan_shards(card, sm_paths, signal_paths, seed=seed, shard_events=shard_events, max_events=max_events)
    scored = score_plan(shards, str(bundle.path), card["files"]["model.onnx"]["sha256"], card["kind"],
                        workers=workers, scheduler=scheduler, menu=reference)  # fmt: skip
    distribution = sm_distribution(*scored.sm_a, card["score"]["kind"], heldout=scored.sm_b)
    data = {
        "sm_files": shards.sm_files,
        "signal_files": [str(p) for p in signal_paths],
        "seed": seed,
        "threshold_half": {"n_events": len(scored.sm_a[0]), "n_effective": kish(scored.sm_a[1])},
        "training_events_left_out": scored.left_out,
        "max_events": max_events,
    }
    entries, effs = {}, {}
    for name, target in targets:
        threshold, fixed = choose_threshold(scored, target, fixed_point["score"] if fixed_point else None)
        achieved = achieved_at(scored, threshold, target)
        effs[name] = signal_efficiencies(scored, threshold)
        entries[name] = {
            "target": target.as_dict(),
            "score": threshold,
            "fixed": fixed,
            "achieved": achieved,
            "warning": target_warning(target, achieved),
            "signal_efficiency": {k: v["efficiency"] for k, v in effs[name].items()},
            **({"signal_menu": _menu_table(effs[name])} if reference is not None else {}),
            "created": utc_now(),
            "data": data,
            "report": reports[name],
        }
    changes: dict = {"thresholds": entries}
    files = [DISTRIBUTION_FILE]
    if ladder:
        order = [entries[n]["score"] for n, _ in targets]
        if any(b < a for a, b in itertools.pairwise(order)):
            asked = ", ".join(f"{n}={t.value:g}" for n, t in targets)
            raise BundleError(f"the ladder's seeds must run loosest first (highest rate first), got {asked}")
        changes["ladder"] = {"seeds": [n for n, _ in targets], "menu": _menu_entry(reference)}
        files.append(MENU_FILE)
    if activate is not None:
        changes["active_threshold"] = activate
    _write_outputs(bundle.path, distribution, scored, entries, effs, reference if ladder else None)
    for r in reports.values():
        files += list(r.values())
    update_card(bundle.path, changes, files=files, replace=[f"thresholds.{n}" for n in entries] + ["ladder"] * ladder)
    return entries


MENU_FILE = "menu.yaml"  # the ladder's reference menu, copied into the bundle
# Pure rates of the default ladder, loosest first, in Hz of collisions. The tightest a stream resolves is set by its
# size (10 crossings above threshold per half: 6 x 10^5 crossings, 3 x 10^5 per half, reach ~950 Hz at 28.6 MHz).
DEFAULT_LADDER = "VLoose=20kHz,Loose=10kHz,Medium=5kHz,Tight=3kHz,VTight=2kHz,VVTight=1kHz"


def parse_ladder(text: str | None) -> list[tuple[str, float]]:
    """``"VLoose=20kHz,Loose=10kHz,..."`` (default :data:`DEFAULT_LADDER`) as (name, pure rate in Hz), in order."""
    out = []
    for part in (text or DEFAULT_LADDER).split(","):
        name, eq, rate = part.partition("=")
        if not eq or not name.strip():
            raise BundleError(f"ladder seed {part!r}: write NAME=RATE, e.g. VLoose=20kHz, separated by commas")
        report_files(name.strip())  # refuses a name that cannot name a report folder
        out.append((name.strip(), parse_rate(rate)))
    return out


def _load_reference_menu(menu: str | Path | None, card: dict, targets: list[tuple[str, Target]], ladder: bool):
    """The reference menu when a target is pure or a ladder is asked for (an error without one), else None."""
    needs = ladder or any(t.kind == "pure_rate_hz" for _, t in targets)
    if menu is None:
        if needs:
            raise BundleError("pure-rate targets and ladders are set against a reference menu: give --menu MENU")
        return None
    if card["kind"] != "l1_vae":
        raise BundleError(f"a reference L1 menu reads L1 objects; bundle kind {card['kind']!r} scores other inputs")
    from adtrigger.training.menu import load_menu

    return load_menu(menu)


def _menu_entry(menu) -> dict:
    return {"name": menu.name, "file": MENU_FILE, "sha256": menu.sha256}


def _menu_table(effs: dict[str, dict]) -> dict[str, dict]:
    """Per signal: the menu's efficiency, menu-OR-AD and the gain, for the card."""
    return {k: {m: v[m] for m in ("menu", "menu_or_ad", "gain") if m in v} for k, v in effs.items()}


def _write_outputs(root: Path, distribution: dict, scored: Scored, entries: dict, effs: dict, menu) -> None:
    """``sm_distribution.json``, each threshold's report (``entry["report"]``), and with a ladder ``menu.yaml`` and
    ``calibration/ladder.md``: each by temp file and rename."""
    from adtrigger.training.calibration.report import (
        ladder_markdown,
        markdown,
        plot_rate,
        plot_view,
        pure_distribution,
    )

    atomic_write_json(root / DISTRIBUTION_FILE, distribution)
    pure = None
    if any(e["target"]["kind"] == "pure_rate_hz" for e in entries.values()):
        pure = pure_distribution(distribution, scored)
    for name, entry in entries.items():
        md, png = (root / entry["report"][k] for k in ("markdown", "plot"))
        md.parent.mkdir(parents=True, exist_ok=True)
        view = plot_view(distribution, pure, entry)
        with tempfile.TemporaryDirectory(dir=md.parent, prefix=".tmp") as tmp:
            plot_rate(*view, effs[name], Path(tmp) / png.name)
            (Path(tmp) / md.name).write_text(markdown(root.name, name, entry, effs[name], scored))
            for f in (png, md):
                shutil.move(Path(tmp) / f.name, f)  # same file system: a rename
    if menu is not None:
        atomic_write_bytes(root / MENU_FILE, Path(menu.path).read_bytes())  # the YAML as written, comments kept
        (root / REPORT_DIR).mkdir(exist_ok=True)
        atomic_write_bytes(root / REPORT_DIR / "ladder.md", ladder_markdown(root.name, menu, entries, effs).encode())
