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

The package, by job: ``model`` (the file's model and its loading), ``run`` (simulating the
timelines and judging each claim) and ``checks`` (one check per kind of claim).
"""

from sim.claims.model import CLAIMS_FILE, Claim, Claims, Kind, load_claims
from sim.claims.model import _quoted as _quoted  # tests read it here
from sim.claims.run import ClaimResult, check_claims
from sim.claims_vocabulary import DayCount, Period, resolve_period

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
