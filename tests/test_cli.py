"""The ``adtrigger`` command line's help: boolean options read as flags, never as a typed value (``<bool>``)."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from adtrigger.cli import app

COMMANDS = typer.main.get_command(app).commands


def _flags(command) -> list:
    return [p for p in command.params if p.param_type_name == "option" and getattr(p, "is_bool_flag", False)]


def test_top_level_help_lists_every_command():
    r = CliRunner().invoke(app, ["--help"])
    assert r.exit_code == 0, r.output
    assert "<bool>" not in r.output
    assert all(name in r.output for name in COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_shows_boolean_options_as_flags(name):
    r = CliRunner().invoke(app, [name, "--help"])
    assert r.exit_code == 0, r.output
    assert "<bool>" not in r.output and "--help " in r.output
    for p in _flags(COMMANDS[name]):
        line = next(ln for ln in r.output.splitlines() if p.opts[-1] in ln)
        assert all(o in line for o in [*p.opts, *p.secondary_opts]) and "<" not in line.strip().split("  ")[0], line


def test_help_of_calibrate_names_its_flags():
    out = CliRunner().invoke(app, ["calibrate", "--help"]).output
    assert "--activate / --no-activate" in out and "--fpr <float>" in out


@pytest.mark.parametrize("name", sorted(n for n, c in COMMANDS.items() if _flags(c)))
def test_every_flag_is_accepted_without_a_value(name):
    """Each flag (its negative form where it defaults to on) parses on its own and flips its default."""
    command = COMMANDS[name]
    args: list[str] = []
    for p in command.params:
        if p.required:
            args += ["x"] if p.param_type_name == "argument" else [p.opts[0], "x"]
    want = {}
    for p in _flags(command):
        args.append(p.secondary_opts[0] if p.default and p.secondary_opts else p.opts[0])
        want[p.name] = not p.default
    ctx = command.make_context(name, args)
    assert {k: ctx.params[k] for k in want} == want


def test_cli_flag_reaches_the_command(tmp_path):
    """``--no-activate`` parses in a real invocation: the command runs and fails on the missing bundle, not on it."""
    r = CliRunner().invoke(app, ["calibrate", str(tmp_path), "--data", "x.h5", "--fpr", "1e-3", "--no-activate"])
    assert r.exit_code == 2 and "error:" in r.output and "not a bundle" in r.output, r.output
