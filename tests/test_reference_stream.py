"""``adtrigger refstream``: a small equivalent of refstream-v1 that the rest of the project takes as the real one."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from adtrigger.cli import app
from adtrigger.refdata import ENV, refstream_dir, refstream_missing
from adtrigger.training.stream.io import read_events
from adtrigger.training.stream.reference import REFSTREAM_EVENTS


@pytest.mark.slow
def test_refstream_command_writes_refstream_v1s_files(tmp_path, monkeypatch):
    out = tmp_path / "ref"
    r = CliRunner().invoke(app, ["refstream", "--out", str(out), "--scale", "0.0004", "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.h5" for n in REFSTREAM_EVENTS)  # no shards left
    for name, n in REFSTREAM_EVENTS.items():
        sample = read_events(out / f"{name}.h5")
        assert len(sample) == max(10, round(n * 0.0004)) and tuple(sample.process_names) == (name,)
    monkeypatch.setenv(ENV, str(out))
    assert refstream_dir() == out and refstream_missing() is None
    again = CliRunner().invoke(app, ["refstream", "--out", str(out), "--scale", "0.0004"])
    assert again.exit_code == 2 and "exists" in again.output


def test_missing_refstream_says_where_and_how(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path / "nowhere"))
    why = refstream_missing()
    assert why is not None and str(tmp_path / "nowhere") in why and "adtrigger refstream" in why
