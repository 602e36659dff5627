"""Grades for learning platforms: ``python -m autograder export --out OUTDIR --format FORMAT``.

``OUTDIR`` holds one grading output per assignment, as the instructor guide lays them out
(``grade ASSIGNMENT --out OUTDIR/ASSIGNMENT``), so the export reads every
``OUTDIR/*/gradebook.sqlite`` (and ``OUTDIR/gradebook.sqlite`` itself, if there is one), opened
read-only. A student is a student folder name, as in ``grades.csv``; an assignment's score is
the sum of its graded cells, and its maximum the sum of their points.

Formats (the files are written into ``OUTDIR``):

``csv``
    ``gradebook.csv``: header ``student,<assignment>...,total``; the first row under it is
    ``(max points)`` with each assignment's maximum; then one row per student. A cell is empty
    when the student was not in that assignment's grading run (no folder); the total counts it 0.
``canvas``
    ``canvas.csv``, Canvas's gradebook import: ``Student,ID,SIS User ID,SIS Login ID,Section``
    then one column per assignment named after it, a ``Points Possible`` row (Canvas sets the
    points of the new assignments from it), and one row per student with the folder name as
    ``SIS Login ID`` (and as ``Student``; ``ID``, ``SIS User ID`` and ``Section`` stay empty), so
    name the student folders after the students' Canvas logins. Columns whose name has no Canvas
    assignment id in parentheses are created as new assignments on import; to update existing
    ones, rename the header to Canvas's ``Name (id)`` from one of its exports.
``moodle``
    ``moodle.csv`` for Moodle's *Import grades from CSV*: ``username,<assignment>...``. On import,
    map ``username`` to *username* and each column to its grade item (create the grade items
    with the assignments' maximum points first: the file has no points row, which Moodle would
    read as a user).
``gradescope``
    ``gradescope/<assignment>/<student>/results.json`` in Gradescope's autograder results
    format (:mod:`autograder.instructor.gradescope`), one per student and assignment.
``nbgrader``
    nothing in ``OUTDIR``: the scores go into nbgrader's own gradebook (``--nbgrader-db``), where
    formgrader and ``nbgrader export`` show them (:mod:`autograder.instructor.nbgrader_db`).
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..grader.record import Row
from ..grader.report import number
from .gradebooks import ExportError, Gradebooks, find_gradebooks, load, read_gradebook
from .gradescope import results_json, write_json

__all__ = ["FORMATS", "ExportError", "Gradebooks", "export", "find_gradebooks", "read_gradebook"]

FORMATS = ("csv", "canvas", "moodle", "gradescope", "nbgrader")
MAX_ROW = "(max points)"
CANVAS_HEADER = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


def totals(rows: list[Row]) -> tuple[list[str], list[str], dict, dict]:
    """``(assignments, students, scores, maxima)``: ``scores[student][assignment]`` is the sum of
    the student's cells, ``maxima[assignment]`` the assignment's points."""
    scores: dict = {}
    maxima_by_student: dict = {}
    for r in rows:
        scores.setdefault(r.student, {}).setdefault(r.assignment, 0.0)
        scores[r.student][r.assignment] += r.score
        key = (r.assignment, r.student)
        maxima_by_student[key] = maxima_by_student.get(key, 0.0) + r.max_score
    assignments = sorted({r.assignment for r in rows})
    maxima: dict = {}
    for (a, _), v in maxima_by_student.items():
        maxima[a] = max(maxima.get(a, 0.0), v)
    return assignments, sorted(scores), scores, maxima


def _write_csv(path: Path, table: list[list]) -> Path:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(table)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text.getvalue(), encoding="utf-8")
    os.replace(temporary, path)
    return path


def _cell(scores: dict, student: str, assignment: str) -> str:
    value = scores[student].get(assignment)
    return "" if value is None else number(value)


def export(out: Path, fmt: str, assignments: list[str] | None = None, nbgrader_db: Path | None = None) -> list[Path]:
    """Export the grades in ``out`` (``out/<assignment>/gradebook.sqlite``) as ``fmt``, one of
    ``csv``, ``canvas``, ``moodle``, ``gradescope``, ``nbgrader`` (see the module's docstring for
    each); ``assignments`` restricts it to those. Returns the paths written (for ``nbgrader``, the
    gradebook ``nbgrader_db``). Raises :class:`ExportError` (an ``InstructorError``) with a message
    for an unknown format, a folder without gradebooks, an unknown assignment, or an unfinished
    grading run.
    """
    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "nbgrader" and nbgrader_db is None:
        raise ExportError("--format nbgrader needs --nbgrader-db PATH: nbgrader's gradebook.db (in the nbgrader "
                          "course's root folder)")
    books = load(out, assignments)
    if fmt == "nbgrader":
        from .nbgrader_db import write_nbgrader

        write_nbgrader(books.rows, nbgrader_db)
        return [Path(nbgrader_db)]
    names, students, scores, maxima = totals(books.rows)
    if fmt == "csv":
        table = [["student", *names, "total"], [MAX_ROW, *(number(maxima[a]) for a in names),
                                                number(sum(maxima.values()))]]
        for s in students:
            table.append([s, *(_cell(scores, s, a) for a in names), number(sum(scores[s].values()))])
        return [_write_csv(out / "gradebook.csv", table)]
    if fmt == "canvas":
        table = [[*CANVAS_HEADER, *names], ["Points Possible", "", "", "", "", *(number(maxima[a]) for a in names)]]
        for s in students:
            table.append([s, "", "", s, "", *(_cell(scores, s, a) for a in names)])
        return [_write_csv(out / "canvas.csv", table)]
    if fmt == "moodle":
        table = [["username", *names]]
        for s in students:
            table.append([s, *(_cell(scores, s, a) for a in names)])
        return [_write_csv(out / "moodle.csv", table)]
    rows_of: dict = {}
    parts_of: dict = {}
    for r in books.rows:
        rows_of.setdefault((r.assignment, r.student), []).append(r)
    for p in books.parts:
        parts_of.setdefault((p.assignment, p.student), []).append(p)
    return [write_json(out / "gradescope" / a / s / "results.json", results_json(rows, parts_of.get((a, s), [])))
            for (a, s), rows in sorted(rows_of.items())]
