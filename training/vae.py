"""The L1 VAE: a compact HGQ2-quantized encoder on the 57 L1 inputs, a float decoder, and its anomaly scores.

Architecture (AXOL1TL v1-like): raw L1 inputs -> fixed preprocessing layer ``(x - offset) * 2**-shift``
(:mod:`training.preprocess`) -> HGQ2 ``QDense`` 57->32->16 with ReLU -> two ``QDense`` heads mu and log sigma^2
(latent 8) -> sampling -> decoder (float Dense by default, or HGQ2) 8->16->32->57 in preprocessed units.
With a kinematic group (``kinematic_hidden``, :mod:`training.kinematic`) each encoder layer gets extra units that
read only the pT inputs through non-negative weights, the heads extra latent dimensions (a constant log sigma^2),
and a small float decoder reconstructs the kinematic sums from them; the encoder stays one sequential stack of
QDense layers (masked kernels), so export and firmware see the same graph. The score is then the grouped sum mu^2
of :mod:`adtrigger.bundle.latent_score`: max(topology sum mu^2, c * kinematic sum relu(mu)^2), the OR of the two
at one threshold, with c set by :func:`select_score_groups` from SM alone.

Quantization limits that protect the physics: every pT input keeps a step of at most ``pt_step_gev`` (a floor on
the input quantizer's fraction bits), and after training :func:`protect_ranges` widens each ReLU quantizer's
integer bits to twice the SM training maximum (kinematic units: 16 times), so the SM tail is not clipped.
The float twin (``quantized=False``) is the same network with keras Dense layers and no quantizers.

Quantization (HGQ2 0.2): every ``QDense`` quantizes its input with a per-element fixed-point (KIF) quantizer,
so the first layer's input quantizer is the model's input quantizer and each later layer's input quantizer is
the activation quantizer of the ReLU before it. HGQ2 defaults these (and biases) to WRAP on overflow, which lets
an out-of-range event wrap to a small score (FACTS.md); here every data-path and bias quantizer SATURATES:

    QuantizerConfig("kif", "datalane", overflow_mode="SAT", round_mode="RND", i0=4, f0=4)           # input
    QuantizerConfig("kif", "datalane", overflow_mode="SAT", round_mode="RND", k0=False, i0=4, f0=4)  # after ReLU
    QuantizerConfig("kbi", "bias", overflow_mode="SAT", round_mode="RND")                           # biases
    QuantizerConfig("kbi", "weight")  # HGQ2 default: SAT_SYM, RND, 8 bits to start

The input quantizer's integer bits are floored per input (``InputRangeFloor``) so that its range always covers
the L1 full scale (pT 0..2048 GeV as AXOL1TL's 12-bit hwPt/2, |eta| <= 5, |phi| <= pi) after preprocessing:
HGQ2 would otherwise learn to clip the SM tails to save bits (after a short training the learned input range
ended at ~150 GeV of jet pT). On refstream-v1 no SM event exceeds 2^7 scaled units (max 78), so only inputs
beyond the L1 full scale saturate. Saturation alone does not make the score monotonic: a ReLU network's sum mu^2
at the clipped corner can be lower than the original event's (13 % of 500 SM events with the leading pTs x 1000,
measured on a short training). :func:`l1_score` therefore applies an overflow guard, as a trigger does with its
overflow bits: an event with any raw input beyond the L1 full scale gets ``OVERFLOW_SCORE`` (accepted at any
threshold); :func:`input_overflow` is that condition (one comparator per input in firmware).

With SAT the integer bits ``i`` are trainable (the clip passes a gradient to ``i``) and the fraction bits ``f``
are trained by HGQ2's surrogate gradient: bit widths are learned per element. The resource regulariser is HGQ2's
EBOPs term ``beta * EBOPs`` added to the loss by each layer; ``bw_regularisation`` sets that beta for every
quantized layer (HGQ2's ``beta0``), the one resource knob. (HGQ2's tiny default L1 on bit counts, 1e-8, stays.)

Loss, per event, in preprocessed units (x' = preprocessed input, x^ = reconstruction):
    recon = sum over all 19 objects of (x^_pT - x'_pT)^2  +  sum over filled objects of the eta and phi terms.
So zero-padded slots cost only their pT (the decoder must say "empty"), never their meaningless eta/phi; MET
always counts as filled. The sum (not the per-feature mean) keeps the reconstruction on the scale of the KL.
    loss = recon + beta_t * sum_d max(KL_d, free_bits)   (free bits per latent dimension, batch-averaged)
Posterior-collapse guards (a float VAE with mean-MSE + 0.8 KL collapsed, FACTS.md): (1) the summed
reconstruction, (2) a linear KL warm-up, beta_t = beta * min(1, (epoch + 1) / (kl_warmup_epochs + 1)), and
(3) free bits: a latent dimension whose batch-mean KL is below ``free_bits`` nats feels no KL pull at all
(Kingma et al. 2016), so the KL term cannot shrink a dimension to nothing.

Scores, from the encoder alone, defined once in :func:`score_from_latent`:
    "mu2": sum mu^2 (CMS AXOL1TL),  "kl": sum 0.5 (mu^2 + sigma^2 - 1 - log sigma^2),  "rz": sum mu^2 / sigma^2.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import dataclasses
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np
from hgq.config import QuantizerConfig
from hgq.layers import QDense
from keras import ops

from adtrigger.bundle import layout
from adtrigger.bundle.latent_score import LatentGroup, grouped_mu2, single_group
from adtrigger.training import kinematic
from adtrigger.training.config import DEFAULT_KINEMATIC_TARGETS, ModelConfig, TrainConfig
from adtrigger.training.preprocess import Preprocessing, fit_preprocessing

SCORE_KINDS = ("mu2", "kl", "rz")
MODEL_FILE = "model.keras"
PREPROCESSING_FILE = "preprocessing.json"
LOGVAR_CLIP = 10.0
OVERFLOW_SCORE = float(np.finfo(np.float32).max)  # score of an event with an input beyond the quantizer range
# The L1 full scale each input must represent without saturating (AXOL1TL: 12-bit hwPt/2 -> 2048 GeV).
L1_FULL_SCALE = layout.L1_FULL_SCALE  # (lo, hi) per kind, inclusive; phi to float32(pi)

# ---------------------------------------------------------------- quantizer configurations


def input_quantizer_config(i_floor: np.ndarray | None = None, f_floor: np.ndarray | None = None) -> QuantizerConfig:
    """The model's input quantizer: per-input fixed point, signed, rounding, saturating; integer bits floored
    per input at ``i_floor`` (see :func:`input_integer_bits_floor`), fraction bits at ``f_floor`` (see
    :func:`input_fraction_bits_floor`)."""
    kw = {}
    if i_floor is not None:
        kw["ic"] = InputRangeFloor(i_floor)
    if f_floor is not None:
        kw["fc"] = InputRangeFloor(f_floor)
    return QuantizerConfig("kif", "datalane", overflow_mode="SAT", round_mode="RND", i0=4, f0=4, **kw)


def relu_quantizer_config() -> QuantizerConfig:
    """Quantizer of a ReLU output (the next layer's input): unsigned, saturating."""
    return QuantizerConfig("kif", "datalane", overflow_mode="SAT", round_mode="RND", k0=False, i0=4, f0=4)


def bias_quantizer_config() -> QuantizerConfig:
    """Biases saturate too (HGQ2's default WRAP tracks the range only while training)."""
    return QuantizerConfig("kbi", "bias", overflow_mode="SAT", round_mode="RND")


def weight_quantizer_config() -> QuantizerConfig:
    """HGQ2's default weight quantizer: per-weight bits, SAT_SYM, RND."""
    return QuantizerConfig("kbi", "weight")


def input_integer_bits_floor(pre: Preprocessing) -> np.ndarray:
    """(n,) minimal integer bits of the input quantizer so the L1 full scale, preprocessed, fits without SAT."""
    lo, hi = l1_full_scale(pre.n_inputs)
    extent = np.maximum(np.abs(lo - pre.offset), np.abs(hi - pre.offset)) * pre.scale
    # max of a signed KIF quantizer is 2^i - 2^-f: one extra integer bit keeps the edge itself in range
    return np.floor(np.log2(np.maximum(extent, 2.0**-8))) + 1.0


KIN_BIAS0 = 1.0  # initial bias of the kinematic hidden units
FREE_FRACTION_FLOOR = -16.0  # inputs without a step limit: HGQ2 may give them few bits or prune them


def input_fraction_bits_floor(pre: Preprocessing, pt_step_gev: float | None) -> np.ndarray | None:
    """(n,) minimal fraction bits of the input quantizer so a pT input keeps a step of at most ``pt_step_gev`` in GeV
    (the L1 granularity is 0.25-0.5 GeV; a coarser step throws the kinematic tail away: a model whose MET input
    stepped in 32 GeV scored the same from 140 to 400 GeV). eta/phi inputs are left to HGQ2's bit-width learning."""
    if pt_step_gev is None:
        return None
    if pt_step_gev <= 0:
        raise ValueError(f"pt_step_gev must be positive, got {pt_step_gev}")
    # a raw step of s GeV is s * 2**-shift preprocessed units: f >= shift - log2(s)
    need = np.ceil(pre.shift - np.log2(pt_step_gev))
    floor = np.full(pre.n_inputs, FREE_FRACTION_FLOOR)
    rows = kinematic.pt_rows(pre.n_inputs) if pre.n_inputs % 3 == 0 else np.ones(pre.n_inputs, bool)
    floor[rows] = need[rows]
    return floor


@keras.saving.register_keras_serializable(package="adtrigger")
class InputRangeFloor(keras.constraints.Constraint):
    """Clip a quantizer's integer bits to [floor (per element), max_value]."""

    def __init__(self, floor, max_value: float = 23.0):
        self.floor = [float(v) for v in np.asarray(floor).reshape(-1)]
        self.max_value = float(max_value)

    def __call__(self, w):
        floor = ops.reshape(ops.convert_to_tensor(np.asarray(self.floor, np.float32), dtype=w.dtype), ops.shape(w))
        return ops.minimum(ops.maximum(w, floor), self.max_value)

    def get_config(self):
        return {"floor": self.floor, "max_value": self.max_value}


def _qdense(
    units: int,
    *,
    name: str,
    iq: QuantizerConfig,
    activation: str | None,
    bw_regularisation: float,
    constraint: keras.constraints.Constraint | None = None,
    quantized: bool = True,
) -> keras.layers.Layer:
    """An HGQ2 QDense (every quantizer saturating), or with ``quantized=False`` the float Dense of the float twin."""
    if not quantized:
        return keras.layers.Dense(units, activation=activation, kernel_constraint=constraint, name=name)
    return QDense(
        units,
        activation=activation,
        iq_conf=iq,
        kq_conf=weight_quantizer_config(),
        bq_conf=bias_quantizer_config(),
        beta0=float(bw_regularisation),
        enable_ebops=True,
        kernel_constraint=constraint,
        name=name,
    )


@keras.saving.register_keras_serializable(package="adtrigger")
class LatentSlice(keras.layers.Layer):
    """z[:, start:stop]: the latent group a decoder reads."""

    def __init__(self, start: int, stop: int, **kwargs):
        super().__init__(**kwargs)
        self.start, self.stop = int(start), int(stop)

    def call(self, z):
        return z[:, self.start : self.stop]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.stop - self.start)

    def get_config(self):
        return {**super().get_config(), "start": self.start, "stop": self.stop}


