"""Training configuration as data: a YAML file over defaults, checked strictly (an unknown key is an error).

Paths in the file are relative to the file's own folder, so a config travels with its data.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# the kinematic sums the kinematic latent group can reconstruct (training/kinematic.py builds them from the inputs)
KINEMATIC_TARGETS = (
    "MET", "H_T", "sum e/gamma pT", "sum muon pT", "leading e/gamma pT", "leading muon pT", "leading jet pT", "S_T",
)  # fmt: skip
# a kinematic group's default: every sum but S_T (which suits a chain)
DEFAULT_KINEMATIC_TARGETS = tuple(t for t in KINEMATIC_TARGETS if t != "S_T")


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the key or file."""


@dataclass
class DataConfig:
    sm: list[str] = field(default_factory=list)  # single-process SM files (mixed to seed-004) or one cocktail
    signals: list[str] = field(default_factory=list)
    split: list[float] = field(default_factory=lambda: [0.6, 0.2, 0.2])
    max_events: int | None = None  # per file, for quick runs


@dataclass
class ModelConfig:
    kind: str = "l1_vae"  # l1_vae (57 L1 inputs, quantized) or hlt_vae (21 HLT features, float)
    hidden: list[int] = field(default_factory=lambda: [32, 16])
    latent: int = 8
    beta: float = 0.8  # weight of the KL term (Govorkova et al. use 0.8)
    score: str = "mu2"  # l1_vae: mu2 (sum mu^2, AXOL1TL), kl, or rz (sum mu^2 / sigma^2); hlt_vae: loss or kl
    bw_regularisation: float = 1e-6  # HGQ2 resource (EBOPs) regularisation: LUTs against physics reach
    free_bits: float = 0.05  # per latent dimension, in nats: guards against posterior collapse
    kl_warmup_epochs: int = 5
    # preprocessing statistics (training/preprocess.py): "filled" (over the events where each object is present) or
    # "all" (over all events: seldom-filled slots get a large gain, so an extra lepton moves the encoder);
    # rare_fraction: with "filled", objects present in fewer than this fraction of SM events take the all-events
    # statistics; rare_gain_bits caps the gain of seldom-filled slots
    input_scale: str = "filled"
    rare_fraction: float | None = None
    rare_gain_bits: int | None = None
    # the kinematic latent group (training/kinematic.py): units per hidden layer ([] = none), its latent dimensions,
    # and the share of the SM accept rate at FPR split_fpr it gets in the OR with the topology group
    kinematic_hidden: list[int] = field(default_factory=list)
    kinematic_latent: int = 2
    kinematic_share: float = 0.5
    # what the kinematic group reconstructs (names of KINEMATIC_TARGETS, training/kinematic.py)
    kinematic_targets: list[str] = field(default_factory=lambda: list(DEFAULT_KINEMATIC_TARGETS))
    # weight of the kinematic reconstruction: the 57-input reconstruction and HGQ2's EBOPs term would otherwise
    # prune the small kinematic path (measured: at weight 1 its mu stayed ~0, correlation 0.13 with MET)
    kinematic_weight: float = 16.0
    kinematic_groups: str = "joint"  # joint: one kinematic group; per_dim: one group (one OR'd seed) per dimension
    # targets (names of KINEMATIC_TARGETS) that get a dedicated chain beside the kinematic group: one unit per hidden
    # layer reading only that target's pT inputs, one latent dimension reconstructing the target itself, scored as
    # its own group (a MET chain's score is a non-decreasing function of MET alone), taking chain_shares (one per
    # chain) of the SM rate at split_fpr
    kinematic_chains: list[str] = field(default_factory=list)
    chain_shares: list[float] = field(default_factory=list)
    split_fpr: float = 1e-3
    # quantization limits that protect the physics: the input step of every pT in GeV (null: learned), and the room
    # each ReLU quantizer keeps above the largest SM training value, in bits
    pt_step_gev: float | None = 0.5
    range_headroom_bits: int = 1
    # bits of each latent mean on the score's own grid before squaring (0: none, mu squared at its full width):
    # saturating at the least power of two above the SM training maximum, the rest fraction (latent_score.cast_mu)
    mu_bits: int = 0


@dataclass
class TrainConfig:
    epochs: int = 40
    batch_size: int = 1024
    learning_rate: float = 3e-3
    patience: int = 6  # early stopping on the validation loss
    threads: int = 2


@dataclass
class Config:
    name: str = "l1_vae"
    seed: int = 1
    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    base_dir: str = "."  # where relative paths point (the config file's folder); not read from the file

    def sm_paths(self) -> list[Path]:
        return [Path(self.base_dir, p) for p in self.data.sm]

    def signal_paths(self) -> list[Path]:
        return [Path(self.base_dir, p) for p in self.data.signals]

    def as_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d.pop("base_dir")
        return d


_SECTIONS = {"data": DataConfig, "model": ModelConfig, "train": TrainConfig}
_SCORES = {"l1_vae": ("mu2", "kl", "rz"), "hlt_vae": ("loss", "kl")}
_KINDS = tuple(_SCORES)


