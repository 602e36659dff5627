"""The graded assignments of a course, read from their gradebooks (for the exports).

``OUTDIR`` holds one grading output per assignment, as the instructor guide lays them out
(``grade ASSIGNMENT --out OUTDIR/ASSIGNMENT``): :func:`load` reads every
``OUTDIR/*/gradebook.sqlite`` (and ``OUTDIR/gradebook.sqlite`` itself, if there is one), opened
read-only. Used by :mod:`autograder.instructor.export` and :mod:`autograder.instructor.gradescope`,
which do not import each other's gradebook code.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..grader.load import InstructorError
from ..grader.record import Part, Row

__all__ = ["ExportError", "Gradebooks", "find_gradebooks", "load", "read_gradebook"]


class ExportError(InstructorError):
    """The export cannot be made (unknown format, no gradebook, unfinished grading run ...)."""


@dataclass
class Gradebooks:
    """Rows and parts of one or more gradebooks; ``unfinished`` lists assignments whose last
    grading run did not finish."""
    rows: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    unfinished: list = field(default_factory=list)
    where: dict = field(default_factory=dict)  # assignment -> gradebook path


def read_gradebook(path: Path) -> Gradebooks:
    """Every row and part of the gradebook at ``path``, opened read-only (nothing is written)."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"no gradebook at {path}: grade the assignment first "
                          f"(python -m autograder grade ASSIGNMENT --out {path.parent})")
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise ExportError(f"cannot open the gradebook {path}: {error}") from None
    try:
        rows = [Row(*r) for r in db.execute(
            "SELECT student, assignment, notebook, grade_id, score, max_score, status, message FROM results "
            "ORDER BY student, assignment, notebook, position")]
        parts = [Part(*r) for r in db.execute(
            "SELECT student, assignment, notebook, grade_id, part, score, max_score, status, message FROM parts "
            "ORDER BY student, assignment, notebook, position")]
        unfinished = [a for (a,) in db.execute(
            "SELECT assignment FROM runs WHERE finished IS NULL ORDER BY assignment")]
    except sqlite3.Error as error:
        raise ExportError(f"{path} is not a gradebook written by the grader ({error})") from None
    finally:
        db.close()
    return Gradebooks(rows, parts, unfinished, {r.assignment: path for r in rows})


def find_gradebooks(out: Path) -> list[Path]:
    """``OUTDIR/gradebook.sqlite`` (if any) and every ``OUTDIR/*/gradebook.sqlite``, sorted."""
    out = Path(out)
    if not out.is_dir():
        raise ExportError(f"the grades folder {out} does not exist or is not a folder")
    found = [out / "gradebook.sqlite"] if (out / "gradebook.sqlite").is_file() else []
    return found + sorted(p for p in out.glob("*/gradebook.sqlite") if p.is_file())


def load(out: Path, assignments: list[str] | None = None) -> Gradebooks:
    """The grades of every assignment graded into ``out`` (or only of ``assignments``)."""
    paths = find_gradebooks(out)
    if not paths:
        raise ExportError(f"no gradebook in {out}: expected {out}/<assignment>/gradebook.sqlite, as written by "
                          f"python -m autograder grade ASSIGNMENT --submitted DIR --out {out}/ASSIGNMENT")
    books = Gradebooks()
    for path in paths:
        book = read_gradebook(path)
        for assignment, where in book.where.items():
            if assignment in books.where:
                raise ExportError(f"assignment {assignment} is in two gradebooks, {books.where[assignment]} and "
                                  f"{where}; move one away or choose the assignments to export")
        books.rows += book.rows
        books.parts += book.parts
        books.unfinished += book.unfinished
        books.where.update(book.where)
    if assignments:
        unknown = [a for a in assignments if a not in books.where]
        if unknown:
            raise ExportError(f"no grades of {', '.join(unknown)} in {out} "
                              f"(graded: {', '.join(sorted(books.where)) or 'nothing'})")
        chosen = set(assignments)
        books.rows = [r for r in books.rows if r.assignment in chosen]
        books.parts = [p for p in books.parts if p.assignment in chosen]
        books.unfinished = [a for a in books.unfinished if a in chosen]
        books.where = {a: p for a, p in books.where.items() if a in chosen}
    if not books.rows:
        raise ExportError(f"the gradebooks in {out} hold no grades")
    if books.unfinished:
        raise ExportError(f"the last grading run of {', '.join(books.unfinished)} did not finish; run the same "
                          "grade command again to grade the rest, then export")
    return books
