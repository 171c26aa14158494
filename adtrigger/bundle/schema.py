"""The bundle card's schema (version 1, docs/bundle.md): one check per field, each naming the field it refuses.

Hand-written rather than pydantic so that the service and the firmware flow can read a bundle with numpy and the
standard library alone.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from typing import Any

SCHEMA_VERSION = 1
KINDS = ("l1_vae", "hlt_vae")
TARGET_KINDS = ("rate_hz", "events_per_day", "fpr", "pure_rate_hz")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BundleError(ValueError):
    """A bundle (card, file or input) that cannot be used as it is; the message says what and what to do."""


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


NUMBER = "number"  # a finite int or float, not a bool


def _type_ok(v: Any, kind: Any) -> bool:
    if kind is NUMBER:
        return _is_number(v)
    if kind is int:
        return _is_int(v)
    return isinstance(v, kind)


def _need(card: Mapping, key: str, kind: Any, where: str, *, nullable: bool = False) -> Any:
    """``card[key]``, refused with the dotted field name when missing or of the wrong type."""
    name = f"{where}.{key}" if where else key
    if key not in card:
        raise BundleError(f"card field {name!r} is missing")
    v = card[key]
    if (v is None and nullable) or _type_ok(v, kind):
        return v
    want = {NUMBER: "a finite number", int: "an integer", str: "a string", dict: "an object", list: "a list",
            bool: "true or false"}.get(kind, str(kind))  # fmt: skip
    raise BundleError(f"card field {name!r} must be {want}{' or null' if nullable else ''}, got {v!r:.80}")


def _check_input(inp: Mapping) -> None:
    n = _need(inp, "n_features", int, "input")
    if n <= 0:
        raise BundleError(f"card field 'input.n_features' must be positive, got {n}")
    _need(inp, "name", str, "input")
    dtype = _need(inp, "dtype", str, "input")
    if dtype != "float32":
        raise BundleError(f"card field 'input.dtype' must be 'float32' (the graph's input), got {dtype!r}")
    shapes = _need(inp, "shapes", list, "input")
    if not shapes:
        raise BundleError("card field 'input.shapes' must list at least one per-event shape")
    for s in shapes:
        if not (isinstance(s, list) and s and all(_is_int(d) and d > 0 for d in s) and math.prod(s) == n):
            raise BundleError(f"card field 'input.shapes' has {s!r}: each shape must be positive ints with product {n}")
    names = inp.get("feature_names")
    ok = isinstance(names, list) and len(names) == n and all(isinstance(x, str) for x in names)
    if names is not None and not ok:
        raise BundleError(f"card field 'input.feature_names' must be {n} strings")


def _check_score(score: Mapping) -> None:
    for key in ("kind", "output", "dtype", "accept"):
        _need(score, key, str, "score")
    if score["accept"] != "score >= threshold":
        raise BundleError(f"card field 'score.accept' must be 'score >= threshold', got {score['accept']!r}")
    if score.get("overflow_score") is not None:
        _need(score, "overflow_score", NUMBER, "score")
    if score.get("groups") is not None:
        _check_groups(score)


def _check_groups(score: Mapping) -> None:
    """``score.groups``: latent groups tiling [0, latent) (adtrigger.bundle.latent_score), for a mu2 score only."""
    from adtrigger.bundle.latent_score import groups_from_json

    groups = _need(score, "groups", list, "score")
    if score["kind"] != "mu2":
        raise BundleError(f"card field 'score.groups' is set for score kind {score['kind']!r}; only 'mu2' has groups")
    if not all(isinstance(g, Mapping) for g in groups):
        raise BundleError("card field 'score.groups' must be a list of objects with start, stop, scale_log2, one_sided")
    stops = [g.get("stop") for g in groups]
    latent = max((v for v in stops if _is_int(v)), default=0)  # the groups must tile [0, the last stop)
    try:
        groups_from_json(groups, latent)
    except (TypeError, ValueError) as err:
        raise BundleError(f"card field 'score.groups': {err}") from None


def _check_fixed_type(t: Mapping, where: str) -> None:
    _need(t, "signed", bool, where)
    w, i, f = (_need(t, k, int, where) for k in ("width", "integer", "fraction"))
    if not (0 < w <= 64 and f == w - i):
        raise BundleError(f"card field {where!r}: need 0 < width <= 64 and fraction == width - integer, got {dict(t)}")


def _check_files(files: Mapping) -> None:
    for name, entry in files.items():
        if not name or name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/"):
            raise BundleError(f"card field 'files' lists {name!r}: names must be relative paths inside the bundle")
        where = f"files.{name}"
        if not isinstance(entry, Mapping):
            raise BundleError(f"card field {where!r} must be an object with sha256 and bytes")
        if not _SHA256.match(str(_need(entry, "sha256", str, where))):
            raise BundleError(f"card field '{where}.sha256' must be 64 lowercase hex digits")
        if _need(entry, "bytes", int, where) < 0:
            raise BundleError(f"card field '{where}.bytes' must be >= 0")


def _check_threshold(name: str, th: Mapping, fixed_point: Mapping | None, files: Mapping) -> None:
    where = f"thresholds.{name}"
    if not isinstance(th, Mapping):
        raise BundleError(f"card field {where!r} must be an object")
    _need(th, "score", NUMBER, where)
    target = _need(th, "target", dict, where)
    kind = _need(target, "kind", str, f"{where}.target")
    if kind not in TARGET_KINDS:
        raise BundleError(f"card field '{where}.target.kind' must be one of {TARGET_KINDS}, got {kind!r}")
    _need(target, "value", NUMBER, f"{where}.target")
    fixed = _need(th, "fixed", dict, where, nullable=True)
    if fixed is not None:
        _need(fixed, "raw", int, f"{where}.fixed")
        _need(fixed, "value", NUMBER, f"{where}.fixed")
        if fixed_point is None:
            raise BundleError(f"card field '{where}.fixed' is set but 'fixed_point' is null")
    for key in ("achieved", "signal_efficiency"):
        if key in th:
            _need(th, key, dict, where)
    if "warning" in th:
        _need(th, "warning", str, where, nullable=True)
    for kind, file in (_need(th, "report", dict, where) if "report" in th else {}).items():
        if file not in files:  # the threshold's own report must be vouched for like any file
            raise BundleError(f"card field '{where}.report.{kind}' names {file!r}, which is not in 'files'")


def _check_ladder(ladder: Any, thresholds: Mapping, fixed_point: Mapping | None, files: Mapping) -> None:
    """``ladder``: {"seeds": [threshold names, loosest first], "menu": {"name", "file", "sha256"}} (bundle.ladder)."""
    from adtrigger.bundle.ladder import MAX_SEEDS

    if not isinstance(ladder, Mapping):
        raise BundleError("card field 'ladder' must be an object with seeds and menu, or null")
    names = _need(ladder, "seeds", list, "ladder")
    if not names or len(names) > MAX_SEEDS or not all(isinstance(n, str) for n in names):
        raise BundleError(f"card field 'ladder.seeds' must list 1 to {MAX_SEEDS} threshold names, got {names!r:.80}")
    if len(set(names)) != len(names):
        raise BundleError(f"card field 'ladder.seeds' names a threshold twice: {names}")
    for n in names:
        if n not in thresholds:
            raise BundleError(f"card field 'ladder.seeds' names {n!r}, which is not in 'thresholds'")
        if fixed_point is not None and thresholds[n].get("fixed") is None:
            raise BundleError(f"card field 'thresholds.{n}.fixed' is null: a fixed-point ladder seed needs one")
    scores = [thresholds[n]["score"] for n in names]
    if any(b < a for a, b in itertools.pairwise(scores)):
        raise BundleError(f"card field 'ladder.seeds' must run loosest first (scores non-decreasing), got {scores}")
    menu = _need(ladder, "menu", dict, "ladder", nullable=True)
    if menu is not None:
        _need(menu, "name", str, "ladder.menu")
        file = _need(menu, "file", str, "ladder.menu")
        if file not in files:
            raise BundleError(f"card field 'ladder.menu.file' names {file!r}, which is not in 'files'")


def validate_card(card: Any) -> dict:
    """Check a card against schema version 1; returns it, or raises ``BundleError`` naming the first bad field."""
    if not isinstance(card, Mapping):
        raise BundleError(f"the card must be a JSON object, got {type(card).__name__}")
    version = _need(card, "schema_version", int, "")
    if version != SCHEMA_VERSION:
        raise BundleError(
            f"card field 'schema_version' is {version}; this adtrigger reads version {SCHEMA_VERSION}: "
            "re-create the bundle with this version (adtrigger train/export/calibrate)"
        )
    _need(card, "name", str, "")
    if _need(card, "kind", str, "") not in KINDS:
        raise BundleError(f"card field 'kind' must be one of {KINDS}, got {card['kind']!r}")
    _need(card, "created", str, "")
    _check_input(_need(card, "input", dict, ""))
    _need(card, "preprocessing", dict, "")
    _check_score(_need(card, "score", dict, ""))
    fixed_point = _need(card, "fixed_point", dict, "", nullable=True)
    if fixed_point is not None:
        _check_fixed_type(_need(fixed_point, "score", dict, "fixed_point"), "fixed_point.score")
    files = _need(card, "files", dict, "")
    _check_files(files)
    thresholds = _need(card, "thresholds", dict, "")
    for name, th in thresholds.items():
        _check_threshold(name, th, fixed_point, files)
    if card.get("ladder") is not None:
        _check_ladder(card["ladder"], thresholds, fixed_point, files)
    active = _need(card, "active_threshold", str, "", nullable=True)
    if active is not None and active not in thresholds:
        raise BundleError(f"card field 'active_threshold' names {active!r}, which is not in 'thresholds'")
    for key in ("data", "code", "settings", "metrics"):
        _need(card, key, dict, "")
    return dict(card)
