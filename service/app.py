"""The FastAPI application: one bundle loaded at start-up, HTTP routes, the stream, metrics and the rate monitor."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import numpy as np
from fastapi import FastAPI

from adtrigger.service.holder import LiveModel, ModelHolder, load_live
from adtrigger.service.metrics import ServiceMetrics
from adtrigger.service.monitor import RateMonitor
from adtrigger.service.settings import ServiceSettings

log = logging.getLogger("adtrigger.service")


@dataclass
class ServiceState:
    """What the routes share: settings, the model holder, metrics and the rate monitor."""

    settings: ServiceSettings
    holder: ModelHolder
    metrics: ServiceMetrics
    monitor: RateMonitor
    alarming: bool = False

    def count(self, endpoint: str, accept: np.ndarray) -> None:
        """Book a scored batch: counters, the live rate window, and the alarm log on a change of state."""
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

    def swapped(self, live: LiveModel) -> None:
        """A new model or threshold is live: restart the rate window on what it is expected to accept."""
        if live.expected_fpr != self.monitor.expected:
            self.monitor.restart(live.expected_fpr)
        self.metrics.threshold.set(live.threshold)
        self.metrics.observe_rate(self.monitor.state())


def create_app(settings: ServiceSettings) -> FastAPI:
    """The service over ``settings.bundle``; the bundle is loaded, checked and warmed before the first request."""
    from adtrigger.service.routes import router
    from adtrigger.service.stream import stream_router

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        live = load_live(settings.bundle, settings.threads, generation=1)
        monitor = RateMonitor(live.expected_fpr, settings.rate_window, settings.rate_alarm_sigma)
        state = ServiceState(settings, ModelHolder(live, settings.threads), ServiceMetrics(), monitor)
        state.swapped(live)
        app.state.service = state
        log.info("serving %s (%s) with threshold %s = %.6g", live.card["name"], live.path, live.threshold_name,
                 live.threshold)  # fmt: skip
        yield

    app = FastAPI(title="adtrigger scoring service", version="1", lifespan=lifespan)
    app.include_router(router)
    app.include_router(stream_router)
    return app
