"""A party the treaty does not list is a mistake in the file, refused at load; a listed party
that is not (or no longer) bound is rejected at run time (docs/decisions.md, decision 32;
issue 10, point 1). Run the way a user runs them: through the CLI's entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import cli, write


def test_notice_by_an_unlisted_party_is_refused_at_load_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: typo\ntreaty: gsomia\nactions:\n  - {at: 2019-08-23, by: kr, do: notify}\n",
    )
    code, out, err = cli(["run", path], capsys)
    # PRODUCT.md, "Errors": one located line FILE:LINE:COL: field: what is wrong, exit 2;
    # GSOMIA's parties are KR and JP (docs/sources.md, "GSOMIA"). `by: kr` starts on line 4,
    # column 26.
    assert code == 2
    assert out == ""
    assert err == (
        f"{path}:4:26: actions[0].by: unknown party 'kr'; did you mean 'KR'? "
        "(parties of Korea–Japan GSOMIA: KR, JP)\n"
    )


@pytest.mark.parametrize(
    "action",
    [
        "do: notify",
        "do: suspend_notice",
        "do: resume_notice",
        "do: withdraw_notice",
        "do: suspend_operation",
        "do: resume_operation",
    ],
)
def test_every_action_with_by_is_checked(
    action: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        f"name: typo\ntreaty: npt\nactions:\n  - {{at: 2003-01-10, by: NK, {action}}}\n",
    )
    code, _, err = cli(["run", path], capsys)
    # The NPT's built-in parties list KP for North Korea, not NK (sim/treaties/npt.yaml).
    assert code == 2
    assert err.startswith(f"{path}:4:26: actions[0].by: unknown party 'NK'")


def test_every_unlisted_party_is_reported_each_on_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: typos\n"
        "treaty: gsomia\n"
        "actions:\n"
        "  - {at: 2019-08-23, by: XX, do: notify}\n"
        "expect:\n"
        "  bound_until: {KP: null, JP: null}\n"
        "  events: [{at: 2019-08-23, kind: notice_given, by: YY}]\n",
    )
    code, _, err = cli(["check", path], capsys)
    # PRODUCT.md, "Errors": each problem is one line, exit 2; expect: names parties too.
    assert code == 2
    lines = err.splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "actions[0].by",
        "expect.bound_until.KP",
        "expect.events[0].by",
    ]
    assert all(": unknown party " in line for line in lines)


def test_a_listed_party_no_longer_bound_is_rejected_at_run_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "name: KP notifies again after leaving\n"
        "treaty: npt\n"
        "horizon: 2005-01-01\n"
        "actions:\n"
        "  - {at: 2003-01-10, by: KP, do: notify}\n"
        "  - {at: 2004-01-10, by: KP, do: notify}\n",
    )
    code, out, _ = cli(["run", path, "--format", "json"], capsys)
    # NPT art. X(1): three months' notice, so KP's 2003 notice takes effect on 2003-04-10
    # (docs/sources.md, "NPT"); from then on KP is a listed party no longer bound, and its
    # second notice is not applied: a rejected event, the run goes on, exit 0 (PRODUCT.md,
    # "Actions").
    assert code == 0
    events = json.loads(out)["events"]
    left = next(e for e in events if e["kind"] == "withdrawal_effective")
    assert (left["by"], left["at"]) == ("KP", "2003-04-10T00:00:00+00:00")
    rejected = [e for e in events if e["kind"] == "rejected"]
    assert [(e["by"], e["at"]) for e in rejected] == [("KP", "2004-01-10T00:00:00+00:00")]


def test_sweep_reports_an_unlisted_party_on_its_own_row(
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario = str(Path(__file__).resolve().parent.parent / "scenarios/gsomia_no_suspension.yaml")
    code, out, _ = cli(
        ["sweep", scenario, "--vary", "actions[0].by=KR,XX", "--format", "json"], capsys
    )
    # docs/index.md, "sweep": a value that makes the scenario invalid is reported on its own
    # row, and the sweep goes on.
    assert code == 0
    rows = json.loads(out)["rows"]
    assert "unknown party 'XX'" in json.dumps(rows[1], ensure_ascii=False)
    assert "unknown party" not in json.dumps(rows[0], ensure_ascii=False)
