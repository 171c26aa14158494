"""The L1 firmware flow on the small trained model: one build (hls4ml C-sim, emulator, da4ml RTL in Verilator, Yosys)
of a grouped score with a three-seed threshold ladder shared by the tests, bit-exact against Keras (and ONNX once the
bundle has it) on 100k events: the score, every seed's bit and the overflow bit."""

from __future__ import annotations

import ctypes
import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from adtrigger.bundle import latent_score, update_card
from adtrigger.bundle.ladder import seed_bits, seeds, unpack_bits
from adtrigger.firmware import convert, emulator, hwunits, verify
from adtrigger.firmware.design import FirmwareError, _seeds, load_design
from adtrigger.firmware.flow import FirmwareSettings, build_firmware

N_EVENTS = 100_000
# the score the firmware is built for when the trained bundle has no groups of its own (latent 4): a right shift, a
# left shift with a mantissa, and a one-sided group, each group deciding some of the triggered events
FW_GROUPS = [{"start": 0, "stop": 3, "scale_log2": -1, "one_sided": False},
             {"start": 3, "stop": 4, "scale_log2": 1, "one_sided": True, "scale_mantissa": 3}]  # fmt: skip


def _record_groups(bundle: Path) -> list[latent_score.LatentGroup]:
    from adtrigger.training import vae

    return vae.load_score_groups(bundle, vae.latent_size(vae.load_model(bundle)))


def _grouped_calibrated_copy(trained: Path, out: Path) -> None:
    """``out``: the trained bundle with FW_GROUPS in its record, exported and calibrated as conftest's
    calibrated_bundle is (1 kHz at 100 kHz on refstream-v1 SM, A_4l_m50 as signal)."""
    from adtrigger.bundle.rates import make_target
    from adtrigger.refdata import refstream_dir
    from adtrigger.training.calibration import calibrate
    from adtrigger.training.export_onnx import export

    shutil.copytree(trained, out)
    record = json.loads((out / "record.json").read_text())
    record["score_groups"] = FW_GROUPS
    (out / "record.json").write_text(json.dumps(record, indent=1))
    update_card(out, {}, files=["record.json"])  # as training writes it
    export(out)
    ref = refstream_dir()
    sm = [ref / f"{p}.h5" for p in ("W_lnu", "QCD", "Z_ll", "ttbar")]
    target = make_target(rate_hz=1000.0, input_rate_hz=1e5)
    calibrate(out, sm, [ref / "A_4l_m50.h5"], target, max_events=20_000, workers=0)
    for name, fpr in {"VLoose": 0.03, "Tight": 0.003}.items():  # the ladder of conftest's laddered_bundle
        calibrate(out, sm, [ref / "A_4l_m50.h5"], make_target(fpr=fpr), name=name, activate=False,
                  max_events=20_000, workers=0)  # fmt: skip
    update_card(out, {"ladder": {"seeds": ["VLoose", "default", "Tight"], "menu": None}})


@pytest.fixture(scope="session")
def firmware_bundle(trained_bundle, tmp_path_factory, request) -> tuple[Path, dict]:
    """The one compiled firmware of the session, of a calibrated bundle with a grouped score and a three-seed ladder
    (VLoose, default, Tight): a copy of the shared laddered bundle when training gave it groups, else the trained
    bundle with FW_GROUPS, exported, calibrated and laddered the same way."""
    bundle = tmp_path_factory.mktemp("fw") / trained_bundle.name
    if len(_record_groups(trained_bundle)) > 1:
        shutil.copytree(request.getfixturevalue("laddered_bundle"), bundle)
    else:
        _grouped_calibrated_copy(trained_bundle, bundle)
    # two syntheses for the search and none without -nodsp: the committed bundles' reports carry the flag-free count
    summary = build_firmware(bundle, FirmwareSettings(n_events=N_EVENTS, pipeline_tries=2, dsp_check=False))
    return bundle, summary


def _card(bundle: Path) -> dict:
    return json.loads((bundle / "bundle.json").read_text())


def _keras_score(design, x: np.ndarray) -> np.ndarray:
    """The Keras reference of a design's score: l1_score with the design's latent groups and its overflow guard."""
    from adtrigger.training import vae

    return vae.l1_score(vae.load_model(design.bundle), x, "mu2", groups=design.score_groups)


