"""Pythia 8 generation of one process into preselected L1 events, in seeded shards run on Dask.

A run is split into shards of a fixed number of preselected events; shard ``i`` of a run with seed ``s`` uses
Pythia seed ``s * 1000 + i + 1``, so the same seed gives the same events whatever the number of workers.
Each finished shard is written atomically next to the output, so an interrupted run leaves only whole shards
(and a rerun reuses them); the output itself appears in one rename when every shard is in.

With ``pileup`` (``pileup.py``) a run first builds its minimum-bias mixture once (a soft pool in seeded chunks and
the hard-tail cross section; cached next to the shards), then each shard writes bunch crossings emulated on
calorimeter towers: the process's event plus Poisson(mu) pileup interactions, or pileup only for zero bias.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from adtrigger import __version__
from adtrigger.bundle.ladder import LHC_COLLIDING_BUNCHES, collision_rate_hz
from adtrigger.bundle.layout import N_HLT_FEATURES
from adtrigger.training.stream import pileup as pu
from adtrigger.training.stream.cards import Card, builtin_card
from adtrigger.training.stream.emulation import ParticleTable, RecoParams, reconstruct_batch
from adtrigger.training.stream.sample import EventSample
from adtrigger.training.stream.towers import TowerParams

MAX_SEED = 900_000  # Pythia seeds must stay below 900 000 000; shards use seed * 1000 + index
EVENT_ID_STRIDE = 10**7  # event id = pythia seed * 10^7 + index of the generated event in that run
PB_PER_MB = 1e9
PRESELECTIONS = ("lepton", "none")
EMULATIONS = ("particles", "towers")
TIMING_KEYS = ("init", "primary", "hard", "mix", "emulate")  # pileup.run_crossings' steps
LEPTON_PRESELECTION = "an isolated e/gamma or muon with pT > 23 GeV"
TOWER_LEPTON_PRESELECTION = "an L1 e/gamma (towers, rho-corrected isolation) or muon with pT > 23 GeV"


@dataclass(frozen=True)
class ShardSpec:
    """Everything that determines one shard's events."""

    card: Card
    n_events: int  # preselected events to keep
    seed: int  # the run's seed
    index: int  # shard index within the run
    batch_size: int = 200
    reco: RecoParams = field(default_factory=RecoParams)
    pileup: pu.PileupParams | None = None  # None: no pileup
    preselection: str = "lepton"  # "lepton" | "none"
    emulation: str = "particles"  # "particles" (emulation.py) | "towers" (towers.py)
    towers: TowerParams = field(default_factory=TowerParams)

    def __post_init__(self) -> None:
        if self.preselection not in PRESELECTIONS:
            raise ValueError(f"--preselection must be one of {PRESELECTIONS}, got {self.preselection!r}")
        if self.emulation not in EMULATIONS:
            raise ValueError(f"emulation must be one of {EMULATIONS}, got {self.emulation!r}")
        if self.emulation == "particles" and (self.pileup is not None or self.preselection != "lepton"):
            raise ValueError("pileup and --preselection none need the tower emulation")

    @property
    def pythia_seed(self) -> int:
        return self.seed * 1000 + self.index + 1

    @property
    def zero_bias(self) -> bool:
        """Crossings of pileup interactions only (the minimum-bias process with pileup)."""
        return self.pileup is not None and self.card.name == pu.ZERO_BIAS

    def key(self) -> str:
        """A digest of the spec: a saved shard is reused only by an identical spec."""
        blob = json.dumps([asdict(self.card), self.n_events, self.pythia_seed, self.batch_size,
                           self.reco.as_dict(), __version__, self.pileup and self.pileup.as_dict(),
                           self.preselection, self.emulation,
                           self.towers.as_dict() if self.emulation == "towers" else None], sort_keys=True)  # fmt: skip
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass
class ShardResult:
    """One shard's preselected events and the generation counts needed for cross sections."""

    particles: np.ndarray  # (n, 19, 3) float32
    hlt: np.ndarray  # (n, 21) float32
    weight: np.ndarray  # (n,) Pythia event weight (1 unless the card biases the generation)
    event_id: np.ndarray  # (n,) int64
    n_generated: int
    sum_weight_generated: float
    sigma_gen_pb: float
    sigma_err_pb: float
    seconds: float
    n_pileup: np.ndarray | None = None  # (n,) int16 pileup interactions per crossing (tower emulation only)
    n_soft_drawn: int = 0  # pool interactions drawn, for the reuse factor
    n_hard_generated: int = 0  # fresh hard-tail interactions
    timing: np.ndarray = field(default_factory=lambda: np.zeros(len(TIMING_KEYS)))  # seconds per step


