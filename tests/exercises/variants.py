"""Helpers for the wrong-variant tests: run a check on a deliberately wrong student function and
assert partial credit with the named diagnosis."""

from __future__ import annotations

from autograder.checks import run_check
from autograder.checks.spec import CheckResult

SEEDS = (0, 1, 2)  # every variant is tried on several grading runs' fresh inputs


def assert_diagnosed(name: str, fn, *fragments: str, partial: bool = True) -> CheckResult:
    """Run check ``name`` on ``fn`` for each seed: the score is strictly between 0 and full marks
    (``partial``) and some failed part's message contains every fragment."""
    for seed in SEEDS:
        result = run_check(name, fn, seed=seed)
        if partial:
            assert 0 < result.score < result.max_score, f"seed {seed}: expected partial credit\n{result.report()}"
        else:
            assert result.score < result.max_score, \
                f"seed {seed}: a wrong function scored full marks\n{result.report()}"
        messages = " | ".join(p.message for p in result.parts if p.status != "ok")
        for fragment in fragments:
            assert fragment in messages, f"seed {seed}: diagnosis {fragment!r} missing\n{result.report()}"
    return result


def assert_full_marks(name: str, fn) -> None:
    for seed in SEEDS:
        result = run_check(name, fn, seed=seed)
        assert result.score == result.max_score, result.report()
