"""The emulator as CMSSW loads it and the HLS project as a deliverable: two versions of one model (same name, other
weights) side by side in one process, through ctypes with RTLD_GLOBAL and through a C++ program that loads them as
CMSSW's hls4mlEmulator::ModelLoader does; the exported symbols; a reproducible library; the HLS test bench failing on
a wrong expected output; the Vitis Tcl's steps and switches. One module build: the two bundles, the first built twice
in two folders (HLS project, C simulation, emulator; no RTL)."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from adtrigger.firmware import convert, emulator, hwunits, verify
from adtrigger.firmware.design import TriggerDesign, load_design

CMSSW = Path(emulator.__file__).parent / "cmssw"
N_TB = 1000  # test bench events, as many as the flow writes


@dataclass
class Build:
    design: TriggerDesign
    project: convert.HLSProject
    exe: Path  # the C simulation
    lib: Path  # the emulator library


def _bundle(trained: Path, out: Path, kernel_factor: float) -> Path:
    """A bundle in ``out`` (no card: the folder names it) with the trained model's enc_0 kernel scaled."""
    from adtrigger.training import vae

    out.mkdir(parents=True)
    model = vae.load_model(trained)
    layer = model.get_layer("enc_0")
    layer.kernel.assign(layer.kernel * kernel_factor)
    vae.save_model(model, out)
    return out


def _build(design: TriggerDesign, out: Path, hw: np.ndarray) -> Build:
    """What the flow builds before the RTL, the test bench files included (expected: the Keras reference)."""
    project = convert.convert(design, out / "hls")
    exe, objects = convert.build_csim(project)
    lib = emulator.build_library(design, project, objects, out / "emulator")
    for o in objects:
        o.unlink()
    score = verify.reference(design, hw)[0]["keras"]
    convert.write_testbench_data(project, hw, convert.testbench_expected(design, score))
    return Build(design, project, exe, lib)


@pytest.fixture(scope="module")
def builds(trained_bundle, tmp_path_factory) -> dict[str, Build]:
    """Bundles "a" and "b", both named same_name, b with enc_0's kernel halved; "a_again": a built once more in
    another folder."""
    root = tmp_path_factory.mktemp("cmssw")
    hw = verify.verification_events(N_TB, seed=3)
    out = {}
    for tag, factor in (("a", 1.0), ("b", 0.5)):
        design = load_design(_bundle(trained_bundle, root / tag / "same_name", factor), threshold=1.0)
        out[tag] = _build(design, root / tag, hw)
    out["a_again"] = _build(out["a"].design, root / "a_again", hw)
    return out


def _expected(design: TriggerDesign, hw: np.ndarray) -> np.ndarray:
    """(N, 4) score_raw, seed_mask, trigger, overflow of the Keras reference: what read_result(uint64_t *) writes."""
    from adtrigger.training import vae

    score = vae.l1_score(vae.load_model(design.bundle), hwunits.from_hardware(hw), "mu2", groups=design.score_groups)
    return np.stack(convert.testbench_expected(design, score), axis=1)


def test_two_versions_of_one_model_in_one_process(builds):
    """The failure this guards against: a rebuilt model of the same name loaded RTLD_GLOBAL returned the first
    model's outputs. Both load RTLD_GLOBAL here, in the order that broke, and each gives its own model's outputs."""
    a, b = builds["a"], builds["b"]
    assert a.design.name == b.design.name == "same_name"
    assert a.design.namespace != b.design.namespace and a.design.namespace.startswith("same_name_")
    assert a.lib.name == f"{a.design.namespace}.so" == emulator.library_name(a.design.namespace)
    emus = [emulator.Emulator(x.lib, x.design.namespace, mode=ctypes.RTLD_GLOBAL) for x in (a, b)]
    hw = verify.verification_events(2000, seed=5)
    raws = []
    for x, emu in zip((a, b), emus, strict=True):
        want = _expected(x.design, hw)
        raw, mask, ovf = emu.predict(hw)
        np.testing.assert_array_equal(raw, want[:, 0], err_msg=x.design.namespace)
        np.testing.assert_array_equal(mask, want[:, 1], err_msg=x.design.namespace)
        np.testing.assert_array_equal(emu.trigger(mask), want[:, 2] == 1)
        np.testing.assert_array_equal(ovf, want[:, 3] == 1)
        assert emu.info["content_hash"] == x.design.content_hash and emu.info["read_result"] == list(emulator.RESULTS)
        raws.append(raw)
    assert np.count_nonzero(raws[0] != raws[1]) > len(hw) // 2  # two different models, not one answering twice


