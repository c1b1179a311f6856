"""The dated claims of the seed articles, checked against simulated timelines
(PRODUCT.md, "Commands": ``treaty-sim claims``).

``seeds/claims.yaml`` has three sections:

- ``articles``: each seed article (every ``*.txt`` of the folder) with its date and how that
  date was found (a dateline, a header, or a weekday in the text and a reasoning);
- ``timelines``: named scenario documents in the scenario format of PRODUCT.md (``expect:``
  excepted: here the claims are the expectations), each saying whether it is the record or
  a what-if (``hypothetical: false`` or ``true``); a verdict read from a what-if says so in
  every output format;
- ``claims``: each one a short verbatim ``quote`` of an ``article``, what it ``asserts`` (one
  of :class:`Kind`), the ``expected`` value written as the article states it, and the
  ``timeline`` it is checked against.

An expected value is never taken from the simulator: it is read from the article, relative to
the claim's *as-of date* (the article's date, or ``as_of`` where the statement was made on a
day the article names by its weekday). :func:`resolve_period` gives the calendar meaning of
the phrases an article uses ("last week", "November", "Nov. 22", "Saturday").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from sim.claims_vocabulary import WEEKDAYS, DayCount, Period, Weekday, resolve_period
from sim.core.dates import (
    DateError,
    Duration,
    add,
    at_midnight,
    ensure_aware,
    iso,
    last_day,
    local_date,
    spoken_span,
    utc,
    wall_clock_difference,
    whole_days_between,
    zone,
)
from sim.core.model import Day, EventKind, Scenario, Treaty
from sim.core.timeline import Event, Outcome, Term, Timeline
from sim.errors import InputError, InputErrors
from sim.loader import Loaded, Path_, field_name, load_yaml, validate

__all__ = [
    "CLAIMS_FILE",
    "Claim",
    "ClaimResult",
    "Claims",
    "DayCount",
    "Kind",
    "Period",
    "check_claims",
    "load_claims",
    "resolve_period",
]

CLAIMS_FILE = "claims.yaml"
"""The claims file's name inside the seeds folder."""


class Kind(StrEnum):
    """What a claim asserts: the fixed vocabulary of ``asserts``. "The notice" is the first
    notice given in the timeline; "its effect" is the instant it was to end the treaty (the
    ``effective`` of its ``notice_given`` event)."""

    NOTICE_GIVEN_IN = "notice_given_in"
    """The notice's local date lies in a period ("last week", "August", "last year")."""
    NOTICE_EFFECT_IN = "notice_effect_in"
    """The local date of the notice's effect lies in a period ("November", "Saturday")."""
    NOTICE_EFFECT_AT = "notice_effect_at"
    """The notice's effect is this instant (written with its offset)."""
    NOTICE_LAST_DAY_IN = "notice_last_day_in"
    """The last day in force before the notice's effect lies in a period ("November 22")."""
    DAYS_TO_NOTICE_EFFECT = "days_to_notice_effect"
    """Whole local days from the as-of date (00:00) to the notice's effect: ``6d``, ``< 2w``."""
    SUSPENDED_BEFORE_EFFECT = "suspended_before_effect"
    """The notice was suspended this close before its effect (``< 1d``), and the treaty was
    renewed at that instant instead of ending."""
    TERM_LAST_DAY_IN = "term_last_day_in"
    """The last day in force of the term running on the as-of date lies in a period."""
    RENEWS_EVERY = "renews_every"
    """Every term lasts this long (``1y``) and each one that ended was renewed automatically."""
    NOTICE_PERIOD = "notice_period"
    """Every term's notice deadline is exactly this long (``90d``) before the term's end."""
    TERMINATED_IN = "terminated_in"
    """The treaty ends (``terminated_at``) on a local date in a period."""
    SIGNED_IN = "signed_in"
    """The treaty was signed in a period (``2016``)."""
    AGE_IN_YEARS = "age_in_years"
    """The treaty's age on the as-of date, from entry into force, to the nearest whole year."""
    TERMINATED_AFTER_RESUMPTION = "terminated_after_resumption"
    """The treaty ends this soon after the first resumption of a suspended notice (``< 1d``:
    "could end the pact at any time regardless of the date"), whatever the resumption's
    date. Checked against what-if timelines that choose the date."""


