"""Hypothesis profiles (docs/properties.md).

- ``default`` (``make test``): a fast pass, so the whole suite stays within a few minutes on
  two cores;
- ``quick`` (``make check``, the inner loop): a quarter of the default's examples;
- ``deep`` (``make fuzz``, or ``HYPOTHESIS_PROFILE=deep pytest tests``): at least 10,000
  examples for each differential and invariant test (the stateful test runs half as many
  action sequences, of 25 steps each);
- ``mutation``: the default profile without shrinking or example database, for mutation
  testing (seeded by ``make mutation``).

The first two print the seed of a failure; a failing example is stored in ``.hypothesis/``
and replayed first on the next run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

_RELAXED = [HealthCheck.too_slow, HealthCheck.data_too_large]

settings.register_profile(
    "default",
    max_examples=40,
    deadline=None,
    suppress_health_check=_RELAXED,
    print_blob=True,
)
settings.register_profile("quick", parent=settings.get_profile("default"), max_examples=10)
settings.register_profile(
    "deep",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[*_RELAXED, HealthCheck.filter_too_much],
    print_blob=True,
)
settings.register_profile(
    "mutation",
    parent=settings.get_profile("default"),
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
"""For mutation testing (docs/properties.md): the default profile with no example database
and no shrinking, so a failure is reported at once (not after a long shrink that would look
like a time-out). ``make mutation`` seeds it (``--hypothesis-seed``), so every mutant meets
the same examples and the score is reproducible, without ``derandomize``, whose one fixed
stream of examples reached some paths less often than random seeds do."""
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def deep() -> bool:
    """Whether the deep profile is in use (for tests that scale their own sizes)."""
    return settings.default.max_examples >= 10_000


# The slow tests (issue 16, point 5): `make check`, the inner loop, leaves them out
# (`-m "not slow"`); `make test` runs them all. Whole modules, by what makes them slow; a
# single test elsewhere is marked where it is written (`@pytest.mark.slow`).
SLOW_MODULES = {
    "test_docs.py": "runs every shell example of README.md and docs/, a process each",
    "test_sweep_scale.py": "sweeps of 10^5 values and more, on several processes",
    "test_closed_form.py": "differential tests of 100 to 200 examples each, whatever the profile",
    "test_report_browser.py": "drives a real browser (Debian's chromium)",
    "test_colour.py": "runs every command's example, into a pipe and on a terminal",
    "test_serve.py": "starts the HTTP service, its worker processes and clients",
    "test_serve_load.py": "2,000 requests to the HTTP service",
    "test_serve_browser.py": "the service's page in a real browser",
}
SLOW_NAMES = {
    "dask": "starts a dask cluster of worker processes",
    "runs_nothing_on_the_engine": "the command line's sweep --summary over every scenario file",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: seconds of CPU or processes per test; `make check` skips these"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES or any(word in item.name for word in SLOW_NAMES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for every browser test of a process (tests/browser.py): one
    Playwright sync instance per process, since a second one started while the first runs
    finds its event loop and refuses (the report and the service's page share it)."""
    from browser import chromium

    with chromium() as launched:
        yield launched
