"""Step 5, report: ``firmware/report.md`` and ``report.json`` from the tools' own outputs, and the card's summary.

Every number here is read from a tool or computed from its output (Yosys's JSON netlist, the timing estimate over it,
da4ml's metadata, hls4ml's layer types, the verification counts); the goals are the L1 budget: <= 50 ns port to port
at an estimated fmax that meets the clock, no DSP by design, LUTs (SRL and LUTRAM included) <= 1 % of a VU9P.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adtrigger.bundle import latent_score
from adtrigger.firmware import emulator, verify
from adtrigger.firmware.design import TriggerDesign

VU9P_LUTS = 1_182_240
GOALS = {"latency_ns": 50.0, "dsp": 0, "lut": 11_800}  # lut: 1 % of a VU9P, rounded down


def layer_types(hls_model: Any) -> list[dict]:
    """Per hls4ml layer: its class and the fixed-point types of its result, weights, biases and accumulator."""
    rows = []
    for layer in hls_model.get_layers():
        row = {"layer": layer.name, "class": layer.class_name}
        row["result"] = str(layer.get_output_variable().type.precision)
        for key, w in layer.weights.items():
            row[key] = str(w.type.precision)
        acc = layer.get_attr("accum_t")
        if acc is not None:
            row["accum"] = str(acc.precision)
        rows.append(row)
    return rows


def goals_met(summary: dict) -> dict[str, bool | None]:
    """Which of the L1 goals the build meets (None where the number was not measured): the latency counts only at a
    clock the estimated fmax meets, and "no DSP" is the count with Yosys free to map multipliers to DSPs."""
    rtl, syn = summary.get("rtl") or {}, summary.get("yosys") or {}
    tim = (rtl.get("vivado") or {}).get("timing") or rtl.get("timing") or {}  # Vivado's routed timing where it ran
    meets = None if "fmax_mhz" not in tim else tim["fmax_mhz"] >= 1e3 / rtl["clock_period_ns"]
    free = syn.get("without_nodsp") or {}
    return {
        "fmax>=clock": meets,
        "latency_ns<=50": None if meets is None else meets and rtl["latency_ns"] <= GOALS["latency_ns"],
        "dsp==0": None if "dsp" not in free else free["dsp"] == GOALS["dsp"],
        "lut<=11800": None if "lut" not in syn else syn["lut"] <= GOALS["lut"],
    }


def summary_of(design: TriggerDesign, settings: dict, rtl: dict | None, yosys: dict | None, verification: dict) -> dict:
    """The JSON summary (report.json, and the card's ``firmware`` field)."""
    out = {
        "namespace": design.namespace,
        "settings": settings,
        "threshold": design.threshold,
        "seeds": [{"bit": k, **seed} for k, seed in enumerate(design.seeds)],
        "active_seed": design.threshold["name"],
        "score_type": design.score_type,
        "score_definition": design.score_definition,
        "score_groups": latent_score.groups_to_json(design.score_groups),
        "rtl": rtl,
        "yosys": None if yosys is None else {k: v for k, v in yosys.items() if k != "cells"},
        "verification": {
            "n_events": verification["n_events"], "passed": verification["passed"],
            "references": verification["references"],
            "mismatches": {
                impl: {ref: c["score_mismatches"] + c["trigger_mismatches"] + c["overflow_mismatches"]
                       for ref, c in per_ref.items()}
                for impl, per_ref in verification["results"].items()
            },
            "seed_mismatches": {
                impl: {ref: c["seed_mismatches"] for ref, c in per_ref.items()}
                for impl, per_ref in verification["results"].items()
            },
            "threshold_events": verification.get("threshold_events"),
        },
    }  # fmt: skip
    out["goals"] = goals_met(out)
    return out


def _fmt_ns(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3g} ns"


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "**no**"
    return "n/a" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))


