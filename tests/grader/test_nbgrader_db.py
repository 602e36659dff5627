"""The grader's scores in nbgrader's own gradebook (issue 15): written through nbgrader's API, read
back with nbgrader's API, and shown by ``nbgrader export`` -- what formgrader displays."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ASSIGNMENT, GRADED, ROOT, grade_cli, notebook, put

nbgrader_api = pytest.importorskip("nbgrader.api")

WRONG_SOFTMAX = "def softmax(z):\n    return z"


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"],
                            cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """An nbgrader course that released assignment 3 with nbgrader, and the class graded by us."""
    base = tmp_path_factory.mktemp("nbgrader-db")
    course = base / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    submitted = base / "submitted"
    put(submitted, "alice", notebook())
    put(submitted, "bob", notebook(softmax=WRONG_SOFTMAX))
    out = base / "grades" / ASSIGNMENT
    result = grade_cli(submitted, out, "--nbgrader-db", str(course / "gradebook.db"))
    assert result.returncode == 0, result.stderr
    assert "into nbgrader's gradebook" in result.stderr
    return course, out


def scores_in(db: Path) -> dict:
    with nbgrader_api.Gradebook(f"sqlite:///{db}") as gb:
        return {(s, g): gb.find_grade(g, ASSIGNMENT, ASSIGNMENT, s).score for s in ("alice", "bob") for g in GRADED} | \
            {s: gb.find_submission(ASSIGNMENT, s).score for s in ("alice", "bob")}


def test_grade_writes_into_the_released_assignment(graded):
    course, _ = graded
    scores = scores_in(course / "gradebook.db")
    assert scores["alice"] == sum(GRADED.values())
    assert scores["bob", "softmax"] == 0.5 and scores["bob", "rnn_cell_forward"] == GRADED["rnn_cell_forward"]
    assert scores["bob"] == sum(GRADED.values()) - GRADED["softmax"] + 0.5


def test_nbgrader_export_shows_the_scores(graded):
    course, _ = graded
    nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert float(rows["alice"]["score"]) == sum(GRADED.values())
    assert float(rows["bob"]["score"]) == sum(GRADED.values()) - GRADED["softmax"] + 0.5
    assert float(rows["alice"]["max_score"]) == sum(GRADED.values())


def test_export_into_a_fresh_gradebook_creates_the_assignment(graded, tmp_path):
    _, out = graded
    db = tmp_path / "gradebook.db"
    result = subprocess.run([sys.executable, "-m", "autograder", "export", "--out", str(out.parent), "--format",
                             "nbgrader", "--nbgrader-db", str(db)], capture_output=True, text=True, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    scores = scores_in(db)
    assert scores["alice"] == sum(GRADED.values())
    with nbgrader_api.Gradebook(f"sqlite:///{db}") as gb:
        cells = {c.name: c.max_score for c in gb.find_notebook(ASSIGNMENT, ASSIGNMENT).grade_cells}
    assert cells == GRADED


def test_points_that_disagree_are_refused_with_one_line(graded, tmp_path, monkeypatch):
    _, out = graded
    db = tmp_path / "gradebook.db"
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")  # alembic
    with nbgrader_api.Gradebook(f"sqlite:///{db}") as gb:
        gb.update_or_create_assignment(ASSIGNMENT)
        gb.update_or_create_notebook(ASSIGNMENT, ASSIGNMENT)
        gb.update_or_create_grade_cell("softmax", ASSIGNMENT, ASSIGNMENT, max_score=10, cell_type="code")
    result = subprocess.run([sys.executable, "-m", "autograder", "export", "--out", str(out.parent), "--format",
                             "nbgrader", "--nbgrader-db", str(db)], capture_output=True, text=True, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "gives 03-rnn-forward/03-rnn-forward cell softmax 10 points, the grader 3" in result.stderr


def test_nbgrader_format_needs_the_database(graded):
    _, out = graded
    result = subprocess.run([sys.executable, "-m", "autograder", "export", "--out", str(out.parent), "--format",
                             "nbgrader"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 2 and "--nbgrader-db" in result.stderr and "Traceback" not in result.stderr
