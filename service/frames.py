"""The binary frame format of ``WS /v1/stream``, shared by the server and the client (numpy and struct only).

Every frame is a 24-byte little-endian header and a body:

    magic  4s  b"ADTS"
    version u16  1
    kind   u16  1 = events (client -> server), 2 = decisions (server -> client)
    seq    u64  the client's sequence number; a decision frame repeats it
    n      u32  events in the frame
    width  u32  events: floats per event (the bundle's n_features); decisions: the generation of the model
                that decided (it goes up by one at every reload or retarget)

Body of an events frame: n * width float32 LE, event-major. Body of a decisions frame: n float64 LE scores, then
n uint8 accept bits (1 = accept). The header is a multiple of 8 bytes so both bodies can be read without a copy.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

MAGIC = b"ADTS"
VERSION = 1
KIND_EVENTS = 1
KIND_DECISIONS = 2
HEADER = struct.Struct("<4sHHQII")
HEADER_BYTES = HEADER.size  # 24
SCORE_DTYPE = np.dtype("<f8")
EVENT_DTYPE = np.dtype("<f4")


class FrameError(ValueError):
    """A frame that does not follow the format; the message says what is wrong."""


@dataclass(frozen=True)
class Decisions:
    """One decision frame: ``scores`` (n,) float64 and ``accept`` (n,) bool for the events of frame ``seq``, made by
    model ``generation``."""

    seq: int
    scores: np.ndarray
    accept: np.ndarray
    generation: int = 0


def encode_events(seq: int, events: np.ndarray) -> bytearray:
    """Frame a batch ``events: (n, width) float32`` under sequence number ``seq``."""
    ev = np.asarray(events, dtype=EVENT_DTYPE)
    if ev.ndim != 2:
        raise FrameError(f"events must be 2-d (n, width), got shape {ev.shape}")
    frame = bytearray(HEADER_BYTES + ev.nbytes)  # one copy of the events, not two (tobytes, then concatenation)
    HEADER.pack_into(frame, 0, MAGIC, VERSION, KIND_EVENTS, seq, ev.shape[0], ev.shape[1])
    np.frombuffer(frame, EVENT_DTYPE, ev.size, HEADER_BYTES).reshape(ev.shape)[...] = ev
    return frame


def _header(frame: bytes, kind: int) -> tuple[int, int, int]:
    if len(frame) < HEADER_BYTES:
        raise FrameError(f"frame of {len(frame)} bytes is shorter than the {HEADER_BYTES}-byte header")
    magic, version, got_kind, seq, n, width = HEADER.unpack_from(frame)
    if magic != MAGIC:
        raise FrameError(f"bad magic {magic!r}; expected {MAGIC!r}")
    if version != VERSION:
        raise FrameError(f"frame version {version} is not supported; this side speaks version {VERSION}")
    if got_kind != kind:
        raise FrameError(f"frame kind {got_kind}; expected {kind}")
    return seq, n, width


def decode_events(frame: bytes, width: int) -> tuple[int, np.ndarray]:
    """Read an events frame: ``(seq, events (n, width) float32)``, a read-only view on ``frame``."""
    seq, n, got_width = _header(frame, KIND_EVENTS)
    if got_width != width:
        raise FrameError(f"events have {got_width} features; the model takes {width}")
    expected = HEADER_BYTES + n * width * EVENT_DTYPE.itemsize
    if len(frame) != expected:
        raise FrameError(f"frame of {len(frame)} bytes; n={n} events of width {width} need {expected}")
    return seq, np.frombuffer(frame, EVENT_DTYPE, n * width, HEADER_BYTES).reshape(n, width)


def encode_decisions(seq: int, scores: np.ndarray, accept: np.ndarray, generation: int = 0) -> bytes:
    """Frame the ``scores (n,)`` and ``accept (n,)`` bits answering events frame ``seq``."""
    n = len(scores)
    return b"".join(
        (
            HEADER.pack(MAGIC, VERSION, KIND_DECISIONS, seq, n, generation),
            np.ascontiguousarray(scores, dtype=SCORE_DTYPE).tobytes(),
            np.ascontiguousarray(accept, dtype=np.uint8).tobytes(),
        )
    )


def decode_decisions(frame: bytes) -> Decisions:
    """Read a decisions frame."""
    seq, n, generation = _header(frame, KIND_DECISIONS)
    expected = HEADER_BYTES + n * (SCORE_DTYPE.itemsize + 1)
    if len(frame) != expected:
        raise FrameError(f"decision frame of {len(frame)} bytes; n={n} needs {expected}")
    scores = np.frombuffer(frame, SCORE_DTYPE, n, HEADER_BYTES)
    accept = np.frombuffer(frame, np.uint8, n, HEADER_BYTES + n * SCORE_DTYPE.itemsize).astype(bool)
    return Decisions(seq, scores, accept, generation)
