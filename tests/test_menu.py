"""The reference L1 menu (training/menu.py): seeds against direct numpy cuts on real events, prescales, pure-rate
bookkeeping, chunked accumulation, the ``adtrigger menu`` command and one-line errors for bad menus."""

from __future__ import annotations

import itertools
import json
import pickle

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from adtrigger.bundle.rates import clopper_pearson
from adtrigger.cli import app
from adtrigger.training.menu import (
    MENUS_DIR,
    MenuCounts,
    MenuError,
    count_menu,
    load_menu,
    menu_rates,
    parse_menu,
    stream_coverage,
)
from adtrigger.training.stream.io import read_events, write_events
from adtrigger.training.stream.sample import EventSample

FILES = ("W_lnu", "QCD", "Z_ll", "ttbar", "A_4l_m50")
PER_FILE = 3000
ROWS = {"egamma": range(1, 5), "muon": range(5, 9), "jet": range(9, 19)}


@pytest.fixture(scope="module")
def events(refstream) -> EventSample:
    """The first events of five refstream-v1 files (SM and A->4l, for multi-lepton seeds), their stored weights."""
    parts = [read_events(refstream / f"{f}.h5", max_events=PER_FILE) for f in FILES]
    return EventSample(
        particles=np.concatenate([p.particles for p in parts]),
        process=np.concatenate([np.full(len(p), i) for i, p in enumerate(parts)]),
        process_names=FILES,
        weight=np.concatenate([p.weight for p in parts]),
        event_id=np.concatenate([p.event_id + i * 10**12 for i, p in enumerate(parts)]),  # unique across files
        manifest=parts[0].manifest,
    )


def direct_cut(seed: dict, P: np.ndarray) -> np.ndarray:
    """A seed of the YAML, evaluated by brute force: some assignment of distinct slots to the thresholds."""
    n = len(P)
    ok = np.ones(n, dtype=bool)
    for leg in seed.get("legs", []):
        rows = list(ROWS[leg["object"]])
        pt, eta = P[:, rows, 0], P[:, rows, 1]
        usable = pt > 0
        if "eta" in leg:
            usable &= np.abs(eta) <= leg["eta"]
        found = np.zeros(n, dtype=bool)
        for slots in itertools.permutations(range(len(rows)), len(leg["pt"])):
            hit = np.ones(n, dtype=bool)
            for slot, threshold in zip(slots, leg["pt"], strict=True):
                hit &= usable[:, slot] & (pt[:, slot] >= threshold)
            found |= hit
        ok &= found
    if "met" in seed:
        ok &= P[:, 0, 0] >= seed["met"]
    if "ht" in seed:
        h = seed["ht"]
        jpt, jeta = P[:, 9:19, 0], P[:, 9:19, 1]
        total = (jpt * ((jpt >= h["jet_pt"]) & (np.abs(jeta) <= h["eta"]))).sum(axis=1, dtype=np.float64)
        ok &= total >= h["pt"]
    return ok


def default_yaml() -> dict:
    return yaml.safe_load((MENUS_DIR / "run3_like.yaml").read_text())


def test_every_default_seed_equals_a_direct_cut(events):
    menu = load_menu("run3_like")
    raw = menu.raw_decisions(events.particles)
    seeds = default_yaml()["seeds"]
    assert raw.shape == (len(events), len(seeds)) and menu.seed_names == tuple(s["name"] for s in seeds)
    for k, seed in enumerate(seeds):
        want = direct_cut(seed, events.particles)
        assert 0 < want.sum() < len(events), seed["name"]  # the comparison means something
        np.testing.assert_array_equal(raw[:, k], want, err_msg=seed["name"])


def test_a_few_seeds_by_hand(events):
    P = events.particles
    raw = load_menu("run3_like").raw_decisions(P)
    names = load_menu("run3_like").seed_names
    mu = P[:, 5:9, 0]
    assert np.array_equal(raw[:, names.index("L1_SingleMu22")], (mu >= 22).any(axis=1))
    double = ((mu >= 7).sum(axis=1) >= 2) & (mu >= 15).any(axis=1)
    assert np.array_equal(raw[:, names.index("L1_DoubleMu_15_7")], double)
    assert np.array_equal(raw[:, names.index("L1_ETMHF100")], P[:, 0, 0] >= 100)


