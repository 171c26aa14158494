"""adtrigger export: model.onnx bit-exact with the quantized Keras model (plain and grouped sum mu^2), standard ops
only, exact accumulators, the card's fixed_point and score groups, and clear errors for a missing or damaged model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from typer.testing import CliRunner

from adtrigger.bundle import load_bundle, update_card
from adtrigger.bundle.latent_score import (
    LatentGroup,
    describe,
    group_scores,
    grouped_mu2,
    groups_from_json,
    groups_to_json,
    single_group,
)
from adtrigger.cli import app
from adtrigger.refdata import refstream_dir
from adtrigger.training.export.fold import EXACT_BITS, KIF, ExportError, fold_dense, fold_model, score_type
from adtrigger.training.export.graph import build_graph
from adtrigger.training.export_onnx import MODEL_ONNX, build_onnx, export
from adtrigger.training.stream.io import read_events
from adtrigger.training.vae import (
    OVERFLOW_SCORE,
    input_overflow,
    l1_full_scale,
    l1_score,
    latent,
    latent_size,
    load_model,
    load_score_groups,
)  # fmt: skip

REFSTREAM = refstream_dir()
FILES = ("W_lnu", "QCD", "Z_ll", "ttbar", "A_4l_m50", "LQ_btau_m80", "h0_tautau_m60", "hplus_taunu_m60")
# a topology group and a one-sided "kinematic" group at a quarter of the weight (the trained bundle has latent 4)
# the shared fixture's latent: 4 topology + 2 kinematic dimensions; these groups cut it differently on purpose
GROUPS = [{"start": 0, "stop": 3, "scale_log2": 0, "one_sided": False},
          {"start": 3, "stop": 4, "scale_log2": -2, "one_sided": True},
          {"start": 4, "stop": 6, "scale_log2": 1, "one_sided": True, "scale_mantissa": 5}]  # fmt: skip


def write_score_groups(bundle: Path, groups: list[dict] | None) -> None:
    """Put ``score_groups`` into a (copied) bundle's record.json, as training does, and re-register the record."""
    path = bundle / "record.json"
    record = json.loads(path.read_text())
    record["score_groups"] = groups
    path.write_text(json.dumps(record, indent=1))
    if (bundle / "bundle.json").is_file():
        update_card(bundle, {}, files=["record.json"])


def keras_scores(model, x: np.ndarray, groups: list[LatentGroup] | None = None) -> np.ndarray:
    """The reference: l1_score with the latent groups (the grouped sum mu^2) and its overflow guard."""
    return l1_score(model, x, "mu2", groups=groups)


