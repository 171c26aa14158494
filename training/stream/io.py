"""Event-file readers and writers: the public L1 HDF5 layout (plus the project's datasets) and parquet."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from adtrigger.bundle.layout import (
    HLT_FEATURE_NAMES,
    L1_INPUT_NAMES,
    N_L1_INPUTS,
    N_OBJECTS,
    PARTICLES_CLASSES,
    PARTICLES_NAMES,
)
from adtrigger.training.stream.sample import EventSample

H5_SUFFIXES = (".h5", ".hdf5")
PARQUET_SUFFIXES = (".parquet", ".pq")
MANIFEST_KEY = b"adtrigger.manifest"
PROCESS_NAMES_KEY = b"adtrigger.process_names"
_GZIP = {"compression": "gzip", "compression_opts": 4, "shuffle": True}
_CHUNK_EVENTS = 8192


class StreamFormatError(ValueError):
    """A file that cannot be read as events: not HDF5/parquet, truncated, missing or malformed data."""


# ---------------------------------------------------------------- shared helpers


def _plain(value: Any) -> Any:
    """Convert an HDF5 attribute value (numpy scalars/arrays, bytes) to plain Python."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def _check_finite(sample: EventSample, source: object) -> None:
    """Raise StreamFormatError if particles or weights hold NaN or inf."""
    for name, arr in (("Particles", sample.particles), ("Weight", sample.weight)):
        if not np.isfinite(arr).all():
            raise StreamFormatError(f"{source}: non-finite values (NaN/inf) in {name}")


def _assemble(source: object, particles: np.ndarray, **fields: Any) -> EventSample:
    """Build and validate an EventSample from read arrays; any inconsistency becomes StreamFormatError."""
    particles = np.asarray(particles)
    n = len(particles)
    if particles.ndim == 2 and particles.shape[1] == N_L1_INPUTS:
        particles = particles.reshape(n, N_OBJECTS, 3)
    elif particles.ndim == 3 and particles.shape[1:] in ((N_OBJECTS, 3), (N_OBJECTS, 4)):
        particles = particles[:, :, :3]
    else:
        raise StreamFormatError(
            f"{source}: Particles has shape {particles.shape}, expected (N, 19, 4), (N, 19, 3) or (N, 57)"
        )
    if particles.dtype.kind not in "fiu":
        raise StreamFormatError(f"{source}: Particles has non-numeric dtype {particles.dtype}")
    try:
        sample = EventSample(particles=particles, **fields)
    except (ValueError, TypeError) as exc:
        raise StreamFormatError(f"{source}: {exc}") from exc
    _check_finite(sample, source)
    return sample


def _atomic_write(path: str | os.PathLike[str], force: bool, write: Callable[[Path], None]) -> Path:
    """Run ``write(tmp)`` on a hidden temp file beside ``path``, fsync it and move it into place."""
    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} already exists; pass force=True to overwrite it")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: directory {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable; not possible on every platform
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    return path


def _existing(path: str | os.PathLike[str]) -> Path:
    """The path as a Path, or FileNotFoundError with a clear message."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"event file {path} does not exist")
    return path


def _check_max_events(max_events: int | None) -> slice:
    """A slice over the first ``max_events`` events (all when None)."""
    if max_events is not None and max_events < 0:
        raise ValueError(f"max_events must be >= 0, got {max_events}")
    return slice(None, max_events)


# ---------------------------------------------------------------- HDF5


def write_h5(sample: EventSample, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``sample`` atomically in the public L1 HDF5 layout plus the project's datasets."""
    _check_finite(sample, "sample to write")
    n = len(sample)

    def write(tmp: Path) -> None:
        with h5py.File(tmp, "w") as f:

            def put(name: str, data: np.ndarray) -> h5py.Dataset:
                chunks, maxshape = (max(1, min(n, _CHUNK_EVENTS)), *data.shape[1:]), (None, *data.shape[1:])
                return f.create_dataset(name, data=data, chunks=chunks, maxshape=maxshape, **_GZIP)

            put("Particles", sample.with_class_column().astype(np.float32))
            f.create_dataset("Particles_Names", data=np.array(PARTICLES_NAMES))
            f.create_dataset("Particles_Classes", data=np.array(PARTICLES_CLASSES))
            put("EventId", sample.event_id.astype(np.int64))
            put("Weight", sample.weight.astype(np.float64))
            put("ProcessLabel", sample.process.astype(np.int16))
            if sample.hlt is not None:
                ds = put("HLTFeatures", sample.hlt.astype(np.float32))
                ds.attrs["HLTFeatureNames"] = np.array(HLT_FEATURE_NAMES, dtype=h5py.string_dtype())
            if sample.n_pileup is not None:
                put("NPileup", sample.n_pileup.astype(np.int16))
            f.attrs["ProcessNames"] = np.array(sample.process_names, dtype=h5py.string_dtype())
            if len(sample.process_names) == 1:
                f.attrs["ProcessName"] = sample.process_names[0]
            f.attrs["Manifest"] = json.dumps(sample.manifest)

    return _atomic_write(path, force, write)


