"""The pure core: dates, the clause and treaty models, the rules and the state machine. It
imports nothing of SimPy, YAML or the terminal."""
