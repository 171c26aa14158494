"""Pileup and zero-bias crossings: physics grows with mu, a Z keeps its peak, seeds, manifest, file round trip."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from typer.testing import CliRunner

from adtrigger.bundle.ladder import collision_rate_hz
from adtrigger.bundle.layout import EGAMMA_ROWS, JET_ROWS, MUON_ROWS
from adtrigger.cli import app
from adtrigger.training.stream.cards import builtin_card, canonical_name
from adtrigger.training.stream.generator import generate
from adtrigger.training.stream.io import read_events, write_events
from adtrigger.training.stream.pileup import PileupParams
from adtrigger.training.stream.sample import EventSample

POOL = {"pool_size": 1000, "pool_chunk": 1000}  # small pools: the tests check the mechanics, not the reuse
MUS = (0.0, 20.0, 60.0)


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory):
    """One work dir for the module: its cached pool is shared by every run (the pool does not depend on mu)."""
    return tmp_path_factory.mktemp("pileup")


@pytest.fixture(scope="module")
def z_by_mu(work_dir):
    card = builtin_card("Z")
    return {mu: generate(card, 300, 2, work_dir=work_dir, workers=1, show_progress=False,
                         pileup=PileupParams(mu=mu, **POOL)) for mu in MUS}  # fmt: skip


@pytest.fixture(scope="module")
def zero_bias(work_dir):
    return generate(builtin_card("ZB"), 300, 2, work_dir=work_dir, workers=1, show_progress=False,
                    pileup=PileupParams(mu=60.0, **POOL))  # fmt: skip


def _pair_mass(particles: np.ndarray, rows: slice) -> np.ndarray:
    """Invariant mass of the two leading objects of ``rows`` (massless), for events that have two."""
    a, b = particles[:, rows.start], particles[:, rows.start + 1]
    ok = b[:, 0] > 0
    m2 = 2 * a[:, 0] * b[:, 0] * (np.cosh(a[:, 1] - b[:, 1]) - np.cos(a[:, 2] - b[:, 2]))
    return np.sqrt(np.maximum(m2[ok], 0.0))


def test_jets_and_met_grow_with_mu(z_by_mu):
    n_jets = [(z_by_mu[mu].particles[:, JET_ROWS, 0] > 30).sum(axis=1).mean() for mu in MUS]
    met_width = [np.quantile(z_by_mu[mu].particles[:, 0, 0], 0.68) for mu in MUS]
    assert n_jets[0] < n_jets[1] < n_jets[2], n_jets
    assert n_jets[2] > n_jets[0] + 0.5, n_jets  # donut subtraction leaves a clear rise at mu = 60
    assert met_width[0] < met_width[1] < met_width[2], met_width


def test_z_keeps_its_peak_under_pileup(z_by_mu):
    for mu in (0.0, 60.0):
        p = z_by_mu[mu].particles
        m = np.concatenate([_pair_mass(p, MUON_ROWS), _pair_mass(p, EGAMMA_ROWS)])
        window = m[(m > 60) & (m < 120)]
        assert len(window) > 100, (mu, len(window))
        assert abs(np.median(window) - 91.2) < 3.0, (mu, np.median(window))


def test_lepton_preselection_keeps_only_leptons_above_23(z_by_mu):
    for sample in z_by_mu.values():
        lead = sample.particles[:, EGAMMA_ROWS.start : MUON_ROWS.stop, 0].max(axis=1)
        assert (lead > 23.0).all()
        assert "pT > 23 GeV" in sample.manifest["preselection"]
        assert sample.manifest["n_generated"] > len(sample)  # some Z events fail it


def test_zero_bias_manifest_weights_and_pileup_counts(zero_bias):
    m = zero_bias.manifest
    assert canonical_name("zerobias") == canonical_name("ZB") == "MinBias"
    assert m["preselection"] == "none" and m["emulation"] == "towers" and m["zero_bias"]
    assert len(zero_bias) == m["n_generated"] == 300
    assert (zero_bias.weight == 1).all()
    assert zero_bias.hlt is None
    assert zero_bias.n_pileup.dtype == np.int16
    assert abs(zero_bias.n_pileup.mean() - 60) < 4 * np.sqrt(60 / 300)
    assert m["input_rate_hz"] == pytest.approx(collision_rate_hz(2544)) == pytest.approx(28.6e6, rel=1e-3)
    p = m["pileup"]
    assert p["mu"] == 60 and p["pool_size"] == 1000 and len(p["pool_seeds"]) == 1
    assert p["pool_reuse_factor"] == pytest.approx(p["n_soft_drawn"] / 1000)
    assert p["pthat_cut"] == 25.0 and 0.003 < p["hard_fraction"] < 0.01
    # Pythia's cross-section ratio and the counted fraction of nonDiffractive events above the cut agree
    err = np.hypot(p["hard_fraction_err"], p["hard_fraction_pool_count_err"])
    assert abs(p["hard_fraction"] - p["hard_fraction_pool_count"]) < 4 * err
    assert p["n_hard_generated"] > 0
    assert p["pool_n_vetoed"] <= p["pool_n_generated"] * 1e-2 and len(p["pool_hardest_jets_gev"]) == 5
    assert set(m["tower_params"]) >= {"jet_pus", "eg_pu", "lsb"}


def test_same_seed_same_crossings_with_one_and_two_workers():
    params = PileupParams(mu=20.0, pool_size=600, pool_chunk=300)  # two pool chunks: built on two workers too
    card = builtin_card("MinBias")
    one = generate(card, 120, 5, shard_events=60, workers=1, show_progress=False, pileup=params)
    two = generate(card, 120, 5, shard_events=60, workers=2, show_progress=False, pileup=params)
    other = generate(card, 120, 6, shard_events=60, workers=1, show_progress=False, pileup=params)
    assert np.array_equal(one.particles, two.particles)
    assert np.array_equal(one.n_pileup, two.n_pileup) and np.array_equal(one.event_id, two.event_id)
    assert one.manifest["pileup"]["pool_seeds"] == two.manifest["pileup"]["pool_seeds"]
    assert not np.array_equal(one.particles, other.particles)


def test_n_pileup_round_trips_and_old_files_still_load(zero_bias, tmp_path):
    for suffix in (".h5", ".parquet"):
        path = write_events(zero_bias, tmp_path / f"zb{suffix}")
        back = read_events(path)
        assert np.array_equal(back.n_pileup, zero_bias.n_pileup)
        assert back.manifest["input_rate_hz"] == zero_bias.manifest["input_rate_hz"]
        plain = EventSample(particles=zero_bias.particles, process=zero_bias.process, process_names=("x",),
                            weight=zero_bias.weight, event_id=zero_bias.event_id)  # fmt: skip
        assert read_events(write_events(plain, tmp_path / f"plain{suffix}")).n_pileup is None


def test_cli_zero_bias(tmp_path):
    out = tmp_path / "zb.h5"
    args = ["generate", "--process", "MinBias", "--pileup", "30", "--events", "50", "--pool-size", "500",
            "--workers", "1", "--colliding-bunches", "1200", "-q", "-o", str(out)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "zero-bias stream" in result.output
    sample = read_events(out)
    assert len(sample) == 50 and sample.n_pileup is not None
    assert sample.manifest["input_rate_hz"] == pytest.approx(collision_rate_hz(1200))
    bad = CliRunner().invoke(app, ["generate", "-p", "Z", "--pus", "square", "-o", str(tmp_path / "z.h5")])
    assert bad.exit_code == 2 and "--pus" in bad.output


def test_pool_draws_are_distinct_within_a_crossing():
    """A crossing never holds the same pool interaction twice (it would double its towers and copy its muons),
    even when it draws nearly the whole pool."""
    from adtrigger.training.stream.pileup import draw_distinct

    rng = np.random.default_rng(3)
    counts = rng.integers(0, 95, 400)
    idx = draw_distinct(rng, 100, counts)
    assert len(idx) == counts.sum() and idx.min() >= 0 and idx.max() < 100
    starts = np.concatenate([[0], np.cumsum(counts)])
    for a, b in itertools.pairwise(starts):
        assert len(np.unique(idx[a:b])) == b - a
    assert len(np.unique(idx)) == 100  # across crossings the pool is reused
    with pytest.raises(ValueError, match="pool"):
        draw_distinct(rng, 10, np.array([11]))
