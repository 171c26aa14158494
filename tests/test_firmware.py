"""The L1 firmware flow on the small trained model: one build (hls4ml C-sim, emulator, da4ml RTL in Verilator, Yosys)
of a grouped score shared by the tests, bit-exact against Keras (and ONNX once the bundle has it) on 100k events."""

from __future__ import annotations

import ctypes
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from adtrigger.bundle import latent_score, update_card
from adtrigger.firmware import convert, emulator, hwunits, rtl, verify
from adtrigger.firmware.design import FirmwareError, load_design
from adtrigger.firmware.flow import FirmwareSettings, build_firmware

N_EVENTS = 100_000
# the score the firmware is built for when the trained bundle has no groups of its own (latent 4): a right shift, a
# left shift with a mantissa, and a one-sided group, each group deciding some of the triggered events
FW_GROUPS = [{"start": 0, "stop": 3, "scale_log2": -1, "one_sided": False},
             {"start": 3, "stop": 4, "scale_log2": 1, "one_sided": True, "scale_mantissa": 3}]  # fmt: skip


def _record_groups(bundle: Path) -> list[latent_score.LatentGroup]:
    from adtrigger.training import vae

    return vae.load_score_groups(bundle, vae.latent_size(vae.load_model(bundle)))


def _grouped_calibrated_copy(trained: Path, out: Path) -> None:
    """``out``: the trained bundle with FW_GROUPS in its record, exported and calibrated as conftest's
    calibrated_bundle is (1 kHz at 100 kHz on refstream-v1 SM, A_4l_m50 as signal)."""
    from adtrigger.bundle.rates import make_target
    from adtrigger.refdata import refstream_dir
    from adtrigger.training.calibration import calibrate
    from adtrigger.training.export_onnx import export

    shutil.copytree(trained, out)
    record = json.loads((out / "record.json").read_text())
    record["score_groups"] = FW_GROUPS
    (out / "record.json").write_text(json.dumps(record, indent=1))
    update_card(out, {}, files=["record.json"])  # as training writes it
    export(out)
    ref = refstream_dir()
    sm = [ref / f"{p}.h5" for p in ("W_lnu", "QCD", "Z_ll", "ttbar")]
    target = make_target(rate_hz=1000.0, input_rate_hz=1e5)
    calibrate(out, sm, [ref / "A_4l_m50.h5"], target, max_events=20_000, workers=0)


@pytest.fixture(scope="session")
def firmware_bundle(trained_bundle, tmp_path_factory, request) -> tuple[Path, dict]:
    """The one compiled firmware of the session, of a calibrated bundle with a grouped score: a copy of the shared
    calibrated bundle when training gave it groups, else the trained bundle with FW_GROUPS, exported and calibrated."""
    bundle = tmp_path_factory.mktemp("fw") / trained_bundle.name
    if len(_record_groups(trained_bundle)) > 1:
        shutil.copytree(request.getfixturevalue("calibrated_bundle"), bundle)
    else:
        _grouped_calibrated_copy(trained_bundle, bundle)
    summary = build_firmware(bundle, FirmwareSettings(n_events=N_EVENTS))
    return bundle, summary


def _keras_score(design, x: np.ndarray) -> np.ndarray:
    """The Keras reference of a design's score: l1_score with the design's latent groups and its overflow guard."""
    from adtrigger.training import vae

    return vae.l1_score(vae.load_model(design.bundle), x, "mu2", groups=design.score_groups)


def test_csim_emulator_and_rtl_are_bit_exact(firmware_bundle):
    bundle, summary = firmware_bundle
    raw = json.loads((bundle / "bundle.json").read_text())["score"]["groups"]
    groups = latent_score.groups_from_json(raw, raw[-1]["stop"])
    assert len(groups) > 1 and summary["score_groups"] == latent_score.groups_to_json(groups)
    detail = json.loads((bundle / "firmware" / "report.json").read_text())["verification_detail"]
    assert detail["passed"] and detail["n_events"] == N_EVENTS
    if any(g.clipped for g in groups):  # mu's saturating cast is exercised (the events above the SM tail), bit-exact
        assert 0 < detail["n_saturated"] < N_EVENTS // 100
    assert set(detail["results"]) == {"csim", "emulator", "rtl"}
    if (bundle / "model.onnx").is_file():
        assert "onnx" in detail["references"] and detail["keras_vs_onnx_score_mismatches"] == 0
    for per_ref in detail["results"].values():
        for c in per_ref.values():
            assert c["score_mismatches"] == c["trigger_mismatches"] == c["overflow_mismatches"] == 0
            assert 0 < c["n_triggered"] < N_EVENTS  # both decisions occur, so identical bits mean something
            assert c["n_overflow"] == verify.N_OVERFLOW  # every out-of-range event raised the overflow bit


