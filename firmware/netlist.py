"""The synthesized design as Yosys wrote it (``write_json``): cells, ports, nets by bit id, and resource counts.

Counting comes from the netlist, not from the text of a ``stat`` log, so a run that wrote no netlist is an error
instead of a design of 0 LUTs. The JSON holds one module per library cell as well (blackboxes); only ``top`` is read.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from adtrigger.firmware.design import FirmwareError

Bit = int | str  # a net bit id, or a constant "0" / "1" / "x" / "z"

# LUTs as the L1 budget counts them (Vivado's "CLB LUTs"): logic, shift registers (SRL) and distributed RAM; RAMB is
# block RAM. The LUTs of one LUTRAM primitive, from its depth x width at 64 bits per LUT (32 x 2 for RAM32*),
# as UG574 (UltraScale CLB, "Distributed RAM") and UG974 (the primitives) describe them.
LUTRAM_LUTS = {
    "RAM32X1S": 1, "RAM32X1D": 2, "RAM32M": 4, "RAM32M16": 8, "RAM32X16DR8": 8,
    "RAM64X1S": 1, "RAM64X1D": 2, "RAM64M": 4, "RAM64M8": 8, "RAM64X8SW": 8,
    "RAM128X1S": 2, "RAM128X1D": 4, "RAM256X1S": 4, "RAM256X1D": 8, "RAM512X1S": 8,
}  # fmt: skip
LOGIC_LUT = re.compile(r"^LUT[1-6](_2)?$")
SRL = re.compile(r"^SRLC?(16|32)E?$")
LUTRAM = re.compile(r"^RAM(?!B)\w+$")
FF = re.compile(r"^(FD\w*|LD[CP]E)$")  # flip-flops and latches: Vivado's "CLB Registers"
DSP = re.compile(r"^DSP\w*$")
CARRY = re.compile(r"^CARRY[48]$")
BRAM = re.compile(r"^RAMB\w+$")


@dataclass(frozen=True)
class Cell:
    """One instance: its library type and, per port, the net bits (LSB first) and the direction."""

    name: str
    type: str
    pins: dict[str, list[Bit]]
    directions: dict[str, str]

    def outputs(self) -> list[str]:
        return [p for p, d in self.directions.items() if d == "output"]


@dataclass
class Netlist:
    """The flattened top module."""

    path: Path
    top: str
    cells: list[Cell]
    ports: dict[str, tuple[str, list[Bit]]]  # name -> (direction, bits)
    netnames: dict[str, tuple[bool, list[Bit]]] = field(repr=False)  # name -> (hidden, bits)

    def by_type(self) -> dict[str, int]:
        """{cell type: count}, most frequent first."""
        return dict(Counter(c.type for c in self.cells).most_common())

    @cached_property
    def drivers(self) -> dict[int, tuple[int, str, int]]:
        """bit -> (cell index, output port, position) of the cell that drives it."""
        out: dict[int, tuple[int, str, int]] = {}
        for i, cell in enumerate(self.cells):
            for pin in cell.outputs():
                for k, bit in enumerate(cell.pins[pin]):
                    if isinstance(bit, int):
                        out[bit] = (i, pin, k)
        return out

    def bit_names(self, bits: set[int]) -> dict[int, str]:
        """A readable name per bit: a public net (fewest hierarchy dots) before a Yosys-generated one."""
        best: dict[int, tuple[tuple[bool, int, int], str]] = {}
        for name, (hidden, nbits) in self.netnames.items():
            for k, bit in enumerate(nbits):
                if bit in bits:
                    label = name if len(nbits) == 1 else f"{name}[{k}]"
                    key = (hidden, name.count("."), len(label))
                    if bit not in best or key < best[bit][0]:
                        best[bit] = (key, label)
        return {bit: label for bit, (_, label) in best.items()}


def load_netlist(path: Path | str, top: str = "trigger") -> Netlist:
    """Read Yosys's ``write_json`` of a flattened design; FirmwareError when the file, the module or its cells are
    missing (Yosys failed, or synthesized nothing)."""
    path = Path(path)
    if not path.is_file():
        raise FirmwareError(f"Yosys wrote no netlist/statistics: {path} does not exist (did `write_json` run?)")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise FirmwareError(f"Yosys wrote no netlist/statistics: {path} is not JSON ({err})") from None
    modules = data.get("modules") if isinstance(data, dict) else None
    modules = {n: m for n, m in (modules or {}).items() if not m.get("attributes", {}).get("blackbox")}
    if top not in modules:  # a library cell, or an empty module Yosys kept as a blackbox, is not a netlist
        raise FirmwareError(
            f"Yosys wrote no netlist/statistics for module {top!r} in {path} (modules: {sorted(modules)})"
        )
    module = modules[top]
    cells = [
        Cell(name, c["type"], c.get("connections", {}), c.get("port_directions", {}))
        for name, c in module.get("cells", {}).items()
    ]
    if not cells:
        raise FirmwareError(f"Yosys wrote no netlist/statistics: module {top!r} in {path} has no cells")
    ports = {name: (p["direction"], p["bits"]) for name, p in module.get("ports", {}).items()}
    netnames = {name: (bool(n.get("hide_name")), n["bits"]) for name, n in module.get("netnames", {}).items()}
    return Netlist(path=path, top=top, cells=cells, ports=ports, netnames=netnames)


def lut_count(cell_type: str) -> int:
    """LUT sites one cell occupies (0 for a cell that is not a LUT)."""
    if LOGIC_LUT.match(cell_type) or SRL.match(cell_type):
        return 1
    if LUTRAM.match(cell_type):
        return LUTRAM_LUTS.get(cell_type, 1)  # an older family's RAM16X*: one LUT per cell
    return 0


def resources(netlist: Netlist) -> dict:
    """Resource counts of the netlist: ``lut`` (LUT sites: logic + SRL + LUTRAM), ``ff``, ``dsp``, ``carry`` (cells),
    ``bram``, ``srl`` (LUTs as shift register), ``lutram`` (LUTs as distributed RAM) and ``cells`` {type: count}.
    A LUT6_2 or two LUT5 that Vivado packs into one site count as Yosys wrote them, so ``lut`` is an upper bound."""
    cells = netlist.by_type()

    def total(rx: re.Pattern) -> int:
        return sum(n for t, n in cells.items() if rx.match(t))

    return {
        "lut": sum(lut_count(t) * n for t, n in cells.items()),
        "ff": total(FF),
        "dsp": total(DSP),
        "carry": total(CARRY),
        "bram": total(BRAM),
        "srl": total(SRL),
        "lutram": sum(lut_count(t) * n for t, n in cells.items() if LUTRAM.match(t)),
        "cells": cells,
    }
