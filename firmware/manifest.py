"""``firmware/manifest.json``: what a firmware build was made with and what it made, kept in git when the build is not.

The generated trees (hls4ml project, Verilog, emulator library) are build outputs that ``adtrigger firmware``
rebuilds; the manifest records the tool versions and the SHA-256 of every generated file, so a rebuild on another
machine can be compared file by file with the one that the committed report describes.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

MANIFEST = "manifest.json"
KEPT = ("report.md", "report.json", MANIFEST)  # what git keeps of firmware/: the rest is rebuilt
PACKAGES = ("hls4ml", "da4ml", "hgq2", "keras", "torch", "numpy")
TOOLS = {"g++": ["g++", "--version"], "verilator": ["verilator", "--version"], "yosys": ["yosys", "-V"]}


def tool_versions() -> dict[str, str | None]:
    """The first line each external tool prints for its version, and the Python packages' versions."""
    out: dict[str, str | None] = {}
    for name, cmd in TOOLS.items():
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            out[name] = (r.stdout or r.stderr).strip().splitlines()[0] if r.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired, IndexError):
            out[name] = None
    for pkg in PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    out["python"] = platform.python_version()
    return out


def file_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` but the kept reports, by path relative to it (sorted)."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not p.is_symlink() and rel not in KEPT:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def write_manifest(root: Path, design: dict, settings: dict) -> dict:
    """Write ``root/manifest.json``: the design's identity, the flow's settings, tool versions, file hashes."""
    manifest = {
        "design": design,
        "settings": settings,
        "tools": tool_versions(),
        "files": file_hashes(root),
    }
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n")
    return manifest
