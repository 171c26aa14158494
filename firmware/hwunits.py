"""L1 hardware units of the (pT, eta, phi) inputs: what the firmware receives, and the exact map to and from GeV and
radians.

Every input enters the firmware as a signed 16-bit integer (the service's int16 wire format) in a unit that is a
power of two, so that converting to the model's physical units is a wire shift, never a multiplier:

    pT      LSB 2**-2 GeV = 0.25 GeV  (the L1 pT granularity refstream-v1 already has; 2048 GeV = 8192 counts)
    eta     LSB 2**-7     ~ 0.0078    (finer than CMS's hwEta 0.0109 and refstream's 0.01; |eta| <= 5 = 640)
    phi     LSB 2**-7 rad ~ 0.0078    (finer than CMS's 2 pi / 576 = 0.0109; |phi| <= float32(pi): 402 counts)

``x_physical = hw * LSB`` exactly (float32 holds every value), so software fed ``from_hardware(hw)`` and firmware fed
``hw`` see the same event. Digitising a float event (``to_hardware``) rounds eta/phi by at most 2**-8 (0.004), and
keeps the overflow decision: an input beyond the full scale, or not a number (NaN, +-inf), becomes a count beyond
the hardware full scale, so the firmware's overflow bit is ``training.vae.input_overflow`` of the float event itself
(an input just above the edge does not round back into range).
The preprocessing ``(x - offset) * 2**-shift`` becomes ``(hw - offset / LSB) * 2**-(shift + log2 1/LSB)``: an
integer subtraction and a binary point moved, exact as long as the offsets lie on the LSB grid (pT offsets are
multiples of 0.25 GeV; eta/phi offsets are 0 by default, see ``training/preprocess.py``).
"""

from __future__ import annotations

import numpy as np

from adtrigger.bundle.layout import L1_FULL_SCALE as FULL_SCALE  # the one definition, shared with the training side

LSB_BITS = {"pt": 2, "eta": 7, "phi": 7}  # LSB = 2**-bits in GeV or rad
HW_BITS = 16  # signed integer per input
HW_MIN, HW_MAX = -(2 ** (HW_BITS - 1)), 2 ** (HW_BITS - 1) - 1


def _kinds(n_inputs: int) -> tuple[str, ...]:
    if n_inputs % 3:
        raise ValueError(f"the L1 layout has (pT, eta, phi) per object; got {n_inputs} inputs")
    return ("pt", "eta", "phi") * (n_inputs // 3)


def lsb_bits(n_inputs: int = 57) -> np.ndarray:
    """(n,) int: the LSB of input i is 2**-lsb_bits[i]."""
    return np.array([LSB_BITS[k] for k in _kinds(n_inputs)], dtype=np.int64)


def _full_scale(n_inputs: int) -> tuple[np.ndarray, np.ndarray]:
    kinds = _kinds(n_inputs)
    return np.array([FULL_SCALE[k][0] for k in kinds]), np.array([FULL_SCALE[k][1] for k in kinds])


def to_hardware(x: np.ndarray) -> np.ndarray:
    """(N, n) int16 hardware counts of physical inputs (N, n): round half up; an input inside the full scale stays
    inside the hardware full scale, one beyond it (or NaN, +-inf) lands beyond it (NaN at the int16 maximum), and
    counts saturate at the int16 range, far beyond the full scale: the overflow bit of the counts is the
    software's overflow decision of ``x``."""
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[-1]
    with np.errstate(invalid="ignore"):
        hw = np.floor(np.ldexp(x, lsb_bits(n)) + 0.5)
    lo, hi = _full_scale(n)
    hw_lo, hw_hi = full_scale_hw(n)
    inside = (x >= lo) & (x <= hi)
    hw = np.where(inside, np.clip(hw, hw_lo, hw_hi), hw)
    hw = np.where(x > hi, np.maximum(hw, hw_hi + 1), hw)
    hw = np.where(x < lo, np.minimum(hw, hw_lo - 1), hw)
    hw = np.where(np.isnan(x), HW_MAX, hw)
    return np.clip(hw, HW_MIN, HW_MAX).astype(np.int16)


def from_hardware(hw: np.ndarray) -> np.ndarray:
    """(N, n) float32 physical inputs of hardware counts (exact)."""
    hw = np.asarray(hw)
    return np.ldexp(hw.astype(np.float64), -lsb_bits(hw.shape[-1])).astype(np.float32)


def full_scale_hw(n_inputs: int = 57) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) int (n,) each: ``lo <= hw <= hi`` exactly when ``from_hardware(hw)`` lies in the L1 full scale, so
    the firmware's overflow bit equals ``training.vae.input_overflow`` of the same event."""
    lo, hi = _full_scale(n_inputs)
    bits = lsb_bits(n_inputs)
    return np.ceil(np.ldexp(lo, bits)).astype(np.int64), np.floor(np.ldexp(hi, bits)).astype(np.int64)


def offsets_hw(offset: np.ndarray) -> np.ndarray:
    """(n,) int: preprocessing offsets in hardware counts; ValueError when one is not on its input's LSB grid."""
    offset = np.asarray(offset, dtype=np.float64)
    scaled = np.ldexp(offset, lsb_bits(len(offset)))
    off = np.round(scaled)
    bad = np.flatnonzero(off != scaled)
    if bad.size:
        raise ValueError(
            f"preprocessing offset of input {int(bad[0])} ({offset[bad[0]]}) is not on the hardware LSB grid "
            f"(2**-{int(lsb_bits(len(offset))[bad[0]])}); refit the preprocessing with offsets rounded to the grid"
        )
    return off.astype(np.int64)