_PERIOD_KINDS = frozenset(
    {
        Kind.NOTICE_GIVEN_IN,
        Kind.NOTICE_EFFECT_IN,
        Kind.NOTICE_LAST_DAY_IN,
        Kind.TERM_LAST_DAY_IN,
        Kind.TERMINATED_IN,
        Kind.SIGNED_IN,
    }
)
_COUNT_KINDS = frozenset(
    {Kind.DAYS_TO_NOTICE_EFFECT, Kind.SUSPENDED_BEFORE_EFFECT, Kind.TERMINATED_AFTER_RESUMPTION}
)
_DURATION_KINDS = frozenset({Kind.RENEWS_EVERY, Kind.NOTICE_PERIOD})


Expected = Period | datetime | DayCount | Duration | int


def _parse_expected(kind: Kind, text: str, as_of: date) -> Expected:
    """The expected value of a claim of ``kind``, as written, read on ``as_of``."""
    if kind in _PERIOD_KINDS:
        return resolve_period(text, as_of)
    if kind in _COUNT_KINDS:
        return DayCount.parse(text)
    if kind in _DURATION_KINDS:
        try:
            return Duration.parse(text)
        except DateError as error:
            raise ValueError(str(error)) from None
    if kind is Kind.NOTICE_EFFECT_AT:
        try:
            return ensure_aware(datetime.fromisoformat(text.strip()))
        except (ValueError, DateError):
            raise ValueError(
                f"{text!r} is not an instant with its offset, e.g. 2019-11-23T00:00:00+09:00"
            ) from None
    assert kind is Kind.AGE_IN_YEARS
    if not text.strip().isdigit():
        raise ValueError(f"{text!r} is not a whole number of years")
    return int(text)


# --- the file -------------------------------------------------------------------------------


M = TypeVar("M", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, date)):
        raise ValueError("write the value as the article states it: text, a number or a date")
    return value.isoformat() if isinstance(value, date) else str(value)


class ArticleEntry(_Strict):
    """A seed article: its source, its date and how that date was found."""

    source: str = Field(min_length=1)
    dated: Day
    dated_by: str = Field(min_length=1)
    weekday: Weekday | None = None
    """The weekday the text names for ``dated`` (checked against the calendar)."""