def test_threshold_order_and_slot_order_do_not_matter(events):
    menu = {"seeds": [{"name": "A", "legs": [{"object": "jet", "pt": [40, 70, 55]}]},
                      {"name": "B", "legs": [{"object": "jet", "pt": [70, 55, 40]}]}]}  # fmt: skip
    m = parse_menu(menu)
    raw = m.raw_decisions(events.particles)
    assert np.array_equal(raw[:, 0], raw[:, 1])
    shuffled = events.particles.copy()
    shuffled[:, 9:19] = shuffled[:, 9:19][:, ::-1]  # jets no longer pT-ordered
    assert np.array_equal(m.raw_decisions(shuffled), raw)


def test_prescale_keeps_one_in_n_and_ignores_chunking_and_order(events):
    n_ps = 7
    m = parse_menu({"seeds": [{"name": "all", "prescale": n_ps, "met": 0},
                              {"name": "other", "prescale": n_ps, "met": 0},
                              {"name": "off", "prescale": 0, "met": 0}]})  # fmt: skip
    dec = m.decisions(events.particles, events.event_id)
    n = len(events)
    k = dec[:, 0].sum()
    assert abs(k - n / n_ps) < 4 * np.sqrt(n / n_ps * (1 - 1 / n_ps)), k
    assert not dec[:, 2].any() and m.raw_decisions(events.particles)[:, 2].all()
    both = (dec[:, 0] & dec[:, 1]).sum()  # seeds hash independently: overlap ~ n / N^2
    assert abs(both - n / n_ps**2) < 5 * np.sqrt(n / n_ps**2), both
    # any chunking, any order: the same decision per event
    order = np.random.default_rng(3).permutation(n)
    edges = [0, 1, 977, 5000, 5001, n]
    chunks = [m.decisions(events.particles[order[a:b]], events.event_id[order[a:b]])
              for a, b in itertools.pairwise(edges)]  # fmt: skip
    again = np.empty_like(dec)
    again[order] = np.concatenate(chunks)
    assert np.array_equal(again, dec)
    assert np.array_equal(m.accept(events.particles, events.event_id), dec.any(axis=1))


def test_rates_pure_and_total_bookkeeping(events):
    menu = load_menu("run3_like")
    r = menu_rates(menu, events.particles, events.event_id, events.weight, 28.6e6)
    rates = np.array([s["rate_hz"] for s in r["seeds"]])
    pure = np.array([s["pure_rate_hz"] for s in r["seeds"]])
    total = r["total"]["rate_hz"]
    assert pure.sum() <= total * (1 + 1e-12) and total <= rates.sum() * (1 + 1e-12)
    assert all(s["raw_rate_hz"] >= s["rate_hz"] for s in r["seeds"])
    for s in [*r["seeds"], r["total"]]:
        for key in ("rate_hz", "pure_rate_hz", "raw_rate_hz"):
            if key in s:
                assert s[f"{key}_lo"] <= s[key] <= s[f"{key}_hi"], (s, key)
    # pure = accepted by this seed and by no other, after prescales
    dec = menu.decisions(events.particles, events.event_id)
    only = dec & (dec.sum(axis=1) == 1)[:, None]
    w = events.weight / events.weight.sum()
    np.testing.assert_allclose(pure, (w @ only) * 28.6e6, rtol=1e-9)
    np.testing.assert_allclose(total, w @ dec.any(axis=1) * 28.6e6, rtol=1e-9)


def test_unit_weights_are_plain_clopper_pearson(events):
    menu = load_menu("run3_like")
    r = menu_rates(menu, events.particles, events.event_id, None, 1e6)
    k = menu.decisions(events.particles, events.event_id).any(axis=1).sum()
    lo, hi = clopper_pearson(k, len(events))
    t = r["total"]
    np.testing.assert_allclose([t["rate_hz"], t["rate_hz_lo"], t["rate_hz_hi"]], [k / len(events) * 1e6, lo * 1e6,
                               hi * 1e6], rtol=1e-9)  # fmt: skip
    assert r["n_effective"] == pytest.approx(len(events))


