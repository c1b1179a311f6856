"""treaty-sim: a simulator for the deadline and renewal rules of treaties.

The Python API (docs/python.md) is :mod:`sim.api`; its functions are also attributes of the
package (``sim.run``, ``sim.load``, ...), imported on first use so that ``import sim`` stays
cheap (no pydantic, no SimPy until a function is called).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = (
    "calendar",
    "check",
    "claims",
    "deadlines",
    "load",
    "load_dict",
    "loads",
    "report",
    "run",
    "run_all",
    "sample",
    "sweep",
    "sweep_stream",
    "treaties",
    "InputError",
    "InputErrors",
    "Timeline",
)

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from sim import api

        return getattr(api, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
