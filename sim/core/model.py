"""The clause, the treaty, the actions and the scenario of PRODUCT.md, as frozen models.

These are the words of the scenario format; their validators state the rules that make a
clause coherent ("``notice`` needs ``renewal``, and ``renewal`` needs ``term``; ``notice`` and
``withdrawal`` exclude each other; durations are positive").
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sim.core.dates import UTC, Counting, DateError, Duration, as_instant, missing_day, zone
from sim.core.interpretation import Interpretation as Interpretation

DURATION_PATTERN = r"^\s*(\d+\s*(d|w|mo|y)|[Pp](?=\d)(\d+[Yy])?(\d+[Mm])?(\d+[Ww])?(\d+[Dd])?)\s*$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
MOMENT_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$"


def _duration(value: Any) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise ValueError("a duration is text such as 90d, 2w, 6mo, 1y or P90D")
    try:
        return Duration.parse(value)
    except DateError as error:
        raise ValueError(str(error)) from None


def _moment(value: Any) -> date | datetime | str:
    if isinstance(value, bool) or not isinstance(value, (date, datetime, str)):
        raise ValueError("a date is written YYYY-MM-DD, a time YYYY-MM-DDTHH:MM[:SS]")
    try:
        as_instant(value, UTC)
    except DateError as error:
        raise ValueError(str(error)) from None
    return value


def _has_offset(value: date | datetime | str) -> bool:
    if isinstance(value, datetime):
        return value.tzinfo is not None
    return isinstance(value, str) and bool(re.search(r"(Z|[+-]\d{2}:\d{2})$", value.strip()))


def _written(value: date | datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _day(value: Any) -> date:
    if isinstance(value, datetime) or not isinstance(value, (date, str)):
        raise ValueError("a date is written YYYY-MM-DD")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            impossible = missing_day(value)
            if impossible is not None and len(value.strip()) == len("YYYY-MM-DD"):
                raise ValueError(impossible) from None
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    return value


DurationField = Annotated[
    Duration,
    BeforeValidator(_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN, "examples": ["90d", "1y"]}),
]
"""A duration as written in a scenario: ``90d``, ``2w``, ``6mo``, ``1y``, ``P90D``..."""

Moment = Annotated[
    date | datetime | str,
    BeforeValidator(_moment),
    PlainSerializer(lambda value: value if isinstance(value, str) else value.isoformat()),
    WithJsonSchema({"type": "string", "pattern": MOMENT_PATTERN}),
]
"""A date (00:00 local in the treaty's zone) or a local date-time."""

Day = Annotated[
    date,
    BeforeValidator(_day),
    PlainSerializer(lambda value: value.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN}),
]
"""A calendar date."""


class _Frozen(BaseModel):
    # defer_build: a model's validator is built when it first validates, not at import
    # (docs/performance.md); the start-up of a command pays only for what it validates.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class LateNotice(StrEnum):
    """What a renewal notice received after the deadline does (clause ``late_notice``)."""

    NEXT_TERM = "next_term"
    VOID = "void"


class EffectOn(StrEnum):
    """A calendar boundary a notice's effect is moved to (clause ``effect_on``)."""

    FIRST_OF_NEXT_MONTH = "first_of_next_month"
    """Council of Europe conventions (Istanbul Convention art. 80(2)): "on the first day of
    the month following the expiration of a period of three months after the date of
    receipt": 00:00 on the first day of the month after the one in which the period ends."""
    END_OF_FOLLOWING_YEAR = "end_of_following_year"
    """UNESCO Constitution art. II(6): "on 31 December of the year following that during
    which the notice was given": bound through 31 December, so the effect is 00:00 on the
    1 January after it (docs/decisions.md)."""
    START_OF_YEAR = "start_of_year"
    """The turn of the year (PRODUCT.md 0.3): 00:00 on the first 1 January at or after the end
    of the withdrawal period ("shall cease to be in force from the first day of the
    immediately following calendar year")."""


class MonthAfter(_Frozen):
    """The Nth month (PRODUCT.md 0.3): 00:00 on the first day of the ``first_of_month_after``-th
    month after the month in which the withdrawal period ends (the month of receipt, with no
    period). UK–EU TCA art. 779(1), "on the first day of the twelfth month following the date
    of notification": ``{first_of_month_after: 12}``. ``first_of_next_month`` is N = 1."""

    first_of_month_after: int


Boundary = EffectOn | MonthAfter
"""Clause ``effect_on``: a named calendar boundary, or the first day of the Nth month."""

