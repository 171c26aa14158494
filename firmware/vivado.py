"""Vendor timing where Vivado is installed: out-of-context synthesis, place and route of the RTL
(``tcl/vivado_ooc.tcl``), and readers of the timing-summary and utilization reports it writes.

The estimate of :mod:`firmware.timing` stands in for this on machines without Vivado; a report shows this one instead
when it exists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from adtrigger.firmware.design import FirmwareError

OOC_TCL = Path(__file__).parent / "tcl" / "vivado_ooc.tcl"
NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)"


def available() -> bool:
    """Whether ``vivado`` is on PATH."""
    return shutil.which("vivado") is not None


def run_ooc(
    rtl_dir: Path, sources: Sequence[str | Path], top: str, part: str, period: float, *, clock: str = "clk",
    timeout: float = 4 * 3600,
) -> dict:  # fmt: skip
    """Synthesize, place and route ``top`` out of context at ``period`` ns; the parsed reports and their paths.
    ``sources`` are relative to ``rtl_dir`` (or absolute); the reports go to ``rtl_dir/vivado``."""
    if not available():
        raise FirmwareError("vivado not found on PATH: install AMD Vivado (a vendor tool) or read the estimate")
    rtl_dir = Path(rtl_dir)
    out = rtl_dir / "vivado"
    args = ["vivado", "-mode", "batch", "-nojournal", "-log", str(out / "vivado.log"), "-source", str(OOC_TCL),
            "-tclargs", str(out), top, part, f"{period:g}", clock, *map(str, sources)]  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    try:
        r = subprocess.run(args, cwd=rtl_dir, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise FirmwareError(f"Vivado ran longer than {timeout:.0f} s on {rtl_dir}") from None
    if r.returncode != 0:
        tail = "\n".join((r.stdout + r.stderr).strip().splitlines()[-15:])
        raise FirmwareError(
            f"Vivado out-of-context run failed (exit {r.returncode}, see {out / 'vivado.log'}):\n{tail}"
        )
    timing, util = out / "timing_summary.rpt", out / "utilization.rpt"
    for rpt in (timing, util):
        if not rpt.is_file():
            raise FirmwareError(f"Vivado wrote no {rpt.name} in {out}")
    return {
        "tool": "vivado", "part": part, "clock_period_ns": period,
        "timing": parse_timing_summary(timing.read_text()), "utilization": parse_utilization(util.read_text()),
        "reports": {"timing_summary": str(timing), "utilization": str(util), "paths": str(out / "timing_paths.rpt")},
    }  # fmt: skip


def parse_timing_summary(text: str) -> dict:
    """``report_timing_summary``: {wns_ns, tns_ns, whs_ns, failing_endpoints, total_endpoints, clock_period_ns,
    fmax_mhz}, fmax = 1000 / (period - WNS) of the first clock. FirmwareError without the "Design Timing Summary"
    table or a constrained clock."""
    section = text.find("Design Timing Summary")
    if section < 0:
        raise FirmwareError("not a Vivado timing summary: no 'Design Timing Summary' table")
    lines = text[section:].splitlines()
    head = next((k for k, line in enumerate(lines) if "WNS(ns)" in line and "TNS(ns)" in line), None)
    if head is None or head + 2 >= len(lines):
        raise FirmwareError("Vivado timing summary without its WNS/TNS header")
    values = lines[head + 2].split()
    if len(values) < 6 or values[0] in ("NA", "inf"):
        raise FirmwareError(f"Vivado timing summary has no constrained clock (row: {lines[head + 2].strip()!r})")
    try:
        wns, tns, failing, total, whs = float(values[0]), float(values[1]), int(values[2]), int(values[3]), float(
            values[4])  # fmt: skip
    except ValueError:
        raise FirmwareError(f"Vivado timing summary row is not numbers: {lines[head + 2].strip()!r}") from None
    clock = re.search(rf"^Clock\s+Waveform\(ns\)\s+Period\(ns\).*\n-+.*\n(\S+)\s+\{{[^}}]*\}}\s+({NUMBER})", text, re.M)
    if clock is None:
        raise FirmwareError("Vivado timing summary has no 'Clock Summary' table with a period")
    period = float(clock.group(2))
    return {
        "wns_ns": wns, "tns_ns": tns, "whs_ns": whs, "failing_endpoints": failing, "total_endpoints": total,
        "clock": clock.group(1), "clock_period_ns": period, "fmax_mhz": 1000.0 / (period - wns),
    }  # fmt: skip


def parse_utilization(text: str) -> dict:
    """``report_utilization`` (UltraScale "CLB ..." or 7-series "Slice ..." rows): {lut, ff, dsp, carry, bram, srl,
    lutram}; FirmwareError when the LUT row is not there."""

    def row(*labels: str) -> float | None:
        for label in labels:
            m = re.search(rf"^\|\s*{label}\*?\s*\|\s*({NUMBER})\s*\|", text, re.M)
            if m:
                return float(m.group(1))
        return None

    lut = row("CLB LUTs", "Slice LUTs")
    if lut is None:
        raise FirmwareError("not a Vivado utilization report: no 'CLB LUTs' / 'Slice LUTs' row")
    memory = row("LUT as Memory")
    srl, lutram = row("LUT as Shift Register"), row("LUT as Distributed RAM")
    if memory == 0:
        srl, lutram = srl or 0, lutram or 0
    bram = row("Block RAM Tile")
    return {
        "lut": int(lut), "ff": int(row("CLB Registers", "Slice Registers") or 0), "dsp": int(row("DSPs") or 0),
        "carry": int(row("CARRY8", "CARRY4") or 0), "bram": bram or 0.0,
        "srl": None if srl is None else int(srl), "lutram": None if lutram is None else int(lutram),
    }  # fmt: skip