def test_csim_emulator_and_rtl_are_bit_exact(firmware_bundle):
    bundle, summary = firmware_bundle
    raw = json.loads((bundle / "bundle.json").read_text())["score"]["groups"]
    groups = latent_score.groups_from_json(raw, raw[-1]["stop"])
    assert len(groups) > 1 and summary["score_groups"] == latent_score.groups_to_json(groups)
    detail = json.loads((bundle / "firmware" / "report.json").read_text())["verification_detail"]
    assert detail["passed"] and detail["n_events"] == N_EVENTS
    if any(g.clipped for g in groups):  # mu's saturating cast is exercised (the events above the SM tail), bit-exact
        assert 0 < detail["n_saturated"] < N_EVENTS // 100
    assert set(detail["results"]) == {"csim", "emulator", "rtl"}
    if (bundle / "model.onnx").is_file():
        assert "onnx" in detail["references"] and detail["keras_vs_onnx_score_mismatches"] == 0
    card_seeds = seeds(_card(bundle))
    assert [s.name for s in card_seeds] == ["VLoose", "default", "Tight"]
    assert [(s["name"], s["raw"]) for s in detail["seeds"]] == [(s.name, s.raw) for s in card_seeds]
    assert [(s["name"], s["raw"], s["bit"]) for s in summary["seeds"]] == [
        (s.name, s.raw, k) for k, s in enumerate(card_seeds)
    ]
    for per_ref in detail["results"].values():
        for c in per_ref.values():
            assert c["score_mismatches"] == c["trigger_mismatches"] == c["overflow_mismatches"] == 0
            assert c["seed_mismatches"] == {s.name: 0 for s in card_seeds}  # every seed bit on every event
            accepted = [c["seed_accepted"][s.name] for s in card_seeds]
            assert N_EVENTS > accepted[0] > accepted[1] > accepted[2] > 0  # looser seeds accept more, none all
            assert c["n_triggered"] == c["seed_accepted"]["default"]  # the single trigger is the active seed's
            assert c["n_overflow"] == verify.N_OVERFLOW  # every out-of-range event raised the overflow bit
    # the comparators' edges are among the verified events: each seed's raw threshold, and the highest raw below it
    # (raw - 1 where the score's grid lets an event reach it; the search may miss a rare one, then the next below)
    design = load_design(bundle)
    edges = detail["threshold_events"]
    assert [e["raw"] for e in edges] == [s.raw for s in card_seeds]
    for e in edges:
        assert e["n_at"] > 0 and e["n_nearest_below"] > 0, e
        assert e["below"] == verify.score_below(design, e["raw"]) and e["nearest_below"] <= e["below"] < e["raw"]
        assert not any(verify.reachable(design, r) for r in range(e["below"] + 1, e["raw"]))
    assert any(e["below"] == e["raw"] - 1 and e["n_below"] > 0 for e in edges)  # raw - 1 itself, for some seed


def test_emulator_matches_keras_on_fresh_events(firmware_bundle):
    """Independent of the flow's own check: other events, the library loaded here, Keras scored here."""
    from adtrigger.training import vae

    bundle, summary = firmware_bundle
    design = load_design(bundle, None if summary["threshold"]["source"] == "card" else summary["threshold"]["score"])
    assert design.score_groups == latent_score.groups_from_json(design.card["score"]["groups"], design.n_latent)
    lib = bundle / "firmware" / "emulator" / emulator.library_name(design.namespace)
    emu = emulator.Emulator(lib, design.namespace)
    raw, mask, ovf = emu.predict(verify.verification_events(3000, seed=99))
    hw = verify.verification_events(3000, seed=99)
    x = hwunits.from_hardware(hw)
    score = _keras_score(design, x)
    np.testing.assert_array_equal(raw, design.fixed_score(score))
    np.testing.assert_array_equal(unpack_bits(mask, 3), seed_bits(score, seeds(design.card)))
    trig = emu.trigger(mask)
    np.testing.assert_array_equal(trig, score >= design.threshold["value"])
    np.testing.assert_array_equal(ovf, vae.input_overflow(x))
    mu = vae.latent(vae.load_model(bundle), x[~ovf])[0]
    winner = latent_score.group_scores(mu, design.score_groups).argmax(axis=1)[trig[~ovf]]
    assert len(set(winner.tolist())) > 1  # the triggered events are not all one group's: the max is exercised


