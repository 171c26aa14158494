"""The HLT VAE of seed-004: 21 l+X features -> 2 hidden layers -> 4-d latent, with a per-feature likelihood decoder.

The decoder does not output the features: it outputs the parameters of a pdf suited to each feature, and the
reconstruction loss is the negative log-likelihood of the event under them (seed-004). The pdfs here:

- counts (jets, b jets, muons, electrons, hadrons): Poisson;
- the is-electron flag: Bernoulli; the lepton charge (-1, 0, +1): a 3-way categorical;
- non-negative continuous features (pT, isolation, masses, S_T, M_T): a hurdle pdf, P(x = 0) from a Bernoulli
  and log(1 + x) Gaussian where x > 0 (isolations and masses are exactly 0 in most events);
- the signed MET components: a Gaussian in asinh(x / 10 GeV).

Score: the total loss (-log L + beta * KL; seed-004 found it the better test statistic) or the KL alone. A float
model: the HLT runs on CPUs, where quantization buys nothing.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import json
import math
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from keras import ops

from adtrigger.bundle.layout import HLT_FEATURE_NAMES

MODEL_FILE = "model.keras"
STATE_FILE = "hlt_vae.json"
SCORE_KINDS = ("loss", "kl")
COUNTS = ("n_jets", "n_b", "n_mu", "n_ele", "n_charged_had", "n_neutral_had")
FLAGS = ("lep_is_ele",)
CATEGORICAL = ("lep_charge",)
SIGNED = ("met_par", "met_perp")
N_PARAMS = {"poisson": 1, "bernoulli": 1, "categorical3": 3, "hurdle": 3, "gaussian": 2}


def feature_kinds() -> list[str]:
    """The pdf of each HLT feature, in layout order."""
    kinds = []
    for name in HLT_FEATURE_NAMES:
        if name in COUNTS:
            kinds.append("poisson")
        elif name in FLAGS:
            kinds.append("bernoulli")
        elif name in CATEGORICAL:
            kinds.append("categorical3")
        elif name in SIGNED:
            kinds.append("gaussian")
        else:
            kinds.append("hurdle")
    return kinds


def transform(x: np.ndarray) -> np.ndarray:
    """(N, 21) features to the encoder's scale: log1p of non-negative features, asinh(x/10) of signed ones."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    for i, kind in enumerate(feature_kinds()):
        out[:, i] = np.arcsinh(x[:, i] / 10.0) if kind == "gaussian" else (
            x[:, i] if kind in ("bernoulli", "categorical3") else np.log1p(np.maximum(x[:, i], 0.0))
        )  # fmt: skip
    return out.astype(np.float32)


@dataclass
class Standardizer:
    """Per-feature mean and std of the transformed SM training features."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, w: np.ndarray) -> Standardizer:
        t = transform(x).astype(np.float64)
        mean = np.average(t, axis=0, weights=w)
        std = np.sqrt(np.average((t - mean) ** 2, axis=0, weights=w))
        return cls(mean=mean, std=np.where(std > 1e-6, std, 1.0))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((transform(x) - self.mean) / self.std).astype(np.float32)


def _nll_terms(x, params):
    """(N, 21) negative log-likelihood of raw features ``x`` under the decoder's ``params``."""
    terms, k = [], 0
    for i, kind in enumerate(feature_kinds()):
        xi = x[:, i]
        if kind == "poisson":
            log_rate = ops.clip(params[:, k], -10.0, 10.0)
            xr = ops.round(xi)
            terms.append(ops.exp(log_rate) - xr * log_rate + _lgamma(xr + 1.0))
        elif kind == "bernoulli":
            logit = params[:, k]
            terms.append(ops.softplus(logit) - xi * logit)
        elif kind == "categorical3":
            logits = params[:, k : k + 3]
            onehot = ops.stack([ops.cast(ops.equal(ops.round(xi), v), "float32") for v in (-1.0, 0.0, 1.0)], axis=1)
            terms.append(ops.logsumexp(logits, axis=1) - ops.sum(onehot * logits, axis=1))
        elif kind == "hurdle":
            logit, mean, log_sigma = params[:, k], params[:, k + 1], ops.clip(params[:, k + 2], -6.0, 4.0)
            positive = ops.cast(xi > 0, "float32")
            y = ops.log1p(ops.maximum(xi, 0.0))
            gauss = 0.5 * ops.square((y - mean) / ops.exp(log_sigma)) + log_sigma + 0.5 * math.log(2 * math.pi)
            bern = ops.softplus(logit) - positive * logit
            terms.append(bern + positive * gauss)
        else:  # gaussian in asinh(x / 10)
            mean, log_sigma = params[:, k], ops.clip(params[:, k + 1], -6.0, 4.0)
            y = ops.arcsinh(xi / 10.0)
            terms.append(0.5 * ops.square((y - mean) / ops.exp(log_sigma)) + log_sigma + 0.5 * math.log(2 * math.pi))
        k += N_PARAMS[kind]
    return ops.stack(terms, axis=1)


