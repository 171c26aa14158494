"""Benchmark: ms per crossing of the tower L1 emulation at pileup mu, on a pool of real Pythia minimum bias.

    python bench/tower_emulation.py --pool 2000 --crossings 2000 --mu 60

One process, one core (plain numpy, no threads). Prints the command and the results first: deposits_from_batch
per interaction, then per crossing the members' sum and quantisation, jets, e/gamma, MET and packing;
docs/events.md records them.
"""

from __future__ import annotations

import argparse
import platform
import shlex
import sys
import time

import numpy as np

from adtrigger.training.stream.cards import common_lines
from adtrigger.training.stream.emulation import ParticleTable
from adtrigger.training.stream.towers import Deposits, TowerParams, deposits_from_batch, emulate_timed

MINBIAS = ("SoftQCD:nonDiffractive = on", "PartonLevel:MPI = on")


def minbias_pool(n: int, seed: int, params: TowerParams, batch: int = 200) -> tuple[Deposits, float, float]:
    """``n`` minimum-bias interactions as Deposits; also the CPU seconds spent in Pythia and in deposits_from_batch."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in [*common_lines(), *MINBIAS, "Random:setSeed = on", f"Random:seed = {seed}"]:
        if not pythia.readString(line):
            raise RuntimeError(f"Pythia rejects {line!r}")
    if not pythia.init():
        raise RuntimeError("Pythia failed to initialise")
    table = ParticleTable(pythia.particleData)
    parts, t_gen, t_dep = [], 0.0, 0.0
    while sum(len(p) for p in parts) < n:
        t0 = time.process_time()
        events = pythia.nextBatch(min(batch, n - sum(len(p) for p in parts)))
        t1 = time.process_time()
        parts.append(deposits_from_batch(events, table, params))
        t_gen, t_dep = t_gen + t1 - t0, t_dep + time.process_time() - t1
    return Deposits.concat(parts), t_gen, t_dep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pool", type=int, default=2000, help="minimum-bias interactions in the pool")
    ap.add_argument("--crossings", type=int, default=2000)
    ap.add_argument("--mu", type=float, default=60.0, help="mean interactions per crossing (Poisson)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    params = TowerParams()

    pool, t_gen, t_dep = minbias_pool(args.pool, args.seed, params)
    rng = np.random.default_rng(args.seed)
    counts = rng.poisson(args.mu, args.crossings)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    members = rng.integers(0, len(pool), int(offsets[-1]))
    emulate_timed(pool, offsets[:65], members, rng, params)  # warm-up
    times: dict[str, float] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    out = emulate_timed(pool, offsets, members, rng, params, times)
    wall, total = time.perf_counter() - t0, time.process_time() - c0

    ms = {k: 1e3 * v / args.crossings for k, v in times.items()}
    print("$ python " + shlex.join(sys.argv))
    print(f"machine: {platform.machine()}, python {platform.python_version()}, numpy {np.__version__}, one core")
    print(f"pool: {len(pool)} Pythia minimum-bias interactions ({', '.join(MINBIAS)}), "
          f"{np.diff(pool.offsets).mean():.0f} tower deposits each")  # fmt: skip
    print(f"  Pythia:              {1e3 * t_gen / len(pool):.3f} ms per interaction")
    print(f"  deposits_from_batch: {1e3 * t_dep / len(pool):.3f} ms per interaction")
    print(f"crossings: {args.crossings}, Poisson mu = {args.mu:g} (mean {counts.mean():.1f} members)")
    print("CPU time (time.process_time; wall time in the last row)")
    print("| step | ms / crossing |")
    print("| --- | ---: |")
    for name, label in (("sum", "members' sum + quantise"), ("jets", "jets"), ("egamma", "e/gamma"),
                        ("met", "MET"), ("pack", "packing")):  # fmt: skip
        print(f"| {label} | {ms.get(name, 0.0):.3f} |")
    print(f"| **emulate total** | **{1e3 * total / args.crossings:.3f}** |")
    print(f"| emulate total, wall | {1e3 * wall / args.crossings:.3f} |")
    # the project's goal, 300 crossings/s per core, leaves this much for fresh interactions (Pythia + deposits)
    spare = 1e3 / 300 - 1e3 * total / args.crossings
    fresh = spare / (1e3 * (t_gen + t_dep) / len(pool))
    print(f"at 300 crossings/s: {spare:.2f} ms per crossing left = {fresh:.2f} fresh interactions, "
          f"so each pool interaction must serve >= {args.mu / fresh:.0f} crossings at mu {args.mu:g}")  # fmt: skip
    n_jets = (out[:, 9:, 0] > 30).sum(1).mean()
    print(f"physics: <MET> {out[:, 0, 0].mean():.1f} GeV (std {out[:, 0, 0].std():.1f}), "
          f"<n jets > 30 GeV> {n_jets:.2f}, <n e/gamma> {(out[:, 1:5, 0] > 0).sum(1).mean():.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
