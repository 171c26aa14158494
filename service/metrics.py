"""Prometheus metrics of one service instance, in its own registry (two apps in one process do not collide)."""

from __future__ import annotations

import contextlib

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from adtrigger.service.monitor import RateState

# batch latencies from 50 us to 2.5 s
LATENCY_BUCKETS = (5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1.0, 2.5)


class ServiceMetrics:
    """The counters, gauges and histograms ``/metrics`` exposes."""

    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.events = Counter("adtrigger_events_scored", "events scored", ["endpoint"], registry=r)
        self.accepted = Counter("adtrigger_events_accepted", "events accepted (score >= threshold)", registry=r)
        self.rejected_requests = Counter(
            "adtrigger_bad_requests", "requests or frames refused as bad input", ["endpoint"], registry=r
        )
        self.latency = Histogram(
            "adtrigger_batch_latency_seconds", "time to score one batch, from parsed input to reply",
            ["endpoint"], buckets=LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.streams = Gauge("adtrigger_streams_open", "open /v1/stream connections", registry=r)
        self.window_rate = Gauge("adtrigger_accept_fraction_window", "accept fraction over the window", registry=r)
        expected = "expected SM accept fraction: the threshold's achieved held-out FPR"
        self.expected_rate = Gauge("adtrigger_accept_fraction_target", expected, registry=r)  # old name, for dashboards
        self.window_events = Gauge("adtrigger_rate_window_events", "events in the rate window", registry=r)
        self.pull = Gauge("adtrigger_rate_pull_sigma", "window accepts minus expected, in binomial sigma", registry=r)
        self.alarm = Gauge("adtrigger_rate_alarm", "1 while the accept rate departs from the expected", registry=r)
        self.threshold = Gauge("adtrigger_threshold", "the live score threshold (accept iff score >= it)", registry=r)
        self.reloads = Counter("adtrigger_reloads", "bundle reloads and retargets", ["result"], registry=r)
        # one series per seed of the threshold ladder (the active threshold alone without a ladder), label "seed"
        seed = ["seed"]
        self.seed_accepted = Counter(
            "adtrigger_seed_events_accepted", "events each seed accepted (score >= the seed's threshold)", seed,
            registry=r,
        )  # fmt: skip
        self.seed_ratio = Gauge(
            "adtrigger_seed_accept_ratio", "each seed's accept fraction over its rate window", seed, registry=r
        )
        self.seed_expected = Gauge(
            "adtrigger_seed_expected_accept_ratio", "each seed's expected SM accept fraction: its held-out FPR",
            seed, registry=r,
        )  # fmt: skip
        self.seed_window_events = Gauge(
            "adtrigger_seed_rate_window_events", "events in each seed's rate window", seed, registry=r
        )
        self.seed_pull = Gauge(
            "adtrigger_seed_rate_pull_sigma", "each seed's window accepts minus expected, in binomial sigma", seed,
            registry=r,
        )  # fmt: skip
        self.seed_alarm = Gauge(
            "adtrigger_seed_rate_alarm", "1 while a seed's accept rate departs from its expected", seed, registry=r
        )
        self.seed_threshold = Gauge(
            "adtrigger_seed_threshold", "each seed's score threshold (bit set iff score >= it)", seed, registry=r
        )
        self._seed_gauges = (self.seed_ratio, self.seed_expected, self.seed_window_events, self.seed_pull,
                             self.seed_alarm, self.seed_threshold)  # fmt: skip

    def observe_rate(self, state: RateState) -> None:
        self.window_rate.set(state.observed)
        self.expected_rate.set(state.expected)
        self.window_events.set(state.n)
        self.pull.set(state.pull)
        self.alarm.set(1.0 if state.alarm else 0.0)

    def observe_seed(self, seed: str, state: RateState) -> None:
        self.seed_ratio.labels(seed).set(state.observed)
        self.seed_expected.labels(seed).set(state.expected)
        self.seed_window_events.labels(seed).set(state.n)
        self.seed_pull.labels(seed).set(state.pull)
        self.seed_alarm.labels(seed).set(1.0 if state.alarm else 0.0)

    def drop_seed(self, seed: str) -> None:
        """A seed no longer served: its gauges go (no stale alarm stays up); its accept counter stays, a total."""
        for gauge in self._seed_gauges:
            with contextlib.suppress(KeyError):
                gauge.remove(seed)

    def render(self) -> bytes:
        return generate_latest(self.registry)