def test_every_path_gives_the_bundles_seed_bits_at_the_thresholds(firmware_bundle):
    """C-sim and emulator, run here on the test bench's events (the verification's first 1000: the events exactly
    at each seed's raw threshold and just below it come first) and on fresh events with saturating and out-of-range
    ones: bit k of the mask is ``seed_bits(Keras score, seeds(card))[:, k]`` on every event; the RTL's per-seed
    counts on all 100k verification events are in the report."""
    from adtrigger.training import vae

    bundle, _ = firmware_bundle
    design = load_design(bundle)
    card_seeds = seeds(design.card)
    fw = bundle / "firmware"
    tb = np.loadtxt(fw / "hls" / "tb" / "hw_inputs.dat", dtype=np.int64, ndmin=2).astype(np.int16)
    hw = np.concatenate([tb, verify.verification_events(3000, seed=99)])
    x = hwunits.from_hardware(hw)
    score = _keras_score(design, x)
    raw_want, bits_want = design.fixed_score(score), seed_bits(score, card_seeds)
    detail = json.loads((fw / "report.json").read_text())["verification_detail"]
    for s, e in zip(card_seeds, detail["threshold_events"], strict=True):  # the edges: at raw, and the next below
        assert np.count_nonzero(raw_want == s.raw) > 0, s
        assert raw_want[raw_want < s.raw].max() == e["nearest_below"], (s, e)
    saturating = (latent_score.saturated(vae.latent(vae.load_model(bundle), x)[0], design.score_groups)
                  & ~vae.input_overflow(x))  # fmt: skip
    assert saturating.any() and vae.input_overflow(x).sum() == verify.N_OVERFLOW
    exe = fw / "hls" / "tb" / f"{design.namespace}_trigger_csim"
    emu = emulator.Emulator(fw / "emulator" / emulator.library_name(design.namespace), design.namespace)
    for name, (raw, mask, ovf) in {"csim": verify.run_csim(exe, hw), "emulator": emu.predict(hw)}.items():
        np.testing.assert_array_equal(raw, raw_want, err_msg=name)
        np.testing.assert_array_equal(unpack_bits(mask, len(card_seeds)), bits_want, err_msg=name)
        np.testing.assert_array_equal(mask, design.seed_mask(raw), err_msg=name)
        assert (mask[ovf] == 0b111).all() and (mask[saturating] == design.seed_mask(raw[saturating])).all()
        np.testing.assert_array_equal(ovf, vae.input_overflow(x), err_msg=name)
    np.testing.assert_array_equal(verify.csim_trigger(exe, hw), bits_want[:, design.active_seed])
    header = (fw / "hls" / "firmware" / f"{design.namespace}_trigger.h").read_text()
    assert "static const unsigned N_SEEDS = 3;" in header and "seeds_t &seeds, ap_uint<1> &trigger" in header
    assert all(f"{s.raw}ULL,  // bit {k}: {s.name!r}" in header for k, s in enumerate(card_seeds))
    assert detail["results"]["rtl"]["keras"]["seed_mismatches"] == {s.name: 0 for s in card_seeds}


def test_a_bundle_without_a_ladder_has_one_seed(calibrated_bundle, laddered_bundle):
    """No ladder: one seed, the active threshold (its bit is the trigger); --threshold: one seed "threshold"."""
    plain = load_design(calibrated_bundle)
    assert [(s["name"], s["raw"]) for s in plain.seeds] == [(s.name, s.raw) for s in seeds(plain.card)]
    assert plain.n_seeds == 1 and plain.active_seed == 0 and plain.threshold["name"] == "default"
    laddered = load_design(laddered_bundle)
    assert [s["name"] for s in laddered.seeds] == ["VLoose", "default", "Tight"] and laddered.active_seed == 1
    assert laddered.threshold == {**plain.threshold}  # the active seed is the same threshold
    override = load_design(laddered_bundle, threshold=3.3)
    f = override.score_type["fraction"]
    grid = float(np.ceil(3.3 * 2**f)) / 2**f  # the smallest grid value >= 3.3: its score, so seed_bits is exact
    assert override.seeds == [{"name": "threshold", "raw": int(grid * 2**f), "value": grid, "score": grid}]
    assert override.threshold["source"] == "command line"