class ClaimEntry(_Strict):
    """One claim as written in the claims file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    article: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    asserts: Kind
    expected: Annotated[str, BeforeValidator(_text)]
    timeline: str = Field(min_length=1)
    as_of: Day | None = None
    """The day the statement was made, where the article names it by weekday."""
    weekday: Weekday | None = None
    """The weekday the article names for ``as_of`` (checked against the calendar)."""
    as_of_note: str | None = None
    """How ``as_of`` was found."""
    note: str | None = None

    @model_validator(mode="after")
    def _as_of_explained(self) -> ClaimEntry:
        if (self.as_of is None) != (self.as_of_note is None):
            raise ValueError("as_of and as_of_note go together: say how the day was found")
        if self.weekday is not None and self.as_of is None:
            raise ValueError("weekday names the day of as_of: give as_of too")
        return self


class ClaimsFile(_Strict):
    """The sections of the claims file; each entry is validated on its own, so that an
    error names its place in the file."""

    articles: dict[str, Any] = Field(min_length=1)
    timelines: dict[str, Any] = Field(min_length=1)
    claims: list[Any] = Field(min_length=1)


@dataclass(frozen=True)
class Claim:
    """A claim, validated: its expected value read as the article states it."""

    id: str
    article: str
    quote: str
    kind: Kind
    expected: Expected
    timeline: str
    as_of: date
    note: str | None


@dataclass(frozen=True)
class TimelineSpec:
    """A named scenario of the claims file and the treaty it names; ``hypothetical`` if it is
    a what-if, not the record."""

    scenario: Scenario
    treaty: Treaty
    hypothetical: bool


@dataclass(frozen=True)
class Claims:
    """The claims file of a seeds folder, validated."""

    file: str
    loaded: Loaded
    articles: dict[str, ArticleEntry]
    timelines: dict[str, TimelineSpec]
    claims: tuple[Claim, ...]


def _prefixed(path: Path_, field: str) -> str:
    base = field_name(path)
    if field == "(document)":
        return base
    return base + field if field.startswith("[") else f"{base}.{field}"


def _validate_at(
    loaded: Loaded,
    path: Path_,
    model: type[M],
    problems: list[InputError],
    data: Any = None,
) -> M | None:
    """Validate the value at ``path`` (or ``data``, read from there) as ``model``; its
    problems, located and named from the top of the file, are added to ``problems``."""
    if data is None:
        data = loaded.data
        for part in path:
            data = data[part]
    marks = {p[len(path) :]: m for p, m in loaded.marks.items() if p[: len(path)] == path}
    try:
        result: M = validate(Loaded(loaded.file, data, marks), model)
    except InputErrors as errors:
        problems.extend(
            InputError(e.file, e.line, e.column, _prefixed(path, e.field), e.message)
            for e in errors.errors
        )
        return None
    return result


def _weekday_problem(day: date, weekday: str | None) -> str | None:
    if weekday is None or WEEKDAYS[day.weekday()] == weekday.lower():
        return None
    return f"{day.isoformat()} is a {WEEKDAYS[day.weekday()].title()}, not a {weekday}"


def _words(text: str) -> str:
    return " ".join(text.split())


def _quoted(quote: str, article: str) -> bool:
    """Whether ``quote`` is verbatim in the article (spacing aside); ``...`` or ``…`` marks
    words left out, and the pieces must come in order."""
    text = _words(article)
    start = 0
    for piece in re.split(r"\s*(?:\.\.\.|…)\s*", _words(quote)):
        if not piece:
            continue
        found = text.find(piece, start)
        if found < 0:
            return False
        start = found + len(piece)
    return True


def load_claims(path: Path) -> Claims:
    """A claims file, validated; every problem is a located :class:`InputError` (a missing
    folder or file too). ``path`` is a seeds folder (its ``claims.yaml``, which must list
    every ``*.txt`` article of the folder) or a claims file of one's own, whose articles are
    read from the file's folder (docs/claims.md, "Your own article")."""
    if path.is_dir():
        return _load(path / CLAIMS_FILE, path, every_article=True)
    if path.suffix not in (".yaml", ".yml"):
        if not path.exists():
            message = "no such folder (the seed articles and claims.yaml)"
            raise InputError(str(path), 1, 1, "(folder)", message)
        message = "not a claims file (*.yaml) nor a folder with claims.yaml"
        raise InputError(str(path), 1, 1, "(argument)", message)
    return _load(path, path.parent, every_article=False)


def _load(file: Path, folder: Path, *, every_article: bool) -> Claims:
    loaded = load_yaml(file)
    if not isinstance(loaded.data, dict):
        raise InputErrors(
            [loaded.error((), "a claims file is a mapping (articles:, timelines:, claims:)")]
        )
    validate(loaded, ClaimsFile)
    problems: list[InputError] = []
    articles = _articles(loaded, folder, problems, every_article)
    timelines = _timelines(loaded, problems)
    claims = _claims(loaded, folder, articles, timelines, problems)
    used = {entry.get("timeline") for entry in loaded.data["claims"] if isinstance(entry, dict)}
    for name in loaded.data["timelines"]:
        if name in timelines and name not in used:
            problems.append(loaded.error(("timelines", name), "no claim is checked against it"))
    if problems:
        raise InputErrors(problems)
    return Claims(loaded.file, loaded, articles, timelines, tuple(claims))


def _articles(
    loaded: Loaded, seeds_dir: Path, problems: list[InputError], every_article: bool
) -> dict[str, ArticleEntry]:
    articles: dict[str, ArticleEntry] = {}
    for name in loaded.data["articles"]:
        path: Path_ = ("articles", name)
        entry = _validate_at(loaded, path, ArticleEntry, problems)
        if Path(name).name != name or not (seeds_dir / name).is_file():
            problems.append(loaded.error(path, f"no article {name} in {seeds_dir}"))
        elif entry is not None:
            wrong = _weekday_problem(entry.dated, entry.weekday)
            if wrong:
                problems.append(loaded.error((*path, "weekday"), wrong))
            articles[name] = entry
    for seed in sorted(seeds_dir.glob("*.txt")) if every_article else ():
        if seed.name not in loaded.data["articles"]:
            problems.append(
                loaded.error(("articles",), f"the seed article {seed.name} is not listed")
            )
    return articles


