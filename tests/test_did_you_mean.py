"""A mistyped name gets the closest valid one suggested, as a mistyped field does (issue 18,
item 4): built-in treaty names, action kinds, interpretations, and the command line's
commands and choices. Each is one line; a file's mistake is located (PRODUCT.md, "Errors")."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_helpers import cli, write

from sim.library import names


def _one_line(code: int, out: str, err: str) -> str:
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    return err


def _usage(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        cli(args, capsys)
    assert stop.value.code == 2
    captured = capsys.readouterr()
    return _one_line(2, captured.out, captured.err)


def test_a_mistyped_built_in_treaty_in_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "name: typo\ntreaty: gsomiaa\n")
    err = _one_line(*cli(["run", path], capsys))
    assert err == (
        f"{path}:2:9: treaty: unknown treaty 'gsomiaa'; did you mean 'gsomia'? "
        f"(built-in: {', '.join(names())})\n"
    )


@pytest.mark.parametrize("command", ["run", "deadlines", "calendar", "report"])
def test_a_mistyped_built_in_treaty_on_the_command_line(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _one_line(*cli([command, "gsomiaa"], capsys))
    assert err.startswith(
        "gsomiaa:1:1: (argument): neither a scenario file nor a built-in treaty; "
        "did you mean 'gsomia'? (built-in: "
    )


def test_a_name_close_to_none_lists_them_without_a_guess(
    capsys: pytest.CaptureFixture[str],
) -> None:
    err = _one_line(*cli(["run", "zzzz"], capsys))
    assert "did you mean" not in err and "(built-in: abm," in err


def test_a_mistyped_action_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "name: typo\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, do: notice}\n"
    path = write(tmp_path, text)
    err = _one_line(*cli(["run", path], capsys))
    assert err.startswith(
        f"{path}:4:34: actions[0].do: unknown value 'notice'; did you mean 'notify'? "
        "(must be 'notify', 'suspend_notice',"
    )


def test_a_mistyped_interpretation_in_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "name: typo\ntreaty: gsomia\ninterpretation: remainig\n")
    err = _one_line(*cli(["run", path], capsys))
    assert err == (
        f"{path}:3:17: interpretation: unknown value 'remainig'; did you mean 'remaining'? "
        "(must be 'remaining', 'immediate' or 'fresh')\n"
    )


def test_a_mistyped_interpretation_option(capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage(["run", "gsomia", "--interpretation", "remainig"], capsys)
    assert "invalid choice: 'remainig'; did you mean 'remaining'?" in err


def test_a_mistyped_command(capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage(["deadlins", "gsomia"], capsys)
    assert err.startswith(
        "treaty-sim: error: argument COMMAND: invalid choice: 'deadlins'; "
        "did you mean 'deadlines'? (choose from 'run', 'deadlines',"
    )
