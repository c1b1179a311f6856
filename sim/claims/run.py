"""Running the claims: each timeline of a claims file simulated once, each claim judged
against its timeline by its check (``sim.claims.checks``)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.claims.checks import CHECKS, Run
from sim.claims.model import Claims, TimelineSpec
from sim.core.model import Treaty
from sim.loader import Path_

__all__ = ["ClaimResult", "check_claims"]


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
        verdict = CHECKS[claim.kind](claim, simulated)
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


def _simulate(claims: Claims, name: str, spec: TimelineSpec, override: Treaty | None) -> Run:
    from sim.engine import RunError, run

    treaty = override or spec.treaty
    what_if = spec.scenario.name if spec.hypothetical else None
    try:
        return Run(run(spec.scenario, treaty), treaty, what_if)
    except RunError as error:
        parts = error.field.replace("[", ".").replace("]", "").split(".")
        field: Path_ = tuple(int(p) if p.isdigit() else p for p in parts)
        raise claims.loaded.error(("timelines", name, *field), error.message) from None
