"""Prometheus metrics of one service instance, in its own registry (two apps in one process do not collide)."""

from __future__ import annotations

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

    def observe_rate(self, state: RateState) -> None:
        self.window_rate.set(state.observed)
        self.expected_rate.set(state.expected)
        self.window_events.set(state.n)
        self.pull.set(state.pull)
        self.alarm.set(1.0 if state.alarm else 0.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)
