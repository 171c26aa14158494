"""The ``adtrigger`` command line: one subcommand per job, each importing its part lazily.

Lazy imports keep ``adtrigger --help`` instant and keep heavy stacks (Pythia, torch) out of jobs that do not
need them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from adtrigger.main_job import MainJobSettings  # standard library only at import time

# Plain click help, not typer's Rich panels: typer 0.29 (which vendors its own click as typer._click; the click
# package is not used) fills the Rich panel's type column from display_type_rich() for every option, flags included,
# so every flag read `--force <bool>`; the plain formatter skips the type of flags (TyperOption.get_help_record).
app = typer.Typer(
    name="adtrigger",
    help="Trigger anomaly detection: SM streams, quantized VAEs, thresholds, ONNX and FPGA firmware.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _fail(message: str) -> typer.Exit:
    """Print a one-line error and return the exit to raise (status 2)."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=2)


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", "-o", help="output file: .h5 (public layout) or .parquet")],
    process: Annotated[
        str | None,
        typer.Option("--process", "-p", help="built-in process: W, Z, ttbar, QCD, A4l, LQ, h0, hplus, MinBias (ZB)"),
    ] = None,
    card: Annotated[Path | None, typer.Option("--card", help="a Pythia command file to use as the process")] = None,
    name: Annotated[str | None, typer.Option(help="process name for --card (default: the card's file stem)")] = None,
    events: Annotated[int, typer.Option("--events", "-n", help="events (with --pileup: crossings) to write")] = 1000,
    seed: Annotated[int, typer.Option(help="run seed; shard i uses Pythia seed seed*1000+i+1")] = 1,
    shard_events: Annotated[int, typer.Option(help="preselected events per shard")] = 2000,
    workers: Annotated[int | None, typer.Option(help="local Dask workers (default: all cores)")] = None,
    scheduler: Annotated[str | None, typer.Option(help="address of a running Dask scheduler")] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing output")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar")] = False,
    pileup: Annotated[
        float | None,
        typer.Option(
            "--pileup",
            metavar="MU",
            help="overlay Poisson(MU) minimum-bias interactions per crossing (L1 objects from towers, no HLT features)",
        ),
    ] = None,
    preselection: Annotated[
        str | None,
        typer.Option(help="'lepton' (e/gamma or mu > 23 GeV) or 'none' [default: none for MinBias, else lepton]"),
    ] = None,
    pus: Annotated[str, typer.Option(help="tower pileup subtraction: 'donut' (jets; rho for e/gamma) or 'none'")] = (
        "donut"
    ),
    pool_size: Annotated[int, typer.Option(help="soft minimum-bias interactions generated once and reused")] = 20_000,
    pthat_cut: Annotated[
        float, typer.Option(help="GeV: pileup interactions above it are generated fresh (HardQCD), below from the pool")
    ] = 25.0,
    colliding_bunches: Annotated[
        int, typer.Option(help="colliding bunches of 3564: a zero-bias stream's rate is 11245.5 Hz x this")
    ] = 2544,
) -> None:
    """Generate preselected events of one process with Pythia 8 (13 TeV) as L1 objects and HLT features.

    With --pileup each event is a bunch crossing: the process's event plus Poisson(MU) pileup (MinBias: pileup
    only, a zero-bias stream). Pileup comes from a soft pool reused across crossings plus a hard tail generated
    fresh for every crossing (docs/events.md).
    """
    from adtrigger.training.stream.cards import CardError, builtin_card, load_card
    from adtrigger.training.stream.generator import generate_to_file
    from adtrigger.training.stream.io import StreamFormatError, event_format
    from adtrigger.training.stream.pileup import PileupParams
    from adtrigger.training.stream.towers import TowerParams

    if (process is None) == (card is None):
        raise _fail("give exactly one of --process or --card")
    try:
        event_format(out)
        the_card = builtin_card(process) if process is not None else load_card(card, name)
        if pus not in ("donut", "none"):
            raise ValueError(f"--pus must be 'donut' or 'none', got {pus!r}")
        towers = TowerParams(jet_pus=pus, eg_pu="rho" if pus == "donut" else "none")
        params = None if pileup is None else PileupParams(mu=pileup, pool_size=pool_size, pthat_cut=pthat_cut)
        sample = generate_to_file(
            the_card, events, seed, out, force=force, shard_events=shard_events, workers=workers,
            scheduler=scheduler, show_progress=not quiet, pileup=params, preselection=preselection, towers=towers,
            colliding_bunches=colliding_bunches,
        )  # fmt: skip
    except (CardError, StreamFormatError, FileExistsError, ValueError) as err:
        raise _fail(str(err)) from None
    m = sample.manifest
    typer.echo(
        f"{out}: {len(sample)} {m['process']} events from {m['n_generated']} generated "
        f"(pass {m['pass_fraction']:.4g}), sigma_gen {m['sigma_gen_pb']:.4g} pb, "
        f"{sum(m['generation_seconds']):.1f} s of generation"
    )
    if "pileup" in m:
        p = m["pileup"]
        typer.echo(
            f"pileup mu {p['mu']:g} (mean {m['n_pileup_mean']:.2f}): pool {p.get('pool_size', 0)} soft interactions "
            f"reused {p.get('pool_reuse_factor', 0):.1f}x, {p['n_hard_generated']} fresh hard ones "
            f"(pTHat >= {p['pthat_cut']:g} GeV, f = {p.get('hard_fraction', 0):.4g})"
        )
    if "input_rate_hz" in m:
        rate_mhz = m["input_rate_hz"] / 1e6
        typer.echo(f"zero-bias stream: {rate_mhz:.2f} MHz of crossings ({m['colliding_bunches']} colliding bunches)")