def test_counts_accumulate_over_chunks_and_pickle(events):
    menu = load_menu("run3_like")
    whole = count_menu(menu, events.particles, events.event_id, events.weight)
    parts = MenuCounts(len(menu.seeds))
    for a in range(0, len(events), 4000):
        sl = slice(a, a + 4000)
        parts = parts + pickle.loads(pickle.dumps(count_menu(pickle.loads(pickle.dumps(menu)), events.particles[sl],
                                                             events.event_id[sl], events.weight[sl])))  # fmt: skip
    a, b = whole.rates(menu, 1e5), parts.rates(menu, 1e5)
    assert a.keys() == b.keys() and a["n_events"] == b["n_events"]
    for sa, sb in zip(a["seeds"], b["seeds"], strict=True):
        assert sa.pop("name") == sb.pop("name") and sa == pytest.approx(sb, rel=1e-9)
    assert a["total"] == pytest.approx(b["total"], rel=1e-9)


def test_sha256_follows_the_cuts_not_the_yaml():
    menu = load_menu("run3_like")
    again = parse_menu({"name": "run3_like", "seeds": [s.as_dict() for s in menu.seeds]})
    assert again.sha256 == menu.sha256 and len(menu.sha256) == 64
    changed = default_yaml()
    changed["seeds"][0]["prescale"] = 2
    assert parse_menu(changed).sha256 != menu.sha256


def test_coverage_comes_from_the_manifest():
    assert stream_coverage({"reco": {"mu_eta": 2.1, "eg_eta": 2.5, "jet_eta": 3.0}})[0] == {
        "muon": 2.1, "egamma": 2.5, "jet": 3.0}  # fmt: skip
    assert stream_coverage({"RecoParams": json.dumps({"mu_eta": 2.4, "eg_eta": 2.5, "jet_eta": 4.0})})[0]["jet"] == 4
    cov, why = stream_coverage({})
    assert cov == {"muon": 2.4, "egamma": 2.5, "jet": 4.0} and "default" in why
    assert stream_coverage([{}, {"reco": {"mu_eta": 2.1, "eg_eta": 2.5, "jet_eta": 3.0}}])[0]["muon"] == 2.1
    with pytest.raises(MenuError, match=r"beyond the egamma coverage 2\.2 of the stream's manifest reco"):
        load_menu("run3_like", {"muon": 2.4, "egamma": 2.2, "jet": 4.0}, "the stream's manifest reco")


def _seed(**kw) -> dict:
    return {"seeds": [{"name": "L1_Bad", "prescale": 1, **kw}]}


