"""Bad input: one located line per problem, `FILE:LINE:COL: path.to.field: what is wrong`,
exit code 2, never a traceback (PRODUCT.md, "Errors"; issue 3, "Errors")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<field>\S+): (?P<message>.+)$")

GOOD_TREATY = """\
treaty:
  name: Test pact
  parties: [AA, BB]
  timezone: Asia/Seoul
  in_force: 2016-11-23
  clause: {term: 1y, renewal: 1y, notice: 90d}
"""


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def errors_of(path: Path, capsys: pytest.CaptureFixture[str]) -> list[re.Match[str]]:
    """Run the file; every line on stderr must be a located error about it."""
    code, _, err = run_cli(["run", str(path)], capsys)
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines, "no error printed"
    matches = []
    for line in lines:
        match = LINE.match(line)
        assert match, f"not a located one-line error: {line!r}"
        assert match["file"] == str(path)
        matches.append(match)
    return matches


def one_error(
    path: Path, capsys: pytest.CaptureFixture[str], field: str | None = None
) -> re.Match[str]:
    """The error about ``field`` (or the first one)."""
    matches = errors_of(path, capsys)
    if field is None:
        return matches[0]
    named = [m for m in matches if m["field"] == field]
    assert named, [m.group(0) for m in matches]
    return named[0]


def write(tmp_path: Path, text: str | bytes, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# (what is wrong, file text, expected field, expected line, a word the message must contain)
CASES = [
    ("yaml syntax", "name: x\ntreaty: gsomia\nactions: [\n", "(yaml)", None, "YAML"),
    ("unknown top-level field", "name: x\ntreaty: gsomia\nactoins: []\n", "actoins", 3, "actions"),
    (
        "unknown action field",
        "name: x\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, doo: notify}\n",
        "actions[0].doo",
        4,
        "unknown",
    ),
    ("wrong type", "name: x\ntreaty: gsomia\nactions: 5\n", "actions", 3, "list"),
    (
        "impossible date",
        "name: x\ntreaty: gsomia\nactions:\n  - {at: 2019-02-30, by: KR, do: notify}\n",
        "actions[0].at",
        4,
        # The Gregorian calendar: 2019 is not a leap year (issue 10, point 4: the error says
        # that the day does not exist in that month).
        "February 2019 has 28 days",
    ),
    (
        "impossible time",
        'name: x\ntreaty: gsomia\nactions:\n  - {at: "2019-08-23T25:00", by: KR, do: notify}\n',
        "actions[0].at",
        4,
        "date",
    ),
    (
        "unknown action",
        "name: x\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: KR, do: nottify}\n",
        "actions[0].do",
        4,
        "notify",
    ),
    (
        "unknown time zone",
        "name: x\n" + GOOD_TREATY.replace("Asia/Seoul", "Asia/Seol"),
        "treaty.timezone",
        5,
        "IANA",
    ),
    (
        "bad duration",
        "name: x\n" + GOOD_TREATY.replace("notice: 90d", "notice: 90 days"),
        "treaty.clause.notice",
        7,
        "duration",
    ),
    (
        "contradictory clause",
        "name: x\n" + GOOD_TREATY.replace("renewal: 1y, notice: 90d", "notice: 90d"),
        "treaty.clause",
        7,
        "renewal",
    ),
    (
        "notice and withdrawal",
        "name: x\n" + GOOD_TREATY.replace("notice: 90d", "notice: 90d, withdrawal: 6mo"),
        "treaty.clause",
        7,
        "exclude",
    ),
    ("unknown built-in treaty", "name: x\ntreaty: gsomiaa\n", "treaty", 2, "gsomia"),
    ("empty file", "", "(document)", 1, "empty"),
    (
        "python tag",
        "name: !!python/object/apply:os.system [echo hi]\ntreaty: gsomia\n",
        "name",
        1,
        "tag",
    ),
    ("not a mapping", "- just\n- a list\n", "(document)", 1, "mapping"),
    ("duplicate key", "name: x\nname: y\ntreaty: gsomia\n", "name", 2, "twice"),
    ("missing name", "treaty: gsomia\n", "name", 1, "required"),
    (
        "extend with no period",
        "name: x\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, do: extend}\n",
        "actions[0]",
        4,
        "period",
    ),
    (
        "action after the horizon",
        "name: x\ntreaty: gsomia\nhorizon: 2019-01-01\n"
        "actions:\n  - {at: 2019-08-23, by: KR, do: notify}\n",
        "actions[0].at",
        5,
        "horizon",
    ),
]


@pytest.mark.parametrize(
    ("what", "text", "field", "line", "word"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_scenario_gives_one_located_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
    text: str,
    field: str,
    line: int | None,
    word: str,
) -> None:
    match = one_error(write(tmp_path, text), capsys, field)
    if line is not None:
        assert int(match["line"]) == line, match.group(0)
    assert word.lower() in match["message"].lower(), match.group(0)


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    match = one_error(tmp_path / "nowhere.yaml", capsys)
    assert match["field"] == "(file)"
    assert "cannot read" in match["message"]


def test_folder_instead_of_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    match = one_error(folder, capsys)
    assert match["field"] == "(file)"


def test_binary_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    match = one_error(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00binary"), capsys)
    assert "binary" in match["message"]


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    match = one_error(write(tmp_path, "name: caf\xe9\n".encode("latin-1")), capsys)
    assert "UTF-8" in match["message"]


def test_alias_bomb_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The "billion laughs": nine levels of nine aliases each.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    path = write(tmp_path, "\n".join(lines) + "\nname: bomb\ntreaty: gsomia\n")
    match = one_error(path, capsys)
    assert "alias" in match["message"]


def test_deep_nesting_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "name: " + "[" * 5000 + "]" * 5000 + "\ntreaty: gsomia\n")
    match = one_error(path, capsys)
    assert "deep" in match["message"]


def test_horizon_millions_of_terms_away(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD_TREATY.replace("term: 1y, renewal: 1y, notice: 90d", "term: 1d, renewal: 1d")
    path = write(tmp_path, "name: x\n" + text + "horizon: 9999-01-01\n")
    match = one_error(path, capsys)
    assert match["field"] == "horizon"
    assert int(match["line"]) == 8


def test_several_problems_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(
        tmp_path,
        "name: x\ntreaty: gsomia\nactions:\n"
        "  - {at: 2019-02-30, by: KR, do: notify}\n"
        "  - {at: 2019-08-23, by: KR, do: nottify}\n",
    )
    code, _, err = run_cli(["run", str(path)], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert [LINE.match(line)["field"] for line in lines] == ["actions[0].at", "actions[1].do"]  # type: ignore[index]


def test_unknown_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_unknown_treaty_name_on_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["deadlines", "gsomiaa"], capsys)
    assert code == 2
    assert "gsomia" in err and len(err.strip().splitlines()) == 1
