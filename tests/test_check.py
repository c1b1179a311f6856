"""``treaty-sim check`` never passes a wrong expectation: every field ``expect:`` can name is
compared, and a difference names its field (PRODUCT.md, "Scenario files", and "Additions for
version 0.2"; issue 12, points 1 and 2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import scenarios

from sim.check import differences
from sim.cli import main
from sim.core.dates import as_instant, iso, utc, zone
from sim.core.model import EventKind, Expect, Scenario, Treaty
from sim.core.timeline import Outcome, Timeline
from sim.engine import run
from sim.library import builtin


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().out


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> tuple[int, str]:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return cli(["check", str(path)], capsys)


# facts/treaties.md, "GSOMIA": KR's written notice of termination, delivered 23 August 2019.
# Left standing, it ends GSOMIA at 00:00 KST on 23 November 2019 (art. 21(3), 90 days'
# notice; PRODUCT.md, "Time": a notice on 2019-08-24 stops the renewal at
# 2019-11-23T00:00:00+09:00). Term 3 runs 2018-11-23 to 2019-11-23 and is terminated.
NOTICE = """name: KR notifies
treaty: gsomia
horizon: 2021-01-01
actions:
  - {at: 2019-08-23, by: KR, do: notify}
expect:
"""


@pytest.mark.parametrize(
    "expect",
    [
        "  events: [{at: 2019-08-23, kind: notice_given, by: KR}]\n",
        "  events: [{at: 2019-08-23, kind: notice_given, by: KR, effective: 2019-11-23}]\n",
        "  events: [{at: 2019-11-23, kind: terminated, effective: null}]\n",
        "  bound_until: {KR: 2019-11-23, JP: 2019-11-23}\n",
        "  terms: [{number: 3, outcome: terminated, end: 2019-11-23}]\n",
        "  terms: [{number: 2, outcome: renewed}]\n",
        "  parties: [{party: KR, bound_until: 2019-11-23, survives_until: null}]\n",
        "  parties: [{party: JP}]\n",
    ],
)
def test_a_true_expectation_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expect: str
) -> None:
    code, out = check(tmp_path, capsys, NOTICE + expect)
    assert code == 0, out


@pytest.mark.parametrize(
    ("expect", "field"),
    [
        # Issue 12, point 1: KR notified, not JP.
        ("  events: [{at: 2019-08-23, kind: notice_given, by: JP}]\n", "events[0].by"),
        # Issue 12, point 2: KR is bound until 2019-11-23, not a year later.
        ("  bound_until: {KR: 2020-11-23}\n", "bound_until.KR"),
        ("  parties: [{party: KR, bound_until: 2020-11-23}]\n", "parties[0].bound_until"),
        ("  parties: [{party: KR, bound_until: null}]\n", "parties[0].bound_until"),
        ("  parties: [{party: KR, survives_until: 2019-11-23}]\n", "parties[0].survives_until"),
        # The notice takes effect 2019-11-23, not 2019-11-24, and has a date of effect.
        (
            "  events: [{at: 2019-08-23, kind: notice_given, effective: 2019-11-24}]\n",
            "events[0].effective",
        ),
        (
            "  events: [{at: 2019-08-23, kind: notice_given, effective: null}]\n",
            "events[0].effective",
        ),
        ("  events: [{at: 2019-08-24, kind: notice_given, by: KR}]\n", "events[0].at"),
        ('  events: [{at: "2019-08-23T00:00:01", kind: notice_given}]\n', "events[0].at"),
        ("  events: [{at: 2019-08-23, kind: notice_withdrawn, by: KR}]\n", "events[0].kind"),
        # A notice that stands leaves nothing rejected.
        ("  events: [{at: 2019-08-23, kind: rejected, by: KR}]\n", "events[0].kind"),
        ("  terms: [{number: 3, outcome: renewed}]\n", "terms[0].outcome"),
        ("  terms: [{number: 3, end: 2020-11-23}]\n", "terms[0].end"),
        ("  terms: [{number: 3, end: null}]\n", "terms[0].end"),
        ("  terms: [{number: 4}]\n", "terms[0].number"),
        ("  terminated_at: null\n", "terminated_at"),
        ('  status_at: {"2019-11-23T00:00": in_force}\n', "status_at.2019-11-23T00:00"),
    ],
)
def test_a_wrong_expectation_fails_naming_its_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expect: str, field: str
) -> None:
    code, out = check(tmp_path, capsys, NOTICE + expect)
    assert code == 1, out
    assert f"- {field}" in out or f", {field}" in out, out


# PRODUCT.md, "An action that does not apply ... is recorded as rejected": a resumption with
# no suspended notice. Its presence, and its party, are what `expect:` can name.
def test_a_rejection_can_be_expected_and_its_absence_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = NOTICE.replace(
        "actions:\n", "actions:\n  - {at: 2019-01-10, by: JP, do: resume_notice}\n"
    )
    code, out = check(tmp_path, capsys, text + "  events: [{at: 2019-01-10, kind: rejected}]\n")
    assert code == 0, out
    wrong = "  events: [{at: 2019-01-10, kind: rejected, by: KR}]\n"
    code, out = check(tmp_path, capsys, text + wrong)
    assert code == 1 and "events[0].by" in out, out


# The engine fills `survives_until` for clauses with survival (PRODUCT.md 0.2, "Survival");
# here a timeline is given one by hand, to show `check` compares it: a party whose
# withdrawal took effect on 2019-11-23 with a survival of one year survives until
# 2020-11-23.
def test_survives_until_is_compared_with_the_timeline() -> None:
    treaty = builtin("gsomia")
    scenario = Scenario.model_validate(
        {
            "name": "s",
            "treaty": "gsomia",
            "actions": [{"at": "2019-08-23", "by": "KR", "do": "notify"}],
        }
    )
    timeline = run(scenario, treaty)
    timeline.survives_until = {"KR": as_instant("2020-11-23", zone(treaty.timezone))}
    right = Expect.model_validate({"parties": [{"party": "KR", "survives_until": "2020-11-23"}]})
    assert differences(right, timeline, treaty) == []
    for wrong in ("2020-11-24", "2020-11-22T23:59:59", None):
        expect = Expect.model_validate({"parties": [{"party": "KR", "survives_until": wrong}]})
        found = differences(expect, timeline, treaty)
        assert len(found) == 1 and found[0].startswith("parties[0].survives_until:"), found
    unset = Expect.model_validate({"parties": [{"party": "JP", "survives_until": None}]})
    assert differences(unset, timeline, treaty) == []


# Every kind of difference, worded in full: the notice of 23 August 2019 ends GSOMIA at
# 00:00 KST on 23 November 2019 (PRODUCT.md, "Time"); term 3 (from 23 November 2018) is the
# one it ends; neither party has obligations that survive (the clause has no survival).
# Each expectation below is wrong in the field the line names.
EVERY_DIFFERENCE = """name: KR notifies
treaty: gsomia
horizon: 2021-01-01
actions:
  - {at: 2019-08-23, by: KR, do: notify}
