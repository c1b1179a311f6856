"""The one result type of a batch of scenarios, whichever driver ran it (issue 15, "Drivers,
not copies"): :class:`BatchOutcome`, and the SimPy engine's rows written into it by one
function, :func:`timeline_row`, so sweep, sample, claims and check never ask which driver ran.

A batch is a scenario whose actions happen at ``at[i, k]`` (UTC seconds; row i, action k in
file order) and, where ``happens[i, k]`` is False, not at all. The vectorised path
(:mod:`sim.engines.vector`) fills whole columns; the engine fills a row at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from sim.core.dates import DateError, zone
from sim.core.model import Interpretation, Scenario, Treaty
from sim.core.timeline import Timeline
from sim.core.zone_table import Instants, as_seconds

__all__ = ["NONE", "BatchOutcome", "engine_batch", "timeline_row"]

NONE = np.iinfo(np.int64).max
"""An instant that never comes: ``terminated_at``, ``bound_until`` or ``survives_until``
null (still in force, or still bound, at the horizon; no survival)."""


@dataclass
class BatchOutcome:
    """What each scenario of a batch comes to, under one interpretation: when the treaty
    ended (``NONE``: in force at the horizon), when each party stopped being bound and when
    the obligations that survive its withdrawal end (columns in the order of ``parties``),
    how many actions were rejected, the horizon, and why a scenario could not be run
    (``errors``, by row). ``engine_rows`` counts the scenarios the SimPy engine ran."""

    interpretation: Interpretation
    parties: tuple[str, ...]
    terminated_at: Instants
    bound_until: Instants
    rejections: npt.NDArray[np.int64]
    horizon: Instants
    errors: dict[int, str] = field(default_factory=dict)
    engine_rows: int = 0
    term_ends: Instants = field(default_factory=lambda: np.zeros(0, np.int64))
    """The term ends the batch shares (term n ends at ``term_ends[n-1]``), with no action."""
    notice_deadlines: Instants = field(default_factory=lambda: np.zeros(0, np.int64))
    survives_until: Instants = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    """Per row and party (``NONE``: none); the run JSON's ``parties[].survives_until``."""

    @classmethod
    def empty(
        cls, interpretation: Interpretation, parties: tuple[str, ...], rows: int
    ) -> BatchOutcome:
        """A batch of ``rows`` scenarios with nothing filled in yet."""
        shape = (rows, len(parties))
        return cls(
            interpretation,
            parties,
            np.full(rows, NONE, np.int64),
            np.full(shape, NONE, np.int64),
            np.zeros(rows, np.int64),
            np.full(rows, NONE, np.int64),
            survives_until=np.full(shape, NONE, np.int64),
        )


def _seconds(moment: datetime | None) -> int:
    return NONE if moment is None else as_seconds(moment)


def timeline_row(
    timeline: Timeline, parties: Sequence[str]
) -> tuple[int, list[int], list[int], int, int]:
    """The engine's timeline as one row of a :class:`BatchOutcome`: terminated_at, each
    party's bound_until and survives_until, the count of rejected actions, the horizon."""
    return (
        _seconds(timeline.terminated_at),
        [_seconds(timeline.bound_until.get(p)) for p in parties],
        [_seconds(timeline.survives_until.get(p)) for p in parties],
        len(timeline.rejections),
        as_seconds(timeline.horizon),
    )


def engine_batch(
    scenario: Scenario,
    treaty: Treaty,
    at: Instants,
    happens: npt.NDArray[np.bool_],
    interpretation: Interpretation,
    only: npt.NDArray[np.int64] | None = None,
    into: BatchOutcome | None = None,
) -> BatchOutcome:
    """Rows ``only`` (every row where None) of the batch, each run by the SimPy engine
    (:func:`sim.engine.run`) and written into ``into`` (a new outcome where None)."""
    from sim.engine import RunError, run

    parties = tuple(treaty.party_names)
    result = into or BatchOutcome.empty(interpretation, parties, at.shape[0])
    tz = zone(treaty.timezone)
    for row in np.arange(at.shape[0]) if only is None else only:
        actions = [
            action.model_copy(
                update={"at": datetime.fromtimestamp(int(second), UTC).astimezone(tz)}
            )
            for action, second, kept in zip(scenario.actions, at[row], happens[row], strict=True)
            if kept
        ]
        result.engine_rows += 1
        try:
            timeline = run(scenario.model_copy(update={"actions": actions}), treaty, interpretation)
        except (RunError, DateError) as error:
            message = getattr(error, "message", str(error))
            where = getattr(error, "field", None)
            result.errors[int(row)] = f"{where}: {message}" if where else str(message)
            result.terminated_at[row] = NONE
            result.bound_until[row] = NONE
            result.survives_until[row] = NONE
            result.rejections[row] = 0
            result.horizon[row] = NONE
            continue
        ended, bound, survives, rejected, horizon = timeline_row(timeline, parties)
        result.terminated_at[row] = ended
        result.bound_until[row] = bound
        result.survives_until[row] = survives
        result.rejections[row] = rejected
        result.horizon[row] = horizon
    return result
