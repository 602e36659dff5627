"""Hidden checks: fresh random inputs, comparison with the references, partial credit, diagnoses.

A hidden test cell of an assignment is one declaration::

    check("rnn_cell_forward", rnn_cell_forward)

Under ``nbgrader autograde`` that line runs in the notebook's kernel: it prints a report (one
line per part, each with its points and, on failure, the named mistake) and its value -- the
score -- is the cell's output, which nbgrader takes as partial credit. The grading command
(``python -m autograder grade``) reads the same declarations from the trusted source notebook and
runs the student's function in a sandbox through :mod:`autograder.checks.harness`.

Modules, one per chapter topic or graded concern: ``vocab``, ``ngrams``, ``smoothing`` (chapter 1,
sharing ``counting``), ``notation``, ``rnn`` (chapter 3), ``loss``, ``bptt``, ``gradcheck``,
``training`` (chapter 4), ``rnn_types``, ``sampling``, ``clipping``, ``gru``, ``lstm``, ``birnn``,
``deep_rnn``. ``spec`` holds the machinery (cases, parts, mistakes, results); ``diagnose`` what a
wrong answer shows by itself (shapes, steps, terms); ``harness`` the untrusted call; ``gated`` the
mistake tables the GRU and LSTM checks share.
"""

from __future__ import annotations

import os
import secrets

import numpy as np

from . import harness
from .spec import REGISTRY, Check, CheckResult

# Importing the topic modules registers their checks (one module per chapter topic).
from . import (  # noqa: F401  isort: skip
    birnn, bptt, clipping, deep_rnn, gradcheck, gru, loss, lstm, ngrams, notation, rnn, rnn_types, sampling, smoothing,
    training, vocab,
)

__all__ = ["REGISTRY", "Check", "CheckResult", "check", "get_check", "new_seed", "run_check"]


def get_check(name: str) -> Check:
    """The check registered as ``name``; a clear error for an unknown name."""
    try:
        return REGISTRY[name]()
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"no check is named {name!r}; known checks: {known}") from None


def new_seed() -> int:
    """The seed of this grading run: ``AUTOGRADER_SEED`` when set (to reproduce a run), else fresh."""
    fixed = os.environ.get("AUTOGRADER_SEED")
    return int(fixed) if fixed else secrets.randbelow(2**31)


def run_check(name: str, fn, seed: int | None = None) -> CheckResult:
    """Run check ``name`` on ``fn`` in this process: make the cases, call ``fn`` on each through
    the harness (time limit, captured output, plain-data result), and score the outcomes."""
    spec = get_check(name)
    seed = new_seed() if seed is None else int(seed)
    cases = spec.cases(np.random.default_rng(seed))
    outcomes = []
    for case in cases:
        if outcomes and outcomes[-1].status == "timeout":  # one hang costs one time limit, not one per case
            outcomes.append(outcomes[-1])
            continue
        outcomes.append(harness.call(fn, case.args, case.kwargs, spec.timeout))
    return spec.score(cases, outcomes, seed)


def check(name: str, fn, seed: int | None = None) -> float:
    """The hidden-test entry point: run check ``name`` on ``fn``, print the report, return the score
    (nbgrader reads a number output by a test cell as partial credit)."""
    result = run_check(name, fn, seed)
    print(result.report())
    return result.score
