"""The state table: one entry for every standing and action, and the documentation shows it
as it is (PRODUCT.md, "Actions"; docs/state-machine.md)."""

from __future__ import annotations

import itertools
from pathlib import Path

from sim.core.machine import TABLE, Go, Guard, Reject, Standing, table_markdown
from sim.core.model import ActionKind, EventKind

DOC = Path(__file__).resolve().parent.parent / "docs" / "state-machine.md"


def test_every_standing_and_action_has_an_entry() -> None:
    # PRODUCT.md, "Actions": every action either applies or is rejected with a reason.
    assert set(TABLE) == set(itertools.product(Standing, ActionKind))
    assert len(TABLE) == len(Standing) * len(ActionKind)


def test_every_rejection_has_a_reason_and_every_transition_an_event() -> None:
    # PRODUCT.md, "Actions": a rejected event records the reason.
    for (standing, action), outcome in TABLE.items():
        if isinstance(outcome, Reject):
            assert outcome.reason.strip(), (standing, action)
        else:
            assert isinstance(outcome, Go)
            assert outcome.event in EventKind
            assert outcome.event is not EventKind.REJECTED
            assert all(guard in Guard for guard in outcome.guards)


def test_nothing_applies_before_entry_into_force_or_after_the_end() -> None:
    # PRODUCT.md, "Actions": "anything after the end" is not applied; nor is anything before
    # the treaty is in force (status not_yet_in_force).
    # PRODUCT.md 0.2: a party may join before entry into force, and "a party that left may
    # join again": join is the one exception.
    for action in ActionKind:
        assert isinstance(TABLE[(Standing.NOT_YET_IN_FORCE, action)], Reject)
        if action is not ActionKind.JOIN:
            assert isinstance(TABLE[(Standing.ENDED, action)], Reject)
            assert isinstance(TABLE[(Standing.NOT_A_PARTY, action)], Reject)
    assert isinstance(TABLE[(Standing.ENDED, ActionKind.JOIN)], Go)
    assert isinstance(TABLE[(Standing.NOT_A_PARTY, ActionKind.JOIN)], Go)


def test_the_rejections_product_md_names_are_in_the_table() -> None:
    # PRODUCT.md, "Actions": "resume with no suspended notice", "a second notice by the same
    # party while one is pending".
    assert isinstance(TABLE[(Standing.IN_FORCE, ActionKind.RESUME_NOTICE)], Reject)
    assert isinstance(TABLE[(Standing.NOTICE_PENDING, ActionKind.RESUME_NOTICE)], Reject)
    assert isinstance(TABLE[(Standing.NOTICE_PENDING, ActionKind.NOTIFY)], Reject)
    # and the transitions it describes
    notify = TABLE[(Standing.IN_FORCE, ActionKind.NOTIFY)]
    assert isinstance(notify, Go)
    assert (notify.then, notify.event) == (Standing.NOTICE_PENDING, EventKind.NOTICE_GIVEN)
    resume = TABLE[(Standing.NOTICE_SUSPENDED, ActionKind.RESUME_NOTICE)]
    assert isinstance(resume, Go)
    assert (resume.then, resume.event) == (Standing.NOTICE_PENDING, EventKind.NOTICE_RESUMED)
    for standing in (Standing.NOTICE_PENDING, Standing.NOTICE_SUSPENDED):
        withdraw = TABLE[(standing, ActionKind.WITHDRAW_NOTICE)]
        assert isinstance(withdraw, Go)
        assert (withdraw.then, withdraw.event) == (Standing.IN_FORCE, EventKind.NOTICE_WITHDRAWN)
        terminate = TABLE[(standing, ActionKind.TERMINATE)]
        assert isinstance(terminate, Go)
        assert (terminate.then, terminate.event) == (Standing.ENDED, EventKind.TERMINATED)


def test_the_markdown_table_has_a_row_per_action_and_a_column_per_standing() -> None:
    lines = table_markdown().splitlines()
    assert len(lines) == 2 + len(ActionKind)
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["action", *(standing.value for standing in Standing)]
    for line, action in zip(lines[2:], ActionKind, strict=True):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert cells[0] == f"`{action.value}`"
        assert len(cells) == 1 + len(Standing)
        for cell, standing in zip(cells[1:], Standing, strict=True):
            outcome = TABLE[(standing, action)]
            if isinstance(outcome, Reject):
                assert outcome.reason in cell
            else:
                assert f"`{outcome.event.value}`" in cell


def test_the_documentation_shows_the_table_as_it_is() -> None:
    # docs/state-machine.md holds table_markdown() verbatim, so the doc cannot drift.
    assert table_markdown() in DOC.read_text(encoding="utf-8")
