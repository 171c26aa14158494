"""Where the shared reference stream refstream-v1 lies: one place for the tests, benchmarks and firmware checks.

``ADTRIGGER_REFSTREAM`` points at any folder of the same files (e.g. one made by ``adtrigger refstream``); the
default is ``shared/data/refstream-v1`` beside the checkout, where the project's own machines keep it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "ADTRIGGER_REFSTREAM"
CHECKOUT = Path(__file__).resolve().parents[1]


def refstream_dir() -> Path:
    """The refstream-v1 folder (it may not exist: check ``refstream_missing``)."""
    env = os.environ.get(ENV)
    return Path(env).expanduser() if env else CHECKOUT.parent / "shared" / "data" / "refstream-v1"


def refstream_missing() -> str | None:
    """None when refstream-v1 is there, else one sentence saying where it was looked for and how to make it."""
    where = refstream_dir()
    if (where / "W_lnu.h5").is_file():
        return None
    return (f"refstream-v1 not found at {where}: set {ENV} to a folder of its files, or make an equivalent one "
            f"with `adtrigger refstream --out DIR` (README: 'Data')")  # fmt: skip


ZEROBIAS_ENV = "ADTRIGGER_ZEROBIAS"


def zerobias_dir() -> Path:
    """The zerobias-v1 folder (zero-bias crossings at several pileups and the signals under pileup 60; made by
    ``scripts/zerobias_v1.sh``), ``ADTRIGGER_ZEROBIAS`` or ``shared/data/zerobias-v1`` beside the checkout."""
    env = os.environ.get(ZEROBIAS_ENV)
    return Path(env).expanduser() if env else CHECKOUT.parent / "shared" / "data" / "zerobias-v1"


def zerobias_missing() -> str | None:
    """None when zerobias-v1 is there, else one sentence saying where it was looked for and how to make it."""
    where = zerobias_dir()
    if (where / "MinBias_pu60.h5").is_file():
        return None
    return (f"zerobias-v1 not found at {where}: set {ZEROBIAS_ENV} to a folder of its files, or make it with "
            "`bash scripts/zerobias_v1.sh DIR` (README: 'Data')")  # fmt: skip
