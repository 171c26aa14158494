"""The evaluation report: metrics per score and signal, the table, the plot."""

from __future__ import annotations

import json

import numpy as np

from adtrigger.training.report import evaluate_scores, markdown_table, plot_rocs, write_metrics


def test_report_ranks_a_better_score_higher(tmp_path):
    rng = np.random.default_rng(0)
    n = 200_000
    sm = {"good": rng.normal(0, 1, n), "weak": rng.normal(0, 1, n), "clf@A": rng.normal(0, 1, n)}
    w = rng.uniform(0.5, 1.5, n)
    signals = {"A": {"good": rng.normal(3, 1, 5000), "weak": rng.normal(0.5, 1, 5000), "clf": rng.normal(4, 1, 5000)}}
    m = evaluate_scores(sm, w, signals)
    good, weak = m["scores"]["good"]["A"], m["scores"]["weak"]["A"]
    assert good["auc"] > 0.95 > 0.7 > weak["auc"]
    assert good["tpr_at_fpr"]["0.001"]["tpr"] > 5 * weak["tpr_at_fpr"]["0.001"]["tpr"]
    assert good["tpr_at_fpr"]["0.001"]["resolved"] and not good["tpr_at_fpr"]["1e-05"]["resolved"]
    assert m["scores"]["clf"]["A"]["auc"] > good["auc"]
    table = markdown_table(m, 1e-3)
    assert "| A |" in table and "good: TPR@0.001" in table
    assert "(" in markdown_table(m, 1e-5)  # unresolved points are marked
    write_metrics(m, tmp_path / "m.json")
    assert json.loads((tmp_path / "m.json").read_text())["scores"]["good"]["A"]["auc"] == good["auc"]
    assert plot_rocs(sm, w, signals, tmp_path / "roc.png").stat().st_size > 10_000
