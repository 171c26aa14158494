"""Zero-bias generation with pileup: crossings/s per core and where the time goes, memory vs crossings, and the
soft-pool + hard-tail split checked against brute-force crossings of fresh nonDiffractive events.

    KERAS_BACKEND=torch python bench/zero_bias_generation.py            # ~6 min on one core
    KERAS_BACKEND=torch python bench/zero_bias_generation.py --no-check # throughput and memory only

One process, one core. The numbers go to docs/events.md, "Zero-bias streams with pileup".
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from adtrigger.bundle.layout import JET_ROWS
from adtrigger.training.stream import pileup as pu
from adtrigger.training.stream.cards import builtin_card
from adtrigger.training.stream.emulation import RecoParams
from adtrigger.training.stream.generator import build_sample, plan_shards, run_shard
from adtrigger.training.stream.io import write_events
from adtrigger.training.stream.towers import Deposits, TowerParams, emulate

SEED = 77


def rss_mb() -> float:
    """Resident memory of this process now (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_mixture(params: pu.PileupParams, towers: TowerParams, seed: int = SEED) -> pu.Mixture:
    start = time.perf_counter()
    chunks = [
        pu.make_pool_chunk(n, s, params.pthat_cut, towers, params.pool_max_pt) for n, s in pu.pool_plan(params, seed)
    ]
    return pu.build_mixture(params, seed, chunks, time.perf_counter() - start, towers)


def throughput(args, towers: TowerParams) -> None:
    params = pu.PileupParams(mu=args.mu, pool_size=args.pool_size, pthat_cut=args.cut)
    mix = make_mixture(params, towers)
    per_int = mix.seconds / len(mix.pool)
    print(f"\n## pool: {len(mix.pool)} soft interactions (pTHat < {args.cut:g} GeV) in {mix.seconds:.1f} s "
          f"({1e3 * per_int:.2f} ms each, Pythia init and sigma_hard included); "
          f"{len(mix.pool.tower) / len(mix.pool):.0f} tower deposits per interaction, "
          f"{sum(a.nbytes for a in vars(mix.pool).values()) / 1e6:.0f} MB")  # fmt: skip
    print(
        f"f = sigma_hard / sigma_ND = {mix.f_sigma:.5f} +- {mix.f_sigma_err:.5f}; counted in the pool run "
        f"{mix.f_pool:.5f} +- {mix.f_pool_err:.5f}; hardest pool jets alone {mix.pool_lead_jets} GeV"
    )
    res = pu.run_crossings(None, args.crossings, 0, 0, args.mu, mix, pu.derived_seed(SEED, pu.HARD_STREAM, 0),
                           pu.mixing_rng(SEED, 0), towers, lepton_ptmin=None)  # fmt: skip
    t = res.times
    with tempfile.TemporaryDirectory() as tmp:
        from adtrigger.training.stream.sample import EventSample

        sample = EventSample(particles=res.particles, process=np.zeros(len(res.weight)), process_names=("MinBias",),
                             weight=res.weight, event_id=res.event_id, n_pileup=res.n_pileup)  # fmt: skip
        t0 = time.perf_counter()
        write_events(sample, Path(tmp) / "zb.h5")
        t["write"] = time.perf_counter() - t0
    n = args.crossings
    amortised = mix.seconds / 1e6
    steps = ("init", "hard_pythia", "hard", "mix", "emulate", "write")
    total = sum(t[k] for k in steps if k != "hard_pythia") + amortised * n
    print(
        f"\n## {n} crossings at mu = {args.mu:g} on one core: {n / total:.0f} crossings/s "
        f"(pool amortised over 10^6 crossings: {1e3 * amortised:.3f} ms/crossing)"
    )
    print(
        f"mean pileup {res.n_pileup.mean():.2f}, hard-tail interactions {res.n_hard_generated} "
        f"({res.n_hard_generated / n:.3f} per crossing), pool reuse here {res.n_soft_drawn / len(mix.pool):.1f}"
    )
    print("| step | seconds | ms / crossing | share |\n| --- | ---: | ---: | ---: |")
    rows = [("Pythia init (per shard)", t["init"]), ("hard tail: Pythia", t["hard_pythia"]),
            ("hard tail: tower deposits", t["hard"] - t["hard_pythia"]), ("mixing (draws, concat)", t["mix"]),
            *[(f"emulation: {k[8:]}", v) for k, v in t.items() if k.startswith("emulate_")],
            ("writing (HDF5, gzip)", t["write"]), ("pool (amortised, 10^6 crossings)", amortised * n)]  # fmt: skip
    for name, sec in rows:
        print(f"| {name} | {sec:.2f} | {1e3 * sec / n:.3f} | {100 * sec / total:.0f} % |")
    print(f"| total | {total:.2f} | {1e3 * total / n:.3f} | 100 % |")
    memory(args, mix, towers)


def memory(args, mix: pu.Mixture, towers: TowerParams) -> None:
    """RSS after each shard of crossings, as a worker runs them (the client keeps only the (n, 19, 3) results)."""
    params = pu.PileupParams(mu=args.mu, pool_size=args.pool_size, pthat_cut=args.cut)
    specs = plan_shards(builtin_card("MinBias"), args.memory_shards * args.shard, SEED, args.shard, RecoParams(),
                        pileup=params, towers=towers)  # fmt: skip
    results, line = [], []
    for spec in specs:
        results.append(run_shard(spec, mixture=mix))
        line.append(f"{(spec.index + 1) * args.shard}: {rss_mb():.0f}")
    sample = build_sample(specs, results, mix)
    print(f"\n## RSS (MB) after N crossings, shards of {args.shard}: " + ", ".join(line))
    print(f"joined sample: {len(sample)} crossings, {sample.particles.nbytes / len(sample):.0f} bytes each in memory")


def _observables(objects: np.ndarray) -> dict[str, np.ndarray]:
    jets = objects[:, JET_ROWS, 0]
    ht = jets.sum(axis=1)  # jets above 15 GeV
    return {"lead jet > 25": jets[:, 0] > 25, "lead jet > 40": jets[:, 0] > 40, "HT > 50": ht > 50,
            "HT > 80": ht > 80, "MET > 25": objects[:, 0, 0] > 25, "lead e/γ > 10": objects[:, 1, 0] > 10}  # fmt: skip


def rate_check(args, towers: TowerParams) -> None:
    """Rates of crossings built with the split (several cuts) against brute force at a small mu."""
    mu = args.check_mu
    print(f"\n## split vs brute force at mu = {mu:g}")
    # brute force: every interaction a fresh nonDiffractive event (no cut, no reuse)
    t0 = time.perf_counter()
    nd = [pu.make_pool_chunk(args.brute_events // 4, pu.derived_seed(SEED + 1, 9, j), 1e9, towers) for j in range(4)]
    nd = Deposits.concat([c.deposits for c in nd])
    rng = np.random.default_rng(SEED + 2)
    counts = rng.poisson(mu, int(len(nd) / mu * 1.2))
    counts = counts[: np.searchsorted(np.cumsum(counts), len(nd), side="right")]
    offsets = np.concatenate([[0], np.cumsum(counts)])
    brute = _observables(emulate(nd, offsets, np.arange(offsets[-1]), rng, towers))
    print(
        f"brute force: {len(counts)} crossings from {offsets[-1]} fresh nonDiffractive events "
        f"({time.perf_counter() - t0:.0f} s)"
    )
    table = {"brute force": (brute, len(counts))}
    for cut in args.cuts:
        t0 = time.perf_counter()
        params = pu.PileupParams(mu=mu, pool_size=args.check_pool, pthat_cut=cut)
        mix = make_mixture(params, towers, SEED + 3)
        res = pu.run_crossings(None, args.check_crossings, 0, 0, mu, mix, pu.derived_seed(SEED + 3, 2, 0),
                               np.random.default_rng(SEED + 4), towers, lepton_ptmin=None)  # fmt: skip
        table[f"split, cut {cut:g} GeV"] = (_observables(res.particles), args.check_crossings)
        print(
            f"split at {cut:g} GeV: f = {mix.f_sigma:.5f} +- {mix.f_sigma_err:.5f} (counted {mix.f_pool:.5f} +- "
            f"{mix.f_pool_err:.5f}), pool {len(mix.pool)} reused {res.n_soft_drawn / len(mix.pool):.1f}x, "
            f"{res.n_hard_generated} hard, {time.perf_counter() - t0:.0f} s; hardest pool jets {mix.pool_lead_jets}"
        )
    names = list(brute)
    print("| crossings | N | " + " | ".join(names) + " |\n| --- | ---: |" + " ---: |" * len(names))
    for label, (obs, n) in table.items():
        cells = [f"{obs[k].mean():.2e} ± {np.sqrt(obs[k].sum()) / n:.1e}" for k in names]
        print(f"| {label} | {n} | " + " | ".join(cells) + " |")
    ref, n_ref = table["brute force"]
    for label, (obs, n) in table.items():
        if label == "brute force":
            continue
        pulls = [(obs[k].mean() - ref[k].mean()) / np.hypot(np.sqrt(obs[k].sum()) / n, np.sqrt(ref[k].sum()) / n_ref)
                 for k in names]  # fmt: skip
        print(f"pulls ({label} - brute) / sigma: " + ", ".join(f"{p:+.1f}" for p in pulls))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mu", type=float, default=60.0)
    ap.add_argument("--crossings", type=int, default=3000)
    ap.add_argument("--pool-size", type=int, default=20_000)
    ap.add_argument("--cut", type=float, default=25.0)
    ap.add_argument("--pus", choices=("donut", "none"), default="donut")
    ap.add_argument("--shard", type=int, default=1000, help="crossings per shard in the memory probe")
    ap.add_argument("--memory-shards", type=int, default=4)
    ap.add_argument("--no-check", action="store_true", help="skip the split-vs-brute-force rate check")
    ap.add_argument("--check-mu", type=float, default=5.0)
    ap.add_argument("--brute-events", type=int, default=60_000, help="fresh nonDiffractive events, brute force")
    ap.add_argument("--check-crossings", type=int, default=60_000)
    ap.add_argument("--check-pool", type=int, default=10_000)
    ap.add_argument("--cuts", type=float, nargs="*", default=[15.0, 25.0])
    args = ap.parse_args()
    towers = replace(TowerParams(), jet_pus=args.pus, eg_pu="rho" if args.pus == "donut" else "none")
    print("$ " + " ".join(["python", *sys.argv]))
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    throughput(args, towers)
    if not args.no_check:
        rate_check(args, towers)


if __name__ == "__main__":
    main()
