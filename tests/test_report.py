"""The evaluation report: metrics per score and signal, the table, the plot."""

from __future__ import annotations

import functools
import json

import numpy as np

from adtrigger.training.metrics import min_resolved_fpr
from adtrigger.training.report import (
    AE_SCORE,
    FLOAT_TWIN_SCORE,
    bar_table,
    compare_to_bar,
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
    assert lines[0] == (
        "| signal | score | AUC | TPR @ FPR 1e-3 | SM eff. above @ 1e-3 | TPR @ FPR 1e-4 | SM eff. above @ 1e-4 "
        "| TPR @ FPR 1e-5 | SM eff. above @ 1e-5 |"
    )
    rows = [line.split(" | ") for line in lines[2:6]]
    assert [r[:2] for r in rows] == [["| A", "vae"], ["| A", "ae"], ["| B", "vae"], ["| B", "ae"]]
    for r in rows:
        at_1e3, at_1e4, at_1e5 = r[3], r[5], r[7]
        assert not at_1e3.startswith("(") and at_1e4.startswith("(") and at_1e5.startswith("(")
        assert "[" not in at_1e3 and "[" in at_1e4 and "[" in at_1e5  # bands at FPR <= 1e-4 only
    vae_a = m["scores"]["vae"]["A"]["tpr_at_fpr"]
    lo, hi = vae_a["0.0001"]["tpr_band"]
    assert lines[2].startswith(
        f"| A | vae | {m['scores']['vae']['A']['auc']:.3f} | {vae_a['0.001']['tpr']:.3g} | "
        f"{vae_a['0.001']['sm_effective_above']:.0f} | ({vae_a['0.0001']['tpr']:.3g} [{lo:.3g}, {hi:.3g}]) | "
    )
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


def test_operating_points_at_low_fpr_carry_a_seeded_bootstrap_band():
    sm, w, signals = _small_stream()
    m = evaluate_scores(sm, w, signals, n_resamples=100, seed=4)
    again = evaluate_scores(sm, w, signals, n_resamples=100, seed=4)
    for name in ("vae", "ae"):
        point = m["scores"][name]["A"]["tpr_at_fpr"]
        assert "tpr_band" not in point["0.001"]
        for key in ("0.0001", "1e-05"):
            lo, hi = point[key]["tpr_band"]
            assert lo <= point[key]["tpr"] <= hi and point[key] == again["scores"][name]["A"]["tpr_at_fpr"][key]
        assert "tpr_band" in m["scores"][name]["A"]["at_events_per_day"]  # FPR ~8e-6
    assert m["bootstrap"] == {"resamples": 100, "seed": 4, "level": 0.68, "max_fpr": 1e-4}
    assert "[lo, hi]: bootstrap 68% band" in markdown_table(m)


@functools.cache
def _bar_stream():
    """A stream resolved at FPR 1e-4 (100k SM) where MET beats the AE on A and the AE beats everything else on B."""
    rng = np.random.default_rng(2)
    n, k = 100_000, 4000
    names = ("VAE mu2", FLOAT_TWIN_SCORE, "MET", "S_T", "leading lepton pT", AE_SCORE)
    sm = {name: rng.normal(0, 1, n) for name in names}
    sm["supervised@A"] = sm["supervised@B"] = rng.normal(0, 1, n)
    means = {
        "A": {"VAE mu2": 3.0, FLOAT_TWIN_SCORE: 3.3, "MET": 3.5, "S_T": 1.0, "leading lepton pT": 0.5, AE_SCORE: 2.0},
        "B": {"VAE mu2": 3.0, FLOAT_TWIN_SCORE: 3.0, "MET": 0.5, "S_T": 1.0, "leading lepton pT": 1.5, AE_SCORE: 2.5},
    }
    signals = {s: {name: rng.normal(mu, 1, k) for name, mu in by.items()} for s, by in means.items()}
    for s in signals:
        signals[s]["supervised"] = rng.normal(6.0, 1, k)  # a reference: never the bar
    return sm, rng.uniform(0.5, 1.5, n), signals


def test_the_bar_is_the_best_plain_trigger_or_ae_and_names_it():
    sm, w, signals = _bar_stream()
    m = evaluate_scores(sm, w, signals, primary="VAE mu2", n_resamples=50)
    tpr = {name: {s: m["scores"][name][s]["tpr_at_fpr"]["0.001"]["tpr"] for s in signals} for name in m["scores"]}
    assert m["bar"]["A"]["0.001"]["by"] == "MET" and m["bar"]["B"]["0.001"]["by"] == AE_SCORE
    assert m["bar"]["A"]["0.001"]["tpr"] == tpr["MET"]["A"] and m["bar"]["B"]["0.001"]["tpr"] == tpr[AE_SCORE]["B"]
    assert set(m["bar"]["A"]) == {"1e-05", "0.0001", "0.001"} and "tpr_band" in m["bar"]["A"]["0.0001"]
    assert m["ratio_to_bar"]["A"]["0.001"] == tpr["VAE mu2"]["A"] / tpr["MET"]["A"] < 1
    assert m["ratio_to_bar"]["B"]["0.001"] == tpr["VAE mu2"]["B"] / tpr[AE_SCORE]["B"] > 1
    assert m["ratio_to_float_twin"]["A"]["0.001"] == tpr["VAE mu2"]["A"] / tpr[FLOAT_TWIN_SCORE]["A"] < 1
    write_metrics(m, "/dev/null")  # strict JSON


def test_bar_without_baselines_or_twin_and_zero_tprs():
    rng = np.random.default_rng(3)
    sm, w = {"model": rng.normal(0, 1, 1000)}, np.ones(1000)
    m = evaluate_scores(sm, w, {"A": {"model": rng.normal(0, 1, 100)}}, primary="model", n_resamples=0)
    assert m["bar"] == {} and m["ratio_to_bar"] == {} and m["ratio_to_float_twin"] == {}
    assert "tpr_band" not in m["scores"]["model"]["A"]["tpr_at_fpr"]["1e-05"]
    point = {"tpr": 0.0, "resolved": True}
    fake = {"scores": {"model": {"A": {"tpr_at_fpr": {"0.001": {**point, "tpr": 0.2}, "0.0001": point}}},
                       "MET": {"A": {"tpr_at_fpr": {"0.001": point, "0.0001": point}}}}}  # fmt: skip
    got = compare_to_bar(fake, "model")
    assert got["ratio_to_bar"]["A"] == {"0.001": float("inf"), "0.0001": None}


def test_bar_table_rows_per_signal_and_fpr():
    sm, w, signals = _bar_stream()
    m = evaluate_scores(sm, w, signals, primary="VAE mu2", n_resamples=50)
    m["model"] = "tiny"
    lines = bar_table(m).splitlines()
    assert lines[0] == (
        "| signal | FPR | VAE mu2 | SM eff. above | bar | set by | ratio to bar | float twin | ratio to float twin |"
    )
    rows = [line.strip("| ").split(" | ") for line in lines[2:6]]
    assert [r[:2] for r in rows] == [["A", "1e-3"], ["A", "1e-4"], ["B", "1e-3"], ["B", "1e-4"]]
    assert [r[5] for r in rows] == ["MET", "MET", AE_SCORE, AE_SCORE]
    a3, a4 = rows[0], rows[1]
    model = m["scores"]["VAE mu2"]["A"]["tpr_at_fpr"]
    assert a3[2] == f"{model['0.001']['tpr']:.3g}" and a3[3] == f"{model['0.001']['sm_effective_above']:.0f}"
    assert a3[6] == f"{m['ratio_to_bar']['A']['0.001']:.2f}"
    assert a3[8] == f"{m['ratio_to_float_twin']['A']['0.001']:.2f}"
    lo, hi = m["bar"]["A"]["0.0001"]["tpr_band"]
    assert a4[4] == f"{m['bar']['A']['0.0001']['tpr']:.3g} [{lo:.3g}, {hi:.3g}]"  # 1e-4 resolved on 100k events
    assert "supervised" in lines[-1] and "not part of the bar" in lines[-1]
    page = evaluation_markdown(m)
    assert "## VAE mu2 against the bar" in page and page.index("| signal | FPR |") < page.index("![ROC]")
    assert bar_table(evaluate_scores(*_small_stream())) == ""  # no primary: no bar table


def test_roc_plot_draws_plain_triggers_dashed(tmp_path):
    import matplotlib.pyplot as plt

    sm, w, signals = _bar_stream()
    fig = roc_figure(sm, w, signals)
    for ax in fig.axes:
        style = {line.get_label().split(" (AUC")[0]: line.get_linestyle() for line in ax.lines}
        assert style["MET"] == style["S_T"] == style["leading lepton pT"] == "--"
        assert style["VAE mu2"] == style[AE_SCORE] == "-" and style[FLOAT_TWIN_SCORE] == "-."
        assert set(style) == set(signals["A"]) and len(_legend_texts(ax)) == len(ax.lines) + 2  # + band, marks
    plt.close(fig)
