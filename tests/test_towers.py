"""The calorimeter-tower L1 emulation: synthetic deposits for the algorithms, real Pythia minimum bias for pileup."""

from __future__ import annotations

import numpy as np
import pytest

from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MUON_ROWS
from adtrigger.training.stream import towers
from adtrigger.training.stream.cards import common_lines
from adtrigger.training.stream.emulation import ParticleTable
from adtrigger.training.stream.towers import Deposits, TowerParams, emulate

EXACT = TowerParams(jet_res=0.0)  # no smearing: the synthetic tests compare ET exactly


def particles(*rows: tuple[int, float, float, float]) -> Deposits:
    """One interaction from (pid, pt, eta, phi) rows."""
    pid, pt, eta, phi = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
    return towers.deposits_from_particles(
        np.zeros(len(pid), np.int64), 1, pid.astype(np.int64), pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta),
        EXACT,
    )  # fmt: skip


def crossings(dep: Deposits, groups: list[list[int]], params: TowerParams = EXACT, seed: int = 0) -> np.ndarray:
    offsets = np.concatenate([[0], np.cumsum([len(g) for g in groups])]).astype(np.int64)
    members = np.array([i for g in groups for i in g], np.int64)
    return emulate(dep, offsets, members, np.random.default_rng(seed), params)


def one(dep: Deposits, params: TowerParams = EXACT) -> np.ndarray:
    return crossings(dep, [[0]], params)[0]


def objects(rows: np.ndarray) -> np.ndarray:
    return rows[rows[:, 0] > 0]


def test_isolated_electron_and_photon_give_one_egamma_each():
    for pid in (11, 22):
        ev = one(particles((pid, 24.8, 0.5, 0.7)))
        eg = objects(ev[EGAMMA_ROWS])
        assert len(eg) == 1, eg
        assert abs(eg[0, 0] - 24.8) / 24.8 < 0.03  # floored to the 0.5 GeV LSB
        assert abs(eg[0, 1] - 0.5) < 0.06 and abs(eg[0, 2] - 0.7) < 0.06  # seed tower centre
        assert not objects(ev[MUON_ROWS]).size
    # next to a hadron shower it fails isolation (two towers away) and H/E (same tower)
    for d in (0.18, 0.0):
        assert not objects(one(particles((22, 20.0, 0.5, 0.7), (211, 30.0, 0.5 + d, 0.7)))[EGAMMA_ROWS]).size, d


def test_a_muon_is_in_the_muon_rows_and_nowhere_else():
    ev = one(particles((13, 30.0, -1.1, 2.0)))
    mu = objects(ev[MUON_ROWS])
    assert mu.shape == (1, 3) and np.allclose(mu[0], [30.0, -1.1, 2.0], atol=0.01)
    assert not objects(ev[EGAMMA_ROWS]).size and not objects(ev[JET_ROWS]).size
    assert ev[0, 0] == 0, "L1 MET excludes muons, and the muon deposits nothing"


def test_two_separated_hadron_showers_give_two_jets_and_balance_met():
    ev = one(particles((211, 50.0, -1.0, 0.0), (-211, 30.0, 1.5, 2.5), (130, 10.0, 1.55, 2.52)))
    jets = objects(ev[JET_ROWS])
    assert len(jets) == 2 and np.allclose(jets[:, 0], [50.0, 40.0]), jets
    assert np.allclose(jets[:, 1], [-1.0, 1.5], atol=0.06)
    # MET balances the towers at their centres
    _, phi_c = towers.tower_centres(EXACT)
    phi = phi_c[towers.tower_index(np.zeros(3), np.array([0.0, 2.5, 2.52]), EXACT)[0] % EXACT.n_phi]
    et = np.array([50.0, 30.0, 10.0])
    assert abs(ev[0, 0] - np.hypot(et @ np.cos(phi), et @ np.sin(phi))) < 0.25


def test_a_plateau_of_equal_towers_gives_one_seed():
    params = EXACT
    base = 30 * params.n_phi + 20  # an HCAL tower in the barrel
    for shape in ([0, 1], [0, params.n_phi], [0, 1, params.n_phi, params.n_phi + 1], [0, params.n_phi + 1]):
        tower = params.n_towers + base + np.array(shape, np.int32)
        dep = Deposits(np.array([0, len(shape)]), tower, np.full(len(shape), 10.0, np.float32),
                       np.zeros(2, np.int64), np.zeros((0, 3), np.float32))  # fmt: skip
        jets = objects(one(dep)[JET_ROWS])
        assert len(jets) == 1 and jets[0, 0] == 10.0 * len(shape), (shape, jets)


def test_a_jet_across_phi_wraparound_is_found_once():
    ev = one(particles((211, 30.0, 0.3, np.pi - 0.03), (211, 20.0, 0.3, -np.pi + 0.03)))
    jets = objects(ev[JET_ROWS])
    assert len(jets) == 1 and jets[0, 0] == 50.0, jets
    assert abs(abs(jets[0, 2]) - np.pi) < 0.06


