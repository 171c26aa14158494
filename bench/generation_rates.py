"""Benchmark: preselected events per second per core for every built-in process (one Pythia, one core).

    python bench/generation_rates.py --seconds 30

Prints a markdown table; docs/events.md records the numbers with the command that made them.
"""

from __future__ import annotations

import argparse
import platform
import time

from adtrigger.training.stream.cards import SIGNALS, SM_PROCESSES, builtin_card
from adtrigger.training.stream.generator import ShardSpec, run_shard


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=30.0, help="rough time budget per process")
    ap.add_argument("--processes", nargs="*", default=list(SM_PROCESSES + SIGNALS))
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, python {platform.python_version()}")
    print("| process | preselected | generated | pass fraction | preselected ev/s | generated ev/s | ESS/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in args.processes:
        card = builtin_card(name)
        # a short probe sizes the run so that each process takes about --seconds
        probe = run_shard(ShardSpec(card=card, n_events=20, seed=99, index=0))
        n = max(20, int(20 * args.seconds / probe.seconds))
        t0 = time.perf_counter()
        r = run_shard(ShardSpec(card=card, n_events=n, seed=100, index=0))
        dt = time.perf_counter() - t0
        w = r.weight
        ess = w.sum() ** 2 / (w**2).sum()
        print(
            f"| {name} | {len(w)} | {r.n_generated} | {w.sum() / r.sum_weight_generated:.4f} | "
            f"{len(w) / dt:.1f} | {r.n_generated / dt:.0f} | {ess / dt:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
