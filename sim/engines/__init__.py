"""The strategies that turn a scenario into an outcome (STYLE.md, "Where new code goes"): the
vectorised path lives here; the SimPy engine (sim/engine.py) is the reference. The closed form
is no longer part of the product: it is the tests' oracle (tests/closed_form.py)."""
