"""Baselines the VAE is judged against: the public challenge's plain dense AE and a supervised classifier.

- AE (ADC2021, arXiv 2107.02157): 57 -> 16 -> 3 -> 8 -> 16 -> 57, MSE; anomaly score = the event's MSE.
- Supervised 57 -> 64 -> 32 -> 1 per signal against SM (seed-004 compares against one): the reach to aim at.
Both are float Keras models; inputs are already preprocessed (N, 57) arrays.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras
import numpy as np


def _fit(model, x, y, w, x_val, y_val, w_val, epochs: int, batch_size: int, patience: int, verbose: int):
    stop = keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
    return model.fit(
        x, y, sample_weight=w, validation_data=(x_val, y_val, w_val), epochs=epochs, batch_size=batch_size,
        callbacks=[stop], verbose=verbose, shuffle=True,
    )  # fmt: skip


def train_dense_ae(
    x: np.ndarray,
    w: np.ndarray,
    x_val: np.ndarray,
    w_val: np.ndarray,
    *,
    seed: int = 1,
    epochs: int = 30,
    batch_size: int = 1024,
    patience: int = 4,
    verbose: int = 0,
) -> keras.Model:
    """The ADC2021 dense AE, trained with MSE on SM (cocktail weights)."""
    keras.utils.set_random_seed(seed)
    n = x.shape[1]
    inp = keras.Input((n,))
    h = inp
    for units in (16, 3, 8, 16):
        h = keras.layers.Dense(units, activation="relu" if units != 3 else None)(h)
    out = keras.layers.Dense(n)(h)
    model = keras.Model(inp, out, name="adc_dense_ae")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    _fit(model, x, x, w, x_val, x_val, w_val, epochs, batch_size, patience, verbose)
    return model


def ae_score(model: keras.Model, x: np.ndarray, batch_size: int = 8192) -> np.ndarray:
    """(N,) per-event mean squared reconstruction error."""
    rec = model.predict(x, batch_size=batch_size, verbose=0)
    return np.mean((np.asarray(rec) - x) ** 2, axis=1)


def train_classifier(
    x_sm: np.ndarray,
    w_sm: np.ndarray,
    x_sig: np.ndarray,
    *,
    seed: int = 1,
    epochs: int = 30,
    batch_size: int = 1024,
    patience: int = 4,
    verbose: int = 0,
) -> keras.Model:
    """A supervised 57 -> 64 -> 32 -> 1 classifier of one signal against the weighted SM (classes balanced)."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = np.concatenate([x_sm, x_sig]).astype(np.float32)
    y = np.concatenate([np.zeros(len(x_sm)), np.ones(len(x_sig))]).astype(np.float32)
    # balance: each class carries half the total weight
    w = np.concatenate([w_sm / w_sm.sum(), np.full(len(x_sig), 1.0 / len(x_sig))]) * len(x) / 2
    order = rng.permutation(len(x))
    n_val = len(x) // 5
    val, tr = order[:n_val], order[n_val:]
    inp = keras.Input((x.shape[1],))
    h = keras.layers.Dense(64, activation="relu")(inp)
    h = keras.layers.Dense(32, activation="relu")(h)
    out = keras.layers.Dense(1)(h)  # a logit: no saturation ties in the far tail
    model = keras.Model(inp, out, name="supervised")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    _fit(model, x[tr], y[tr], w[tr], x[val], y[val], w[val], epochs, batch_size, patience, verbose)
    return model


def classifier_score(model: keras.Model, x: np.ndarray, batch_size: int = 8192) -> np.ndarray:
    """(N,) the classifier's logit for signal."""
    return np.asarray(model.predict(x, batch_size=batch_size, verbose=0)).reshape(-1)
