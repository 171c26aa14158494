"""The main job (adtrigger demo) end to end on a small stream: every stage runs and the report says what it did.

The firmware stage is left out here (its compile is the firmware tests' shared fixture); the demo run by hand
includes it (README)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from adtrigger.bundle import load_bundle
from adtrigger.cli import app
from adtrigger.main_job import MainJobSettings, MissingToolError, preflight, run_main_job


def test_main_job_runs_every_stage_and_reports(tmp_path):
    settings = MainJobSettings(scale=0.6, epochs=3, firmware=False, workers=1, rate="20kHz")
    report = run_main_job(tmp_path / "demo", settings)
    text = report.read_text()
    for section in ("## The threshold and what it selects", "## The scoring service", "## Stages"):
        assert section in text
    assert "decisions identical to the in-process scorer: True" in text
    bundle = load_bundle(tmp_path / "demo" / "models" / "demo_l1_vae")
    entry = bundle.card["thresholds"][bundle.card["active_threshold"]]
    a = entry["achieved"]
    assert a["fpr_lo"] <= 0.2 * 1.5 and a["fpr_hi"] >= 0.2 / 1.5  # the 20 kHz of 100 kHz target, held-out half
    assert set(entry["signal_efficiency"]) == {"A_4l_m50", "LQ_btau_m80", "h0_tautau_m60", "hplus_taunu_m60"}
    timings = json.loads((tmp_path / "demo" / "timings.json").read_text())
    assert list(timings) == ["generate", "train", "evaluate", "export", "calibrate", "service"]
    assert not (tmp_path / "demo" / ".shards").exists()  # the generator's shards go once the run is complete


def _path_with(folder, *tools: str) -> str:
    """A PATH of one folder holding stand-ins for these tools (a preflight only looks them up)."""
    folder.mkdir()
    for tool in tools:
        (folder / tool).write_text("#!/bin/sh\n")
        (folder / tool).chmod(0o755)
    return str(folder)


def test_demo_names_missing_tools_in_one_line_before_any_stage(tmp_path):
    out = tmp_path / "demo"
    path = _path_with(tmp_path / "bin", "g++", "make", "ar")
    res = CliRunner().invoke(app, ["demo", "--out", str(out)], env={"PATH": path})
    assert res.exit_code == 2
    assert res.output == (
        "error: adtrigger demo: the firmware stage needs verilator, yosys: apt-get install verilator yosys "
        "(or run with --no-firmware)\n"
    )
    assert not out.exists()  # nothing generated


def test_preflight_needs_tools_only_for_the_firmware_stage(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", _path_with(tmp_path / "bin"))
    preflight(tmp_path, MainJobSettings(firmware=False))
    every = r"needs g\+\+, make, ar, verilator, yosys: apt-get install g\+\+ make binutils verilator yosys"
    with pytest.raises(MissingToolError, match=every):
        preflight(tmp_path, MainJobSettings())