# ---------------------------------------------------------------- custom layers


@keras.saving.register_keras_serializable(package="adtrigger")
class L1Preprocess(keras.layers.Layer):
    """Fixed ``(x - offset) * 2**-shift`` per input; no weights, constants kept in the config."""

    def __init__(self, offset, shift, **kwargs):
        super().__init__(**kwargs)
        self.pre = Preprocessing(offset=np.asarray(offset), shift=np.asarray(shift))
        self._offset = self.pre.offset.astype(np.float32)
        self._scale = self.pre.scale.astype(np.float32)

    def call(self, x):
        offset = ops.convert_to_tensor(self._offset, dtype=x.dtype)
        scale = ops.convert_to_tensor(self._scale, dtype=x.dtype)
        return (x - offset) * scale

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(self.pre.to_dict())
        config.pop("formula")
        return config


@keras.saving.register_keras_serializable(package="adtrigger")
class Sampling(keras.layers.Layer):
    """z = mu + sigma * eps while training; z = mu otherwise (deterministic evaluation)."""

    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        mu, logvar = inputs
        if not training:
            return mu
        eps = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        return mu + ops.exp(0.5 * ops.clip(logvar, -LOGVAR_CLIP, LOGVAR_CLIP)) * eps

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


# ---------------------------------------------------------------- loss