BAD = {
    "unknown object": (_seed(legs=[{"object": "photon", "pt": [10]}]), "legs[0].object", "unknown object class"),
    "tau": (_seed(legs=[{"object": "tau", "pt": [10]}]), "legs[0].object", "cannot evaluate"),
    "negative": (_seed(legs=[{"object": "muon", "pt": [22, -3]}]), "legs[0].pt[1]", "negative threshold"),
    "non-numeric": (_seed(legs=[{"object": "muon", "pt": ["abc"]}]), "legs[0].pt[0]", "not a number"),
    "negative met": (_seed(met=-1), "met", "negative threshold"),
    "negative ht": (_seed(ht={"pt": -5}), "ht.pt", "negative threshold"),
    "unknown key": (_seed(met=10, foo=1), "foo", "unknown key"),
    "unknown leg key": (_seed(legs=[{"object": "jet", "pt": [30], "ptt": 3}]), "legs[0].ptt", "unknown key"),
    "ett": (_seed(ett=2000), ", ett:", "cannot evaluate"),
    "etmhf": (_seed(etmhf=100), ", etmhf:", "cannot evaluate"),
    "iso": (_seed(legs=[{"object": "egamma", "pt": [30], "iso": True}]), "legs[0].iso", "cannot evaluate"),
    "quality": (_seed(legs=[{"object": "muon", "pt": [22], "quality": 12}]), "legs[0].quality", "cannot evaluate"),
    "mass": (_seed(legs=[{"object": "muon", "pt": [3, 3], "mass": 1}]), "legs[0].mass", "cannot evaluate"),
    "too many legs": (_seed(legs=[{"object": "egamma", "pt": [5] * 5}]), "legs[0].pt", "4 egamma slots"),
    "eta beyond": (_seed(legs=[{"object": "muon", "pt": [5], "eta": 3.0}]), "legs[0].eta", "beyond the muon coverage"),
    "ht eta beyond": (_seed(ht={"pt": 300, "eta": 4.5}), "ht.eta", "beyond the jet coverage"),
    "prescale": (_seed(met=10, prescale=1.5), "prescale", "integer >= 1"),
    "negative prescale": (_seed(met=10, prescale=-1), "prescale", "integer >= 1"),
    "no condition": (_seed(), "legs", "at least one condition"),
    "duplicate": ({"seeds": [{"name": "L1_Bad", "met": 1}, {"name": "L1_Bad", "met": 2}]}, "name", "duplicate"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_menu_is_one_line_naming_seed_and_field(case):
    data, where, why = BAD[case]
    with pytest.raises(MenuError) as err:
        parse_menu(data, "bad.yaml")
    msg = str(err.value)
    assert "\n" not in msg and "seed 'L1_Bad'" in msg and where in msg and why in msg, msg


BAD_FILES = [("seeds: []", "empty menu"), ("name: x", "empty menu"), ("seeds: [a: b: c", "not a readable YAML"),
             ("x: 1\nseeds: [1]", "unknown menu key")]  # fmt: skip


@pytest.mark.parametrize("text, why", BAD_FILES)
def test_bad_menu_files(tmp_path, text, why):
    (tmp_path / "m.yaml").write_text(text)
    with pytest.raises(MenuError, match=why) as err:
        load_menu(tmp_path / "m.yaml")
    assert "\n" not in str(err.value)
    with pytest.raises(MenuError, match="no built-in menu"):
        load_menu("no_such_menu")


@pytest.fixture(scope="module")
def zero_bias_file(events, tmp_path_factory):
    """A small stand-in for a zero-bias stream: unit weights, input_rate_hz and reco in its manifest."""
    path = tmp_path_factory.mktemp("menu") / "zb.h5"
    manifest = {"kind": "zero_bias", "input_rate_hz": 28.6e6, "reco": {"mu_eta": 2.4, "eg_eta": 2.5, "jet_eta": 4.0}}
    sel = np.arange(0, len(events), 3)
    write_events(EventSample(events.particles[sel], np.zeros(len(sel)), ("zb",), np.ones(len(sel)),
                             events.event_id[sel], manifest=manifest), path)  # fmt: skip
    return path


def test_cli_prints_the_table_and_json(zero_bias_file, events):
    r = CliRunner().invoke(app, ["menu", "--data", str(zero_bias_file)])
    assert r.exit_code == 0, r.output
    for name in load_menu("run3_like").seed_names:
        assert name in r.output
    assert "total (OR)" in r.output and "pure rate" in r.output and "28.6 MHz input" in r.output
    r = CliRunner().invoke(app, ["menu", "run3_like", "--data", str(zero_bias_file), "--json"])
    out = json.loads(r.output)
    sel = np.arange(0, len(events), 3)
    want = menu_rates(load_menu("run3_like"), events.particles[sel], events.event_id[sel], None, 28.6e6)
    assert out["total"] == pytest.approx(want["total"]) and out["n_events"] == len(sel)
    r = CliRunner().invoke(app, ["menu", "--data", str(zero_bias_file), "--colliding-bunches", "1272", "--json"])
    assert json.loads(r.output)["input_rate_hz"] == pytest.approx(11245.5 * 1272)


def test_cli_errors_are_one_line(zero_bias_file, refstream, tmp_path):
    def run(*args: str) -> str:
        r = CliRunner().invoke(app, ["menu", *args])
        assert r.exit_code == 2, r.output
        assert r.output.strip().count("\n") == 0 and r.output.startswith("error:"), r.output
        return r.output

    assert "input_rate_hz" in run("--data", str(refstream / "ttbar.h5"))
    assert "--data" in run()
    assert "at most one" in run("--data", str(zero_bias_file), "--input-rate", "1MHz", "--colliding-bunches", "10")
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_seed(legs=[{"object": "tau", "pt": [30]}])))
    assert "cannot evaluate" in run(str(bad), "--data", str(zero_bias_file))
    assert "does not exist" in run("--data", str(tmp_path / "none.h5"), "--input-rate", "1MHz")
