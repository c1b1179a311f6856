"""The strategies that turn a scenario into an outcome (STYLE.md, "Where new code goes"): the
vectorised closed form lives here; the SimPy engine (sim/engine.py, the reference) and the
scalar closed form (sim/core/closed_form.py) are to follow when next changed in earnest."""
