"""``adtrigger export``: a trained L1 VAE as one exact ONNX graph, ``model.onnx`` in its bundle.

Raw L1 objects in (``l1_inputs``, (N, 57) float32), score out (``score``, (N,) float64), with the preprocessing,
the input quantizer, every encoder layer, the score of the record's ``model.score`` and the overflow guard inside.
The graph is bit-exact with ``training.vae.l1_score(load_model(dir), x, kind)`` (and so with the firmware): the
quantized weights are folded into integer-unit constants and each quantizer is a floor and a clip
(:mod:`training.export.fold`, which also proves the float32 accumulators exact from the formats), written with
standard ONNX ops only (:mod:`training.export.graph`). For ``mu2`` the score is the grouped sum mu^2 of
:mod:`adtrigger.bundle.latent_score` with the record's ``score_groups`` (none: one plain group, sum mu^2). The card
gets the ``fixed_point`` section: the score's type (for ``mu2``) and every layer's formats; and, for ``mu2``, the
groups and their definition in ``score``. See docs/export.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import onnx

from adtrigger.bundle import latent_score
from adtrigger.bundle.latent_score import LatentGroup
from adtrigger.training.export.fold import ExportError, FoldedEncoder, fold_model, score_type
from adtrigger.training.export.graph import INPUT_NAME, OPSET, OUTPUT_NAME, build_graph

MODEL_ONNX = "model.onnx"

__all__ = [
    "MODEL_ONNX", "ExportError", "build_onnx", "export", "fixed_point_section", "score_groups_of", "score_kind_of",
    "score_section",
]  # fmt: skip


def build_onnx(model: Any, score_kind: str = "mu2", groups: list[LatentGroup] | None = None) -> onnx.ModelProto:
    """The exact ONNX graph of a trained L1 VAE (``training.vae`` Keras model) for ``score_kind`` (and, for mu2,
    the latent ``groups`` of a grouped sum mu^2; None: one plain group)."""
    return _build(model, score_kind, groups)[1]


def _build(model: Any, score_kind: str, groups: list[LatentGroup] | None) -> tuple[FoldedEncoder, onnx.ModelProto]:
    from adtrigger.training.vae import OVERFLOW_SCORE

    folded = fold_model(model, score_kind, groups)
    return folded, build_graph(folded, OVERFLOW_SCORE, name=f"{model.name}_{score_kind}")


def score_kind_of(model_dir: Path) -> str:
    """The score a model directory was trained for (``model.score`` of its ``record.json``)."""
    from adtrigger.training.pipeline import read_record

    record = read_record(model_dir)
    model = record.get("config", {}).get("model", {})
    if model.get("kind", "l1_vae") != "l1_vae":
        raise ExportError(f"{model_dir}: model.kind {model.get('kind')!r}; adtrigger export writes the L1 VAE only")
    return str(model.get("score", "mu2"))


def score_groups_of(model_dir: Path, latent: int) -> list[LatentGroup]:
    """The latent groups of the score a model directory was trained for (``score_groups`` of its ``record.json``,
    as :func:`adtrigger.bundle.latent_score.groups_to_json` writes them; absent or null: one plain group)."""
    from adtrigger.training.pipeline import read_record
    from adtrigger.training.vae import load_score_groups

    read_record(model_dir)  # a clear error for a folder that is no trained model directory
    try:
        return load_score_groups(model_dir, latent)
    except (TypeError, ValueError) as err:
        raise ExportError(f"{model_dir}: record.json score_groups cannot be used: {err}") from None


def score_section(folded: FoldedEncoder) -> dict[str, Any]:
    """The card's ``score`` fields the export vouches for: the latent groups and their definition (mu2 only)."""
    if folded.score_kind != "mu2":
        return {}
    return {"groups": latent_score.groups_to_json(folded.groups), "definition": latent_score.describe(folded.groups)}


def fixed_point_section(folded: FoldedEncoder) -> dict[str, Any] | None:
    """The card's ``fixed_point``: the score's type (mu2 only; kl and rz are not fixed-point) and per-layer formats
    (input quantizer with its per-element k, i, f; weight; bias; accumulator; the graph's dtype for it)."""
    if folded.score_kind != "mu2":
        return None
    return {
        "score": score_type(folded.head, folded.latent, folded.groups),
        "layers": folded.formats,
        "graph": {
            "input": INPUT_NAME,
            "output": OUTPUT_NAME,
            "opset": OPSET,
            "input_stage": "fused floor(x*c + d)" if folded.input.fused else "keras order floor((x - offset)*c + 0.5)",
        },
    }


def _load(model_dir: Path) -> Any:
    from adtrigger.training.vae import MODEL_FILE, load_model

    path = model_dir / MODEL_FILE
    if not path.is_file():
        raise ExportError(f"{path} is missing: train the model first (adtrigger train)")
    try:
        return load_model(model_dir)
    except Exception as err:  # keras raises many types for a damaged archive
        raise ExportError(
            f"{path} cannot be loaded ({type(err).__name__}: {str(err).splitlines()[0][:200]}); "
            "it is damaged or not an L1 VAE: re-run adtrigger train"
        ) from None


def _ensure_card(model_dir: Path) -> None:
    """A model directory trained before cards existed gets its card first (as ``adtrigger evaluate`` does)."""
    from adtrigger.bundle import CARD_FILE

    if (model_dir / CARD_FILE).is_file():
        return
    from adtrigger.training.card import write_train_card
    from adtrigger.training.config import ConfigError, from_dict
    from adtrigger.training.pipeline import read_record

    record = read_record(model_dir)
    try:
        cfg = from_dict(record["config"], base_dir=model_dir / record.get("base_dir", "."))
    except ConfigError as err:
        raise ExportError(
            f"{model_dir} has no {CARD_FILE} and one cannot be made from its record ({err}): re-run adtrigger train"
        ) from None
    write_train_card(model_dir, cfg, record)


def export(model_dir: Path) -> Path:
    """Write ``model_dir/model.onnx`` (temp name, then rename) and register it with the ``fixed_point`` section in
    the card. Returns the path of ``model.onnx``. ``ExportError`` (one line) for a missing or damaged model."""
    from adtrigger.bundle import atomic_write_bytes, update_card

    model_dir = Path(model_dir)
    if not model_dir.is_dir():
        raise ExportError(f"{model_dir} is not a model directory: train one first (adtrigger train)")
    kind = score_kind_of(model_dir)
    model = _load(model_dir)
    from adtrigger.training.vae import latent_size

    groups = score_groups_of(model_dir, latent_size(model))
    folded, graph = _build(model, kind, groups)
    _ensure_card(model_dir)
    path = atomic_write_bytes(model_dir / MODEL_ONNX, graph.SerializeToString())
    changes = {"fixed_point": fixed_point_section(folded), "score": score_section(folded)}
    update_card(model_dir, changes, files=[MODEL_ONNX], replace=["fixed_point"])
    return path
