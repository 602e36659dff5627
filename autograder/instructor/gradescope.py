"""Gradescope's autograder results format, shared by ``export --format gradescope`` and
``gradescope/run_autograder``.

Gradescope reads ``/autograder/results/results.json``: a top-level ``score`` and a list of
``tests``, each with ``name``, ``score``, ``max_score``, ``status`` (``passed``/``failed``),
``output`` and ``visibility``. Here one test is one graded cell: its name is the cell's
``grade_id`` (the graded function's name), its output the grader's status and message followed by
the check's parts (shape, values, each gradient) with their points. Like ``grades.csv``, nothing
in it shows an expected value. The grader's own log is not shown to students
(``stdout_visibility: hidden``).

Command line, used by ``gradescope/run_autograder``::

    python -m autograder.instructor.gradescope OUTDIR ASSIGNMENT RESULTS_JSON [--student NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..grader.record import Part, Row
from ..grader.report import number
from .gradebooks import ExportError, read_gradebook

__all__ = ["VISIBILITIES", "results_json", "write_json", "write_results"]

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")


def _points(x: float) -> float:
    """Scores as JSON numbers without float noise (2.5, never 2.4999999999)."""
    return float(round(x, 4))


def _output(row: Row, parts: list[Part]) -> str:
    lines = [f"{row.status}: {' '.join(row.message.split())}" if row.message else row.status]
    for p in parts:
        text = f"  {p.part}: {number(p.score)} of {number(p.max_score)} ({p.status})"
        if p.message:
            text += f" {' '.join(p.message.split())}"
        lines.append(text)
    return "\n".join(lines)


def results_json(rows: list[Row], parts: list[Part] = (), visibility: str = "visible") -> dict:
    """Gradescope's results.json (as a dict) for one student's rows of one assignment.

    ``rows`` are the gradebook's rows (``Gradebook.rows()``) of exactly one student and one
    assignment; ``parts`` (optional) their partial-credit parts, listed in each test's output.
    ``score`` is the sum of the tests' scores. Raises ``ValueError`` for no rows, rows of several
    students or assignments, or an unknown ``visibility``.
    """
    rows = list(rows)
    if not rows:
        raise ValueError("no graded cells: nothing to report to Gradescope")
    if visibility not in VISIBILITIES:
        raise ValueError(f"unknown Gradescope visibility {visibility!r} (one of {', '.join(VISIBILITIES)})")
    keys = {(r.student, r.assignment) for r in rows}
    if len(keys) != 1:
        raise ValueError(f"results.json is for one student and one assignment, got {sorted(keys)}")
    student, assignment = keys.pop()
    several = len({r.notebook for r in rows}) > 1
    by_cell: dict = {}
    for p in parts:
        if (p.student, p.assignment) == (student, assignment):
            by_cell.setdefault((p.notebook, p.grade_id), []).append(p)
    tests = []
    for r in rows:
        tests.append({
            "name": f"{r.notebook}: {r.grade_id}" if several else r.grade_id,
            "score": _points(r.score),
            "max_score": _points(r.max_score),
            "status": "passed" if r.status == "ok" else "failed",
            "output": _output(r, by_cell.get((r.notebook, r.grade_id), [])),
            "visibility": visibility,
        })
    score = _points(sum(t["score"] for t in tests))
    maximum = _points(sum(t["max_score"] for t in tests))
    return {
        "score": score,
        "output": f"{assignment}: {number(score)} of {number(maximum)} points "
                  f"({sum(r.status == 'ok' for r in rows)} of {len(rows)} functions with full marks)",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def write_json(path: Path, data: dict) -> Path:
    """Write ``data`` as JSON to ``path`` (via a temporary file and a rename); make its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def write_results(out_dir: Path, assignment: str, path: Path, student: str = "submission",
                  visibility: str = "visible") -> dict:
    """Write Gradescope's results.json for ``student``'s grades of ``assignment`` to ``path``.

    ``out_dir`` is a grading output folder (``python -m autograder grade ASSIGNMENT --out
    OUTDIR``) holding ``gradebook.sqlite``, which is opened read-only. Returns the dict written.
    Raises :class:`autograder.instructor.gradebooks.ExportError` when the gradebook is missing,
    unreadable, or has no rows for that student and assignment.
    """
    book = read_gradebook(Path(out_dir) / "gradebook.sqlite")
    rows = [r for r in book.rows if r.assignment == assignment and r.student == student]
    if not rows:
        graded = sorted({r.student for r in book.rows if r.assignment == assignment})
        raise ExportError(f"{out_dir}/gradebook.sqlite has no grades of student {student!r} for {assignment!r}"
                          + (f" (students graded: {', '.join(graded)})" if graded else ""))
    parts = [p for p in book.parts if p.assignment == assignment and p.student == student]
    data = results_json(rows, parts, visibility)
    write_json(path, data)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.instructor.gradescope",
                                     description="Write Gradescope's results.json from a grading output folder.")
    parser.add_argument("out", type=Path, help="grading output folder (holds gradebook.sqlite)")
    parser.add_argument("assignment")
    parser.add_argument("results", type=Path, help="where to write results.json")
    parser.add_argument("--student", default="submission", help="student folder name (default: submission)")
    parser.add_argument("--visibility", default="visible", choices=VISIBILITIES)
    args = parser.parse_args(argv)
    try:
        data = write_results(args.out, args.assignment, args.results, args.student, args.visibility)
    except (ExportError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.results}: {data['output']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
