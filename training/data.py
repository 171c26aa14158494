"""The data a model sees: the weighted SM cocktail and the signals, split reproducibly into train/val/test.

The split is a function of each event's id and the seed (not of file order or worker count), so the same event
lands in the same split for training, evaluation and threshold calibration.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from adtrigger.training.stream.cocktail import mix
from adtrigger.training.stream.io import read_events
from adtrigger.training.stream.sample import EventSample, concatenate

SPLITS = ("train", "val", "test")


def _unit_hash(event_id: np.ndarray, seed: int, salt: int) -> np.ndarray:
    """A uniform number in [0, 1) per event, from splitmix64 of (event id, seed, salt)."""
    with np.errstate(over="ignore"):
        x = event_id.astype(np.uint64) ^ np.uint64((seed * 0x9E3779B97F4A7C15 + salt) % 2**64)
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(2**53)


def split_masks(sample: EventSample, fractions: tuple[float, float, float], seed: int) -> dict[str, np.ndarray]:
    """Boolean masks for train/val/test; process labels salt the hash so equal ids in two files differ."""
    if len(fractions) != 3 or min(fractions) < 0 or not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"split fractions must be three non-negative numbers summing to 1, got {fractions}")
    u = np.empty(len(sample))
    for label in np.unique(sample.process):
        sel = sample.process == label
        salt = int.from_bytes(sample.process_names[label].encode()[:8].ljust(8, b"\0"), "little")
        u[sel] = _unit_hash(sample.event_id[sel], seed, salt)
    edges = np.cumsum(fractions)
    return {
        "train": u < edges[0],
        "val": (u >= edges[0]) & (u < edges[1]),
        "test": u >= edges[1],
    }


def zero_bias_rate(manifest: dict) -> float | None:
    """The crossing rate (Hz) a zero-bias stream's manifest records (``input_rate_hz``); None for other streams."""
    rate = manifest.get("input_rate_hz")
    return None if rate is None else float(rate)


def load_sm(paths: list[Path], max_events: int | None = None) -> EventSample:
    """The SM stream: one file that is already a cocktail, single-process files mixed to seed-004's fractions, or
    zero-bias crossings (files whose manifest records a crossing rate ``input_rate_hz``: unweighted, joined as
    they are, so a model trains on what the LHC delivers).

    Cocktail weights are normalised to a mean of 1 over the whole stream.
    """
    parts = [read_events(p, max_events=max_events) for p in paths]
    zero_bias = [zero_bias_rate(p.manifest) is not None for p in parts]
    if any(zero_bias):
        if not all(zero_bias):
            raise ValueError("SM files mix zero-bias crossings with preselected streams: train on one kind")
        joined = {"kind": "zero_bias", "input_rate_hz": parts[0].manifest["input_rate_hz"],
                  "parts": [p.manifest for p in parts]}  # fmt: skip
        sm = parts[0] if len(parts) == 1 else concatenate(parts, manifest=joined)
    elif len(parts) == 1 and (len(parts[0].process_names) > 1 or parts[0].manifest.get("kind") == "cocktail"):
        sm = parts[0]
    else:
        sm = mix(parts)
    sm.weight = sm.weight / sm.weight.mean()
    return sm


def load_signals(paths: list[Path], max_events: int | None = None) -> dict[str, EventSample]:
    """Each signal file by its process name (unit weights)."""
    out: dict[str, EventSample] = {}
    for p in paths:
        s = read_events(p, max_events=max_events)
        s.weight = np.ones(len(s))
        out["+".join(s.process_names)] = s
    return out


@dataclass
class Dataset:
    """SM split three ways plus the signals (signals are used whole, for evaluation only)."""

    sm: dict[str, EventSample]
    signals: dict[str, EventSample]

    @classmethod
    def load(
        cls,
        sm_paths: list[Path],
        signal_paths: list[Path],
        *,
        split: tuple[float, float, float] = (0.6, 0.2, 0.2),
        seed: int = 1,
        max_events: int | None = None,
    ) -> Dataset:
        sm = load_sm(sm_paths, max_events)
        masks = split_masks(sm, split, seed)
        return cls(sm={k: sm.select(m) for k, m in masks.items()}, signals=load_signals(signal_paths, max_events))

    def manifest(self) -> dict:
        """What the model was trained and evaluated on, for the bundle's record."""
        return {
            "sm_events": {k: len(v) for k, v in self.sm.items()},
            "sm_processes": list(self.sm["train"].process_names),
            "signals": {k: len(v) for k, v in self.signals.items()},
            "sm_sources": self.sm["train"].manifest,
        }