def test_cmssw_model_loader_loads_both_versions(builds, tmp_path):
    """A C++ program doing what CMSSW's ModelLoader does (dlopen "<name>.so" RTLD_LAZY | RTLD_LOCAL from
    LD_LIBRARY_PATH, create_model, prepare_input(const int16_t *), predict, read_result, destroy_model) with both
    versions loaded at once gets each model's outputs, and a wrong input type is refused with a clear message."""
    a, b = builds["a"], builds["b"]
    loader = tmp_path / "load_models"
    subprocess.run(["g++", "-std=c++17", f"-I{CMSSW}", str(CMSSW / "load_models.cpp"), "-o", str(loader), "-ldl"],
                   check=True)  # fmt: skip
    hw = verify.verification_events(300, seed=8)
    events = tmp_path / "events.dat"
    np.savetxt(events, hw, fmt="%d")
    env = {**os.environ, "LD_LIBRARY_PATH": f"{a.lib.parent}:{b.lib.parent}"}
    names = [a.design.namespace, b.design.namespace]
    r = subprocess.run([str(loader), str(events), str(hw.shape[1]), *names], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    for x in (a, b):
        ns = x.design.namespace
        rows = [line.split() for line in lines if line.startswith(f"{ns} ") and "refuses" not in line]
        got = np.array([[int(v) for v in row[2:6]] for row in rows])
        assert [int(row[1]) for row in rows] == list(range(len(hw)))
        np.testing.assert_array_equal(got, _expected(x.design, hw), err_msg=ns)
        f = x.design.score_type["fraction"]
        np.testing.assert_array_equal([float(row[6]) for row in rows], np.ldexp(got[:, 0].astype(float), -f))
        refusal = f"{ns} refuses: {ns}::Emulator::prepare_input takes const int16_t * ({x.design.n_inputs} hardware"
        assert refusal in r.stdout, r.stdout[-500:]


def _exported(lib: Path) -> list[str]:
    out = subprocess.run(["nm", "-D", "--defined-only", "-C", str(lib)], capture_output=True, text=True, check=True)
    return [line.split(" ", 2)[2] for line in out.stdout.splitlines() if len(line.split(" ", 2)) == 3]


def test_only_the_factory_and_namespaced_symbols_are_exported(builds):
    for x in (builds["a"], builds["b"]):
        ns, names = x.design.namespace, _exported(x.lib)
        assert {"create_model", "destroy_model", f"{ns}_predict_batch", f"{ns}_info", f"{ns}_n_inputs",
                f"{ns}_n_seeds", f"vtable for {ns}::Emulator", f"typeinfo for {ns}::Emulator",
                f"{ns}::Emulator::prepare_input(std::any)"} <= set(names)  # fmt: skip
        assert all(ns in n for n in names if n not in ("create_model", "destroy_model")), names


def test_library_is_reproducible(builds):
    """One design built in two folders: byte-identical libraries, and no build folder inside."""
    a, again = builds["a"], builds["a_again"]
    assert a.lib.parent != again.lib.parent
    assert hashlib.sha256(a.lib.read_bytes()).hexdigest() == hashlib.sha256(again.lib.read_bytes()).hexdigest()
    text = subprocess.run(["strings", "-a", str(a.lib)], capture_output=True, text=True, check=True).stdout
    for folder in (a.lib.parent.parent, a.project.path, Path.cwd(), "/tmp/"):
        assert str(folder) not in text


def test_testbench_fails_on_a_wrong_expected_output(builds, tmp_path):
    """With no arguments, as Vitis runs it, the C simulation checks every event of tb/ against expected.dat: it
    passes on the files written as the flow writes them and fails, naming the event, on one wrong value or a short
    file. Vitis copies the test bench files into its working folder: the test bench finds them there too."""
    a = builds["a"]
    r = subprocess.run([str(a.exe)], cwd=a.project.path, capture_output=True, text=True)
    assert r.returncode == 0 and f"PASSED: all {N_TB} events" in r.stdout, r.stdout + r.stderr
    for name in ("hw_inputs.dat", "expected.dat"):
        shutil.copy(a.project.path / "tb" / name, tmp_path / name)
    expected = (tmp_path / "expected.dat").read_text().splitlines()
    wrong = expected.copy()
    raw, *rest = wrong[3].split()
    wrong[3] = " ".join([str(int(raw) + 1), *rest])
    (tmp_path / "expected.dat").write_text("\n".join(wrong) + "\n")
    r = subprocess.run([str(a.exe)], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 1 and "MISMATCH event 3 (line 4)" in r.stderr and "FAILED: 1 of 1000" in r.stdout
    (tmp_path / "expected.dat").write_text("\n".join(expected[:-1]) + "\n")
    r = subprocess.run([str(a.exe)], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 1 and f"for event {N_TB - 1} (line {N_TB})" in r.stderr
    # the flow's mode (IN OUT: write, compare nothing) still gives the top's outputs
    hw = np.loadtxt(a.project.path / "tb" / "hw_inputs.dat", dtype=np.int64, ndmin=2).astype(np.int16)
    raw_csim, mask, ovf = verify.run_csim(a.exe, hw)
    want = np.loadtxt(a.project.path / "tb" / "expected.dat", dtype=np.int64, ndmin=2)
    np.testing.assert_array_equal(np.stack([raw_csim, mask, ovf], axis=1), want[:, [0, 1, 3]])
    assert 0 < want[:, 2].sum() < N_TB and want[:, 3].sum() > 0  # some events trigger, some overflow


STUBBED = ("open_project", "set_top", "add_files", "open_solution", "set_part", "create_clock",
           "set_clock_uncertainty", "config_compile", "config_schedule", "csim_design", "csynth_design",
           "cosim_design", "export_design")  # fmt: skip


def _run_tcl(folder: Path, *args: str) -> tuple[int, list[str]]:
    """Source build_trigger.tcl in tclsh with the Vitis commands stubbed (each records its call) and ``args`` as
    its argv; returns the exit code it asked for and the Vitis commands it called, in order."""
    driver = folder / "driver.tcl"
    driver.write_text(
        "set ::calls {}\n"
        f"foreach c {{{' '.join(STUBBED)}}} {{ proc ::$c args [format {{lappend ::calls [concat %s $args]}} $c] }}\n"
        "rename exit tcl_exit\n"
        'proc exit {{code 0}} { foreach c $::calls { puts "CALL $c" }; puts "EXIT $code"; tcl_exit 0 }\n'
        f"set ::argv {{{' '.join('{' + a + '}' for a in args)}}}\n"
        "source build_trigger.tcl\n"
    )
    r = subprocess.run(["tclsh", driver.name], cwd=folder, capture_output=True, text=True, check=True)
    lines = r.stdout.splitlines()
    return int(lines[-1].split()[1]), [line[5:] for line in lines if line.startswith("CALL ")]


def test_tcl_runs_every_step_switchable_as_hls4mls(builds, tmp_path):
    a = builds["a"]
    top = a.project.top
    text = (a.project.path / "build_trigger.tcl").read_text()
    for step in ("csim_design", "csynth_design", "cosim_design", "export_design -format ip_catalog",
                 "exec vivado -mode batch -source vivado_synth_trigger.tcl", "add_files -tb tb/expected.dat",
                 "array set opt", "foreach arg $::argv", f"set top {top}\n", "${top}_csynth.rpt",
                 "${top}_cosim.rpt"):  # fmt: skip
        assert step in text, step
    assert f"synth_design -top {top}" in (a.project.path / "vivado_synth_trigger.tcl").read_text()
    if shutil.which("tclsh") is None:
        pytest.skip("tclsh not installed: the Tcl was checked as text only")
    shutil.copy(a.project.path / "build_trigger.tcl", tmp_path)
    code, calls = _run_tcl(tmp_path)
    steps = [c.split()[0] for c in calls if c.split()[0] in ("csim_design", "csynth_design", "cosim_design",
                                                             "export_design")]  # fmt: skip
    assert code == 0 and steps == ["csim_design", "csynth_design", "cosim_design", "export_design"]
    assert f"set_top {top}" in calls and "open_project " + top + "_prj" in calls  # no reset by default
    code, calls = _run_tcl(tmp_path, "reset=1 cosim=0", "export=0")  # vivado_hls: one string; -tclargs: several
    assert code == 0 and [c for c in calls if c.startswith(("cosim", "export"))] == []
    assert f"open_project -reset {top}_prj" in calls and "csynth_design" in calls
    code, calls = _run_tcl(tmp_path, "csim=0 synth=0 cosim=0 export=0 vsynth=1")  # no C synthesis output yet
    assert code == 1 and not any(c.startswith(("csim", "csynth")) for c in calls)
    assert _run_tcl(tmp_path, "validation=1")[0] == 1  # an unknown switch is refused, not ignored
    assert _run_tcl(tmp_path, "csim=maybe")[0] == 1
