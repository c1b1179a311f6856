#!/bin/sh
# Mutation testing (docs/properties.md, "Mutation testing"): `make mutation`, from the
# repository root. mutmut rewrites the files it mutates, so each run works on a copy of the
# last commit (git archive HEAD) under /tmp; the working tree is never touched.
#
#   tests/mutation/run.sh            # the kernel, the state machine and the verifiers (check, claims,
#                                    #   deadlines, render), then the treaty data
#   tests/mutation/run.sh verifiers  # only the mutmut run
#   tests/mutation/run.sh data       # only the treaty data
#
# Hypothesis is seeded (--hypothesis-seed), not derandomised: every mutant meets the same
# examples, drawn as a random run would draw them.
set -eu
REPO=$(pwd)
BIN="$REPO/.venv/bin"
WHAT=${1:-all}
SEED=${SEED:-20261130}
COPY=${COPY:-/tmp/treaty-sim-mutation}

if [ "$WHAT" = all ] || [ "$WHAT" = verifiers ]; then
    rm -rf "$COPY" && mkdir -p "$COPY" && git archive HEAD | tar -x -C "$COPY"
    cat > "$COPY/setup.cfg" <<CFG
[mutmut]
source_paths = sim
only_mutate =
    sim/core/kernel.py
    sim/core/machine.py
    sim/check.py
    sim/claims/model.py
    sim/claims/run.py
    sim/claims/checks.py
    sim/claims_vocabulary.py
    sim/core/deadlines.py
    sim/render.py
pytest_add_cli_args = --hypothesis-seed=$SEED -p no:cacheprovider
pytest_add_cli_args_test_selection = tests
also_copy =
    scenarios
    seeds
    docs
use_git_change_detection = false
timeout_multiplier = 3.0
CFG
    (cd "$COPY" && HYPOTHESIS_PROFILE=mutation "$BIN/mutmut" run --max-children 2 >/dev/null 2>&1 || true)
    (cd "$COPY" && "$BIN/mutmut" results --all true) > "$COPY/results.txt"
    "$BIN/python" tests/mutation/score.py "$COPY/results.txt"
fi

if [ "$WHAT" = all ] || [ "$WHAT" = data ]; then
    rm -rf "$COPY-data" && mkdir -p "$COPY-data" && git archive HEAD | tar -x -C "$COPY-data"
    (cd "$COPY-data" && HYPOTHESIS_PROFILE=mutation "$BIN/python" tests/mutation/treaty_data.py "$COPY-data")
fi
