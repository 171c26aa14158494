"""The card written at train/evaluate time and the offline threshold tuning tool ``adtrigger calibrate``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from adtrigger.bundle import BundleError, load_bundle, update_card
from adtrigger.bundle.layout import L1_INPUT_NAMES
from adtrigger.bundle.rates import make_target
from adtrigger.refdata import refstream_dir


def test_train_writes_a_valid_card_and_evaluate_merges_metrics(trained_bundle, tmp_path):
    from adtrigger.training.pipeline import evaluate

    b = load_bundle(trained_bundle)
    card = b.card
    assert card["kind"] == "l1_vae" and card["name"] == "small_l1_vae"
    assert card["thresholds"] == {} and card["active_threshold"] is None and card["fixed_point"] is None
    assert card["input"]["feature_names"] == list(L1_INPUT_NAMES)
    assert len(card["preprocessing"]["offset"]) == 57 and card["score"]["kind"] == "mu2"
    assert {"model.keras", "preprocessing.json", "record.json"} <= set(card["files"])
    assert card["data"]["seed"] == 5 and len(card["data"]["files"]) == 5 and card["code"]["git_commit"]
    with pytest.raises(BundleError, match="no active threshold"):
        b.threshold()

    copy = tmp_path / "m"
    shutil.copytree(trained_bundle, copy)
    evaluate(copy, baselines=False)
    card = load_bundle(copy).card
    metrics = json.loads((copy / "evaluation" / "metrics.json").read_text())
    assert card["metrics"]["A_4l_m50"]["auc"] == metrics["scores"]["VAE mu2"]["A_4l_m50"]["auc"]
    assert set(card["metrics"]["A_4l_m50"]["tpr_at_fpr"]) == {"1e-05", "0.0001", "0.001"}
    assert "evaluation/metrics.json" in card["files"]


# --- the tuning tool on real refstream events, through a real ONNX graph -------------------------------------------

REFSTREAM = refstream_dir()
SM_FILES = [REFSTREAM / f"{p}.h5" for p in ("W_lnu", "QCD", "Z_ll", "ttbar")]
SIGNAL_FILES = [REFSTREAM / f"{p}.h5" for p in ("A_4l_m50", "h0_tautau_m60")]
SUM_PT_TYPE = {"signed": False, "width": 32, "integer": 16, "fraction": 16}


def sum_pt_onnx(path: Path) -> None:
    """A real ONNX graph of the L1 bundle interface: score = sum of the 19 pT / 4 (float64); L1 pT is on a 0.25 GeV
    grid, so the score lies on the 2^-4 grid: inside ap_ufixed<32,16>'s 2^-16 grid."""
    from onnx import TensorProto, helper

    mask = np.tile([1.0, 0.0, 0.0], 19) / 4
    nodes = [
        helper.make_node("Cast", ["l1_inputs"], ["x64"], to=TensorProto.DOUBLE),
        helper.make_node("MatMul", ["x64", "mask"], ["s2"]),
        helper.make_node("Reshape", ["s2", "shape"], ["score"]),
    ]
    graph = helper.make_graph(
        nodes,
        "sum_pt",
        [helper.make_tensor_value_info("l1_inputs", TensorProto.FLOAT, ["N", 57])],
        [helper.make_tensor_value_info("score", TensorProto.DOUBLE, ["N"])],
        [
            helper.make_tensor("mask", TensorProto.DOUBLE, [57, 1], mask.tolist()),
            helper.make_tensor("shape", TensorProto.INT64, [1], [-1]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path.write_bytes(model.SerializeToString())


def assert_near_target(achieved: dict, fpr: float) -> None:
    """The held-out FPR is within 2 sigma of the target, sigma combining both halves' statistics (the threshold
    fluctuates with the threshold-setting half as much as the rate with the held-out one)."""
    sigma = (achieved["fpr_hi"] - achieved["fpr_lo"]) / 2 * np.sqrt(2)
    assert abs(achieved["fpr"] - fpr) < 2 * sigma, (achieved, fpr)


@pytest.fixture(scope="module")
def sum_pt_bundle(trained_bundle, tmp_path_factory) -> Path:
    """The trained bundle with a sum-pT ONNX graph and its score type (as export would write them)."""
    root = tmp_path_factory.mktemp("sumpt") / "b"
    shutil.copytree(trained_bundle, root)
    sum_pt_onnx(root / "model.onnx")
    update_card(root, {"fixed_point": {"score": SUM_PT_TYPE, "layers": {}}}, files=["model.onnx"])
    return root


@pytest.fixture(scope="module")
def calibrated_sum_pt(sum_pt_bundle, tmp_path_factory) -> tuple[Path, dict]:
    from adtrigger.training.calibration import calibrate

    root = tmp_path_factory.mktemp("cal") / "b"
    shutil.copytree(sum_pt_bundle, root)
    entry = calibrate(root, SM_FILES, SIGNAL_FILES, make_target(rate_hz=1000.0, input_rate_hz=1e5),
                      max_events=20_000, workers=0)  # fmt: skip
    return root, entry


def test_calibrate_hits_the_target_on_held_out_sm(calibrated_sum_pt):
    root, entry = calibrated_sum_pt
    b = load_bundle(root)  # every file it wrote is registered with its checksum
    assert b.card["active_threshold"] == "default" and b.threshold() == entry
    a = entry["achieved"]
    assert a["split"] == "independent SM half" and a["fpr_lo"] < a["fpr"] < a["fpr_hi"]
    assert_near_target(a, 1e-2)
    assert (entry["warning"] is None) == (a["fpr_lo"] <= 1e-2 <= a["fpr_hi"])  # a miss is a warning, else null
    assert a["rate_hz"] == pytest.approx(a["fpr"] * 1e5)
    assert entry["data"]["training_events_left_out"] > 0  # the model's training files: train/val events left out
    report = {"markdown": "calibration/default/calibration.md", "plot": "calibration/default/rate.png"}
    assert entry["report"] == report and {"sm_distribution.json", *report.values()} <= set(b.card["files"])
    assert "threshold `default`" in (root / report["markdown"]).read_text()
    # the achieved FPR is the held-out half's weighted fraction, recomputed here from the events themselves
    from adtrigger.bundle.scoring import Scorer
    from adtrigger.training.calibration.sources import HALF_SALT
    from adtrigger.training.data import _unit_hash, load_sm, split_masks

    sm = load_sm(SM_FILES, max_events=20_000)
    keep = split_masks(sm, (0.6, 0.2, 0.2), 5)["test"]
    u = np.empty(len(sm))
    for lab, name in enumerate(sm.process_names):
        sel = sm.process == lab
        keep[np.flatnonzero(sel)[4000:]] = True  # training read the first 4000 events of each file
        salt = int.from_bytes(name.encode()[:8].ljust(8, b"\0"), "little") ^ HALF_SALT
        u[sel] = _unit_hash(sm.event_id[sel], 5, salt)
    held = keep & (u >= 0.5)
    s = Scorer(root).score(sm.flat[held])
    w = sm.weight[held]
    assert a["fpr"] == pytest.approx(w[s >= entry["score"]].sum() / w.sum(), rel=1e-9)
    assert a["n_events"] == held.sum()


def test_float_and_fixed_point_decisions_agree_on_every_event(calibrated_sum_pt):
    from adtrigger.bundle.fixed import fixed_scores
    from adtrigger.bundle.scoring import Scorer
    from adtrigger.training.stream.io import read_events

    root, entry = calibrated_sum_pt
    scorer = Scorer(root)
    raw = entry["fixed"]["raw"]
    assert entry["fixed"]["value"] == entry["score"] == raw * 2.0**-16
    for f in [*SM_FILES, *SIGNAL_FILES]:
        s = scorer.score(read_events(f, max_events=20_000).flat)
        hlt, l1 = scorer.accept(s), fixed_scores(s, SUM_PT_TYPE) >= raw
        assert np.array_equal(hlt, l1), f
    assert 0 < entry["signal_efficiency"]["A_4l_m50"] <= 1


def test_retarget_from_the_stored_distribution_matches_a_fresh_pass(calibrated_sum_pt, tmp_path):
    from adtrigger.bundle.rates import retarget
    from adtrigger.training.calibration import calibrate

    root, _ = calibrated_sum_pt
    dist = json.loads((root / "sm_distribution.json").read_text())
    copy = tmp_path / "b"
    shutil.copytree(root, copy)
    target = make_target(rate_hz=300.0, input_rate_hz=1e5)
    fresh = calibrate(copy, SM_FILES, SIGNAL_FILES, target, name="tight", activate=False, max_events=20_000, workers=0)
    r = retarget(dist, target, SUM_PT_TYPE)
    assert r.threshold == fresh["score"] and r.fixed == fresh["fixed"]
    for k in ("fpr", "fpr_lo", "fpr_hi", "rate_hz"):
        assert r.achieved[k] == pytest.approx(fresh["achieved"][k], rel=1e-9), k
    card = load_bundle(copy).card
    assert card["active_threshold"] == "default" and set(card["thresholds"]) == {"default", "tight"}


def test_cli_no_activate_keeps_the_active_report_and_warns_of_a_miss(calibrated_sum_pt, tmp_path, monkeypatch):
    """``--name tight --no-activate`` writes calibration/tight/ and leaves the active threshold's report as it was;
    a missed target (forced here: the check itself is tested in test_calibration_report) is a warning in the
    command's output, the card and the threshold's calibration.md."""
    from typer.testing import CliRunner

    from adtrigger.cli import app
    from adtrigger.training.calibration import tune

    root, _ = calibrated_sum_pt
    copy = tmp_path / "b"
    shutil.copytree(root, copy)
    before = {f: (copy / "calibration" / "default" / f).read_bytes() for f in ("calibration.md", "rate.png")}
    missed = "target 300 Hz is outside the achieved 68% interval on the held-out SM half"
    monkeypatch.setattr(tune, "target_warning", lambda target, achieved: missed)
    data = [a for f in SM_FILES for a in ("--data", str(f))]
    target = ["--rate", "300Hz", "--input-rate", "100kHz", "--name", "tight", "--no-activate"]
    r = CliRunner().invoke(app, ["calibrate", str(copy), *data, "--max-events", "20000", "--workers", "0", *target])
    assert r.exit_code == 0, r.output
    assert f"warning: threshold 'tight': {missed}" in r.output and "calibration/tight/rate.png" in r.output
    card = load_bundle(copy).card  # every report file registered with its checksum
    assert card["active_threshold"] == "default" and card["thresholds"]["tight"]["warning"] == missed
    assert {f: (copy / "calibration" / "default" / f).read_bytes() for f in before} == before
    tight = card["thresholds"]["tight"]["report"]
    assert tight == {"markdown": "calibration/tight/calibration.md", "plot": "calibration/tight/rate.png"}
    assert {*tight.values(), "calibration/default/rate.png"} <= set(card["files"])
    text = (copy / tight["markdown"]).read_text()
    assert "threshold `tight`" in text and f"**warning**: {missed}" in text and "](rate.png)" in text


def test_bad_targets_and_bundles_are_refused_clearly(sum_pt_bundle, trained_bundle, tmp_path):
    from adtrigger.training.calibration import calibrate

    with pytest.raises(BundleError, match=r"cannot be resolved: .* need ~1e\+07 effective events"):
        calibrate(sum_pt_bundle, SM_FILES, [], make_target(fpr=1e-6), max_events=20_000, workers=0)
    with pytest.raises(BundleError, match=r"no model\.onnx: run adtrigger export first"):
        calibrate(trained_bundle, SM_FILES, [], make_target(fpr=1e-2), max_events=2000, workers=0)
    with pytest.raises(BundleError, match="an SM file is given twice"):
        calibrate(sum_pt_bundle, [SM_FILES[0], SM_FILES[0]], [], make_target(fpr=1e-2), max_events=2000, workers=0)
    with pytest.raises(BundleError, match=r"no cocktail fraction for \['A_4l_m50'\]"):
        calibrate(sum_pt_bundle, [SM_FILES[0], SIGNAL_FILES[0]], [], make_target(fpr=1e-2), max_events=2000, workers=0)
    broken = tmp_path / "b"
    shutil.copytree(sum_pt_bundle, broken)
    (broken / "model.onnx").write_bytes(b"garbage")
    with pytest.raises(BundleError, match=r"model\.onnx: sha256/size differs from the card"):
        calibrate(broken, SM_FILES, [], make_target(fpr=1e-2), max_events=2000, workers=0)


# --- the real exported L1 VAE -----------------------------------------------------------------------------------------


def test_calibrated_real_model_hits_target_and_l1_agrees_with_hlt(calibrated_bundle):
    from adtrigger.bundle.fixed import fixed_scores
    from adtrigger.bundle.scoring import Scorer
    from adtrigger.training.stream.io import read_events

    b = load_bundle(calibrated_bundle)
    th = b.threshold()
    assert_near_target(th["achieved"], 1e-2)
    assert th["achieved"]["n_effective_above"] >= 10
    score_type = b.card["fixed_point"]["score"]
    assert th["fixed"]["value"] == th["score"] == th["fixed"]["raw"] * 2.0 ** -score_type["fraction"]
    scorer = Scorer(b)
    for f in [*SM_FILES, *SIGNAL_FILES]:
        s = scorer.score(read_events(f, max_events=20_000).flat)
        assert np.array_equal(scorer.accept(s), fixed_scores(s, score_type) >= th["fixed"]["raw"]), f


def test_cli_calibrate_on_dask_and_clear_cli_errors(exported_bundle, tmp_path):
    from typer.testing import CliRunner

    from adtrigger.cli import app

    copy = tmp_path / "b"
    shutil.copytree(exported_bundle, copy)
    data = [a for f in SM_FILES for a in ("--data", str(f))]
    base = ["calibrate", str(copy), *data, "--max-events", "20000"]
    runner = CliRunner()
    r = runner.invoke(app, [*base, "--data-signal", str(SIGNAL_FILES[1]), "--rate", "2kHz", "--input-rate", "100kHz",
                            "--workers", "2", "--shard-events", "8000"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "held-out SM FPR" in r.output and "h0_tautau_m60: efficiency" in r.output
    th = load_bundle(copy).threshold()
    assert th["target"] == {"kind": "rate_hz", "value": 2000.0, "input_rate_hz": 1e5, "fpr": 0.02}
    assert_near_target(th["achieved"], 0.02)
    for args, msg in [
        (["--rate", "200kHz", "--input-rate", "100kHz"], "not below the input rate"),
        (["--rate", "1kHz"], "needs a positive input rate"),
        (["--fpr", "-1e-3"], "must be a positive number"),
        (["--fpr", "1e-7"], "cannot be resolved"),
    ]:
        r = runner.invoke(app, [*base, "--workers", "0", *args])
        assert r.exit_code == 2 and msg in r.output and len(r.output.strip().splitlines()) == 1, r.output