def test_bad_seeds_are_refused(laddered_bundle):
    card = json.loads((laddered_bundle / "bundle.json").read_text())
    st = dict(card["fixed_point"]["score"])
    path = laddered_bundle
    assert [s["name"] for s in _seeds(card, None, st, path)[0]] == ["VLoose", "default", "Tight"]
    bad = json.loads(json.dumps(card))
    bad["active_threshold"] = "elsewhere"
    bad["thresholds"]["elsewhere"] = bad["thresholds"]["Tight"]
    with pytest.raises(FirmwareError, match="not a seed of its ladder"):
        _seeds(bad, None, st, path)
    bad = json.loads(json.dumps(card))
    bad["thresholds"]["Tight"]["fixed"]["raw"] += 1
    with pytest.raises(FirmwareError, match=r"'Tight'.*not its score"):
        _seeds(bad, None, st, path)
    bad["thresholds"]["Tight"]["fixed"] = None
    with pytest.raises(FirmwareError, match=r"'Tight'.*no fixed value"):
        _seeds(bad, None, st, path)
    narrow = {**st, "width": st["fraction"] + 1, "integer": 1}  # the largest score is just under 2
    with pytest.raises(FirmwareError, match=r"'VLoose'.*above the largest firmware score"):
        _seeds(card, None, narrow, path)


def test_sums_of_squares_and_the_score_below():
    squares = {n: set() for n in (1, 2, 3)}
    for a in range(0, 40):
        squares[1].add(a * a)
        for b in range(0, 40):
            squares[2].add(a * a + b * b)
            squares[3].update(a * a + b * b + c * c for c in range(0, 40))
    for terms, sums in squares.items():
        assert [n for n in range(400) if verify._sum_of_squares(n, terms)] == sorted(x for x in sums if x < 400)
    assert all(verify._sum_of_squares(n, 4) for n in range(400))


def test_report_numbers_come_from_the_tools(firmware_bundle):
    from adtrigger.firmware import netlist, timing

    bundle, summary = firmware_bundle
    fw = bundle / "firmware"
    net = netlist.load_netlist(fw / "rtl" / "netlist.json")
    found = netlist.resources(net)
    luts = sum(n for c, n in found["cells"].items() if re.fullmatch(r"LUT[1-6]|SRLC?\d+E", c))  # + LUTRAM sites
    assert luts > 0 and summary["yosys"]["lut"] == found["lut"] >= luts and summary["yosys"]["ff"] == found["ff"]
    meta = json.loads((fw / "rtl" / "metadata.json").read_text())
    r = summary["rtl"]
    assert r["stages"] == meta["latency"] and r["da4ml_cost"] == meta["cost"]
    # the latency is the netlist's registers port to port (da4ml's stages plus its input and output registers) at
    # the target clock, and the timing is the estimate over the same netlist
    est = timing.estimate(net, clock_period_ns=r["clock_period_ns"])
    assert r["timing"]["latency_cycles"] == est.latency_cycles == est.latency_min_cycles == meta["latency"] + 1
    assert r["latency_ns"] == pytest.approx(est.latency_cycles * r["clock_period_ns"])
    assert r["timing"]["fmax_mhz"] == pytest.approx(est.fmax_mhz, rel=1e-3)
    assert r["timing"]["kind"] == "estimate, not vendor timing"
    tries = r["timing"]["tries"]
    assert tries and r["latency_cutoff"] in [tr["latency_cutoff"] for tr in tries]
    assert summary["goals"]["fmax>=clock"] == est.meets(r["clock_period_ns"])
    md = (fw / "report.md").read_text()
    assert f"{found['lut']:,}" in md and f"{est.latency_cycles} cycles" in md and "PASSED" in md
    assert "estimate, not vendor timing" in md and timing.ULTRASCALE_PLUS_2L.name in md
    assert f"Score: `{summary['score_definition']}`" in md and summary["score_definition"].startswith("max(")
    assert summary["goals"]["lut<=11800"] == (found["lut"] <= 11_800)
    assert "without_nodsp" not in summary["yosys"] and summary["goals"]["dsp==0"] is None  # not checked: not claimed
    card = json.loads((bundle / "bundle.json").read_text())
    assert card["firmware"]["yosys"]["lut"] == found["lut"]
    assert [(s["name"], s["raw"]) for s in card["firmware"]["seeds"]] == [(s.name, s.raw) for s in seeds(card)]
    assert card["firmware"]["verification"]["seed_mismatches"]["rtl"]["keras"] == {s.name: 0 for s in seeds(card)}
    for s in seeds(card):
        assert f"| `{s.name}`" in md and f"{s.raw:,}" in md
    assert {"firmware/report.json", "firmware/report.md", "firmware/manifest.json"} <= set(card["files"])
    manifest = json.loads((fw / "manifest.json").read_text())
    assert manifest["design"]["namespace"] == card["firmware"]["namespace"] and manifest["tools"]["yosys"]
    lib = f"emulator/{emulator.library_name(manifest['design']['namespace'])}"
    assert manifest["files"][lib] == hashlib.sha256((fw / lib).read_bytes()).hexdigest()
    assert (fw / "hls" / "build_trigger.tcl").is_file() and (fw / "hls" / "tb" / "expected.dat").is_file()


