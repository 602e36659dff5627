"""The corpus of realistic wrong implementations (issue 13): every entry loses points, and the
share of entries whose message names the bug is printed per function (goal: 90 %).

Each assignment's corpus is graded once, as a class, by the real grader (``corpus.grade_corpus``).
"""

from __future__ import annotations

import pytest

from .corpus import MODULES, entries, grade_corpus, table

RESULTS: dict = {}  # assignment -> graded entries, for the summary at the end of the session
GOAL = 0.9


@pytest.fixture(scope="module", params=sorted(MODULES))
def graded(request):
    assignment = request.param
    RESULTS[assignment] = grade_corpus(assignment, timeout=30 if assignment.startswith("04") else 5)
    return assignment, RESULTS[assignment]


@pytest.mark.slow
def test_every_entry_loses_points(graded):
    assignment, results = graded
    kept = [g.entry.name for g in results if not g.lost_points]
    assert not kept, f"{assignment}: wrong implementations with full marks: {kept}"


@pytest.mark.slow
def test_the_bug_is_named_for_nine_in_ten_entries_of_every_function(graded):
    assignment, results = graded
    short = {}
    for function in dict.fromkeys(g.entry.function for g in results):
        mine = [g for g in results if g.entry.function == function]
        share = sum(g.named for g in mine) / len(mine)
        if share < GOAL:
            short[function] = f"{share:.0%}: " + "; ".join(f"{g.entry.name}: {g.message[:200]}" for g in mine
                                                          if not g.named)
    assert not short, f"{assignment}: named below {GOAL:.0%}: {short}"


@pytest.mark.slow
def test_the_corpus_covers_every_graded_function(graded):
    assignment, results = graded
    from autograder.grader.load import load_assignment

    source = load_assignment(__import__("pathlib").Path(__file__).resolve().parents[2] / "solutions", assignment)
    functions = {cell.function for nb in source.notebooks for cell in nb.graded}
    assert functions <= {e.function for e in entries(assignment)}, f"{assignment}: functions without entries"


def summary() -> str:
    lines = []
    for assignment, results in sorted(RESULTS.items()):
        lines += [f"{assignment}:", table(results)]
    everything = [g for results in RESULTS.values() for g in results]
    if everything:
        lines.append(f"all: {sum(g.named for g in everything)} of {len(everything)} named "
                     f"({sum(g.named for g in everything) / len(everything):.0%})")
    return "\n".join(lines)
