"""Pythia 8 generation of one process into preselected L1 events, in seeded shards run on Dask.

A run is split into shards of a fixed number of preselected events; shard ``i`` of a run with seed ``s`` uses
Pythia seed ``s * 1000 + i + 1``, so the same seed gives the same events whatever the number of workers.
Each finished shard is written atomically next to the output, so an interrupted run leaves only whole shards
(and a rerun reuses them); the output itself appears in one rename when every shard is in.
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
from adtrigger.training.stream.cards import Card, CardError, builtin_card
from adtrigger.training.stream.emulation import ParticleTable, RecoParams, reconstruct_batch
from adtrigger.training.stream.sample import EventSample

MAX_SEED = 900_000  # Pythia seeds must stay below 900 000 000; shards use seed * 1000 + index
EVENT_ID_STRIDE = 10**7  # event id = pythia seed * 10^7 + index of the generated event in that run
PB_PER_MB = 1e9


@dataclass(frozen=True)
class ShardSpec:
    """Everything that determines one shard's events."""

    card: Card
    n_events: int  # preselected events to keep
    seed: int  # the run's seed
    index: int  # shard index within the run
    batch_size: int = 200
    reco: RecoParams = field(default_factory=RecoParams)

    @property
    def pythia_seed(self) -> int:
        return self.seed * 1000 + self.index + 1

    def key(self) -> str:
        """A digest of the spec: a saved shard is reused only by an identical spec."""
        blob = json.dumps([asdict(self.card), self.n_events, self.pythia_seed, self.batch_size,
                           self.reco.as_dict(), __version__], sort_keys=True)  # fmt: skip
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


def _make_pythia(spec: ShardSpec):
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in [*spec.card.pythia_lines(), "Random:setSeed = on", f"Random:seed = {spec.pythia_seed}"]:
        if not pythia.readString(line):
            raise CardError(f"card {spec.card.name} ({spec.card.source}): Pythia rejects the line {line!r}")
    if not pythia.init():
        raise CardError(f"card {spec.card.name} ({spec.card.source}): Pythia failed to initialise")
    return pythia


def run_shard(spec: ShardSpec, progress: Callable[[int], None] | None = None) -> ShardResult:
    """Generate until ``spec.n_events`` events pass the preselection; runs in a worker process."""
    import awkward as ak

    start = time.perf_counter()
    pythia = _make_pythia(spec)
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


def plan_shards(card: Card, n_events: int, seed: int, shard_events: int, reco: RecoParams) -> list[ShardSpec]:
    """Split a run into shards of ``shard_events`` preselected events (the last one may be smaller)."""
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
    return [ShardSpec(card=card, n_events=n, seed=seed, index=i, reco=reco) for i, n in enumerate(sizes)]


def _versions() -> dict[str, str]:
    out = {"adtrigger": __version__}
    for pkg in ("pythia8mc", "fastjet", "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "unknown"
    return out


def build_sample(specs: list[ShardSpec], results: list[ShardResult]) -> EventSample:
    """Join shard results into one sample of one process, with its manifest."""
    card = specs[0].card
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
        "preselection": "an isolated e/gamma or muon with pT > 23 GeV",
        "rounding": "pT to 0.25 GeV, eta and phi to 0.01",
        "event_id_scheme": "pythia seed * 10^7 + index of the generated event in that seed's run",
        "versions": _versions(),
        "generation_seconds": [round(r.seconds, 3) for r in results],
    }
    return EventSample(
        particles=np.concatenate([r.particles for r in results]),
        process=np.zeros(len(weight), dtype=np.int16),
        process_names=(card.name,),
        weight=weight,
        event_id=np.concatenate([r.event_id for r in results]),
        hlt=np.concatenate([r.hlt for r in results]),
        manifest=manifest,
    )


def _save_shard(result: ShardResult, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        np.savez(fh, **asdict(result))
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
) -> list[EventSample]:
    """Generate several processes in one pool of shards: one Dask cluster keeps every core busy.

    Shards run in-process when one worker suffices, else on a local Dask cluster (or ``scheduler``).
    ``work_dirs[k]`` keeps process k's finished shards (reused by an identical rerun).
    """
    reco = reco or RecoParams()
    work_dirs = work_dirs or [None] * len(requests)
    plans = [plan_shards(card, n, seed, shard_events, reco) for card, n in requests]
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
    label = requests[0][0].name if len(requests) == 1 else f"{len(requests)} processes"
    bar = _progress_bar(sum(n for _, n in requests), label, show_progress)
    bar.update(sum(len(r.weight) for r in results.values()))

    def done(task: tuple[int, ShardSpec], result: ShardResult) -> None:
        k, spec = task
        results[(k, spec.index)] = result
        if work_dirs[k] is not None:
            _save_shard(result, work_dirs[k] / f"shard-{spec.index:04d}-{spec.key()}.npz")

    n_workers = workers or os.cpu_count() or 1
    if todo and scheduler is None and (n_workers == 1 or len(todo) == 1):
        for task in todo:
            done(task, run_shard(task[1], progress=bar.update))
    elif todo:
        _run_on_dask(todo, n_workers, scheduler, done, bar)
    bar.close()
    return [build_sample(specs, [results[(k, s.index)] for s in specs]) for k, specs in enumerate(plans)]


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


def _run_on_dask(todo, n_workers, scheduler, done, bar) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=min(n_workers, len(todo)), threads_per_worker=1, processes=True,
                               dashboard_address=None)  # fmt: skip
    client = Client(scheduler or cluster)
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
        futures = {}
        for task in todo:
            key = f"shard-{task[0]}-{task[1].index}-{uuid.uuid4().hex[:8]}"
            counted[key] = 0
            futures[client.submit(run_shard, task[1], _WorkerProgress(topic, key), key=key, pure=False)] = task
        for fut in as_completed(futures):
            result = fut.result()
            done(futures[fut], result)
            with lock:
                bar.update(len(result.weight) - counted.pop(fut.key))
    finally:
        client.unsubscribe_topic(topic)
        client.close()
        if cluster is not None:
            cluster.close()


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
