"""The firmware flow's inputs and bookkeeping: the overflow decision of digitised events (NaN, inf, the phi edge),
where verification events come from, the clock option, the manifest of a build."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from adtrigger.bundle import layout, update_card
from adtrigger.firmware import hwunits, verify
from adtrigger.firmware.design import FirmwareError


def _event(n: int = layout.N_L1_INPUTS) -> np.ndarray:
    x = np.zeros((1, n))
    x[0, :3] = (40.0, 0.0, 1.0)  # MET
    x[0, 15:18] = (25.0, 1.2, -2.0)  # a muon
    return x


def test_the_full_scale_is_defined_once_and_phi_ends_at_float32_pi():
    from adtrigger.training import vae

    assert vae.L1_FULL_SCALE is layout.L1_FULL_SCALE is hwunits.FULL_SCALE
    assert layout.PHI_MAX == float(np.float32(np.pi)) > np.pi


ABOVE_PI32 = float(np.nextafter(np.float32(np.pi), np.float32(4)))  # the next float32 above float32(pi)


@pytest.mark.parametrize("phi", [np.float32(np.pi), -np.float32(np.pi), ABOVE_PI32, -ABOVE_PI32, np.pi, 3.1416, 3.145,
                                 3.14])  # fmt: skip
def test_software_and_firmware_agree_at_the_phi_edge(phi):
    """float32(pi) is in range for both; the next float32 above it, and 3.1416 (half an LSB above pi: it rounds
    to the last in-range count), are overflow for both."""
    from adtrigger.training.vae import input_overflow

    x = _event()
    x[0, 17] = float(phi)
    hw = hwunits.to_hardware(x)
    lo, hi = hwunits.full_scale_hw()
    firmware_overflow = not ((hw >= lo) & (hw <= hi)).all()
    assert firmware_overflow == bool(input_overflow(x.astype(np.float32))[0]) == bool(input_overflow(x)[0])
    assert firmware_overflow == (abs(float(phi)) > layout.PHI_MAX)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("column", [0, 1, 2, 27])
def test_non_finite_inputs_raise_the_overflow_bit(bad, column):
    from adtrigger.training.vae import input_overflow

    x = _event()
    x[0, column] = bad
    hw = hwunits.to_hardware(x)
    lo, hi = hwunits.full_scale_hw()
    assert not ((hw >= lo) & (hw <= hi)).all()  # the firmware flags it
    assert input_overflow(x)[0]  # and so does the software (the service refuses it outright)


def test_digitising_keeps_every_overflow_decision():
    """Random events around every edge of the full scale: the count's overflow bit is the float event's."""
    from adtrigger.training.vae import input_overflow

    rng = np.random.default_rng(3)
    lo, hi = (np.array(v, float) for v in zip(*[layout.L1_FULL_SCALE[k] for k in ("pt", "eta", "phi")] * 19,
                                              strict=True))  # fmt: skip
    edge = np.where(rng.random((4000, 57)) < 0.5, lo, hi)
    x = edge + rng.normal(0, 1, edge.shape) * 2.0 ** rng.integers(-30, 2, edge.shape) * (rng.random(edge.shape) < 0.02)
    x = np.where(rng.random(x.shape) < 0.9, _event()[0] + 0 * x, x)  # most inputs ordinary, a few at an edge
    for dtype in (np.float64, np.float32):
        xi = x.astype(dtype)
        hw = hwunits.to_hardware(xi)
        lo_hw, hi_hw = hwunits.full_scale_hw()
        np.testing.assert_array_equal(~((hw >= lo_hw) & (hw <= hi_hw)).all(axis=1), input_overflow(xi))
    assert 0.05 < input_overflow(x).mean() < 0.95


def test_verification_files_come_from_the_bundle(trained_bundle, tmp_path, refstream, capsys, monkeypatch):
    from adtrigger.firmware.design import load_design

    design = load_design(trained_bundle, threshold=1.0)
    record = json.loads((trained_bundle / "record.json").read_text())
    files = verify.verification_files(design)
    named = record["config"]["data"]["sm"] + record["config"]["data"]["signals"]
    assert [f.name for f in files] == [f.rsplit("/", 1)[-1] for f in named]
    in_folder = verify.verification_files(design, refstream)
    assert [f.name for f in in_folder] == sorted(p.name for p in refstream.glob("*.h5"))
    with pytest.raises(FirmwareError, match="holds no event files"):
        verify.verification_files(design, tmp_path)
    moved = tmp_path / "moved"
    shutil.copytree(trained_bundle, moved)
    rec = json.loads((moved / "record.json").read_text())
    rec["config"]["data"]["sm"] = ["/nowhere/W_lnu.h5"]
    (moved / "record.json").write_text(json.dumps(rec))
    update_card(moved, {}, files=["record.json"])  # as training writes it
    moved_design = load_design(moved, threshold=1.0)
    # a bundle moved away from its data verifies on the reference stream, and says so
    assert verify.verification_files(moved_design) == verify.event_files(refstream)
    assert "/nowhere/W_lnu.h5" in capsys.readouterr().out
    monkeypatch.setenv("ADTRIGGER_REFSTREAM", str(tmp_path / "no_refstream"))
    with pytest.raises(FirmwareError, match=r"/nowhere/W_lnu.h5.*nor is refstream-v1.*--data-dir"):
        verify.verification_files(moved_design)
    hw = verify.verification_events(500, files[:2], seed=1)
    assert hw.shape == (500, layout.N_L1_INPUTS) and hw.dtype == np.int16
    lo, hi = hwunits.full_scale_hw()
    beyond = ~((hw >= lo) & (hw <= hi)).all(axis=1)
    assert beyond.sum() == verify.edge_counts(500)[1] and beyond[-verify.edge_counts(500)[1] :].all()


def test_clock_option():
    from adtrigger.firmware.pipeline import parse_clock

    assert parse_clock("240MHz") == pytest.approx(1e3 / 240)
    assert parse_clock("0.25 GHz") == pytest.approx(4.0)
    assert parse_clock("4.2ns") == parse_clock("4.2") == parse_clock(4.2) == 4.2
    for bad in ("fast", "0MHz", "1000GHz", "-5ns"):
        with pytest.raises(FirmwareError):
            parse_clock(bad)


@pytest.mark.parametrize(
    "groups",
    [
        [{"start": 0, "stop": 40}],
        [{"start": 0, "stop": 33, "scale_log2": -3}, {"start": 33, "stop": 64, "one_sided": True, "scale_mantissa": 255,
                                                       "scale_log2": 5}],
        [{"start": 0, "stop": 48, "int_bits": 7, "frac_bits": 3}],
    ],
    ids=["plain-40", "two-groups-64", "cast-48"],
)  # fmt: skip
@pytest.mark.parametrize("value", [-32.0, 31.984375])
def test_the_score_accumulators_hold_many_latent_dimensions(groups, value, tmp_path):
    """The HLS score code (convert._score_code) at the extremes of mu for 40 to 64 latent dimensions, compiled with
    hls4ml's ap_types: every group's sum of squares and the max are exact, no accumulator wraps."""
    import os
    import subprocess
    from types import SimpleNamespace

    import hls4ml

    from adtrigger.bundle import latent_score
    from adtrigger.firmware.convert import _score_code

    n = groups[-1]["stop"]
    parsed = latent_score.groups_from_json(groups, n)
    src = tmp_path / "score.cpp"
    src.write_text(
        '#include "ap_fixed.h"\n#include <cstdio>\ntypedef ap_fixed<12, 6> result_t;\n'
        f"int main() {{\n    result_t mu[{n}];\n    for (int i = 0; i < {n}; i++) mu[i] = {value};\n"
        f'{_score_code(SimpleNamespace(score_groups=parsed))}\n    std::printf("%.17g\\n", best.to_double());\n}}\n'
    )
    ap_types = os.path.join(os.path.dirname(hls4ml.__file__), "templates", "vivado", "ap_types")
    subprocess.run(["g++", "-O0", f"-I{ap_types}", str(src), "-o", str(tmp_path / "score")], check=True)
    got = float(subprocess.run([str(tmp_path / "score")], capture_output=True, text=True, check=True).stdout)
    mu = np.full((1, n), value)
    assert got == latent_score.grouped_mu2(mu, parsed)[0] > 0


def test_the_onnx_guard_of_the_embedded_bundle_agrees_at_the_phi_edge():
    """The committed bundle's ONNX graph (the service's scorer) draws the phi edge where the Keras model and the
    firmware do: float32(pi) scores as an event, the next float32 above it as overflow."""
    from pathlib import Path

    from adtrigger.bundle.scoring import Scorer
    from adtrigger.training.vae import OVERFLOW_SCORE

    x = np.repeat(_event(), 2, axis=0).astype(np.float32)
    x[0, 17], x[1, 17] = np.float32(np.pi), np.float32(ABOVE_PI32)
    score = Scorer(Path(__file__).resolve().parents[1] / "models" / "l1_vae_refstream").score(x)
    assert score[0] < OVERFLOW_SCORE and score[1] == OVERFLOW_SCORE


@pytest.mark.parametrize("name", ["l1_vae_refstream", "l1_vae_zerobias"])
def test_the_committed_firmware_is_reports_and_a_manifest(name):
    """A committed bundle's firmware/ is its report and manifest only (the rest is rebuilt); they name the
    namespace the bundle's content gives today, claim 0 DSP from the synthesis without -nodsp, and call the timing
    an estimate."""
    import subprocess
    from pathlib import Path

    from adtrigger.firmware.design import load_design

    repo = Path(__file__).resolve().parents[1]
    root = repo / "models" / name
    tracked = subprocess.run(["git", "ls-files", f"models/{name}/firmware"], cwd=repo, capture_output=True,
                             text=True, check=True).stdout.split()  # fmt: skip
    assert sorted(tracked) == [f"models/{name}/firmware/{f}" for f in ("manifest.json", "report.json", "report.md")]
    card = json.loads((root / "bundle.json").read_text())
    report = json.loads((root / "firmware" / "report.json").read_text())
    manifest = json.loads((root / "firmware" / "manifest.json").read_text())
    assert report["verification"]["passed"] and report["goals"]["dsp==0"]
    assert report["yosys"]["without_nodsp"]["dsp"] == 0 == report["yosys"]["dsp"]
    assert report["rtl"]["timing"]["kind"] == "estimate, not vendor timing"
    assert manifest["design"]["namespace"] == card["firmware"]["namespace"] == report["namespace"]
    assert load_design(root).namespace == report["namespace"]
    assert any(f.endswith(".so") for f in manifest["files"]) and manifest["tools"]["yosys"].startswith("Yosys")
