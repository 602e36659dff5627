"""The diagnosis never costs a grade: whatever plain value a student's function returns -- wrong
types, shapes, NaN, huge numbers, nested junk -- every check scores it without raising (issue 13:
the new diagnosis reads the values closely, on the trusted side)."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import REGISTRY, get_check
from autograder.checks.harness import Outcome


def junk(rng: np.random.Generator, want, depth: int = 0):
    """A plausible wrong answer shaped a little like ``want``."""
    kind = int(rng.integers(8))
    if isinstance(want, tuple) and depth < 3:
        return tuple(junk(rng, w, depth + 1) for w in want) if kind < 6 else junk(rng, want[0], depth + 1)
    if isinstance(want, dict) and depth < 3:
        return {k: junk(rng, v, depth + 1) for k, v in want.items() if kind < 7 or rng.random() < 0.5}
    if isinstance(want, np.ndarray):
        shape = want.shape
        options = [lambda: np.full(shape, np.nan), lambda: np.full(shape, 1e300), lambda: -want,
                   lambda: want.T.copy(), lambda: np.zeros(shape[::-1] + (1,)), lambda: want.ravel(),
                   lambda: rng.standard_normal(shape), lambda: (want > 0).astype(np.int64)]
        return options[kind]()
    return [None, "text", 3, -1.5, [], {}, np.zeros(2), float("inf")][kind]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_scoring_junk_never_raises(name):
    check = get_check(name)
    rng = np.random.default_rng(0)
    cases = check.cases(np.random.default_rng(1))
    wants = [check.expected(c) for c in cases]
    for _ in range(12):
        outcomes = [Outcome("ok", junk(rng, w)) for w in wants]
        result = check.score(cases, outcomes, 1)
        assert 0 <= result.score <= result.max_score
        assert isinstance(result.message, str)
