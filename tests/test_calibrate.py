"""The card written at train/evaluate time and the offline threshold tuning tool ``adtrigger calibrate``."""

from __future__ import annotations

import json
import shutil

import pytest

from adtrigger.bundle import BundleError, load_bundle
from adtrigger.bundle.layout import L1_INPUT_NAMES


def test_train_writes_a_valid_card_and_evaluate_merges_metrics(trained_bundle, tmp_path):
    from training.pipeline import evaluate

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
