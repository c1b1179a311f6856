"""treaty-sim: a simulator for the deadline and renewal rules of treaties."""

__version__ = "0.1.0"