def _split(y_pred, n_inputs: int, latent: int, n_kin: int = 0):
    """[x^ (n_inputs), kinematic targets^ (n_kin), mu (latent), log sigma^2 (latent)] -> the four parts."""
    a, b, c = n_inputs, n_inputs + n_kin, n_inputs + n_kin + latent
    return y_pred[:, :a], y_pred[:, a:b], y_pred[:, b:c], y_pred[:, c:]


@dataclass
class KinematicTargets:
    """What the kinematic latent group reconstructs: raw inputs @ matrix, standardised by (mean, std)."""

    matrix: np.ndarray  # (n_inputs, K)
    mean: np.ndarray  # (K,)
    std: np.ndarray  # (K,)
    weight: float = 1.0  # of the kinematic reconstruction against the 57-input one and the EBOPs term

    @classmethod
    def fit(
        cls, x: np.ndarray, w: np.ndarray, targets: tuple[str, ...] = kinematic.TARGETS, weight: float = 1.0
    ) -> KinematicTargets:
        mean, std = kinematic.fit_targets(x, w, targets)
        return cls(kinematic.target_matrix(x.shape[1], targets), mean, std, float(weight))

    def terms(self, y_true, rec_kin):
        """Per-event squared error of the standardised targets, times ``weight``."""
        a = ops.convert_to_tensor(self.matrix.astype(np.float32), dtype=y_true.dtype)
        mean = ops.convert_to_tensor(self.mean.astype(np.float32), dtype=y_true.dtype)
        inv = ops.convert_to_tensor((1.0 / self.std).astype(np.float32), dtype=y_true.dtype)
        target = (ops.matmul(y_true, a) - mean) * inv
        return self.weight * ops.sum(ops.square(rec_kin - target), axis=1)


def _recon_terms(y_true, rec, offset, scale):
    """Per-event masked squared error in preprocessed units (see the module docstring)."""
    xp = (y_true - offset) * scale
    n = ops.shape(y_true)[0]
    pt = y_true[:, 0::3]
    filled = ops.cast(pt > 0, y_true.dtype)
    filled = ops.concatenate([ops.ones_like(filled[:, :1]), filled[:, 1:]], axis=1)  # MET always counts
    mask = ops.reshape(ops.stack([ops.ones_like(filled), filled, filled], axis=2), (n, -1))
    return ops.sum(mask * ops.square(rec - xp), axis=1)


def _kl_terms(mu, logvar):
    logvar = ops.clip(logvar, -LOGVAR_CLIP, LOGVAR_CLIP)
    return 0.5 * (ops.square(mu) + ops.exp(logvar) - 1.0 - logvar)


class VAELoss(keras.losses.Loss):
    """recon (+ kinematic recon) + beta_t * sum_d max(KL_d, free bits); y_true = raw inputs,
    y_pred = [x^, kinematic targets^, mu, log sigma^2]."""

    def __init__(
        self,
        pre: Preprocessing,
        latent: int,
        beta: float,
        free_bits: float,
        name: str = "vae_loss",
        kin: KinematicTargets | None = None,
    ):
        super().__init__(name=name, reduction="sum_over_batch_size")
        self.n_inputs, self.latent = pre.n_inputs, latent
        self.kin = kin
        self.n_kin = 0 if kin is None else kin.matrix.shape[1]
        self.offset, self.scale = pre.offset.astype(np.float32), pre.scale.astype(np.float32)
        self.target_beta = float(beta)
        self.free_bits = float(free_bits)
        self.beta = keras.Variable(float(beta), trainable=False, name="kl_beta", dtype="float32")

    def call(self, y_true, y_pred):
        rec, rec_kin, mu, logvar = _split(y_pred, self.n_inputs, self.latent, self.n_kin)
        offset = ops.convert_to_tensor(self.offset, dtype=y_pred.dtype)
        scale = ops.convert_to_tensor(self.scale, dtype=y_pred.dtype)
        y_true = ops.cast(y_true, y_pred.dtype)
        recon = _recon_terms(y_true, rec, offset, scale)
        if self.kin is not None:
            recon = recon + self.kin.terms(y_true, rec_kin)
        kl_d = _kl_terms(mu, logvar)
        if self.free_bits > 0:
            over = ops.stop_gradient(ops.cast(ops.mean(kl_d, axis=0, keepdims=True) > self.free_bits, kl_d.dtype))
            kl_d = over * kl_d + (1.0 - over) * self.free_bits
        return recon + ops.cast(self.beta, y_pred.dtype) * ops.sum(kl_d, axis=1)

    def get_config(self):
        return {"name": self.name, "latent": self.latent, "beta": self.target_beta, "free_bits": self.free_bits}


def _metric_fns(pre: Preprocessing, latent: int, kin: KinematicTargets | None = None):
    offset, scale = pre.offset.astype(np.float32), pre.scale.astype(np.float32)
    n_kin = 0 if kin is None else kin.matrix.shape[1]

    def recon(y_true, y_pred):
        rec, _, _, _ = _split(y_pred, pre.n_inputs, latent, n_kin)
        y_true = ops.cast(y_true, y_pred.dtype)
        return _recon_terms(y_true, rec, ops.convert_to_tensor(offset), ops.convert_to_tensor(scale))

    def kl(y_true, y_pred):
        _, _, mu, logvar = _split(y_pred, pre.n_inputs, latent, n_kin)
        return ops.sum(_kl_terms(mu, logvar), axis=1)

    fns = [recon, kl]
    if kin is not None:

        def kin_recon(y_true, y_pred):
            _, rec_kin, _, _ = _split(y_pred, pre.n_inputs, latent, n_kin)
            return kin.terms(ops.cast(y_true, y_pred.dtype), rec_kin)

        fns.append(kin_recon)
    return fns


# ---------------------------------------------------------------- model


