"""The FastAPI application: one bundle loaded at start-up, HTTP routes, the stream, metrics and the rate monitor."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import numpy as np
from fastapi import FastAPI

from adtrigger.bundle import ladder
from adtrigger.service.holder import LiveModel, ModelHolder, load_live
from adtrigger.service.metrics import ServiceMetrics
from adtrigger.service.monitor import RateMonitor, RateState
from adtrigger.service.settings import ServiceSettings

log = logging.getLogger("adtrigger.service")


@dataclass
class ServiceState:
    """What the routes share: settings, the model holder, metrics and the rate monitor of the active threshold (the
    per-seed windows belong to each live model, ``LiveModel.windows``)."""

    settings: ServiceSettings
    holder: ModelHolder
    metrics: ServiceMetrics
    monitor: RateMonitor
    alarming: bool = False
    seed_alarming: dict[str, bool] = field(default_factory=dict)
    seed_names: tuple[str, ...] = ()

    def count(self, endpoint: str, live: LiveModel, accept: np.ndarray, seed_masks: np.ndarray) -> None:
        """Book a batch ``live`` scored: counters, the live rate windows (the active threshold's and one per seed),
        and an alarm log line on each change of state."""
        n, k = len(accept), int(np.count_nonzero(accept))
        self.metrics.events.labels(endpoint).inc(n)
        self.metrics.accepted.inc(k)
        state = self.monitor.record(n, k)
        self.metrics.observe_rate(state)
        if state.alarm != self.alarming:
            self.alarming = state.alarm
            if state.alarm:
                log.warning("accept-rate alarm: %.3g over the last %d events against an expected %.3g (%.1f sigma)",
                            state.observed, state.n, state.expected, state.pull)  # fmt: skip
            else:
                log.info("accept rate back within %.1f sigma of the expected", self.monitor.sigma)
        self._count_seeds(live, seed_masks)

    def _count_seeds(self, live: LiveModel, seed_masks: np.ndarray) -> None:
        names = live.seed_names
        if not names:
            return
        per_seed = ladder.bit_counts(seed_masks, len(names))
        for name, k in zip(names, per_seed, strict=True):
            self.metrics.seed_accepted.labels(name).inc(k)
        states = live.windows.record(len(seed_masks), per_seed)
        if live is not self.holder.live:
            return  # a batch the previous model decided: its windows, not the gauges of the one now live
        for name, st in zip(names, states, strict=True):
            self.metrics.observe_seed(name, st)
            self._log_seed_alarm(name, st)

    def _log_seed_alarm(self, name: str, state: RateState) -> None:
        if state.alarm == self.seed_alarming.get(name, False):
            return
        self.seed_alarming[name] = state.alarm
        if state.alarm:
            log.warning("seed-rate alarm for seed %s: %.3g over the last %d events against an expected %.3g "
                        "(%.1f sigma)", name, state.observed, state.n, state.expected, state.pull)  # fmt: skip
        else:
            log.info("seed %s accept rate back within %.1f sigma of the expected", name, self.monitor.sigma)

    def swapped(self, live: LiveModel) -> None:
        """A new model or threshold is live: restart the active window on what it is expected to accept, and show
        the new seed list (its windows came with the model; gauges of seeds no longer served are removed)."""
        if live.expected_fpr != self.monitor.expected:
            self.monitor.restart(live.expected_fpr)
        self.metrics.threshold.set(live.threshold)
        self.metrics.observe_rate(self.monitor.state())
        names = tuple(live.seed_names)
        for gone in set(self.seed_names) - set(names):
            self.metrics.drop_seed(gone)
            self.seed_alarming.pop(gone, None)
        self.seed_names = names
        for seed, st in zip(live.seeds, live.windows.states(), strict=True):
            self.metrics.seed_threshold.labels(seed.name).set(seed.score)
            self.metrics.seed_accepted.labels(seed.name)  # the series exists (at 0) before its first accept
            self.metrics.observe_seed(seed.name, st)
            self.seed_alarming[seed.name] = st.alarm


def create_app(settings: ServiceSettings) -> FastAPI:
    """The service over ``settings.bundle``; the bundle is loaded, checked and warmed before the first request."""
    from adtrigger.service.routes import router
    from adtrigger.service.stream import stream_router

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder = ModelHolder(load_live(settings.bundle, settings.threads, generation=1), settings.threads,
                             settings.rate_window, settings.rate_alarm_sigma)  # fmt: skip
        live = holder.live
        monitor = RateMonitor(live.expected_fpr, settings.rate_window, settings.rate_alarm_sigma)
        state = ServiceState(settings, holder, ServiceMetrics(), monitor)
        state.swapped(live)
        app.state.service = state
        log.info("serving %s (%s) with threshold %s = %.6g; seeds %s", live.card["name"], live.path,
                 live.threshold_name, live.threshold, ", ".join(live.seed_names) or "none")  # fmt: skip
        yield

    app = FastAPI(title="adtrigger scoring service", version="1", lifespan=lifespan)
    app.include_router(router)
    app.include_router(stream_router)
    return app
