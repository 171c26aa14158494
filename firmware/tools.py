"""The external tools of the flow (g++, verilator, yosys): found or refused with what to install, and run."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from adtrigger.firmware.design import FirmwareError

INSTALL = {
    "g++": "install a C++ compiler (Debian/Ubuntu: apt-get install g++)",
    "verilator": "install Verilator (Debian/Ubuntu: apt-get install verilator)",
    "yosys": "install Yosys (Debian/Ubuntu: apt-get install yosys)",
    "make": "install make (Debian/Ubuntu: apt-get install make)",
}


def require(*tools: str) -> None:
    """FirmwareError naming the first missing tool and how to install it."""
    for tool in tools:
        if shutil.which(tool) is None:
            raise FirmwareError(f"{tool} not found on PATH: {INSTALL.get(tool, 'install it')}")


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
