"""The live rate monitor: the accept fraction over a sliding window of events against the fraction expected of SM.

The SM stream is what the trigger sees almost always, so the number accepted among the last ``window`` events is
binomial around ``window * expected``, ``expected`` being the threshold's achieved FPR on held-out SM (see
``LiveModel.expected_fpr``). The monitor alarms when the observed count departs from that by more than ``sigma``
binomial standard deviations, and only once the window is full (a half-empty window proves nothing).
"""

from __future__ import annotations

import math
import threading
from collections import deque
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
