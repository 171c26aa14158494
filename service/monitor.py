"""The live rate monitor: the accept fraction over a sliding window of events against the fraction expected of SM.

The SM stream is what the trigger sees almost always, so the number accepted among the last ``window`` events is
binomial around ``window * expected``, ``expected`` being the threshold's achieved FPR on held-out SM (see
``LiveModel.expected_fpr``). The monitor alarms when the observed count departs from that by more than ``sigma``
binomial standard deviations, and only once the window is full (a half-empty window proves nothing).

A bundle with a threshold ladder has one accept bit per seed; :class:`SeedWindows` runs one such window per seed,
each against that seed's own expected fraction, so each seed alarms on its own.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RateState:
    """A snapshot: ``observed`` accept fraction over ``n`` events, the ``expected`` one, the pull in sigma, the
    alarm."""

    n: int
    accepted: int
    observed: float
    expected: float
    pull: float
    alarm: bool


class RateMonitor:
    """Accept counts of the most recent ``window`` events (whole batches: the window holds at most one batch
    more), thread-safe; ``record`` is O(1) amortised."""

    def __init__(self, expected: float, window: int, sigma: float = 5.0) -> None:
        if not 0.0 <= expected <= 1.0:
            raise ValueError(f"expected accept fraction {expected} is not in [0, 1]")
        self.expected, self.window, self.sigma = expected, window, sigma
        self._batches: deque[tuple[int, int]] = deque()
        self._n = self._k = 0
        self._lock = threading.Lock()

    def record(self, n: int, accepted: int) -> RateState:
        """Add a batch of ``n`` events with ``accepted`` of them accepted; return the new state."""
        with self._lock:
            self._batches.append((n, accepted))
            self._n += n
            self._k += accepted
            while self._batches and self._n - self._batches[0][0] >= self.window:
                old_n, old_k = self._batches.popleft()
                self._n -= old_n
                self._k -= old_k
            return self._state()

    def restart(self, expected: float) -> None:
        """A new threshold makes the old window meaningless: start over, expecting ``expected``."""
        with self._lock:
            self.expected = expected
            self._batches.clear()
            self._n = self._k = 0

    def state(self) -> RateState:
        with self._lock:
            return self._state()

    def _state(self) -> RateState:
        n, k, p = self._n, self._k, self.expected
        observed = k / n if n else 0.0
        # a floor of one expected event keeps a zero expectation from dividing by zero
        sd = math.sqrt(max(n * p * (1.0 - p), 1.0))
        pull = (k - n * p) / sd if n else 0.0
        alarm = n >= self.window and abs(pull) > self.sigma
        return RateState(n, k, observed, p, pull, alarm)


@dataclass(frozen=True)
class SeedKey:
    """What a seed's window measures: the seed's name, its score threshold and the fraction it is expected to
    accept. A window is carried over a reload or retarget only when all three are unchanged."""

    name: str
    score: float
    expected: float


class SeedWindows:
    """One :class:`RateMonitor` per seed, in bit order. Built once per live model (``holder.ModelHolder``), so the
    seed list and its windows are swapped with the model in one reference; ``previous`` hands over the window of
    every seed whose :class:`SeedKey` is unchanged, the others start empty."""

    def __init__(self, keys: Sequence[SeedKey], window: int, sigma: float,
                 previous: SeedWindows | None = None) -> None:  # fmt: skip
        old = dict(zip(previous.keys, previous.monitors, strict=True)) if previous is not None else {}
        self.keys = tuple(keys)
        self.window, self.sigma = window, sigma
        self.monitors = tuple(
            old.get(k) if k in old and old[k].window == window and old[k].sigma == sigma
            else RateMonitor(k.expected, window, sigma)
            for k in self.keys
        )  # fmt: skip

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    def record(self, n: int, accepted: Sequence[int]) -> list[RateState]:
        """Add a batch of ``n`` events of which ``accepted[k]`` passed seed ``k``; the new state of every seed."""
        if len(accepted) != len(self.monitors):
            raise ValueError(f"{len(accepted)} seed counts for {len(self.monitors)} seeds")
        return [m.record(n, int(k)) for m, k in zip(self.monitors, accepted, strict=True)]

    def states(self) -> list[RateState]:
        return [m.state() for m in self.monitors]
