"""The train and evaluate jobs end to end on small generated events, through the CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from adtrigger.cli import app
from adtrigger.training.stream.io import write_events

runner = CliRunner()


def test_train_then_evaluate_writes_a_complete_model_directory(tmp_path, small_events):
    for name in ("W_lnu", "Z_ll", "ttbar", "A_4l_m50"):
        write_events(small_events[name], tmp_path / f"{name}.h5")
    (tmp_path / "c.yaml").write_text(
        "name: tiny\nseed: 2\n"
        "data:\n  sm: [W_lnu.h5, Z_ll.h5, ttbar.h5]\n  signals: [A_4l_m50.h5]\n"
        "model:\n  hidden: [16, 8]\n  latent: 4\n  kl_warmup_epochs: 1\n"
        "train:\n  epochs: 3\n  batch_size: 128\n"
    )
    models = tmp_path / "models"
    res = runner.invoke(app, ["train", str(tmp_path / "c.yaml"), "--models-dir", str(models)])
    assert res.exit_code == 0, res.output
    out = models / "tiny"
    record = json.loads((out / "record.json").read_text())
    assert record["config"]["model"]["latent"] == 4 and record["epochs_run"] >= 1
    assert record["data"]["sm_events"]["train"] > 300
    assert record["code"]["adtrigger"] and (out / "training.png").stat().st_size > 5000
    assert not list(models.glob(".*tmp"))

    again = runner.invoke(app, ["train", str(tmp_path / "c.yaml"), "--models-dir", str(models)])
    assert again.exit_code == 2 and "--force" in again.output

    res = runner.invoke(app, ["evaluate", str(out)])
    assert res.exit_code == 0, res.output
    metrics = json.loads((out / "evaluation" / "metrics.json").read_text())
    plain = {"MET", "S_T", "leading lepton pT"}
    assert set(metrics["scores"]) == {"VAE mu2", "float twin", *plain, "AE (ADC2021)", "supervised"}
    vae = metrics["scores"]["VAE mu2"]["A_4l_m50"]
    assert 0.0 <= vae["auc"] <= 1.0 and "0.001" in vae["tpr_at_fpr"]
    lo, hi = vae["tpr_at_fpr"]["0.0001"]["tpr_band"]
    assert lo <= vae["tpr_at_fpr"]["0.0001"]["tpr"] <= hi
    assert metrics["bar"]["A_4l_m50"]["0.001"]["by"] in {*plain, "AE (ADC2021)"}
    assert set(metrics["ratio_to_float_twin"]["A_4l_m50"]) == {"1e-05", "0.0001", "0.001"}
    assert (out / "evaluation" / "roc.png").stat().st_size > 10_000
    table = (out / "evaluation" / "table.md").read_text()
    assert "| A_4l_m50 |" in table and "| float twin |" in table and "against the bar" in table
    card = json.loads((out / "bundle.json").read_text())["metrics"]["A_4l_m50"]
    assert set(card["ratio_to_bar"]) == set(card["ratio_to_float_twin"]) == set(card["tpr_at_fpr"])


def test_train_refuses_bad_config(tmp_path):
    (tmp_path / "c.yaml").write_text("data:\n  sm: [nope.h5]\n")
    res = runner.invoke(app, ["train", str(tmp_path / "c.yaml")])
    assert res.exit_code == 2 and "data file not found" in res.output
    res = runner.invoke(app, ["evaluate", str(tmp_path)])
    assert res.exit_code == 2 and "not a trained model directory" in res.output


def test_hlt_vae_trains_evaluates_and_reloads(tmp_path, small_events):
    import numpy as np

    from adtrigger.training import hlt_vae

    for name in ("W_lnu", "Z_ll", "ttbar", "A_4l_m50"):
        write_events(small_events[name], tmp_path / f"{name}.h5")
    (tmp_path / "h.yaml").write_text(
        "name: tiny_hlt\nseed: 3\n"
        "data:\n  sm: [W_lnu.h5, Z_ll.h5, ttbar.h5]\n  signals: [A_4l_m50.h5]\n"
        "model:\n  kind: hlt_vae\n  hidden: [16, 8]\n  latent: 4\n  beta: 1.0\n  score: loss\n"
        "train:\n  epochs: 4\n  batch_size: 128\n"
    )
    models = tmp_path / "models"
    res = runner.invoke(app, ["train", str(tmp_path / "h.yaml"), "--models-dir", str(models)])
    assert res.exit_code == 0, res.output
    out = models / "tiny_hlt"
    record = json.loads((out / "record.json").read_text())
    assert record["config"]["model"]["kind"] == "hlt_vae" and record["active_latent_dims"] >= 1

    model = hlt_vae.load_hlt_vae(out)
    x = small_events["A_4l_m50"].hlt
    again = hlt_vae.load_hlt_vae(out).score(x)
    assert np.array_equal(model.score(x), again) and np.isfinite(again).all()

    res = runner.invoke(app, ["evaluate", str(out)])
    assert res.exit_code == 0, res.output
    metrics = json.loads((out / "evaluation" / "metrics.json").read_text())
    assert set(metrics["scores"]) == {"VAE loss", "MET", "S_T", "leading lepton pT", "AE (ADC2021)", "supervised"}
    assert "float twin" not in metrics["scores"] and metrics["bar"]["A_4l_m50"]["0.001"]["by"]


def test_hlt_vae_refuses_files_without_hlt_features(tmp_path, refstream):
    data = refstream
    (tmp_path / "h.yaml").write_text(
        f"name: no_hlt\ndata:\n  sm: [{data / 'Z_ll.h5'}]\n  max_events: 500\n"
        "model:\n  kind: hlt_vae\n  latent: 4\n  score: loss\ntrain:\n  epochs: 1\n"
    )
    res = runner.invoke(app, ["train", str(tmp_path / "h.yaml"), "--models-dir", str(tmp_path / "m")])
    assert res.exit_code == 2 and "HLT features" in res.output
