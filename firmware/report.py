"""Step 5, report: ``firmware/report.md`` and ``report.json`` from the tools' own outputs, and the card's summary.

Every number here is read from a tool (Yosys ``stat``, da4ml's metadata, hls4ml's layer types, the verification
counts); the goals are the L1 budget of the issue: latency <= 50 ns, no DSP, LUTs <= 1 % of a VU9P.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from adtrigger.bundle import latent_score
from adtrigger.firmware import verify
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
    """Which of the L1 goals the build meets (None where the number was not measured)."""
    rtl, syn = summary.get("rtl") or {}, summary.get("yosys") or {}
    return {
        "latency_ns<=50": None if "latency_ns" not in rtl else rtl["latency_ns"] <= GOALS["latency_ns"],
        "dsp==0": None if "dsp" not in syn else syn["dsp"] == GOALS["dsp"],
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


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "**no**"
    return "n/a" if v is None else (f"{v:,}" if isinstance(v, int) else str(v))


def markdown(design: TriggerDesign, summary: dict, verification: dict, layers: list[dict], yosys: dict | None) -> str:
    """The human report."""
    s, rtl = summary["settings"], summary["rtl"] or {}
    lines = [
        f"# L1 firmware of `{design.name}`",
        "",
        f"Namespace `{design.namespace}`; inputs: 57 int16 L1 hardware counts (pT 0.25 GeV, eta/phi 2^-7; "
        f"docs/firmware.md); outputs: score (on the card's score grid), a {design.n_seeds}-bit seed mask (one "
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
        f"Settings: strategy `{s['strategy']}`, clock {s['clock_period_ns']} ns, da4ml latency cutoff "
        f"{s['latency_cutoff']}.",
        "",
        "## Goals",
        "",
        "| goal | measured | met |",
        "| --- | --- | --- |",
        f"| latency <= 50 ns (stages x clock) | {_fmt(rtl.get('stages'))} stages = {_fmt(rtl.get('latency_ns'))} ns "
        f"| {_fmt(summary['goals']['latency_ns<=50'])} |",
        f"| 0 DSP (Yosys) | {_fmt((yosys or {}).get('dsp'))} | {_fmt(summary['goals']['dsp==0'])} |",
        f"| LUT <= 11,800 (1 % of a VU9P, Yosys) | {_fmt((yosys or {}).get('lut'))} | "
        f"{_fmt(summary['goals']['lut<=11800'])} |",
        "",
        "## Resources",
        "",
        "| source | LUT | FF | DSP | CARRY | note |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    if yosys is not None:
        lines.append(
            f"| `{yosys['tool']}` | {yosys['lut']:,} | {yosys['ff']:,} | {yosys['dsp']} | "
            f"{yosys['carry']:,} | {100 * yosys['lut'] / VU9P_LUTS:.2f} % of VU9P LUTs |"
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
    lines += ["", f"## Verification ({verification['n_events']:,} events, refstream-v1 SM and signals, "
              f"{extreme} with one object far above the SM tail, {beyond} pushed beyond the full scale)",
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
        "- `hls/`: hls4ml project; `vitis_hls -f build_trigger.tcl` runs C simulation and synthesis of the trigger "
        "top (`build_prj.tcl`: the encoder alone, as hls4ml writes it).",
        "- `rtl/`: da4ml Verilog (`src/`), Vivado script `build_vivado_prj.tcl`, `yosys.log`.",
        f"- `emulator/`: `lib{design.namespace}_emulator.so` and `{design.namespace}_emulator.h` (CMSSW-style).",
        "",
    ]
    return "\n".join(lines)


def write_report(out: Path, design: TriggerDesign, summary: dict, verification: dict, layers: list[dict],
                 yosys: dict | None) -> None:  # fmt: skip
    """``report.md`` and ``report.json`` (summary, full verification counts, layer types) into ``out``."""
    (out / "report.md").write_text(markdown(design, summary, verification, layers, yosys))
    full = {**summary, "verification_detail": verification, "layers": layers, "yosys_cells": (yosys or {}).get("cells")}
    (out / "report.json").write_text(json.dumps(full, indent=1, default=str))