def _lgamma(x):
    # Stirling series; exact enough for integer counts >= 1 (error < 1e-3 at x = 1)
    return (x - 0.5) * ops.log(x) - x + 0.5 * math.log(2 * math.pi) + 1.0 / (12.0 * x) - 1.0 / (360.0 * x**3)


class HLTVAELoss(keras.losses.Loss):
    """-log L(x | decoder params) + beta * KL; y_true = raw features, y_pred = [params, mu, logvar]."""

    def __init__(self, n_params: int, latent: int, beta: float, name: str = "hlt_vae_loss", **kwargs):
        super().__init__(name=name, **kwargs)
        self.n_params, self.latent, self.beta = n_params, latent, beta

    def call(self, y_true, y_pred):
        params = y_pred[:, : self.n_params]
        mu = y_pred[:, self.n_params : self.n_params + self.latent]
        logvar = ops.clip(y_pred[:, self.n_params + self.latent :], -10.0, 10.0)
        nll = ops.sum(_nll_terms(y_true, params), axis=1)
        kl = 0.5 * ops.sum(ops.square(mu) + ops.exp(logvar) - 1.0 - logvar, axis=1)
        return nll + self.beta * kl

    def get_config(self):
        return {**super().get_config(), "n_params": self.n_params, "latent": self.latent, "beta": self.beta}


