"""The main job (adtrigger demo) end to end on a small stream: every stage runs and the report says what it did.

The firmware stage is left out here (its compile is the firmware tests' shared fixture); the demo run by hand
includes it (README)."""

from __future__ import annotations

import json

from adtrigger.bundle import load_bundle
from adtrigger.main_job import MainJobSettings, run_main_job


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