def _timelines(loaded: Loaded, problems: list[InputError]) -> dict[str, TimelineSpec]:
    from sim import library

    timelines: dict[str, TimelineSpec] = {}
    for name in loaded.data["timelines"]:
        path: Path_ = ("timelines", name)
        entry = loaded.data["timelines"][name]
        hypothetical = entry.get("hypothetical") if isinstance(entry, dict) else None
        if isinstance(entry, dict):
            if not isinstance(hypothetical, bool):
                where = (*path, "hypothetical") if "hypothetical" in entry else path
                problems.append(
                    loaded.error(
                        where,
                        "say whether this timeline is the record (hypothetical: false) or a "
                        "what-if (hypothetical: true)",
                    )
                )
                continue
            entry = {key: value for key, value in entry.items() if key != "hypothetical"}
        scenario = _validate_at(loaded, path, Scenario, problems, entry)
        if scenario is None:
            continue
        if scenario.expect is not None:
            problems.append(
                loaded.error((*path, "expect"), "not used here: the claims are the expectations")
            )
        if isinstance(scenario.treaty, Treaty):
            timelines[name] = TimelineSpec(scenario, scenario.treaty, bool(hypothetical))
            continue
        try:
            timelines[name] = TimelineSpec(
                scenario, library.builtin(scenario.treaty), bool(hypothetical)
            )
        except KeyError:
            known = ", ".join(library.names())
            problems.append(
                loaded.error(
                    (*path, "treaty"), f"unknown treaty {scenario.treaty!r} (built-in: {known})"
                )
            )
    return timelines


def _claims(
    loaded: Loaded,
    seeds_dir: Path,
    articles: dict[str, ArticleEntry],
    timelines: dict[str, TimelineSpec],
    problems: list[InputError],
) -> list[Claim]:
    claims: list[Claim] = []
    seen: set[str] = set()
    texts: dict[str, str] = {}
    for index in range(len(loaded.data["claims"])):
        path: Path_ = ("claims", index)
        entry = _validate_at(loaded, path, ClaimEntry, problems)
        if entry is None:
            continue
        found: list[tuple[str, str]] = []
        if entry.id in seen:
            found.append(("id", f"the id {entry.id!r} is used twice"))
        seen.add(entry.id)
        if entry.timeline not in loaded.data["timelines"]:
            known = ", ".join(loaded.data["timelines"])
            found.append(("timeline", f"no timeline {entry.timeline!r} (timelines: {known})"))
        article = articles.get(entry.article)
        if article is None and entry.article not in loaded.data["articles"]:
            found.append(("article", f"{entry.article!r} is not listed under articles:"))
        if article is not None:
            if entry.article not in texts:
                texts[entry.article] = _read_article(loaded, seeds_dir / entry.article)
            claim = _claim(entry, article, texts[entry.article], found)
            if claim is not None and not found and entry.timeline in timelines:
                claims.append(claim)
        problems.extend(loaded.error((*path, field), message) for field, message in found)
    return claims