def test_the_test_bench_checks_the_flows_expected_outputs(firmware_bundle, tmp_path):
    """The C simulation with no arguments, as Vitis runs it, on the flow's own tb/ files: passes; one changed
    expected score: fails."""
    bundle, summary = firmware_bundle
    hls = tmp_path / "hls"
    shutil.copytree(bundle / "firmware" / "hls", hls)
    exe = hls / "tb" / f"{summary['namespace']}_trigger_csim"
    ok = subprocess.run([str(exe)], cwd=hls, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    rows = (hls / "tb" / "expected.dat").read_text().splitlines()
    first = rows[5].split()
    rows[5] = " ".join([str(int(first[0]) + 1), *first[1:]])
    (hls / "tb" / "expected.dat").write_text("\n".join(rows) + "\n")
    bad = subprocess.run([str(exe)], cwd=hls, capture_output=True, text=True)
    assert bad.returncode != 0 and "event 5" in bad.stdout + bad.stderr


@pytest.fixture(scope="module")
def second_emulator(trained_bundle, tmp_path_factory) -> tuple[Path, str, object]:
    """A second bundle in its own namespace with other weights (enc_0 kernel halved) and another threshold:
    only its own HLS project and emulator are built."""
    from adtrigger.training import vae

    bundle = tmp_path_factory.mktemp("second") / "second_l1"
    bundle.mkdir()
    model = vae.load_model(trained_bundle)
    layer = model.get_layer("enc_0")
    layer.kernel.assign(layer.kernel * 0.5)
    vae.save_model(model, bundle)  # no card: the name comes from the folder
    design = load_design(bundle, threshold=1.0)
    project = convert.convert(design, bundle / "hls")
    _, objects = convert.build_csim(project)
    lib = emulator.build_library(design, project, objects, bundle / "emulator")
    return lib, design.namespace, design


def test_two_emulators_in_one_process(firmware_bundle, second_emulator):
    """Both libraries loaded RTLD_GLOBAL (the mode where un-namespaced symbols collide), both give their own
    model's bits; every exported symbol but CMSSW's factory (create_model, destroy_model) carries the namespace."""

    bundle, summary = firmware_bundle
    first = load_design(bundle, None if summary["threshold"]["source"] == "card" else summary["threshold"]["score"])
    lib1 = bundle / "firmware" / "emulator" / emulator.library_name(first.namespace)
    lib2, ns2, second = second_emulator
    assert first.namespace != ns2
    e1 = emulator.Emulator(lib1, first.namespace, mode=ctypes.RTLD_GLOBAL)
    e2 = emulator.Emulator(lib2, ns2, mode=ctypes.RTLD_GLOBAL)
    hw = verify.verification_events(2000, seed=5)
    x = hwunits.from_hardware(hw)
    assert second.score_groups == latent_score.single_group(second.n_latent)  # no card: one plain group
    assert (e1.n_seeds, e1.seeds, e1.active_seed) == (3, ["VLoose", "default", "Tight"], 1)
    assert (e2.n_seeds, e2.seeds, e2.active_seed) == (1, ["threshold"], 0)  # no ladder: one bit, the threshold
    for design, emu in ((first, e1), (second, e2)):
        score = _keras_score(design, x)
        raw, mask, _ = emu.predict(hw)
        np.testing.assert_array_equal(raw, design.fixed_score(score))
        np.testing.assert_array_equal(unpack_bits(mask, design.n_seeds), seed_bits(score, design.seed_list()))
        assert mask.max() < 2**design.n_seeds  # no bit beyond the seeds
        np.testing.assert_array_equal(emu.trigger(mask), score >= design.threshold["value"])
    assert not np.array_equal(e1.predict(hw)[0], e2.predict(hw)[0])  # the two really are different models
    for lib, ns in ((lib1, first.namespace), (lib2, ns2)):
        out = subprocess.run(["nm", "-D", "--defined-only", "-C", str(lib)], capture_output=True, text=True).stdout
        names = [line.split(" ", 2)[2] for line in out.splitlines() if len(line.split(" ", 2)) == 3]
        assert {"create_model", "destroy_model"} < set(names)
        assert all(ns in n for n in names if n not in ("create_model", "destroy_model")), names


def test_bad_emulator_loads_are_errors(tmp_path, second_emulator):
    lib, ns, _ = second_emulator
    with pytest.raises(FirmwareError, match="does not exist"):
        emulator.Emulator(tmp_path / "missing.so", ns)
    junk = tmp_path / "junk.so"
    junk.write_text("not a library")
    with pytest.raises(FirmwareError, match="cannot load"):
        emulator.Emulator(junk, ns)
    with pytest.raises(FirmwareError, match="exports no emulator"):
        emulator.Emulator(lib, "other_bundle")
    with pytest.raises(FirmwareError, match="int16"):
        emulator.Emulator(lib, ns).predict(np.zeros((3, 56), np.int16))


def test_hardware_units_round_trip_and_full_scale():
    x = np.array([[2048.0, -5.0, np.pi] * 19, [2048.25, 5.01, -3.15] * 19])
    hw = hwunits.to_hardware(x)
    assert hw[0, :3].tolist() == [8192, -640, 402]
    lo, hi = hwunits.full_scale_hw()
    inside = ((hw >= lo) & (hw <= hi)).all(axis=1)
    from adtrigger.training.vae import input_overflow

    assert inside.tolist() == [True, False]
    np.testing.assert_array_equal(~inside, input_overflow(hwunits.from_hardware(hw)))
    np.testing.assert_array_equal(hwunits.to_hardware(hwunits.from_hardware(hw)), hw)
    with pytest.raises(ValueError, match="not on the hardware LSB grid"):
        hwunits.offsets_hw(np.array([0.1, 0.0, 0.0]))


def test_bundle_without_threshold_is_refused_by_the_cli(trained_bundle, tmp_path):
    from typer.testing import CliRunner

    from adtrigger.cli import app

    path = trained_bundle / "bundle.json"
    card = json.loads(path.read_text()) if path.is_file() else {}
    assert not card.get("active_threshold"), "the shared trained bundle must stay uncalibrated (conftest.py)"
    r = CliRunner().invoke(app, ["firmware", str(trained_bundle)])
    assert r.exit_code == 2 and "no calibrated threshold" in r.output and "adtrigger calibrate" in r.output


def test_unmappable_layer_and_missing_tool(tmp_path, monkeypatch):
    import keras

    from adtrigger.firmware import design as design_mod
    from adtrigger.firmware import tools

    inp = keras.Input((57,))
    model = keras.Model(inp, keras.layers.Dense(4, name="plain_dense")(inp))
    with pytest.raises(FirmwareError, match=r"'plain_dense'.*cannot be mapped"):
        design_mod._layers(model)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FirmwareError, match=r"verilator not found.*apt-get install verilator"):
        tools.require("verilator")


