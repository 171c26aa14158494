"""The events a calibration scores, planned as shards: SM files with their cocktail weights, signal files whole.

Weights follow :func:`training.data.load_sm`: one cocktail file keeps its weights; single-process files are mixed
to seed-004's fractions (``w = f_p * N_tot * g / sum_p g``, as :func:`training.stream.cocktail.mix`). Each event is
assigned to one of two independent SM halves by a hash of its id (as training.data splits), and events the model
was trained or validated on (same file, training split) are left out, so neither half has seen training.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import h5py
import numpy as np

from adtrigger.bundle import BundleError, sha256_file
from adtrigger.training.data import _unit_hash, zero_bias_rate
from adtrigger.training.stream.cocktail import SEED004_FRACTIONS
from adtrigger.training.stream.io import StreamFormatError, event_format, read_events

HALF_SALT = 0x63616C6962726174  # "calibrat": the halves hash independently of the training split's hash


def _salt(name: str) -> int:
    """The per-process salt of training.data.split_masks."""
    return int.from_bytes(name.encode()[:8].ljust(8, b"\0"), "little")


@dataclass(frozen=True)
class Shard:
    """Rows [start, stop) of one file, with what turns its rows into weighted, split events."""

    path: str
    start: int
    stop: int
    role: str  # "sm" or the signal's name
    process_names: tuple[str, ...]
    weight_scale: tuple[float, ...] = ()  # per process label: multiplies the stored weight (SM only)
    exclude_below: float = 0.0  # training-split hash below this: used in training, left out ...
    exclude_rows: int | None = None  # ... among the file's first rows (training read max_events rows; None: all)
    seed: int = 1


@dataclass
class Plan:
    """All shards of a calibration and what the SM sample is."""

    sm: list[Shard]
    signals: list[Shard]
    sm_files: dict[str, dict] = field(default_factory=dict)  # path -> events, process, weighting, training overlap
    input_rate_hz: float | None = None  # zero-bias SM: the crossing rate the files' manifests record


def _file_info(path: Path, max_events: int | None) -> tuple[int, tuple[str, ...], np.ndarray | None, dict]:
    """(events, process names, per-event generator weights or None, manifest) without reading the inputs."""
    if event_format(path) == "h5":
        try:
            with h5py.File(path, "r") as f:
                n = len(f["Particles"])
                n = n if max_events is None else min(n, max_events)
                g = np.asarray(f["Weight"][:n], dtype=np.float64) if "Weight" in f else None
        except (OSError, KeyError) as err:
            raise StreamFormatError(f"{path}: unreadable as HDF5 events: {err}") from None
        s = read_events(path, max_events=0)
        return n, s.process_names, g, s.manifest
    s = read_events(path, max_events=max_events)
    return len(s), s.process_names, s.weight, s.manifest



def stream_input_rate(paths: list[Path]) -> float | None:
    """The crossing rate the SM files' manifests record when they are zero-bias streams (all the same), else None."""
    rates = {zero_bias_rate(read_events(p, max_events=0).manifest) for p in paths}
    return rates.pop() if len(rates) == 1 else None


def _shards(path: Path, n: int, shard_events: int, **kw) -> list[Shard]:
    if event_format(path) != "h5":
        return [Shard(str(path), 0, n, **kw)]  # parquet: one shard per file
    return [Shard(str(path), a, min(a + shard_events, n), **kw) for a in range(0, n, shard_events)]


def _training_overlap(path: Path, card: dict) -> dict:
    """``exclude_below`` (train + val fraction) and ``exclude_rows`` when ``path`` is one of the model's training
    files (same size and sha256); nothing to leave out otherwise."""
    data = card.get("data", {})
    size = path.stat().st_size
    for entry in data.get("files", {}).values():
        if entry.get("bytes") == size and entry.get("sha256") == sha256_file(path):
            split = data.get("split", [0.6, 0.2, 0.2])
            return {"exclude_below": float(split[0] + split[1]), "exclude_rows": data.get("max_events")}
    return {}