def _h5_process_names(f: h5py.File, path: Path) -> tuple[str, ...]:
    """Process names of a project file (``ProcessNames``) or the single name of a public file."""
    if "ProcessNames" in f.attrs:
        return tuple(str(v) for v in _plain(f.attrs["ProcessNames"]))
    for key in ("ProcessName", "Dataset"):
        if key in f.attrs:
            return (str(_plain(f.attrs[key])),)
    return (path.stem,)


def _h5_manifest(f: h5py.File, path: Path) -> dict[str, Any]:
    """The ``Manifest`` attribute parsed, else the file attributes as plain Python plus the source."""
    if "Manifest" in f.attrs:
        try:
            return json.loads(_plain(f.attrs["Manifest"]))
        except json.JSONDecodeError as exc:
            raise StreamFormatError(f"{path}: Manifest attribute is not valid JSON ({exc})") from exc
    return {**{k: _plain(v) for k, v in f.attrs.items()}, "source": str(path)}


def read_h5(path: str | os.PathLike[str], *, max_events: int | None = None) -> EventSample:
    """Read a project or public (refstream-v1, ADC2021) HDF5 event file."""
    path = _existing(path)
    sel = _check_max_events(max_events)
    try:
        with h5py.File(path, "r") as f:
            if not isinstance(f.get("Particles"), h5py.Dataset):
                raise StreamFormatError(f"{path}: no 'Particles' dataset (keys: {sorted(f.keys())})")
            particles = f["Particles"][sel]
            n = len(particles)
            id_key = next((k for k in ("EventId", "EvtId") if k in f), None)
            event_id = f[id_key][sel] if id_key else np.arange(n, dtype=np.int64)
            weight = f["Weight"][sel] if "Weight" in f else np.ones(n)
            names = _h5_process_names(f, path)
            if "ProcessLabel" in f:
                process = f["ProcessLabel"][sel]
            elif len(names) == 1:
                process = np.zeros(n, dtype=np.int16)
            else:
                raise StreamFormatError(f"{path}: several ProcessNames but no ProcessLabel dataset")
            hlt = None
            if "HLTFeatures" in f:
                ds = f["HLTFeatures"]
                stored = ds.attrs.get("HLTFeatureNames", f.attrs.get("HLTFeatureNames"))
                if stored is not None and tuple(_plain(stored)) != HLT_FEATURE_NAMES:
                    raise StreamFormatError(f"{path}: HLTFeatureNames differ from layout.HLT_FEATURE_NAMES")
                hlt = ds[sel]
            fields = {"process": process, "process_names": names, "weight": weight, "event_id": event_id}
            n_pileup = f["NPileup"][sel] if "NPileup" in f else None  # files without pileup have none
            fields.update(hlt=hlt, manifest=_h5_manifest(f, path), n_pileup=n_pileup)
    except StreamFormatError:
        raise
    except (OSError, ValueError, TypeError, KeyError) as exc:  # h5py: OSError for truncated / not HDF5
        raise StreamFormatError(f"{path}: unreadable as HDF5 events (truncated or corrupt?): {exc}") from exc
    return _assemble(path, particles, **fields)


# ---------------------------------------------------------------- parquet

_HLT_COLUMNS = tuple(f"hlt_{name}" for name in HLT_FEATURE_NAMES)


