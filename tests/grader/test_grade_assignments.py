"""Every assignment through the sandboxed grader: the solution scores full marks, the released
blank notebook scores 0 on every graded cell (and nothing is left ungraded)."""

from __future__ import annotations

import shutil

import pytest

from autograder.grader.load import load_assignment

from ..exercises.conftest import ASSIGNMENTS, ROOT
from .conftest import read_grades


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_full_marks_blank_zero_in_the_sandbox(assignment, tmp_path):
    import os
    import subprocess
    import sys

    submitted = tmp_path / "submitted"
    for student, source in (("solver", "solutions"), ("blank", "exercises")):
        shutil.copytree(ROOT / source / assignment, submitted / student / assignment)
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", assignment, "--submitted", str(submitted),
                             "--out", str(out), "--jobs", "2"], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "CI": "true"}, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    grades = read_grades(out)
    cells = [c.grade_id for nb in load_assignment(ROOT / "solutions", assignment).notebooks for c in nb.graded]
    for cell in cells:
        solved, blank = grades["solver", cell], grades["blank", cell]
        assert solved["status"] == "ok" and solved["score"] == solved["max_score"], f"solution lost points: {solved}"
        assert float(blank["score"]) == 0 and blank["status"] != "ok", f"blank notebook scored: {blank}"