def test_emulator_matches_keras_on_fresh_events(firmware_bundle):
    """Independent of the flow's own check: other events, the library loaded here, Keras scored here."""
    from adtrigger.training import vae

    bundle, summary = firmware_bundle
    design = load_design(bundle, None if summary["threshold"]["source"] == "card" else summary["threshold"]["score"])
    assert design.score_groups == latent_score.groups_from_json(design.card["score"]["groups"], design.n_latent)
    lib = bundle / "firmware" / "emulator" / emulator.library_name(design.namespace)
    raw, trig, ovf = emulator.Emulator(lib, design.namespace).predict(verify.verification_events(3000, seed=99))
    hw = verify.verification_events(3000, seed=99)
    x = hwunits.from_hardware(hw)
    score = _keras_score(design, x)
    np.testing.assert_array_equal(raw, design.fixed_score(score))
    np.testing.assert_array_equal(trig, score >= design.threshold["value"])
    np.testing.assert_array_equal(ovf, vae.input_overflow(x))
    mu = vae.latent(vae.load_model(bundle), x[~ovf])[0]
    winner = latent_score.group_scores(mu, design.score_groups).argmax(axis=1)[trig[~ovf]]
    assert len(set(winner.tolist())) > 1  # the triggered events are not all one group's: the max is exercised


def test_report_numbers_come_from_the_tools(firmware_bundle):
    bundle, summary = firmware_bundle
    fw = bundle / "firmware"
    log = (fw / "rtl" / "yosys.log").read_text()
    stat = log[log.rfind("Number of cells") :]
    luts = sum(int(n) for _, n in rtl.LUT_CELL.findall(stat))  # logic LUTs, SRL and LUTRAM cells
    ffs = sum(int(n) for n in re.findall(r"^\s*FD[A-Z]*\s+(\d+)\s*$", stat, re.M))
    assert luts > 0 and summary["yosys"]["lut"] == luts and summary["yosys"]["ff"] == ffs
    meta = json.loads((fw / "rtl" / "metadata.json").read_text())
    assert summary["rtl"]["stages"] == meta["latency"] and summary["rtl"]["da4ml_cost"] == meta["cost"]
    assert summary["rtl"]["latency_ns"] == meta["latency"] * summary["rtl"]["clock_period_ns"]
    md = (fw / "report.md").read_text()
    assert f"{luts:,}" in md and f"{meta['latency']} stages" in md and "PASSED" in md
    assert f"Score: `{summary['score_definition']}`" in md and summary["score_definition"].startswith("max(")
    assert summary["goals"]["lut<=11800"] == (luts <= 11_800)
    card = json.loads((bundle / "bundle.json").read_text())
    assert card["firmware"]["yosys"]["lut"] == luts
    assert "firmware/report.json" in card["files"]
    assert (fw / "hls" / "build_trigger.tcl").is_file() and (fw / "hls" / "tb" / "hw_inputs.dat").is_file()


@pytest.fixture(scope="module")
def second_emulator(trained_bundle, tmp_path_factory) -> tuple[Path, str, object]:
    """A second bundle in its own namespace with other weights (enc_0 kernel halved) and another threshold:
    only its own HLS project and emulator are built."""
    from adtrigger.training import vae

    bundle = tmp_path_factory.mktemp("second") / "second_l1"
    bundle.mkdir()
    model = vae.load_model(trained_bundle)
    layer = model.get_layer("enc_0")
    layer.kernel.assign(layer.kernel * 0.5)
    vae.save_model(model, bundle)  # no card: the name comes from the folder
    design = load_design(bundle, threshold=1.0)
    project = convert.convert(design, bundle / "hls")
    _, objects = convert.build_csim(project)
    lib = emulator.build_library(design, project, objects, bundle / "emulator")
    return lib, design.namespace, design


