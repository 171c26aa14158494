"""Pythia 8 process cards: the built-in SM processes, benchmark signals and minimum bias, and user command files.

A card is a plain Pythia command file (``key = value`` lines, ``!`` or ``#`` comments), so a physicist adds a
new signal by writing one, with no code. The built-in cards are the ones checked in ``../shared/FACTS.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

SM_PROCESSES = ("W_lnu", "QCD", "Z_ll", "ttbar")
SIGNALS = ("A_4l_m50", "LQ_btau_m80", "h0_tautau_m60", "hplus_taunu_m60")
# Minimum bias for zero-bias streams and its hard tail (pileup.py); not part of the preselected SM cocktail.
MINBIAS = ("MinBias", "MinBias_hard")

# Short names a person types; the canonical names are refstream-v1's file names.
ALIASES = {
    "W": "W_lnu",
    "Z": "Z_ll",
    "TT": "ttbar",
    "TTBAR": "ttbar",
    "QCD": "QCD",
    "A4L": "A_4l_m50",
    "A": "A_4l_m50",
    "LQ": "LQ_btau_m80",
    "H0": "h0_tautau_m60",
    "HTAUTAU": "h0_tautau_m60",
    "HPLUS": "hplus_taunu_m60",
    "H+": "hplus_taunu_m60",
    "HTAUNU": "hplus_taunu_m60",
    "MINBIAS": "MinBias",
    "ZB": "MinBias",
    "ZEROBIAS": "MinBias",
}

# Lines the generator sets itself: a card must not fight over them.
RESERVED_KEYS = ("random:seed", "random:setseed", "main:numberofevents")


class CardError(ValueError):
    """A process card that cannot be used: unknown process, unreadable file, bad line."""


@dataclass(frozen=True)
class Card:
    """A named set of Pythia commands; ``lines`` excludes the common settings, which are added at run time."""

    name: str
    description: str
    lines: tuple[str, ...]
    source: str  # "builtin" or the file path

    def pythia_lines(self) -> list[str]:
        """Every command given to Pythia, common settings first (seeds are added per shard)."""
        return [*common_lines(), *self.lines]


def _parse(text: str, origin: str) -> tuple[str, tuple[str, ...]]:
    description, lines = "", []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line[0] in "!#":
            description = description or line[1:].strip()
            continue
        line = line.split("!", 1)[0].strip()
        if "=" not in line:
            raise CardError(f"{origin}: not a Pythia setting (expected 'Key = value'): {raw!r}")
        if line.split("=", 1)[0].strip().lower() in RESERVED_KEYS:
            raise CardError(f"{origin}: {line.split('=')[0].strip()} is set by the generator (use --seed)")
        lines.append(line)
    if not lines:
        raise CardError(f"{origin}: no Pythia settings in the card")
    return description, tuple(lines)


def _builtin_text(name: str) -> str:
    return resources.files("adtrigger.training.stream").joinpath("cards", f"{name}.cmnd").read_text()


def common_lines() -> tuple[str, ...]:
    """The settings every process shares (13 TeV, MPI off unless a card turns it on, long-lived hadrons stable)."""
    return _parse(_builtin_text("common"), "common.cmnd")[1]


def canonical_name(process: str) -> str:
    """The canonical process name for a name or alias, or CardError listing what is known."""
    if process in SM_PROCESSES + SIGNALS + MINBIAS:
        return process
    name = ALIASES.get(process.upper())
    if name is None:
        known = ", ".join(SM_PROCESSES + SIGNALS + MINBIAS)
        raise CardError(f"unknown process {process!r}; known: {known} (or give --card FILE)")
    return name


def builtin_card(process: str) -> Card:
    """The built-in card of a process name or alias."""
    name = canonical_name(process)
    description, lines = _parse(_builtin_text(name), f"{name}.cmnd")
    return Card(name=name, description=description, lines=lines, source="builtin")


def load_card(path: str | Path, name: str | None = None) -> Card:
    """A user's Pythia command file as a card; its name defaults to the file stem."""
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as err:
        raise CardError(f"cannot read card {path}: {err}") from err
    description, lines = _parse(text, str(path))
    return Card(name=name or path.stem, description=description or f"user card {path.name}", lines=lines,
                source=str(path))  # fmt: skip