_BOUNDARIES = (
    "first_of_next_month, end_of_following_year, start_of_year or {first_of_month_after: N}"
)


def _boundary(value: Any) -> Boundary:
    """Clause ``effect_on`` as written, refused in one line naming what is wrong."""
    if isinstance(value, (EffectOn, MonthAfter)):
        return value
    if isinstance(value, str):
        try:
            return EffectOn(value)
        except ValueError:
            raise ValueError(f"unknown boundary {value!r}: must be {_BOUNDARIES}") from None
    if isinstance(value, dict):
        unknown = sorted(str(key) for key in value if key != "first_of_month_after")
        if unknown:
            raise ValueError(
                f"unknown field {unknown[0]!r}: the Nth month is written "
                "{first_of_month_after: N}"
            )
        months = value.get("first_of_month_after")
        if isinstance(months, bool) or not isinstance(months, int) or months < 1:
            raise ValueError(f"first_of_month_after must be a whole number N >= 1, not {months!r}")
        return MonthAfter.model_construct(first_of_month_after=months)
    raise ValueError(f"must be {_BOUNDARIES}")


BoundaryField = Annotated[
    Boundary,
    BeforeValidator(_boundary),
    PlainSerializer(
        lambda value: value.value if isinstance(value, EffectOn) else value.model_dump()
    ),
    WithJsonSchema(
        {
            "anyOf": [
                {"enum": [member.value for member in EffectOn]},
                {
                    "type": "object",
                    "properties": {"first_of_month_after": {"type": "integer", "minimum": 1}},
                    "required": ["first_of_month_after"],
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


class EffectNotDuring(StrEnum):
    """When a withdrawal may not take effect (clause ``effect_not_during``)."""

    ARMED_CONFLICT = "armed_conflict"
    """Ottawa Convention art. 20(2): "if on the expiry of that six-month period, the
    withdrawing State Party is engaged in an armed conflict, the withdrawal shall not take
    effect before the end of the armed conflict"."""


class TermsFrom(StrEnum):
    """What a renewal clause's terms are counted from (clause ``terms_from``)."""

    TREATY = "treaty"
    PARTY = "party"
    """Each party's own entry into force (European Social Charter of 1961, art. 37(1): "at the
    end of a period of five years from the date on which the Charter entered into force for
    it, or at the end of any successive period of two years")."""


class WindowFrom(StrEnum):
    """What a cyclic notice window is counted from (clause ``notice_window.from``)."""

    TREATY = "treaty"
    PARTY = "party"


class NoticeWindow(_Frozen):
    """When a notice may be given. Two forms, one at a time:

    - ``{opens: D}`` (0.2, renewal clauses): not earlier than ``opens`` before a term's end
      (and, by ``notice``, not later than that before it);
    - ``{every: D, open_for: D2, from: treaty | party}`` (0.3): only in
      ``[s + k·every, s + k·every + open_for)`` for a whole k >= 1, where s is the treaty's
      entry into force (or the party's own, with ``from: party``), counted on the wall clock.
      ILO Convention No. 87 art. 16: ``{every: 10y, open_for: 1y}``.
    """

    opens: DurationField | None = None
    every: DurationField | None = None
    open_for: DurationField | None = None
    from_: WindowFrom = Field(default=WindowFrom.TREATY, alias="from")

    @model_validator(mode="after")
    def _one_form(self) -> NoticeWindow:
        cyclic = self.every is not None or self.open_for is not None
        if self.opens is not None and cyclic:
            raise ValueError(
                "a notice window is either {opens} (before a term's end) or {every, open_for} "
                "(on a fixed cycle), not both"
            )
        if self.opens is None and not cyclic:
            raise ValueError("a notice window needs opens, or every and open_for")
        if cyclic:
            if self.every is None or self.open_for is None:
                missing = "every" if self.every is None else "open_for"
                raise ValueError(f"a window on a fixed cycle needs {missing} too")
            if _approximate_days(self.open_for) > _approximate_days(self.every):
                raise ValueError(
                    f"open_for ({self.open_for}) must not be longer than every ({self.every}): "
                    "the windows would overlap"
                )
        elif "from_" in self.model_fields_set:
            raise ValueError("from applies to a window on a fixed cycle ({every, open_for})")
        return self

    @property
    def cyclic(self) -> bool:
        """A window on a fixed cycle (``every``, ``open_for``), not one before a term's end."""
        return self.every is not None


DayOrDuration = Annotated[
    date | Duration,
    BeforeValidator(lambda value: _day_or_duration(value)),
    PlainSerializer(lambda value: value.isoformat() if isinstance(value, date) else str(value)),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": DATE_PATTERN},
                {"type": "string", "pattern": DURATION_PATTERN},
            ]
        }
    ),
]
"""A date, or a duration counted from entry into force (clause ``earliest_effect``)."""


def _day_or_duration(value: Any) -> date | Duration:
    if isinstance(value, (date, Duration)) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10 and value.strip()[4] == "-":
        return _day(value)
    try:
        return _duration(value)
    except ValueError:
        raise ValueError("a date (YYYY-MM-DD) or a duration (90d, 6mo, 10y)") from None


def _approximate_days(duration: Duration) -> float:
    return duration.months * 365.2425 / 12 + duration.days


class Clause(_Frozen):
    """A treaty's duration and exit clause (PRODUCT.md, "The clause", and its additions for
    version 0.2)."""

    term: DurationField | None = None
    renewal: DurationField | None = None
    notice: DurationField | None = None
    late_notice: LateNotice = LateNotice.NEXT_TERM
    withdrawal: DurationField | None = None
    earliest_notice: DurationField | None = None
    counting: Counting = Counting.EXACT
    earliest_effect: DayOrDuration | None = None
    effect_on: BoundaryField | None = None
    survival: DurationField | None = None
    notice_window: NoticeWindow | None = None
    max_extension: DurationField | None = None
    accession_delay: DurationField | None = None
    effect_not_during: EffectNotDuring | None = None
    terms_from: TermsFrom = TermsFrom.TREATY

    @model_validator(mode="after")
    def _coherent(self) -> Clause:
        if self.renewal is not None and self.term is None:
            raise ValueError("renewal needs term (the initial term it renews)")
        if self.notice is not None and self.renewal is None:
            raise ValueError("notice needs renewal (a notice stops an automatic renewal)")
        if self.notice is not None and self.withdrawal is not None:
            raise ValueError("notice and withdrawal exclude each other: choose one exit clause")
        if self.effect_on is EffectOn.FIRST_OF_NEXT_MONTH and self.withdrawal is None:
            raise ValueError(
                "effect_on: first_of_next_month needs withdrawal (the period whose expiration "
                "it follows)"
            )
        if self.effect_on is not None and self.notice is not None:
            raise ValueError("effect_on applies to a withdrawal, not to a renewal notice")
        if self.terms_from is TermsFrom.PARTY and self.term is None:
            raise ValueError("terms_from: party needs term (the terms it counts for each party)")
        if self.notice_window is not None and self.notice_window.opens is not None:
            if self.notice is None:
                raise ValueError("notice_window needs notice (the window's other bound)")
            if _approximate_days(self.notice_window.opens) <= _approximate_days(self.notice):
                raise ValueError(
                    f"notice_window.opens ({self.notice_window.opens}) must be longer than "
                    f"notice ({self.notice}): the window's bounds cross"
                )
        return self

    @property
    def allows_exit(self) -> bool:
        """Whether a party may leave unilaterally at all: a renewal notice, a withdrawal
        period, or an effect on a calendar boundary counted from receipt."""
        return self.notice is not None or self.withdrawal is not None or self.effect_on is not None


class EntryIntoForce(_Frozen):
    """Entry into force by a count of ratifications: ``after`` the ``parties``-th ``join``
    (Paris Agreement art. 21(1): "on the thirtieth day after the date on which at least 55
    Parties ... have deposited their instruments")."""

    parties: int = Field(ge=1)
    after: DurationField | None = None


class Party(_Frozen):
    """A party with its own date of entry into force (Paris Agreement art. 28(1): "from the
    date on which this Agreement has entered into force for a Party"); ``in_force: null``:
    listed, but a party only once it joins."""

    party: str = Field(min_length=1)
    in_force: Day | None


class Treaty(_Frozen):
    """A treaty: its parties, its zone, its dates and its clause (PRODUCT.md, "The treaty")."""

    name: str = Field(min_length=1)
    parties: list[str | Party] = Field(min_length=2)
    timezone: str = "UTC"
    signed: Day | None = None
    in_force: Day | None = None
    entry_into_force: EntryIntoForce | None = None
    clause: Clause = Clause.model_construct()  # Clause(), without building its validator
    article: str | None = None
    """The clause text and where it stands, for the reader (not used by the rules)."""
    source: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zone(value)
        except DateError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("parties")
    @classmethod
    def _distinct(cls, value: list[str | Party]) -> list[str | Party]:
        names = [entry if isinstance(entry, str) else entry.party for entry in value]
        if any(not party.strip() for party in names):
            raise ValueError("a party's name cannot be empty")
        if len(set(names)) != len(names):
            raise ValueError("each party is listed once")
        return value

    @model_validator(mode="after")
    def _dates_fit(self) -> Treaty:
        if self.in_force is None and self.entry_into_force is None:
            raise ValueError("in_force is missing (or give entry_into_force: {parties: N})")
        if self.in_force is not None and self.entry_into_force is not None:
            raise ValueError(
                "in_force and entry_into_force exclude each other: give the date, or the "
                "count of parties whose joining brings the treaty into force"
            )
        if self.entry_into_force is not None and self.entry_into_force.parties > len(self.parties):
            raise ValueError(
                f"entry_into_force needs {self.entry_into_force.parties} parties, "
                f"but only {len(self.parties)} are listed"
            )
        if self.signed is not None and self.in_force is not None and self.signed > self.in_force:
            raise ValueError("signed is after in_force")
        for entry in self.parties:
            if (
                isinstance(entry, Party)
                and entry.in_force is not None
                and self.in_force is not None
                and entry.in_force < self.in_force
            ):
                raise ValueError(
                    f"{entry.party}: in_force {entry.in_force} is before the treaty's "
                    f"in_force {self.in_force}"
                )
        return self

    @property
    def party_names(self) -> list[str]:
        """The parties' names, in the order listed."""
        return [entry if isinstance(entry, str) else entry.party for entry in self.parties]

    def party_in_force(self, party: str) -> date | None:
        """The date from which ``party`` is bound by the treaty as written (None: only once
        it joins): its own ``in_force``, else the treaty's (PRODUCT.md 0.2, "Parties with
        their own dates"). Under ``entry_into_force``, a party listed by name alone is bound
        only once it joins."""
        for entry in self.parties:
            if isinstance(entry, Party) and entry.party == party:
                return entry.in_force
        return self.in_force

    @property
    def multilateral(self) -> bool:
        """Three or more parties: a notice ends only the notifying party's participation."""
        return len(self.parties) > 2


class ActionKind(StrEnum):
    """What a scenario's action does (PRODUCT.md, "Actions")."""

    NOTIFY = "notify"
    SUSPEND_NOTICE = "suspend_notice"
    RESUME_NOTICE = "resume_notice"
    WITHDRAW_NOTICE = "withdraw_notice"
    EXTEND = "extend"
    TERMINATE = "terminate"
    SUSPEND_OPERATION = "suspend_operation"
    RESUME_OPERATION = "resume_operation"
    JOIN = "join"
    ENTER_ARMED_CONFLICT = "enter_armed_conflict"
    END_ARMED_CONFLICT = "end_armed_conflict"

    @property
    def by_agreement(self) -> bool:
        """``extend`` and ``terminate`` are agreed by all parties and take no ``by``."""
        return self in (ActionKind.EXTEND, ActionKind.TERMINATE)


class Action(_Frozen):
    """One step of a scenario."""

    at: Moment
    by: str | None = None
    do: ActionKind
    period: DurationField | None = None
    through: Day | None = None
    effective: Moment | None = None
    """notify: the later date the notice names for its effect (Rome Statute art. 127(1))."""
    for_: DurationField | None = Field(default=None, alias="for")
    """suspend_notice: how long the suspension lasts."""
    until: Moment | None = None
    """suspend_notice: when the suspension ends."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @field_validator("effective", "until")
    @classmethod
    def _after_at(cls, value: Any, info: ValidationInfo) -> Any:
        """A notice's named date, or a suspension's end, comes after the action itself (both
        read as wall-clock times in the treaty's zone; a date is 00:00)."""
        at = info.data.get("at")
        if value is None or at is None or _has_offset(value) or _has_offset(at):
            # an instant with its own offset is compared in the treaty's zone, at run time
            return value
        if as_instant(value, UTC) <= as_instant(at, UTC):
            raise ValueError(f"must come after the action's own date ({_written(at)})")
        return value

    @model_validator(mode="after")
    def _fields_fit(self) -> Action:
        if self.do.by_agreement:
            if self.by is not None:
                raise ValueError(f"{self.do.value} is by agreement of all parties: remove 'by'")
        elif self.by is None:
            raise ValueError(f"{self.do.value} needs 'by' (the acting party)")
        if self.do is ActionKind.EXTEND:
            if (self.period is None) == (self.through is None):
                raise ValueError("extend takes exactly one of 'period' or 'through'")
        elif self.period is not None or self.through is not None:
            raise ValueError(f"'period' and 'through' belong to extend, not {self.do.value}")
        if self.effective is not None and self.do is not ActionKind.NOTIFY:
            raise ValueError(f"'effective' belongs to notify, not {self.do.value}")
        if self.do is ActionKind.SUSPEND_NOTICE:
            if self.for_ is not None and self.until is not None:
                raise ValueError("suspend_notice takes at most one of 'for' or 'until'")
        elif self.for_ is not None or self.until is not None:
            raise ValueError(f"'for' and 'until' belong to suspend_notice, not {self.do.value}")
        return self


class EventKind(StrEnum):
    """The kinds of event in a timeline."""

    ENTERED_INTO_FORCE = "entered_into_force"
    RENEWED = "renewed"
    NOTICE_GIVEN = "notice_given"
    NOTICE_SUSPENDED = "notice_suspended"
    NOTICE_RESUMED = "notice_resumed"
    NOTICE_WITHDRAWN = "notice_withdrawn"
    EXTENDED = "extended"
    OPERATION_SUSPENDED = "operation_suspended"
    OPERATION_RESUMED = "operation_resumed"
    WITHDRAWAL_EFFECTIVE = "withdrawal_effective"
    TERMINATED = "terminated"
    REJECTED = "rejected"
    JOINED = "joined"
    ENTERED_INTO_FORCE_FOR = "entered_into_force_for"
    SURVIVAL_ENDED = "survival_ended"
    EFFECT_POSTPONED = "effect_postponed"
    ARMED_CONFLICT_ENTERED = "armed_conflict_entered"
    ARMED_CONFLICT_ENDED = "armed_conflict_ended"


Status = Literal["in_force", "terminated", "not_yet_in_force"]


class ExpectedEvent(_Frozen):
    """An event that must appear in the timeline: ``at`` and ``kind``; ``by``, ``effective``
    (when a notice or an extension takes effect) and ``late_for`` (0.3: the term end a late
    notice missed) if given, ``null`` meaning the event has none."""

    at: Moment
    kind: EventKind
    by: str | None = None
    effective: Moment | None = None
    late_for: Moment | None = None


ExpectedOutcome = Literal["renewed", "terminated", "expired", "extended", "running"]


class ExpectedTerm(_Frozen):
    """A term that must appear in the timeline, by ``number``; its ``outcome`` and ``end``
    (``null``: a term of indefinite duration still running) if given."""

    number: int = Field(ge=1)
    outcome: ExpectedOutcome | None = None
    end: Moment | None = None


class ExpectedParty(_Frozen):
    """What is expected of one party: ``bound_until`` and ``survives_until`` (PRODUCT.md 0.2,
    "Survival"), each an instant or ``null`` (still bound; no surviving obligations); and
    ``in_force``, the date the treaty as written binds it from (``null``: only once it
    joins)."""

    party: str = Field(min_length=1)
    bound_until: Moment | None = None
    survives_until: Moment | None = None
    in_force: Day | None = None


class Expect(_Frozen):
    """What ``treaty-sim check`` verifies about a scenario's timeline. Only the keys given
    are compared, and every key given is compared."""

    terminated_at: Moment | None = None
    bound_until: dict[str, Moment | None] | None = None
    status_at: dict[str, Status] | None = None
    signed: Day | None = None
    """The treaty's date of signature (``null``: it gives none), so that a built-in's date
    is pinned by a scenario from its source (issue 18, item 2)."""
    in_force: Day | None = None
    """The treaty's date of entry into force as written (``null``: by a count of joins)."""
    events: list[ExpectedEvent] | None = None
    terms: list[ExpectedTerm] | None = None
    parties: list[ExpectedParty] | None = None

    @field_validator("status_at")
    @classmethod
    def _moments(cls, value: dict[str, Status] | None) -> dict[str, Status] | None:
        for key in value or {}:
            _moment(key)
        return value


class Scenario(_Frozen):
    """A scenario file (PRODUCT.md, "Scenario files"). ``treaty`` is a built-in treaty's name
    or an inline treaty."""

    name: str = Field(min_length=1)
    description: str | None = None
    treaty: Treaty | str
    interpretation: Interpretation = Interpretation.REMAINING
    horizon: Day | None = None
    actions: list[Action] = []
    expect: Expect | None = None