def write_parquet(sample: EventSample, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write ``sample`` atomically as a parquet table, one float32 column per L1 input."""
    _check_finite(sample, "sample to write")
    flat_t = np.ascontiguousarray(sample.particles.reshape(len(sample), N_L1_INPUTS).T)  # .flat fails at N=0
    columns: dict[str, pa.Array] = {name: pa.array(flat_t[i]) for i, name in enumerate(L1_INPUT_NAMES)}
    columns["event_id"] = pa.array(sample.event_id)
    columns["weight"] = pa.array(sample.weight)
    columns["process"] = pa.DictionaryArray.from_arrays(
        pa.array(sample.process, pa.int16()), pa.array(list(sample.process_names), pa.string())
    )
    if sample.hlt is not None:
        hlt_t = np.ascontiguousarray(sample.hlt.T)
        columns.update({name: pa.array(hlt_t[i]) for i, name in enumerate(_HLT_COLUMNS)})
    if sample.n_pileup is not None:
        columns["n_pileup"] = pa.array(sample.n_pileup, pa.int16())
    table = pa.table(columns).replace_schema_metadata(
        {MANIFEST_KEY: json.dumps(sample.manifest), PROCESS_NAMES_KEY: json.dumps(sample.process_names)}
    )
    return _atomic_write(path, force, lambda tmp: pq.write_table(table, tmp, compression="zstd"))


def read_parquet(path: str | os.PathLike[str], max_events: int | None = None) -> EventSample:
    """Read a parquet event file written by :func:`write_parquet`."""
    path = _existing(path)
    _check_max_events(max_events)
    try:
        pf = pq.ParquetFile(path)
        missing = [c for c in (*L1_INPUT_NAMES, "event_id", "weight", "process") if c not in pf.schema_arrow.names]
        if missing:
            raise StreamFormatError(f"{path}: not an event table, missing columns {missing[:5]}")
        if max_events is None:
            table = pf.read()
        else:
            batches, n = [], 0
            for batch in pf.iter_batches(batch_size=max(1, max_events)):
                if n >= max_events:
                    break
                batches.append(batch)
                n += batch.num_rows
            table = pa.Table.from_batches(batches, schema=pf.schema_arrow).slice(0, max_events)
        meta = table.schema.metadata or {}
        manifest = json.loads(meta[MANIFEST_KEY]) if MANIFEST_KEY in meta else {"source": str(path)}
        proc = table.column("process").cast(pa.string())
        if PROCESS_NAMES_KEY in meta:
            names = tuple(json.loads(meta[PROCESS_NAMES_KEY]))
        else:
            names = tuple(pc.unique(proc).drop_null().to_pylist())
        idx = pc.index_in(proc, value_set=pa.array(names, pa.string()))
        if idx.null_count:
            raise StreamFormatError(f"{path}: process values missing or outside the stored process names")

        def stack(cols: tuple[str, ...]) -> np.ndarray:
            return np.stack([table.column(c).to_numpy() for c in cols], axis=1)

        hlt = stack(_HLT_COLUMNS) if all(c in table.column_names for c in _HLT_COLUMNS) else None
        weight, event_id = table.column("weight").to_numpy(), table.column("event_id").to_numpy()
        fields = {"process": idx.to_numpy(), "process_names": names, "weight": weight, "event_id": event_id}
        n_pileup = table.column("n_pileup").to_numpy() if "n_pileup" in table.column_names else None
        fields.update(hlt=hlt, manifest=manifest, n_pileup=n_pileup)
        particles = stack(L1_INPUT_NAMES)
    except StreamFormatError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError) as exc:
        raise StreamFormatError(f"{path}: not a readable parquet event file: {exc}") from exc
    return _assemble(path, particles, **fields)


# ---------------------------------------------------------------- dispatch


def event_format(path: str | os.PathLike[str]) -> str:
    """'h5' or 'parquet' from the suffix, else StreamFormatError."""
    suffix = Path(path).suffix.lower()
    if suffix in H5_SUFFIXES:
        return "h5"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise StreamFormatError(
        f"{path}: unsupported suffix {suffix!r}; use one of {', '.join(H5_SUFFIXES + PARQUET_SUFFIXES)}"
    )


def write_events(sample: EventSample, path: str | os.PathLike[str], force: bool = False) -> Path:
    """Write ``sample`` as HDF5 or parquet, chosen by the file suffix."""
    writer = write_h5 if event_format(path) == "h5" else write_parquet
    return writer(sample, path, force=force)


def read_events(path: str | os.PathLike[str], max_events: int | None = None) -> EventSample:
    """Read an HDF5 or parquet event file, chosen by the file suffix."""
    reader = read_h5 if event_format(path) == "h5" else read_parquet
    return reader(path, max_events=max_events)


def file_summary(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Number of events, process names, HLT presence and manifest keys, without loading the events."""
    kind = event_format(path)
    path = _existing(path)
    try:
        if kind == "h5":
            with h5py.File(path, "r") as f:
                if not isinstance(f.get("Particles"), h5py.Dataset):
                    raise StreamFormatError(f"{path}: no 'Particles' dataset")
                n, names = len(f["Particles"]), _h5_process_names(f, path)
                has_hlt, manifest = "HLTFeatures" in f, _h5_manifest(f, path)
        else:
            pf = pq.ParquetFile(path)
            meta = pf.schema_arrow.metadata or {}
            n, has_hlt = pf.metadata.num_rows, all(c in pf.schema_arrow.names for c in _HLT_COLUMNS)
            names = tuple(json.loads(meta.get(PROCESS_NAMES_KEY, b"[]")))
            manifest = json.loads(meta.get(MANIFEST_KEY, b"{}"))
    except StreamFormatError:
        raise
    except (OSError, pa.ArrowException, ValueError, TypeError, KeyError) as exc:
        raise StreamFormatError(f"{path}: not a readable {kind} event file: {exc}") from exc
    return {
        "path": str(path),
        "format": kind,
        "n_events": int(n),
        "processes": list(names),
        "has_hlt": has_hlt,
        "manifest_keys": sorted(manifest),
    }