@dataclass
class VAEConfig:
    """Everything :func:`train_l1_vae` needs; :meth:`from_config` maps the project's YAML ``Config``."""

    # defaults are the YAML config's (training.config), so a VAE built from code and one from a file agree
    hidden: tuple[int, ...] = (32, 16)
    latent: int = ModelConfig.latent
    beta: float = ModelConfig.beta
    bw_regularisation: float = ModelConfig.bw_regularisation
    free_bits: float = ModelConfig.free_bits
    kl_warmup_epochs: int = ModelConfig.kl_warmup_epochs
    input_scale: str = ModelConfig.input_scale
    rare_fraction: float | None = ModelConfig.rare_fraction
    rare_gain_bits: int | None = ModelConfig.rare_gain_bits
    kinematic_hidden: tuple[int, ...] = ()  # units of the kinematic path per hidden layer; () = no kinematic group
    kinematic_latent: int = ModelConfig.kinematic_latent
    kinematic_share: float = ModelConfig.kinematic_share
    kinematic_groups: str = ModelConfig.kinematic_groups
    kinematic_targets: tuple[str, ...] = DEFAULT_KINEMATIC_TARGETS
    kinematic_chains: tuple[str, ...] = ()
    chain_shares: tuple[float, ...] = ()
    kinematic_weight: float = ModelConfig.kinematic_weight
    split_fpr: float = ModelConfig.split_fpr
    pt_step_gev: float | None = ModelConfig.pt_step_gev
    range_headroom_bits: int = ModelConfig.range_headroom_bits
    mu_bits: int = ModelConfig.mu_bits
    quantized: bool = True  # False: the float twin (same architecture and preprocessing, no quantizers)
    quantized_decoder: bool = False
    epochs: int = TrainConfig.epochs
    batch_size: int = TrainConfig.batch_size
    learning_rate: float = TrainConfig.learning_rate
    patience: int = TrainConfig.patience
    seed: int = 1
    verbose: int = 2  # keras: 0 silent, 1 progress bar, 2 one line per epoch

    @classmethod
    def from_config(cls, cfg: Any) -> VAEConfig:
        """From a ``training.config.Config``, a :class:`VAEConfig` or a dict of VAEConfig fields."""
        if cfg is None:
            return cls()
        if isinstance(cfg, cls):
            return cfg
        if isinstance(cfg, dict):
            known = {f.name for f in dataclasses.fields(cls)}
            unknown = sorted(set(cfg) - known)
            if unknown:
                raise ValueError(f"unknown VAE config keys {unknown}; known: {sorted(known)}")
            return cls(**cfg)
        m, t = cfg.model, cfg.train
        return cls(
            hidden=tuple(m.hidden), latent=m.latent, beta=m.beta, bw_regularisation=m.bw_regularisation,
            free_bits=m.free_bits, kl_warmup_epochs=m.kl_warmup_epochs, input_scale=m.input_scale,
            rare_fraction=m.rare_fraction, rare_gain_bits=m.rare_gain_bits,
            kinematic_hidden=tuple(m.kinematic_hidden), kinematic_latent=m.kinematic_latent,
            kinematic_share=m.kinematic_share, kinematic_groups=m.kinematic_groups,
            kinematic_targets=tuple(m.kinematic_targets), kinematic_chains=tuple(m.kinematic_chains),
            chain_shares=tuple(m.chain_shares), kinematic_weight=m.kinematic_weight, split_fpr=m.split_fpr,
            pt_step_gev=m.pt_step_gev, mu_bits=m.mu_bits,
            range_headroom_bits=m.range_headroom_bits, epochs=t.epochs, batch_size=t.batch_size,
            learning_rate=t.learning_rate, patience=t.patience, seed=cfg.seed,
        )  # fmt: skip

    @property
    def n_kinematic(self) -> int:
        """Latent dimensions of the kinematic group and its chains (0 without a group)."""
        return self.kinematic_latent + len(self.kinematic_chains) if self.kinematic_hidden else 0


def _encoder_layer(
    units: int, kin_units: int, n_in: int, topo_in: int, *, first: bool, name: str, iq: QuantizerConfig,
    activation: str | None, bw_regularisation: float, quantized: bool, chains: np.ndarray | None = None,
) -> keras.layers.Layer:  # fmt: skip
    """One encoder layer of ``units`` topology, ``kin_units`` kinematic and one unit per column of ``chains`` (masked
    kernel, see :mod:`training.kinematic`)."""
    constraint = None
    n_chain = 0 if chains is None else chains.shape[1]
    if kin_units:
        masks = kinematic.layer_masks(n_in, topo_in, kin_units, units, first=first, chains=chains)
        constraint = kinematic.KernelMask(*masks)
    return _qdense(
        units + kin_units + n_chain, name=name, iq=iq, activation=activation, bw_regularisation=bw_regularisation,
        constraint=constraint, quantized=quantized,
    )  # fmt: skip


def _own(chains: np.ndarray | None) -> np.ndarray | None:
    """A later layer's chain mask argument: chain c reads only unit c of the previous layer's chains."""
    return None if chains is None else np.eye(chains.shape[1])