@keras.saving.register_keras_serializable(package="adtrigger")
class _Sample(keras.layers.Layer):
    def __init__(self, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed_gen = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        mu, logvar = inputs
        if not training:
            return mu
        return mu + ops.exp(0.5 * logvar) * keras.random.normal(ops.shape(mu), seed=self.seed_gen)

    def compute_output_shape(self, input_shape):
        return input_shape[0]


@dataclass
class HLTVAE:
    """The trained network with the standardiser its encoder input needs."""

    model: keras.Model
    standardizer: Standardizer
    latent: int
    beta: float

    @property
    def n_params(self) -> int:
        return sum(N_PARAMS[k] for k in feature_kinds())

    def outputs(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(params, mu, logvar) for raw features (N, 21)."""
        y = np.asarray(self.model.predict(self.standardizer(x), batch_size=8192, verbose=0))
        p, z = self.n_params, self.latent
        return y[:, :p], y[:, p : p + z], np.clip(y[:, p + z :], -10, 10)

    def score(self, x: np.ndarray, kind: str = "loss") -> np.ndarray:
        """(N,) anomaly score: 'loss' (-log L at the posterior mean + beta KL) or 'kl'."""
        params, mu, logvar = self.outputs(x)
        kl = 0.5 * np.sum(mu**2 + np.exp(logvar) - 1.0 - logvar, axis=1)
        if kind == "kl":
            return kl
        if kind != "loss":
            raise ValueError(f"HLT score must be 'loss' or 'kl', got {kind!r}")
        nll = ops.convert_to_numpy(ops.sum(_nll_terms(ops.convert_to_tensor(np.asarray(x, np.float32)),
                                                      ops.convert_to_tensor(params)), axis=1))  # fmt: skip
        return nll.astype(np.float64) + self.beta * kl


def train_hlt_vae(
    x: np.ndarray,
    w: np.ndarray,
    x_val: np.ndarray,
    w_val: np.ndarray,
    *,
    hidden: tuple[int, int] = (16, 8),
    latent: int = 4,
    beta: float = 1.0,
    epochs: int = 30,
    batch_size: int = 512,
    learning_rate: float = 2e-3,
    patience: int = 4,
    seed: int = 1,
    verbose: int = 0,
) -> tuple[HLTVAE, dict[str, list[float]]]:
    """Train on raw SM features (N, 21) with cocktail weights; early stopping on the validation loss."""
    keras.utils.set_random_seed(seed)
    std = Standardizer.fit(x, w)
    n_params = sum(N_PARAMS[k] for k in feature_kinds())
    inp = keras.Input((len(HLT_FEATURE_NAMES),))
    h = inp
    for units in hidden:
        h = keras.layers.Dense(units, activation="relu")(h)
    mu = keras.layers.Dense(latent, name="mu")(h)
    logvar = keras.layers.Dense(latent, name="logvar")(h)
    z = _Sample(seed)([mu, logvar])
    d = z
    for units in reversed(hidden):
        d = keras.layers.Dense(units, activation="relu")(d)
    params = keras.layers.Dense(n_params, name="pdf_params")(d)
    model = keras.Model(inp, keras.layers.Concatenate()([params, mu, logvar]), name="hlt_vae")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=HLTVAELoss(n_params, latent, beta))
    stop = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
    hist = model.fit(
        std(x), np.asarray(x, np.float32), sample_weight=w,
        validation_data=(std(x_val), np.asarray(x_val, np.float32), w_val),
        epochs=epochs, batch_size=batch_size, callbacks=[stop], verbose=verbose, shuffle=True,
    )  # fmt: skip
    history = {k: [float(v) for v in vals] for k, vals in hist.history.items()}
    return HLTVAE(model=model, standardizer=std, latent=latent, beta=beta), history


def save_hlt_vae(vae: HLTVAE, directory: str | os.PathLike[str]) -> Path:
    """Write ``model.keras`` and ``hlt_vae.json`` (standardiser constants, latent size, beta)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    vae.model.save(directory / MODEL_FILE)
    state = {
        "features": list(HLT_FEATURE_NAMES), "pdfs": feature_kinds(), "latent": vae.latent, "beta": vae.beta,
        "standardizer": {"mean": [float(v) for v in vae.standardizer.mean],
                         "std": [float(v) for v in vae.standardizer.std]},
    }  # fmt: skip
    (directory / STATE_FILE).write_text(json.dumps(state, indent=1))
    return directory / MODEL_FILE


def load_hlt_vae(directory: str | os.PathLike[str]) -> HLTVAE:
    """Load what :func:`save_hlt_vae` wrote (not compiled: for scoring)."""
    directory = Path(directory)
    if not (directory / MODEL_FILE).is_file() or not (directory / STATE_FILE).is_file():
        raise FileNotFoundError(f"no saved HLT VAE in {directory} ({MODEL_FILE} and {STATE_FILE} needed)")
    state = json.loads((directory / STATE_FILE).read_text())
    if state.get("features") != list(HLT_FEATURE_NAMES):
        raise ValueError(f"{directory}: the saved HLT VAE was trained on other features")
    model = keras.saving.load_model(directory / MODEL_FILE, compile=False)
    std = Standardizer(mean=np.asarray(state["standardizer"]["mean"]), std=np.asarray(state["standardizer"]["std"]))
    return HLTVAE(model=model, standardizer=std, latent=int(state["latent"]), beta=float(state["beta"]))
