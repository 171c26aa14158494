"""The lock agrees with pyproject.toml, and the check that CI runs catches each way the two can drift apart."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "lock.py"


def _check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--check", "--root", str(root)], capture_output=True,
                          text=True)  # fmt: skip


def _copy(tmp_path: Path) -> Path:
    for name in ("pyproject.toml", "requirements-lock.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_committed_lock_agrees_and_is_hashed():
    done = _check(ROOT)
    assert done.returncode == 0, done.stderr
    text = (ROOT / "requirements-lock.txt").read_text()
    assert "torch==2.13.0+cpu" in text and "file://" not in text and "/work/" not in text


def test_check_fails_on_a_new_dependency(tmp_path):
    root = _copy(tmp_path)
    py = root / "pyproject.toml"
    py.write_text(py.read_text().replace('"pyyaml>=6",', '"pyyaml>=6",\n    "not-a-locked-package>=1",'))
    done = _check(root)
    assert done.returncode == 1
    assert "dependencies changed" in done.stderr and "not-a-locked-package>=1 is not in the lock" in done.stderr


def test_check_fails_on_a_pin_outside_its_range(tmp_path):
    root = _copy(tmp_path)
    lock = root / "requirements-lock.txt"
    text = lock.read_text()
    pinned = next(line for line in text.splitlines() if line.startswith("numpy=="))
    lock.write_text(text.replace(pinned, "numpy==1.26.4 \\\\"))
    done = _check(root)
    assert done.returncode == 1 and "numpy>=2.0 is not satisfied by the locked numpy==1.26.4" in done.stderr


def test_check_fails_on_a_pin_without_hash(tmp_path):
    root = _copy(tmp_path)
    lock = root / "requirements-lock.txt"
    lock.write_text(lock.read_text() + "\nextra-package==1.0\n")
    done = _check(root)
    assert done.returncode == 1 and "pins have no sha256 hash" in done.stderr
