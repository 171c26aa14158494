"""The stream client: replays events over ``WS /v1/stream`` at a chosen rate and checks every decision comes back.

It is ``adtrigger stream`` and the benchmarks' load generator. At most ``window`` frames are in flight; frame i is
sent no earlier than ``i * batch / rate`` seconds after the start (``rate=None``: as fast as the window allows).
It speaks frame version 2 (one seed mask per event, bit k = seed k of ``GET /v1/model``'s ``seeds``) unless told
to send version 1.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import numpy as np
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from adtrigger.service.frames import MAX_SEEDS, VERSION, decode_decisions, encode_events


class StreamBrokenError(RuntimeError):
    """The server closed the stream or answered out of order; the message has its close code and reason."""


@dataclass
class StreamReport:
    """What one replay did: counts, wall time, per-frame round-trip latencies (s), the model generation that decided
    each frame, the events each seed accepted (bit order, ``n_seeds`` of them: the most any frame had) and the
    decisions if kept (``seed_masks`` only in frame version 2)."""

    events: int
    frames: int
    accepted: int
    seconds: float
    latencies: np.ndarray
    generations: np.ndarray
    scores: np.ndarray | None = None
    accept: np.ndarray | None = None
    extra: dict = field(default_factory=dict)
    seed_accepted: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    seed_masks: np.ndarray | None = None

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0

    def latency_ms(self, q: float) -> float:
        return float(np.percentile(self.latencies, q) * 1e3) if len(self.latencies) else float("nan")

    def summary(self) -> str:
        return (
            f"{self.events} events in {self.frames} frames, {self.seconds:.2f} s: "
            f"{self.events_per_second / 1e6:.3f} M events/s; batch round trip p50 {self.latency_ms(50):.2f} ms, "
            f"p99 {self.latency_ms(99):.2f} ms, max {self.latency_ms(100):.2f} ms; "
            f"accepted {self.accepted} ({self.accepted / max(self.events, 1):.3g})"
            + (f"; per seed (bit order) {' / '.join(map(str, self.seed_accepted.tolist()))}"
               if len(self.seed_accepted) else "")
        )  # fmt: skip


def _batches(events: np.ndarray, batch: int, total: int):
    """Consecutive batches of ``batch`` events, cycling through ``events`` until ``total`` have been given."""
    n, start, given = len(events), 0, 0
    while given < total:
        take = min(batch, total - given, n - start)
        yield events[start : start + take]
        given += take
        start = (start + take) % n


async def replay(
    url: str,
    events: np.ndarray,
    *,
    batch: int = 4096,
    total: int | None = None,
    rate: float | None = None,
    window: int = 2,
    keep: bool = False,
    first_seq: int = 0,
    version: int = VERSION,
) -> StreamReport:
    """Send ``total`` events (default: all of ``events: (N, width) float32``, cycled) in frames of ``version`` and
    collect the decisions."""
    total = len(events) if total is None else total
    frames = list(enumerate(_batches(np.ascontiguousarray(events, np.float32), batch, total)))
    sent_at: dict[int, float] = {}
    credit = asyncio.Semaphore(window)
    latencies = np.empty(len(frames))
    generations = np.zeros(len(frames), np.int64)
    scores, accepts, masks = [], [], []
    accepted = 0
    seed_accepted = np.zeros(MAX_SEEDS, np.int64)
    n_seeds = 0

    async with connect(url, compression=None, max_size=None, max_queue=window + 1) as ws:

        async def receive() -> None:
            try:
                await receive_all()
            finally:  # a broken stream must not leave the sender waiting for credit
                for _ in range(window):
                    credit.release()

        async def receive_all() -> None:
            nonlocal accepted, n_seeds
            for i, b in frames:
                try:
                    d = decode_decisions(await ws.recv())
                except ConnectionClosed as err:
                    rcvd = err.rcvd
                    why = f"code {rcvd.code}: {rcvd.reason}" if rcvd else "no close frame"
                    raise StreamBrokenError(f"server closed the stream before frame {first_seq + i} ({why})") from None
                if d.seq != first_seq + i or len(d.scores) != len(b):
                    got = f"decision seq {d.seq} n={len(d.scores)}"
                    raise StreamBrokenError(f"{got} for frame {first_seq + i} n={len(b)}: out of order")
                latencies[i] = time.perf_counter() - sent_at.pop(d.seq)
                generations[i] = d.generation
                accepted += int(np.count_nonzero(d.accept))
                if d.seed_masks is not None:
                    n_seeds = max(n_seeds, d.n_seeds)
                    seed_accepted[: d.n_seeds] += d.seed_counts()
                if keep:
                    scores.append(d.scores.copy())
                    accepts.append(d.accept)
                    if d.seed_masks is not None:
                        masks.append(d.seed_masks.copy())
                credit.release()

        receiver = asyncio.create_task(receive())
        t0 = time.perf_counter()
        try:
            sent = 0
            for i, b in frames:
                if rate is not None:
                    due = t0 + sent / rate
                    if (wait := due - time.perf_counter()) > 0:
                        await asyncio.sleep(wait)
                await credit.acquire()
                if receiver.done():
                    break
                sent_at[first_seq + i] = time.perf_counter()
                try:
                    await ws.send(encode_events(first_seq + i, b, version))
                except ConnectionClosed:
                    break  # the receiver reports why
                sent += len(b)
            await receiver
        finally:
            receiver.cancel()
        seconds = time.perf_counter() - t0
    return StreamReport(
        events=total, frames=len(frames), accepted=accepted, seconds=seconds, latencies=latencies,
        generations=generations, scores=np.concatenate(scores) if keep else None,
        accept=np.concatenate(accepts) if keep else None, seed_accepted=seed_accepted[:n_seeds],
        seed_masks=np.concatenate(masks) if keep and len(masks) == len(frames) else None,
    )  # fmt: skip


def replay_sync(url: str, events: np.ndarray, **kwargs) -> StreamReport:
    """``replay`` from synchronous code."""
    return asyncio.run(replay(url, events, **kwargs))
