"""``WS /v1/stream``: a long-lived binary stream; each events frame gets one decisions frame, in order.

A receiver task reads frames into a small bounded queue (``stream_queue`` frames); when it is full the receiver
stops reading and TCP pushes back on the client: no queue grows without bound. Frames of up to
``stream_inline_events`` events are scored on the event loop itself: the hop to a worker thread cost ~30 % more
CPU per event at batch 4096 (docs/service.md); larger frames go to a worker thread so that the loop (other
streams, health checks) never waits long. Frames are scored strictly in order and answered in the version of the
frame (version 2 carries one seed mask per event, version 1 does not; service.frames). A bad frame closes the
stream with a code and a reason after every earlier frame has been answered: nothing already decided is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from fastapi import APIRouter, WebSocket
from fastapi.concurrency import run_in_threadpool
from starlette.websockets import WebSocketDisconnect, WebSocketState

from adtrigger.service.app import ServiceState
from adtrigger.service.frames import HEADER_BYTES, FrameError, decode_events_frame, encode_decisions
from adtrigger.service.holder import InputError, TooManyEventsError

stream_router = APIRouter()

# RFC 6455 close codes
CLOSE_UNSUPPORTED = 1003  # a text frame
CLOSE_INVALID = 1007  # a malformed frame, bad events, a sequence gap
CLOSE_TOO_BIG = 1009  # more events or bytes than the limits
CLOSE_INTERNAL = 1011


class StreamCloseError(Exception):
    """End the stream with a WebSocket close code and a reason."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


async def _receive(ws: WebSocket, queue: asyncio.Queue, limit: int) -> None:
    """Put each binary frame on ``queue``; a ``StreamCloseError`` or ``None`` (client gone) ends the stream."""
    try:
        while True:
            msg = await ws.receive()
            if msg["type"] == "websocket.disconnect":
                break
            data = msg.get("bytes")
            if data is None:
                why = "text frame: send binary events frames (service.frames)"
                await queue.put(StreamCloseError(CLOSE_UNSUPPORTED, why))
                return
            if len(data) > limit:
                await queue.put(StreamCloseError(CLOSE_TOO_BIG, f"frame of {len(data)} bytes is over {limit}"))
                return
            await queue.put(data)
    except (WebSocketDisconnect, RuntimeError):
        pass
    await queue.put(None)


async def _serve(ws: WebSocket, state: ServiceState, queue: asyncio.Queue) -> None:
    """Score frames from ``queue`` in order and answer each; raises ``StreamCloseError`` on a bad frame."""
    expected_seq: int | None = None
    while True:
        frame = await queue.get()
        if frame is None:
            return
        if isinstance(frame, StreamCloseError):
            raise frame
        live = state.holder.live
        t0 = time.perf_counter()
        try:
            version, seq, x = decode_events_frame(frame, live.n_features)
            if expected_seq is not None and seq != expected_seq:
                raise FrameError(f"frame seq {seq} where {expected_seq} was due: sequence numbers go up by 1")
            if len(x) <= state.settings.stream_inline_events:
                scores, accept, masks = live.decide(x, state.settings.max_batch)
            else:
                scores, accept, masks = await run_in_threadpool(live.decide, x, state.settings.max_batch)
        except (FrameError, InputError) as err:
            state.metrics.rejected_requests.labels("stream").inc()
            code = CLOSE_TOO_BIG if isinstance(err, TooManyEventsError) else CLOSE_INVALID
            raise StreamCloseError(code, str(err)) from None
        # answered in the events frame's version: version 1 has no seed masks
        await ws.send_bytes(encode_decisions(seq, scores, accept, live.generation, masks, len(live.seeds), version))
        state.metrics.latency.labels("stream").observe(time.perf_counter() - t0)
        state.count("stream", live, accept, masks)
        expected_seq = seq + 1


@stream_router.websocket("/v1/stream")
async def stream(ws: WebSocket) -> None:
    state: ServiceState = ws.app.state.service
    await ws.accept()
    state.metrics.streams.inc()
    queue: asyncio.Queue = asyncio.Queue(maxsize=state.settings.stream_queue)
    limit = state.settings.max_payload_bytes + HEADER_BYTES
    receiver = asyncio.create_task(_receive(ws, queue, limit))
    code, reason = 1000, ""
    try:
        await _serve(ws, state, queue)
    except StreamCloseError as err:
        code, reason = err.code, err.reason
    except (WebSocketDisconnect, RuntimeError, OSError):
        code = 0  # the client is gone: nothing to close
    except Exception as err:  # a scorer failure closes this stream, not the server
        code, reason = CLOSE_INTERNAL, f"internal error: {type(err).__name__}"
    finally:
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await receiver
        state.metrics.streams.dec()
    if code and ws.client_state == WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            # a close reason is at most 123 bytes (RFC 6455)
            await ws.close(code, reason.encode()[:123].decode(errors="ignore"))
