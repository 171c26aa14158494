"""The training-curves page (training.png): training and validation compared on the same objective.

Keras's training ``loss`` includes HGQ2's EBOPs (bit-width) penalty and its ``val_loss`` does not, so the two are
not drawn against each other: where the history has ``recon`` and ``kl`` (the L1 VAE), both sides are shown as
recon + β·KL rebuilt from those metrics, and the EBOPs get a panel of their own.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def objective(history: dict[str, list[float]], prefix: str = "") -> np.ndarray | None:
    """(epochs,) recon + β·KL of ``prefix`` ("" train, "val_" validation), β the epoch's KL weight (1 if not
    recorded); None where the history lacks recon or KL."""
    if f"{prefix}recon" not in history or f"{prefix}kl" not in history:
        return None
    recon, kl = np.asarray(history[f"{prefix}recon"]), np.asarray(history[f"{prefix}kl"])
    beta = np.asarray(history.get("kl_beta", np.ones_like(kl)))
    return recon + beta * kl


def _train_val(ax, train, val, title: str) -> None:
    epochs = np.arange(1, len(train) + 1)
    ax.plot(epochs, train, "o-", ms=3, label="training")
    if val is not None:
        ax.plot(epochs[: len(val)], val, "s--", ms=3, label="validation")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("epoch")
    ax.set_ylabel("weighted mean per event")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="best")


def history_figure(history: dict[str, list[float]]):
    """The curves as a matplotlib Figure: objective, recon, KL (with β) and EBOPs, each on its own panel."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    train, val = objective(history), objective(history, "val_")
    panels = ["objective"] + [k for k in ("recon", "kl") if k in history and train is not None]
    panels += ["ebops"] if "ebops" in history else []
    fig, axes = plt.subplots(1, len(panels), figsize=(4 * len(panels), 3.6), squeeze=False, layout="constrained")
    axes = dict(zip(panels, axes[0], strict=True))
    if train is not None:
        beta = "β·KL" if "kl_beta" in history else "KL"
        _train_val(axes["objective"], train, val, f"recon + {beta} (no EBOPs penalty)")
    else:  # no separate terms (the HLT VAE): its loss has no EBOPs penalty, so loss and val_loss compare
        _train_val(axes["objective"], history["loss"], history.get("val_loss"), "loss")
    if "recon" in axes:
        _train_val(axes["recon"], history["recon"], history.get("val_recon"), "reconstruction")
    if "kl" in axes:
        _train_val(axes["kl"], history["kl"], history.get("val_kl"), "KL (unweighted)")
        if "kl_beta" in history:
            twin = axes["kl"].twinx()
            twin.plot(np.arange(1, len(history["kl_beta"]) + 1), history["kl_beta"], ":", color="grey", label="β")
            twin.set_ylabel("β (KL weight)")
            twin.set_ylim(bottom=0)
            lines = axes["kl"].get_lines() + twin.get_lines()
            axes["kl"].legend(lines, [ln.get_label() for ln in lines], fontsize=8, loc="center right")
    if "ebops" in axes:
        ax = axes["ebops"]
        ax.plot(np.arange(1, len(history["ebops"]) + 1), history["ebops"], "o-", ms=3, color="C2", label="training")
        ax.set_title("EBOPs (HGQ2 resource estimate)", fontsize=10)
        ax.set_xlabel("epoch")
        ax.set_ylabel("EBOPs")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=8, title="penalised in the training loss only", title_fontsize=7)
    return fig


def plot_history(history: dict[str, list[float]], path: Path) -> Path:
    """Write :func:`history_figure` to ``path`` (PNG)."""
    import matplotlib.pyplot as plt

    fig = history_figure(history)
    path = Path(path)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
