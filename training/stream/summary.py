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


# A dilepton-mass resonance: the +-10 % mass window (in log m) holding the most pairs has PEAK_CONTRAST times the
# density of each sideband (30-45 % away in log m, below and above) and PEAK_SIGNIFICANCE over the larger one.
# Tuned on refstream-v1 and a Pythia Z'(500)->mumu sample: Z and Z' pass from 60 events, every other process fails
# in 1000 random subsets of 60-2000 events.
PEAK_HALF_WIDTH = 0.1
PEAK_SIDEBAND = (0.3, 0.45)
PEAK_CONTRAST = 8.0
PEAK_SIGNIFICANCE = 5.0
PEAK_MIN_EVENTS = 30


def dilepton_peak(mll: np.ndarray) -> float | None:
    """The mass of a dilepton resonance in ``mll: (N,)`` (NaN where no pair), or None where there is no clear peak.

    A physicist reads "m_ll peak" as the mass of a resonance (the Z, a Z'), not as the mode of any spectrum, so it
    is judged from the data rather than from the process name (a user's Z' card counts, a broken Z sample shows):
    W, ttbar, QCD and tau-pair spectra, and A->4l's off-shell Z*Z*, are broad or end at a kinematic edge and have
    none. Returns the median mass within 10 % of the peak.
    """
    logm = np.log(mll[np.isfinite(mll) & (mll > 0)])
    if len(logm) < PEAK_MIN_EVENTS:
        return None
    step = PEAK_HALF_WIDTH / 2.5  # five steps per window
    counts, edges = np.histogram(logm, bins=np.arange(logm.min(), logm.max() + step, step))
    k = int(np.argmax(np.convolve(counts, np.ones(5), "same")))
    centre = 0.5 * (edges[k] + edges[k + 1])
    window = logm[np.abs(logm - centre) < PEAK_HALF_WIDTH]
    lo, hi = PEAK_SIDEBAND
    side = max(
        np.count_nonzero((logm <= centre - lo) & (logm > centre - hi)),
        np.count_nonzero((logm >= centre + lo) & (logm < centre + hi)),
    )
    expected = side * 2 * PEAK_HALF_WIDTH / (hi - lo)  # pairs in the window from a flat continuum
    resonant = (
        len(window) >= PEAK_MIN_EVENTS
        and len(window) >= PEAK_CONTRAST * expected
        and (len(window) - expected) / np.sqrt(expected + 1) >= PEAK_SIGNIFICANCE
    )
    return float(np.exp(np.median(window))) if resonant else None


def summary_table(samples: list[EventSample]) -> str:
    """Markdown: per process the mean object counts, MET, the dilepton-resonance peak (only where the sample has a
    resonance, see :func:`dilepton_peak`) and the transverse-mass median."""
    rows = []
    for name, p, w in _per_process(samples):
        mll = physics.dilepton_mass(p)
        peak = dilepton_peak(mll)
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
                f"{100 * np.isfinite(mll).mean():.1f} %",
                "–" if peak is None else f"{peak:.0f}",
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
        "m_ℓℓ resonance GeV",
        "M_T median",
    ]
    return _md(header, rows)


# Legend names for the built-in processes; other processes (a user's card) keep their own names.
LABELS = {
    "W_lnu": r"$W\to\ell\nu$",
    "Z_ll": r"$Z/\gamma^*\to\ell\ell$",
    "ttbar": r"$t\bar{t}$",
    "QCD": "QCD multijet",
    "A_4l_m50": r"$A(50)\to 4\ell$",
    "LQ_btau_m80": r"$LQ(80)\to b\tau$",
    "h0_tautau_m60": r"$h^0(60)\to\tau\tau$",
    "hplus_taunu_m60": r"$h^\pm(60)\to\tau\nu$",
}

# name, axis label, (N,) value per event, lower edge from the data (else 0), integer-valued
PANELS = (
    ("lepton_pt", r"leading lepton $p_T$ [GeV]", lambda p: physics.leading_lepton(p)[:, 0], True, False),
    ("met", r"$p_T^{miss}$ [GeV]", lambda p: p[:, 0, 0], False, False),
    ("n_jets", "number of jets", physics.n_jets, False, True),
    ("mll", r"$m_{\ell\ell}$ [GeV]", physics.dilepton_mass, False, False),
    ("mt", r"$M_T(\ell, p_T^{miss})$ [GeV]", physics.transverse_mass, False, False),
    ("ht", r"$H_T$ of all objects [GeV]", physics.scalar_ht, False, False),
)
# The ten-colour sequence CMS recommends beyond six curves (M. Petroff, arXiv:2107.02270).
PETROFF_10 = (
    "#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6", "#a96b59", "#e76300", "#b9ac70", "#717581", "#92dadd",
)  # fmt: skip
N_BINS = 40
HIGH_QUANTILE = 0.99