def run_shard(
    spec: ShardSpec, progress: Callable[[int], None] | None = None, mixture: pu.Mixture | None = None
) -> ShardResult:
    """Generate until ``spec.n_events`` events pass the preselection; runs in a worker process.

    ``mixture`` (the run's pool and hard-tail split) is needed when ``spec.pileup.mu > 0``.
    """
    if spec.emulation == "towers":
        return _run_tower_shard(spec, progress, mixture)
    import awkward as ak

    start = time.perf_counter()
    pythia = pu.open_pythia(spec.card, spec.pythia_seed)
    table = ParticleTable(pythia.particleData)
    rng = np.random.default_rng(spec.pythia_seed)
    parts, hlts, weights, ids = [], [], [], []
    n_kept = n_generated = 0
    sum_w = 0.0
    while n_kept < spec.n_events:
        batch = pythia.nextBatch(spec.batch_size)
        n_batch = len(batch)
        if n_batch == 0:
            raise RuntimeError(f"Pythia returned no events for {spec.card.name} (seed {spec.pythia_seed})")
        w = ak.to_numpy(batch.info.weights[:, 0]).astype(np.float64)
        res = reconstruct_batch(batch, table, rng, spec.reco)
        idx = np.flatnonzero(res.passed)
        take = min(len(idx), spec.n_events - n_kept)
        # count generated events up to the last one kept, so pass fractions are exact
        n_used = n_batch if take == len(idx) else int(idx[take - 1]) + 1
        parts.append(res.particles[:take])
        hlts.append(res.hlt[:take])
        weights.append(w[idx[:take]])
        ids.append(spec.pythia_seed * EVENT_ID_STRIDE + n_generated + idx[:take])
        sum_w += float(w[:n_used].sum())
        n_generated += n_used
        n_kept += take
        if progress is not None and take:
            progress(take)
    info = pythia.infoPython()
    return ShardResult(
        particles=np.concatenate(parts),
        hlt=np.concatenate(hlts),
        weight=np.concatenate(weights),
        event_id=np.concatenate(ids).astype(np.int64),
        n_generated=n_generated,
        sum_weight_generated=sum_w,
        sigma_gen_pb=float(info.sigmaGen()) * PB_PER_MB,
        sigma_err_pb=float(info.sigmaErr()) * PB_PER_MB,
        seconds=time.perf_counter() - start,
    )


def _run_tower_shard(spec: ShardSpec, progress, mixture: pu.Mixture | None) -> ShardResult:
    """Bunch crossings of one shard, emulated on towers (no HLT features: build_sample drops the zeros kept here)."""
    start = time.perf_counter()
    mu = spec.pileup.mu if spec.pileup is not None else 0.0
    res = pu.run_crossings(
        None if spec.zero_bias else spec.card, spec.n_events, spec.pythia_seed, spec.pythia_seed * EVENT_ID_STRIDE,
        mu, mixture if mu > 0 else None, pu.derived_seed(spec.seed, pu.HARD_STREAM, spec.index),
        pu.mixing_rng(spec.seed, spec.index), spec.towers,
        lepton_ptmin=spec.reco.lep_presel if spec.preselection == "lepton" else None,
        batch_size=spec.pileup.batch_size if spec.pileup is not None else spec.batch_size, progress=progress,
    )  # fmt: skip
    sigma, sigma_err = res.sigma_gen_mb, res.sigma_err_mb
    if spec.zero_bias:  # a crossing's "cross section" is the inelastic nonDiffractive one
        sigma, sigma_err = mixture.sigma_nd_mb, mixture.sigma_nd_err_mb
    n = len(res.weight)
    return ShardResult(
        particles=res.particles,
        hlt=np.zeros((n, N_HLT_FEATURES), np.float32),
        weight=res.weight,
        event_id=res.event_id,
        n_generated=res.n_generated,
        sum_weight_generated=res.sum_weight_generated,
        sigma_gen_pb=sigma * PB_PER_MB,
        sigma_err_pb=sigma_err * PB_PER_MB,
        seconds=time.perf_counter() - start,
        n_pileup=res.n_pileup,
        n_soft_drawn=res.n_soft_drawn,
        n_hard_generated=res.n_hard_generated,
        timing=np.array([res.times[k] for k in TIMING_KEYS]),
    )


