"""The L1 VAE: a compact HGQ2-quantized encoder on the 57 L1 inputs, a float decoder, and its anomaly scores.

Architecture (AXOL1TL v1-like): raw L1 inputs -> fixed preprocessing layer ``(x - offset) * 2**-shift``
(:mod:`training.preprocess`) -> HGQ2 ``QDense`` 57->32->16 with ReLU -> two ``QDense`` heads mu and log sigma^2
(latent 8) -> sampling -> decoder (float Dense by default, or HGQ2) 8->16->32->57 in preprocessed units.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keras
import numpy as np
from hgq.config import QuantizerConfig
from hgq.layers import QDense
from keras import ops

from adtrigger.training.config import ModelConfig, TrainConfig
from adtrigger.training.preprocess import Preprocessing, fit_preprocessing

SCORE_KINDS = ("mu2", "kl", "rz")
MODEL_FILE = "model.keras"
PREPROCESSING_FILE = "preprocessing.json"
LOGVAR_CLIP = 10.0
OVERFLOW_SCORE = float(np.finfo(np.float32).max)  # score of an event with an input beyond the quantizer range
# The L1 full scale each input must represent without saturating (AXOL1TL: 12-bit hwPt/2 -> 2048 GeV).
L1_FULL_SCALE = {"pt": (0.0, 2048.0), "eta": (-5.0, 5.0), "phi": (-np.pi, np.pi)}

# ---------------------------------------------------------------- quantizer configurations


def input_quantizer_config(i_floor: np.ndarray | None = None) -> QuantizerConfig:
    """The model's input quantizer: per-input fixed point, signed, rounding, saturating; integer bits floored
    per input at ``i_floor`` (see :func:`input_integer_bits_floor`)."""
    ic = InputRangeFloor(i_floor) if i_floor is not None else None
    kw = {"ic": ic} if ic is not None else {}
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


def _qdense(units: int, *, name: str, iq: QuantizerConfig, activation: str | None, bw_regularisation: float) -> QDense:
    return QDense(
        units,
        activation=activation,
        iq_conf=iq,
        kq_conf=weight_quantizer_config(),
        bq_conf=bias_quantizer_config(),
        beta0=float(bw_regularisation),
        enable_ebops=True,
        name=name,
    )


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


def _split(y_pred, n_inputs: int, latent: int):
    return y_pred[:, :n_inputs], y_pred[:, n_inputs : n_inputs + latent], y_pred[:, n_inputs + latent :]


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
    """recon + beta_t * sum_d max(KL_d, free bits); y_true = raw inputs, y_pred = [x^, mu, log sigma^2]."""

    def __init__(self, pre: Preprocessing, latent: int, beta: float, free_bits: float, name: str = "vae_loss"):
        super().__init__(name=name, reduction="sum_over_batch_size")
        self.n_inputs, self.latent = pre.n_inputs, latent
        self.offset, self.scale = pre.offset.astype(np.float32), pre.scale.astype(np.float32)
        self.target_beta = float(beta)
        self.free_bits = float(free_bits)
        self.beta = keras.Variable(float(beta), trainable=False, name="kl_beta", dtype="float32")

    def call(self, y_true, y_pred):
        rec, mu, logvar = _split(y_pred, self.n_inputs, self.latent)
        offset = ops.convert_to_tensor(self.offset, dtype=y_pred.dtype)
        scale = ops.convert_to_tensor(self.scale, dtype=y_pred.dtype)
        recon = _recon_terms(ops.cast(y_true, y_pred.dtype), rec, offset, scale)
        kl_d = _kl_terms(mu, logvar)
        if self.free_bits > 0:
            over = ops.stop_gradient(ops.cast(ops.mean(kl_d, axis=0, keepdims=True) > self.free_bits, kl_d.dtype))
            kl_d = over * kl_d + (1.0 - over) * self.free_bits
        return recon + ops.cast(self.beta, y_pred.dtype) * ops.sum(kl_d, axis=1)

    def get_config(self):
        return {"name": self.name, "latent": self.latent, "beta": self.target_beta, "free_bits": self.free_bits}


def _metric_fns(pre: Preprocessing, latent: int):
    offset, scale = pre.offset.astype(np.float32), pre.scale.astype(np.float32)

    def recon(y_true, y_pred):
        rec, _, _ = _split(y_pred, pre.n_inputs, latent)
        y_true = ops.cast(y_true, y_pred.dtype)
        return _recon_terms(y_true, rec, ops.convert_to_tensor(offset), ops.convert_to_tensor(scale))

    def kl(y_true, y_pred):
        _, mu, logvar = _split(y_pred, pre.n_inputs, latent)
        return ops.sum(_kl_terms(mu, logvar), axis=1)

    return [recon, kl]


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
            rare_fraction=m.rare_fraction, rare_gain_bits=m.rare_gain_bits, epochs=t.epochs, batch_size=t.batch_size,
            learning_rate=t.learning_rate, patience=t.patience, seed=cfg.seed,
        )  # fmt: skip


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
) -> keras.Model:
    """The compiled L1 VAE: raw (N, n_inputs) -> concat([reconstruction (preprocessed units), mu, log sigma^2])."""
    pre = preprocessing if preprocessing is not None else Preprocessing.identity(n_inputs)
    if pre.n_inputs != n_inputs:
        raise ValueError(f"preprocessing has {pre.n_inputs} inputs, the model {n_inputs}")
    if not hidden or latent < 1:
        raise ValueError("the encoder needs at least one hidden layer and one latent dimension")
    inp = keras.Input((n_inputs,), name="l1_inputs")
    h = L1Preprocess(pre.offset, pre.shift, name="preprocess")(inp)
    i_floor = input_integer_bits_floor(pre)
    iq = input_quantizer_config(i_floor)
    for i, units in enumerate(hidden):
        h = _qdense(units, name=f"enc_{i}", iq=iq, activation="relu", bw_regularisation=bw_regularisation)(h)
        iq = relu_quantizer_config()
    mu = _qdense(latent, name="mu", iq=relu_quantizer_config(), activation=None, bw_regularisation=bw_regularisation)(h)
    logvar = _qdense(
        latent, name="logvar", iq=relu_quantizer_config(), activation=None, bw_regularisation=bw_regularisation
    )(h)
    z = Sampling(seed=seed, name="sampling")([mu, logvar])
    d = z
    for i, units in enumerate(reversed(hidden)):
        if quantized_decoder:
            conf = input_quantizer_config() if i == 0 else relu_quantizer_config()  # latent z in, no floor
            d = _qdense(units, name=f"dec_{i}", iq=conf, activation="relu", bw_regularisation=bw_regularisation)(d)
        else:
            d = keras.layers.Dense(units, activation="relu", name=f"dec_{i}")(d)
    if quantized_decoder:
        rec = _qdense(n_inputs, name="reconstruction", iq=relu_quantizer_config(), activation=None,
                      bw_regularisation=bw_regularisation)(d)  # fmt: skip
    else:
        rec = keras.layers.Dense(n_inputs, name="reconstruction")(d)
    out = keras.layers.Concatenate(name="vae_outputs")([rec, mu, logvar])
    model = keras.Model(inp, out, name="l1_vae")
    q_in = model.get_layer("enc_0").iq.quantizer  # start at the floor (the constraint acts after each step)
    q_in._i.assign(ops.maximum(q_in._i, ops.reshape(ops.convert_to_tensor(i_floor, "float32"), q_in._i.shape)))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=VAELoss(pre, latent, beta, free_bits),
        weighted_metrics=_metric_fns(pre, latent),
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
    i = 0
    while True:
        try:
            layer = model.get_layer(f"enc_{i}")
        except ValueError:
            break
        h = layer(h)
        i += 1
    mu = model.get_layer("mu")(h)
    outputs = [mu, model.get_layer("logvar")(h)] if with_logvar else mu
    return keras.Model(inp, outputs, name="l1_vae_encoder")


def score_from_latent(mu: np.ndarray, logvar: np.ndarray | None = None, kind: str = "mu2") -> np.ndarray:
    """(N,) float64 anomaly score from the latent posterior: 'mu2' sum mu^2 (AXOL1TL), 'kl' KL to N(0, 1),
    'rz' sum mu^2 / sigma^2."""
    if kind not in SCORE_KINDS:
        raise ValueError(f"score kind must be one of {SCORE_KINDS}, got {kind!r}")
    mu = np.asarray(mu, dtype=np.float64)
    if kind == "mu2":
        return np.sum(mu**2, axis=1)
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
    """(N,) bool: a raw input of the event lies beyond the L1 full scale (pT > 2048 GeV, |eta| > 5, |phi| > pi).

    The input quantizer's range is floored to cover that scale, so these are the events that saturate it. The
    condition is on the raw inputs, not on the learned quantizer range: HGQ2 may leave an unimportant input only a
    few coarse levels (measured: 2^i - 2^-f <= 0 for eta/phi inputs that training made nearly irrelevant), or
    prune it, and a range check against those would flag every event."""
    x = np.asarray(x, dtype=np.float64)
    lo, hi = l1_full_scale(x.shape[-1])
    return ((x > hi) | (x < lo)).any(axis=1)


def l1_score(
    model: keras.Model, x: np.ndarray, kind: str = "mu2", batch_size: int = 16384, overflow_guard: bool = True
) -> np.ndarray:
    """(N,) anomaly score of raw L1 inputs from the encoder alone; with ``overflow_guard`` an event with an input
    beyond the L1 full scale scores ``OVERFLOW_SCORE`` (see the module docstring)."""
    x = np.asarray(x, dtype=np.float32)
    mu, logvar = latent(model, x, batch_size)
    score = score_from_latent(mu, logvar, kind)
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
    model = build_l1_vae(
        x_train.shape[1], tuple(c.hidden), c.latent, c.beta, c.bw_regularisation, preprocessing=pre,
        free_bits=c.free_bits, quantized_decoder=c.quantized_decoder, learning_rate=c.learning_rate, seed=c.seed,
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
    return model, history


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


def load_preprocessing(directory: str | os.PathLike[str]) -> Preprocessing:
    """The preprocessing of a saved model, read from its JSON (no model load)."""
    return Preprocessing.from_dict(json.loads((Path(directory) / PREPROCESSING_FILE).read_text()))
