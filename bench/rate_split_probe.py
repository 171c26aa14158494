"""How a trained L1 bundle's rate would be best shared between its score groups and plain triggers (issue 12).

Each column is a score: the bundle's score groups (``group0``, ``group1``, ...: the topology group, the kinematic
group, chains) and exact plain triggers (MET, S_T, H_T, the e/gamma and muon pT sums). A share vector gives each
column its own threshold at ``share x FPR`` on the SM test split; the thresholds are then scaled together until the
OR of the columns sits at the target FPR, and the OR's TPR on each signal is printed as its ratio to the bar (the
best plain trigger or AE, from the bundle's evaluation). No training: a probe of what a rate split could give
before one trains for it.

    python bench/rate_split_probe.py models/l1_vae_refstream \\
        '{"group0": 0.25, "group1": 0.75}' '{"group0": 0.2, "group1": 0.3, "MET": 0.5}'

A second mode, ``--hard-objects``, prints the fraction of SM test events accepted at FPR 1e-3 and 1e-4 by the
bundle's own score once one hard muon, jet or extra MET is added (in pT order).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from adtrigger.bundle import latent_score
from adtrigger.training import kinematic, pipeline, vae
from adtrigger.training.config import from_dict
from adtrigger.training.hard_objects import add_object
from adtrigger.training.metrics import threshold_at_fpr

PLAIN = {"MET": "MET", "S_T": "S_T", "H_T": "H_T", "sum_e": "sum e/gamma pT", "sum_mu": "sum muon pT"}


def plain_columns(x: np.ndarray) -> dict[str, np.ndarray]:
    """The exact sums, as the kinematic targets define them (training/kinematic.py)."""
    sums = np.asarray(x, np.float64) @ kinematic.target_matrix(x.shape[1], tuple(PLAIN.values()))
    return {name: sums[:, k] for k, name in enumerate(PLAIN)}


def columns(model, groups, x: np.ndarray) -> dict[str, np.ndarray]:
    g = latent_score.group_scores(vae.latent(model, x)[0].astype(np.float64), groups)
    return {**{f"group{j}": g[:, j] for j in range(g.shape[1])}, **plain_columns(x)}


def or_tpr(sm: dict, w: np.ndarray, sig: dict, shares: dict[str, float], fpr: float) -> dict[str, float]:
    """TPR per signal of the OR of ``shares``' columns, their thresholds scaled together to total FPR ``fpr``."""

    def at(k: float):
        th = {c: threshold_at_fpr(sm[c], w, min(s * fpr * k, 0.5)) for c, s in shares.items()}
        acc = lambda cols: np.any([cols[c] >= t for c, t in th.items()], axis=0)  # noqa: E731
        return np.sum(w * acc(sm)) / np.sum(w), {n: float(np.mean(acc(c))) for n, c in sig.items()}

    lo, hi = 0.5, 3.0
    for _ in range(25):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if at(mid)[0] < fpr else (lo, mid)
    return at(lo)[1]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("shares", nargs="*", help="JSON objects {column: share}")
    ap.add_argument("--fpr", type=float, default=1e-3)
    ap.add_argument("--hard-objects", action="store_true")
    a = ap.parse_args(argv)
    record = pipeline.read_record(a.bundle)
    cfg = from_dict(record["config"], base_dir=a.bundle / record.get("base_dir", "."))
    data = pipeline._load_data(cfg)
    model = vae.load_model(a.bundle)
    groups = vae.load_score_groups(a.bundle, vae.latent_size(model))
    test = data.sm["test"]
    if a.hard_objects:
        s = vae.l1_score(model, test.flat, groups=groups)
        t3, t4 = (threshold_at_fpr(s, test.weight, f) for f in (1e-3, 1e-4))
        ev = test.flat[:2000]
        print("| added object | pT (GeV) | accepted at FPR 1e-3 | at 1e-4 |\n| --- | --- | --- | --- |")
        for kind in ("MET", "muon", "jet"):
            for pt in (100, 200, 300, 500, 1000, 2048):
                sc = vae.l1_score(model, add_object(ev, kind, pt), groups=groups)
                print(f"| {kind} | {pt} | {np.mean(sc >= t3):.3f} | {np.mean(sc >= t4):.3f} |")
        return
    bars = json.loads((a.bundle / "evaluation" / "metrics.json").read_text())["bar"]
    bar = {n: v[f"{a.fpr:g}"]["tpr"] for n, v in bars.items()}
    sm = columns(model, groups, test.flat)
    sig = {n: columns(model, groups, pipeline._halves(s, cfg.seed)[1].flat) for n, s in data.signals.items()}
    for text in a.shares:
        shares = json.loads(text)
        tpr = or_tpr(sm, test.weight, sig, shares, a.fpr)
        a4 = or_tpr(sm, test.weight, {"A": sig[next(iter(sig))]}, shares, a.fpr / 10)["A"]
        cells = " ".join(f"{n} {v / bar[n]:.2f}" for n, v in tpr.items() if n in bar)
        print(f"{text}: ratio to the bar at FPR {a.fpr:g}: {cells}; first signal at FPR {a.fpr / 10:g}: {a4:.4f}")


if __name__ == "__main__":
    main()
