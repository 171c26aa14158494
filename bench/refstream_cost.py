"""Benchmark: the CPU cost of regenerating refstream-v1 (``adtrigger refstream``), from a fraction of it.

    python bench/refstream_cost.py --scale 0.01

Generates ``scale`` × refstream-v1's event counts in this process (one core) and prints the CPU seconds it took and
the extrapolation to the whole stream. CPU time, not wall time, so a busy machine changes it little; each process
pays Pythia's initialisation once per shard, so a small scale slightly overstates the cost.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from adtrigger.training.stream.reference import REFSTREAM_EVENTS, generate_reference


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=0.01, help="fraction of refstream-v1's event counts")
    args = ap.parse_args()
    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        generate_reference(Path(tmp), scale=args.scale, workers=1)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = sum(max(10, round(v * args.scale)) for v in REFSTREAM_EVENTS.values())
    full = cpu / args.scale
    print(f"scale {args.scale}: {n} events, {cpu:.0f} CPU s ({wall:.0f} s wall)")
    print(f"whole stream ({sum(REFSTREAM_EVENTS.values())} events): {full / 3600:.2f} core-hours, "
          f"{full / 2 / 60:.0f} min on 2 cores, {full / 16 / 60:.0f} min on 16")  # fmt: skip


if __name__ == "__main__":
    main()
