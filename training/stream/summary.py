"""Human-readable summaries of event samples: markdown tables and a page of distributions."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from adtrigger.training.stream import physics
from adtrigger.training.stream.cocktail import shares
from adtrigger.training.stream.sample import EventSample


def _md(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.2f} %"


def shares_table(sample: EventSample, pythia_sigma_pass: dict[str, float] | None = None) -> str:
    """Markdown: each process's weighted share of the cocktail next to seed-004's and Pythia's."""
    rows = [
        [r.process, str(r.n_events), _pct(r.share), _pct(r.target), _pct(r.pythia_share), f"{r.effective_events:.0f}"]
        for r in shares(sample, pythia_sigma_pass)
    ]
    return _md(["process", "events", "share", "seed-004", "Pythia σ×pass", "effective events"], rows)


def _per_process(samples: list[EventSample]):
    for s in samples:
        for i, name in enumerate(s.process_names):
            sel = s.process == i
            yield name, s.particles[sel], s.weight[sel]


def summary_table(samples: list[EventSample]) -> str:
    """Markdown: per process the mean object counts, MET, Z peak and W transverse-mass median."""
    rows = []
    for name, p, w in _per_process(samples):
        mll = physics.dilepton_mass(p)
        has_pair = np.isfinite(mll)
        in_window = has_pair & (mll > 60) & (mll < 120)
        peak = f"{physics.histogram_peak(mll[in_window], 60, 120, 2):.0f}" if in_window.sum() >= 20 else "–"
        one_lep = physics.n_leptons(p) == 1
        mt = physics.transverse_mass(p[one_lep])
        rows.append(
            [
                name,
                str(len(p)),
                f"{w.sum() ** 2 / (w**2).sum():.0f}" if len(w) else "0",
                f"{physics.n_jets(p).mean():.2f}",
                f"{physics.n_objects(p, slice(1, 5)).mean():.2f}",
                f"{physics.n_objects(p, slice(5, 9)).mean():.2f}",
                f"{p[:, 0, 0].mean():.1f}",
                f"{100 * has_pair.mean():.1f} %",
                peak,
                f"{np.median(mt):.1f}" if len(mt) else "–",
            ]
        )
    header = [
        "process",
        "events",
        "effective events",
        "⟨jets⟩",
        "⟨e/γ⟩",
        "⟨μ⟩",
        "⟨MET⟩ GeV",
        "ℓℓ pair",
        "m_ℓℓ peak",
        "M_T median",
    ]
    return _md(header, rows)


def plot_distributions(samples: list[EventSample], path: Path) -> Path:
    """A 2x3 page of unit-normalised distributions per process (weights within a process honoured)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [
        ("leading lepton $p_T$ [GeV]", lambda p: physics.leading_lepton(p)[:, 0], np.linspace(20, 200, 37)),
        ("MET [GeV]", lambda p: p[:, 0, 0], np.linspace(0, 200, 41)),
        ("number of jets", lambda p: physics.n_jets(p), np.arange(-0.5, 11.5, 1)),
        ("$m_{\\ell\\ell}$ [GeV]", physics.dilepton_mass, np.linspace(0, 150, 51)),
        ("$M_T$(lepton, MET) [GeV]", physics.transverse_mass, np.linspace(0, 150, 51)),
        ("$H_T$ of objects [GeV]", physics.scalar_ht, np.linspace(0, 800, 41)),
    ]
    fig, axes = plt.subplots(2, 3, figsize=(14, 8))
    for ax, (label, fn, bins) in zip(axes.flat, panels, strict=True):
        for name, p, w in _per_process(samples):
            x = fn(p)
            ok = np.isfinite(x)
            if ok.sum() == 0:
                continue
            ax.hist(x[ok], bins=bins, weights=w[ok], density=True, histtype="step", label=name, lw=1.4)
        ax.set_xlabel(label)
        ax.set_yscale("log")
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("L1 objects per process (unit area)")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
