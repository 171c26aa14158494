"""One in-memory container for a set of events, shared by the generator, the readers and the writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from adtrigger.bundle.layout import N_HLT_FEATURES, N_L1_INPUTS, N_OBJECTS, ROW_CLASS


@dataclass
class EventSample:
    """Events of one or more processes.

    particles: (N, 19, 3) float32, (pT, eta, phi) in the public layout.
    process: (N,) int16, index into ``process_names``.
    weight: (N,) float64, per-event weight (1 for unweighted samples).
    event_id: (N,) int64, unique within a file.
    hlt: (N, 21) float32 HLT features, or None when the source has none (e.g. public files).
    manifest: JSON-serialisable record of how the events were made.
    n_pileup: (N,) int16 pileup interactions in each crossing, or None when the source does not say (no pileup).
    """

    particles: np.ndarray
    process: np.ndarray
    process_names: tuple[str, ...]
    weight: np.ndarray
    event_id: np.ndarray
    hlt: np.ndarray | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    n_pileup: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.particles)
        self.particles = np.asarray(self.particles, dtype=np.float32)
        self.process = np.asarray(self.process, dtype=np.int16)
        self.weight = np.asarray(self.weight, dtype=np.float64)
        self.event_id = np.asarray(self.event_id, dtype=np.int64)
        if self.particles.shape[1:] != (N_OBJECTS, 3):
            raise ValueError(f"particles must be (N, {N_OBJECTS}, 3), got {self.particles.shape}")
        for name in ("process", "weight", "event_id"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must be ({n},), got {getattr(self, name).shape}")
        if self.hlt is not None:
            self.hlt = np.asarray(self.hlt, dtype=np.float32)
            if self.hlt.shape != (n, N_HLT_FEATURES):
                raise ValueError(f"hlt must be ({n}, {N_HLT_FEATURES}), got {self.hlt.shape}")
        if self.n_pileup is not None:
            self.n_pileup = np.asarray(self.n_pileup, dtype=np.int16)
            if self.n_pileup.shape != (n,):
                raise ValueError(f"n_pileup must be ({n},), got {self.n_pileup.shape}")
        if n and (self.process.min() < 0 or self.process.max() >= len(self.process_names)):
            raise ValueError("process labels out of range of process_names")

    def __len__(self) -> int:
        return len(self.particles)

    @property
    def flat(self) -> np.ndarray:
        """(N, 57) float32: the public dataset's flattening."""
        return self.particles.reshape(len(self), N_L1_INPUTS)

    def with_class_column(self) -> np.ndarray:
        """(N, 19, 4) float32 with the class id column of the public layout.

        Empty object slots get class 0; the MET row always keeps class 1 (refstream-v1 has events whose MET
        rounds to 0 GeV with class 1, and a read-write round trip must not change them).
        """
        cls = np.broadcast_to(np.asarray(ROW_CLASS, dtype=np.float32), (len(self), N_OBJECTS)).copy()
        cls[:, 1:][self.particles[:, 1:, 0] == 0] = 0
        return np.concatenate([self.particles, cls[:, :, None]], axis=2)

    def select(self, mask: np.ndarray) -> EventSample:
        """A new sample holding the events where ``mask`` (bool or index array) selects."""
        return EventSample(
            particles=self.particles[mask],
            process=self.process[mask],
            process_names=self.process_names,
            weight=self.weight[mask],
            event_id=self.event_id[mask],
            hlt=None if self.hlt is None else self.hlt[mask],
            manifest=self.manifest,
            n_pileup=None if self.n_pileup is None else self.n_pileup[mask],
        )


def concatenate(samples: list[EventSample], manifest: dict[str, Any] | None = None) -> EventSample:
    """Join samples, merging their process-name tables; HLT features and pileup counts survive only if every part
    has them."""
    names: list[str] = []
    for s in samples:
        for n in s.process_names:
            if n not in names:
                names.append(n)
    remap = [np.array([names.index(n) for n in s.process_names], dtype=np.int16) for s in samples]
    has_hlt = all(s.hlt is not None for s in samples)
    has_pu = bool(samples) and all(s.n_pileup is not None for s in samples)
    return EventSample(
        particles=np.concatenate([s.particles for s in samples]) if samples else np.zeros((0, N_OBJECTS, 3)),
        process=np.concatenate([r[s.process] for r, s in zip(remap, samples, strict=True)]) if samples else np.zeros(0),
        process_names=tuple(names),
        weight=np.concatenate([s.weight for s in samples]) if samples else np.zeros(0),
        event_id=np.concatenate([s.event_id for s in samples]) if samples else np.zeros(0),
        hlt=np.concatenate([s.hlt for s in samples]) if has_hlt and samples else None,
        manifest=manifest if manifest is not None else {"parts": [s.manifest for s in samples]},
        n_pileup=np.concatenate([s.n_pileup for s in samples]) if has_pu else None,
    )