def _fill(cls, values: dict[str, Any], where: str):
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"unknown key {where}{unknown[0]!r}; known in {where.rstrip('.') or 'top'}: {sorted(known)}")
    return cls(**values)


def from_dict(raw: dict[str, Any], base_dir: str | Path = ".") -> Config:
    """A checked Config from plain data (e.g. parsed YAML)."""
    if not isinstance(raw, dict):
        raise ConfigError("a config must be a mapping of keys to values")
    top = {k: v for k, v in raw.items() if k not in _SECTIONS}
    sections = {}
    for key, cls in _SECTIONS.items():
        value = raw.get(key) or {}
        if not isinstance(value, dict):
            raise ConfigError(f"{key} must be a mapping")
        sections[key] = _fill(cls, value, f"{key}.")
    if "base_dir" in top:
        raise ConfigError("unknown key 'base_dir'")
    cfg = _fill(Config, {**top, **sections}, "")
    cfg.base_dir = str(base_dir)
    _check(cfg)
    return cfg


def _check(cfg: Config) -> None:
    m = cfg.model
    if m.kind not in _KINDS:
        raise ConfigError(f"model.kind must be one of {_KINDS}, got {m.kind!r}")
    if m.score not in _SCORES[m.kind]:
        raise ConfigError(f"model.score of a {m.kind} must be one of {_SCORES[m.kind]}, got {m.score!r}")
    if m.input_scale not in ("filled", "all"):
        raise ConfigError(f"model.input_scale must be 'filled' or 'all', got {m.input_scale!r}")
    if m.rare_fraction is not None and (m.input_scale != "filled" or not 0 <= m.rare_fraction <= 1):
        raise ConfigError("model.rare_fraction needs input_scale 'filled' and a value in [0, 1]")
    if m.rare_gain_bits is not None and m.rare_gain_bits < 0:
        raise ConfigError("model.rare_gain_bits must be >= 0 or null")
    if m.kinematic_hidden and (len(m.kinematic_hidden) != len(m.hidden) or min(m.kinematic_hidden) < 1):
        raise ConfigError("model.kinematic_hidden needs one positive width per model.hidden layer (or [] for none)")
    if m.kinematic_hidden and (m.kinematic_latent < 1 or not 0 < m.kinematic_share < 1 or not 0 < m.split_fpr < 1):
        raise ConfigError("model.kinematic_latent must be >= 1, kinematic_share and split_fpr in (0, 1)")
    if m.kinematic_chains:
        unknown = sorted(set(m.kinematic_chains) - set(KINEMATIC_TARGETS))
        if not m.kinematic_hidden or unknown or len(set(m.kinematic_chains)) != len(m.kinematic_chains):
            raise ConfigError(
                f"model.kinematic_chains needs a kinematic group and distinct names of {KINEMATIC_TARGETS}"
            )
        shares = m.chain_shares
        if len(shares) != len(m.kinematic_chains) or min(shares) <= 0 or m.kinematic_share + sum(shares) >= 1:
            raise ConfigError(
                "model.chain_shares needs one positive share per chain, leaving the topology group a share of the rate"
            )
    if m.kinematic_groups not in ("joint", "per_dim"):
        raise ConfigError(f"model.kinematic_groups must be 'joint' or 'per_dim', got {m.kinematic_groups!r}")
    if m.kinematic_hidden and m.score != "mu2":
        raise ConfigError("a kinematic group needs model.score mu2 (the grouped sum mu^2)")
    if m.pt_step_gev is not None and m.pt_step_gev <= 0:
        raise ConfigError("model.pt_step_gev must be positive or null")
    if m.range_headroom_bits < 0:
        raise ConfigError("model.range_headroom_bits must be >= 0")
    if not (m.mu_bits == 0 or 4 <= m.mu_bits <= 24) or (m.mu_bits and m.score != "mu2"):
        raise ConfigError("model.mu_bits must be 0 (off) or in [4, 24], and needs model.score mu2")
    if m.latent < 1 or not m.hidden or min(m.hidden) < 1:
        raise ConfigError("model.latent and model.hidden must be positive")
    if m.beta < 0 or m.bw_regularisation < 0 or m.free_bits < 0:
        raise ConfigError("model.beta, model.bw_regularisation and model.free_bits must be >= 0")
    if cfg.train.epochs < 1 or cfg.train.batch_size < 1:
        raise ConfigError("train.epochs and train.batch_size must be positive")
    if not cfg.data.sm:
        raise ConfigError("data.sm lists no SM files")
    for key, paths in (("data.sm", cfg.sm_paths()), ("data.signals", cfg.signal_paths())):
        for i, p in enumerate(paths):
            if not p.is_file():
                raise ConfigError(f"{key}[{i}]: data file not found: {p}")


def load_config(path: str | Path) -> Config:
    """Read and check a YAML config; relative data paths are taken from the file's folder."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"cannot read config {path}: {err}") from None
    return from_dict(raw or {}, base_dir=path.parent)