def _read_article(loaded: Loaded, path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise loaded.error(("articles", path.name), f"cannot read {path}: {error}") from None


def _claim(
    entry: ClaimEntry, article: ArticleEntry, text: str, found: list[tuple[str, str]]
) -> Claim | None:
    """The claim of a valid entry; what is wrong with it is added to ``found`` as pairs of
    field and message."""
    if not _quoted(entry.quote, text):
        found.append(("quote", f"not found verbatim in {entry.article}"))
    as_of = entry.as_of or article.dated
    if entry.as_of is not None:
        wrong = _weekday_problem(entry.as_of, entry.weekday)
        if wrong:
            found.append(("weekday", wrong))
        if entry.as_of > article.dated:
            found.append(("as_of", f"after the article's date {article.dated.isoformat()}"))
    try:
        expected = _parse_expected(entry.asserts, entry.expected, as_of)
    except ValueError as error:
        found.append(("expected", f"for {entry.asserts.value}: {error}"))
        return None
    return Claim(
        entry.id,
        entry.article,
        _words(entry.quote),
        entry.asserts,
        expected,
        entry.timeline,
        as_of,
        entry.note,
    )


# --- checking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimResult:
    """A claim and what the simulation says of it."""

    id: str
    article: str
    quote: str
    asserts: str
    expected: str
    simulated: str
    ok: bool
    timeline: str
    hypothetical: str | None = None
    """The what-if the verdict was read from (its scenario's name), or None for the record.
    ``simulated`` then begins with it too, so that tables and CSV say so."""
    off_by: str | None = None
    """For a claim that does not hold: by how much the simulation is off (``off by 1 day,
    later``), or None where it agrees or there is nothing to measure."""

    @property
    def verdict(self) -> str:
        """``agrees``, or ``DISAGREES`` with how far off: the verdict column of a table."""
        if self.ok:
            return "agrees"
        return f"DISAGREES ({self.off_by})" if self.off_by else "DISAGREES"

    def as_json(self) -> dict[str, str | bool | None]:
        """The claim as ``treaty-sim claims --format json`` prints it (PRODUCT.md), with
        ``hypothetical``: the what-if it rests on, or null."""
        return {
            "article": self.article,
            "quote": self.quote,
            "asserts": self.asserts,
            "expected": self.expected,
            "simulated": self.simulated,
            "ok": self.ok,
            "hypothetical": self.hypothetical,
            "off_by": self.off_by,
        }


@dataclass(frozen=True)
class _Run:
    timeline: Timeline
    treaty: Treaty
    what_if: str | None
    """The what-if's name, for a hypothetical timeline."""


@dataclass(frozen=True)
class _Verdict:
    expected: str
    simulated: str
    ok: bool
    off: str | None = None
    """How far the simulation is from the claim (``off by 1 day, later``), where it
    disagrees and the two can be measured against each other."""


def check_claims(claims: Claims, treaty_override: Treaty | None = None) -> list[ClaimResult]:
    """Simulate each timeline of the claims file (with its treaty, or ``treaty_override`` in
    its place) and judge each claim against its timeline; the results in file order."""
    runs = {
        name: _simulate(claims, name, spec, treaty_override)
        for name, spec in claims.timelines.items()
    }
    results = []
    for claim in claims.claims:
        simulated = runs[claim.timeline]
        verdict = _CHECKS[claim.kind](claim, simulated)
        shown = verdict.simulated
        if simulated.what_if is not None:
            shown = f"hypothetical ({simulated.what_if}): {shown}"
        results.append(
            ClaimResult(
                claim.id,
                claim.article,
                claim.quote,
                claim.kind.value,
                verdict.expected,
                shown,
                verdict.ok,
                claim.timeline,
                simulated.what_if,
                None if verdict.ok else verdict.off,
            )
        )
    return results


def _simulate(claims: Claims, name: str, spec: TimelineSpec, override: Treaty | None) -> _Run:
    from sim.engine import RunError, run

    treaty = override or spec.treaty
    what_if = spec.scenario.name if spec.hypothetical else None
    try:
        return _Run(run(spec.scenario, treaty), treaty, what_if)
    except RunError as error:
        parts = error.field.replace("[", ".").replace("]", "").split(".")
        field: Path_ = tuple(int(p) if p.isdigit() else p for p in parts)
        raise claims.loaded.error(("timelines", name, *field), error.message) from None


def _first(timeline: Timeline, kind: EventKind) -> Event | None:
    for event in timeline.events:
        if event.kind is kind:
            return event
    return None


def _none_because(timeline: Timeline, action: str, what: str) -> str:
    """What the simulation shows where no event of an action is found: ``no notice
    resumed``, and the reason where that action was rejected."""
    refused = [e for e in timeline.rejections if e.action == action]
    return f"no {what}" + (f": rejected, {refused[0].reason}" if refused else "")


def _span(span: timedelta) -> str:
    return spoken_span(span, "less than a minute")


def _weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()].title()


def _later(later: bool) -> str:
    return "later" if later else "earlier"


def _off_days(day: date, period: Period) -> str | None:
    """How far a simulated date lies outside the period a claim names."""
    if day in period:
        return None
    days = (period.first - day).days if day < period.first else (day - period.last).days
    return f"off by {days} day{'s' if days != 1 else ''}, {_later(day > period.last)}"


def _off_span(difference: timedelta) -> str | None:
    """How far a simulated instant or length is from the claimed one (simulated - claimed)."""
    if not difference:
        return None
    return f"off by {_span(abs(difference))}, {_later(difference > timedelta())}"


def _off_count(days: int, count: DayCount) -> str | None:
    """How far a count of whole days is from what the claim accepts."""
    if count.accepts(days):
        return None
    limit = {"exactly": count.days, "fewer_than": count.days - 1, "at_most": count.days}
    difference = days - limit[count.bound]
    return f"off by {abs(difference)} day{'s' if abs(difference) != 1 else ''}, " + _later(
        difference > 0
    )


