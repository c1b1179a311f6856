"""No output replaces a file the user wrote (issue 18, item 7; docs/decisions.md, decision
47): ``report -o`` and ``calendar -o`` share one writer (sim/io/output.py), run here as a
user runs them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_helpers import cli, write

ROOT = Path(__file__).resolve().parent.parent
GSOMIA = str(ROOT / "scenarios" / "gsomia_history.yaml")
SCENARIO = (
    "name: Seoul notifies\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, do: notify}\n"
)

COMMANDS = {
    "report": ["report"],
    "calendar": ["calendar", "--from", "2019", "--to", "2019"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_the_input_file_itself_is_never_replaced(
    command: str, force: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The data loss of issue 18: `report s.yaml -o s.yaml` wrote HTML over the scenario.
    path = write(tmp_path, SCENARIO)
    code, out, err = cli([*COMMANDS[command], path, "-o", path, *force], capsys)
    assert (code, out) == (2, "")
    assert err == f"{path}:1:1: -o: is one of the files read; never overwritten\n"
    assert Path(path).read_text(encoding="utf-8") == SCENARIO


@pytest.mark.parametrize(("command", "name"), [("report", "page.html"), ("calendar", "cal.ics")])
def test_a_file_the_user_wrote_is_refused_unless_forced(
    command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A page or a calendar of the user's own (this one from another calendar program).
    mine = "BEGIN:VCALENDAR\r\nPRODID:-//Someone//Their app//EN\r\nEND:VCALENDAR\r\n"
    target = tmp_path / name
    target.write_bytes(mine.encode())
    code, out, err = cli([*COMMANDS[command], GSOMIA, "-o", str(target)], capsys)
    assert (code, out) == (2, "")
    what = "a report" if command == "report" else "a calendar"
    assert err == (
        f"{target}:1:1: -o: exists and was not written by treaty-sim as {what}; not "
        "overwritten (--force replaces it)\n"
    )
    assert target.read_bytes() == mine.encode()
    code, _, _ = cli([*COMMANDS[command], GSOMIA, "-o", str(target), "--force"], capsys)
    assert code == 0
    assert target.read_bytes() != mine.encode()


@pytest.mark.parametrize(("command", "name"), [("report", "page.html"), ("calendar", "cal.ics")])
def test_a_file_it_wrote_is_replaced_without_force(
    command: str, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / name
    assert cli([*COMMANDS[command], "gsomia", "-o", str(target)], capsys)[0] == 0
    first = target.read_bytes()
    assert cli([*COMMANDS[command], GSOMIA, "-o", str(target)], capsys)[0] == 0
    assert target.read_bytes() != first


def test_an_svg_picture_is_recognised_as_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "picture.svg"
    assert cli(["report", GSOMIA, "--format", "svg", "-o", str(target)], capsys)[0] == 0
    assert cli(["report", "gsomia", "--format", "svg", "-o", str(target)], capsys)[0] == 0


def test_an_interrupted_write_leaves_the_old_file_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    assert cli(["report", "gsomia", "-o", str(target)], capsys)[0] == 0
    before = target.read_bytes()

    def interrupted(_: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cli(["report", GSOMIA, "-o", str(target)], capsys)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary left


def test_a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    umask = os.umask(0o022)
    try:
        target = tmp_path / "report.html"
        assert cli(["report", "gsomia", "-o", str(target)], capsys)[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o644  # 0666 less the umask 022
        target.chmod(0o600)
        assert cli(["report", "gsomia", "-o", str(target)], capsys)[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    finally:
        os.umask(umask)


@pytest.mark.parametrize("command", COMMANDS)
def test_quiet_says_nothing(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"
    code, out, err = cli([*COMMANDS[command], "gsomia", "-o", str(target), "--quiet"], capsys)
    assert (code, out, err) == (0, "", "")
    assert target.stat().st_size > 0


def test_a_link_to_a_report_replaces_the_report_not_the_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "real.html"
    assert cli(["report", "gsomia", "-o", str(real)], capsys)[0] == 0
    link = tmp_path / "link.html"
    link.symlink_to(real)
    assert cli(["report", GSOMIA, "-o", str(link)], capsys)[0] == 0
    assert link.is_symlink()
    assert "GSOMIA 2019–2023" in real.read_text("utf-8")
