"""A bounded soak of ``adtrigger serve``: a fixed event rate over the stream for a few minutes, server RSS sampled.

    OMP_NUM_THREADS=1 python bench/service_soak.py BUNDLE [--seconds 180] [--rate 200000] [--batch 4096]

Memory is flat when the RSS after warm-up stays within a few MB and its fitted slope is near zero; the stream
must also keep up with the rate (every decision back, in order: the client checks each sequence number).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import threading
import time
from pathlib import Path

import numpy as np

from adtrigger.refdata import refstream_dir
from adtrigger.service.client import replay
from adtrigger.service.server import free_port, spawn

REFSTREAM = refstream_dir()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--data", type=Path, default=REFSTREAM / "W_lnu.h5")
    ap.add_argument("--seconds", type=float, default=180)
    ap.add_argument("--rate", type=float, default=200_000, help="events per second")
    ap.add_argument("--batch", type=int, default=4096)
    ap.add_argument("--every", type=float, default=5, help="seconds between RSS samples")
    args = ap.parse_args()

    from adtrigger.training.stream.io import read_events

    events = np.ascontiguousarray(read_events(args.data).flat)
    port = free_port()
    log = Path("/tmp/adtrigger_soak_serve.log")
    proc = spawn(args.bundle, port, log, {"OMP_NUM_THREADS": "1"})
    url = f"ws://127.0.0.1:{port}/v1/stream"
    samples: list[tuple[float, float]] = []
    stop = threading.Event()

    def sample() -> None:
        t0 = time.monotonic()
        while not stop.wait(args.every):
            samples.append((time.monotonic() - t0, rss_mb(proc.pid)))

    try:
        asyncio.run(replay(url, events, batch=args.batch, total=20 * args.batch))  # warm-up
        start_rss = rss_mb(proc.pid)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        total = int(args.seconds * args.rate)
        rep = asyncio.run(replay(url, events, batch=args.batch, total=total, rate=args.rate))
        stop.set()
        sampler.join()
    finally:
        proc.terminate()
        proc.wait(10)
    t, rss = np.array(samples).T
    slope = np.polyfit(t / 60, rss, 1)[0] if len(t) > 2 else float("nan")
    late = rss[len(rss) // 2 :]
    print(f"soak: {rep.summary()}")
    print(f"asked {args.rate:.0f} events/s, got {rep.events_per_second:.0f}; {os.cpu_count()} cores, log {log}")
    print(f"server RSS MB: after warm-up {start_rss:.1f}, samples min {rss.min():.1f} max {rss.max():.1f} "
          f"end {rss[-1]:.1f}; second half spread {late.max() - late.min():.1f} MB; slope {slope:+.2f} MB/min "
          f"({len(rss)} samples every {args.every:g} s)")  # fmt: skip


if __name__ == "__main__":
    main()
