"""Stage 5, report: ``OUTDIR/grades.csv`` from the gradebook, and the progress display.

The CSV header is a contract (instructors' scripts read it):
``student,assignment,notebook,grade_id,score,max_score,status,message``.
It is written to a temporary file and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from pathlib import Path

from .record import Row

HEADER = ("student", "assignment", "notebook", "grade_id", "score", "max_score", "status", "message")


def number(x: float) -> str:
    """Scores as short decimals: 3, 2.5, 0.25 (never 3.0000000001)."""
    return f"{round(x, 4):g}"


def csv_text(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([r.student, r.assignment, r.notebook, r.grade_id, number(r.score), number(r.max_score),
                         r.status, " ".join(r.message.split())])
    return out.getvalue()


def write_csv(path: Path, rows: list[Row]) -> None:
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(csv_text(rows), encoding="utf-8")
    os.replace(temporary, path)


def progress(total: int, description: str):
    """A progress bar with rate and ETA on a terminal; silent in CI or when output is redirected."""
    from tqdm import tqdm

    quiet = bool(os.environ.get("CI")) or not sys.stderr.isatty()
    return tqdm(total=total, desc=description, unit="submission", disable=quiet, dynamic_ncols=True)
