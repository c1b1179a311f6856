"""The parts of SimPy the engine uses, imported without SimPy's version scan.

``simpy/__init__.py`` looks SimPy's own version up in the installed distributions' metadata
(``importlib.metadata``: its import and a scan of every installed distribution, a large share
of a command's start-up; docs/performance.md). The engine needs only ``simpy.core`` and
``simpy.events``, so the ``simpy`` package is registered from its spec without running its
``__init__``; that runs in full on the first use of an attribute of ``simpy`` itself (a module
``__getattr__``, PEP 562), so ``import simpy; simpy.Store`` elsewhere works as before.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any


def _register_simpy() -> None:
    if "simpy" in sys.modules:
        return
    spec = importlib.util.find_spec("simpy")
    if spec is None or spec.loader is None:  # pragma: no cover - simpy is a dependency
        return
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(name: str) -> Any:
        del package.__dict__["__getattr__"]
        loader.exec_module(package)
        return getattr(package, name)

    package.__dict__["__getattr__"] = complete
    sys.modules["simpy"] = package


_register_simpy()

from simpy.core import Environment  # noqa: E402
from simpy.events import Event, EventPriority  # noqa: E402

__all__ = ["Environment", "Event", "EventPriority"]