def _off_limit(span: timedelta, count: DayCount) -> str | None:
    """How far a span of time is from what the claim accepts (``< 1d``, ``1d``)."""
    if count.accepts_span(span):
        return None
    difference = span - timedelta(days=count.days)
    if not difference:
        days = f"{count.days} day{'s' if count.days != 1 else ''}"
        return f"off: exactly {days}, which the claim excludes"
    return _off_span(difference)


def _off_years(years: int, claimed: int) -> str | None:
    if years == claimed:
        return None
    gap = abs(years - claimed)
    return (
        f"off by {gap} year{'s' if gap != 1 else ''}, {'older' if years > claimed else 'younger'}"
    )


def _effect(timeline: Timeline) -> tuple[Event | None, datetime | None, str]:
    """The first notice, its effect, and what the simulation says where there is none."""
    notice = _first(timeline, EventKind.NOTICE_GIVEN)
    if notice is None:
        refused = [e for e in timeline.rejections if e.action == "notify"]
        why = f": rejected, {refused[0].reason}" if refused else ""
        return None, None, f"no notice given{why}"
    if notice.effective is None:
        return notice, None, f"the notice of {iso(notice.at)} has no date of effect"
    return notice, notice.effective, ""


def _period(claim: Claim) -> Period:
    assert isinstance(claim.expected, Period)
    return claim.expected


def _check_notice_given_in(claim: Claim, run: _Run) -> _Verdict:
    period = _period(claim)
    notice, _, missing = _effect(run.timeline)
    if notice is None:
        return _Verdict(f"notice {period.phrase()}", missing, False)
    day = local_date(notice.at)
    return _Verdict(
        f"notice {period.phrase()}",
        f"notice given {_weekday(day)} {day.isoformat()}",
        day in period,
        _off_days(day, period),
    )


def _check_notice_effect_in(claim: Claim, run: _Run) -> _Verdict:
    period = _period(claim)
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return _Verdict(f"effect {period.phrase()}", missing, False)
    day = local_date(effect)
    return _Verdict(
        f"effect {period.phrase()}",
        f"notice takes effect {_weekday(day)} {iso(effect)}",
        day in period,
        _off_days(day, period),
    )


def _check_notice_effect_at(claim: Claim, run: _Run) -> _Verdict:
    assert isinstance(claim.expected, datetime)
    expected = f"effect at {iso(claim.expected)}"
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return _Verdict(expected, missing, False)
    return _Verdict(
        expected,
        f"notice takes effect {iso(effect)}",
        utc(effect) == utc(claim.expected),
        _off_span(utc(effect) - utc(claim.expected)),
    )


def _check_notice_last_day_in(claim: Claim, run: _Run) -> _Verdict:
    period = _period(claim)
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return _Verdict(f"last day in force {period.phrase()}", missing, False)
    day = last_day(effect)
    return _Verdict(
        f"last day in force {period.phrase()}",
        f"last day in force {_weekday(day)} {day.isoformat()} (effect {iso(effect)})",
        day in period,
        _off_days(day, period),
    )


def _check_days_to_notice_effect(claim: Claim, run: _Run) -> _Verdict:
    assert isinstance(claim.expected, DayCount)
    expected = f"{claim.expected} from {claim.as_of.isoformat()}"
    _, effect, missing = _effect(run.timeline)
    if effect is None:
        return _Verdict(expected, missing, False)
    start = at_midnight(claim.as_of, zone(run.timeline.timezone))
    days = whole_days_between(start, effect)
    return _Verdict(
        expected,
        f"{days} days from {claim.as_of.isoformat()} to {iso(effect)}",
        claim.expected.accepts(days),
        _off_count(days, claim.expected),
    )


