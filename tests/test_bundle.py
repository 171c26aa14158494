"""The bundle package: card schema, checksums, atomic updates, the one scoring path and the L1 score grid."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from adtrigger.bundle import (
    SCHEMA_VERSION,
    BundleError,
    atomic_write_bytes,
    load_bundle,
    read_card,
    update_card,
    validate_card,
    write_card,
)
from adtrigger.bundle.fixed import disagreements, fixed_scores, threshold_on_grid
from adtrigger.bundle.layout import L1_INPUT_NAMES

U24_8 = {"signed": False, "width": 24, "integer": 8, "fraction": 16}


def minimal_card(name: str = "t") -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "name": name,
        "kind": "l1_vae",
        "created": "2026-11-23T13:40:00Z",
        "input": {
            "name": "l1_inputs",
            "n_features": 57,
            "shapes": [[19, 3], [57]],
            "dtype": "float32",
            "feature_names": list(L1_INPUT_NAMES),
        },
        "preprocessing": {},
        "score": {"kind": "mu2", "output": "score", "dtype": "float64", "accept": "score >= threshold"},
        "fixed_point": None,
        "files": {},
        "thresholds": {},
        "active_threshold": None,
        "data": {},
        "code": {},
        "settings": {},
        "metrics": {},
    }


def sum_squares_onnx(path: Path) -> None:
    """A real ONNX graph of the bundle's interface: (N, 57) float32 'l1_inputs' -> (N,) float64 'score' = sum x^2 / 64,
    which lies on the 2^-16 grid for inputs on a 2^-5 grid."""
    import onnx
    from onnx import TensorProto, helper

    nodes = [
        helper.make_node("Cast", ["l1_inputs"], ["x64"], to=TensorProto.DOUBLE),
        helper.make_node("Mul", ["x64", "x64"], ["sq"]),
        helper.make_node("ReduceSum", ["sq", "axes"], ["s"], keepdims=0),
        helper.make_node("Mul", ["s", "scale"], ["score"]),
    ]
    graph = helper.make_graph(
        nodes,
        "sumsq",
        [helper.make_tensor_value_info("l1_inputs", TensorProto.FLOAT, ["N", 57])],
        [helper.make_tensor_value_info("score", TensorProto.DOUBLE, ["N"])],
        [
            helper.make_tensor("axes", TensorProto.INT64, [1], [1]),
            helper.make_tensor("scale", TensorProto.DOUBLE, [], [1 / 64]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    atomic_write_bytes(path, model.SerializeToString())
    onnx.checker.check_model(onnx.load(path))


@pytest.fixture(scope="module")
def onnx_bundle(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("onnx_bundle")
    write_card(root, minimal_card())
    sum_squares_onnx(root / "model.onnx")
    th = {"target": {"kind": "fpr", "value": 0.5}, "score": 2.0, "fixed": None}
    update_card(root, {"thresholds": {"default": th}, "active_threshold": "default"}, files=["model.onnx"])
    return root


def test_minimal_card_round_trip(tmp_path):
    write_card(tmp_path, minimal_card())
    b = load_bundle(tmp_path)
    assert b.card == minimal_card()
    assert load_bundle(tmp_path / "bundle.json").path == b.path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c.pop("score"), "'score' is missing"),
        (lambda c: c.update(schema_version=2), "'schema_version' is 2"),
        (lambda c: c["input"].update(n_features="57"), "'input.n_features' must be an integer"),
        (lambda c: c["input"].update(shapes=[[19, 4]]), "'input.shapes'"),
        (lambda c: c.update(kind="cnn"), "'kind' must be one of"),
        (lambda c: c.update(active_threshold="default"), "'active_threshold' names 'default'"),
        (lambda c: c["files"].update({"../x": {"sha256": "0" * 64, "bytes": 1}}), "relative paths inside"),
        (lambda c: c["files"].update({"m": {"sha256": "xyz", "bytes": 1}}), "'files.m.sha256'"),
        (lambda c: c.update(fixed_point={"score": {"signed": False, "width": 24, "integer": 8, "fraction": 8}}),
         "fraction == width - integer"),
        (lambda c: c["thresholds"].update(d={"score": float("nan"), "target": {"kind": "fpr", "value": 1e-3}}),
         "'thresholds.d.score' must be a finite number"),
        (lambda c: c["thresholds"].update(d={"score": 1.0, "target": {"kind": "kHz", "value": 1.0}}),
         "'thresholds.d.target.kind'"),
        (lambda c: c["thresholds"].update(d={"score": 1.0, "target": {"kind": "fpr", "value": 1e-3}, "fixed": None,
                                             "warning": 1}),
         "'thresholds.d.warning' must be a string or null"),
        (lambda c: c["thresholds"].update(d={"score": 1.0, "target": {"kind": "fpr", "value": 1e-3}, "fixed": None,
                                             "report": {"plot": "calibration/d/rate.png"}}),
         "'thresholds.d.report.plot' names 'calibration/d/rate.png', which is not in 'files'"),
    ],
)
def test_bad_card_names_the_field(change, field):
    card = minimal_card()
    change(card)
    with pytest.raises(BundleError, match=re.escape(field)):
        validate_card(card)


def test_corrupt_card_and_checksums_are_refused(onnx_bundle, tmp_path):
    import shutil

    b = tmp_path / "b"
    shutil.copytree(onnx_bundle, b)
    (b / "model.onnx").write_bytes((b / "model.onnx").read_bytes() + b"\0")
    with pytest.raises(BundleError, match=r"model\.onnx: sha256/size differs from the card"):
        load_bundle(b)
    (b / "model.onnx").unlink()
    with pytest.raises(BundleError, match=r"model\.onnx is listed in the card but missing"):
        load_bundle(b)
    (b / "bundle.json").write_text('{"schema_version": 1,')
    with pytest.raises(BundleError, match="is not valid JSON"):
        load_bundle(b)
    with pytest.raises(BundleError, match="not a bundle"):
        load_bundle(tmp_path / "nothing")


def test_update_card_merges_registers_and_keeps_old_card_on_error(tmp_path):
    write_card(tmp_path, minimal_card())
    (tmp_path / "a.txt").write_text("hello")
    card = update_card(tmp_path, {"metrics": {"auc": 0.9}, "code": {"git": "abc"}}, files=["a.txt"])
    assert card["files"]["a.txt"]["bytes"] == 5 and card["metrics"] == {"auc": 0.9}
    card = update_card(tmp_path, {"metrics": {"tpr": 0.1}})
    assert card["metrics"] == {"auc": 0.9, "tpr": 0.1}  # merged, not replaced
    card = update_card(tmp_path, {"metrics": {"tpr": 0.2}}, replace=["metrics"])
    assert card["metrics"] == {"tpr": 0.2}
    before = (tmp_path / "bundle.json").read_bytes()
    with pytest.raises(BundleError, match=r"update of .* refused: card field 'active_threshold'"):
        update_card(tmp_path, {"active_threshold": "missing"})
    with pytest.raises(BundleError, match=r"cannot register 'b\.txt'"):
        update_card(tmp_path, {}, files=["b.txt"])
    assert (tmp_path / "bundle.json").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".bundle.lock", "a.txt", "bundle.json"]  # no temp left
    assert (tmp_path / "bundle.json").stat().st_mode & 0o777 == (tmp_path / "a.txt").stat().st_mode & 0o777
    assert read_card(tmp_path) == json.loads(before)


def test_update_card_owns_a_folder_drops_what_the_step_no_longer_writes(tmp_path):
    """A step that owns a folder (the firmware flow, "firmware/") lists exactly its files there: an entry left by an
    older run is dropped, so a bundle without the build outputs still loads; entries elsewhere stay."""
    write_card(tmp_path, minimal_card())
    (tmp_path / "fw").mkdir()
    for name in ("fw/report.md", "fw/lib.so", "a.txt"):
        (tmp_path / name).write_text(name)
    update_card(tmp_path, {}, files=["fw/report.md", "fw/lib.so", "a.txt"])
    card = update_card(tmp_path, {}, files=["fw/report.md"], owns="fw/")
    assert sorted(card["files"]) == ["a.txt", "fw/report.md"]
    (tmp_path / "fw" / "lib.so").unlink()
    assert sorted(load_bundle(tmp_path).card["files"]) == ["a.txt", "fw/report.md"]


def test_bundle_package_imports_nothing_heavy():
    import subprocess

    code = (
        "import sys, adtrigger.bundle, adtrigger.bundle.scoring, adtrigger.bundle.rates, adtrigger.bundle.fixed;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('torch', 'keras', 'tensorflow', 'pydantic')"
        " or m.startswith(('adtrigger.training', 'adtrigger.firmware'))];"
        "print(bad); sys.exit(bool(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_scorer_scores_with_onnx_runtime_and_checks_inputs(onnx_bundle):
    from adtrigger.bundle.scoring import Scorer

    scorer = Scorer(onnx_bundle)
    rng = np.random.default_rng(1)
    x = np.round(rng.normal(0, 4, size=(1000, 19, 3)) * 32).astype(np.float32) / 32
    s = scorer.score(x)
    assert s.dtype == np.float64 and s.shape == (1000,)
    np.testing.assert_array_equal(s, (x.reshape(1000, 57).astype(np.float64) ** 2).sum(1) / 64)
    np.testing.assert_array_equal(scorer.score(x.reshape(1000, 57).astype(np.float64)), s)  # exact float64 accepted
    np.testing.assert_array_equal(scorer.accept(s), s >= 2.0)
    with pytest.raises(BundleError, match=r"shape \(10, 56\); this bundle takes \('N', 19, 3\) or \('N', 57\)"):
        scorer.score(np.zeros((10, 56), np.float32))
    with pytest.raises(BundleError, match="not exactly representable in float32"):
        scorer.score(np.full((2, 57), 0.1))
    with pytest.raises(BundleError, match="dtype int64"):
        scorer.score(np.zeros((2, 57), np.int64))
    bad = np.zeros((3, 57), np.float32)
    bad[2, 5] = np.nan
    with pytest.raises(BundleError, match=r"NaN or infinite inputs \(first: event 2"):
        scorer.score(bad)
    big = np.full((3, 57), np.finfo(np.float32).max, np.float32)  # finite, though their sum overflows float32
    assert np.isfinite(scorer.score(big)).all()
    bad[0, 0] = -np.inf
    with pytest.raises(BundleError, match=r"2 event\(s\) have NaN or infinite inputs \(first: event 0"):
        scorer.score(bad)
    with pytest.raises(BundleError, match="empty batch"):
        scorer.score(np.zeros((0, 57), np.float32))
    with pytest.raises(BundleError, match="no threshold 'tight'"):
        scorer.accept(s, "tight")


def test_scorer_refuses_a_bundle_without_model_or_threshold(tmp_path):
    from adtrigger.bundle.scoring import Scorer

    write_card(tmp_path, minimal_card())
    with pytest.raises(BundleError, match=r"no model\.onnx: run adtrigger export first"):
        Scorer(tmp_path)
    sum_squares_onnx(tmp_path / "model.onnx")
    update_card(tmp_path, {}, files=["model.onnx"])
    with pytest.raises(BundleError, match="no active threshold: run adtrigger calibrate first"):
        Scorer(tmp_path).accept(np.ones(3))
    bad = copy.deepcopy(read_card(tmp_path))
    bad["score"]["output"] = "mu"
    write_card(tmp_path, bad)
    with pytest.raises(BundleError, match="no output 'mu'"):
        Scorer(tmp_path)


def test_threshold_on_grid_gives_the_same_decision_on_grid_scores():
    rng = np.random.default_rng(3)
    scores = np.ldexp(np.floor(rng.exponential(2.0, 100_000) * 2**16), -16)
    scores[:5] = 3.4028234663852886e38  # overflow events saturate and are always accepted
    for t in (0.0, 1e-9, 0.7, float(scores[10]), float(np.nextafter(scores[10], 0)), 30.123):
        fixed = threshold_on_grid(t, U24_8)
        assert fixed["value"] >= t and fixed["value"] - t < 2**-16
        assert disagreements(scores, t, fixed["raw"], U24_8) == 0
        assert disagreements(scores, fixed["value"], fixed["raw"], U24_8) == 0
    assert fixed_scores(np.array([1e39, -1.0, 1.5]), U24_8).tolist() == [2**24 - 1, 0, 3 * 2**15]
    with pytest.raises(BundleError, match="above the largest L1 score 256"):
        threshold_on_grid(300.0, U24_8)
    # off-grid scores are where the two decisions can part: counted, not hidden
    assert disagreements(np.array([1.0 + 2**-20]), 1.0 + 2**-20, threshold_on_grid(1.0 + 2**-20, U24_8)["raw"], U24_8)


# --- rates ---------------------------------------------------------------------------------------------------------


def test_targets_convert_and_bad_targets_are_refused():
    from adtrigger.bundle.rates import make_target, parse_rate

    assert parse_rate("1kHz") == 1000.0 and parse_rate("100 kHz") == 1e5 and parse_rate("40MHz") == 4e7
    assert parse_rate("250") == 250.0
    assert make_target(rate_hz=1e3, input_rate_hz=1e5).fpr == pytest.approx(1e-2)
    t = make_target(events_per_day=50, input_rate_hz=1e5)
    assert t.fpr == pytest.approx(50 / 86400 / 1e5) and t.as_dict()["kind"] == "events_per_day"
    assert make_target(fpr=1e-5).fpr == 1e-5
    for kwargs, msg in [
        ({"rate_hz": 1e5, "input_rate_hz": 1e5}, "not below the input rate"),
        ({"rate_hz": -1.0, "input_rate_hz": 1e5}, "must be a positive number"),
        ({"rate_hz": 1e3}, "needs a positive input rate"),
        ({"events_per_day": 50.0}, "needs a positive input rate"),
        ({"fpr": 1.5}, "below 1"),
        ({"fpr": 0.0}, "must be a positive number"),
        ({"fpr": 1e-3, "rate_hz": 1.0, "input_rate_hz": 1e5}, "exactly one target"),
    ]:
        with pytest.raises(BundleError, match=msg):
            make_target(**kwargs)
    with pytest.raises(BundleError, match="cannot read the rate"):
        parse_rate("fast")


def test_clopper_pearson_matches_scipy_for_integer_and_effective_counts():
    from scipy import stats

    from adtrigger.bundle.rates import CL_1SIGMA, betainc, clopper_pearson

    k = np.array([0.0, 1.0, 3.0, 10.0, 37.5, 500.0, 9.0e4, 1.0e6])
    n = np.array([100.0, 10.0, 1e6, 1e6, 80.0, 1000.0, 1.0e5, 1.0e6])
    lo, hi = clopper_pearson(k, n)
    a = (1 - CL_1SIGMA) / 2
    ref_lo = np.where(k > 0, stats.beta.ppf(a, np.maximum(k, 1e-9), n - k + 1), 0.0)
    ref_hi = np.where(k < n, stats.beta.ppf(1 - a, k + 1, np.maximum(n - k, 1e-9)), 1.0)
    np.testing.assert_allclose(lo, ref_lo, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(hi, ref_hi, rtol=1e-9)
    from scipy.special import betainc as sp_betainc

    x = np.array([1e-7, 2e-6, 5.5e-6, 1e-5, 3e-5])
    np.testing.assert_allclose(betainc(5.5, 1e6, x), sp_betainc(5.5, 1e6, x), rtol=1e-8)


def test_weighted_interval_covers_the_truth_at_its_confidence_level():
    """Many pseudo-experiments of a weighted tail: the 68 % interval covers the true fraction ~68 % of the time."""
    from adtrigger.bundle.rates import fraction_above

    rng = np.random.default_rng(7)
    covered = 0
    trials = 400
    for _ in range(trials):
        n = 20_000
        heavy = rng.random(n) < 0.1  # a heavy, rare process (as QCD in the cocktail)
        w = np.where(heavy, 5.0, 0.5)
        score = rng.exponential(np.where(heavy, 2.0, 1.0))
        # true fraction above t=8: 0.1*5*e^-4 + 0.9*0.5*e^-8 over (0.1*5 + 0.9*0.5)
        truth = (0.5 * np.exp(-4) + 0.45 * np.exp(-8)) / 0.95
        f = fraction_above(score, w, np.array([8.0]))
        covered += f["fpr_lo"][0] <= truth <= f["fpr_hi"][0]
    assert 0.60 <= covered / trials <= 0.80, covered / trials


def test_sm_distribution_and_retarget_match_a_fresh_pass():
    from adtrigger.bundle.rates import make_target, retarget, sm_distribution, threshold_at_fpr
    from adtrigger.training.metrics import threshold_at_fpr as reference_threshold

    rng = np.random.default_rng(11)
    a, b = rng.exponential(1.0, 200_000), rng.exponential(1.0, 200_000)
    wa, wb = rng.choice([0.5, 2.0], 200_000), rng.choice([0.5, 2.0], 200_000)
    dist = json.loads(json.dumps(sm_distribution(a, wa, "mu2", heldout=(b, wb))))  # as stored
    th = np.asarray(dist["thresholds"])
    assert np.all(np.diff(th) > 0) and np.all(np.diff(dist["fpr"]) <= 0) and dist["fpr"][0] == 1.0
    assert len(th) < 5000  # a few thousand points, not one per event
    for fpr in (1e-2, 1e-3, 2e-4):  # within the dense tail: exactly the fresh threshold
        r = retarget(dist, make_target(fpr=fpr, input_rate_hz=1e5))
        assert r.threshold == threshold_at_fpr(a, wa, fpr) == reference_threshold(a, wa, fpr)
        fresh_b = wb[b >= r.threshold].sum() / wb.sum()
        assert r.achieved["fpr"] == pytest.approx(fresh_b, rel=1e-12)
        assert r.achieved["fpr_lo"] <= fresh_b <= r.achieved["fpr_hi"]
        assert r.achieved["rate_hz"] == pytest.approx(fresh_b * 1e5)
        assert r.achieved["fpr_lo"] < fpr < r.achieved["fpr_hi"] or abs(fresh_b - fpr) < 3 * np.sqrt(fpr / 1e5)
    r = retarget(dist, make_target(fpr=0.3))  # below the dense tail: conservative (never above the target)
    assert dist["fpr"][dist["thresholds"].index(r.threshold)] <= 0.3
    with pytest.raises(BundleError, match=r"cannot be resolved: .* need ~[0-9.e+]+ effective events"):
        retarget(dist, make_target(fpr=1e-6))


def test_target_round_trips_through_its_card_entry():
    from adtrigger.bundle.rates import make_target, target_from_dict

    for t in (make_target(rate_hz=1e3, input_rate_hz=1e5), make_target(events_per_day=50, input_rate_hz=4e7),
              make_target(fpr=1e-5)):  # fmt: skip
        assert target_from_dict(json.loads(json.dumps(t.as_dict()))) == t
    with pytest.raises(BundleError, match="target kind must be one of"):
        target_from_dict({"kind": "Hz", "value": 1})
    with pytest.raises(BundleError, match="needs a numeric value"):
        target_from_dict({"kind": "fpr", "value": "a lot"})
