"""Generator behaviour: determinism by seed, shards on Dask, interrupted runs, cards and the CLI's errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from adtrigger.cli import app
from adtrigger.training.stream import generator
from adtrigger.training.stream.cards import CardError, builtin_card, canonical_name, load_card
from adtrigger.training.stream.generator import generate
from adtrigger.training.stream.io import read_events

runner = CliRunner()


def _same(a, b) -> bool:
    return (
        np.array_equal(a.particles, b.particles)
        and np.array_equal(a.hlt, b.hlt)
        and np.array_equal(a.event_id, b.event_id)
        and np.array_equal(a.weight, b.weight)
    )


def test_same_seed_same_events_different_seed_different():
    card = builtin_card("Z")
    a = generate(card, 40, seed=3, workers=1, show_progress=False)
    b = generate(card, 40, seed=3, workers=1, show_progress=False)
    c = generate(card, 40, seed=4, workers=1, show_progress=False)
    assert _same(a, b)
    assert not np.array_equal(a.particles, c.particles)


def test_dask_shards_equal_serial_shards():
    card = builtin_card("W")
    serial = generate(card, 60, seed=5, shard_events=30, workers=1, show_progress=False)
    on_dask = generate(card, 60, seed=5, shard_events=30, workers=2, show_progress=False)
    assert _same(serial, on_dask)
    assert serial.manifest["pythia_seeds"] == [5001, 5002]
    assert len(np.unique(serial.event_id)) == 60


def test_interrupted_run_keeps_whole_shards_and_resumes(tmp_path, monkeypatch):
    card = builtin_card("Z")
    out = tmp_path / "z.h5"
    reference = generate(card, 60, seed=8, shard_events=20, workers=1, show_progress=False)

    real_run_shard = generator.run_shard
    calls = {"n": 0}

    def dying_run_shard(spec, progress=None):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real_run_shard(spec, progress)

    monkeypatch.setattr(generator, "run_shard", dying_run_shard)
    with pytest.raises(KeyboardInterrupt):
        generator.generate_to_file(card, 60, 8, out, shard_events=20, workers=1, show_progress=False)
    assert not out.exists()
    shard_dir = tmp_path / ".z.h5.shards"
    assert len(list(shard_dir.glob("shard-*.npz"))) == 1
    assert not list(shard_dir.glob(".*tmp"))

    # the rerun generates only the two missing shards and gives the uninterrupted events
    calls["n"] = 10
    sample = generator.generate_to_file(card, 60, 8, out, shard_events=20, workers=1, show_progress=False)
    assert calls["n"] == 12
    assert _same(sample, reference)
    assert _same(read_events(out), reference)
    assert not shard_dir.exists()


def test_user_card_is_a_process(tmp_path):
    card_file = tmp_path / "zmumu.cmnd"
    card_file.write_text(
        "! Z -> mu mu only\nWeakSingleBoson:ffbar2gmZ = on\nPhaseSpace:mHatMin = 50.\n"
        "23:onMode = off\n23:onIfAny = 13   ! muons only\n"
    )
    card = load_card(card_file)
    assert card.name == "zmumu" and card.description == "Z -> mu mu only"
    sample = generate(card, 30, seed=2, workers=1, show_progress=False)
    assert sample.process_names == ("zmumu",)
    assert (sample.particles[:, 5, 0] > 0).mean() > 0.9  # a muon in (nearly) every event


def test_card_errors_are_clear(tmp_path):
    with pytest.raises(CardError, match="unknown process"):
        canonical_name("Zprime")
    with pytest.raises(CardError, match="cannot read"):
        load_card(tmp_path / "missing.cmnd")
    bad = tmp_path / "bad.cmnd"
    bad.write_text("this is not a setting\n")
    with pytest.raises(CardError, match="not a Pythia setting"):
        load_card(bad)
    seeded = tmp_path / "seeded.cmnd"
    seeded.write_text("HardQCD:all = on\nRandom:seed = 3\n")
    with pytest.raises(CardError, match="--seed"):
        load_card(seeded)
    unknown = tmp_path / "unknown.cmnd"
    unknown.write_text("NoSuch:setting = on\n")
    with pytest.raises(CardError, match="rejects the line"):
        generate(load_card(unknown), 5, seed=1, workers=1, show_progress=False)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_generate_writes_public_layout_and_refuses_bad_input(tmp_path):
    out = tmp_path / "z.h5"
    ok = runner.invoke(app, ["generate", "--process", "Z", "--events", "30", "--seed", "7", "--out", str(out), "-q"])
    assert ok.exit_code == 0, ok.output
    assert "30 Z_ll events" in ok.output
    before = _digest(out)

    again = runner.invoke(app, ["generate", "-p", "Z", "-n", "30", "--out", str(out), "-q"])
    assert again.exit_code == 2 and "exists" in again.output and "--force" in again.output
    assert _digest(out) == before

    unknown = runner.invoke(app, ["generate", "-p", "Zprime", "--out", str(tmp_path / "x.h5")])
    assert unknown.exit_code == 2 and "unknown process" in unknown.output
    assert not (tmp_path / "x.h5").exists()

    missing_card = runner.invoke(
        app, ["generate", "--card", str(tmp_path / "nope.cmnd"), "--out", str(tmp_path / "y.h5")]
    )
    assert missing_card.exit_code == 2 and "cannot read card" in missing_card.output

    bad_suffix = runner.invoke(app, ["generate", "-p", "Z", "--out", str(tmp_path / "z.csv")])
    assert bad_suffix.exit_code == 2

    both = runner.invoke(app, ["generate", "-p", "Z", "--card", "c.cmnd", "--out", str(tmp_path / "w.h5")])
    assert both.exit_code == 2 and "exactly one" in both.output


def test_cli_summary_refuses_corrupt_file(tmp_path):
    bad = tmp_path / "corrupt.h5"
    bad.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 100)
    res = runner.invoke(app, ["summary", str(bad)])
    assert res.exit_code == 2 and "corrupt.h5" in res.output


def test_cli_cocktail_and_summary(tmp_path, small_events):
    from adtrigger.training.stream.io import write_events

    files = []
    for name in ("W_lnu", "Z_ll", "ttbar"):
        files.append(tmp_path / f"{name}.h5")
        write_events(small_events[name], files[-1])
    out = tmp_path / "sm.parquet"
    res = runner.invoke(app, ["cocktail", *map(str, files), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "seed-004" in res.output and "W_lnu" in res.output
    mixed = read_events(out)
    assert len(mixed) == sum(len(small_events[n]) for n in ("W_lnu", "Z_ll", "ttbar"))
    assert mixed.manifest["kind"] == "cocktail"
    plot = tmp_path / "sanity.png"
    res = runner.invoke(app, ["summary", str(out), "--plot", str(plot)])
    assert res.exit_code == 0, res.output
    assert "| Z_ll |" in res.output and plot.stat().st_size > 10_000


def test_dask_workers_post_progress_within_a_shard(monkeypatch):
    updates = []

    class Bar:
        def update(self, n):
            updates.append(n)

        def close(self):
            pass

    monkeypatch.setattr(generator, "_progress_bar", lambda *args: Bar())
    # QCD passes ~1 % of the time: a shard of 10 kept events spans several batches, each posting what it kept
    generate(builtin_card("QCD"), 20, seed=2, shard_events=10, workers=2)
    assert sum(updates) == 20
    assert len([n for n in updates if n]) > 2  # more than one update per shard


def test_demo_removes_its_shards_once_complete_and_keeps_them_if_interrupted(tmp_path, monkeypatch):
    from adtrigger.training.stream import demo

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(demo, "plot_distributions", interrupt)
        with pytest.raises(KeyboardInterrupt):
            demo.run_demo(tmp_path, scale=0.001, workers=1)
    assert len(list((tmp_path / ".shards").rglob("shard-*.npz"))) == 8  # one shard per process, kept

    real_run_shard, calls = generator.run_shard, []

    def counted(spec, progress=None):
        calls.append(spec)
        return real_run_shard(spec, progress)

    monkeypatch.setattr(generator, "run_shard", counted)
    demo.run_demo(tmp_path, scale=0.001, workers=1, force=True)
    assert calls == []  # the rerun reused every shard
    assert not (tmp_path / ".shards").exists()
    assert (tmp_path / "events.md").is_file() and (tmp_path / "events" / "sm_cocktail.h5").is_file()
