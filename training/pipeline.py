"""The train and evaluate jobs: config -> data -> model directory, and model directory -> metrics and plots.

A model directory (``models/<name>/``) holds the trained network, its preprocessing, the training curves and a
record of the config, data manifest and code version that made it; evaluation adds ``evaluation/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from adtrigger.bundle.latent_score import groups_to_json
from adtrigger.training.card import merge_evaluation, write_train_card
from adtrigger.training.config import Config, ConfigError, from_dict, load_config
from adtrigger.training.curves import plot_history
from adtrigger.training.data import Dataset, split_masks
from adtrigger.training.stream.sample import EventSample

RECORD_FILE = "record.json"


def code_version() -> dict[str, Any]:
    """The package version and, in a git checkout, the commit and whether the tree was dirty."""
    out: dict[str, Any] = {"adtrigger": metadata.version("adtrigger")}
    root = Path(__file__).resolve().parents[1]
    try:
        out["git_commit"] = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, timeout=10)
        out["git_dirty"] = bool(dirty.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        out["git_commit"] = None
    for pkg in ("keras", "hgq2", "torch", "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def _load_data(cfg: Config) -> Dataset:
    return Dataset.load(
        cfg.sm_paths(), cfg.signal_paths(), split=tuple(cfg.data.split), seed=cfg.seed, max_events=cfg.data.max_events
    )


def _require_hlt(data: Dataset) -> None:
    missing = [k for k, v in {**data.sm, **data.signals}.items() if v.hlt is None]
    if missing:
        raise ConfigError(
            f"model.kind hlt_vae needs the 21 HLT features, which {missing[0]} lacks: use files made by "
            "`adtrigger generate` (public-layout files such as refstream-v1 carry L1 objects only)"
        )


def train(config_path: str | Path, models_dir: str | Path = "models", *, force: bool = False) -> Path:
    """Train the model a config describes into ``models_dir/<name>/``; written whole or not at all."""
    cfg = load_config(config_path)
    out = Path(models_dir) / cfg.name
    if out.exists() and not force:
        raise FileExistsError(f"{out} exists; use --force to replace it")
    import torch

    torch.set_num_threads(cfg.train.threads)
    start = time.perf_counter()
    data = _load_data(cfg)
    tr, va = data.sm["train"], data.sm["val"]
    if cfg.model.kind == "hlt_vae":
        from adtrigger.training import hlt_vae

        _require_hlt(data)
        m = cfg.model
        model, history = hlt_vae.train_hlt_vae(
            tr.hlt, tr.weight, va.hlt, va.weight, hidden=tuple(m.hidden), latent=m.latent, beta=m.beta,
            epochs=cfg.train.epochs, batch_size=cfg.train.batch_size, learning_rate=cfg.train.learning_rate,
            patience=cfg.train.patience, seed=cfg.seed, verbose=2,
        )  # fmt: skip
        _, mu, _ = model.outputs(va.hlt)
        save, ebops, score_groups = hlt_vae.save_hlt_vae, None, None
    else:
        from adtrigger.training import vae

        model, history = vae.train_l1_vae(tr.flat, tr.weight, va.flat, va.weight, cfg)
        mu, _ = vae.latent(model, va.flat)
        save, ebops = vae.save_model, vae.model_ebops(model)
        score_groups = groups_to_json(vae.select_score_groups(model, tr.flat, tr.weight, cfg))
    seconds = time.perf_counter() - start
    from adtrigger.training.vae import active_latent_dims

    active = active_latent_dims(mu, weight=va.weight)

    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        save(model, tmp)
        plot_history(history, tmp / "training.png")
        record = {
            "name": cfg.name,
            "config": cfg.as_dict(),
            # data paths resolve from here; relative to the model directory so a checkout can move
            "base_dir": os.path.relpath(Path(cfg.base_dir).resolve(), out.resolve()),
            "data": data.manifest(),
            "code": code_version(),
            "training_seconds": seconds,
            "train_events_per_second": len(tr) * len(history.get("loss", [])) / seconds,
            "epochs_run": len(history.get("loss", [])),
            "active_latent_dims": active,
            "ebops": ebops,
            "score_groups": score_groups,  # adtrigger.bundle.latent_score; None: no latent groups
            "history": history,
        }
        (tmp / RECORD_FILE).write_text(json.dumps(record, indent=1, default=str))
        write_train_card(tmp, cfg, record)
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def read_record(model_dir: str | Path) -> dict[str, Any]:
    """The training record of a model directory."""
    path = Path(model_dir) / RECORD_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{model_dir}: no {RECORD_FILE}; not a trained model directory")
    return json.loads(path.read_text())


def _halves(sample: EventSample, seed: int) -> tuple[EventSample, EventSample]:
    """(classifier-training half, evaluation half) of a signal, by event id."""
    m = split_masks(sample, (0.5, 0.0, 0.5), seed)
    return sample.select(m["train"]), sample.select(m["test"])


def _add_plain_triggers(
    sm_scores: dict[str, Any], sig_scores: dict[str, dict[str, Any]], test: EventSample, signals: dict[str, EventSample]
) -> None:
    """The plain L1 triggers (MET, S_T, leading lepton pT) as scores of the raw L1 inputs: no training, any kind."""
    from adtrigger.training.plain_triggers import plain_trigger_scores

    sm_scores.update(plain_trigger_scores(test.flat))
    for name, ev in signals.items():
        sig_scores[name].update(plain_trigger_scores(ev.flat))


def evaluate(model_dir: str | Path, *, baselines: bool = True) -> Path:
    """Score SM test data and each signal with the model, the plain L1 triggers and (``baselines``) the float twin,
    the AE and the supervised reference; write metrics.json (with the bar and the model's ratios to it and to its
    float twin), roc.png and table.md to ``model_dir/evaluation``."""
    from adtrigger.training import report, vae

    model_dir = Path(model_dir)
    record = read_record(model_dir)
    cfg = from_dict(record["config"], base_dir=model_dir / record.get("base_dir", "."))
    import torch

    torch.set_num_threads(cfg.train.threads)
    start = time.perf_counter()

    def step(what: str) -> None:  # the baselines train for minutes: say which one runs (stdout, with Keras)
        print(f"evaluate: {what} [{time.perf_counter() - start:.0f} s]", flush=True)

    data = _load_data(cfg)
    test = data.sm["test"]
    halves = {name: _halves(s, cfg.seed) for name, s in data.signals.items()}
    primary = f"VAE {cfg.model.score}"
    if cfg.model.kind == "hlt_vae":
        from adtrigger.training import hlt_vae

        _require_hlt(data)
        model = hlt_vae.load_hlt_vae(model_dir)

        def inputs(s: EventSample):
            return s.hlt

        def score(s: EventSample):
            return model.score(s.hlt, cfg.model.score)

        prepare = model.standardizer
    else:
        model = vae.load_model(model_dir)
        groups = vae.load_score_groups(model_dir, vae.latent_size(model))

        def inputs(s: EventSample):
            return s.flat

        def score(s: EventSample):
            return vae.l1_score(model, s.flat, cfg.model.score, groups=groups)

        prepare = vae.preprocessing_of(model).apply
    step(f"scoring the {primary} on {len(test)} SM test events and {len(halves)} signals")
    sm_scores = {primary: score(test)}
    sig_scores = {name: {primary: score(ev)} for name, (_, ev) in halves.items()}
    _add_plain_triggers(sm_scores, sig_scores, test, {name: ev for name, (_, ev) in halves.items()})

    if baselines:
        from adtrigger.training import baselines as bl

        tr, va = data.sm["train"], data.sm["val"]
        if cfg.model.kind == "l1_vae":
            step("training the float twin (the model's architecture and preprocessing, no quantizers)")
            twin = vae.float_twin_scorer(tr.flat, tr.weight, va.flat, va.weight, cfg, vae.preprocessing_of(model))
            sm_scores[report.FLOAT_TWIN_SCORE] = twin(test.flat)
            for name, (_, ev) in halves.items():
                sig_scores[name][report.FLOAT_TWIN_SCORE] = twin(ev.flat)
        x_tr, x_va, x_te = (prepare(inputs(s)) for s in (tr, va, test))
        step("training the AE baseline (ADC2021)")
        ae = bl.train_dense_ae(x_tr, tr.weight, x_va, va.weight, seed=cfg.seed)
        sm_scores[report.AE_SCORE] = bl.ae_score(ae, x_te)
        for i, (name, (fit_half, ev)) in enumerate(halves.items(), 1):
            step(f"training and scoring the supervised classifier {i}/{len(halves)}: {name}")
            sig_scores[name][report.AE_SCORE] = bl.ae_score(ae, prepare(inputs(ev)))
            clf = bl.train_classifier(x_tr, tr.weight, prepare(inputs(fit_half)), seed=cfg.seed)
            sm_scores[f"{report.SUPERVISED_SCORE}@{name}"] = bl.classifier_score(clf, x_te)
            sig_scores[name][report.SUPERVISED_SCORE] = bl.classifier_score(clf, prepare(inputs(ev)))

    step("metrics, with bootstrap bands on the TPRs at FPR <= 1e-4")
    metrics = report.evaluate_scores(sm_scores, test.weight, sig_scores, primary=primary, seed=cfg.seed)
    metrics["model"] = record["name"]
    from adtrigger.training.ladder_eval import ladder_metrics, ladder_table

    ladder = ladder_metrics(model_dir, test, sm_scores[primary],
                            {name: (ev, sig_scores[name][primary]) for name, (_, ev) in halves.items()})  # fmt: skip
    if ladder is not None:
        metrics["ladder"] = ladder
    step("writing metrics.json, roc.png and table.md")
    out = model_dir / "evaluation"
    out.mkdir(exist_ok=True)
    report.write_metrics(metrics, out / "metrics.json")
    report.plot_rocs(sm_scores, test.weight, sig_scores, out / "roc.png")
    (out / "table.md").write_text(report.evaluation_markdown(metrics) + ("\n" + ladder_table(ladder) if ladder else ""))
    merge_evaluation(model_dir, cfg, record, metrics)
    return out