@app.command()
def cocktail(
    files: Annotated[list[Path], typer.Argument(help="one event file per SM process")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output file (.h5 or .parquet)")],
    by: Annotated[str, typer.Option(help="'fractions' (seed-004's, default) or 'xsec' (Pythia's sigma)")] = "fractions",
    force: Annotated[bool, typer.Option("--force")] = False,
) -> None:
    """Mix per-process files into one weighted SM stream and print its process fractions."""
    from adtrigger.training.stream.cocktail import mix, sigma_pass_pb
    from adtrigger.training.stream.io import StreamFormatError, read_events, write_events
    from adtrigger.training.stream.summary import shares_table

    try:
        if out.exists() and not force:
            raise FileExistsError(f"{out} exists; use --force to overwrite")
        parts = [read_events(f) for f in files]
        sp = {p.process_names[0]: sigma_pass_pb(p) for p in parts}
        mixed = mix(parts, by=by)
        write_events(mixed, out, force=force)
    except (StreamFormatError, FileExistsError, FileNotFoundError, ValueError) as err:
        raise _fail(str(err)) from None
    typer.echo(shares_table(mixed, {k: v for k, v in sp.items() if v is not None}))
    typer.echo(f"wrote {out}: {len(mixed)} events")


@app.command()
def refstream(
    out: Annotated[Path, typer.Option("--out", "-o", help="folder for the eight files")] = Path("data/refstream"),
    seed: Annotated[int, typer.Option(help="run seed")] = 2026,
    scale: Annotated[float, typer.Option(help="multiply refstream-v1's event counts")] = 1.0,
    shard_events: Annotated[int, typer.Option(help="preselected events per shard")] = 2000,
    workers: Annotated[int | None, typer.Option(help="local Dask workers (default: all cores)")] = None,
    scheduler: Annotated[str | None, typer.Option(help="address of a running Dask scheduler")] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite existing files")] = False,
) -> None:
    """Regenerate an equivalent of the reference stream refstream-v1 (same processes, cards and counts, own seeds),
    named file for file like it; point ADTRIGGER_REFSTREAM at the folder."""
    from adtrigger.training.stream.reference import generate_reference

    try:
        paths = generate_reference(out, scale=scale, seed=seed, workers=workers, scheduler=scheduler,
                                   shard_events=shard_events, force=force)  # fmt: skip
    except (FileExistsError, ValueError) as err:
        raise _fail(str(err)) from None
    typer.echo(f"wrote {len(paths)} files into {out}; use them with: export ADTRIGGER_REFSTREAM={out.resolve()}")


@app.command()
def summary(
    files: Annotated[list[Path], typer.Argument(help="event files (.h5 public layout or .parquet)")],
    plot: Annotated[Path | None, typer.Option(help="write distributions per process to this PNG")] = None,
) -> None:
    """Print physics sanity numbers per file (object counts, Z peak, W transverse mass) and plot them."""
    from adtrigger.training.stream.io import StreamFormatError, read_events
    from adtrigger.training.stream.summary import plot_distributions, summary_table

    try:
        samples = [read_events(f) for f in files]
    except (StreamFormatError, FileNotFoundError) as err:
        raise _fail(str(err)) from None
    typer.echo(summary_table(samples))
    if plot is not None:
        plot_distributions(samples, plot)
        typer.echo(f"wrote {plot}")


@app.command()
def train(
    config: Annotated[Path, typer.Argument(help="YAML config: data, model, beta, bit-width knob, epochs, seed")],
    models_dir: Annotated[Path, typer.Option(help="where model directories go")] = Path("models"),
    force: Annotated[bool, typer.Option("--force", help="replace an existing model directory")] = False,
) -> None:
    """Train a quantized L1 VAE (HGQ2, quantization-aware) into models/<name>/."""
    from adtrigger.training.config import ConfigError
    from adtrigger.training.pipeline import read_record
    from adtrigger.training.pipeline import train as run_train
    from adtrigger.training.stream.io import StreamFormatError

    try:
        out = run_train(config, models_dir, force=force)
    except (ConfigError, StreamFormatError, FileExistsError, FileNotFoundError) as err:
        raise _fail(str(err)) from None
    rec = read_record(out)
    typer.echo(
        f"{out}: {rec['epochs_run']} epochs in {rec['training_seconds']:.0f} s "
        f"({rec['train_events_per_second']:.0f} events/s), {rec['active_latent_dims']} active latent dims, "
        f"EBOPs {rec['ebops']}"
    )


@app.command()
def evaluate(
    model_dir: Annotated[Path, typer.Argument(help="a trained model directory, models/<name>")],
    baselines: Annotated[
        bool, typer.Option(help="also train the float twin, the AE baseline and the supervised reference")
    ] = True,
) -> None:
    """ROC curves, AUC, TPR at FPR 1e-5/1e-4/1e-3 (bootstrap bands) and efficiency at 50 SM events/day, beside the
    plain triggers (MET, S_T, leading lepton pT), the AE and the float twin; the bar and the model's ratio to it."""
    from adtrigger.training.config import ConfigError
    from adtrigger.training.pipeline import evaluate as run_evaluate
    from adtrigger.training.stream.io import StreamFormatError

    try:
        out = run_evaluate(model_dir, baselines=baselines)
    except (ConfigError, StreamFormatError, FileNotFoundError) as err:
        raise _fail(str(err)) from None
    typer.echo((out / "table.md").read_text())
    typer.echo(f"wrote {out}/metrics.json, roc.png, table.md")


@app.command()
def export(
    model_dir: Annotated[Path, typer.Argument(help="a trained L1 VAE model directory, models/<name>")],
) -> None:
    """Write model.onnx (raw L1 inputs in, score out; bit-exact with the quantized model) and the card's fixed_point."""
    from adtrigger.bundle import BundleError
    from adtrigger.training.export_onnx import ExportError
    from adtrigger.training.export_onnx import export as run_export

    try:
        path = run_export(model_dir)
    except (ExportError, BundleError, FileNotFoundError) as err:
        raise _fail(str(err)) from None
    from adtrigger.bundle import read_card

    score = (read_card(model_dir).get("fixed_point") or {}).get("score")
    typer.echo(f"wrote {path} ({path.stat().st_size} bytes); fixed-point score type: {score or 'none (not mu2)'}")


_DEMO = MainJobSettings()  # the demo's defaults live in one place, the main job's settings


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="run directory")] = Path("runs/demo"),
    scale: Annotated[float, typer.Option(help="multiply the default event counts")] = _DEMO.scale,
    seed: Annotated[int, typer.Option(help="run seed")] = _DEMO.seed,
    workers: Annotated[int | None, typer.Option(help="local Dask workers for generation (default: all cores)")] = None,
    epochs: Annotated[int, typer.Option(help="training epochs at most")] = _DEMO.epochs,
    firmware: Annotated[bool, typer.Option(help="build and check the firmware (needs g++, verilator, yosys)")] = True,
    service: Annotated[bool, typer.Option(help="serve the bundle and stream the held-out events through it")] = True,
    events_only: Annotated[bool, typer.Option("--events-only", help="only generate and summarise events")] = False,
    force: Annotated[bool, typer.Option("--force", help="overwrite a previous run")] = False,
) -> None:
    """The main job on the embedded default: generate -> train -> evaluate -> export -> calibrate -> firmware ->
    serve and stream -> runs/demo/report.md."""
    from adtrigger.bundle import BundleError
    from adtrigger.firmware.design import FirmwareError

    try:
        if events_only:
            from adtrigger.training.stream.demo import run_demo

            report = run_demo(out, scale=scale, seed=seed, workers=workers, force=force)
        else:
            from adtrigger.main_job import run_main_job

            settings = MainJobSettings(scale=scale, seed=seed, workers=workers, epochs=epochs, firmware=firmware,
                                       rtl=firmware, service=service)  # fmt: skip
            report = run_main_job(out, settings, force=force)
    except (FileExistsError, ValueError, BundleError, FirmwareError) as err:
        raise _fail(str(err)) from None
    typer.echo(f"wrote {report}")


