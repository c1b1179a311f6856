"""The drivers that turn a batch of scenarios into outcomes (STYLE.md, "Where new code goes"):
the SimPy engine (sim/engine.py, the reference) and the vectorised path (vector.py), chosen
by :func:`covers` and returning one result type, :class:`BatchOutcome` (batch.py). The
closed form is not part of the product: it is the tests' oracle (tests/closed_form.py)."""

from sim.engines.batch import NONE, BatchOutcome
from sim.engines.vector import covers, outcomes

__all__ = ["NONE", "BatchOutcome", "covers", "outcomes"]