def build_l1_vae(
    n_inputs: int = 57,
    hidden: tuple[int, ...] = (32, 16),
    latent: int = 8,
    beta: float = ModelConfig.beta,
    bw_regularisation: float = ModelConfig.bw_regularisation,
    *,
    preprocessing: Preprocessing | None = None,
    free_bits: float = ModelConfig.free_bits,
    quantized_decoder: bool = False,
    learning_rate: float = 3e-3,
    seed: int | None = None,
    kinematic_hidden: tuple[int, ...] = (),
    kinematic_latent: int = 0,
    kinematic_targets: KinematicTargets | None = None,
    pt_step_gev: float | None = ModelConfig.pt_step_gev,
    quantized: bool = True,
    kinematic_chains: tuple[str, ...] = (),
) -> keras.Model:
    """The compiled L1 VAE: raw (N, n_inputs) -> concat([reconstruction (preprocessed units), kinematic targets
    (standardised; only with a kinematic group), mu, log sigma^2]). mu and log sigma^2 hold the topology group's
    ``latent`` dimensions, then the kinematic group's ``kinematic_latent``, then one per ``kinematic_chains``; the
    kinematic targets hold the group's targets, then the chains' (a chain's latent dimension is its reconstruction).
    ``kinematic_latent`` counts the group's dimensions only."""
    pre = preprocessing if preprocessing is not None else Preprocessing.identity(n_inputs)
    if pre.n_inputs != n_inputs:
        raise ValueError(f"preprocessing has {pre.n_inputs} inputs, the model {n_inputs}")
    if not hidden or latent < 1:
        raise ValueError("the encoder needs at least one hidden layer and one latent dimension")
    kin_hidden = tuple(kinematic_hidden)
    if kin_hidden and (len(kin_hidden) != len(hidden) or kinematic_latent < 1 or kinematic_targets is None):
        raise ValueError("a kinematic group needs one width per hidden layer, kinematic_latent >= 1 and its targets")
    if kinematic_chains and not kin_hidden:
        raise ValueError("kinematic chains need a kinematic group")
    kin_hidden = kin_hidden or (0,) * len(hidden)
    chains = kinematic.target_matrix(n_inputs, tuple(kinematic_chains)) if kinematic_chains else None
    n_chain = len(kinematic_chains)
    n_group = kinematic_latent if any(kin_hidden) else 0
    n_kin_latent = n_group + n_chain
    inp = keras.Input((n_inputs,), name="l1_inputs")
    h = L1Preprocess(pre.offset, pre.shift, name="preprocess")(inp)
    i_floor = input_integer_bits_floor(pre)
    f_floor = input_fraction_bits_floor(pre, pt_step_gev)
    iq = input_quantizer_config(i_floor, f_floor)
    n_in, topo_in = n_inputs, n_inputs
    layer_kw = {"bw_regularisation": bw_regularisation, "quantized": quantized}
    for i, (units, kin_units) in enumerate(zip(hidden, kin_hidden, strict=True)):
        layer = _encoder_layer(units, kin_units, n_in, topo_in, first=i == 0, name=f"enc_{i}", iq=iq,
                               activation="relu", chains=chains if i == 0 else _own(chains), **layer_kw)  # fmt: skip
        h = layer(h)
        iq = relu_quantizer_config()
        n_in, topo_in = units + kin_units + n_chain, units
    mu = _encoder_layer(latent, n_group, n_in, topo_in, first=False, name="mu", iq=relu_quantizer_config(),
                        activation=None, chains=_own(chains), **layer_kw)(h)  # fmt: skip
    # the kinematic dimensions' log sigma^2 is a constant (its kernel columns masked to zero, only the bias learns):
    # an input-dependent sigma lets training pass the kinematic targets through the sampling noise's size, which
    # the score (mu alone) never sees (measured: train kinematic error 7 vs validation 20, mu uncorrelated)
    lv_constraint = None
    if n_kin_latent:
        lv_mask = np.ones((n_in, latent + n_kin_latent))
        lv_mask[:, latent:] = 0.0
        lv_constraint = kinematic.KernelMask(lv_mask, np.zeros_like(lv_mask))
    logvar = _qdense(latent + n_kin_latent, name="logvar", iq=relu_quantizer_config(), activation=None,
                     constraint=lv_constraint, **layer_kw)(h)  # fmt: skip
    z = Sampling(seed=seed, name="sampling")([mu, logvar])
    d = LatentSlice(0, latent, name="topology_latent")(z) if n_kin_latent else z
    for i, units in enumerate(reversed(hidden)):
        if quantized_decoder and quantized:
            conf = input_quantizer_config() if i == 0 else relu_quantizer_config()  # latent z in, no floor
            d = _qdense(units, name=f"dec_{i}", iq=conf, activation="relu", bw_regularisation=bw_regularisation)(d)
        else:
            d = keras.layers.Dense(units, activation="relu", name=f"dec_{i}")(d)
    if quantized_decoder and quantized:
        rec = _qdense(n_inputs, name="reconstruction", iq=relu_quantizer_config(), activation=None,
                      bw_regularisation=bw_regularisation)(d)  # fmt: skip
    else:
        rec = keras.layers.Dense(n_inputs, name="reconstruction")(d)
    parts = [rec]
    if n_kin_latent:
        k = LatentSlice(latent, latent + n_group, name="kinematic_latent")(z)
        k = keras.layers.Dense(16, activation="relu", name="kin_dec_0")(k)
        n_targets = kinematic_targets.matrix.shape[1] - n_chain
        parts.append(keras.layers.Dense(n_targets, name="kinematic_reconstruction")(k))
        if n_chain:  # each chain's latent dimension reconstructs its target directly
            parts.append(LatentSlice(latent + n_group, latent + n_kin_latent, name="chain_latent")(z))
    out = keras.layers.Concatenate(name="vae_outputs")([*parts, mu, logvar])
    model = keras.Model(inp, out, name="l1_vae" if quantized else "l1_vae_float_twin")
    for layer in model.layers:  # start inside the masks (constraints act after each step), kinematic weights > 0
        constraint = getattr(layer, "kernel_constraint", None)
        if isinstance(constraint, kinematic.KernelMask):
            nonneg = ops.convert_to_tensor(np.asarray(constraint.nonneg, np.float32), dtype=layer.kernel.dtype)
            layer.kernel.assign(constraint(nonneg * ops.abs(layer.kernel) + (1.0 - nonneg) * layer.kernel))
            if layer.name not in ("mu", "logvar"):  # kinematic ReLUs start alive: a dead unit with weights >= 0 stays
                kin_cols = np.asarray(constraint.nonneg, np.float32)[0] > 0
                layer.bias.assign(ops.convert_to_tensor(np.where(kin_cols, KIN_BIAS0, 0.0).astype(np.float32)))
    if quantized:
        q_in = model.get_layer("enc_0").iq.quantizer  # start at the floors (the constraints act after each step)
        q_in._i.assign(ops.maximum(q_in._i, ops.reshape(ops.convert_to_tensor(i_floor, "float32"), q_in._i.shape)))
        if f_floor is not None:
            f_t = ops.reshape(ops.convert_to_tensor(f_floor, "float32"), q_in._f.shape)
            q_in._f.assign(ops.maximum(q_in._f, f_t))
    kin = kinematic_targets if n_kin_latent else None
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=VAELoss(pre, latent + n_kin_latent, beta, free_bits, kin=kin),
        weighted_metrics=_metric_fns(pre, latent + n_kin_latent, kin),
    )
    return model


def preprocessing_of(model: keras.Model) -> Preprocessing:
    """The fixed preprocessing stored in a model's ``preprocess`` layer."""
    return model.get_layer("preprocess").pre


def encoder_model(model: keras.Model, *, with_logvar: bool = False, include_preprocessing: bool = True) -> keras.Model:
    """The encoder alone: raw L1 inputs (or, with ``include_preprocessing=False``, preprocessed inputs) -> mu
    (and log sigma^2 when ``with_logvar``). Shares the VAE's layers and weights."""
    n_inputs = model.input_shape[-1]
    inp = keras.Input((n_inputs,), name="l1_inputs" if include_preprocessing else "preprocessed_inputs")
    h = model.get_layer("preprocess")(inp) if include_preprocessing else inp
    for layer in _hidden_layers(model):
        h = layer(h)
    mu = model.get_layer("mu")(h)
    outputs = [mu, model.get_layer("logvar")(h)] if with_logvar else mu
    return keras.Model(inp, outputs, name="l1_vae_encoder")


