"""The binary frame format of ``WS /v1/stream``, shared by the server and the client (numpy and struct only).

Every frame is a 24-byte little-endian header and a body:

    magic  4s  b"ADTS"
    version u16  2 (this side sends); 1 is still read and answered in kind
    kind   u16  1 = events (client -> server), 2 = decisions (server -> client)
    seq    u64  the client's sequence number; a decision frame repeats it
    n      u32  events in the frame
    width  u32  events: floats per event (the bundle's n_features); decisions: the generation of the model
                that decided (it goes up by one at every reload or retarget)

Body of an events frame (versions 1 and 2 alike): n * width float32 LE, event-major.

Body of a version-2 decisions frame: an 8-byte preamble ``seeds u32`` (how many bits of each seed mask are used,
0..8, bit k = seed k of ``GET /v1/model``'s ``seeds`` for that generation) and ``reserved u32`` (0), then n float64
LE scores, n uint8 accept bits (1 = accept, the active threshold) and n uint8 seed masks. Version 1 (the same
without the preamble and the masks) is what the server answers to a version-1 events frame, so old clients keep
working. Header and preamble are multiples of 8 bytes so the bodies can be read without a copy.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from adtrigger.bundle import ladder

MAGIC = b"ADTS"
VERSION = 2  # what this side sends
VERSIONS = (1, 2)  # what it reads; a decisions frame answers in the version of the events frame
KIND_EVENTS = 1
KIND_DECISIONS = 2
HEADER = struct.Struct("<4sHHQII")
HEADER_BYTES = HEADER.size  # 24
SEEDS_PREAMBLE = struct.Struct("<II")  # version-2 decisions: seeds, reserved
SEEDS_PREAMBLE_BYTES = SEEDS_PREAMBLE.size  # 8
MAX_SEEDS = ladder.MAX_SEEDS  # one uint8 mask per event
SCORE_DTYPE = np.dtype("<f8")
EVENT_DTYPE = np.dtype("<f4")


class FrameError(ValueError):
    """A frame that does not follow the format; the message says what is wrong."""


@dataclass(frozen=True)
class Decisions:
    """One decision frame: ``scores`` (n,) float64 and ``accept`` (n,) bool for the events of frame ``seq``, made by
    model ``generation``; ``seed_masks`` (n,) uint8 (bit k = seed k, ``n_seeds`` bits used) in version 2, None in
    version 1."""

    seq: int
    scores: np.ndarray
    accept: np.ndarray
    generation: int = 0
    seed_masks: np.ndarray | None = None
    n_seeds: int = 0
    version: int = VERSION

    def seed_bits(self) -> np.ndarray:
        """(n, n_seeds) bool: bit k of each event's seed mask (``adtrigger.bundle.ladder.unpack_bits``)."""
        if self.seed_masks is None:
            raise FrameError(f"a version-{self.version} decisions frame has no seed masks")
        return ladder.unpack_bits(self.seed_masks, self.n_seeds)

    def seed_counts(self) -> list[int]:
        """Events with bit k set, for each seed k (``seed_bits().sum(axis=0)``, without the (n, n_seeds) array)."""
        if self.seed_masks is None:
            raise FrameError(f"a version-{self.version} decisions frame has no seed masks")
        return ladder.bit_counts(self.seed_masks, self.n_seeds)


def _check_version(version: int) -> int:
    if version not in VERSIONS:
        raise FrameError(f"frame version {version} is not supported; this side speaks versions {VERSIONS}")
    return version


def encode_events(seq: int, events: np.ndarray, version: int = VERSION) -> bytearray:
    """Frame a batch ``events: (n, width) float32`` under sequence number ``seq``."""
    ev = np.asarray(events, dtype=EVENT_DTYPE)
    if ev.ndim != 2:
        raise FrameError(f"events must be 2-d (n, width), got shape {ev.shape}")
    frame = bytearray(HEADER_BYTES + ev.nbytes)  # one copy of the events, not two (tobytes, then concatenation)
    HEADER.pack_into(frame, 0, MAGIC, _check_version(version), KIND_EVENTS, seq, ev.shape[0], ev.shape[1])
    np.frombuffer(frame, EVENT_DTYPE, ev.size, HEADER_BYTES).reshape(ev.shape)[...] = ev
    return frame


def _header(frame: bytes, kind: int) -> tuple[int, int, int, int]:
    if len(frame) < HEADER_BYTES:
        raise FrameError(f"frame of {len(frame)} bytes is shorter than the {HEADER_BYTES}-byte header")
    magic, version, got_kind, seq, n, width = HEADER.unpack_from(frame)
    if magic != MAGIC:
        raise FrameError(f"bad magic {magic!r}; expected {MAGIC!r}")
    _check_version(version)
    if got_kind != kind:
        raise FrameError(f"frame kind {got_kind}; expected {kind}")
    return version, seq, n, width


