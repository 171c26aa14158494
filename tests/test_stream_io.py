"""Round trips and refusals of training.stream.io (HDF5 and parquet), plus the refstream-v1 files."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pyarrow.parquet as pq
import pytest

from adtrigger.bundle.layout import (
    EGAMMA_ROWS,
    HLT_FEATURE_NAMES,
    JET_ROWS,
    L1_INPUT_NAMES,
    MUON_ROWS,
    N_HLT_FEATURES,
    PARTICLES_CLASSES,
    PARTICLES_NAMES,
    ROW_CLASS,
)
from adtrigger.refdata import refstream_dir
from adtrigger.training.stream import io
from adtrigger.training.stream.io import StreamFormatError, read_events, write_events
from adtrigger.training.stream.sample import EventSample

REFSTREAM = refstream_dir()
REF_FILES = sorted(REFSTREAM.glob("*.h5")) if REFSTREAM.is_dir() else []
needs_refstream = pytest.mark.skipif(not REF_FILES, reason=f"refstream-v1 data not found at {REFSTREAM}")


def make_sample(n: int = 300, seed: int = 0, hlt: bool = True, names=("W_lnu", "QCD", "Z_ll")) -> EventSample:
    """Random events in the public layout: pT-ordered within each class, zero-padded rows, MET eta = 0."""
    rng = np.random.default_rng(seed)
    p = np.zeros((n, 19, 3), dtype=np.float32)
    p[:, 0, 0] = rng.exponential(30, n)
    p[:, 0, 2] = rng.uniform(-np.pi, np.pi, n)
    for rows in (EGAMMA_ROWS, MUON_ROWS, JET_ROWS):
        width = rows.stop - rows.start
        pt = -np.sort(-rng.exponential(25, (n, width)), axis=1) + 1
        pt[np.arange(width)[None, :] >= rng.integers(0, width + 1, n)[:, None]] = 0  # zero-pad the tail
        p[:, rows, 0] = pt
        p[:, rows, 1] = np.where(pt > 0, rng.uniform(-4, 4, pt.shape), 0)
        p[:, rows, 2] = np.where(pt > 0, rng.uniform(-np.pi, np.pi, pt.shape), 0)
    return EventSample(
        particles=p,
        process=rng.integers(0, len(names), n),
        process_names=tuple(names),
        weight=rng.uniform(0.1, 3.0, n),
        event_id=rng.choice(10**12, n, replace=False),
        hlt=rng.normal(size=(n, N_HLT_FEATURES)) if hlt else None,
        manifest={"generator": "test", "seeds": [1, 2], "nested": {"x": 1.5}},
    )


def assert_same(a: EventSample, b: EventSample) -> None:
    np.testing.assert_array_equal(a.particles, b.particles)
    np.testing.assert_array_equal(a.process, b.process)
    np.testing.assert_array_equal(a.weight, b.weight)
    np.testing.assert_array_equal(a.event_id, b.event_id)
    assert a.process_names == b.process_names
    assert a.manifest == b.manifest
    assert (a.hlt is None) == (b.hlt is None)
    if a.hlt is not None:
        np.testing.assert_array_equal(a.hlt, b.hlt)
    assert (a.particles.dtype, a.process.dtype, a.weight.dtype, a.event_id.dtype) == (
        b.particles.dtype,
        b.process.dtype,
        b.weight.dtype,
        b.event_id.dtype,
    )


@pytest.mark.parametrize("suffix", [".h5", ".hdf5", ".parquet", ".pq"])
@pytest.mark.parametrize("hlt", [True, False])
def test_round_trip(tmp_path: Path, suffix: str, hlt: bool) -> None:
    sample = make_sample(hlt=hlt)
    out = write_events(sample, tmp_path / f"ev{suffix}")
    assert out == tmp_path / f"ev{suffix}"
    assert_same(sample, read_events(out))
    assert_same(sample.select(slice(0, 17)), read_events(out, max_events=17))
    assert len(read_events(out, max_events=0)) == 0
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temp file left behind
    summary = io.file_summary(out)
    assert summary["n_events"] == len(sample) and summary["has_hlt"] == hlt
    assert summary["processes"] == list(sample.process_names)
    assert summary["manifest_keys"] == sorted(sample.manifest)


def test_empty_and_single_process_round_trip(tmp_path: Path) -> None:
    for suffix in (".h5", ".parquet"):
        empty = make_sample(n=0, names=("ttbar",))
        assert_same(empty, read_events(write_events(empty, tmp_path / f"empty{suffix}")))
    single = make_sample(n=50, names=("ttbar",))
    path = write_events(single, tmp_path / "single.h5")
    with h5py.File(path) as f:
        assert f.attrs["ProcessName"] == "ttbar"


def test_h5_has_exactly_the_public_layout(tmp_path: Path) -> None:
    sample = make_sample(n=200)
    path = io.write_h5(sample, tmp_path / "ev.h5")
    with h5py.File(path) as f:
        assert set(f.keys()) == {
            "Particles",
            "Particles_Names",
            "Particles_Classes",
            "EventId",
            "Weight",
            "ProcessLabel",
            "HLTFeatures",
        }
        P = f["Particles"]
        assert (P.dtype, P.shape) == (np.float32, (200, 19, 4))
        assert P.compression == "gzip" and P.compression_opts == 4 and P.shuffle and P.chunks is not None
        assert list(f["Particles_Names"][...]) == list(PARTICLES_NAMES)
        assert list(f["Particles_Classes"][...]) == list(PARTICLES_CLASSES)
        assert (f["EventId"].dtype, f["EventId"].shape) == (np.int64, (200,))
        assert (f["Weight"].dtype, f["Weight"].shape) == (np.float64, (200,))
        assert (f["ProcessLabel"].dtype, f["ProcessLabel"].shape) == (np.int16, (200,))
        assert (f["HLTFeatures"].dtype, f["HLTFeatures"].shape) == (np.float32, (200, N_HLT_FEATURES))
        assert tuple(f["HLTFeatures"].attrs["HLTFeatureNames"]) == HLT_FEATURE_NAMES
        assert list(f.attrs["ProcessNames"]) == list(sample.process_names)
        assert "ProcessName" not in f.attrs  # three processes
        assert json.loads(f.attrs["Manifest"]) == sample.manifest
        X = P[...]
    np.testing.assert_array_equal(X[:, :, :3], sample.particles)
    empty = sample.particles[:, :, 0] == 0
    assert empty.any() and (X[empty] == 0).all()  # class column zero on empty slots
    expected = np.broadcast_to(np.array(ROW_CLASS, dtype=np.float32), empty.shape)
    np.testing.assert_array_equal(X[:, :, 3][~empty], expected[~empty])


def test_parquet_columns(tmp_path: Path) -> None:
    path = io.write_parquet(make_sample(n=40), tmp_path / "ev.parquet")
    schema = pq.read_schema(path)
    assert schema.names[:57] == list(L1_INPUT_NAMES)
    assert all(str(schema.field(n).type) == "float" for n in L1_INPUT_NAMES)
    assert str(schema.field("process").type).startswith("dictionary<values=string")
    assert {"event_id", "weight", *(f"hlt_{n}" for n in HLT_FEATURE_NAMES)} <= set(schema.names)
    assert json.loads(schema.metadata[io.MANIFEST_KEY]) == make_sample(n=40).manifest


def test_public_variants_load(tmp_path: Path) -> None:
    """Public-style files: (N,19,4) / (N,19,3) / (N,57) Particles, EvtId, no Weight/ProcessLabel."""
    sample = make_sample(n=30, hlt=False, names=("bb",))
    variants = {"p4": sample.with_class_column(), "p3": sample.particles, "flat": sample.flat}
    for stem, particles in variants.items():
        path = tmp_path / f"{stem}.h5"
        with h5py.File(path, "w") as f:
            f["Particles"] = particles
            f["EvtId"] = sample.event_id
            f.attrs["SigmaGen_pb"] = np.float64(2.5)
            f.attrs["Seeds"] = np.array([3, 4])
            f.attrs["PythiaCard"] = np.array([b"Beams:eCM = 13000."])
        got = read_events(path)
        np.testing.assert_array_equal(got.particles, sample.particles)
        np.testing.assert_array_equal(got.event_id, sample.event_id)
        np.testing.assert_array_equal(got.weight, np.ones(30))
        assert got.process_names == (stem,) and (got.process == 0).all() and got.hlt is None
        assert got.manifest == {
            "SigmaGen_pb": 2.5,
            "Seeds": [3, 4],
            "PythiaCard": ["Beams:eCM = 13000."],
            "source": str(path),
        }
        json.dumps(got.manifest)  # plain Python only
    path = tmp_path / "noid.h5"
    with h5py.File(path, "w") as f:
        f["Particles"] = sample.particles
        f.attrs["Dataset"] = "bkg"
    got = read_events(path)
    np.testing.assert_array_equal(got.event_id, np.arange(30))
    assert got.process_names == ("bkg",)


@needs_refstream
@pytest.mark.parametrize("path", REF_FILES, ids=[p.stem for p in REF_FILES])
def test_refstream_file_loads(path: Path) -> None:
    got = io.read_h5(path, max_events=1000)
    with h5py.File(path) as f:
        name = f.attrs["ProcessName"]
        n_file = len(f["Particles"])
        np.testing.assert_array_equal(got.particles, f["Particles"][:1000, :, :3])
        np.testing.assert_array_equal(got.event_id, f["EventId"][:1000])
    assert got.particles.shape == (min(1000, n_file), 19, 3)
    assert got.process_names == (name,) == (path.stem,)
    assert np.isfinite(got.particles).all()
    assert (got.particles[:, 0, 1] == 0).all()  # MET eta
    assert (got.weight == 1).all() and got.hlt is None
    assert got.manifest["source"] == str(path) and got.manifest["NEvents"] == n_file
    assert isinstance(got.manifest["SigmaGen_pb"], float) and isinstance(got.manifest["Seeds"], list)
    assert all(isinstance(line, str) for line in got.manifest["PythiaCard"])
    json.dumps(got.manifest)
    assert io.file_summary(path)["n_events"] == n_file


@pytest.mark.parametrize("suffix", [".h5", ".parquet"])
def test_no_overwrite_without_force(tmp_path: Path, suffix: str) -> None:
    path = write_events(make_sample(seed=1), tmp_path / f"ev{suffix}")
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="force"):
        write_events(make_sample(seed=2), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    write_events(make_sample(seed=2), path, force=True)
    assert_same(make_sample(seed=2), read_events(path))


@pytest.mark.parametrize("suffix", [".h5", ".parquet"])
def test_corrupt_files_refused(tmp_path: Path, suffix: str) -> None:
    good = write_events(make_sample(n=2000), tmp_path / f"good{suffix}")
    truncated = tmp_path / f"truncated{suffix}"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = tmp_path / f"text{suffix}"
    text.write_text("not an event file\n")
    for bad in (truncated, text):
        with pytest.raises(StreamFormatError, match=bad.name):
            read_events(bad)


def test_malformed_h5_refused(tmp_path: Path) -> None:
    cases = {
        "noparticles": {"Other": np.zeros((3, 19, 4), np.float32)},
        "wrongshape": {"Particles": np.zeros((3, 18, 4), np.float32)},
        "nan": {"Particles": np.full((3, 19, 4), np.nan, np.float32)},
        "badids": {"Particles": np.zeros((3, 19, 4), np.float32), "EventId": np.arange(2)},
    }
    for stem, datasets in cases.items():
        path = tmp_path / f"{stem}.h5"
        with h5py.File(path, "w") as f:
            for key, data in datasets.items():
                f[key] = data
        with pytest.raises(StreamFormatError, match=f"{stem}.h5"):
            read_events(path)


def test_foreign_parquet_refused(tmp_path: Path) -> None:
    import pyarrow as pa

    path = tmp_path / "foreign.parquet"
    pq.write_table(pa.table({"a": [1, 2, 3]}), path)
    with pytest.raises(StreamFormatError, match="missing columns"):
        read_events(path)


def test_suffix_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StreamFormatError, match=r"\.h5"):
        write_events(make_sample(n=5), tmp_path / "ev.csv")
    with pytest.raises(StreamFormatError, match="unsupported suffix"):
        read_events(tmp_path / "ev.npz")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_events(tmp_path / "missing.h5")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".h5", ".parquet"])
def test_failed_write_leaves_nothing(tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(io.os, "fsync", boom)  # fails after the temp file is fully written
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_events(make_sample(n=20), tmp_path / f"ev{suffix}")
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    # a failure inside the writer itself (non-serialisable manifest) behaves the same
    bad = make_sample(n=20)
    bad.manifest = {"x": object()}
    with pytest.raises(TypeError):
        write_events(bad, tmp_path / f"ev{suffix}")
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_non_finite(tmp_path: Path) -> None:
    sample = make_sample(n=10)
    sample.particles[3, 2, 1] = np.inf
    with pytest.raises(StreamFormatError, match="non-finite"):
        io.write_h5(sample, tmp_path / "ev.h5")
    assert list(tmp_path.iterdir()) == []
