"""Every requirement a hidden check enforces is stated in its notebook (issue 13).

A part of a check that enforces more than "the documented return value" -- exact cache keys, no
change of the inputs in place, a mask, logits hundreds apart, a threshold -- declares what the
exercise must say (``Part.stated``, regular expressions). This test reads, for every graded cell of
every source notebook, the text a student has for that function -- the markdown of its section
(since the previous graded cell) and the answer cell's docstring and comments, without the code
between the solution markers, which students never see -- and fails when a part's statement is
missing, naming the notebook, the function and the part.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from autograder.checks import get_check

from .conftest import NOTEBOOKS, SOLUTIONS

SOLUTION = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.DOTALL)  # what the student version drops


def sections(path) -> list[tuple[str, str, str]]:
    """``(grade_id, check name, text a student has for it)`` of every graded cell of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found, markdown, answers = [], [], {}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            markdown.append(source)
        elif meta.get("solution") and meta.get("grade_id", "").endswith("_code"):
            answers[meta["grade_id"][:-5]] = SOLUTION.sub("", source)
        elif meta.get("grade"):
            declared = re.search(r'check\("([^"]+)",\s*(\w+)\)', source)
            if declared:
                name, function = declared.groups()
                found.append((meta["grade_id"], name, "\n".join(markdown) + "\n" + answers.get(function, "")))
            markdown = []
    return found


CELLS = [(f"{a}/{nb}", grade_id, name, text) for a, nb in NOTEBOOKS
         for grade_id, name, text in sections(SOLUTIONS / a / nb)]


@pytest.mark.parametrize("where, grade_id, name, text", CELLS, ids=[f"{c[0]}:{c[1]}" for c in CELLS])
def test_every_enforced_requirement_is_stated(where, grade_id, name, text):
    unstated = []
    for part in get_check(name).parts:
        for pattern in part.stated:
            if not re.search(pattern, text, re.IGNORECASE):
                unstated.append(f"part {part.title!r} needs /{pattern}/")
    assert not unstated, f"{where}, {grade_id}: the notebook does not say what the hidden test checks: {unstated}"


def test_the_solution_code_is_not_read_as_a_statement():
    answer = 'def f(z):\n    """Doc."""\n    ### BEGIN SOLUTION\n    return {"dx": z}\n    ### END SOLUTION\n'
    assert '"dx"' not in SOLUTION.sub("", answer) and "Doc." in SOLUTION.sub("", answer)


def test_the_test_sees_every_graded_cell():
    graded = sum(1 for a, nb in NOTEBOOKS for c in json.loads((SOLUTIONS / a / nb).read_text())["cells"]
                 if c.get("metadata", {}).get("nbgrader", {}).get("grade"))
    assert len(CELLS) == graded
    if not os.environ.get("AUTOGRADER_ASSIGNMENTS"):  # the whole course, not the assignments an author picked
        assert graded > 30