def _quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    return float(x[order][min(np.searchsorted(cw, q * cw[-1]), len(x) - 1)])


def _nice_width(span: float, n_bins: int) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^k at least ``span / n_bins``."""
    raw = max(span / n_bins, 1e-9)
    decade = 10 ** np.floor(np.log10(raw))
    return float(next(m * decade for m in (1, 2, 2.5, 5, 10) if m * decade >= raw * (1 - 1e-9)))


def bin_edges(
    values: list[tuple[np.ndarray, np.ndarray]], from_data_low: bool = False, integer: bool = False
) -> np.ndarray:
    """Edges covering every process's ``HIGH_QUANTILE`` (so one sample's tail or heavy resonance is in range),
    from 0 (or the lowest 0.1 % quantile) in N_BINS round-width bins; integer values get one bin each."""
    if integer:
        top = max(int(x.max()) for x, _ in values)
        return np.arange(-0.5, top + 1.0, 1.0)
    hi = max(_quantile(x, w, HIGH_QUANTILE) for x, w in values)
    lo = min(_quantile(x, w, 0.001) for x, w in values) if from_data_low else 0.0
    width = _nice_width(hi - lo, N_BINS)
    lo = np.floor(lo / width) * width
    return lo + width * np.arange(max(int(np.ceil((hi - lo) / width)), 1) + 1)


def distribution_hists(samples: list[EventSample]) -> dict[str, dict]:
    """Per panel: ``edges`` and per process the unit-area ``counts`` (weights honoured), with underflow in the first
    bin and overflow in the last, over the events where the quantity exists (e.g. m_ll needs a pair)."""
    out = {}
    for key, _, fn, from_low, integer in PANELS:
        values = {}
        for name, p, w in _per_process(samples):
            x = np.asarray(fn(p), dtype=np.float64)
            ok = np.isfinite(x) & (w > 0)
            if ok.any():
                values[name] = (x[ok], w[ok])
        if not values:
            continue
        edges = bin_edges(list(values.values()), from_low, integer)
        counts = {}
        for name, (x, w) in values.items():
            clipped = np.clip(x, edges[0], np.nextafter(edges[-1], -np.inf))
            counts[name] = np.histogram(clipped, bins=edges, weights=w)[0] / w.sum()
        out[key] = {"edges": edges, "counts": counts}
    return out


def plot_distributions(samples: list[EventSample], path: Path) -> Path:
    """A 2x3 page of unit-area distributions per process in the HEP style, one legend beside the panels that gives
    the dilepton peak of resonant processes only (:func:`dilepton_peak`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import mplhep as hep

    from adtrigger.training.stream.cards import SM_PROCESSES

    hists = distribution_hists(samples)
    peaks = {n: dilepton_peak(physics.dilepton_mass(p)) for n, p, _ in _per_process(samples)}
    names = list(dict.fromkeys(n for h in hists.values() for n in h["counts"]))
    colours = {n: PETROFF_10[i % len(PETROFF_10)] for i, n in enumerate(names)}
    legend = {n: LABELS.get(n, n) + ("" if peaks[n] is None else f" (peak {peaks[n]:.0f} GeV)") for n in names}
    labels = {key: label for key, label, *_ in PANELS}
    with plt.style.context([hep.style.CMS, {"font.size": 15, "legend.fontsize": 14}]):
        fig, axes = plt.subplots(2, 3, figsize=(20, 11), layout="constrained")
        for ax, (key, h) in zip(axes.flat, hists.items(), strict=False):
            edges = h["edges"]
            for name, counts in h["counts"].items():
                ls = "-" if name in SM_PROCESSES else "--"
                hep.histplot(counts, edges, ax=ax, color=colours[name], ls=ls, lw=1.8, label=legend[name])
            ax.set_yscale("log")
            ax.set_xlim(edges[0], edges[-1])
            ax.set_xlabel(labels[key])
            width = edges[1] - edges[0]
            ax.set_ylabel("fraction of events" + ("" if key == "n_jets" else f" / {width:g} GeV"))
            hep.label.exp_label(exp="", llabel="Pythia 8 simulation", rlabel="√s = 13 TeV", ax=ax, fontsize=15)
        for ax in list(axes.flat)[len(hists) :]:
            ax.set_visible(False)
        handles = {lab: hnd for ax in axes.flat for hnd, lab in zip(*ax.get_legend_handles_labels(), strict=True)}
        title = "unit area per process;\nfirst and last bins hold\nunder- and overflow"
        fig.legend(handles.values(), handles.keys(), loc="outside right upper", title=title, title_fontsize=13)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=72)
        plt.close(fig)
    return path