def _check_suspended_before_effect(claim: Claim, run: _Run) -> _Verdict:
    assert isinstance(claim.expected, DayCount)
    expected = f"suspended {claim.expected} before the effect, then renewed"
    suspended = _first(run.timeline, EventKind.NOTICE_SUSPENDED)
    if suspended is None:
        shown = _none_because(run.timeline, "suspend_notice", "notice suspended")
        return _Verdict(expected, shown, False)
    # Only a pending notice can be suspended: the party's last notice before the suspension,
    # which has a date of effect.
    before = run.timeline.events[: run.timeline.events.index(suspended)]
    notice = next(
        e for e in reversed(before) if e.kind is EventKind.NOTICE_GIVEN and e.by == suspended.by
    )
    effect = notice.effective
    assert effect is not None
    span = wall_clock_difference(suspended.at, effect)
    renewed = any(
        e.kind is EventKind.RENEWED and utc(e.at) == utc(effect) for e in run.timeline.events
    )
    then = "renewed then" if renewed else "not renewed then"
    # A suspension is refused once the notice has taken effect, so the span is positive.
    return _Verdict(
        expected,
        f"suspended {iso(suspended.at)}, {_span(span)} before {iso(effect)}; {then}",
        claim.expected.accepts_span(span) and renewed,
        _off_limit(span, claim.expected),
    )


def _term_on(timeline: Timeline, moment: datetime) -> Term | None:
    for term in timeline.terms:
        if term.start <= moment and (term.end is None or moment < term.end):
            return term
    return None


def _check_term_last_day_in(claim: Claim, run: _Run) -> _Verdict:
    period = _period(claim)
    expected = f"last day in force {period.phrase()}"
    moment = at_midnight(claim.as_of, zone(run.timeline.timezone))
    term = _term_on(run.timeline, moment)
    if term is None or term.end is None:
        return _Verdict(expected, f"no term with an end in force on {claim.as_of}", False)
    day = last_day(term.end)
    return _Verdict(
        expected,
        f"term {term.number} ends {iso(term.end)}: last day in force {day.isoformat()}",
        day in period,
        _off_days(day, period),
    )


def _check_renews_every(claim: Claim, run: _Run) -> _Verdict:
    assert isinstance(claim.expected, Duration)
    length = claim.expected
    expected = f"every term {length}, renewed automatically"
    terms = [t for t in run.timeline.terms if t.scheduled_end is not None]
    for term in terms:
        assert term.scheduled_end is not None
        if utc(add(term.start, length)) != utc(term.scheduled_end):
            return _Verdict(
                expected,
                f"term {term.number} runs {iso(term.start)} to {iso(term.scheduled_end)}",
                False,
                _off_span(wall_clock_difference(add(term.start, length), term.scheduled_end)),
            )
    ended = [t for t in run.timeline.terms if t.outcome is not Outcome.RUNNING]
    not_renewed = [t for t in ended if t.outcome not in (Outcome.RENEWED, Outcome.TERMINATED)]
    if not_renewed:
        term = not_renewed[0]
        return _Verdict(expected, f"term {term.number}: {term.outcome.value}", False)
    renewals = sum(t.outcome is Outcome.RENEWED for t in ended)
    return _Verdict(
        expected,
        f"{renewals} automatic renewals; each of {len(terms)} terms lasts {length}",
        bool(terms) and renewals > 0,
    )


def _check_notice_period(claim: Claim, run: _Run) -> _Verdict:
    assert isinstance(claim.expected, Duration)
    period = claim.expected
    expected = f"deadline {period} before each term's end"
    terms = [t for t in run.timeline.terms if t.notice_deadline is not None and t.scheduled_end]
    if not terms:
        return _Verdict(expected, "no notice deadline (the clause has no renewal notice)", False)
    for term in terms:
        assert term.notice_deadline is not None and term.scheduled_end is not None
        if utc(add(term.notice_deadline, period)) != utc(term.scheduled_end):
            days = whole_days_between(term.notice_deadline, term.scheduled_end)
            return _Verdict(
                expected,
                f"term {term.number}: deadline {iso(term.notice_deadline)}, {days} days "
                f"before its end {iso(term.scheduled_end)}",
                False,
                _off_span(
                    wall_clock_difference(add(term.notice_deadline, period), term.scheduled_end)
                ),
            )
    moment = at_midnight(claim.as_of, zone(run.timeline.timezone))
    shown = _term_on(run.timeline, moment) or terms[0]
    assert shown.notice_deadline is not None and shown.scheduled_end is not None
    days = whole_days_between(shown.notice_deadline, shown.scheduled_end)
    return _Verdict(
        expected,
        f"term {shown.number}: deadline {iso(shown.notice_deadline)}, {days} days before "
        f"{iso(shown.scheduled_end)} (so for all {len(terms)} terms)",
        True,
    )