def _edge_events(base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Events at and beyond the L1 full scale: pT, |eta|, |phi| on, just above and far above their limits."""
    f32 = np.float32
    pi32 = f32(np.pi)  # > pi in float64: the guard counts it as beyond the scale
    values = {
        0: [f32(2048), np.nextafter(f32(2048), f32(np.inf)), f32(1e5), f32(3e38), f32(-1e-30), f32(-0.25), f32(0)],
        1: [f32(5), np.nextafter(f32(5), f32(9)), f32(-5), np.nextafter(f32(-5), f32(-9)), f32(40)],
        2: [pi32, np.nextafter(pi32, f32(0)), -pi32, np.nextafter(-pi32, f32(0)), f32(-7)],
    }
    rows = []
    for kind, vals in values.items():
        for v in vals:
            x = base[rng.integers(0, len(base), 300)].copy()
            cols = 3 * rng.integers(0, 19, len(x)) + kind
            x[np.arange(len(x)), cols] = v
            rows.append(x)
    return np.concatenate(rows)


@pytest.fixture(scope="module")
def events() -> np.ndarray:
    """>= 100 000 events: refstream SM and signals, the same off the L1 grid (random float jitter), arbitrary floats
    anywhere in the L1 full scale, and edges."""
    rng = np.random.default_rng(7)
    real = np.concatenate([read_events(REFSTREAM / f"{p}.h5").flat[:10000] for p in FILES])
    jitter = real[rng.choice(len(real), 20000, replace=False)]
    jitter = (jitter * (1 + rng.normal(0, 1e-3, jitter.shape))).astype(np.float32)
    lo, hi = l1_full_scale(57)
    anywhere = (lo + (hi - lo) * rng.random((10000, 57)) ** 3).astype(np.float32)  # arbitrary floats in the scale
    anywhere[:, 0::3] *= rng.random((10000, 19)) < 0.5  # empty slots
    return np.ascontiguousarray(np.concatenate([real, jitter, anywhere, _edge_events(real, rng)]), dtype=np.float32)


@pytest.fixture(scope="module")
def keras_model(exported_bundle):
    return load_model(exported_bundle)


@pytest.fixture(scope="module")
def bundle_groups(exported_bundle, keras_model) -> list[LatentGroup]:
    """The shared bundle's own score groups (one plain group unless its training chose groups)."""
    return load_score_groups(exported_bundle, latent_size(keras_model))


@pytest.fixture(scope="module")
def grouped_bundle(trained_bundle, tmp_path_factory) -> Path:
    """A copy of the trained bundle whose record asks for the two-group score GROUPS, exported."""
    bundle = tmp_path_factory.mktemp("grouped") / trained_bundle.name
    shutil.copytree(trained_bundle, bundle)
    write_score_groups(bundle, GROUPS)
    export(bundle)
    return bundle


def _session(model: onnx.ModelProto | Path) -> ort.InferenceSession:
    data = model.read_bytes() if isinstance(model, Path) else model.SerializeToString()
    return ort.InferenceSession(data)  # default providers


def _onnx_scores(session: ort.InferenceSession, x: np.ndarray) -> np.ndarray:
    return session.run(["score"], {"l1_inputs": x})[0]


def test_model_onnx_scores_bit_exact_with_keras(exported_bundle, keras_model, bundle_groups, events):
    assert len(events) >= 100_000
    onnx_scores = _onnx_scores(_session(exported_bundle / MODEL_ONNX), events)
    assert onnx_scores.dtype == np.float64 and onnx_scores.shape == (len(events),)
    over = input_overflow(events)
    assert 1000 < over.sum() < len(events) // 10  # the edges hold both sides of every limit
    np.testing.assert_array_equal(onnx_scores, keras_scores(keras_model, events, bundle_groups))
    if bundle_groups == single_group(bundle_groups[-1].stop):  # a plain bundle: l1_score's sum mu^2 too
        np.testing.assert_array_equal(onnx_scores[::10], l1_score(keras_model, events[::10], "mu2"))
    assert (onnx_scores[over] == OVERFLOW_SCORE).all() and (onnx_scores[~over] < OVERFLOW_SCORE).all()


def test_grouped_score_bit_exact_with_keras(grouped_bundle, events):
    """max(sum_{0..2} mu^2, 2^-2 sum_{3} relu(mu)^2, 10 sum_{4..5} relu(mu)^2) in ONNX is grouped_mu2 of the Keras
    encoder's mu, bit for bit."""
    model = load_model(grouped_bundle)
    groups = groups_from_json(GROUPS, GROUPS[-1]["stop"])
    onnx_scores = _onnx_scores(_session(grouped_bundle / MODEL_ONNX), events)
    mu, over = latent(model, events)[0], input_overflow(events)
    want = grouped_mu2(mu, groups)
    want[over] = OVERFLOW_SCORE  # keras_scores, with mu kept
    np.testing.assert_array_equal(onnx_scores, want)
    winner = group_scores(mu[~over], groups).argmax(axis=1)
    assert (winner == 0).any() and (winner > 0).any()  # several groups decide some events: the max is exercised
    ops = [n.op_type for n in onnx.load(grouped_bundle / MODEL_ONNX).graph.node]
    assert ops.count("Slice") == len(groups) and ops.count("ReduceSumSquare") == len(groups) and "Relu" in ops
    card = load_bundle(grouped_bundle).card
    assert card["score"]["groups"] == groups_to_json(groups) and card["score"]["definition"] == describe(groups)
    t = card["fixed_point"]["score"]
    raw = np.ldexp(onnx_scores[~over], t["fraction"])
    assert (raw == np.floor(raw)).all() and raw.max() <= 2.0 ** t["width"] - 1  # on the grid, inside the type


def test_cast_groups_bit_exact_with_keras(trained_bundle, events, tmp_path):
    """Groups with their own grid for mu (floor onto 2^-f, saturate at 2^i) score in ONNX as latent_score does,
    saturated events included, and the score type shrinks to what the casts can reach."""
    bundle = tmp_path / trained_bundle.name
    shutil.copytree(trained_bundle, bundle)
    model = load_model(bundle)
    mu, over = latent(model, events)[0].astype(np.float64), input_overflow(events)
    n = mu.shape[1]
    top = [max(0, int(np.ceil(np.log2(np.quantile(np.abs(m), 0.98) + 1e-9)))) for m in (mu[~over, :3], mu[~over, 3:])]
    groups = [LatentGroup(0, 3, int_bits=top[0], frac_bits=3),
              LatentGroup(3, n, scale_log2=-1, one_sided=True, int_bits=top[1], frac_bits=2)]  # fmt: skip
    write_score_groups(bundle, groups_to_json(groups))
    export(bundle)
    onnx_scores = _onnx_scores(_session(bundle / MODEL_ONNX), events)
    want = grouped_mu2(mu, groups)
    want[over] = OVERFLOW_SCORE
    np.testing.assert_array_equal(onnx_scores, want)
    saturated = (np.abs(mu[~over, :3]) >= 2.0 ** top[0]).any(axis=1) | (mu[~over, 3:] >= 2.0 ** top[1]).any(axis=1)
    assert 0 < saturated.sum() < (~over).sum() // 5  # the saturation is exercised, and only in the tail
    names = {node.name for node in onnx.load(bundle / MODEL_ONNX).graph.node}
    assert {"Floor_g0_floor", "Clip_g0_sat", "Floor_g1_floor", "Clip_g1_sat"} <= names  # one cast per group
    t = load_bundle(bundle).card["fixed_point"]["score"]
    raw = np.ldexp(onnx_scores[~over], t["fraction"])
    assert (raw == np.floor(raw)).all() and raw.max() <= 2.0 ** t["width"] - 1
    bound = max(3 * 4.0 ** top[0], (n - 3) * 4.0 ** top[1] / 2)  # the casts' largest sums
    assert t["fraction"] == 6 and 2.0 ** (t["integer"] - 1) <= bound <= 2.0 ** t["integer"]


def test_grouped_score_type(keras_model):
    """The score type of a grouped score: the finest grid 2^-(2 f_g - log2 scale_g) and the largest scaled bound over
    the groups (a one-sided group's bound from mu >= 0 only)."""
    n = int(keras_model.get_layer("mu").units)
    assert n == GROUPS[-1]["stop"] == 6
    groups = groups_from_json(GROUPS, n)
    head = fold_model(keras_model, "mu2", groups).head
    lo, hi, grid = head.acc_lo[:n], head.acc_hi[:n], head.grid_exp[:n]
    t = score_type(head, n, groups)
    assert t["signed"] is False and t["width"] == t["integer"] + t["fraction"] <= 53
    assert t["fraction"] == max(-2 * int(grid[:3].min()), -2 * int(grid[3]) + 2, -2 * int(grid[4:6].min()) - 1)
    top = max(float(np.maximum(lo[:3] ** 2, hi[:3] ** 2).sum()), max(float(hi[3]), 0.0) ** 2 / 4,
              10.0 * float((np.maximum(hi[4:6], 0.0) ** 2).sum()))  # fmt: skip
    assert 2.0 ** (t["integer"] - 1) <= top + 2.0 ** -t["fraction"] <= 2.0 ** t["integer"]  # the smallest that holds it
    assert score_type(head, n) == score_type(head, n, single_group(n))
    flipped = [LatentGroup(0, 3, one_sided=True), LatentGroup(3, n)]  # relu'd squares are bounded by hi > 0 only
    assert score_type(head, n, flipped)["integer"] <= score_type(head, n)["integer"]


def test_plain_groups_give_todays_graph(keras_model):
    plain = build_onnx(keras_model)
    n = int(keras_model.get_layer("mu").units)
    assert build_onnx(keras_model, "mu2", single_group(n)).SerializeToString() == plain.SerializeToString()
    ops = [n.op_type for n in plain.graph.node]
    assert ops.count("ReduceSumSquare") == 1 and "Slice" not in ops


def test_grouped_kl_rz_and_bad_groups_are_refused(keras_model, trained_bundle, tmp_path):
    groups = groups_from_json(GROUPS, GROUPS[-1]["stop"])
    for kind in ("kl", "rz"):
        with pytest.raises(ExportError, match="grouped scores are 'mu2' only"):
            fold_model(keras_model, kind, groups)
    with pytest.raises(ExportError, match=f"encoder has {GROUPS[-1]['stop']}"):
        fold_model(keras_model, "mu2", [LatentGroup(0, 3)])
    bundle = tmp_path / "b"
    shutil.copytree(trained_bundle, bundle)
    write_score_groups(bundle, [{"start": 0, "stop": 2}, {"start": 3, "stop": 4}])
    with pytest.raises(ExportError, match=r"score_groups cannot be used.*starts at 3, not 2"):
        export(bundle)
    assert not (bundle / MODEL_ONNX).exists()


@pytest.mark.parametrize("kind", ["kl", "rz"])
def test_kl_and_rz_bit_exact(keras_model, events, kind):
    x = events[::5]
    np.testing.assert_array_equal(
        _onnx_scores(_session(build_onnx(keras_model, kind)), x), l1_score(keras_model, x, kind)
    )


def test_scorer_of_the_bundle_gives_the_same_scores(exported_bundle, keras_model, bundle_groups, events):
    from adtrigger.bundle.scoring import Scorer

    x = events[::10]
    scores = Scorer(exported_bundle).score(x.reshape(len(x), 19, 3))
    np.testing.assert_array_equal(scores, keras_scores(keras_model, x, bundle_groups))


def test_graph_is_standard_onnx(exported_bundle):
    model = onnx.load(exported_bundle / MODEL_ONNX)
    onnx.checker.check_model(model, full_check=True)
    assert {o.domain for o in model.opset_import} == {""}
    for node in model.graph.node:
        assert node.domain == "" and onnx.defs.has(node.op_type, domain=""), node
    (inp,), (out,) = model.graph.input, model.graph.output
    assert inp.name == "l1_inputs" and inp.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    assert [d.dim_value for d in inp.type.tensor_type.shape.dim][1:] == [57]
    assert out.name == "score" and out.type.tensor_type.elem_type == onnx.TensorProto.DOUBLE
    session = _session(exported_bundle / MODEL_ONNX)
    assert "CPUExecutionProvider" in session.get_providers()


def test_accumulator_bounds_decide_the_dtype(keras_model, events):
    folded = fold_model(keras_model, "mu2")
    for stage in [*folded.layers, folded.head]:  # float32 only where the sums fit in 24 bits
        assert stage.bits <= EXACT_BITS[stage.dtype], stage.name
    # a layer whose sums need more than 24 bits goes to float64; beyond 53 bits it is refused
    kif = KIF(k=np.ones(2, np.int64), i=np.full(2, 12), f=np.full(2, 12))
    q_lo, q_hi = kif.int_lo, kif.int_hi  # |q| up to 2^24
    w = np.array([[2.0**-10], [1.0]])
    wide = fold_dense("wide", w, np.zeros(1), kif, q_lo, q_hi, None, None)
    assert wide.dtype == "float64" and EXACT_BITS["float32"] < wide.bits <= EXACT_BITS["float64"]
    with pytest.raises(ExportError, match="beyond float64"):
        fold_dense("wider", np.array([[2.0**-40], [1.0]]), np.zeros(1), kif, q_lo, q_hi, None, None)
    # the float64 path of the graph gives the same scores
    for stage in [*folded.layers, folded.head]:
        stage.dtype = "float64"
    x = events[::20]
    np.testing.assert_array_equal(
        _onnx_scores(_session(build_graph(folded, OVERFLOW_SCORE)), x), l1_score(keras_model, x, "mu2")
    )


def test_card_fixed_point_and_file(exported_bundle, bundle_groups, events):
    bundle = load_bundle(exported_bundle)  # checks the sha256 of model.onnx
    assert MODEL_ONNX in bundle.card["files"]
    assert bundle.card["score"]["groups"] == groups_to_json(bundle_groups)
    assert bundle.card["score"]["definition"] == describe(bundle_groups)
    fp = bundle.card["fixed_point"]
    t = fp["score"]
    assert t["signed"] is False and t["width"] == t["integer"] + t["fraction"] <= 53
    assert {"enc_0", "enc_1", "mu"} <= set(fp["layers"])
    for layer in fp["layers"].values():
        assert {"input", "weight", "bias", "accumulator"} <= set(layer)
        assert layer["accumulator_bits"] <= {"float32": 24, "float64": 53}[layer["dtype"]]
    scores = _onnx_scores(_session(exported_bundle / MODEL_ONNX), events)
    scores = scores[scores < OVERFLOW_SCORE]
    raw = np.ldexp(scores, t["fraction"])
    assert (raw == np.floor(raw)).all() and raw.max() <= 2.0 ** t["width"] - 1  # on the grid, inside the type


def test_missing_or_corrupt_model_is_a_clear_error(exported_bundle, tmp_path):
    bundle = tmp_path / "b"
    shutil.copytree(exported_bundle, bundle)
    good = (bundle / MODEL_ONNX).read_bytes()
    (bundle / "model.keras").write_bytes(b"not a keras archive")
    with pytest.raises(ExportError, match=r"model\.keras cannot be loaded"):
        export(bundle)
    assert (bundle / MODEL_ONNX).read_bytes() == good  # nothing good overwritten
    (bundle / "model.keras").unlink()
    result = CliRunner().invoke(app, ["export", str(bundle)])
    assert result.exit_code == 2
    assert "model.keras is missing" in result.output and len(result.output.strip().splitlines()) == 1
    result = CliRunner().invoke(app, ["export", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "not a model directory" in result.output


def test_cli_export_writes_model_and_card(trained_bundle, tmp_path):
    bundle = tmp_path / "b"
    shutil.copytree(trained_bundle, bundle)
    result = CliRunner().invoke(app, ["export", str(bundle)])
    assert result.exit_code == 0, result.output
    assert "model.onnx" in result.output and (bundle / MODEL_ONNX).is_file()
    assert load_bundle(bundle).card["fixed_point"]["score"]["fraction"] > 0
