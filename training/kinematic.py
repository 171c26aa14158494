"""The kinematic latent group of the L1 VAE: what it reconstructs, and the weight masks that keep it monotonic.

Why a second group: with one latent space, the SM tail of sum mu^2 is made of unusual multiplicities (>= 5 jets,
>= 3 leptons) and an event with large MET or hard objects but ordinary multiplicity never reaches it; plain MET then
beats the VAE on such signals (h0->tautau, h+->taunu). The kinematic group is a small encoder path that sees only the
linear pT inputs, through non-negative weights, and is trained to reconstruct the event's L1 kinematic sums:

    MET, H_T (scalar sum of jet pT), sum e/gamma pT, sum muon pT, leading e/gamma, muon and jet pT, S_T (all pT)

each standardised by its SM mean and std (so MET carries full weight). With non-negative weights from pT inputs,
ReLU units and saturating (monotonic) quantizers, every mu of the group is non-decreasing in every pT input; adding
an object to a pT-ordered event can only raise each slot's pT, so it can only raise the group's mu. The group scores
sum relu(mu)^2 (one-sided: only harder-than-SM counts), and is OR'd with the topology group's sum mu^2 through the
grouped score of :mod:`adtrigger.bundle.latent_score`.

numpy and keras only (no HGQ2): the float twin uses the same masks.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np
from keras import ops

from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MET_ROWS, MUON_ROWS, N_L1_INPUTS
from adtrigger.training.config import KINEMATIC_TARGETS

N_OBJ = {"met": MET_ROWS, "egamma": EGAMMA_ROWS, "muon": MUON_ROWS, "jet": JET_ROWS}
TARGETS = KINEMATIC_TARGETS


def target_matrix(n_inputs: int = N_L1_INPUTS, targets: tuple[str, ...] = TARGETS) -> np.ndarray:
    """(n_inputs, len(targets)) 0/1 matrix: raw inputs @ matrix = the kinematic ``targets`` (names of TARGETS)."""
    if n_inputs != N_L1_INPUTS:
        raise ValueError(f"the kinematic group needs the 57-input L1 layout, got {n_inputs} inputs")
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown or not targets:
        raise ValueError(f"kinematic targets must be a non-empty subset of {TARGETS}, got {unknown or targets}")
    a = np.zeros((n_inputs, len(TARGETS)))
    sums = [N_OBJ["met"], N_OBJ["jet"], N_OBJ["egamma"], N_OBJ["muon"]]
    for k, rows in enumerate(sums):
        a[3 * np.arange(rows.start, rows.stop), k] = 1.0
    for k, name in enumerate(("egamma", "muon", "jet"), start=len(sums)):
        a[3 * N_OBJ[name].start, k] = 1.0
    a[pt_rows(n_inputs), TARGETS.index("S_T")] = 1.0  # every object's pT, MET included (plain_triggers' S_T)
    return a[:, [TARGETS.index(name) for name in targets]]


def fit_targets(x: np.ndarray, weight: np.ndarray, targets: tuple[str, ...] = TARGETS) -> tuple[np.ndarray, np.ndarray]:
    """(mean, std) of each kinematic target over weighted SM training events (std floored at 1 GeV)."""
    t = np.asarray(x, dtype=np.float64) @ target_matrix(x.shape[1], targets)
    w = np.asarray(weight, dtype=np.float64)
    mean = np.average(t, axis=0, weights=w)
    std = np.sqrt(np.average((t - mean) ** 2, axis=0, weights=w))
    return mean, np.maximum(std, 1.0)


def pt_rows(n_inputs: int) -> np.ndarray:
    """(n_inputs,) bool: the pT inputs of the (pT, eta, phi) layout."""
    return np.arange(n_inputs) % 3 == 0


def layer_masks(
    n_in: int, topo_in: int, kin_out: int, topo_out: int, *, first: bool, chains: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(mask, nonneg) for a kernel (n_in, topo_out + kin_out + n_chains) whose inputs are [topology | kinematic |
    chain] units (or, for the ``first`` layer, the preprocessed inputs): topology units read everything; kinematic
    units read only pT inputs (first layer) or kinematic units (later layers); chain c reads only the inputs of its
    target (``chains``: the (n_inputs, n_chains) :func:`target_matrix` of the chain targets; first layer) or its own
    unit (later layers). Kinematic and chain weights are non-negative."""
    n_chain = 0 if chains is None else chains.shape[1]
    mask = np.ones((n_in, topo_out + kin_out + n_chain))
    nonneg = np.zeros_like(mask)
    kin_rows = pt_rows(n_in) if first else (np.arange(n_in) >= topo_in) & (np.arange(n_in) < n_in - n_chain)
    mask[:, topo_out : topo_out + kin_out] = kin_rows[:, None]
    for c in range(n_chain):
        rows = chains[:, c] != 0 if first else np.arange(n_in) == n_in - n_chain + c
        mask[:, topo_out + kin_out + c] = rows
    nonneg[:, topo_out:] = 1.0
    return mask, nonneg


@keras.saving.register_keras_serializable(package="adtrigger")
class KernelMask(keras.constraints.Constraint):
    """w * mask, and w >= 0 where ``nonneg``: keeps the kinematic path separate from the topology path and monotonic."""

    def __init__(self, mask, nonneg):
        self.mask = np.asarray(mask, dtype=np.float32).tolist()
        self.nonneg = np.asarray(nonneg, dtype=np.float32).tolist()

    def __call__(self, w):
        mask = ops.convert_to_tensor(np.asarray(self.mask, np.float32), dtype=w.dtype)
        nonneg = ops.convert_to_tensor(np.asarray(self.nonneg, np.float32), dtype=w.dtype)
        w = w * mask
        return nonneg * ops.maximum(w, 0.0) + (1.0 - nonneg) * w

    def get_config(self):
        return {"mask": self.mask, "nonneg": self.nonneg}