def plan(
    card: dict,
    sm_paths: list[Path],
    signal_paths: list[Path],
    *,
    seed: int,
    shard_events: int = 200_000,
    max_events: int | None = None,
) -> Plan:
    """Shards for the SM files (weighted, halves, training events left out) and the signal files."""
    if not sm_paths:
        raise BundleError("give SM data: --data FILE (one cocktail file, or single-process files to mix)")
    if len({Path(p).resolve() for p in sm_paths}) != len(sm_paths):
        raise BundleError(f"an SM file is given twice: {[str(p) for p in sm_paths]}")
    infos = {Path(p): _file_info(Path(p), max_events) for p in sm_paths}
    train_seed = int(card.get("data", {}).get("seed", seed))
    sm: list[Shard] = []
    files: dict[str, dict] = {}
    cocktail = len(infos) == 1 and next(iter(infos.values()))
    rates = {zero_bias_rate(info[3]) for info in infos.values()}
    input_rate_hz = None
    if rates != {None}:  # zero-bias crossings: unweighted, every file at the same crossing rate, no cocktail mixing
        if len(rates) != 1:
            raise BundleError(f"SM files mix zero-bias streams of different rates or preselected streams: {rates}")
        input_rate_hz = rates.pop()
        scales = {Path(p): (1.0,) * len(infos[Path(p)][1]) for p in sm_paths}
        weighting = f"zero-bias crossings at {input_rate_hz:.4g} Hz (unit weights)"
    elif cocktail and (len(cocktail[1]) > 1 or cocktail[3].get("kind") == "cocktail"):
        scales = {Path(sm_paths[0]): (1.0,) * len(cocktail[1])}
        weighting = "stored cocktail weights"
    else:
        names = [info[1][0] if len(info[1]) == 1 else None for info in infos.values()]
        if None in names or len(set(names)) != len(names):
            raise BundleError(f"SM files must be one cocktail file or single-process files, one per process: {names}")
        unknown = [n for n in names if n not in SEED004_FRACTIONS]
        if unknown:
            raise BundleError(f"no cocktail fraction for {unknown}; known: {sorted(SEED004_FRACTIONS)}")
        n_tot = sum(info[0] for info in infos.values())
        total = sum(SEED004_FRACTIONS[n] for n in names)
        scales = {}
        for (path, (n, _, g, _)), name in zip(infos.items(), names, strict=True):
            g_sum = float(g.sum()) if g is not None else float(n)
            scales[path] = (SEED004_FRACTIONS[name] * n_tot / g_sum / total,)
        weighting = "seed-004 fractions"
    for path, (n, names, _, _) in infos.items():
        exclude = _training_overlap(path, card)
        files[str(path)] = {"events": n, "processes": list(names), "weighting": weighting,
                            "training_split_left_out": bool(exclude)}  # fmt: skip
        sm += _shards(path, n, shard_events, role="sm", process_names=names, weight_scale=scales[path],
                      seed=train_seed, **exclude)  # fmt: skip
    signals: list[Shard] = []
    for p in signal_paths:
        n, names, _, _ = _file_info(Path(p), max_events)
        signals += _shards(Path(p), n, shard_events, role="+".join(names), process_names=names, seed=train_seed)
    return Plan(sm=sm, signals=signals, sm_files=files, input_rate_hz=input_rate_hz)


def read_shard(shard: Shard, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(inputs, weights, event ids, process labels) of a shard: inputs (n, 57) float32 L1 or (n, 21) HLT."""
    if event_format(shard.path) == "h5":
        with h5py.File(shard.path, "r") as f:
            rows = slice(shard.start, shard.stop)
            n = shard.stop - shard.start
            key = "HLTFeatures" if kind == "hlt_vae" else "Particles"
            if key not in f:
                raise BundleError(f"{shard.path}: no {key} dataset; a {kind} bundle needs it")
            x = np.asarray(f[key][rows], dtype=np.float32)
            id_key = next((k for k in ("EventId", "EvtId") if k in f), None)
            ids = np.asarray(f[id_key][rows], np.int64) if id_key else np.arange(shard.start, shard.stop)
            w = np.asarray(f["Weight"][rows], np.float64) if "Weight" in f else np.ones(n)
            label = np.asarray(f["ProcessLabel"][rows], np.int64) if "ProcessLabel" in f else np.zeros(n, np.int64)
        if kind != "hlt_vae":
            x = x[:, :, :3].reshape(n, -1)
    else:
        s = read_events(shard.path)
        x = s.hlt if kind == "hlt_vae" else s.flat
        if x is None:
            raise BundleError(f"{shard.path}: no HLT features; a {kind} bundle needs them")
        sel = slice(shard.start, shard.stop)
        x, w, ids, label = x[sel], s.weight[sel], s.event_id[sel], s.process[sel].astype(np.int64)
    return np.ascontiguousarray(x, dtype=np.float32), w, ids, label


def unit_hashes(shard: Shard, ids: np.ndarray, label: np.ndarray, salt_xor: int = 0) -> np.ndarray:
    """Per-event uniform hash of (event id, seed, process), as training.data.split_masks (``salt_xor`` = 0)."""
    u = np.empty(len(ids))
    for lab in np.unique(label):
        sel = label == lab
        u[sel] = _unit_hash(ids[sel], shard.seed, _salt(shard.process_names[lab]) ^ salt_xor)
    return u
