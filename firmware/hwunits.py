"""L1 hardware units of the 57 inputs: what the firmware receives, and the exact map to and from GeV and radians.

Every input enters the firmware as a signed 16-bit integer (the service's int16 wire format) in a unit that is a
power of two, so that converting to the model's physical units is a wire shift, never a multiplier:

    pT      LSB 2**-2 GeV = 0.25 GeV  (the L1 pT granularity refstream-v1 already has; 2048 GeV = 8192 counts)
    eta     LSB 2**-7     ~ 0.0078    (finer than CMS's hwEta 0.0109 and refstream's 0.01; |eta| <= 5 = 640)
    phi     LSB 2**-7 rad ~ 0.0078    (finer than CMS's 2 pi / 576 = 0.0109; |phi| <= pi = 402 counts)

``x_physical = hw * LSB`` exactly (float32 holds every value), so software fed ``from_hardware(hw)`` and firmware fed
``hw`` see the same event. Digitising a float event (``to_hardware``) rounds eta/phi by at most 2**-8 (0.004).
The preprocessing ``(x - offset) * 2**-shift`` becomes ``(hw - offset / LSB) * 2**-(shift + log2 1/LSB)``: an
integer subtraction and a binary point moved, exact as long as the offsets lie on the LSB grid (pT offsets are
multiples of 0.25 GeV; eta/phi offsets are 0 by default, see ``training/preprocess.py``).
"""

from __future__ import annotations

import numpy as np

LSB_BITS = {"pt": 2, "eta": 7, "phi": 7}  # LSB = 2**-bits in GeV or rad
HW_BITS = 16  # signed integer per input
HW_MIN, HW_MAX = -(2 ** (HW_BITS - 1)), 2 ** (HW_BITS - 1) - 1
# The L1 full scale (training.vae.L1_FULL_SCALE), repeated here so the service side needs no training import.
FULL_SCALE = {"pt": (0.0, 2048.0), "eta": (-5.0, 5.0), "phi": (-np.pi, np.pi)}


def _kinds(n_inputs: int) -> tuple[str, ...]:
    if n_inputs % 3:
        raise ValueError(f"the L1 layout has (pT, eta, phi) per object; got {n_inputs} inputs")
    return ("pt", "eta", "phi") * (n_inputs // 3)


def lsb_bits(n_inputs: int = 57) -> np.ndarray:
    """(n,) int: the LSB of input i is 2**-lsb_bits[i]."""
    return np.array([LSB_BITS[k] for k in _kinds(n_inputs)], dtype=np.int64)


def to_hardware(x: np.ndarray) -> np.ndarray:
    """(N, n) int16 hardware counts of physical inputs (N, n): round half up, saturate at the int16 range
    (far beyond the full scale, so a saturated count still raises the overflow bit)."""
    x = np.asarray(x, dtype=np.float64)
    hw = np.floor(np.ldexp(x, lsb_bits(x.shape[-1])) + 0.5)
    return np.clip(hw, HW_MIN, HW_MAX).astype(np.int16)


def from_hardware(hw: np.ndarray) -> np.ndarray:
    """(N, n) float32 physical inputs of hardware counts (exact)."""
    hw = np.asarray(hw)
    return np.ldexp(hw.astype(np.float64), -lsb_bits(hw.shape[-1])).astype(np.float32)


def full_scale_hw(n_inputs: int = 57) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) int (n,) each: ``lo <= hw <= hi`` exactly when ``from_hardware(hw)`` lies in the L1 full scale, so
    the firmware's overflow bit equals ``training.vae.input_overflow`` of the same event."""
    kinds = _kinds(n_inputs)
    bits = lsb_bits(n_inputs)
    lo = np.array([np.ceil(np.ldexp(FULL_SCALE[k][0], b)) for k, b in zip(kinds, bits, strict=True)])
    hi = np.array([np.floor(np.ldexp(FULL_SCALE[k][1], b)) for k, b in zip(kinds, bits, strict=True)])
    return lo.astype(np.int64), hi.astype(np.int64)


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