def _goal_rows(summary: dict, yosys: dict | None) -> list[str]:
    """The goals table: fmax against the clock, latency at that clock, DSPs by design, LUTs."""
    rtl, goals, syn = summary["rtl"] or {}, summary["goals"], yosys or {}
    tim = rtl.get("timing") or {}
    clock = f"{1e3 / rtl['clock_period_ns']:.1f} MHz" if rtl else "n/a"
    fmax = f"{tim['fmax_mhz']:.0f} MHz (worst stage {tim['min_period_ns']:.3f} ns)" if tim else "n/a"
    cycles = tim.get("latency_cycles", rtl.get("stages"))
    latency = f"{_fmt(cycles)} cycles x {rtl['clock_period_ns']:.4g} ns = {rtl['latency_ns']:.1f} ns" if rtl else "n/a"
    free = syn.get("without_nodsp") or {}
    dsp = f"{_fmt(free.get('dsp'))} (with `-nodsp`: {_fmt(syn.get('dsp'))})"
    return [
        f"| estimated fmax >= the clock ({clock}; estimate, not vendor timing) | {fmax} | "
        f"{_fmt(goals['fmax>=clock'])} |",
        f"| latency <= 50 ns port to port, at a clock the fmax meets | {latency} | "
        f"{_fmt(goals['latency_ns<=50'])} |",
        f"| 0 DSP by design (Yosys free to map DSPs) | {dsp} | {_fmt(goals['dsp==0'])} |",
        f"| LUT <= 11,800 (1 % of a VU9P; SRL and LUTRAM counted) | {_fmt(syn.get('lut'))} | "
        f"{_fmt(goals['lut<=11800'])} |",
    ]


