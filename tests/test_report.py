"""The evaluation report: metrics per score and signal, the table, the plot."""

from __future__ import annotations

import json

import numpy as np

from adtrigger.training.metrics import min_resolved_fpr
from adtrigger.training.report import (
    evaluate_scores,
    evaluation_markdown,
    markdown_table,
    plot_rocs,
    roc_figure,
    write_metrics,
)


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
    assert "| A | good |" in table and "TPR @ FPR 1e-3" in table and "1e-4" not in table.splitlines()[0]
    assert "(" in markdown_table(m, 1e-5)  # unresolved points are marked
    write_metrics(m, tmp_path / "m.json")
    assert json.loads((tmp_path / "m.json").read_text())["scores"]["good"]["A"]["auc"] == good["auc"]
    assert plot_rocs(sm, w, signals, tmp_path / "roc.png").stat().st_size > 10_000


def _small_stream():
    """A small SM stream (20k events, ~18k effective): FPR 1e-3 resolved, 1e-4 and 1e-5 not."""
    rng = np.random.default_rng(1)
    n = 20_000
    sm = {"vae": rng.normal(0, 1, n), "ae": rng.normal(0, 1, n)}
    w = rng.uniform(0.5, 1.5, n)
    signals = {
        "A": {"vae": rng.normal(3, 1, 2000), "ae": rng.normal(1, 1, 2000)},
        "B": {"vae": rng.normal(2, 1, 2000), "ae": rng.normal(2.5, 1, 2000)},
    }
    return sm, w, signals


def test_table_has_every_fpr_point_and_marks_the_unresolved():
    sm, w, signals = _small_stream()
    m = evaluate_scores(sm, w, signals)
    m["model"] = "tiny"
    lines = markdown_table(m).splitlines()
    assert lines[0] == "| signal | score | AUC | TPR @ FPR 1e-3 | TPR @ FPR 1e-4 | TPR @ FPR 1e-5 |"
    rows = [line.split(" | ") for line in lines[2:6]]
    assert [r[:2] for r in rows] == [["| A", "vae"], ["| A", "ae"], ["| B", "vae"], ["| B", "ae"]]
    for r in rows:
        at_1e3, at_1e4, at_1e5 = r[3], r[4], r[5].rstrip(" |")
        assert not at_1e3.startswith("(") and at_1e4.startswith("(") and at_1e5.startswith("(")
    vae_a = m["scores"]["vae"]["A"]["tpr_at_fpr"]["0.001"]
    assert lines[2].startswith(f"| A | vae | {m['scores']['vae']['A']['auc']:.3f} | {vae_a['tpr']:.3g} |")
    assert f"FPR below {min_resolved_fpr(w):.2g}" in markdown_table(m)
    page = evaluation_markdown(m)
    assert page.startswith("# tiny: evaluation") and "TPR @ FPR 1e-3" in page and "![ROC](roc.png)" in page


def _legend_texts(ax) -> set[str]:
    return {t.get_text() for t in ax.get_legend().get_texts()}


def test_roc_plot_legends_every_line_and_band_and_shades_the_unresolved_range(tmp_path):
    import matplotlib.pyplot as plt

    sm, w, signals = _small_stream()
    fig = roc_figure(sm, w, signals)
    floor = min_resolved_fpr(w)
    for ax in fig.axes:
        artists = [*ax.lines, *ax.patches, *ax.collections]
        labels = [a.get_label() for a in artists]
        assert len(artists) == 4 and not any(lab.startswith("_") for lab in labels), labels
        assert set(labels) == _legend_texts(ax)
        band = next(p for p in ax.patches if "unresolved" in p.get_label())
        x0, x1 = band.get_x(), band.get_x() + band.get_width()
        assert x0 <= 1e-6 and x1 == floor and 1e-4 < floor < 1e-3
        assert any("AUC" in lab for lab in labels) and any("1e-3" in lab for lab in labels)
    plt.close(fig)
    assert plot_rocs(sm, w, signals, tmp_path / "roc.png").stat().st_size > 10_000
