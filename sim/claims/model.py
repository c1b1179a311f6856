"""The claims file: its model (articles, timelines, claims) and its loading, with located
errors (``seeds/claims.yaml``; the format is described in the package's docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from sim.claims_vocabulary import WEEKDAYS, DayCount, Period, Weekday, resolve_period
from sim.core.dates import (
    DateError,
    Duration,
    ensure_aware,
)
from sim.core.model import Day, Scenario, Treaty
from sim.errors import InputError, InputErrors
from sim.loader import Loaded, Path_, field_name, load_yaml, validate

__all__ = ["CLAIMS_FILE", "Claim", "Claims", "Kind", "TimelineSpec", "load_claims"]

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
            message = library.unknown_treaty(scenario.treaty)
            problems.append(loaded.error((*path, "treaty"), message))
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
