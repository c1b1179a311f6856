"""The commands, one module each; ``sim/cli.py`` only wires arguments to them."""
