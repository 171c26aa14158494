"""Streaming throughput of ``adtrigger serve`` against in-process ONNX Runtime on the same batches, in one run.

    OMP_NUM_THREADS=1 python bench/service_throughput.py BUNDLE [--events 2000000] [--batch 4096 ...]

The service runs as ``adtrigger serve`` in its own process (one ORT thread); this process is the client
(``service.client.replay``), so on a 2-core machine client and server each get a core. For each batch size it
prints the in-process rate and, with one frame in flight and with ``--window`` frames in flight, the streaming
rate (each the best of 3 runs), their ratio, the p50/p99 batch round trip and what fraction of one instance the
CMS HLT input rate (100 kHz) is. CPU columns: CPU time per event of the in-process loop, of the server process
and of the client during the stream; their ratio (in-process / server) is what the server would reach on a core
of its own, and it does not depend on what else runs on the machine, which the wall-clock columns do.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

import numpy as np

from adtrigger.bundle.scoring import Scorer
from adtrigger.refdata import refstream_dir
from adtrigger.service.client import replay
from adtrigger.service.server import free_port, spawn

HLT_INPUT_HZ = 100_000.0
REFSTREAM = refstream_dir()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process(scorer: Scorer, events: np.ndarray, batch: int, total: int) -> tuple[float, float]:
    """Events/s of ``Scorer.score`` over the same consecutive batches the stream sends (best of 3), and its CPU
    seconds per event."""
    batches = [events[i : i + batch] for i in range(0, len(events) - batch + 1, batch)]
    scorer.score(batches[0])
    best, cpu = 0.0, float("inf")
    for _ in range(3):
        t0, c0, done, i = time.perf_counter(), time.process_time(), 0, 0
        while done < total:
            scorer.score(batches[i % len(batches)])
            done += batch
            i += 1
        best = max(best, done / (time.perf_counter() - t0))
        cpu = min(cpu, (time.process_time() - c0) / done)
    return best, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--data", type=Path, default=REFSTREAM / "W_lnu.h5")
    ap.add_argument("--events", type=int, default=2_000_000, help="events per measurement")
    ap.add_argument("--batch", type=int, nargs="+", default=[1024, 4096, 16384])
    ap.add_argument("--window", type=int, default=2, help="frames in flight for the throughput run")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()

    from adtrigger.training.stream.io import read_events

    events = np.ascontiguousarray(read_events(args.data).flat[:200_000])
    scorer = Scorer(args.bundle, threads=args.threads)
    port = free_port()
    url = f"ws://127.0.0.1:{port}/v1/stream"
    log = Path("/tmp/adtrigger_bench_serve.log")
    proc = spawn(args.bundle, port, log, {"ADTRIGGER_THREADS": str(args.threads), "OMP_NUM_THREADS": "1"})
    print(f"bundle {args.bundle} ({scorer.bundle.name}), {len(events)} events of {args.data.name} cycled, "
          f"{args.events} per measurement, ORT threads {args.threads}, window {args.window}, {os.cpu_count()} cores")
    print("| batch | in-process M ev/s | window | stream M ev/s | ratio | p50 ms | p99 ms | 100 kHz / instance | "
          "CPU us/event in-process | server | client | CPU ratio |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    try:
        for batch in args.batch:
            asyncio.run(replay(url, events, batch=batch, total=20 * batch, window=args.window))  # warm
            local, local_cpu = in_process(scorer, events, batch, args.events)
            for window in sorted({1, args.window}):
                runs = []
                for _ in range(3):  # best of 3, as in-process: the least disturbed by other load
                    s0, c0 = cpu_seconds(proc.pid), time.process_time()
                    rep = asyncio.run(replay(url, events, batch=batch, total=args.events, window=window))
                    cpu = (cpu_seconds(proc.pid) - s0) / rep.events, (time.process_time() - c0) / rep.events
                    runs.append((rep, *cpu))
                rep, server_cpu, client_cpu = max(runs, key=lambda r: r[0].events_per_second)
                rate = rep.events_per_second
                print(f"| {batch} | {local / 1e6:.2f} | {window} | {rate / 1e6:.2f} | {rate / local:.0%} | "
                      f"{rep.latency_ms(50):.2f} | {rep.latency_ms(99):.2f} | {HLT_INPUT_HZ / rate:.1%} | "
                      f"{local_cpu * 1e6:.3f} | {server_cpu * 1e6:.3f} | {client_cpu * 1e6:.3f} | "
                      f"{local_cpu / server_cpu:.0%} |", flush=True)  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
