"""``claims`` and ``calendar --from/--to`` read every date in the treaty's zone, never the
UTC date of an instant (issue 18, item 2; PRODUCT.md, "Time": "every instant ... in the
treaty's zone"). Each is tested on both sides of midnight UTC: east of UTC (Seoul, Paris),
where 00:00 local is the day before in UTC, and west of it (New York), where a late evening
is the next day in UTC."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from cli_helpers import cli, write

from sim.claims import Claims, Kind, check_claims, load_claims, resolve_period
from sim.core.model import Action, Treaty

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = load_claims(ROOT / "seeds")

# A two-party treaty in New York with a five-month withdrawal: a notice at 20:00 on 31 July
# 2019 takes effect at 20:00 local on 31 December 2019 (PRODUCT.md, "Time": months are
# calendar arithmetic on the wall clock), which is 01:00 UTC on 1 January 2020.
NEW_YORK = {
    "name": "A New York pact",
    "parties": ["US", "CA"],
    "timezone": "America/New_York",
    "in_force": "2000-01-01",
    "clause": {"withdrawal": "5mo"},
}
LATE_EVENING = "2019-07-31T20:00"


def _terminated_in(phrase: str, actions: list[dict[str, str]], treaty: Treaty | None) -> bool:
    """The verdict on "terminated in PHRASE" against the record timeline with ``actions``
    (and ``treaty`` in place of GSOMIA)."""
    spec = CLAIMS.timelines["history"]
    scenario = spec.scenario.model_copy(
        update={"actions": [Action.model_validate(a) for a in actions]}
    )
    claim = replace(
        CLAIMS.claims[0],
        kind=Kind.TERMINATED_IN,
        expected=resolve_period(phrase, date(2019, 12, 1)),
        timeline="history",
    )
    claims: Claims = replace(
        CLAIMS,
        timelines={"history": replace(spec, scenario=scenario)},
        claims=(claim,),
    )
    [result] = check_claims(claims, treaty)
    return result.ok


@pytest.mark.parametrize(("phrase", "agrees"), [("2019-11-23", True), ("2019-11-22", False)])
def test_claims_read_an_end_east_of_utc_on_its_local_day(phrase: str, agrees: bool) -> None:
    # GSOMIA art. 21(3): a notice on 23 August 2019 ends the pact at 00:00 KST on
    # 23 November 2019 (PRODUCT.md, "Time"), 15:00 UTC on 22 November.
    notice = {"at": "2019-08-23", "by": "KR", "do": "notify"}
    assert _terminated_in(phrase, [notice], None) is agrees


@pytest.mark.parametrize(("phrase", "agrees"), [("2019", True), ("2020", False)])
def test_claims_read_an_end_west_of_utc_on_its_local_day(phrase: str, agrees: bool) -> None:
    notice = {"at": LATE_EVENING, "by": "US", "do": "notify"}
    treaty = Treaty.model_validate(NEW_YORK)
    assert _terminated_in(phrase, [notice], treaty) is agrees


def _calendar(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = cli(["calendar", *args], capsys)
    assert (code, err) == (0, "")
    return out


UNESCO = str(ROOT / "scenarios" / "unesco_withdrawals_1984_1985.yaml")
# scenarios/unesco_withdrawals_1984_1985.yaml (Imber, "with effect from 31 December 1984";
# Hansard and the Chicago Tribune for the UK; art. II(6)): the US withdrawal takes effect at
# 00:00 Paris time on 1 January 1985, 23:00 UTC on 31 December 1984, a 1985 date; the UK's
# at 00:00 on 1 January 1986, 23:00 UTC on 31 December 1985, a 1986 date.
US_LEAVES = "DTSTART:19841231T230000Z"
GB_LEAVES = "DTSTART:19851231T230000Z"


def test_calendar_years_east_of_utc_are_local_years(capsys: pytest.CaptureFixture[str]) -> None:
    in_1985 = _calendar(capsys, UNESCO, "--from", "1985", "--to", "1985")
    assert US_LEAVES in in_1985 and GB_LEAVES not in in_1985
    in_1986 = _calendar(capsys, UNESCO, "--from", "1986", "--to", "1986")
    assert GB_LEAVES in in_1986 and US_LEAVES not in in_1986


def test_calendar_years_west_of_utc_are_local_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Three parties, so that each notice ends only its party's participation (PRODUCT.md,
    # "The treaty"): CA's notice of 1 September 2019 takes effect on 1 February 2020.
    inline = (
        "name: New York pact\ntreaty:\n  name: A New York pact\n  parties: [US, CA, MX]\n"
        "  timezone: America/New_York\n  in_force: 2000-01-01\n  clause: {withdrawal: 5mo}\n"
        f'actions:\n  - {{at: "{LATE_EVENING}", by: US, do: notify}}\n'
        "  - {at: 2019-09-01, by: CA, do: notify}\n"
    )
    path = write(tmp_path, inline)
    us_leaves = "DTSTART:20200101T010000Z"  # 20:00 EST on 31 December 2019
    ca_leaves = "DTSTART:20200201T050000Z"  # 00:00 EST on 1 February 2020
    in_2019 = _calendar(capsys, path, "--from", "2019", "--to", "2019")
    assert us_leaves in in_2019 and ca_leaves not in in_2019
    in_2020 = _calendar(capsys, path, "--from", "2020", "--to", "2020")
    assert ca_leaves in in_2020 and us_leaves not in in_2020
