"""Where the shared reference stream refstream-v1 lies: one place for the tests, benchmarks and firmware checks.

``ADTRIGGER_REFSTREAM`` points at any folder of the same files (e.g. one made by ``adtrigger refstream``); the
default is ``shared/data/refstream-v1`` beside the checkout, where the project's own machines keep it.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "ADTRIGGER_REFSTREAM"
CHECKOUT = Path(__file__).resolve().parents[1]


def _shared_dir(env: str, name: str) -> Path:
    """``$env`` when set, else ``shared/data/<name>`` beside the checkout (it may not exist)."""
    value = os.environ.get(env)
    return Path(value).expanduser() if value else CHECKOUT.parent / "shared" / "data" / name


def _missing(where: Path, marker: str, name: str, env: str, make: str) -> str | None:
    """None when ``where/marker`` exists, else one sentence saying where ``name`` was looked for and how to make it."""
    if (where / marker).is_file():
        return None
    return f"{name} not found at {where}: set {env} to a folder of its files, or {make} (README: 'Data')"


def refstream_dir() -> Path:
    """The refstream-v1 folder (it may not exist: check ``refstream_missing``)."""
    return _shared_dir(ENV, "refstream-v1")


def refstream_missing() -> str | None:
    """None when refstream-v1 is there, else one sentence saying where it was looked for and how to make it."""
    return _missing(refstream_dir(), "W_lnu.h5", "refstream-v1", ENV,
                    "make an equivalent one with `adtrigger refstream --out DIR`")  # fmt: skip


ZEROBIAS_ENV = "ADTRIGGER_ZEROBIAS"


def zerobias_dir() -> Path:
    """The zerobias-v1 folder (zero-bias crossings at several pileups and the signals under pileup 60; made by
    ``scripts/zerobias_v1.sh``), ``ADTRIGGER_ZEROBIAS`` or ``shared/data/zerobias-v1`` beside the checkout."""
    return _shared_dir(ZEROBIAS_ENV, "zerobias-v1")


def zerobias_missing() -> str | None:
    """None when zerobias-v1 is there, else one sentence saying where it was looked for and how to make it."""
    return _missing(zerobias_dir(), "MinBias_pu60.h5", "zerobias-v1", ZEROBIAS_ENV,
                    "make it with `bash scripts/zerobias_v1.sh DIR`")  # fmt: skip
