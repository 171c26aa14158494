"""Training configs fail clearly; data splits are reproducible and disjoint."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from adtrigger.refdata import refstream_dir
from adtrigger.training.config import ConfigError, load_config
from adtrigger.training.data import Dataset, split_masks
from adtrigger.training.stream.io import write_events

REFSTREAM = refstream_dir()


@pytest.fixture
def data_dir(tmp_path, small_events):
    for name in ("W_lnu", "Z_ll", "ttbar", "A_4l_m50"):
        write_events(small_events[name], tmp_path / f"{name}.h5")
    return tmp_path


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def test_good_config_resolves_paths_relative_to_itself(data_dir):
    cfg = load_config(_write(data_dir / "c.yaml", "name: t\ndata:\n  sm: [W_lnu.h5, Z_ll.h5]\nmodel:\n  latent: 4\n"))
    assert cfg.model.latent == 4 and cfg.model.score == "mu2"
    assert cfg.sm_paths() == [data_dir / "W_lnu.h5", data_dir / "Z_ll.h5"]
    assert "base_dir" not in cfg.as_dict()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  latnt: 4\n", "unknown key model.'latnt'"),
        ("data:\n  sm: [W_lnu.h5]\nepochs: 3\n", "unknown key 'epochs'"),
        ("data:\n  sm: [W_lnu.h5, missing.h5]\n", "data.sm[1]: data file not found"),
        ("data:\n  sm: []\n", "no SM files"),
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  score: mse\n", "model.score"),
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  input_scale: some\n", "model.input_scale"),
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  kind: hlt_vae\n  score: mu2\n", "model.score of a hlt_vae"),
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  kinematic_chains: [MET]\n  chain_shares: [0.5]\n",
         "model.kinematic_chains needs a kinematic group"),
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  kinematic_hidden: [4, 2]\n  kinematic_chains: [MET, S_T]\n"
         "  chain_shares: [0.5]\n", "model.chain_shares needs one positive share per chain"),
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  kinematic_hidden: [4, 2]\n  kinematic_chains: [MET]\n"
         "  chain_shares: [0.6]\n", "leaving the topology group a share"),
        ("data:\n  sm: [W_lnu.h5]\nmodel:\n  kinematic_hidden: [4, 2]\n  kinematic_chains: [MEET]\n"
         "  chain_shares: [0.2]\n", "distinct names of"),
        ("data: [1, 2]\n", "data must be a mapping"),
        ("data: {sm: [W_lnu.h5\n", "cannot read config"),
    ],
)
def test_bad_configs_fail_with_a_clear_message(data_dir, text, message):
    with pytest.raises(ConfigError) as err:
        load_config(_write(data_dir / "bad.yaml", text))
    assert message in str(err.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.yaml")


def test_splits_are_disjoint_reproducible_and_independent_of_order(data_dir):
    sm = [data_dir / f"{n}.h5" for n in ("W_lnu", "Z_ll", "ttbar")]
    a = Dataset.load(sm, [data_dir / "A_4l_m50.h5"], seed=3)
    b = Dataset.load(list(reversed(sm)), [], seed=3)
    for split in ("train", "val", "test"):
        key_a = {
            (a.sm[split].process_names[p], i) for p, i in zip(a.sm[split].process, a.sm[split].event_id, strict=True)
        }
        key_b = {
            (b.sm[split].process_names[p], i) for p, i in zip(b.sm[split].process, b.sm[split].event_id, strict=True)
        }
        assert key_a == key_b
    n = sum(len(v) for v in a.sm.values())
    assert n == 750 and abs(len(a.sm["train"]) / n - 0.6) < 0.08
    masks = split_masks(a.sm["train"], (0.6, 0.2, 0.2), seed=3)
    assert np.logical_xor.reduce([masks[k] for k in masks]).all()
    assert set(a.signals) == {"A_4l_m50"}
    total_w = sum(v.weight.sum() for v in a.sm.values())
    assert total_w == pytest.approx(n)  # mean weight 1 over the stream
