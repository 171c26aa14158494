"""Run the service under uvicorn with the transport settings the stream needs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from pathlib import Path

import uvicorn

with warnings.catch_warnings():
    # deprecated in favour of websockets-sansio, which streamed 1 MB frames ~1.5x slower here (docs/service.md)
    warnings.simplefilter("ignore")
    try:
        from uvicorn.protocols.websockets.websockets_impl import WebSocketProtocol
    except ImportError:  # a uvicorn without it: its default protocol, slower on large frames
        WebSocketProtocol = None

from adtrigger.service.app import create_app
from adtrigger.service.frames import HEADER_BYTES
from adtrigger.service.settings import ServiceSettings

if WebSocketProtocol is not None:

    class BigReadWebSocketProtocol(WebSocketProtocol):
        """uvicorn's ``websockets`` protocol with a larger read buffer: at the default 64 KiB a 1 MB frame stops and
        restarts the socket reader many times per frame."""

        READ_LIMIT = 4 * 2**20

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.reader._limit = self.READ_LIMIT

    WS_PROTOCOL: type | str = BigReadWebSocketProtocol
else:
    WS_PROTOCOL = "websockets-sansio"


# The stream refuses frames over max_payload_bytes itself, after answering every earlier frame. uvicorn's own limit,
# which drops the connection at once (pending answers lost), only guards memory against far larger frames.
WS_MAX_SIZE_FACTOR = 4


def uvicorn_config(settings: ServiceSettings, host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    """permessage-deflate off: compressing float32 frames cut throughput 30x (FACTS.md, streaming transport)."""
    return uvicorn.Config(
        create_app(settings), host=host, port=port, log_level=log_level, access_log=False,
        ws=WS_PROTOCOL, ws_per_message_deflate=False,
        ws_max_size=WS_MAX_SIZE_FACTOR * (settings.max_payload_bytes + HEADER_BYTES), timeout_graceful_shutdown=5,
    )  # fmt: skip


def serve(settings: ServiceSettings, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info") -> None:
    """Serve until interrupted."""
    uvicorn.Server(uvicorn_config(settings, host, port, log_level)).run()


class BackgroundServer:
    """The service on a thread of this process (benchmarks, embedding); ``with`` starts it and stops it."""

    def __init__(self, settings: ServiceSettings, host: str = "127.0.0.1", port: int = 0) -> None:
        self.server = uvicorn.Server(uvicorn_config(settings, host, port, "warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    def __enter__(self) -> BackgroundServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the service did not start (see the log above)")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def free_port() -> int:
    """A TCP port on loopback that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(bundle: Path, port: int, log: Path, env: dict | None = None, timeout: float = 60) -> subprocess.Popen:
    """Start ``adtrigger serve`` in its own process and return it once ``/readyz`` answers 200 (tests, benchmarks).
    ``env`` adds ``ADTRIGGER_*`` settings; output goes to ``log``."""
    cmd = [sys.executable, "-m", "adtrigger.cli", "serve", str(bundle), "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=os.environ | (env or {}), stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the service did not get ready; its log: {log}\n{log.read_text()[-2000:]}")