def test_two_emulators_in_one_process(firmware_bundle, second_emulator):
    """Both libraries loaded RTLD_GLOBAL (the mode where un-namespaced symbols collide), both give their own
    model's bits; every exported symbol carries the bundle's name."""

    bundle, summary = firmware_bundle
    first = load_design(bundle, None if summary["threshold"]["source"] == "card" else summary["threshold"]["score"])
    lib1 = bundle / "firmware" / "emulator" / emulator.library_name(first.namespace)
    lib2, ns2, second = second_emulator
    assert first.namespace != ns2
    e1 = emulator.Emulator(lib1, first.namespace, mode=ctypes.RTLD_GLOBAL)
    e2 = emulator.Emulator(lib2, ns2, mode=ctypes.RTLD_GLOBAL)
    hw = verify.verification_events(2000, seed=5)
    x = hwunits.from_hardware(hw)
    assert second.score_groups == latent_score.single_group(second.n_latent)  # no card: one plain group
    for design, emu in ((first, e1), (second, e2)):
        score = _keras_score(design, x)
        raw, trig, _ = emu.predict(hw)
        np.testing.assert_array_equal(raw, design.fixed_score(score))
        np.testing.assert_array_equal(trig, score >= design.threshold["value"])
    assert not np.array_equal(e1.predict(hw)[0], e2.predict(hw)[0])  # the two really are different models
    for lib, ns in ((lib1, first.namespace), (lib2, ns2)):
        out = subprocess.run(["nm", "-D", "--defined-only", "-C", str(lib)], capture_output=True, text=True).stdout
        names = [line.split(" ", 2)[2] for line in out.splitlines() if len(line.split(" ", 2)) == 3]
        assert names and all(ns in n for n in names), [n for n in names if ns not in n][:5]


def test_bad_emulator_loads_are_errors(tmp_path, second_emulator):
    lib, ns, _ = second_emulator
    with pytest.raises(FirmwareError, match="does not exist"):
        emulator.Emulator(tmp_path / "missing.so", ns)
    junk = tmp_path / "junk.so"
    junk.write_text("not a library")
    with pytest.raises(FirmwareError, match="cannot load"):
        emulator.Emulator(junk, ns)
    with pytest.raises(FirmwareError, match="exports no emulator"):
        emulator.Emulator(lib, "other_bundle")
    with pytest.raises(FirmwareError, match="int16"):
        emulator.Emulator(lib, ns).predict(np.zeros((3, 56), np.int16))


def test_hardware_units_round_trip_and_full_scale():
    x = np.array([[2048.0, -5.0, np.pi] * 19, [2048.25, 5.01, -3.15] * 19])
    hw = hwunits.to_hardware(x)
    assert hw[0, :3].tolist() == [8192, -640, 402]
    lo, hi = hwunits.full_scale_hw()
    inside = ((hw >= lo) & (hw <= hi)).all(axis=1)
    from adtrigger.training.vae import input_overflow

    assert inside.tolist() == [True, False]
    np.testing.assert_array_equal(~inside, input_overflow(hwunits.from_hardware(hw)))
    np.testing.assert_array_equal(hwunits.to_hardware(hwunits.from_hardware(hw)), hw)
    with pytest.raises(ValueError, match="not on the hardware LSB grid"):
        hwunits.offsets_hw(np.array([0.1, 0.0, 0.0]))


def test_bundle_without_threshold_is_refused_by_the_cli(trained_bundle, tmp_path):
    from typer.testing import CliRunner

    from adtrigger.cli import app

    path = trained_bundle / "bundle.json"
    card = json.loads(path.read_text()) if path.is_file() else {}
    assert not card.get("active_threshold"), "the shared trained bundle must stay uncalibrated (conftest.py)"
    r = CliRunner().invoke(app, ["firmware", str(trained_bundle)])
    assert r.exit_code == 2 and "no calibrated threshold" in r.output and "adtrigger calibrate" in r.output


def test_unmappable_layer_and_missing_tool(tmp_path, monkeypatch):
    import keras

    from adtrigger.firmware import design as design_mod
    from adtrigger.firmware import tools

    inp = keras.Input((57,))
    model = keras.Model(inp, keras.layers.Dense(4, name="plain_dense")(inp))
    with pytest.raises(FirmwareError, match=r"'plain_dense'.*cannot be mapped"):
        design_mod._layers(model)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FirmwareError, match=r"verilator not found.*apt-get install verilator"):
        tools.require("verilator")


def test_failed_build_keeps_the_good_one(firmware_bundle, tmp_path, monkeypatch):
    bundle, summary = firmware_bundle
    copy = tmp_path / bundle.name
    shutil.copytree(bundle, copy)
    before = (copy / "firmware" / "report.json").read_bytes()

    def broken(*args, **kwargs):
        raise FirmwareError("g++ exploded")

    monkeypatch.setattr(convert, "build_csim", broken)
    with pytest.raises(FirmwareError, match="exploded"):
        build_firmware(copy, FirmwareSettings(threshold=summary["threshold"]["score"], rtl=False))
    assert (copy / "firmware" / "report.json").read_bytes() == before
    assert (copy / "firmware.failed" / "hls").is_dir()
    assert not list(copy.glob(".firmware.tmp-*"))
