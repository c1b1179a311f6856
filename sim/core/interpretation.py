"""The interpretations of a resumed notice, in a module of their own: the command line offers
them as choices at every start-up (``--help``, completion) without importing the models."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Interpretation"]


class Interpretation(StrEnum):
    """When a suspended notice, once resumed, takes effect (PRODUCT.md, "Interpretations")."""

    REMAINING = "remaining"
    IMMEDIATE = "immediate"
    FRESH = "fresh"