def score_from_latent(
    mu: np.ndarray, logvar: np.ndarray | None = None, kind: str = "mu2", groups: list[LatentGroup] | None = None
) -> np.ndarray:
    """(N,) float64 anomaly score from the latent posterior: 'mu2' sum mu^2 (AXOL1TL; with ``groups`` the grouped
    sum of :mod:`adtrigger.bundle.latent_score`), 'kl' KL to N(0, 1), 'rz' sum mu^2 / sigma^2."""
    if kind not in SCORE_KINDS:
        raise ValueError(f"score kind must be one of {SCORE_KINDS}, got {kind!r}")
    mu = np.asarray(mu, dtype=np.float64)
    if kind == "mu2":
        return grouped_mu2(mu, groups)
    if groups is not None and len(groups) > 1:
        raise ValueError(f"score {kind!r} has no latent groups; only 'mu2' does")
    if logvar is None:
        raise ValueError(f"score {kind!r} needs log sigma^2")
    lv = np.clip(np.asarray(logvar, dtype=np.float64), -LOGVAR_CLIP, LOGVAR_CLIP)
    if kind == "kl":
        return np.sum(0.5 * (mu**2 + np.exp(lv) - 1.0 - lv), axis=1)
    return np.sum(mu**2 * np.exp(-lv), axis=1)


def latent(model: keras.Model, x: np.ndarray, batch_size: int = 16384) -> tuple[np.ndarray, np.ndarray]:
    """(mu, log sigma^2) of raw L1 inputs, each (N, latent) float32."""
    enc = encoder_model(model, with_logvar=True)
    mu, logvar = enc.predict(np.asarray(x, dtype=np.float32), batch_size=batch_size, verbose=0)
    return np.asarray(mu), np.asarray(logvar)


def input_range(model: keras.Model) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) per preprocessed input, (n,) each: what the input quantizer represents without saturating."""
    q = model.get_layer("enc_0").iq.quantizer
    n = model.input_shape[-1]
    lo = np.broadcast_to(ops.convert_to_numpy(q.min).reshape(-1), (n,))
    hi = np.broadcast_to(ops.convert_to_numpy(q.max).reshape(-1), (n,))
    return lo.astype(np.float64), hi.astype(np.float64)


def l1_full_scale(n_inputs: int = 57) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per raw input, (n,) each: the L1 full scale ``L1_FULL_SCALE`` in the (pT, eta, phi) layout."""
    kinds = ("pt", "eta", "phi") * (n_inputs // 3) if n_inputs % 3 == 0 else ("pt",) * n_inputs
    return np.array([L1_FULL_SCALE[k][0] for k in kinds]), np.array([L1_FULL_SCALE[k][1] for k in kinds])


def input_overflow(x: np.ndarray) -> np.ndarray:
    """(N,) bool: a raw input of the event lies beyond the L1 full scale (pT > 2048 GeV, |eta| > 5, |phi| >
    float32(pi)) or is not a number (NaN, +-inf: the firmware's overflow bit, ``firmware.hwunits.to_hardware``; the
    service refuses such an event outright).

    The input quantizer's range is floored to cover that scale, so these are the events that saturate it. The
    condition is on the raw inputs, not on the learned quantizer range: HGQ2 may leave an unimportant input only a
    few coarse levels (measured: 2^i - 2^-f <= 0 for eta/phi inputs that training made nearly irrelevant), or
    prune it, and a range check against those would flag every event."""
    x = np.asarray(x, dtype=np.float64)
    lo, hi = l1_full_scale(x.shape[-1])
    return ~((x >= lo) & (x <= hi)).all(axis=1)  # NaN fails both comparisons


def l1_score(
    model: keras.Model,
    x: np.ndarray,
    kind: str = "mu2",
    batch_size: int = 16384,
    overflow_guard: bool = True,
    groups: list[LatentGroup] | None = None,
) -> np.ndarray:
    """(N,) anomaly score of raw L1 inputs from the encoder alone; with ``overflow_guard`` an event with an input
    beyond the L1 full scale scores ``OVERFLOW_SCORE`` (see the module docstring). ``groups``: the score's latent
    groups (:func:`load_score_groups` of a model directory); None is plain sum mu^2."""
    x = np.asarray(x, dtype=np.float32)
    mu, logvar = latent(model, x, batch_size)
    score = score_from_latent(mu, logvar, kind, groups)
    if overflow_guard:
        score[input_overflow(x)] = OVERFLOW_SCORE
    return score


def active_latent_dims(mu: np.ndarray, floor: float = 1e-2, weight: np.ndarray | None = None) -> int:
    """Number of latent dimensions whose (weighted) variance of mu over SM exceeds ``floor``."""
    mu = np.asarray(mu, dtype=np.float64)
    w = np.ones(len(mu)) if weight is None else np.asarray(weight, dtype=np.float64)
    mean = np.average(mu, axis=0, weights=w)
    var = np.average((mu - mean) ** 2, axis=0, weights=w)
    return int(np.sum(var > floor))


def model_ebops(model: keras.Model) -> int:
    """HGQ2's EBOPs (effective bit operations, a LUT proxy) summed over the quantized layers, as last computed
    in training."""
    return int(sum(int(layer.ebops) for layer in model.layers if getattr(layer, "enable_ebops", False)))


# ---------------------------------------------------------------- training


class _KLWarmup(keras.callbacks.Callback):
    def __init__(self, loss: VAELoss, warmup_epochs: int):
        super().__init__()
        self.loss, self.warmup = loss, warmup_epochs

    def beta_at(self, epoch: int) -> float:
        return self.loss.target_beta * min(1.0, (epoch + 1) / (self.warmup + 1))

    def on_epoch_begin(self, epoch, logs=None):
        self.loss.beta.assign(self.beta_at(epoch))

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["kl_beta"] = self.beta_at(epoch)
            logs["ebops"] = model_ebops(self.model)


def train_l1_vae(
    x_train: np.ndarray,
    w_train: np.ndarray | None,
    x_val: np.ndarray,
    w_val: np.ndarray | None,
    cfg: Any = None,
    *,
    preprocessing: Preprocessing | None = None,
) -> tuple[keras.Model, dict[str, list[float]]]:
    """Train the L1 VAE on raw SM inputs (N, 57) with cocktail weights; early stopping on the validation loss
    (after the KL warm-up), best weights restored. The preprocessing is fitted on (x_train, w_train) unless given.

    ``cfg``: :class:`VAEConfig`, a dict of its fields, or the project's ``training.config.Config``.
    Returns the model and the per-epoch history (loss, recon, kl, val_*, kl_beta, ebops).
    """
    c = VAEConfig.from_config(cfg)
    keras.utils.set_random_seed(c.seed)
    x_train = np.asarray(x_train, dtype=np.float32)
    x_val = np.asarray(x_val, dtype=np.float32)
    w_train = np.ones(len(x_train), np.float32) if w_train is None else np.asarray(w_train, dtype=np.float32)
    w_val = np.ones(len(x_val), np.float32) if w_val is None else np.asarray(w_val, dtype=np.float32)
    pre = preprocessing if preprocessing is not None else fit_preprocessing(
        x_train, w_train, filled_only=c.input_scale == "filled", rare_gain_bits=c.rare_gain_bits,
        rare_fraction=c.rare_fraction,
    )
    kin = None
    if c.n_kinematic:
        targets = tuple(c.kinematic_targets) + tuple(c.kinematic_chains)
        kin = KinematicTargets.fit(x_train, w_train, targets, c.kinematic_weight)
    model = build_l1_vae(
        x_train.shape[1], tuple(c.hidden), c.latent, c.beta, c.bw_regularisation, preprocessing=pre,
        free_bits=c.free_bits, quantized_decoder=c.quantized_decoder, learning_rate=c.learning_rate, seed=c.seed,
        kinematic_hidden=c.kinematic_hidden, kinematic_latent=c.kinematic_latent, kinematic_targets=kin,
        pt_step_gev=c.pt_step_gev, quantized=c.quantized, kinematic_chains=tuple(c.kinematic_chains),
    )  # fmt: skip
    warmup = _KLWarmup(model.loss, c.kl_warmup_epochs)
    stop = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=c.patience, restore_best_weights=True, start_from_epoch=c.kl_warmup_epochs
    )
    hist = model.fit(
        x_train, x_train, sample_weight=w_train, validation_data=(x_val, x_val, w_val), epochs=c.epochs,
        batch_size=c.batch_size, callbacks=[warmup, stop], verbose=c.verbose, shuffle=True,
    )  # fmt: skip
    warmup.loss.beta.assign(c.beta)
    history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
    if c.quantized:
        protect_ranges(model, x_train, c.range_headroom_bits, kinematic_units(c))
    return model, history


