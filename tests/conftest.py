"""Shared fixtures: one small set of real Pythia events per test session."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")  # before any test imports keras (tensorflow is not installed)

from pathlib import Path

import pytest
import yaml

from adtrigger.refdata import refstream_dir, refstream_missing, zerobias_dir, zerobias_missing
from adtrigger.training.stream.cards import builtin_card
from adtrigger.training.stream.generator import generate_many

SMALL_COUNTS = {"Z_ll": 300, "W_lnu": 300, "ttbar": 150, "A_4l_m50": 150}


@pytest.fixture(scope="session")
def small_events():
    """Real Pythia events, few per process, generated once (in-process, one shard each)."""
    names = list(SMALL_COUNTS)
    samples = generate_many(
        [(builtin_card(n), SMALL_COUNTS[n]) for n in names], seed=11, shard_events=1000, workers=1,
        show_progress=False,
    )  # fmt: skip
    return dict(zip(names, samples, strict=True))


REFSTREAM = refstream_dir()


@pytest.fixture(scope="session")
def refstream() -> Path:
    """The refstream-v1 folder; a test that asks for it is skipped, saying where it looked, when it is absent."""
    if (why := refstream_missing()) is not None:
        pytest.skip(why)
    return REFSTREAM


@pytest.fixture(scope="session")
def zerobias() -> Path:
    """The zerobias-v1 folder; a test that asks for it is skipped, saying where it looked, when it is absent."""
    if (why := zerobias_missing()) is not None:
        pytest.skip(why)
    return zerobias_dir()


SMALL_MODEL_CONFIG = {
    "name": "small_l1_vae",
    "seed": 5,
    "data": {
        "sm": [str(REFSTREAM / f"{p}.h5") for p in ("W_lnu", "QCD", "Z_ll", "ttbar")],
        "signals": [str(REFSTREAM / "A_4l_m50.h5")],
        "max_events": 4000,
    },
    "model": {
        "hidden": [16, 8], "latent": 4, "bw_regularisation": 1.0e-5, "rare_fraction": 0.05,
        "kinematic_hidden": [4, 2], "kinematic_latent": 2, "kinematic_targets": ["MET", "H_T"], "mu_bits": 10,
    },
    "train": {"epochs": 4, "batch_size": 512, "patience": 3, "threads": 2},
}


@pytest.fixture(scope="session")
def trained_bundle(request, tmp_path_factory) -> Path:
    """One small trained L1 VAE model directory (``adtrigger train`` on a refstream-v1 subset), shared read-only by
    the export, calibration, service and firmware tests: copy it (``shutil.copytree``) before changing it."""
    from adtrigger.training.pipeline import train

    request.getfixturevalue("refstream")
    root = tmp_path_factory.mktemp("bundles")
    config = root / "small.yaml"
    config.write_text(yaml.safe_dump(SMALL_MODEL_CONFIG))
    return train(config, root / "models")


@pytest.fixture(scope="session")
def exported_bundle(trained_bundle, tmp_path_factory) -> Path:
    """A copy of ``trained_bundle`` with ``model.onnx`` and the card's ``fixed_point`` (``adtrigger export``), shared
    read-only by the export, calibration, service and firmware tests: copy it before changing it."""
    import shutil

    from adtrigger.training.export_onnx import export

    out = tmp_path_factory.mktemp("exported") / trained_bundle.name
    shutil.copytree(trained_bundle, out)
    export(out)
    return out


@pytest.fixture(scope="session")
def calibrated_bundle(exported_bundle, tmp_path_factory) -> Path:
    """A copy of ``exported_bundle`` calibrated by ``adtrigger calibrate`` to FPR 1e-2 (1 kHz at 100 kHz input) on
    refstream-v1 SM (first 20,000 events per file), A_4l_m50 as signal: active threshold "default" with its L1 fixed
    threshold, ``sm_distribution.json`` and ``calibration/``. Shared read-only: copy it before changing it."""
    import shutil

    from adtrigger.bundle.rates import make_target
    from adtrigger.training.calibration import calibrate

    out = tmp_path_factory.mktemp("calibrated") / exported_bundle.name
    shutil.copytree(exported_bundle, out)
    sm = [REFSTREAM / f"{p}.h5" for p in ("W_lnu", "QCD", "Z_ll", "ttbar")]
    target = make_target(rate_hz=1000.0, input_rate_hz=1e5)
    calibrate(out, sm, [REFSTREAM / "A_4l_m50.h5"], target, max_events=20_000, workers=0)
    return out


LADDER_FIXTURE_FPRS = {"VLoose": 0.03, "Tight": 0.003}  # beside calibrated_bundle's "default" (FPR 1e-2)


@pytest.fixture(scope="session")
def laddered_bundle(calibrated_bundle, tmp_path_factory) -> Path:
    """A copy of ``calibrated_bundle`` with a three-seed ladder (adtrigger.bundle.ladder): "VLoose" (FPR 3e-2),
    "default" (the active threshold, FPR 1e-2) and "Tight" (FPR 3e-3), calibrated on the same SM events, no menu.
    For the firmware's and the service's per-seed bits. Shared read-only: copy it before changing it."""
    import shutil

    from adtrigger.bundle import update_card
    from adtrigger.bundle.rates import make_target
    from adtrigger.training.calibration import calibrate

    out = tmp_path_factory.mktemp("laddered") / calibrated_bundle.name
    shutil.copytree(calibrated_bundle, out)
    sm = [REFSTREAM / f"{p}.h5" for p in ("W_lnu", "QCD", "Z_ll", "ttbar")]
    for name, fpr in LADDER_FIXTURE_FPRS.items():
        calibrate(out, sm, [REFSTREAM / "A_4l_m50.h5"], make_target(fpr=fpr), name=name, activate=False,
                  max_events=20_000, workers=0)  # fmt: skip
    update_card(out, {"ladder": {"seeds": ["VLoose", "default", "Tight"], "menu": None}})
    return out
