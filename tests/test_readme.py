"""The README's how-to blocks run as written, in order, in a fresh copy of the checkout, and leave models/ as committed.

A copy (every tracked and untracked-not-ignored file, committed into a new git repository, the shared folder linked
beside it) is what a new user's clone looks like; after each block ``git status -- models/`` must be empty, so no
example writes into the committed embedded bundle. Blocks preceded by ``<!-- not run by tests -->`` (the hour-long
regeneration of the reference stream) are only checked to be there.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from adtrigger.refdata import refstream_missing

ROOT = Path(__file__).resolve().parents[1]
SKIP_MARK = "<!-- not run by tests -->"
FENCE = re.compile(r"^```(bash|python)\n(.*?)^```", re.S | re.M)

pytestmark = pytest.mark.slow


def howto_blocks(readme: str) -> list[tuple[str, str, bool]]:
    """(language, code, run) of every bash/python block from the how-to section to the documentation list."""
    start, end = readme.index("## How-to, in order"), readme.index("## Documentation")
    section = readme[start:end]
    blocks = []
    for m in FENCE.finditer(section):
        before = section[: m.start()].rstrip().splitlines()[-1:] or [""]
        blocks.append((m[1], m[2], before[0].strip() != SKIP_MARK))
    return blocks


def test_readme_opens_with_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    first = FENCE.search(readme)
    assert first is not None and first[2].splitlines() == [
        "bash scripts/install && adtrigger demo",
        "bash scripts/install && python3 -m pytest -q",
    ]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "\nbash scripts/install && python3 -m pytest -q\n" in ci  # CI runs the README's own line


def _fresh_copy(tmp: Path) -> Path:
    """The checkout as a new clone: tracked and new files, in a git repository of their own, shared/ beside it."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")  # fmt: skip
    repo = tmp / "repo"
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / name)
    if (ROOT.parent / "shared").is_dir():
        (tmp / "shared").symlink_to(ROOT.parent / "shared")
    git = ["git", "-c", "user.name=readme", "-c", "user.email=readme@test", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "clone"], cwd=repo, check=True)
    return repo


def _run_block(lang: str, code: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """One block in its own session, so servers it leaves behind after a failure are ended with it."""
    cmd = ["bash", "-euo", "pipefail", "-c", code] if lang == "bash" else [sys.executable, "-c", code]
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # fmt: skip
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        out = "(timed out)"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, "")


def test_every_howto_block_runs_in_order_and_leaves_models_clean(tmp_path):
    if (why := refstream_missing()) is not None:
        pytest.skip(why)
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", 8000)) != 0, "port 8000 is taken: the README's serve blocks need it"
    blocks = howto_blocks((ROOT / "README.md").read_text())
    assert sum(run for *_, run in blocks) >= 10 and not all(run for *_, run in blocks)
    repo = _fresh_copy(tmp_path)
    for i, (lang, code, run) in enumerate(blocks):
        if not run:
            continue
        done = _run_block(lang, code, repo, timeout=900)
        tail = "\n".join(done.stdout.splitlines()[-40:])
        assert done.returncode == 0, f"README block {i} failed ({done.returncode}):\n{code}\n--- output ---\n{tail}"
        status = subprocess.run(["git", "status", "--porcelain", "--", "models/"], cwd=repo, check=True,
                                capture_output=True, text=True).stdout  # fmt: skip
        assert status == "", f"README block {i} changed models/:\n{status}\n{code}"
    howto = repo / "runs" / "howto"
    for made in ("sm.h5", "zprime.h5", "sanity.png", "models/l1_vae_quick/evaluation/table.md",
                 "models/hlt_vae_demo/bundle.json", "l1_vae_refstream/model.onnx", "qcd_dask.h5",
                 "l1_vae_refstream/firmware/report.md"):  # fmt: skip
        assert (howto / made).is_file(), made
