"""Benchmark: SM events per second through ``adtrigger calibrate``'s scoring, side by side in one run: the bare
``Scorer`` on events in memory, the calibration's shards in this process, and the same shards on a local Dask cluster.

    OMP_NUM_THREADS=1 python bench/calibrate_scoring.py models/<name> --workers 2

The bundle must be exported (model.onnx). Uses the refstream-v1 SM files; prints a markdown table with ratios.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from adtrigger.bundle import load_bundle
from adtrigger.bundle.scoring import Scorer
from adtrigger.refdata import refstream_dir
from adtrigger.training.calibration.scoring import score_plan
from adtrigger.training.calibration.sources import plan
from adtrigger.training.stream.io import read_events

REFSTREAM = refstream_dir()
SM = [REFSTREAM / f"{p}.h5" for p in ("W_lnu", "QCD", "Z_ll", "ttbar")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--shard-events", type=int, default=50_000)
    args = ap.parse_args()
    b = load_bundle(args.bundle)
    sha = b.card["files"]["model.onnx"]["sha256"]
    x = [read_events(f).flat for f in SM]
    n = sum(len(v) for v in x)
    rows = []
    scorer = Scorer(b)
    t0 = time.perf_counter()
    for v in x:
        scorer.score(v)
    rows.append(("Scorer, events in memory", time.perf_counter() - t0))
    p = plan(b.card, SM, [], seed=1, shard_events=args.shard_events)
    for label, workers in (("shards in this process", 0), (f"shards on Dask, {args.workers} workers", args.workers)):
        t0 = time.perf_counter()
        score_plan(p, str(b.path), sha, b.card["kind"], workers=workers)
        rows.append((label, time.perf_counter() - t0))
    print(f"machine: {platform.machine()}, python {platform.python_version()}, {n} SM events, "
          f"{len(p.sm)} shards of <= {args.shard_events}")  # fmt: skip
    print("| path | seconds | events/s | vs Scorer in memory |")
    print("| --- | ---: | ---: | ---: |")
    for label, dt in rows:
        print(f"| {label} | {dt:.2f} | {n / dt:,.0f} | {rows[0][1] / dt:.2f}x |")


if __name__ == "__main__":
    main()