expect:
  terminated_at: null
  bound_until: {KR: null}
  status_at: {"2019-11-23T00:00": in_force}
  events:
    - {at: 2019-08-23, kind: notice_given, by: JP, effective: null}
    - {at: 2019-08-24, kind: notice_given, by: KR}
    - {at: 2019-08-23, kind: notice_withdrawn, by: KR}
    - {at: 2019-11-23, kind: terminated, effective: 2019-11-23}
  terms:
    - {number: 3, outcome: renewed, end: 2020-11-23}
    - {number: 9}
    - {number: 3, end: null}
  parties:
    - {party: KR, bound_until: 2020-11-23, survives_until: 2020-11-23}
    - {party: JP, bound_until: null}
"""

N, G, G24, L = (
    f"{day}T00:00:00+09:00" for day in ("2019-11-23", "2019-08-23", "2019-08-24", "2020-11-23")
)
H = "null (still bound at the horizon)"
EVERY_DIFFERENCE_REPORT = [
    f"terminated_at: expected {H}, simulated {N}",
    f"bound_until.KR: expected {H}, simulated {N}",
    "status_at.2019-11-23T00:00: expected in_force, simulated terminated",
    (
        f"events[0].by, events[0].effective: expected notice_given by JP at {G} with no "
        f"date of effect, not simulated; nearest: notice_given by KR at {G} effective {N}"
    ),
    (
        f"events[1].at: expected notice_given by KR at {G24}, not simulated; nearest: "
        f"notice_given by KR at {G} effective {N}"
    ),
    (
        f"events[2].kind: expected notice_withdrawn by KR at {G}, not simulated; nearest: "
        f"notice_given by KR at {G} effective {N}"
    ),
    (
        f"events[3].effective: expected terminated at {N} effective {N}, not simulated; "
        f"nearest: terminated by KR at {N}"
    ),
    "terms[0].outcome: term 3 expected renewed, simulated terminated",
    f"terms[0].end: term 3 expected to end {L}, simulated {N}",
    "terms[1].number: no term 9 in the timeline (terms 1 to 3)",
    f"terms[2].end: term 3 expected to end null, simulated {N}",
    f"parties[0].bound_until: KR expected {L}, simulated {N}",
    f"parties[0].survives_until: KR expected {L}, simulated null",
    f"parties[1].bound_until: JP expected {H}, simulated {N}",
]


def test_every_difference_is_worded_in_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # (a party the treaty does not list is refused at load, exit 2: tests/test_errors.py)
    code, out = check(tmp_path, capsys, EVERY_DIFFERENCE)
    assert code == 1
    report = [line.removeprefix("        - ") for line in out.splitlines()[1:]]
    assert report == EVERY_DIFFERENCE_REPORT


# --- the property: every field is compared ------------------------------------------------


def _text(moment: datetime | None) -> str | None:
    return iso(moment) if moment is not None else None


def _later(moment: datetime) -> datetime:
    """One second later, as an instant (not on the wall clock)."""
    return (utc(moment) + timedelta(seconds=1)).astimezone(moment.tzinfo)


def expectations(timeline: Timeline) -> dict[str, Any]:
    """Everything ``expect:`` can say, as it is true of ``timeline``."""
    return {
        "terminated_at": _text(timeline.terminated_at),
        "bound_until": {p: _text(m) for p, m in timeline.bound_until.items()},
        "status_at": (
            {iso(timeline.in_force): timeline.status_at(timeline.in_force)}
            if timeline.in_force is not None
            else {}
        ),
        "events": [
            {
                "at": iso(e.at),
                "kind": e.kind.value,
                "by": e.by,
                "effective": _text(e.effective),
            }
            for e in timeline.events
        ],
        "terms": [
            {"number": t.number, "outcome": t.outcome.value, "end": _text(t.end)}
            for t in timeline.terms
        ],
        "parties": [
            {
                "party": p,
                "bound_until": _text(timeline.bound_until[p]),
                "survives_until": _text(timeline.survives_until.get(p)),
            }
            for p in timeline.parties
        ],
    }


def _moved(text: str | None, fallback: datetime) -> str:
    """An instant one second after the one written, or ``fallback`` where none was."""
    if text is None:
        return iso(fallback)
    moment = datetime.fromisoformat(text)
    return iso(_later(moment))


def _holds(event: dict[str, Any], timeline: Timeline, treaty: Treaty) -> bool:
    """Whether some event of the timeline meets the expected one (written independently of
    sim.check, as the property's oracle)."""
    tz = zone(treaty.timezone)
    for e in timeline.events:
        if utc(e.at) != utc(as_instant(event["at"], tz)) or e.kind.value != event["kind"]:
            continue
        if event["by"] is not None and e.by != event["by"]:
            continue
        want = event["effective"]
        if (want is None) != (e.effective is None):
            continue
        if (
            want is not None
            and e.effective is not None
            and utc(e.effective) != utc(as_instant(want, tz))
        ):
            continue
        return True
    return False


FIELDS = (
    "terminated_at",
    "bound_until",
    "status_at",
    "events.at",
    "events.kind",
    "events.by",
    "events.effective",
    "terms.number",
    "terms.outcome",
    "terms.end",
    "parties.party",
    "parties.bound_until",
    "parties.survives_until",
)


@st.composite
def perturbed(draw: st.DrawFn) -> tuple[Timeline, Treaty, dict[str, Any], str]:
    """A timeline, the expectations true of it with one field made false, and the name of
    that field as ``check`` must report it."""
    scenario = draw(scenarios())
    assert isinstance(scenario.treaty, Treaty)
    treaty = scenario.treaty
    timeline = run(scenario, treaty)
    # Survival is not yet simulated: some parties are given a survives_until by hand.
    for party, until in timeline.bound_until.items():
        if until is not None and draw(st.booleans()):
            timeline.survives_until[party] = until + timedelta(days=draw(st.integers(1, 400)))
    data = expectations(timeline)
    field = draw(st.sampled_from(FIELDS))
    section, _, key = field.partition(".")
    fallback = timeline.horizon
    if field == "terminated_at":
        data[field] = _moved(data[field], fallback)
        return timeline, treaty, {field: data[field]}, field
    if field == "bound_until":
        party = draw(st.sampled_from(timeline.parties))
        data[field][party] = _moved(data[field][party], fallback)
        return timeline, treaty, {field: data[field]}, f"bound_until.{party}"
    if field == "status_at":
        moment = iso(timeline.in_force)
        wrong = "not_yet_in_force" if draw(st.booleans()) else "terminated"
        assume(wrong != timeline.status_at(timeline.in_force))
        return timeline, treaty, {field: {moment: wrong}}, f"status_at.{moment}"
    assume(data[section])  # a treaty not yet in force at the horizon has no term
    index = draw(st.integers(0, len(data[section]) - 1))
    entry = data[section][index]
    name = f"{section}[{index}].{key}"
    if section == "events":
        if key == "at":
            entry["at"] = _moved(entry["at"], fallback)
        elif key == "kind":
            others = [k.value for k in EventKind if k.value != entry["kind"]]
            entry["kind"] = draw(st.sampled_from(others))
        elif key == "by":
            others = [p for p in [*timeline.parties, "XX"] if p != entry["by"]]
            entry["by"] = draw(st.sampled_from(others))
        else:
            entry["effective"] = _moved(entry["effective"], _later(timeline.events[index].at))
        assume(not _holds(entry, timeline, treaty))
    elif section == "terms":
        if key == "number":
            entry["number"] = len(timeline.terms) + draw(st.integers(1, 3))
        elif key == "outcome":
            others = [o.value for o in Outcome if o.value != entry["outcome"]]
            entry["outcome"] = draw(st.sampled_from(others))
        else:
            entry["end"] = _moved(entry["end"], timeline.terms[index].start)
    else:
        if key == "party":
            entry["party"] = "XX"
        else:
            entry[key] = _moved(entry[key], fallback)
    return timeline, treaty, {section: [entry]}, name.replace(f"[{index}]", "[0]")


# Expectations written from a run are met by it; and with any one field made false (an
# instant moved by one second, or set where there was none; another party, kind, outcome or
# term number; a party that is not one), `check` fails, and its report names that field.
@given(perturbed())
def test_check_fails_on_any_one_wrong_field_and_names_it(
    case: tuple[Timeline, Treaty, dict[str, Any], str],
) -> None:
    timeline, treaty, wrong, field = case
    assert differences(Expect.model_validate(expectations(timeline)), timeline, treaty) == []
    found = differences(Expect.model_validate(wrong), timeline, treaty)
    assert found, (field, wrong)
    assert any(
        line.startswith(f"{field}:") or line.startswith(f"{field},") or f", {field}" in line
        for line in found
    ), (field, found)


def differences_of(
    expect: dict[str, Any], actions: list[dict[str, str]], **scenario: Any
) -> list[str]:
    treaty = builtin("gsomia")
    data = {"name": "s", "treaty": "gsomia", "actions": actions, **scenario}
    return differences(
        Expect.model_validate(expect), run(Scenario.model_validate(data), treaty), treaty
    )


KR_NOTICE = [{"at": "2019-08-23", "by": "KR", "do": "notify"}]


def test_a_non_party_does_not_hide_the_parties_after_it() -> None:
    found = differences_of({"bound_until": {"XX": None, "KR": "2020-11-23"}}, KR_NOTICE)
    assert found == [
        "bound_until.XX: XX is not a party of Korea–Japan GSOMIA",
        "bound_until.KR: expected 2020-11-23T00:00:00+09:00, simulated 2019-11-23T00:00:00+09:00",
    ]


# Before entry into force (23 November 2016, facts/treaties.md) there is no term.
def test_a_timeline_without_terms() -> None:
    found = differences_of({"terms": [{"number": 1}]}, [], horizon="2016-01-01")
    assert found == ["terms[0].number: no term 1 in the timeline (no term)"]


# GSOMIA as it happened renews every 23 November, 2017 to 2023 (facts/treaties.md): a
# renewal expected on another day is nearest to all seven; three are shown.
def test_many_nearest_events_are_shown_three_and_counted() -> None:
    found = differences_of(
        {"events": [{"at": "2019-06-01", "kind": "renewed"}]},
        [],
        horizon="2024-01-01",
    )
    assert found == [
        "events[0].at: expected renewed at 2019-06-01T00:00:00+09:00, not simulated; nearest: "
        "renewed at 2017-11-23T00:00:00+09:00; renewed at 2018-11-23T00:00:00+09:00; "
        "renewed at 2019-11-23T00:00:00+09:00 (and 4 more)"
    ]


def test_a_wrong_survives_until_is_shown_against_the_simulated_one() -> None:
    treaty = builtin("gsomia")
    scenario = Scenario.model_validate({"name": "s", "treaty": "gsomia", "actions": KR_NOTICE})
    timeline = run(scenario, treaty)
    timeline.survives_until = {"KR": as_instant("2020-11-23", zone(treaty.timezone))}
    expect = Expect.model_validate({"parties": [{"party": "KR", "survives_until": "2021-11-23"}]})
    assert differences(expect, timeline, treaty) == [
        "parties[0].survives_until: KR expected 2021-11-23T00:00:00+09:00, "
        "simulated 2020-11-23T00:00:00+09:00"
    ]
