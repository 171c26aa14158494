"""The main job's first stage on the embedded default: a small SM stream and the four benchmark signals."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from adtrigger.training.stream.cards import SIGNALS, SM_PROCESSES
from adtrigger.training.stream.cocktail import mix, sigma_pass_pb
from adtrigger.training.stream.generator import generate_builtin
from adtrigger.training.stream.io import write_events
from adtrigger.training.stream.summary import plot_distributions, shares_table, summary_table

# Preselected events per process at scale 1: about a minute and a half on 2 cores (rates in docs/events.md).
# QCD is the slowest (~1 % pass); h+- passes the lepton preselection ~3 % of the time.
DEFAULT_EVENTS = {
    "W_lnu": 4000,
    "QCD": 600,
    "Z_ll": 1000,
    "ttbar": 400,
    "A_4l_m50": 500,
    "LQ_btau_m80": 500,
    "h0_tautau_m60": 500,
    "hplus_taunu_m60": 500,
}


def run_demo(out: Path, *, scale: float = 1.0, seed: int = 1, workers: int | None = None, force: bool = False) -> Path:
    """Generate, mix and summarise; returns the path of the markdown summary."""
    out = Path(out)
    report = out / "events.md"
    if report.exists() and not force:
        raise FileExistsError(f"{out} holds a finished run; use --force to redo it")
    start = time.perf_counter()
    shards = out / ".shards"  # finished shards, reused if the run is interrupted; removed once it completes
    counts = {n: DEFAULT_EVENTS[n] for n in SM_PROCESSES + SIGNALS}
    by_name = generate_builtin(counts, seed, scale=scale, shard_dir=shards, shard_events=250, workers=workers)
    seconds = time.perf_counter() - start
    samples = list(by_name.values())
    events_dir = out / "events"
    events_dir.mkdir(parents=True, exist_ok=True)
    for name, sample in by_name.items():
        write_events(sample, events_dir / f"{name}.h5", force=True)
    sm = [by_name[n] for n in SM_PROCESSES]
    sigma_pass = {n: sigma_pass_pb(by_name[n]) for n in SM_PROCESSES}
    cocktail = mix(sm)
    write_events(cocktail, events_dir / "sm_cocktail.h5", force=True)
    plot_distributions(samples, out / "events.png")

    rates = [
        f"| {n} | {len(s)} | {s.manifest['n_generated']} | {s.manifest['pass_fraction']:.4g} | "
        f"{s.manifest['sigma_gen_pb']:.4g} | {len(s) / sum(s.manifest['generation_seconds']):.1f} |"
        for n, s in by_name.items()
    ]
    text = "\n\n".join(
        [
            f"# SM stream and benchmark signals (seed {seed}, scale {scale})",
            f"Generated in {seconds:.0f} s of wall time.",
            "| process | events | generated | pass fraction | σ_gen [pb] | preselected ev/s per core |\n"
            "| --- | --- | --- | --- | --- | --- |\n" + "\n".join(rates),
            "## SM cocktail (weighted to seed-004's fractions)",
            shares_table(cocktail, {k: v for k, v in sigma_pass.items() if v is not None}),
            "## Physics sanity",
            summary_table(samples),
            "![distributions](events.png)",
        ]
    )
    report.write_text(text + "\n")
    shutil.rmtree(shards, ignore_errors=True)
    print(text, flush=True)
    return report
