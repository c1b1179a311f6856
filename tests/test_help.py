"""Every command's --help describes each option with its default and shows an example; a
format a command cannot print is a usage error (issue 10, point 5)."""

from __future__ import annotations

import re

import pytest

from sim.cli import _parser, main

COMMANDS = [
    "run",
    "deadlines",
    "check",
    "sweep",
    "claims",
    "treaties",
    "schema",
    "report",
    "explain",
    "calendar",
]


def help_text(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_help_describes_every_option_and_shows_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = help_text(command, capsys)
    # argparse's own --help aside, every option and argument of the command carries a help
    # text; every optional one names its default (STYLE.md: every command documented with a
    # copy-pasteable example).
    subparsers = next(a for a in _parser()._actions if a.dest == "command")
    parser = subparsers.choices[command]  # type: ignore[attr-defined]
    for action in parser._actions:
        if action.dest == "help":
            continue
        assert action.help, f"{command}: {action.dest} has no help"
        if action.option_strings and not action.required:
            assert "default" in action.help, f"{command}: {action.dest} names no default"
    assert re.search(rf"example:\n  treaty-sim {command}\b", text)


def test_as_of_defaults_to_today(capsys: pytest.CaptureFixture[str]) -> None:
    # docs/decisions.md, decision 28 and issue 18 item 1: `--as-of` defaults to today in
    # the treaty's time zone.
    assert "(default: today in the treaty's time zone)" in " ".join(
        help_text("deadlines", capsys).split()
    )


def test_schema_prints_json_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["schema", "--format", "table"])
    # PRODUCT.md, "Errors": a usage error exits 2, in one line.
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "invalid choice: 'table' (choose from 'json')" in err
