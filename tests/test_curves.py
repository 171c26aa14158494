"""The training-curves page compares training and validation on the same objective, EBOPs apart."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from adtrigger.training.curves import history_figure, objective, plot_history

RECON, KL, BETA, EBOPS = [40.0, 28.0, 24.0], [9.0, 9.5, 8.0], [0.25, 0.5, 0.75], [176_000.0, 130_000.0, 99_000.0]
L1_HISTORY = {
    "recon": RECON,
    "kl": KL,
    "kl_beta": BETA,
    "ebops": EBOPS,
    # Keras's training loss carries the EBOPs penalty (here 1e-3 x EBOPs), its validation loss does not
    "loss": [r + b * k + 1e-3 * e for r, k, b, e in zip(RECON, KL, BETA, EBOPS, strict=True)],
    "val_recon": [33.0, 26.0, 23.0],
    "val_kl": [13.0, 10.0, 7.5],
    "val_loss": [36.0, 31.0, 28.6],
}


def _line(ax, label: str) -> np.ndarray:
    return next(ln for ln in ax.get_lines() if ln.get_label() == label).get_ydata()


def test_training_and_validation_are_compared_without_the_ebops_penalty(tmp_path):
    fig = history_figure(L1_HISTORY)
    first = fig.axes[0]
    expected = np.array(RECON) + np.array(BETA) * np.array(KL)
    assert np.allclose(objective(L1_HISTORY), expected)
    assert np.allclose(_line(first, "training"), expected)
    val = np.array(L1_HISTORY["val_recon"]) + np.array(BETA) * np.array(L1_HISTORY["val_kl"])
    assert np.allclose(_line(first, "validation"), val)
    assert "no EBOPs penalty" in first.get_title()
    for ax in fig.axes:  # the penalised training loss is drawn nowhere
        assert not any(np.allclose(ln.get_ydata(), L1_HISTORY["loss"]) for ln in ax.get_lines())
    ebops_axes = [ax for ax in fig.axes if ax.get_title().startswith("EBOPs")]
    assert len(ebops_axes) == 1 and np.allclose(_line(ebops_axes[0], "training"), EBOPS)
    for ax in fig.axes:  # every line in a legend (the beta twin axis shares the KL panel's)
        legends = [a.get_legend() for a in fig.axes if a.get_legend() is not None and a.bbox.bounds == ax.bbox.bounds]
        texts = {t.get_text() for lg in legends for t in lg.get_texts()}
        assert {ln.get_label() for ln in ax.get_lines()} <= texts
    plt.close(fig)
    assert plot_history(L1_HISTORY, tmp_path / "training.png").stat().st_size > 5000


def test_a_history_without_terms_compares_loss_with_val_loss():
    fig = history_figure({"loss": [3.0, 2.0], "val_loss": [3.2, 2.2]})
    (ax,) = fig.axes
    assert np.allclose(_line(ax, "training"), [3.0, 2.0]) and np.allclose(_line(ax, "validation"), [3.2, 2.2])
    plt.close(fig)
