"""Every command's ``--help`` names exactly the formats its parser accepts (issue 18: the
help of ``sample`` said it wrote csv, and it refused ``--format csv``)."""

from __future__ import annotations

import argparse
import re

import pytest

from sim.cli import _parser, main


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = _parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _format_choices(command: argparse.ArgumentParser) -> list[str]:
    for action in command._actions:
        if "--format" in action.option_strings:
            return list(action.choices or [])
    return []


COMMANDS = {name: _format_choices(command) for name, command in _commands().items()}
EVERY_FORMAT = {f for formats in COMMANDS.values() for f in formats} | {"csv", "parquet", "jsonl"}


def test_the_commands_with_formats_are_found() -> None:
    assert {"run", "sweep", "sample", "deadlines"} <= {n for n, f in COMMANDS.items() if f}
    assert "parquet" in COMMANDS["sweep"] and "parquet" in COMMANDS["sample"]


@pytest.mark.parametrize("name", sorted(n for n, formats in COMMANDS.items() if formats))
def test_help_lists_exactly_the_formats_the_parser_accepts(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([name, "--help"])
    assert exited.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    # the help of --format: from its choices to its default
    found = re.search(r"--format \{[\w,]+\} (.*?)\(default: (\w+)\)", text)
    assert found is not None, text
    named = set(re.findall(r"\w+", found.group(1))) & EVERY_FORMAT
    assert named == set(COMMANDS[name]), found.group(1)
    assert found.group(2) == COMMANDS[name][0]
