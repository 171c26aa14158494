"""The external tools of the flow (g++, make, verilator, yosys): found or refused with what to install, and run."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from adtrigger.firmware.design import FirmwareError

# the Debian/Ubuntu package that provides each tool
INSTALL = {"g++": "g++", "make": "make", "ar": "binutils", "verilator": "verilator", "yosys": "yosys"}


def missing(*tools: str) -> list[str]:
    """The tools not on PATH, in the order given: a job checks them all before it starts, not one by one."""
    return [tool for tool in tools if shutil.which(tool) is None]


def install_command(tools: Sequence[str]) -> str:
    """One apt-get line that installs these tools."""
    return "apt-get install " + " ".join(dict.fromkeys(INSTALL.get(tool, tool) for tool in tools))


def require(*tools: str) -> None:
    """FirmwareError naming every missing tool and how to install them."""
    absent = missing(*tools)
    if absent:
        raise FirmwareError(f"{', '.join(absent)} not found on PATH (Debian/Ubuntu: {install_command(absent)})")


def run_tool(args: Sequence[str], *, cwd: Path, what: str, timeout: float = 3600) -> str:
    """Run a tool; FirmwareError with the tail of its output when it fails. Returns stdout."""
    require(args[0])
    try:
        r = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise FirmwareError(f"{what} ({args[0]}) ran longer than {timeout:.0f} s") from None
    if r.returncode != 0:
        tail = "\n".join((r.stdout + r.stderr).strip().splitlines()[-15:])
        raise FirmwareError(f"{what} failed ({' '.join(args[:3])} ... exit {r.returncode}):\n{tail}")
    return r.stdout
