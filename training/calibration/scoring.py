"""Scoring the planned shards with the bundle's ONNX graph through ``adtrigger.bundle.scoring.Scorer`` (the
service's code path), in this process or on Dask workers; a shard's inputs are dropped as soon as it is scored,
so memory holds the scores (17 bytes per event), never the inputs of more than one shard per worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from adtrigger.bundle import BundleError
from adtrigger.bundle.scoring import Scorer
from adtrigger.training.calibration.sources import HALF_SALT, Plan, Shard, read_shard, unit_hashes

if TYPE_CHECKING:
    from adtrigger.training.menu import Menu

DASK_MIN_EVENTS = 2_000_000  # in-process scoring runs at ~0.5 M events/s per core (bench/calibrate_scoring.py)
_SCORERS: dict[tuple[str, str], Scorer] = {}  # per process: one session per bundle and model checksum


def _scorer(bundle_path: str, model_sha256: str) -> Scorer:
    key = (bundle_path, model_sha256)
    if key not in _SCORERS:
        scorer = Scorer(bundle_path, threads=1)
        if scorer.bundle.card["files"]["model.onnx"]["sha256"] != model_sha256:
            raise BundleError(f"{bundle_path}/model.onnx changed while calibrating; run calibrate again")
        _SCORERS[key] = scorer
    return _SCORERS[key]


def score_shard(
    bundle_path: str, model_sha256: str, kind: str, shard: Shard, menu: Menu | None = None
) -> dict[str, np.ndarray]:
    """Scores of one shard; for SM also weights and the half (True: threshold-setting), training events dropped.
    With a reference ``menu``, also its decision on every event (``"menu"``: accepted by a seed of the menu)."""
    x, w, ids, label = read_shard(shard, kind)
    scores = _scorer(bundle_path, model_sha256).score(x)
    menu_bits = None if menu is None else menu.accept(x.reshape(len(x), -1, 3), ids)
    del x
    if shard.role != "sm":
        return {"scores": scores} if menu_bits is None else {"scores": scores, "menu": menu_bits}
    keep = np.ones(len(ids), dtype=bool)
    if shard.exclude_below > 0:  # a file the model was trained on: leave its train/val events out
        keep = unit_hashes(shard, ids, label) >= shard.exclude_below
        if shard.exclude_rows is not None:  # training read only the first rows of the file
            keep |= np.arange(shard.start, shard.stop) >= shard.exclude_rows
    weight = w * np.asarray(shard.weight_scale, dtype=np.float64)[label]
    half = unit_hashes(shard, ids, label, HALF_SALT) < 0.5
    out = {"scores": scores[keep], "weight": weight[keep], "half": half[keep], "left_out": int((~keep).sum())}
    if menu_bits is not None:
        out["menu"] = menu_bits[keep]
    return out


@dataclass
class Scored:
    """The scored sample: SM halves (scores, weights) and each signal's scores; with a reference menu, its decision
    on every event of each (``menu_a``, ``menu_b``, ``signal_menu``; None without a menu)."""

    sm_a: tuple[np.ndarray, np.ndarray]  # threshold-setting half
    sm_b: tuple[np.ndarray, np.ndarray]  # held-out half: the achieved rate
    signals: dict[str, np.ndarray]
    left_out: int  # SM events left out as training/validation events
    menu_a: np.ndarray | None = None
    menu_b: np.ndarray | None = None
    signal_menu: dict[str, np.ndarray] | None = None


def _gather(plan: Plan, results: list[dict]) -> Scored:
    n_sm = len(plan.sm)
    sm, sig = results[:n_sm], results[n_sm:]
    scores = np.concatenate([r["scores"] for r in sm])
    weight = np.concatenate([r["weight"] for r in sm])
    half = np.concatenate([r["half"] for r in sm])
    signals: dict[str, list[np.ndarray]] = {}
    signal_menu: dict[str, list[np.ndarray]] = {}
    for shard, r in zip(plan.signals, sig, strict=True):
        signals.setdefault(shard.role, []).append(r["scores"])
        if "menu" in r:
            signal_menu.setdefault(shard.role, []).append(r["menu"])
    menu = np.concatenate([r["menu"] for r in sm]) if sm and "menu" in sm[0] else None
    return Scored(
        sm_a=(scores[half], weight[half]),
        sm_b=(scores[~half], weight[~half]),
        signals={k: np.concatenate(v) for k, v in signals.items()},
        left_out=sum(r["left_out"] for r in sm),
        menu_a=None if menu is None else menu[half],
        menu_b=None if menu is None else menu[~half],
        signal_menu={k: np.concatenate(v) for k, v in signal_menu.items()} if menu is not None else None,
    )


def score_plan(
    plan: Plan,
    bundle_path: str,
    model_sha256: str,
    kind: str,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[int], None] | None = None,
    menu: Menu | None = None,
) -> Scored:
    """Score every shard: on Dask (a local cluster of ``workers`` processes, or the scheduler at ``scheduler``) when a
    scheduler or workers are given, or by default when there are more than ``DASK_MIN_EVENTS`` events (a local
    cluster costs ~5 s to start); else in this process. ``workers == 0`` forces this process."""
    shards = [*plan.sm, *plan.signals]
    n_events = sum(s.stop - s.start for s in shards)
    local = workers == 0 or len(shards) == 1 or (workers is None and n_events <= DASK_MIN_EVENTS)
    if scheduler is None and local:
        results = []
        for s in shards:
            results.append(score_shard(bundle_path, model_sha256, kind, s, menu))
            if progress:
                progress(s.stop - s.start)
        return _gather(plan, results)
    import os

    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        n = min(workers or os.cpu_count() or 1, len(shards))
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        futures = {client.submit(score_shard, bundle_path, model_sha256, kind, s, menu, pure=False): i
                   for i, s in enumerate(shards)}  # fmt: skip
        results: list[dict | None] = [None] * len(shards)
        for fut in as_completed(futures):
            i = futures[fut]
            results[i] = fut.result()
            fut.release()
            if progress:
                progress(shards[i].stop - shards[i].start)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return _gather(plan, results)