def plan_shards(
    card: Card,
    n_events: int,
    seed: int,
    shard_events: int,
    reco: RecoParams,
    *,
    pileup: pu.PileupParams | None = None,
    preselection: str | None = None,
    emulation: str | None = None,
    towers: TowerParams | None = None,
) -> list[ShardSpec]:
    """Split a run into shards of ``shard_events`` preselected events (the last one may be smaller).

    Defaults: preselection "none" for the minimum-bias process, "lepton" otherwise; emulation "towers" with pileup
    or without preselection, "particles" otherwise.
    """
    if n_events <= 0:
        raise ValueError(f"--events must be positive, got {n_events}")
    if shard_events <= 0:
        raise ValueError(f"--shard-events must be positive, got {shard_events}")
    if not 0 <= seed < MAX_SEED:
        raise ValueError(f"--seed must be in [0, {MAX_SEED}), got {seed}")
    n_shards = -(-n_events // shard_events)
    if n_shards > 1000:
        raise ValueError(f"{n_shards} shards: at most 1000 per seed, raise --shard-events")
    sizes = [shard_events] * (n_shards - 1) + [n_events - shard_events * (n_shards - 1)]
    preselection = preselection or ("none" if card.name == pu.ZERO_BIAS else "lepton")
    emulation = emulation or ("towers" if pileup is not None or preselection == "none" else "particles")
    return [ShardSpec(card=card, n_events=n, seed=seed, index=i, reco=reco, pileup=pileup, preselection=preselection,
                      emulation=emulation, towers=towers or TowerParams()) for i, n in enumerate(sizes)]  # fmt: skip


def _versions() -> dict[str, str]:
    out = {"adtrigger": __version__}
    for pkg in ("pythia8mc", "fastjet", "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    return out


def build_sample(
    specs: list[ShardSpec],
    results: list[ShardResult],
    mixture: pu.Mixture | None = None,
    colliding_bunches: int = LHC_COLLIDING_BUNCHES,
) -> EventSample:
    """Join shard results into one sample of one process, with its manifest."""
    card, spec0 = specs[0].card, specs[0]
    n_gen = sum(r.n_generated for r in results)
    sum_w_gen = sum(r.sum_weight_generated for r in results)
    # combine Pythia's estimates weighted by generated events, as refstream-v1 does
    sigma = sum(r.sigma_gen_pb * r.n_generated for r in results) / n_gen
    sigma_err = float(np.sqrt(sum((r.sigma_err_pb * r.n_generated) ** 2 for r in results))) / n_gen
    weight = np.concatenate([r.weight for r in results])
    manifest = {
        "kind": "generated",
        "process": card.name,
        "description": card.description,
        "card_source": card.source,
        "pythia_card": card.pythia_lines(),
        "seed": specs[0].seed,
        "pythia_seeds": [s.pythia_seed for s in specs],
        "shard_events": [s.n_events for s in specs],
        "shard_n_generated": [r.n_generated for r in results],
        "n_events": len(weight),
        "n_generated": n_gen,
        "sum_weight_generated": sum_w_gen,
        # weighted pass fraction: for a biased card, the unbiased probability to pass
        "pass_fraction": float(weight.sum() / sum_w_gen),
        "sigma_gen_pb": sigma,
        "sigma_err_pb": sigma_err,
        "sigma_pass_pb": sigma * float(weight.sum() / sum_w_gen),
        "weight_meaning": "Pythia event weight; cross section per event = sigma_gen_pb * weight / sum_weight_generated",
        "reco": specs[0].reco.as_dict(),
        "preselection": _preselection_text(spec0),
        "emulation": spec0.emulation,
        "rounding": "pT to 0.25 GeV, eta and phi to 0.01",
        "event_id_scheme": "pythia seed * 10^7 + index of the generated event in that seed's run",
        "versions": _versions(),
        "generation_seconds": [round(r.seconds, 3) for r in results],
    }
    towers = spec0.emulation == "towers"
    if towers:
        manifest.update(_tower_manifest(specs, results, mixture, colliding_bunches))
    return EventSample(
        particles=np.concatenate([r.particles for r in results]),
        process=np.zeros(len(weight), dtype=np.int16),
        process_names=(card.name,),
        weight=weight,
        event_id=np.concatenate([r.event_id for r in results]),
        hlt=None if towers else np.concatenate([r.hlt for r in results]),
        manifest=manifest,
        n_pileup=np.concatenate([r.n_pileup for r in results]) if towers else None,
    )


def _preselection_text(spec: ShardSpec) -> str:
    if spec.preselection == "none":
        return "none"
    return TOWER_LEPTON_PRESELECTION if spec.emulation == "towers" else LEPTON_PRESELECTION


def _tower_manifest(specs: list[ShardSpec], results: list[ShardResult], mixture: pu.Mixture | None,
                    colliding_bunches: int) -> dict:  # fmt: skip
    """What a tower-emulated (pileup) run adds to the manifest."""
    spec0 = specs[0]
    n_pileup = np.concatenate([r.n_pileup for r in results])
    timing = np.sum([r.timing for r in results], axis=0)
    out = {
        "tower_params": spec0.towers.as_dict(),
        "hlt_features": "none: the 21 HLT features need a trigger lepton and particle-level isolation, which tower-"
        "emulated crossings do not keep (not part of the zero-bias issue); the file has no HLTFeatures",
        "pileup_mu": spec0.pileup.mu if spec0.pileup is not None else 0.0,
        "n_pileup_mean": float(n_pileup.mean()) if len(n_pileup) else 0.0,
        "zero_bias": spec0.zero_bias,
        "colliding_bunches": colliding_bunches,
        "crossing_rate_hz": collision_rate_hz(colliding_bunches),
        "mixing_seeds": "numpy SeedSequence([seed, 4, shard index]) per shard (pileup counts, pool draws, smearing)",
        "pool_draws": "distinct within a crossing (pileup.draw_distinct)",
        "hard_tail_seeds": [pu.derived_seed(s.seed, pu.HARD_STREAM, s.index) for s in specs],
        "shard_timing_seconds": dict(zip(TIMING_KEYS, np.round(timing, 3).tolist(), strict=True)),
    }
    if spec0.zero_bias:
        # every crossing is a colliding-bunch crossing taken at random: the stream's rate is the collision rate
        out["input_rate_hz"] = collision_rate_hz(colliding_bunches)
        out["weight_meaning"] = "unweighted crossings (weight 1): rate of a selection = fraction x input_rate_hz"
    if spec0.pileup is not None:
        n_soft = sum(r.n_soft_drawn for r in results)
        pileup = {**spec0.pileup.as_dict(), "n_soft_drawn": n_soft,
                  "n_hard_generated": sum(r.n_hard_generated for r in results)}  # fmt: skip
        if mixture is not None:
            pileup.update(mixture.summary())
            pileup["pool_reuse_factor"] = n_soft / len(mixture.pool)
        out["pileup"] = pileup
    return out


def _save_shard(result: ShardResult, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **{k: v for k, v in asdict(result).items() if v is not None})  # None: the field's default
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _load_shard(path: Path) -> ShardResult | None:
    try:
        with np.load(path) as z:
            return ShardResult(**{k: (z[k] if z[k].ndim else z[k].item()) for k in z.files})
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged shard is regenerated, never trusted


def generate(
    card: Card,
    n_events: int,
    seed: int,
    *,
    work_dir: Path | None = None,
    **kwargs,
) -> EventSample:
    """Generate ``n_events`` preselected events of ``card`` (see ``generate_many`` for the options)."""
    return generate_many([(card, n_events)], seed, work_dirs=[work_dir], **kwargs)[0]


def generate_many(
    requests: list[tuple[Card, int]],
    seed: int,
    *,
    shard_events: int = 2000,
    workers: int | None = None,
    scheduler: str | None = None,
    work_dirs: list[Path | None] | None = None,
    reco: RecoParams | None = None,
    show_progress: bool = True,
    pileup: pu.PileupParams | None = None,
    preselection: str | None = None,
    emulation: str | None = None,
    towers: TowerParams | None = None,
    colliding_bunches: int = LHC_COLLIDING_BUNCHES,
) -> list[EventSample]:
    """Generate several processes in one pool of shards: one Dask cluster keeps every core busy.

    Shards run in-process when one worker suffices, else on a local Dask cluster (or ``scheduler``).
    ``work_dirs[k]`` keeps process k's finished shards (reused by an identical rerun). With ``pileup`` the run's
    minimum-bias mixture is built first (kept in the first work dir) and shared by every shard;
    ``preselection``/``emulation`` default per process (``plan_shards``).
    """
    reco = reco or RecoParams()
    towers = towers or TowerParams()
    collision_rate_hz(colliding_bunches)  # validates the count before any work
    work_dirs = work_dirs or [None] * len(requests)
    plans = [plan_shards(card, n, seed, shard_events, reco, pileup=pileup, preselection=preselection,
                         emulation=emulation, towers=towers) for card, n in requests]  # fmt: skip
    results: dict[tuple[int, int], ShardResult] = {}
    for k, (specs, wd) in enumerate(zip(plans, work_dirs, strict=True)):
        if wd is None:
            continue
        wd.mkdir(parents=True, exist_ok=True)
        for spec in specs:
            saved = _load_shard(wd / f"shard-{spec.index:04d}-{spec.key()}.npz")
            if saved is not None:
                results[(k, spec.index)] = saved
    todo = [(k, spec) for k, specs in enumerate(plans) for spec in specs if (k, spec.index) not in results]
    use_pool = pileup is not None and pileup.mu > 0
    pool_path = next((wd / f"pool-{_pool_key(pileup, seed, towers)}.npz" for wd in work_dirs if wd), None)
    mixture = pu.load_mixture(pool_path) if use_pool and pool_path is not None and pool_path.exists() else None
    chunks = pu.pool_plan(pileup, seed) if use_pool and mixture is None else []
    label = requests[0][0].name if len(requests) == 1 else f"{len(requests)} processes"

    n_workers = workers or os.cpu_count() or 1
    in_process = scheduler is None and (n_workers == 1 or max(len(todo), len(chunks)) <= 1)
    client, cluster = (None, None) if in_process or not (todo or chunks) else _dask_client(
        n_workers, max(len(todo), len(chunks)), scheduler)  # fmt: skip
    try:
        if chunks:
            mixture = _build_mixture(pileup, seed, towers, chunks, client, show_progress)
            if pool_path is not None:
                pu.save_mixture(mixture, pool_path)
        bar = _progress_bar(sum(n for _, n in requests), label, show_progress)
        bar.update(sum(len(r.weight) for r in results.values()))

        def done(task: tuple[int, ShardSpec], result: ShardResult) -> None:
            k, spec = task
            results[(k, spec.index)] = result
            if work_dirs[k] is not None:
                _save_shard(result, work_dirs[k] / f"shard-{spec.index:04d}-{spec.key()}.npz")

        if todo and client is None:
            for task in todo:
                extra = (mixture,) if use_pool else ()
                done(task, run_shard(task[1], bar.update, *extra))
        elif todo:
            _run_on_dask(client, todo, done, bar, mixture if use_pool else None)
        bar.close()
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    return [build_sample(specs, [results[(k, s.index)] for s in specs], mixture, colliding_bunches)
            for k, specs in enumerate(plans)]  # fmt: skip


def _pool_key(pileup: pu.PileupParams | None, seed: int, towers: TowerParams) -> str:
    """A digest of what the pool's events depend on (not mu, nor the crossings' batch size)."""
    if pileup is None:
        return ""
    p = pileup
    blob = json.dumps([p.pool_size, p.pool_chunk, p.pthat_cut, p.pool_max_pt, p.sigma_events, seed, towers.as_dict(),
                       __version__], sort_keys=True)  # fmt: skip
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _build_mixture(pileup: pu.PileupParams, seed: int, towers: TowerParams, chunks: list[tuple[int, int]],
                   client, show_progress: bool) -> pu.Mixture:  # fmt: skip
    """The run's soft pool, one task per chunk (in-process or on Dask), and its hard-tail split."""
    start = time.perf_counter()
    bar = _progress_bar(pileup.pool_size, "minimum-bias pool", show_progress)
    if client is None:
        parts = []
        for n, s in chunks:
            parts.append(pu.make_pool_chunk(n, s, pileup.pthat_cut, towers, pileup.pool_max_pt))
            bar.update(n)
    else:
        from dask.distributed import as_completed

        futures = [client.submit(pu.make_pool_chunk, n, s, pileup.pthat_cut, towers, pileup.pool_max_pt, pure=False)
                   for n, s in chunks]  # fmt: skip
        for fut in as_completed(futures):
            bar.update(len(fut.result().deposits))
        parts = [f.result() for f in futures]
    bar.close()
    return pu.build_mixture(pileup, seed, parts, time.perf_counter() - start, towers)


@dataclass(frozen=True)
class _WorkerProgress:
    """A shard's progress callback on a Dask worker: posts its kept events to the client through Dask's event log,
    so the bar moves within a shard (2000 QCD events take minutes) and not only when one ends."""

    topic: str
    key: str

    def __call__(self, n: int) -> None:
        from dask.distributed import get_worker

        get_worker().log_event(self.topic, (self.key, n))


def generate_builtin(
    counts: Mapping[str, int], seed: int, *, scale: float = 1.0, shard_dir: Path | None = None, **kwargs
) -> dict[str, EventSample]:
    """Built-in processes by name, ``max(10, round(n * scale))`` preselected events each, in one pool of shards
    (``generate_many``'s keywords pass through). Finished shards stay in ``shard_dir/<name>``, reused by an
    identical rerun, until the caller has written what it makes of them and removes the folder."""
    if scale <= 0:
        raise ValueError(f"--scale must be positive, got {scale}")
    names = list(counts)
    requests = [(builtin_card(n), max(10, round(counts[n] * scale))) for n in names]
    work_dirs = [shard_dir / n for n in names] if shard_dir is not None else None
    return dict(zip(names, generate_many(requests, seed, work_dirs=work_dirs, **kwargs), strict=True))


def _dask_client(n_workers: int, n_tasks: int, scheduler: str | None):
    """A Dask client on ``scheduler`` or on a new local cluster of min(n_workers, n_tasks) processes."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=min(n_workers, n_tasks), threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
    return Client(scheduler or cluster), cluster


def _run_on_dask(client, todo, done, bar, mixture: pu.Mixture | None = None) -> None:
    from dask.distributed import as_completed

    topic = f"adtrigger-generate-{uuid.uuid4().hex}"
    counted: dict[str, int] = {}  # events posted so far by each running shard
    lock = threading.Lock()  # posts arrive on the client's event-loop thread

    def posted(event: tuple) -> None:
        key, n = event[1]
        with lock:
            if key in counted:  # a late post of a finished shard is already in its final count
                counted[key] += n
                bar.update(n)

    client.subscribe_topic(topic, posted)
    try:
        # the pool travels to each worker once, not with every shard
        extra = (client.scatter(mixture, broadcast=True),) if mixture is not None else ()
        futures = {}
        for task in todo:
            key = f"shard-{task[0]}-{task[1].index}-{uuid.uuid4().hex[:8]}"
            counted[key] = 0
            futures[client.submit(run_shard, task[1], _WorkerProgress(topic, key), *extra, key=key, pure=False)] = task
        for fut in as_completed(futures):
            result = fut.result()
            done(futures[fut], result)
            with lock:
                bar.update(len(result.weight) - counted.pop(fut.key))
    finally:
        client.unsubscribe_topic(topic)


def _progress_bar(total: int, name: str, enabled: bool):
    from tqdm.auto import tqdm

    # stdout, with Keras' epoch lines and the demo's stage headers: one stream keeps them in order
    return tqdm(total=total, desc=f"generate {name}", unit="ev", disable=not enabled, leave=False, file=sys.stdout)


def generate_to_file(
    card: Card,
    n_events: int,
    seed: int,
    out: Path,
    *,
    force: bool = False,
    **kwargs,
) -> EventSample:
    """Generate and write one file (HDF5 or Parquet by suffix); keeps whole shards if interrupted."""
    from adtrigger.training.stream.io import write_events

    out = Path(out)
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; use --force to overwrite")
    work_dir = out.with_name(f".{out.name}.shards")
    sample = generate(card, n_events, seed, work_dir=work_dir, **kwargs)
    write_events(sample, out, force=force)
    shutil.rmtree(work_dir, ignore_errors=True)
    return sample