@app.command()
def serve(
    bundle: Annotated[Path | None, typer.Argument(help="bundle folder (default: $ADTRIGGER_BUNDLE)")] = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    threads: Annotated[int | None, typer.Option(help="ONNX Runtime threads (default: $ADTRIGGER_THREADS or 1)")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Serve a calibrated bundle over HTTP and WebSocket (settings: ADTRIGGER_* environment, docs/service.md)."""
    from pydantic import ValidationError

    from adtrigger.bundle import BundleError
    from adtrigger.service.server import serve as run_server
    from adtrigger.service.settings import ServiceSettings

    given = {k: v for k, v in {"bundle": bundle, "threads": threads}.items() if v is not None}
    try:
        settings = ServiceSettings(**given)
        from adtrigger.service.holder import load_live

        load_live(settings.bundle, settings.threads, generation=0)  # refuse a bad bundle before binding the port
    except ValidationError as err:
        first = err.errors()[0]
        if first["type"] == "missing":
            raise _fail(f"no {first['loc'][0]}: give the bundle folder or set ADTRIGGER_BUNDLE") from None
        raise _fail(f"setting {'.'.join(map(str, first['loc']))}: {first['msg']} (see docs/service.md)") from None
    except BundleError as err:
        raise _fail(str(err)) from None
    run_server(settings, host, port, log_level)


@app.command()
def stream(
    file: Annotated[Path, typer.Argument(help="events to replay (.h5 or .parquet)")],
    url: Annotated[str, typer.Option(help="the service's stream endpoint")] = "ws://127.0.0.1:8000/v1/stream",
    rate: Annotated[float | None, typer.Option(help="events per second (default: as fast as possible)")] = None,
    batch: Annotated[int, typer.Option(help="events per frame")] = 4096,
    events: Annotated[int | None, typer.Option("--events", "-n", help="events to send, cycling the file")] = None,
    window: Annotated[int, typer.Option(help="frames in flight at most")] = 2,
) -> None:
    """Replay an event file to a running service; report throughput, batch latency and accepted events."""
    import asyncio

    from adtrigger.service.client import StreamBrokenError, replay
    from adtrigger.training.stream.io import StreamFormatError, read_events

    try:
        x = read_events(file).flat
    except (StreamFormatError, FileNotFoundError) as err:
        raise _fail(str(err)) from None
    if batch < 1 or window < 1 or (rate is not None and rate <= 0) or (events is not None and events < 1):
        raise _fail("--batch, --window, --rate and --events must be positive")
    try:
        report = asyncio.run(replay(url, x, batch=batch, total=events, rate=rate, window=window))
    except (StreamBrokenError, OSError) as err:
        raise _fail(f"{url}: {err}") from None
    typer.echo(report.summary())


@app.command()
def firmware(
    bundle: Annotated[Path, typer.Argument(help="a trained (and calibrated) L1 VAE bundle, models/<name>")],
    threshold: Annotated[
        float | None, typer.Option(help="score threshold (default: the card's active calibrated threshold)")
    ] = None,
    strategy: Annotated[str, typer.Option(help="hls4ml strategy: latency or da (distributed arithmetic)")] = "latency",
    clock: Annotated[
        str, typer.Option(help="target clock, a frequency (240MHz) or a period (4.2ns): the pipeline is cut to meet it")
    ] = "240MHz",
    latency_cutoff: Annotated[
        float | None, typer.Option(help="fix da4ml's delay units per pipeline stage instead of searching from --clock")
    ] = None,
    tries: Annotated[int, typer.Option(help="syntheses the pipeline search may run (each one Yosys run)")] = 4,
    events: Annotated[int, typer.Option("--events", "-n", help="verification events")] = 100_000,
    rtl: Annotated[bool, typer.Option(help="da4ml Verilog with Verilator simulation")] = True,
    synth: Annotated[bool, typer.Option(help="Yosys synthesis of the Verilog")] = True,
    dsp_check: Annotated[
        bool, typer.Option(help="a second Yosys synthesis without -nodsp: the DSP count the design needs by itself")
    ] = True,
    vivado: Annotated[
        bool | None, typer.Option(help="Vivado out-of-context place and route of the pipeline (default: if installed)")
    ] = None,
    jobs: Annotated[int, typer.Option(help="parallel compile jobs")] = 1,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="folder of L1 event files to verify on (default: the bundle record's SM and signal files)"),
    ] = None,
) -> None:
    """L1 firmware: hls4ml project, bit-exact C-sim, da4ml Verilog (Verilator, Yosys), emulator library, report."""
    from adtrigger.bundle import BundleError
    from adtrigger.firmware.design import FirmwareError
    from adtrigger.firmware.flow import FirmwareSettings, build_firmware
    from adtrigger.firmware.pipeline import parse_clock

    try:
        settings = FirmwareSettings(
            threshold=threshold, strategy=strategy, clock_period=parse_clock(clock), latency_cutoff=latency_cutoff,
            pipeline_tries=tries,
            n_events=events, rtl=rtl, synth=synth, dsp_check=dsp_check, vivado=vivado, jobs=jobs, data_dir=data_dir,
        )  # fmt: skip
        summary = build_firmware(bundle, settings)
    except (FirmwareError, BundleError, FileNotFoundError) as err:
        raise _fail(str(err)) from None
    v, r, y = summary["verification"], summary["rtl"] or {}, summary["yosys"] or {}
    tim = r.get("timing") or {}
    fmax = f", estimated fmax {tim['fmax_mhz']:.0f} MHz (estimate, not vendor timing)" if tim else ""
    cycles = tim.get("latency_cycles", r.get("stages"))
    latency = f"{cycles} cycles = {r['latency_ns']:.1f} ns at {1e3 / r['clock_period_ns']:.0f} MHz" if r else "n/a"
    typer.echo(
        f"{bundle}/firmware: bit-exact on {v['n_events']} events ({', '.join(v['mismatches'])} vs "
        f"{', '.join(v['references'])}); latency {latency}{fmax}; "
        f"Yosys LUT {y.get('lut', 'n/a')}, FF {y.get('ff', 'n/a')}, DSP {y.get('dsp', 'n/a')}; see report.md"
    )


@app.command()
def calibrate(
    model_dir: Annotated[Path, typer.Argument(help="an exported bundle, models/<name> (adtrigger export first)")],
    data: Annotated[
        list[Path], typer.Option("--data", metavar="FILE", help="SM file; repeat: one file a process or a cocktail")
    ],
    data_signal: Annotated[
        list[Path] | None, typer.Option("--data-signal", metavar="FILE", help="signal file for efficiencies; repeat")
    ] = None,
    rate: Annotated[str | None, typer.Option(help="target output rate, e.g. 1kHz (needs --input-rate)")] = None,
    input_rate: Annotated[str | None, typer.Option(help="input (SM) event rate, e.g. 100kHz")] = None,
    events_per_day: Annotated[float | None, typer.Option(help="target SM events a day (needs --input-rate)")] = None,
    fpr: Annotated[float | None, typer.Option(help="target SM false-positive rate, e.g. 1e-5")] = None,
    menu: Annotated[
        str | None, typer.Option(help="reference L1 menu (file or built-in name, e.g. run3_like) for pure rates")
    ] = None,
    pure_rate: Annotated[
        str | None, typer.Option(help="target pure rate, e.g. 1kHz: crossings the AD takes and the menu does not")
    ] = None,
    ladder: Annotated[
        bool, typer.Option("--ladder", help="calibrate a ladder of seeds at pure rates (see --ladder-rates)")
    ] = False,
    ladder_rates: Annotated[
        str | None, typer.Option(help="the ladder's seeds, loosest first: VLoose=20kHz,Loose=10kHz,... (default)")
    ] = None,
    colliding_bunches: Annotated[
        int | None, typer.Option(help="LHC colliding bunches: input rate = 11245.5 Hz x N (default: the stream's)")
    ] = None,
    name: Annotated[str, typer.Option(help="threshold name in the card")] = "default",
    activate: Annotated[bool, typer.Option(help="make it the active threshold")] = True,
    max_events: Annotated[int | None, typer.Option(help="read at most this many events per file")] = None,
    shard_events: Annotated[int, typer.Option(help="events per scoring shard")] = 200_000,
    workers: Annotated[
        int | None, typer.Option(help="local Dask workers (0: this process; default: Dask above 2M events)")
    ] = None,
    scheduler: Annotated[str | None, typer.Option(help="address of a running Dask scheduler")] = None,
) -> None:
    """Set a threshold for a target SM rate on one SM half, check it on the other, and write it into the bundle.

    On a zero-bias stream the input rate is the colliding-bunch rate its manifest records (28.6 MHz by default), so
    --rate 1kHz means 1 kHz of LHC collisions. --menu with --pure-rate sets the threshold on the crossings the menu
    rejects; --ladder writes several named seeds at pure rates in one pass."""
    from adtrigger.bundle import BundleError
    from adtrigger.bundle.ladder import collision_rate_hz
    from adtrigger.bundle.rates import make_target, parse_rate
    from adtrigger.training.calibration import calibrate as run_calibrate
    from adtrigger.training.calibration import calibrate_ladder, parse_ladder
    from adtrigger.training.calibration.sources import stream_input_rate
    from adtrigger.training.stream.io import StreamFormatError

    try:
        if input_rate is not None:
            rate_in = parse_rate(input_rate)
        elif colliding_bunches is not None:
            rate_in = collision_rate_hz(colliding_bunches)
        elif ladder or rate is not None or events_per_day is not None or pure_rate is not None:
            rate_in = stream_input_rate(data)  # a zero-bias stream's crossing rate; None for a preselected one
        else:
            rate_in = None
        options = dict(max_events=max_events, shard_events=shard_events, workers=workers, scheduler=scheduler)
        if ladder:
            if rate is not None or events_per_day is not None or fpr is not None or pure_rate is not None:
                raise BundleError("--ladder sets its own pure-rate targets (--ladder-rates); drop the other targets")
            seeds = [(n, make_target(pure_rate_hz=r, input_rate_hz=rate_in, menu=menu))
                     for n, r in parse_ladder(ladder_rates)]  # fmt: skip
            active = name if name != "default" else "Medium"
            entries = calibrate_ladder(model_dir, data, data_signal or [], seeds, menu=menu, activate=active,
                                       **options)  # fmt: skip
        else:
            target = make_target(
                rate_hz=None if rate is None else parse_rate(rate), events_per_day=events_per_day, fpr=fpr,
                pure_rate_hz=None if pure_rate is None else parse_rate(pure_rate), menu=menu, input_rate_hz=rate_in,
            )  # fmt: skip
            entries = {name: run_calibrate(model_dir, data, data_signal or [], target, name=name, activate=activate,
                                           menu=menu, **options)}  # fmt: skip
    except (BundleError, StreamFormatError, FileNotFoundError, ValueError) as err:
        raise _fail(str(err)) from None
    for seed_name, entry in entries.items():
        _echo_threshold(model_dir, seed_name, entry)
    reports = [f for e in entries.values() for f in e["report"].values()]
    typer.echo(f"wrote {model_dir}/sm_distribution.json, {', '.join(reports)}" + (", menu.yaml" if ladder else ""))


def _echo_threshold(model_dir: Path, name: str, entry: dict) -> None:
    """One calibrated threshold: its score, the held-out rates (total, and pure against a menu), the signals."""
    a = entry["achieved"]
    rate_text = f", {a['rate_hz']:.4g} Hz [{a['rate_hz_lo']:.4g}, {a['rate_hz_hi']:.4g}]" if "rate_hz" in a else ""
    if "pure_rate_hz" in a:
        rate_text += f"; pure {a['pure_rate_hz']:.4g} Hz [{a['pure_rate_hz_lo']:.4g}, {a['pure_rate_hz_hi']:.4g}]"
    fixed = f", L1 raw {entry['fixed']['raw']}" if entry["fixed"] else ""
    typer.echo(
        f"{model_dir}: threshold {name!r} score >= {entry['score']!r}{fixed}; held-out SM FPR {a['fpr']:.4g} "
        f"[{a['fpr_lo']:.4g}, {a['fpr_hi']:.4g}]{rate_text} (target FPR {entry['target']['fpr']:.4g})"
    )
    menu = entry.get("signal_menu", {})
    for sig, eff in entry["signal_efficiency"].items():
        extra = ""
        if sig in menu:
            m = menu[sig]
            extra = f"; menu {m['menu']:.4g}, menu OR AD {m['menu_or_ad']:.4g} (gain {m['gain']:+.4g})"
        typer.echo(f"  {sig}: efficiency {eff:.4g}{extra}")
    if entry["warning"]:
        typer.secho(f"warning: threshold {name!r}: {entry['warning']}", fg=typer.colors.YELLOW, err=True)


@app.command()
def menu(
    menu_name: Annotated[str, typer.Argument(metavar="MENU", help="a menu YAML file or a built-in name")] = "run3_like",
    data: Annotated[
        list[Path] | None, typer.Option("--data", metavar="FILE", help="events (zero-bias or a cocktail); repeat")
    ] = None,
    input_rate: Annotated[
        str | None, typer.Option(help="input event rate, e.g. 28.6MHz (default: the files' input_rate_hz)")
    ] = None,
    colliding_bunches: Annotated[
        int | None, typer.Option(help="input rate = 11,245.5 Hz x this many colliding bunches (zero-bias)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the rates as JSON")] = False,
) -> None:
    """Each seed's raw, prescaled and pure rate of a reference L1 menu on an event stream, and the menu's total,
    with 68 % Clopper-Pearson intervals (docs/menu.md)."""
    import json

    from adtrigger.bundle import BundleError
    from adtrigger.bundle.ladder import collision_rate_hz
    from adtrigger.bundle.rates import parse_rate
    from adtrigger.training.menu import MenuCounts, MenuError, iter_chunks, load_menu, rates_table, stream_coverage
    from adtrigger.training.stream.io import StreamFormatError, read_events

    if not data:
        raise _fail("give the events: --data FILE (repeat for several files of one stream)")
    try:
        manifests = [read_events(f, max_events=0).manifest for f in data]
        given = [r for r in (input_rate, colliding_bunches) if r is not None]
        if len(given) > 1:
            raise MenuError("give at most one of --input-rate and --colliding-bunches")
        if input_rate is not None:
            rate = parse_rate(input_rate)
        elif colliding_bunches is not None:
            rate = collision_rate_hz(colliding_bunches)
        else:
            rates = {m.get("input_rate_hz") for m in manifests} - {None}
            if len(rates) != 1:
                why = "carry no input_rate_hz" if not rates else f"disagree on input_rate_hz ({sorted(rates)})"
                raise MenuError(f"the files {why}: give --input-rate RATE (e.g. 28.6MHz) or --colliding-bunches N")
            rate = float(rates.pop())
        if not (rate > 0):
            raise MenuError(f"the input rate must be positive, got {rate}")
        the_menu = load_menu(menu_name, *stream_coverage(manifests))
        counts = MenuCounts(len(the_menu.seeds))
        for particles, event_id, weight in iter_chunks(data):
            counts.add(the_menu, particles, event_id, weight)
        result = counts.rates(the_menu, rate)
    except (MenuError, BundleError, StreamFormatError, FileNotFoundError, ValueError) as err:
        raise _fail(str(err)) from None
    typer.echo(json.dumps(result, indent=2) if as_json else rates_table(result))


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
