"""HTTP routes: score a batch, describe the model, health, metrics, and the admin calls behind a bearer token."""

from __future__ import annotations

import hmac
import json
import time
from typing import Annotated, Literal

import numpy as np
from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel, Field

from adtrigger.bundle import BundleError
from adtrigger.service.app import ServiceState
from adtrigger.service.holder import InputError, TooManyEventsError

router = APIRouter()

SCORE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["events"],
                    "properties": {"events": {"type": "array", "description": "(N, 57) or (N, 19, 3) numbers"}},
                }
            },
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary", "description": "N*n_features float32 LE"}
            },
        },
    }
}


def service(request: Request) -> ServiceState:
    return request.app.state.service


State = Annotated[ServiceState, Depends(service)]


def _json(payload: dict, status: int = 200) -> Response:
    return Response(json.dumps(payload), status_code=status, media_type="application/json")


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body of {declared} bytes is over the limit of {limit}; send smaller batches")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body is over the limit of {limit} bytes; send smaller batches")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_json_events(body: bytes) -> np.ndarray:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as err:
        raise HTTPException(400, f"body is not valid JSON ({err}); send {{\"events\": [[...], ...]}}") from None
    except RecursionError:
        raise HTTPException(400, "body nests JSON too deeply; send {\"events\": [[...], ...]}") from None
    if not isinstance(doc, dict) or "events" not in doc:
        raise HTTPException(422, "JSON body must be an object with an 'events' list: {\"events\": [[...], ...]}")
    try:
        x = np.array(doc["events"])
    except (ValueError, TypeError):
        raise HTTPException(422, "'events' must be a rectangular list of numbers (N, 57) or (N, 19, 3)") from None
    if x.size == 0 and x.ndim <= 2:
        raise HTTPException(422, "empty batch: send at least one event")
    if x.dtype.kind not in "iuf":
        raise HTTPException(422, f"'events' must hold numbers only, got {x.dtype.name} values")
    # float64 goes to the scorer as it is: it refuses values that float32 (the graph's input) cannot hold exactly
    return x.astype(np.float64)


@router.post("/v1/score", openapi_extra=SCORE_BODY, summary="Score a batch of events")
async def score(request: Request, state: State) -> Response:
    """Scores (float64), accept bits (the active threshold) and seed masks (bit k = seed k of ``seeds``) of a batch
    sent as JSON or as raw float32 little-endian."""
    body = await _read_body(request, state.settings.max_payload_bytes)
    live = state.holder.live
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/octet-stream":
        width = live.n_features * 4
        if len(body) % width:
            raise HTTPException(422, f"body of {len(body)} bytes is not a whole number of {width}-byte events")
        x = np.frombuffer(body, "<f4").reshape(-1, live.n_features)
    elif kind in ("application/json", ""):
        x = _parse_json_events(body)
    else:
        raise HTTPException(415, f"content type {kind!r}: send application/json or application/octet-stream")
    t0 = time.perf_counter()
    try:
        scores, accept, masks = await run_in_threadpool(live.decide, x, state.settings.max_batch)
    except InputError as err:
        state.metrics.rejected_requests.labels("score").inc()
        raise HTTPException(413 if isinstance(err, TooManyEventsError) else 422, str(err)) from None
    state.metrics.latency.labels("score").observe(time.perf_counter() - t0)
    state.count("score", live, accept, masks)
    return _json({"model": live.card["name"], "generation": live.generation, "threshold": live.threshold,
                  "seeds": live.seed_names, "n": len(scores), "scores": scores.tolist(), "accept": accept.tolist(),
                  "seed_mask": masks.tolist()})  # fmt: skip


@router.get("/v1/model", summary="The served bundle's card, live threshold and seeds: target, achieved, expected FPR")
async def model(state: State) -> Response:
    return _json(state.holder.live.describe())


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="A checked, warmed model is loaded")
async def readyz(request: Request) -> Response:
    state: ServiceState | None = getattr(request.app.state, "service", None)
    if state is None:
        return _json({"ready": False, "reason": "no model loaded yet"}, 503)
    live = state.holder.live
    return _json({"ready": True, "model": live.card["name"], "generation": live.generation})


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(state: State) -> Response:
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)


def admin(state: State, authorization: Annotated[str | None, Header()] = None) -> ServiceState:
    """Allow the call only with ``Authorization: Bearer <ADTRIGGER_ADMIN_TOKEN>``."""
    token = state.settings.admin_token
    if token is None:
        raise HTTPException(403, "admin calls are off: start the service with ADTRIGGER_ADMIN_TOKEN set")
    given = (authorization or "").removeprefix("Bearer ").strip()
    if not authorization or not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
        raise HTTPException(401, "admin call needs 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"})
    return state


Admin = Annotated[ServiceState, Depends(admin)]


class ReloadRequest(BaseModel):
    bundle: str | None = Field(None, description="bundle folder on the server; default: the one being served")


class TargetRequest(BaseModel):
    kind: Literal["rate_hz", "events_per_day", "fpr", "pure_rate_hz"] = Field(
        description="pure_rate_hz is refused: it needs the menu's decisions (adtrigger calibrate --menu)"
    )
    value: float = Field(gt=0, allow_inf_nan=False)
    input_rate_hz: float | None = Field(None, gt=0, allow_inf_nan=False, description="for rate_hz, events_per_day")
    menu: str | None = Field(None, max_length=200, description="pure_rate_hz: the reference menu")


@router.post("/v1/admin/reload", summary="Load a bundle and swap it in once checked and warm")
async def reload(state: Admin, body: ReloadRequest | None = None) -> Response:
    try:
        live = await run_in_threadpool(state.holder.reload, body.bundle if body else None)
    except (BundleError, OSError) as err:
        state.metrics.reloads.labels("refused").inc()
        old = state.holder.live
        still = f"still serving {old.path} (generation {old.generation})"
        raise HTTPException(422, f"bundle refused: {err}; {still}") from None
    state.metrics.reloads.labels("ok").inc()
    state.swapped(live)
    return _json(live.describe() | {"card": None})


@router.post("/v1/admin/retarget", summary="Set the threshold for a new SM rate from the stored SM distribution")
async def retarget(state: Admin, target: TargetRequest) -> Response:
    try:
        live = await run_in_threadpool(state.holder.retarget, target.model_dump(exclude_none=True))
    except (BundleError, ValueError) as err:
        state.metrics.reloads.labels("refused").inc()
        raise HTTPException(422, f"retarget refused: {err}") from None
    state.metrics.reloads.labels("retarget").inc()
    state.swapped(live)
    return _json(live.describe() | {"card": None})
