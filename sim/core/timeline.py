"""What a run produces: events, terms and parties (PRODUCT.md, "The timeline")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sim.core.dates import utc
from sim.core.kernel import Basis
from sim.core.model import EventKind, Interpretation
from sim.core.rules import Schedule

__all__ = ["Event", "EventKind", "Outcome", "Term", "Timeline"]


class Outcome(StrEnum):
    """How a term ended."""

    RENEWED = "renewed"
    TERMINATED = "terminated"
    EXPIRED = "expired"
    EXTENDED = "extended"
    RUNNING = "running"


@dataclass(frozen=True)
class Event:
    """One dated event. ``term`` is the term in force when it happened; ``effective`` is when
    a notice or an extension takes effect; ``reason`` says why (always, for ``rejected``)."""

    at: datetime
    kind: EventKind
    by: str | None = None
    term: int | None = None
    effective: datetime | None = None
    reason: str | None = None
    action: str | None = None
    """For ``rejected``: the action that was refused (notify, extend, ...)."""
    late_for: datetime | None = None
    """For ``notice_given``: the end of the term the notice came too late to stop (PRODUCT.md
    0.3, "Late notices"), or None."""
    basis: Basis | None = field(default=None, compare=False, repr=False)
    """What the kernel decided it from (:mod:`sim.core.kernel`), for ``explain``; not part
    of the output."""


@dataclass
class Term:
    """A term ``[start, end)``; ``end`` is None only for a treaty of indefinite duration
    still in force at the horizon. ``scheduled_end`` is the end the clause gave, from which
    the notice deadline is reckoned, even where the term ended sooner."""

    number: int
    start: datetime
    end: datetime | None
    scheduled_end: datetime | None
    notice_deadline: datetime | None
    outcome: Outcome = Outcome.RUNNING


@dataclass
class Timeline:
    """The result of running a scenario."""

    scenario: str
    treaty: str
    timezone: str
    interpretation: Interpretation
    horizon: datetime
    parties: list[str]
    in_force: datetime | None
    """The treaty's entry into force; None where it had not entered into force by the
    horizon (a count of ``join`` not reached)."""
    terminated_at: datetime | None = None
    bound_until: dict[str, datetime | None] = field(default_factory=dict)
    survives_until: dict[str, datetime | None] = field(default_factory=dict)
    """Under a clause with ``survival`` (empty otherwise), for each party: when the
    obligations that survive its withdrawal end (PRODUCT.md 0.2, "Survival"), or None."""
    terms: list[Term] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    schedule: Schedule | None = field(default=None, compare=False, repr=False)
    """The term ends as the run had them at its end, extensions included (None: never in
    force): the record ``explain`` reads a term's end from."""

    @property
    def rejections(self) -> list[Event]:
        """The actions that did not apply."""
        return [event for event in self.events if event.kind is EventKind.REJECTED]

    def status_at(self, moment: datetime) -> str:
        """``not_yet_in_force``, ``in_force`` or ``terminated`` at an instant."""
        if self.in_force is None or utc(moment) < utc(self.in_force):
            return "not_yet_in_force"
        if self.terminated_at is not None and utc(moment) >= utc(self.terminated_at):
            return "terminated"
        return "in_force"