def test_donut_subtraction_removes_a_flat_pedestal():
    params, pedestal = EXACT, 1.0
    n = params.n_towers
    hcal = np.arange(n, 2 * n, dtype=np.int32)
    carpet = Deposits(np.array([0, n]), hcal, np.full(n, pedestal, np.float32), np.zeros(2, np.int64),
                      np.zeros((0, 3), np.float32))  # fmt: skip
    dep = Deposits.concat([particles((211, 60.0, 0.2, 1.0)), carpet])
    for pus, expect in (("none", 60.0 + 81 * pedestal), ("donut", 60.0)):
        jets = objects(crossings(dep, [[0, 1]], TowerParams(jet_res=0.0, jet_pus=pus))[0][JET_ROWS])
        assert len(jets) == 1 and abs(jets[0, 0] - expect) < 0.5, (pus, jets)


def test_take_concat_round_trip_and_empty_crossing():
    dep = Deposits.concat([particles((211, 20.0, 0.1, 0.2), (13, 5.0, 0.3, 0.1)), particles((22, 7.0, -2.0, 1.0))])
    dep = Deposits.concat([dep, dep.take(np.array([1, 0, 1]))])
    assert len(dep) == 5
    perm = np.array([3, 0, 4, 1, 2])
    back = Deposits.concat([dep.take(perm[:2]), dep.take(perm[2:])]).take(np.argsort(perm))
    for name in ("offsets", "tower", "et", "mu_offsets", "mu"):
        assert np.array_equal(getattr(back, name), getattr(dep, name)), name
    assert np.array_equal(crossings(dep, [[0, 1]]), crossings(dep.take(np.array([1, 0])), [[0, 1]]))
    empty = crossings(dep, [[], [2]])
    assert empty.shape == (2, 19, 3) and empty.dtype == np.float32 and not empty[0].any() and empty[1].any()
    assert crossings(dep, []).shape == (0, 19, 3)


# ---------------------------------------------------------------------------------------------------------------
# real Pythia minimum bias


@pytest.fixture(scope="module")
def minbias() -> Deposits:
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in [*common_lines(), "SoftQCD:nonDiffractive = on", "PartonLevel:MPI = on", "Random:setSeed = on",
                 "Random:seed = 4242"]:  # fmt: skip
        assert pythia.readString(line), line
    assert pythia.init()
    return towers.deposits_from_batch(pythia.nextBatch(300), ParticleTable(pythia.particleData), TowerParams())


def pileup(pool: Deposits, mu: int, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Offsets and members of ``n`` crossings of ``mu`` interactions drawn from ``pool``."""
    return np.arange(n + 1, dtype=np.int64) * mu, rng.integers(0, len(pool), n * mu)


def test_jets_and_met_width_grow_with_pileup(minbias):
    rng = np.random.default_rng(1)
    n_jets, met_std = [], []
    for mu in (1, 20, 60):
        out = emulate(minbias, *pileup(minbias, mu, 200, rng), rng, TowerParams())
        n_jets.append((out[:, JET_ROWS, 0] > 30).sum(1).mean())
        met_std.append(out[:, 0, 0].std())
    assert n_jets[0] < 0.02 and n_jets[0] < n_jets[1] < n_jets[2] and n_jets[2] > 0.3, n_jets
    assert met_std[0] < met_std[1] < met_std[2] and met_std[2] > 2 * met_std[0], met_std


def test_egamma_isolation_sees_pileup_and_rho_restores_it(minbias):
    # one 20 GeV electron per crossing, at 16 places (one place would test one patch of a small pool)
    k = 16
    eta, phi = np.linspace(-2.0, 2.0, k), np.linspace(-3.0, 3.0, k)[np.random.default_rng(0).permutation(k)]
    ele = towers.deposits_from_particles(np.arange(k), k, np.full(k, 11), 20 * np.cos(phi), 20 * np.sin(phi),
                                         20 * np.sinh(eta), EXACT)  # fmt: skip
    dep = Deposits.concat([minbias, ele])
    rng = np.random.default_rng(2)

    def efficiency(mu: int, pu: str) -> float:
        which = np.arange(320) % k
        offsets, members = pileup(minbias, mu, len(which), rng)
        members = np.column_stack([len(minbias) + which, members.reshape(len(which), mu)]).ravel()
        eg = emulate(dep, offsets + np.arange(len(offsets)), members, rng, TowerParams(eg_pu=pu))[:, EGAMMA_ROWS]
        near = (np.abs(eg[..., 1] - eta[which, None]) < 0.1) & (np.abs(eg[..., 2] - phi[which, None]) < 0.1)
        return (near & (eg[..., 0] > 15)).any(1).mean()

    assert efficiency(0, "none") == 1.0
    raw, corrected = efficiency(60, "none"), efficiency(60, "rho")
    assert raw < 0.8, raw
    assert corrected > 0.9 and corrected > raw + 0.15, (raw, corrected)
