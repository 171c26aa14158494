#!/usr/bin/env python3
"""The locked dependency set: refresh ``requirements-lock.txt`` from pyproject.toml, or check the two agree.

    python3 scripts/lock.py              # re-resolve, keeping pins that still satisfy pyproject.toml
    python3 scripts/lock.py --upgrade    # re-resolve everything to the newest allowed releases
    python3 scripts/lock.py --check      # CI: exit 1 when pyproject.toml and the lock disagree

The lock is every package of every extra (``.[dev]`` pulls in all of them) with sha256 hashes, resolved by pip-tools
with pip itself, so it sees the same indexes and wheel folders as ``pip install`` (uv would not see a local wheel of
the CPU build of torch). It is resolved for CPython 3.11 on Linux x86_64. Its header records a hash of the dependency
tables of pyproject.toml: any edit there needs a refresh, and ``--check`` also proves each pin satisfies its range.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
LOCK_NAME = "requirements-lock.txt"
PYPROJECT, LOCK = ROOT / "pyproject.toml", ROOT / LOCK_NAME  # --root points both elsewhere (tests)
HASH_LINE = "# pyproject-dependencies-sha256: "
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def project_requirements() -> tuple[str, list[Requirement]]:
    """The project's name and every requirement of its core list and extras (self-references left out)."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    lines = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    reqs = [Requirement(line) for line in lines]
    name = canonicalize_name(project["name"])
    return name, [r for r in reqs if canonicalize_name(r.name) != name]


def dependencies_hash() -> str:
    """sha256 of the dependency tables as data (comments and formatting of pyproject.toml do not count)."""
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    tables = {"dependencies": project.get("dependencies", []), "extras": project.get("optional-dependencies", {}),
              "python": project.get("requires-python")}  # fmt: skip
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def locked_pins(text: str) -> dict[str, Version]:
    """name -> pinned version of every package in the lock."""
    return {canonicalize_name(m[1]): Version(m[2]) for line in text.splitlines() if (m := PIN.match(line))}


def check() -> list[str]:
    """What disagrees between pyproject.toml and the lock; empty when they agree."""
    if not LOCK.is_file():
        return [f"{LOCK.name} is missing: run python3 scripts/lock.py"]
    text = LOCK.read_text()
    problems = []
    if HASH_LINE + dependencies_hash() not in text:
        problems.append("pyproject.toml's dependencies changed since the lock was made: run python3 scripts/lock.py")
    pins = locked_pins(text)
    _, reqs = project_requirements()
    for req in reqs:
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        pinned = pins.get(canonicalize_name(req.name))
        if pinned is None:
            problems.append(f"{req} is not in the lock")
        elif not req.specifier.contains(pinned, prereleases=True):
            problems.append(f"{req} is not satisfied by the locked {req.name}=={pinned}")
    hashed = re.findall(r"(?m)^\S+==\S+ \\\n\s+--hash=sha256:", text)
    if len(hashed) != len(pins):
        problems.append(f"{len(pins) - len(hashed)} of {len(pins)} pins have no sha256 hash: refresh the lock")
    return problems


def refresh(upgrade: bool) -> None:
    """Resolve with pip-compile into the lock: hashes, pip and setuptools pinned too, no machine-specific lines."""
    name, _ = project_requirements()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lock.txt"
        if LOCK.is_file() and not upgrade:
            out.write_text(LOCK.read_text())  # pip-compile keeps the pins that still satisfy
        cmd = [sys.executable, "-m", "piptools", "compile", "--quiet", "--generate-hashes", "--allow-unsafe",
               "--no-emit-index-url", "--no-emit-find-links", "--no-emit-trusted-host", "--strip-extras",
               "--extra", "dev", "--output-file", str(out), str(PYPROJECT)]  # fmt: skip
        if upgrade:
            cmd.append("--upgrade")
        subprocess.run(cmd, check=True, cwd=ROOT)
        body = out.read_text()
    # pip-compile writes the project itself (the dev extra names its other extras) as an unhashable file:// line.
    body = re.sub(rf"(?m)^# WARNING: pip install will require.*\n(?:#.*\n)?{name}\b.*\n(?:    #.*\n)*", "", body)
    body = body.replace(f"({PYPROJECT})", "(pyproject.toml)")
    body = re.sub(r"(?m)^#\n# This file is autogenerated by pip-compile.*\n(?:#.*\n)*", "", body)
    header = (
        "# The locked dependency set of every extra, with hashes (CPython 3.11, Linux x86_64).\n"
        "# Made by `python3 scripts/lock.py` from pyproject.toml; install with scripts/install. Do not edit by hand.\n"
        f"{HASH_LINE}{dependencies_hash()}\n\n"
    )
    LOCK.write_text(header + body.lstrip("\n"))
    print(f"wrote {LOCK.relative_to(ROOT)}: {len(locked_pins(body))} packages")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check that pyproject.toml and the lock agree")
    parser.add_argument("--upgrade", action="store_true", help="re-resolve every package to its newest release")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project folder (default: this checkout)")
    args = parser.parse_args()
    global PYPROJECT, LOCK
    PYPROJECT, LOCK = args.root / "pyproject.toml", args.root / LOCK_NAME
    if args.check:
        problems = check()
        for p in problems:
            print(f"{LOCK_NAME}: {p}", file=sys.stderr)
        if not problems:
            print(f"{LOCK_NAME} agrees with pyproject.toml ({len(locked_pins(LOCK.read_text()))} packages)")
        return 1 if problems else 0
    refresh(args.upgrade)
    return 0


if __name__ == "__main__":
    sys.exit(main())