def _timing_section(rtl: dict) -> list[str]:
    """The estimated timing per stage and the pipeline search's tries (docs/timing.md)."""
    tim = rtl.get("timing")
    if not tim:
        return []
    viv = (rtl.get("vivado") or {}).get("timing")
    lines = [
        "## Timing (estimate, not vendor timing)",
        "",
        f"Static timing of the Yosys netlist with the delay model `{tim['model']}` ({tim['part']}; per LUT level with "
        "its routed net, per carry element, register clock-to-out and setup, clock uncertainty; sources and limits "
        "in docs/timing.md). Where Vivado is on PATH the flow also runs its out-of-context synthesis, place and route "
        "(`firmware/tcl/vivado_ooc.tcl`) and the goals read that timing instead.",
        f"Port to port: {_fmt(tim['latency_cycles'])} register stages"
        + ("" if tim["latency_cycles"] == tim["latency_min_cycles"] else f" (shortest {tim['latency_min_cycles']})")
        + f"; slowest stage {tim['critical_stage']}; fmax {tim['fmax_mhz']:.0f} MHz.",
        "",
        *([f"Vivado out-of-context place and route (vendor timing, used for the goals): WNS {viv['wns_ns']:.3f} ns at "
           f"{rtl['clock_period_ns']:.4g} ns, fmax {viv['fmax_mhz']:.0f} MHz, {viv['failing_endpoints']} failing "
           "endpoints.", ""] if viv else []),
        "| stage | worst path ns | LUT levels | carry elements | muxes | endpoints | from | to |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for st in tim["stages"]:
        lines.append(f"| {st['stage']} | {st['delay_ns']:.3f} | {st['lut_levels']} | {st['carry_elements']} | "
                     f"{st['muxes']} | {st['endpoints']:,} | `{st['start']}` | `{st['end']}` |")  # fmt: skip
    tries = tim.get("tries") or []
    if tries:
        lines += ["", "Pipeline search (firmware/pipeline.py: the cut, in ns of modelled logic per stage, scaled until "
                  "the slowest stage fills the clock; the fewest stages that meet it):", "",
                  "| try | cut (ns) | da4ml stages | cycles port to port | worst stage ns | fmax MHz | meets | LUT |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        for k, tr in enumerate(tries, 1):
            lines.append(f"| {k} | {tr['latency_cutoff']:.3g} | {tr['stages']} | {_fmt(tr['cycles'])} | "
                         f"{tr['worst_stage_ns']:.3f} | {tr['fmax_mhz']:.0f} | {_fmt(tr['meets_clock'])} | "
                         f"{tr['lut']:,} |")  # fmt: skip
    return [*lines, ""]


def markdown(design: TriggerDesign, summary: dict, verification: dict, layers: list[dict], yosys: dict | None) -> str:
    """The human report."""
    s, rtl = summary["settings"], summary["rtl"] or {}
    lines = [
        f"# L1 firmware of `{design.name}`",
        "",
        f"Namespace and CMSSW model name `{design.namespace}` (the bundle name and `{design.content_hash}`, a hash of "
        f"what the firmware computes); inputs: {design.n_inputs} int16 L1 hardware counts (pT 0.25 GeV, eta/phi "
        f"2^-7; docs/firmware.md); outputs: score (on the card's score grid), a {design.n_seeds}-bit seed mask (one "
        "comparator per seed, bit k = seed k), the trigger bit (the active seed's), the overflow bit.",
        f"Seeds (from the {design.threshold_source}; active: `{design.threshold['name']}`); score type "
        f"`ap_ufixed<{design.score_type['width']},{design.score_type['integer']},AP_TRN,AP_SAT>`:",
        "",
        "| bit | seed | raw threshold | value (raw x 2^-f) | card score |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {k} | `{seed['name']}`{' (active)' if k == design.active_seed else ''} | {seed['raw']:,} | "
          f"{seed['value']:.10g} | {seed['score']:.10g} |" for k, seed in enumerate(design.seeds)),
        "",
        f"Score: `{design.score_definition}` over the {design.n_latent} latent means (the max over latent groups of "
        "each group's weight times its sum of squares, relu(mu) in one-sided groups, q<i>.<f> a saturating cast "
        "of mu onto i integer and f fraction bits; adtrigger.bundle.latent_score).",
        f"Settings: strategy `{s['strategy']}`, target clock {1e3 / s['clock_period_ns']:.1f} MHz "
        f"({s['clock_period_ns']:.4g} ns); pipeline cut at {_fmt_ns(rtl.get('latency_cutoff'))} of modelled logic "
        f"per stage ({'searched from the clock' if s['latency_cutoff'] is None else 'fixed on the command line'}; "
        "firmware/pipeline.py).",
        "",
        "## Goals",
        "",
        "| goal | measured | met |",
        "| --- | --- | --- |",
        *_goal_rows(summary, yosys),
        "",
        *_timing_section(rtl),
        "## Resources",
        "",
        "| source | LUT | FF | DSP | CARRY | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    if yosys is not None:
        lines.append(
            f"| `{yosys['tool']}` | {yosys['lut']:,} | {yosys['ff']:,} | {yosys['dsp']} | "
            f"{yosys['carry']:,} | {100 * yosys['lut'] / VU9P_LUTS:.2f} % of VU9P LUTs; {yosys['srl']:,} SRL and "
            f"{yosys['lutram']:,} LUTRAM included |"
        )
        free = yosys.get("without_nodsp")
        if free:
            lines.append(
                f"| `{free['tool']}` | {free['lut']:,} | {free['ff']:,} | {free['dsp']} | {free['carry']:,} | "
                "DSP mapping allowed: the DSP count with Yosys free to use them |"
            )
    if rtl:
        lines.append(
            f"| da4ml estimate | {rtl['da4ml_cost']:,.0f} | {rtl['reg_bits']:,} (register bits) | 0 | | "
            "da4ml's LUT-equivalent cost of the adders |"
        )
    if yosys is not None:
        cells = ", ".join(f"{k} {v:,}" for k, v in sorted(yosys["cells"].items()))
        lines += ["", f"Yosys cells: {cells}."]
    lines += ["", "## Bit widths per layer", "",
              "hls4ml's types after its bit-exact inference; HGQ2 learns widths per element, these are the widest.",
              ""]  # fmt: skip
    keys = ["layer", "class", "result", "weight", "bias", "accum"]
    lines += ["| " + " | ".join(keys) + " |", "|" + " --- |" * len(keys)]
    lines += ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in layers]
    extreme, beyond = verify.edge_counts(verification["n_events"])
    files = ", ".join(f"`{Path(f).name}`" for f in summary["settings"].get("verification_files", []))
    lines += ["", f"## Verification ({verification['n_events']:,} events from {files or 'the given files'}, in equal "
              f"shares; {extreme} with one object far above the SM tail, {beyond} pushed beyond the full scale)",
              ""]  # fmt: skip
    lines += ["| firmware | reference | score mismatches | seed mask mismatches | overflow mismatches | triggered "
              "(active seed) |",
              "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for impl, per_ref in verification["results"].items():
        for ref, c in per_ref.items():
            lines.append(
                f"| {impl} | {ref} | {c['score_mismatches']} | {c['trigger_mismatches']} | "
                f"{c['overflow_mismatches']} | {c['n_triggered']:,} |"
            )
    names = [seed["name"] for seed in design.seeds]
    lines += ["", "Per seed (bit k against `adtrigger.bundle.ladder.seed_bits` of the reference score): mismatches / "
              "accepted events.", "",
              "| firmware | reference | " + " | ".join(f"`{n}`" for n in names) + " |",
              "|" + " --- |" * (2 + len(names))]  # fmt: skip
    for impl, per_ref in verification["results"].items():
        for ref, c in per_ref.items():
            cells = [f"{c['seed_mismatches'][n]} / {c['seed_accepted'][n]:,}" for n in names]
            lines.append(f"| {impl} | {ref} | " + " | ".join(cells) + " |")
    edges = verification.get("threshold_events") or []
    if edges:
        lines += ["", "Events at the comparators' edges (Keras score on the grid; `adtrigger.firmware.verify."
                  "add_threshold_events`): per seed, events exactly at its raw threshold, at the highest raw below it "
                  "that the score's grid lets an event have (raw - 1 where reachable), and at the highest raw below "
                  "it among the events.", "",
                  "| seed | raw | events at raw | highest reachable below | events there | highest below in events "
                  "| events there |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for e in edges:
            lines.append(f"| `{e['name']}` | {e['raw']:,} | {e['n_at']} | {_fmt(e['below'])} | {e['n_below']} | "
                         f"{_fmt(e['nearest_below'])} | {e['n_nearest_below']} |")
    if "keras_vs_onnx_score_mismatches" in verification:
        lines.append(f"\nKeras vs ONNX float scores: {verification['keras_vs_onnx_score_mismatches']} mismatches.")
    if any(g.clipped for g in design.score_groups):
        lines.append(f"\nEvents inside the full scale whose mu saturates a group's cast (above the SM tail): "
                     f"{verification.get('n_saturated', 0):,}.")  # fmt: skip
    lines += [
        "",
        f"Result: **{'PASSED' if verification['passed'] else 'FAILED'}** (identical scores, seed bits and overflow "
        "bits).",
        "",
        "## Files",
        "",
        "- `hls/`: hls4ml project; `vitis_hls -f build_trigger.tcl` runs C simulation, C synthesis, co-simulation and "
        "IP export of the trigger top (each switchable, `csim=0 cosim=0 ...`); the test bench checks every event of "
        "`tb/hw_inputs.dat` against `tb/expected.dat` and fails on a mismatch (`build_prj.tcl`: the encoder alone, "
        "as hls4ml writes it).",
        "- `rtl/`: da4ml Verilog (`src/`), `netlist.json` and `yosys.log` (Yosys), Vivado script "
        "`build_vivado_prj.tcl`.",
        f"- `emulator/`: `{emulator.library_name(design.namespace)}` and `{design.namespace}_emulator.h`: the "
        "`hls4mlEmulator::Model` CMSSW loads (`create_model`/`destroy_model`).",
        "- `manifest.json`: tool versions and the SHA-256 of every generated file (kept in git with the reports; "
        "the rest is rebuilt by `adtrigger firmware`).",
        "",
    ]
    return "\n".join(lines)


def write_report(out: Path, design: TriggerDesign, summary: dict, verification: dict, layers: list[dict],
                 yosys: dict | None) -> None:  # fmt: skip
    """``report.md`` and ``report.json`` (summary, full verification counts, layer types) into ``out``."""
    (out / "report.md").write_text(markdown(design, summary, verification, layers, yosys))
    full = {**summary, "verification_detail": verification, "layers": layers, "yosys_cells": (yosys or {}).get("cells")}
    (out / "report.json").write_text(json.dumps(full, indent=1, default=str))
