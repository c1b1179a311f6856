"""The edges that write files in formats of their own (docs/decisions.md: ``sim/io/``)."""