def decode_events_frame(frame: bytes, width: int) -> tuple[int, int, np.ndarray]:
    """Read an events frame: ``(version, seq, events (n, width) float32)``, the events a read-only view on
    ``frame``; the server answers in ``version``."""
    version, seq, n, got_width = _header(frame, KIND_EVENTS)
    if got_width != width:
        raise FrameError(f"events have {got_width} features; the model takes {width}")
    expected = HEADER_BYTES + n * width * EVENT_DTYPE.itemsize
    if len(frame) != expected:
        raise FrameError(f"frame of {len(frame)} bytes; n={n} events of width {width} need {expected}")
    return version, seq, np.frombuffer(frame, EVENT_DTYPE, n * width, HEADER_BYTES).reshape(n, width)


def decode_events(frame: bytes, width: int) -> tuple[int, np.ndarray]:
    """Read an events frame: ``(seq, events (n, width) float32)``, a read-only view on ``frame``."""
    _, seq, x = decode_events_frame(frame, width)
    return seq, x


def encode_decisions(
    seq: int,
    scores: np.ndarray,
    accept: np.ndarray,
    generation: int = 0,
    seed_masks: np.ndarray | None = None,
    n_seeds: int = 0,
    version: int = VERSION,
) -> bytes:
    """Frame the ``scores (n,)``, ``accept (n,)`` bits and (version 2) ``seed_masks (n,)`` uint8 of ``n_seeds``
    seeds answering events frame ``seq``; version 1 leaves the masks out."""
    n = len(scores)
    parts = [HEADER.pack(MAGIC, _check_version(version), KIND_DECISIONS, seq, n, generation)]
    if version >= 2:
        if not 0 <= n_seeds <= MAX_SEEDS:
            raise FrameError(f"{n_seeds} seeds do not fit a uint8 mask (at most {MAX_SEEDS})")
        parts.append(SEEDS_PREAMBLE.pack(n_seeds, 0))
    parts += [
        np.ascontiguousarray(scores, dtype=SCORE_DTYPE).tobytes(),
        np.ascontiguousarray(accept, dtype=np.uint8).tobytes(),
    ]
    if version >= 2:
        masks = np.zeros(n, np.uint8) if seed_masks is None else np.ascontiguousarray(seed_masks, dtype=np.uint8)
        if masks.shape != (n,):
            raise FrameError(f"seed masks of shape {masks.shape} for {n} events")
        parts.append(masks.tobytes())
    return b"".join(parts)


def decode_decisions(frame: bytes) -> Decisions:
    """Read a decisions frame of version 1 or 2."""
    version, seq, n, generation = _header(frame, KIND_DECISIONS)
    if version == 1:
        expected = HEADER_BYTES + n * (SCORE_DTYPE.itemsize + 1)
        if len(frame) != expected:
            raise FrameError(f"decision frame of {len(frame)} bytes; n={n} needs {expected}")
        scores = np.frombuffer(frame, SCORE_DTYPE, n, HEADER_BYTES)
        accept = np.frombuffer(frame, np.uint8, n, HEADER_BYTES + n * SCORE_DTYPE.itemsize).astype(bool)
        return Decisions(seq, scores, accept, generation, version=1)
    start = HEADER_BYTES + SEEDS_PREAMBLE_BYTES
    expected = start + n * (SCORE_DTYPE.itemsize + 2)
    if len(frame) != expected:
        raise FrameError(f"decision frame of {len(frame)} bytes; n={n} needs {expected}")
    n_seeds, _ = SEEDS_PREAMBLE.unpack_from(frame, HEADER_BYTES)
    if n_seeds > MAX_SEEDS:
        raise FrameError(f"decision frame says {n_seeds} seeds; a uint8 mask holds at most {MAX_SEEDS}")
    scores = np.frombuffer(frame, SCORE_DTYPE, n, start)
    accept = np.frombuffer(frame, np.uint8, n, start + n * SCORE_DTYPE.itemsize).astype(bool)
    masks = np.frombuffer(frame, np.uint8, n, start + n * (SCORE_DTYPE.itemsize + 1))
    if n and n_seeds < MAX_SEEDS and int(masks.max()) >> n_seeds:
        raise FrameError(f"a seed mask sets a bit beyond the frame's {n_seeds} seeds")
    return Decisions(seq, scores, accept, generation, masks, n_seeds, version)