def test_failed_build_keeps_the_good_one(firmware_bundle, tmp_path, monkeypatch):
    bundle, summary = firmware_bundle
    copy = tmp_path / bundle.name
    shutil.copytree(bundle, copy)
    before = (copy / "firmware" / "report.json").read_bytes()

    def broken(*args, **kwargs):
        raise FirmwareError("g++ exploded")

    monkeypatch.setattr(convert, "build_csim", broken)
    with pytest.raises(FirmwareError, match="exploded"):
        build_firmware(copy, FirmwareSettings(threshold=summary["threshold"]["score"], rtl=False))
    assert (copy / "firmware" / "report.json").read_bytes() == before
    assert (copy / "firmware.failed" / "hls").is_dir()
    assert not list(copy.glob(".firmware.tmp-*"))


def test_a_tighter_clock_cuts_more_stages(firmware_bundle, tmp_path):
    """The pipeline is cut from the clock: half the period gives more stages and a faster slowest stage, and the
    search's step shrinks the cutoff after a miss and widens it after a pass."""
    from adtrigger.firmware import pipeline, timing

    bundle, summary = firmware_bundle
    r = summary["rtl"]
    tight = pipeline.cut_for_clock(load_design(bundle), tmp_path / "rtl", r["clock_period_ns"] / 2, max_tries=1)
    assert tight.build.stages > r["stages"] and tight.timing.latency_cycles > r["timing"]["latency_cycles"]
    assert tight.timing.fmax_mhz > r["timing"]["fmax_mhz"]
    assert [p.name for p in tmp_path.iterdir()] == ["rtl"]  # the tries' folders are gone, the chosen one stays
    m = timing.ULTRASCALE_PLUS_2L
    assert pipeline.next_cutoff(4.0, 6.0, 4.0, m) < 4.0 < pipeline.next_cutoff(4.0, 3.0, 4.0, m)
