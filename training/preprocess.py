"""Hardware-friendly fixed preprocessing of the 57 L1 inputs, as CMS AXOL1TL does on chip.

Each input i is scaled as ``x' = (x - offset[i]) * 2**-shift[i]``: a subtraction and a power-of-two shift
(``(x - offset) >> shift`` in firmware), with no multiplier. The constants are fitted once on SM training data:

- ``offset[i]`` = the (cocktail-)weighted mean of input i, rounded to the L1 granularity of that input
  (0.25 GeV for pT, 0.01 for eta and phi) so the subtraction stays on the input grid. By default only pT
  inputs get an offset (``center="pt"``): eta and phi are symmetric about 0 by detector symmetry, and their
  fitted means in rarely filled slots are noise (e.g. -1.2 from a handful of events).
- ``shift[i]`` = round(log2(weighted std of input i)), so the scaled input has a std within a factor sqrt(2)
  of 1. Inputs with std below ``std_floor`` (constant ones such as the MET eta, or slots that are always
  empty) get shift 0 and pass unscaled.

The mean and std of an object's (pT, eta, phi) are taken over the events where that object is present
(pT > 0), not over the zero padding (``filled_only=True``, the default for the 57-input layout). Over all
events, a slot that is rarely filled (4th muon, 10th jet) has a tiny std, and its rare real values would be
blown up by up to 2^7 (measured on refstream-v1: scaled values of 300 and more) and dominate any loss. Over
filled slots every pT gets a shift near log2(its typical pT) and eta/phi a shift of 0 or 1; an empty slot's
pT then maps to ``-offset * 2**-shift`` (a distinct "absent" value, about -1 to -2).

numpy only: no keras import, so the scoring service and the firmware export can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

PT_GRANULARITY = 0.25  # GeV, L1 pT granularity (refstream-v1 rounds pT to it)
ANGLE_GRANULARITY = 0.01  # eta and phi
STD_FLOOR = 1e-3


def l1_granularity(n_inputs: int = 57) -> np.ndarray:
    """(n_inputs,) input granularity of the public layout: (pT, eta, phi) per object -> (0.25, 0.01, 0.01)."""
    if n_inputs % 3:
        raise ValueError(f"the L1 layout has 3 inputs per object, got {n_inputs} inputs")
    return np.tile(np.array([PT_GRANULARITY, ANGLE_GRANULARITY, ANGLE_GRANULARITY]), n_inputs // 3)


@dataclass
class Preprocessing:
    """Per-input offset and power-of-two shift: ``x' = (x - offset) * 2**-shift``."""

    offset: np.ndarray  # (n,) float64
    shift: np.ndarray  # (n,) int64; positive divides (right shift), negative multiplies

    def __post_init__(self) -> None:
        self.offset = np.asarray(self.offset, dtype=np.float64).reshape(-1)
        shift = np.asarray(self.shift)
        if shift.size and not np.all(np.equal(np.round(shift), shift)):
            raise ValueError("shift must be integers (powers of two)")
        self.shift = shift.astype(np.int64).reshape(-1)
        if self.offset.shape != self.shift.shape:
            raise ValueError(f"offset {self.offset.shape} and shift {self.shift.shape} differ in shape")
        if not np.isfinite(self.offset).all():
            raise ValueError("offset must be finite")

    @property
    def n_inputs(self) -> int:
        return len(self.offset)

    @property
    def scale(self) -> np.ndarray:
        """(n,) float64: 2**-shift, the multiplier equivalent to the shift."""
        return np.ldexp(1.0, -self.shift)

    def apply(self, x: np.ndarray) -> np.ndarray:
        """(N, n) float32 scaled inputs."""
        x = np.asarray(x, dtype=np.float32)
        if x.shape[-1] != self.n_inputs:
            raise ValueError(f"expected {self.n_inputs} inputs, got shape {x.shape}")
        return ((x - self.offset.astype(np.float32)) * self.scale.astype(np.float32)).astype(np.float32)

    def inverse(self, x_scaled: np.ndarray) -> np.ndarray:
        """(N, n) float32 inputs back in L1 units."""
        x_scaled = np.asarray(x_scaled, dtype=np.float64)
        return (x_scaled * np.ldexp(1.0, self.shift) + self.offset).astype(np.float32)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict of plain Python numbers."""
        return {
            "formula": "x' = (x - offset) * 2**-shift",
            "offset": [float(v) for v in self.offset],
            "shift": [int(v) for v in self.shift],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Preprocessing:
        return cls(offset=np.asarray(d["offset"], dtype=np.float64), shift=np.asarray(d["shift"], dtype=np.int64))

    @classmethod
    def identity(cls, n_inputs: int = 57) -> Preprocessing:
        return cls(offset=np.zeros(n_inputs), shift=np.zeros(n_inputs, dtype=np.int64))


def fit_preprocessing(
    x: np.ndarray,
    weight: np.ndarray | None = None,
    *,
    granularity: np.ndarray | None = None,
    std_floor: float = STD_FLOOR,
    filled_only: bool = True,
    center: str = "pt",
    rare_gain_bits: int | None = None,
    rare_fraction: float | None = None,
) -> Preprocessing:
    """Fit offsets and shifts on SM training inputs ``x`` (N, n) with per-event ``weight`` (cocktail weights).

    ``granularity`` (n,) defaults to the L1 layout's (0.25 GeV pT, 0.01 eta/phi); offsets are rounded to it.
    ``filled_only``: statistics of each object's three inputs over the events where its pT (every third input,
    starting at 0) is > 0; inputs of an object never present get offset 0 and shift 0.
    ``center``: "pt" offsets only the pT inputs (every third, from 0), "all" every input, "none" no input.
    ``rare_gain_bits``: bound the gain of a rarely filled input: its shift is the all-events one (small std, large
    gain: an object in a slot the SM seldom fills must move the encoder) but at most this many bits below the
    filled-only one (a gain of at most 2**rare_gain_bits over the filled-object scale).
    ``rare_fraction`` (with ``filled_only``): objects present in fewer than this (weighted) fraction of events take
    the all-events offset and shift instead (an empty slot stays 0; a present object enters with a large gain);
    common objects keep the filled-object statistics.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"x must be a non-empty (N, n) array, got shape {x.shape}")
    w = np.ones(len(x)) if weight is None else np.asarray(weight, dtype=np.float64)
    if w.shape != (len(x),) or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise ValueError("weight must be (N,) finite, non-negative, with a positive sum")
    if not np.isfinite(x).all():
        raise ValueError("x holds NaN or inf")
    g = l1_granularity(x.shape[1]) if granularity is None else np.asarray(granularity, dtype=np.float64)
    if g.shape != (x.shape[1],) or (g <= 0).any():
        raise ValueError(f"granularity must be ({x.shape[1]},) positive numbers")
    if filled_only:
        if x.shape[1] % 3:
            raise ValueError("filled_only needs the (pT, eta, phi) per object layout")
        ww = np.repeat(w[:, None] * (x[:, 0::3] > 0), 3, axis=1)  # (N, n) weight where the object is present
    else:
        ww = np.broadcast_to(w[:, None], x.shape)
    norm = ww.sum(axis=0)
    seen = norm > 0
    safe_norm = np.where(seen, norm, 1.0)
    mean = np.where(seen, (ww * x).sum(axis=0) / safe_norm, 0.0)
    std = np.where(seen, np.sqrt((ww * (x - mean) ** 2).sum(axis=0) / safe_norm), 0.0)
    if center not in ("pt", "all", "none"):
        raise ValueError(f"center must be 'pt', 'all' or 'none', got {center!r}")
    offset = np.round(mean / g) * g
    if center == "none":
        offset[:] = 0.0
    elif center == "pt":
        if x.shape[1] % 3:
            raise ValueError("center='pt' needs the (pT, eta, phi) per object layout")
        offset[np.arange(x.shape[1]) % 3 != 0] = 0.0
    offset[offset == 0] = 0.0  # no negative zeros in the JSON
    safe = np.where(std > std_floor, std, 1.0)
    shift = np.where(std > std_floor, np.round(np.log2(safe)), 0).astype(np.int64)
    if rare_fraction is not None:
        if not filled_only or not 0 <= rare_fraction <= 1:
            raise ValueError("rare_fraction needs filled_only=True and a value in [0, 1]")
        every = fit_preprocessing(x, w, granularity=g, std_floor=std_floor, filled_only=False, center=center)
        rare = norm / w.sum() < rare_fraction  # norm: the weight of the events where each object is present
        offset, shift = np.where(rare, every.offset, offset), np.where(rare, every.shift, shift)
    if rare_gain_bits is not None:
        if rare_gain_bits < 0:
            raise ValueError(f"rare_gain_bits must be >= 0, got {rare_gain_bits}")
        other = fit_preprocessing(x, w, granularity=g, std_floor=std_floor, filled_only=not filled_only, center=center)
        shift_filled, shift_all = (shift, other.shift) if filled_only else (other.shift, shift)
        shift = np.maximum(shift_all, shift_filled - rare_gain_bits)
        if filled_only:
            shift = np.minimum(shift, shift_filled)
    return Preprocessing(offset=offset, shift=shift)
