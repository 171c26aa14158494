"""Streaming throughput of ``adtrigger serve`` against in-process ONNX Runtime on the same batches, in one run.

    OMP_NUM_THREADS=1 python bench/service_throughput.py BUNDLE [--events 2000000] [--batch 4096 ...]

The service runs as ``adtrigger serve`` in its own process (one ORT thread); this process is the client
(``service.client.replay``), so on a 2-core machine client and server each get a core. For each batch size it
prints the in-process rate and, with one frame in flight and with ``--window`` frames in flight, the streaming
rate, their ratio, the p50/p99 batch round trip and what fraction of one instance the CMS HLT input rate (100 kHz)
is.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

import numpy as np

from adtrigger.bundle.scoring import Scorer
from service.client import replay
from service.server import free_port, spawn

HLT_INPUT_HZ = 100_000.0
REFSTREAM = Path(__file__).resolve().parents[2] / "shared" / "data" / "refstream-v1"


def in_process_rate(scorer: Scorer, events: np.ndarray, batch: int, total: int) -> float:
    """Events/s of ``Scorer.score`` over the same consecutive batches the stream sends (best of 3)."""
    batches = [events[i : i + batch] for i in range(0, len(events) - batch + 1, batch)]
    scorer.score(batches[0])
    best = 0.0
    for _ in range(3):
        t0, done, i = time.perf_counter(), 0, 0
        while done < total:
            scorer.score(batches[i % len(batches)])
            done += batch
            i += 1
        best = max(best, done / (time.perf_counter() - t0))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--data", type=Path, default=REFSTREAM / "W_lnu.h5")
    ap.add_argument("--events", type=int, default=2_000_000, help="events per measurement")
    ap.add_argument("--batch", type=int, nargs="+", default=[1024, 4096, 16384])
    ap.add_argument("--window", type=int, default=2, help="frames in flight for the throughput run")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    from training.stream.io import read_events

    events = np.ascontiguousarray(read_events(args.data).flat[:200_000])
    scorer = Scorer(args.bundle, threads=args.threads)
    port = free_port()
    url = f"ws://127.0.0.1:{port}/v1/stream"
    log = Path("/tmp/adtrigger_bench_serve.log")
    proc = spawn(args.bundle, port, log, {"ADTRIGGER_THREADS": str(args.threads), "OMP_NUM_THREADS": "1"})
    print(f"bundle {args.bundle} ({scorer.bundle.name}), {len(events)} events of {args.data.name} cycled, "
          f"{args.events} per measurement, ORT threads {args.threads}, window {args.window}, {os.cpu_count()} cores")
    print("| batch | in-process M ev/s | window | stream M ev/s | ratio | p50 ms | p99 ms | 100 kHz / instance |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    try:
        for batch in args.batch:
            asyncio.run(replay(url, events, batch=batch, total=20 * batch, window=args.window))  # warm
            local = in_process_rate(scorer, events, batch, args.events)
            for window in sorted({1, args.window}):
                rep = asyncio.run(replay(url, events, batch=batch, total=args.events, window=window))
                rate = rep.events_per_second
                print(f"| {batch} | {local / 1e6:.2f} | {window} | {rate / 1e6:.2f} | {rate / local:.0%} | "
                      f"{rep.latency_ms(50):.2f} | {rep.latency_ms(99):.2f} | {HLT_INPUT_HZ / rate:.1%} |", flush=True)
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
