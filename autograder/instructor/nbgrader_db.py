"""The grades into nbgrader's own gradebook, so that formgrader and ``nbgrader export`` show them.

``python -m autograder export --out OUTDIR --format nbgrader --nbgrader-db PATH`` (or ``grade ...
--nbgrader-db PATH`` right after grading) writes, through nbgrader's own API
(:class:`nbgrader.api.Gradebook`), for every assignment graded into ``OUTDIR``:

* the assignment, its notebooks and their grade cells (with their points), if nbgrader does not
  know them yet -- when it does (the instructor released the assignment with nbgrader), their
  points must agree with the grader's, or nothing is written;
* every student, and a submission per student;
* each grade cell's ``auto_score``: the score this grader gave it. Manual scores and extra
  credit that an instructor entered in formgrader are left as they are, so formgrader's total is
  this grader's score plus any manual adjustment.

nbgrader is optional: ``pip install 'rnn-course[nbgrader]'``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..grader.load import InstructorError
from ..grader.report import number

__all__ = ["write_nbgrader"]


def _url(db: Path | str) -> str:
    text = str(db)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def write_nbgrader(rows: list, db: Path | str) -> str:
    """Write ``rows`` (``grader.record.Row``\\ s, any assignments) into nbgrader's gradebook at
    ``db`` (a path to ``gradebook.db`` or a database URL); returns a one-line summary. Raises
    :class:`InstructorError` when nbgrader is missing or its gradebook disagrees with the grades."""
    try:
        from nbgrader.api import Gradebook, InvalidEntry, MissingEntry
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:
        raise InstructorError("writing nbgrader's gradebook needs nbgrader: pip install 'rnn-course[nbgrader]' "
                              "(or pip install nbgrader==0.9.6)") from None
    if not rows:
        raise InstructorError("no grades to write into nbgrader's gradebook")
    cells: dict = {}
    for r in rows:
        cells.setdefault((r.assignment, r.notebook, r.grade_id), r.max_score)
    written = 0
    # nbgrader stamps a new gradebook with its migration tool (alembic), which it runs by name:
    # have this interpreter's scripts on PATH even when the environment is not activated
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")
    try:
        with Gradebook(_url(db)) as gb:
            for (assignment, notebook, grade_id), points in cells.items():
                gb.update_or_create_assignment(assignment)
                gb.update_or_create_notebook(notebook, assignment)
                try:
                    cell = gb.find_grade_cell(grade_id, notebook, assignment)
                except MissingEntry:
                    gb.update_or_create_grade_cell(grade_id, notebook, assignment, max_score=points,
                                                   cell_type="code")
                    continue
                if abs(cell.max_score - points) > 1e-9:
                    raise InstructorError(
                        f"nbgrader's gradebook {db} gives {assignment}/{notebook} cell {grade_id} "
                        f"{number(cell.max_score)} points, the grader {number(points)}: release the assignment "
                        "again with nbgrader (generate_assignment) from the same solutions/, then export")
            for student in sorted({r.student for r in rows}):
                gb.update_or_create_student(student)
            for assignment, student in sorted({(r.assignment, r.student) for r in rows}):
                gb.update_or_create_submission(assignment, student)
            for r in rows:
                try:
                    grade = gb.find_grade(r.grade_id, r.notebook, r.assignment, r.student)
                except MissingEntry:
                    raise InstructorError(
                        f"nbgrader's gradebook {db} has a submission of {r.assignment} by {r.student} without "
                        f"cell {r.grade_id}: it was made before the cell existed; remove that submission in "
                        "formgrader (or with nbgrader db) and export again") from None
                grade.auto_score = float(r.score)
                written += 1
            gb.db.commit()
    except InvalidEntry as error:
        raise InstructorError(f"nbgrader refused an entry of its gradebook {db}: {error}") from None
    except (OSError, SQLAlchemyError) as error:
        raise InstructorError(f"cannot write nbgrader's gradebook {db}: {error}") from None
    students = len({r.student for r in rows})
    assignments = len({r.assignment for r in rows})
    return (f"wrote {written} scores of {students} students in {assignments} assignment(s) into nbgrader's "
            f"gradebook {db}")