def _check_terminated_in(claim: Claim, run: _Run) -> _Verdict:
    period = _period(claim)
    expected = f"ends {period.phrase()}"
    ended = run.timeline.terminated_at
    if ended is None:
        return _Verdict(
            expected, f"still in force at the horizon {iso(run.timeline.horizon)}", False
        )
    how = f" (resumed notice read as {run.timeline.interpretation.value})"
    return _Verdict(
        expected,
        f"terminated {iso(ended)}{how}",
        local_date(ended) in period,
        _off_days(local_date(ended), period),
    )


def _check_signed_in(claim: Claim, run: _Run) -> _Verdict:
    period = _period(claim)
    signed = run.treaty.signed
    if signed is None:
        return _Verdict(f"signed {period.phrase()}", f"{run.treaty.name}: no signing date", False)
    return _Verdict(
        f"signed {period.phrase()}",
        f"signed {signed.isoformat()}",
        signed in period,
        _off_days(signed, period),
    )


def _check_age_in_years(claim: Claim, run: _Run) -> _Verdict:
    assert isinstance(claim.expected, int)
    in_force = run.timeline.in_force
    assert in_force is not None, "the claims' timeline enters into force"
    moment = at_midnight(claim.as_of, zone(run.timeline.timezone))
    expected = f"{claim.expected} years old on {claim.as_of.isoformat()}"
    if utc(moment) < utc(in_force):
        return _Verdict(expected, f"not yet in force (from {iso(in_force)})", False)
    years = 0
    while utc(add(in_force, Duration(months=12 * (years + 1)))) <= utc(moment):
        years += 1
    anniversary = add(in_force, Duration(months=12 * years))
    rounded = years + (utc(add(anniversary, Duration(months=6))) <= utc(moment))
    days = whole_days_between(anniversary, moment)
    return _Verdict(
        expected,
        f"{years} years {days} days since {local_date(in_force).isoformat()} "
        f"(nearest whole years: {rounded})",
        rounded == claim.expected,
        _off_years(rounded, claim.expected),
    )


def _check_terminated_after_resumption(claim: Claim, run: _Run) -> _Verdict:
    assert isinstance(claim.expected, DayCount)
    expected = f"ends {claim.expected} after the notice's resumption"
    resumed = _first(run.timeline, EventKind.NOTICE_RESUMED)
    if resumed is None:
        shown = _none_because(run.timeline, "resume_notice", "notice resumed")
        return _Verdict(expected, shown, False)
    ended = run.timeline.terminated_at
    how = f"resumed notice read as {run.timeline.interpretation.value}"
    if ended is None:
        return _Verdict(
            expected,
            f"resumed {iso(resumed.at)}; still in force at the horizon "
            f"{iso(run.timeline.horizon)} ({how})",
            False,
        )
    # A resumption is refused once the treaty has ended, so the end is never before it.
    span = wall_clock_difference(resumed.at, ended)
    when = f"{_span(span)} later" if span else "at the resumption"
    return _Verdict(
        expected,
        f"resumed {iso(resumed.at)}, terminated {iso(ended)}, {when} ({how})",
        utc(ended) >= utc(resumed.at) and claim.expected.accepts_span(span),
        _off_limit(span, claim.expected),
    )


_CHECKS: dict[Kind, Callable[[Claim, _Run], _Verdict]] = {
    Kind.NOTICE_GIVEN_IN: _check_notice_given_in,
    Kind.NOTICE_EFFECT_IN: _check_notice_effect_in,
    Kind.NOTICE_EFFECT_AT: _check_notice_effect_at,
    Kind.NOTICE_LAST_DAY_IN: _check_notice_last_day_in,
    Kind.DAYS_TO_NOTICE_EFFECT: _check_days_to_notice_effect,
    Kind.SUSPENDED_BEFORE_EFFECT: _check_suspended_before_effect,
    Kind.TERM_LAST_DAY_IN: _check_term_last_day_in,
    Kind.RENEWS_EVERY: _check_renews_every,
    Kind.NOTICE_PERIOD: _check_notice_period,
    Kind.TERMINATED_IN: _check_terminated_in,
    Kind.SIGNED_IN: _check_signed_in,
    Kind.AGE_IN_YEARS: _check_age_in_years,
    Kind.TERMINATED_AFTER_RESUMPTION: _check_terminated_after_resumption,
}
