"""Treaties that many test files use, written once (issue 15, item 5): plain dicts, as a
scenario file would give them, for ``Treaty.model_validate`` or a scenario's ``treaty:``.

Each test takes a variant with :func:`variant` (a fresh copy with fields replaced) rather than
editing the shared dict, so no test sees another's changes.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["GSOMIA", "PARIS", "variant"]

GSOMIA: dict[str, Any] = {
    "name": "Korea–Japan GSOMIA",
    "parties": ["KR", "JP"],
    "timezone": "Asia/Seoul",
    "in_force": "2016-11-23",
    "clause": {"term": "1y", "renewal": "1y", "notice": "90d"},
}
"""facts/treaties.md, GSOMIA: KR and JP, Asia/Seoul, in force 23 November 2016; art. 21(3):
"in force for a period of one year ... automatically extended annually thereafter unless
either Party notifies the other ... ninety days in advance"."""

PARIS: dict[str, Any] = {
    "name": "Paris Agreement",
    "parties": ["US", "FR", "CN"],
    "timezone": "America/New_York",
    "in_force": "2016-11-04",
    "clause": {"withdrawal": "1y", "earliest_notice": "3y"},
}
"""facts/treaties.md, Paris Agreement: in force 4 November 2016; art. 28(1): notice "at any
time after three years from the date on which this Agreement has entered into force for a
Party"; art. 28(2): effect one year after receipt (the Depositary is in New York)."""


def variant(
    base: dict[str, Any], clause: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """A fresh copy of ``base`` with ``fields`` replaced and ``clause`` entries added to (or
    replacing those of) its clause."""
    treaty = copy.deepcopy(base)
    treaty.update(copy.deepcopy(fields))
    if clause:
        treaty["clause"] = {**treaty["clause"], **clause}
    return treaty
