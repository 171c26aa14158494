"""The kinematic targets and the weight masks of the kinematic group and its chains (training/kinematic.py)."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import numpy as np
import pytest

from adtrigger.training import kinematic
from adtrigger.training.plain_triggers import met, scalar_sum_pt


def test_targets_are_the_plain_sums():
    x = np.random.default_rng(3).uniform(0, 300, size=(50, 57))
    t = x @ kinematic.target_matrix(57, ("MET", "H_T", "S_T", "leading muon pT"))
    pt = x[:, 0::3]
    np.testing.assert_allclose(t[:, 0], met(x))
    np.testing.assert_allclose(t[:, 1], pt[:, 9:19].sum(axis=1))
    np.testing.assert_allclose(t[:, 2], scalar_sum_pt(x))
    np.testing.assert_allclose(t[:, 3], pt[:, 5])
    with pytest.raises(ValueError, match="non-empty subset"):
        kinematic.target_matrix(57, ("MEET",))


def test_chain_masks_keep_each_chain_on_its_own_inputs():
    chains = kinematic.target_matrix(57, ("MET", "H_T"))
    mask, nonneg = kinematic.layer_masks(57, 57, 3, 5, first=True, chains=chains)
    assert mask.shape == (57, 5 + 3 + 2) and (mask[:, :5] == 1).all() and (nonneg[:, :5] == 0).all()
    pt = np.arange(57) % 3 == 0
    assert (mask[:, 5:8] == pt[:, None]).all() and (nonneg[:, 5:] == 1).all()
    assert np.flatnonzero(mask[:, 8]).tolist() == [0]  # MET pT alone
    assert np.flatnonzero(mask[:, 9]).tolist() == [3 * j for j in range(9, 19)]  # the jets' pT
    # a later layer: inputs [5 topology | 3 kinematic | 2 chain] units
    mask, _ = kinematic.layer_masks(10, 5, 2, 4, first=False, chains=np.eye(2))
    assert (mask[:, :4] == 1).all()
    assert np.flatnonzero(mask[:, 4]).tolist() == [5, 6, 7] == np.flatnonzero(mask[:, 5]).tolist()
    assert np.flatnonzero(mask[:, 6]).tolist() == [8] and np.flatnonzero(mask[:, 7]).tolist() == [9]
    # without chains: no chain columns, the kinematic units as before
    m0, _ = kinematic.layer_masks(57, 57, 3, 5, first=True)
    assert m0.shape == (57, 8) and (m0[:, 5:] == pt[:, None]).all()