def kinematic_units(c: VAEConfig) -> list[int]:
    """Kinematic and chain units per hidden layer (zeros without a kinematic group)."""
    n_chain = len(c.kinematic_chains)
    return [k + n_chain for k in c.kinematic_hidden] if c.n_kinematic else [0] * len(c.hidden)


def _hidden_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The encoder's hidden layers enc_0, enc_1, ... in order."""
    out = []
    while True:
        try:
            out.append(model.get_layer(f"enc_{len(out)}"))
        except ValueError:
            return out


KIN_EXTRA_HEADROOM_BITS = 3  # kinematic units: 2**3 more room than topology units above the SM maximum


def protect_ranges(model: keras.Model, x_train: np.ndarray, headroom_bits: int, kin_units: list[int]) -> dict:
    """Set the integer bits of each ReLU quantizer (a hidden layer's output, the next layers' input) after training.

    HGQ2 learns those bits under the EBOPs pressure, and the SM tail (0.1 % of the loss) cannot hold them up: the
    learned ranges clipped the tail (first-layer outputs with 1-4 integer bits). Here topology units keep at least
    room for ``2**headroom_bits`` times their largest value on the SM training events, and kinematic units (the last
    ``kin_units[i]`` of layer i) exactly ``2**(headroom_bits + KIN_EXTRA_HEADROOM_BITS)`` times it: they grow with
    every pT, and sizing them for the full-scale corner (every pT at 2048 GeV) made the score type 55 bits wide,
    beyond what float64 (ONNX) holds exactly. Beyond that room they saturate, which keeps them monotonic. Fraction
    bits are untouched, so no SM training value changes. Returns the integer bits per layer, before and after."""
    hidden = _hidden_layers(model)
    x = np.asarray(x_train, np.float32)
    report = {}
    for idx, layer in enumerate(hidden):
        consumers = [hidden[idx + 1]] if idx + 1 < len(hidden) else [model.get_layer("mu"), model.get_layer("logvar")]
        sub = keras.Model(model.input, layer.output)
        a_sm = np.maximum(np.asarray(sub.predict(x, batch_size=16384, verbose=0)).max(axis=0), 0.0)
        kin = np.zeros(len(a_sm), bool)
        kin[len(a_sm) - kin_units[idx] :] = True
        need = np.ldexp(a_sm, int(headroom_bits) + np.where(kin, KIN_EXTRA_HEADROOM_BITS, 0))
        for consumer in consumers:
            q = consumer.iq.quantizer
            f = np.broadcast_to(ops.convert_to_numpy(q.f).reshape(-1), need.shape).astype(np.float64)
            i_need = np.ceil(np.log2(need + 2.0**-f))  # unsigned max 2^i - 2^-f >= need
            before = np.broadcast_to(ops.convert_to_numpy(q.i).reshape(-1), need.shape)
            after = np.where(kin, i_need, np.maximum(before, i_need))
            q._i.assign(ops.reshape(ops.convert_to_tensor(after.astype(np.float32)), q._i.shape))
            report[consumer.name] = {"before": before.tolist(), "after": after.tolist()}
    return report


def _snap_scale(scale: float) -> tuple[int, int]:
    """(mantissa, log2) with mantissa * 2**log2 within 3 % of ``scale``: a 5-bit constant multiplier and a shift."""
    e = int(np.floor(np.log2(scale))) - 4
    m = int(np.clip(round(scale / 2.0**e), 16, 32))
    while m % 2 == 0:
        m, e = m // 2, e + 1
    return m, int(np.clip(e, -24, 24))


