"""The clause, the treaty, the actions and the scenario of PRODUCT.md, as frozen models.

These are the words of the scenario format; their validators state the rules that make a
clause coherent ("``notice`` needs ``renewal``, and ``renewal`` needs ``term``; ``notice`` and
``withdrawal`` exclude each other; durations are positive").
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from sim.core.dates import UTC, Counting, DateError, Duration, as_instant, missing_day, zone

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
    model_config = ConfigDict(frozen=True, extra="forbid")


class LateNotice(StrEnum):
    """What a renewal notice received after the deadline does (clause ``late_notice``)."""

    NEXT_TERM = "next_term"
    VOID = "void"


class Clause(_Frozen):
    """A treaty's duration and exit clause (PRODUCT.md, "The clause")."""

    term: DurationField | None = None
    renewal: DurationField | None = None
    notice: DurationField | None = None
    late_notice: LateNotice = LateNotice.NEXT_TERM
    withdrawal: DurationField | None = None
    earliest_notice: DurationField | None = None
    counting: Counting = Counting.EXACT

    @model_validator(mode="after")
    def _coherent(self) -> Clause:
        if self.renewal is not None and self.term is None:
            raise ValueError("renewal needs term (the initial term it renews)")
        if self.notice is not None and self.renewal is None:
            raise ValueError("notice needs renewal (a notice stops an automatic renewal)")
        if self.notice is not None and self.withdrawal is not None:
            raise ValueError("notice and withdrawal exclude each other: choose one exit clause")
        return self

    @property
    def allows_exit(self) -> bool:
        """Whether a party may leave unilaterally at all."""
        return self.notice is not None or self.withdrawal is not None


class Treaty(_Frozen):
    """A treaty: its parties, its zone, its dates and its clause (PRODUCT.md, "The treaty")."""

    name: str = Field(min_length=1)
    parties: list[str] = Field(min_length=2)
    timezone: str = "UTC"
    signed: Day | None = None
    in_force: Day
    clause: Clause = Clause()
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
    def _distinct(cls, value: list[str]) -> list[str]:
        if any(not party.strip() for party in value):
            raise ValueError("a party's name cannot be empty")
        if len(set(value)) != len(value):
            raise ValueError("each party is listed once")
        return value

    @model_validator(mode="after")
    def _signed_first(self) -> Treaty:
        if self.signed is not None and self.signed > self.in_force:
            raise ValueError("signed is after in_force")
        return self

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
        return self


class Interpretation(StrEnum):
    """When a suspended notice, once resumed, takes effect (PRODUCT.md, "Interpretations")."""

    REMAINING = "remaining"
    IMMEDIATE = "immediate"
    FRESH = "fresh"


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


Status = Literal["in_force", "terminated", "not_yet_in_force"]


class ExpectedEvent(_Frozen):
    """An event that must appear in the timeline (``at`` and ``kind``; ``by`` if given)."""

    at: Moment
    kind: EventKind
    by: str | None = None


class Expect(_Frozen):
    """What ``treaty-sim check`` verifies about a scenario's timeline."""

    terminated_at: Moment | None = None
    bound_until: dict[str, Moment | None] | None = None
    status_at: dict[str, Status] | None = None
    events: list[ExpectedEvent] | None = None

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
