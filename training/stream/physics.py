"""Event-level physics quantities from L1 objects, for sanity checks, summaries and plots.

All functions take ``particles: (N, 19, 3)`` (pT, eta, phi) in the public layout; objects are massless.
"""

from __future__ import annotations

import numpy as np

from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MUON_ROWS


def n_objects(particles: np.ndarray, rows: slice) -> np.ndarray:
    """(N,) number of filled slots among ``rows``."""
    return np.count_nonzero(particles[:, rows, 0] > 0, axis=1)


def n_jets(particles: np.ndarray) -> np.ndarray:
    """(N,) number of jets."""
    return n_objects(particles, JET_ROWS)


def n_leptons(particles: np.ndarray) -> np.ndarray:
    """(N,) number of e/gamma plus muon candidates."""
    return n_objects(particles, EGAMMA_ROWS) + n_objects(particles, MUON_ROWS)


def pair_mass(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Invariant mass of two massless objects given as (..., 3) rows."""
    m2 = 2 * a[..., 0] * b[..., 0] * (np.cosh(a[..., 1] - b[..., 1]) - np.cos(a[..., 2] - b[..., 2]))
    return np.sqrt(np.maximum(m2, 0.0))


def dilepton_mass(particles: np.ndarray) -> np.ndarray:
    """(N,) mass of the two leading same-flavour leptons (muons first, else e/gamma); NaN where none."""
    out = np.full(len(particles), np.nan)
    for rows in (EGAMMA_ROWS, MUON_ROWS):  # muons win where both exist
        lep = particles[:, rows]
        ok = (lep[:, 0, 0] > 0) & (lep[:, 1, 0] > 0)
        out[ok] = pair_mass(lep[ok, 0], lep[ok, 1])
    return out


def leading_lepton(particles: np.ndarray) -> np.ndarray:
    """(N, 3) the highest-pT e/gamma or muon (zeros where none)."""
    cand = np.stack([particles[:, EGAMMA_ROWS.start], particles[:, MUON_ROWS.start]], axis=1)
    pick = np.argmax(cand[:, :, 0], axis=1)
    return cand[np.arange(len(particles)), pick]


def transverse_mass(particles: np.ndarray) -> np.ndarray:
    """(N,) M_T of the leading lepton and MET: sqrt(2 pT MET (1 - cos dphi))."""
    lep, met = leading_lepton(particles), particles[:, 0]
    return np.sqrt(np.maximum(2 * lep[:, 0] * met[:, 0] * (1 - np.cos(lep[:, 2] - met[:, 2])), 0.0))


def scalar_ht(particles: np.ndarray) -> np.ndarray:
    """(N,) scalar pT sum of every object but MET."""
    return particles[:, 1:, 0].sum(axis=1)


def histogram_peak(values: np.ndarray, lo: float, hi: float, width: float) -> float:
    """Centre of the most populated bin of ``values`` in [lo, hi)."""
    values = values[np.isfinite(values)]
    counts, edges = np.histogram(values, bins=np.arange(lo, hi + width, width))
    k = int(np.argmax(counts))
    return float(0.5 * (edges[k] + edges[k + 1]))
