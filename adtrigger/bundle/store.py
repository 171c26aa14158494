"""Reading, checking and updating a bundle on disk: the card is only ever replaced whole, atomically.

Every writer goes through :func:`update_card` (read, merge, checksum, validate, temp + fsync + rename) under an
advisory lock, so two jobs updating one bundle never lose each other's fields and a reader never sees half a card.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adtrigger.bundle.schema import BundleError, validate_card

CARD_FILE = "bundle.json"
_LOCK_FILE = ".bundle.lock"
_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: mkstemp makes 0600 files, a bundle's files get the usual 0666 & ~umask


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def file_entry(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The card's ``files`` entry for a file: ``{"sha256", "bytes"}``."""
    return {"sha256": sha256_file(path), "bytes": os.path.getsize(path)}


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a temp file beside ``path``, fsync it, rename it over ``path`` and fsync the folder."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # readable by a service running as another user, as any written file
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return path


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """:func:`atomic_write_bytes` of ``obj`` as indented JSON (NaN and infinity refused)."""
    return atomic_write_bytes(path, (json.dumps(obj, indent=1, allow_nan=False) + "\n").encode())


def _bundle_dir(path: str | os.PathLike[str]) -> Path:
    """A bundle folder, or the folder of a ``bundle.json`` path."""
    p = Path(path)
    return p.parent if p.name == CARD_FILE and p.is_file() else p


def read_card(path: str | os.PathLike[str]) -> dict:
    """The card of a bundle folder, parsed and validated (files are not checked: see :func:`load_bundle`)."""
    card_path = _bundle_dir(path) / CARD_FILE
    if not card_path.is_file():
        raise BundleError(f"{card_path} not found: {path} is not a bundle (run adtrigger train to make one)")
    try:
        card = json.loads(card_path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise BundleError(
            f"{card_path} is not valid JSON ({err}); the card is corrupt: re-run the step that wrote it"
        ) from None
    try:
        return validate_card(card)
    except BundleError as err:
        raise BundleError(f"{card_path}: {err}") from None


def write_card(path: str | os.PathLike[str], card: Mapping) -> Path:
    """Validate ``card`` and write it as the bundle's ``bundle.json`` atomically (a refused card writes nothing)."""
    validate_card(card)
    return atomic_write_json(_bundle_dir(path) / CARD_FILE, card)


@contextlib.contextmanager
def card_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Exclusive advisory lock on a bundle's card, for a read-modify-write."""
    with open(_bundle_dir(path) / _LOCK_FILE, "a") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def deep_merge(base: Mapping, changes: Mapping, replace: Iterable[str] = (), _prefix: str = "") -> dict:
    """``base`` with ``changes`` merged in: objects merge key by key, anything else (null included) replaces.

    ``replace`` lists dotted keys (e.g. ``"thresholds.default"``) whose new value replaces the old one whole, so a
    re-written entry keeps no stale fields of the old one.
    """
    replace = set(replace)
    out = copy.deepcopy(dict(base))
    for key, new in changes.items():
        dotted = f"{_prefix}{key}"
        old = out.get(key)
        if isinstance(new, Mapping) and isinstance(old, Mapping) and dotted not in replace:
            out[key] = deep_merge(old, new, replace, f"{dotted}.")
        else:
            out[key] = copy.deepcopy(new)
    return out


def update_card(
    path: str | os.PathLike[str],
    changes: Mapping,
    files: Iterable[str] = (),
    *,
    replace: Iterable[str] = (),
    owns: str | None = None,
) -> dict:
    """Merge ``changes`` into a bundle's card, register ``files`` (names inside the bundle) with fresh checksums,
    validate, and write atomically. With ``owns`` (a folder such as "firmware/") the step that writes that folder
    says its files are exactly ``files`` there: any other entry under it is dropped. Returns the new card; on any
    error the old card stays as it was."""
    root = _bundle_dir(path)
    files = list(files)
    with card_lock(root):
        card = deep_merge(read_card(root), changes, replace)
        card.setdefault("files", {})
        if owns is not None:
            for name in [n for n in card["files"] if n.startswith(owns) and n not in files]:
                del card["files"][name]
        for name in files:
            f = root / name
            if not f.is_file():
                raise BundleError(f"cannot register {name!r}: {f} does not exist (write the file before the card)")
            card["files"][name] = file_entry(f)
        try:
            write_card(root, card)
        except BundleError as err:
            raise BundleError(f"update of {root / CARD_FILE} refused: {err}") from None
    return card


@dataclass(frozen=True)
class Bundle:
    """A checked bundle: its folder and card. Made by :func:`load_bundle` only after every listed file matched."""

    path: Path
    card: dict

    @property
    def name(self) -> str:
        return self.card["name"]

    def file(self, name: str) -> Path:
        """The path of a file the card vouches for; ``BundleError`` when the card does not list it."""
        if name not in self.card["files"]:
            raise BundleError(f"bundle {self.path} has no {name!r} in its card")
        return self.path / name

    def read_checked(self, name: str) -> bytes:
        """A listed file's bytes, checked against the card again (the file may have changed since loading)."""
        data = self.file(name).read_bytes()
        if hashlib.sha256(data).hexdigest() != self.card["files"][name]["sha256"]:
            raise BundleError(f"{self.path / name}: sha256 differs from the card; the file changed after loading")
        return data

    def threshold(self, name: str | None = None) -> dict:
        """The threshold entry ``name`` (default: the active one); ``BundleError`` if there is none."""
        name = name or self.card.get("active_threshold")
        if name is None:
            raise BundleError(f"bundle {self.path} has no active threshold: run adtrigger calibrate first")
        if name not in self.card["thresholds"]:
            known = ", ".join(self.card["thresholds"]) or "none"
            raise BundleError(f"bundle {self.path} has no threshold {name!r} (known: {known})")
        return self.card["thresholds"][name]


def check_files(root: Path, card: Mapping) -> None:
    """Every file the card lists exists with its size and sha256; ``BundleError`` naming the first that does not."""
    for name, entry in card["files"].items():
        f = root / name
        if not f.is_file():
            raise BundleError(f"{f} is listed in the card but missing: restore it or re-run the step that wrote it")
        if os.path.getsize(f) != entry["bytes"] or sha256_file(f) != entry["sha256"]:
            raise BundleError(
                f"{f}: sha256/size differs from the card (corrupt or changed by hand): re-run the step that wrote it"
            )


def load_bundle(path: str | os.PathLike[str]) -> Bundle:
    """Read and fully check a bundle (card schema, then size and sha256 of every listed file)."""
    root = _bundle_dir(path)
    card = read_card(root)
    check_files(root, card)
    return Bundle(path=root.resolve(), card=card)
