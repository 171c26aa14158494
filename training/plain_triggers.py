"""The plain L1 triggers the anomaly score must beat, as scores on the raw (N, 57) L1 inputs.

A cut ``score >= threshold`` on each of these is a conventional L1 seed: MET, S_T (the scalar sum of every object's
pT, MET included) and the leading lepton's pT (the higher of the leading e/gamma and the leading muon). Judged by the
same code as the VAE (:mod:`training.report`), the best of them at each FPR, with the AE, is the bar the model must
clear. Layout (:mod:`adtrigger.bundle.layout`): 19 objects x (pT, eta, phi), row 0 MET, rows 1-4 e/gamma, 5-8 muons,
9-18 jets, zero-padded; flat index ``3 * object + {0 pT, 1 eta, 2 phi}``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from adtrigger.bundle.layout import EGAMMA_ROWS, MET_ROWS, MUON_ROWS, N_FEATURES_PER_OBJECT, N_L1_INPUTS, N_OBJECTS

MET = "MET"
SCALAR_SUM_PT = "S_T"
LEADING_LEPTON_PT = "leading lepton pT"


def _pt(x: np.ndarray) -> np.ndarray:
    """(N, 19) object pTs of (N, 57) flat or (N, 19, 3) inputs, float64 so sums do not round."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] == N_L1_INPUTS:
        x = x.reshape(len(x), N_OBJECTS, N_FEATURES_PER_OBJECT)
    if x.ndim != 3 or x.shape[1:] != (N_OBJECTS, N_FEATURES_PER_OBJECT):
        raise ValueError(f"L1 inputs must be (N, {N_L1_INPUTS}) or (N, {N_OBJECTS}, 3), got {x.shape}")
    return x[:, :, 0]


def met(x: np.ndarray) -> np.ndarray:
    """(N,) missing transverse energy: input 0."""
    return _pt(x)[:, MET_ROWS.start]


def scalar_sum_pt(x: np.ndarray) -> np.ndarray:
    """(N,) S_T: every object's pT summed, MET included (empty slots are zero and add nothing)."""
    return _pt(x).sum(axis=1)


def leading_lepton_pt(x: np.ndarray) -> np.ndarray:
    """(N,) the higher of the leading e/gamma and the leading muon pT; 0 without either. A max over the slots, so it
    does not rely on the pT ordering."""
    pt = _pt(x)
    return np.maximum(pt[:, EGAMMA_ROWS].max(axis=1), pt[:, MUON_ROWS].max(axis=1))


PLAIN_TRIGGERS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    MET: met,
    SCALAR_SUM_PT: scalar_sum_pt,
    LEADING_LEPTON_PT: leading_lepton_pt,
}


def plain_trigger_scores(x: np.ndarray) -> dict[str, np.ndarray]:
    """Every plain trigger's (N,) score of raw L1 inputs, by name (the names the report and the bar use)."""
    return {name: fn(x) for name, fn in PLAIN_TRIGGERS.items()}
