"""An equivalent of the reference stream refstream-v1, made with this project's own generator.

refstream-v1 (``../shared/data/refstream-v1``) is shared data that a clone from a public host does not have. The
same processes, cards and preselected event counts regenerated here give a statistically equivalent stream (not the
same events: the seeding and the QCD p̂T biasing differ; docs/events.md compares the two). Every file is named as in
refstream-v1, so the configs, tests and firmware verification take the folder unchanged (``ADTRIGGER_REFSTREAM``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from adtrigger.training.stream.generator import generate_builtin
from adtrigger.training.stream.io import write_events

# Preselected events per file of refstream-v1 (its README), in its order: the four SM processes, then the signals.
REFSTREAM_EVENTS = {
    "W_lnu": 300_914,
    "QCD": 38_301,
    "Z_ll": 60_345,
    "ttbar": 20_079,
    "A_4l_m50": 30_021,
    "LQ_btau_m80": 30_065,
    "h0_tautau_m60": 30_051,
    "hplus_taunu_m60": 30_039,
}


def generate_reference(
    out: Path,
    *,
    scale: float = 1.0,
    seed: int = 2026,
    workers: int | None = None,
    scheduler: str | None = None,
    shard_events: int = 2000,
    force: bool = False,
) -> list[Path]:
    """Write the eight files of refstream-v1 (event counts × ``scale``) into ``out``; returns their paths.

    Finished shards stay in ``out/.shards`` until every file is written, so an interrupted run resumes.
    """
    out = Path(out)
    paths = [out / f"{name}.h5" for name in REFSTREAM_EVENTS]
    if not force and (existing := [p for p in paths if p.exists()]):
        raise FileExistsError(f"{existing[0]} exists; use --force to overwrite")
    shards = out / ".shards"
    by_name = generate_builtin(REFSTREAM_EVENTS, seed, scale=scale, shard_dir=shards, shard_events=shard_events,
                               workers=workers, scheduler=scheduler)  # fmt: skip
    for sample, path in zip(by_name.values(), paths, strict=True):
        write_events(sample, path, force=True)
    shutil.rmtree(shards, ignore_errors=True)
    return paths