def select_score_groups(model: keras.Model, x: np.ndarray, w: np.ndarray | None, cfg: Any) -> list[LatentGroup]:
    """The score's latent groups: one plain group without a kinematic group; else the topology group (sum mu^2),
    the kinematic group(s) (sum relu(mu)^2; with ``kinematic_groups`` "per_dim" one group per kinematic dimension)
    and one group per kinematic chain (relu(mu)^2).

    The rate rule sees no signal: at FPR ``split_fpr`` on the SM events ``x`` (weights ``w``), the topology group
    alone would take ``1 - kinematic_share - sum(chain_shares)`` of it, each kinematic group an equal part of
    ``kinematic_share`` and each chain its ``chain_shares`` entry;
    each kinematic group's scale is the ratio of the two thresholds (on a 5-bit mantissa grid), so one threshold on
    the max is the OR of the per-group thresholds. Overlaps make the OR's rate a little lower; calibration then sets
    the threshold at the target rate. With ``mu_bits`` each group also gets its grid (:func:`mu_grid`)."""
    from adtrigger.training.metrics import threshold_at_fpr

    c = VAEConfig.from_config(cfg)
    mu = latent(model, x)[0].astype(np.float64) if (c.n_kinematic or c.mu_bits) else None
    if not c.n_kinematic:
        groups = single_group(c.latent)
    else:
        w = np.ones(len(x)) if w is None else np.asarray(w, np.float64)
        n_chain, kin_stop = len(c.kinematic_chains), c.latent + c.kinematic_latent
        if len(c.chain_shares) != n_chain:
            raise ValueError(f"{n_chain} kinematic chains need as many chain_shares, got {list(c.chain_shares)}")
        t_topo = threshold_at_fpr(
            np.sum(mu[:, : c.latent] ** 2, axis=1), w, (1.0 - c.kinematic_share - sum(c.chain_shares)) * c.split_fpr
        )
        edges = [(c.latent, kin_stop, c.kinematic_share)]
        if c.kinematic_groups == "per_dim":
            edges = [(d, d + 1, c.kinematic_share / c.kinematic_latent) for d in range(c.latent, kin_stop)]
        edges += [(kin_stop + k, kin_stop + k + 1, share) for k, share in enumerate(c.chain_shares)]
        groups = [LatentGroup(0, c.latent)]
        for start, stop, share in edges:
            kin = np.sum(np.maximum(mu[:, start:stop], 0.0) ** 2, axis=1)
            if start >= kin_stop and kin.max() < 1.0:  # a standardised target reaches several sigma on SM
                warnings.warn(
                    f"kinematic chain {c.kinematic_chains[start - kin_stop]!r} has not learned its target (largest SM "
                    f"mu {np.sqrt(kin.max()):.2f} < 1 standard deviation): a chain needs a few hundred optimizer "
                    "steps; its score group will be coarse and its rate share unreliable",
                    stacklevel=2,
                )
            t_kin = threshold_at_fpr(kin, w, share * c.split_fpr)
            m, e = _snap_scale(t_topo / max(t_kin, 1e-30))
            groups.append(LatentGroup(start, stop, e, True, m))
    if c.mu_bits:
        groups = [mu_grid(g, mu, c.mu_bits, MU_HEADROOM_BITS) for g in groups]
    return groups


# mu's cast saturates at the least power of two at or above the root of the SM maximum: a saturated event's group
# sum is then at least the highest SM training score of its group, which is all issue 12 asks ("saturation only
# beyond the highest SM score"); one more bit of headroom cost ~500 LUTs of squares (docs/training.md)
MU_HEADROOM_BITS = 0


def mu_grid(group: LatentGroup, mu: np.ndarray, bits: int, headroom_bits: int) -> LatentGroup:
    """``group`` with its own fixed-point grid for mu (``bits`` bits besides the sign): saturating at 2**int_bits,
    the least power of two whose largest step below it is at least ``2**headroom_bits`` times the root of the
    group's largest SM sum of squares, so no SM training event saturates and a single saturated dimension puts the
    group at or above every SM training event of it; the remaining bits are fraction (at least 0, so a group whose
    integer bits exceed ``bits`` gets a step of 1). Measured (docs/training.md): the SM mu reach ~2^11 (the rare-slot
    gains) against a topology threshold near 2^7 at FPR 1e-3; 10 to 13 bits give the same TPRs."""
    m = mu[:, group.start : group.stop]
    if group.one_sided:
        m = np.maximum(m, 0.0)
    need = np.ldexp(np.sqrt(float(np.max(np.sum(m * m, axis=1)))), int(headroom_bits))
    i = max(0, int(np.ceil(np.log2(max(need, 2.0**-24)))))
    while 2.0**i - 2.0 ** -max(bits - i, 0) < need:
        i += 1
    return dataclasses.replace(group, int_bits=i, frac_bits=max(bits - i, 0))


def float_twin_scorer(
    x_train: np.ndarray, w_train: np.ndarray | None, x_val: np.ndarray, w_val: np.ndarray | None, cfg: Any,
    preprocessing: Preprocessing,
) -> Callable[[np.ndarray], np.ndarray]:  # fmt: skip
    """Train the float twin (the model's architecture and ``preprocessing``, no quantizers) and return its scorer,
    raw (N, 57) -> (N,) float64, with its own score groups chosen by the same rule: the loss from quantization."""
    c = dataclasses.replace(VAEConfig.from_config(cfg), quantized=False, mu_bits=0)  # no quantizer, no mu grid
    kind = cfg.model.score if hasattr(cfg, "model") else "mu2"
    twin, _ = train_l1_vae(x_train, w_train, x_val, w_val, c, preprocessing=preprocessing)
    groups = select_score_groups(twin, x_train, w_train, c) if kind == "mu2" else None

    def score(x: np.ndarray) -> np.ndarray:
        return l1_score(twin, x, kind, groups=groups)

    return score


# ---------------------------------------------------------------- save / load


def save_model(model: keras.Model, directory: str | os.PathLike[str]) -> Path:
    """Write ``model.keras`` (weights, HGQ2 quantizer state, preprocessing constants) and ``preprocessing.json``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    model.save(path)
    (directory / PREPROCESSING_FILE).write_text(json.dumps(preprocessing_of(model).to_dict(), indent=1))
    return path


def load_model(directory: str | os.PathLike[str]) -> keras.Model:
    """Load a model written by :func:`save_model` (not compiled: for scoring and export)."""
    path = Path(directory)
    if path.is_dir():
        path = path / MODEL_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no saved L1 VAE at {path}")
    return keras.saving.load_model(path, compile=False)


def load_score_groups(directory: str | os.PathLike[str], latent: int) -> list[LatentGroup]:
    """The score groups a model directory was trained with (``record.json`` ``score_groups``), checked to tile the
    model's ``latent`` dimensions; one plain group when the record has none. ValueError when they do not fit."""
    from adtrigger.bundle.latent_score import groups_from_json

    path = Path(directory) / "record.json"
    raw = json.loads(path.read_text()).get("score_groups") if path.is_file() else None
    return groups_from_json(raw, latent)


def latent_size(model: keras.Model) -> int:
    """Latent dimensions of the encoder's mu (topology and kinematic groups together)."""
    return int(model.get_layer("mu").units)


def load_preprocessing(directory: str | os.PathLike[str]) -> Preprocessing:
    """The preprocessing of a saved model, read from its JSON (no model load)."""
    return Preprocessing.from_dict(json.loads((Path(directory) / PREPROCESSING_FILE).read_text()))
