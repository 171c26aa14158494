"""Service settings, read from the environment (``ADTRIGGER_*``) so one image serves any bundle."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Everything the service needs to start; e.g. ``ADTRIGGER_BUNDLE=models/l1 ADTRIGGER_THREADS=2``."""

    model_config = SettingsConfigDict(env_prefix="ADTRIGGER_", frozen=True)

    bundle: Path = Field(description="the model bundle folder to serve (bundle.json, model.onnx, thresholds)")
    threads: int = Field(1, ge=1, le=256, description="ONNX Runtime intra-op threads")
    max_batch: int = Field(65536, ge=1, description="most events in one request or frame")
    max_payload_bytes: int = Field(32 * 2**20, ge=1024, description="largest request body or frame")
    admin_token: SecretStr | None = Field(None, description="bearer token of the admin calls; unset: admin is off")
    rate_window: int = Field(1_000_000, ge=100, description="events in the live accept-rate window")
    rate_alarm_sigma: float = Field(5.0, gt=0, description="alarm when the window departs by more than this")
    stream_queue: int = Field(2, ge=1, le=64, description="frames received ahead of scoring per stream")
    stream_inline_events: int = Field(
        8192, ge=0, description="frames up to this many events are scored on the event loop, larger in a thread"
    )
