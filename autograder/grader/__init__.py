"""The grading command: ``python -m autograder grade ASSIGNMENT --submitted DIR --out OUTDIR``.

Stages, one module each: :mod:`load` (trusted source notebook, submissions) -> :mod:`sandbox`
(student code in a jailed, forked worker) -> :mod:`check` (inputs, reference answers, scores) ->
:mod:`record` (the SQLite gradebook, resumable) -> :mod:`report` (grades.csv, progress).
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..checks import new_seed
from .check import grade_submission, make_plan, rows_for
from .load import InstructorError, find_submissions, load_assignment, student_folders
from .record import Gradebook
from .report import progress, write_csv
from .sandbox import Limits, Sandbox

__all__ = ["GradeSummary", "GradingIncomplete", "InstructorError", "default_solutions", "grade"]


def default_solutions() -> Path:
    """``solutions/`` of the course this package belongs to, else of the current folder."""
    beside = Path(__file__).resolve().parents[2] / "solutions"
    return beside if beside.is_dir() else Path.cwd() / "solutions"


@dataclass
class GradeSummary:
    students: int
    graded: int
    skipped: int
    seed: int
    isolation: str
    seconds: float


def grade(assignment: str, submitted: Path, out: Path, jobs: int | None = None, timeout: float | None = None,
          memory_mb: int = 1024, solutions: Path | None = None, log=print, dask: str | None = None) -> GradeSummary:
    """Grade every student folder of ``submitted`` for ``assignment``; results in ``out``.

    ``dask``: the address of a Dask distributed scheduler (``tcp://host:8786``) to grade on that
    cluster instead of ``jobs`` local sandboxes (see :mod:`autograder.grader.distributed`); the
    gradebook, ``grades.csv`` and the grades are the same."""
    start = time.perf_counter()
    source = load_assignment(solutions or default_solutions(), assignment)
    students = student_folders(submitted)
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InstructorError(f"cannot create the output folder {out}: {error.strerror}") from None
    jobs = max(1, jobs or os.cpu_count() or 1)
    limits = Limits(memory_mb=memory_mb, cell_timeout=max(10.0, timeout or 0))
    with Gradebook(out / "gradebook.sqlite") as book:
        seed = book.start_run(assignment, source.fingerprint, new_seed(), "")
        plan = make_plan(source, seed, timeout)
        todo = []
        for folder in students:
            for sub in find_submissions(folder, source):
                digest = sub.digest or f"{sub.status}:{sub.message}"
                if book.is_current(sub.student, assignment, sub.notebook, digest, source.fingerprint):
                    continue
                todo.append((sub, digest))
        where = f"on the Dask cluster at {dask}" if dask else f"{jobs} workers"
        log(f"grading {assignment}: {len(students)} students, {len(todo)} notebooks to grade "
            f"({len(students) * len(source.notebooks) - len(todo)} unchanged), seed {seed}, {where}")
        try:
            if dask:
                from .distributed import run_dask

                isolation = run_dask(dask, todo, plan, source, book, limits)
            else:
                isolation = _run(todo, plan, source, book, jobs, limits)
        finally:
            book.forget_others(assignment, {f.name for f in students})
            write_csv(out / "grades.csv", book.rows(assignment))
        if isolation:
            log(f"isolation: {isolation.replace(chr(10), '; ')}")
        book.finish_run(assignment)
    return GradeSummary(len(students), len(todo), len(students) * len(source.notebooks) - len(todo), seed,
                        isolation, time.perf_counter() - start)


def _run(todo, plan, source, book, jobs, limits) -> str:
    """Grade ``todo`` on ``jobs`` sandboxes (one thread each); record each submission as it ends."""
    work: queue.Queue = queue.Queue()
    for item in todo:
        work.put(item)
    notebooks = {nb.name: nb for nb in source.notebooks}
    lock = threading.Lock()
    isolation: list[str] = []
    errors: list[BaseException] = []
    base = Path(tempfile.mkdtemp(prefix="autograder-"))
    base.chmod(0o755)  # the unprivileged worker users must reach their own folders inside
    bar = progress(len(todo), f"grading {source.name}")

    def worker(slot: int) -> None:
        sandbox = Sandbox(slot, limits, base)
        try:
            sandbox.start()
            while True:
                try:
                    sub, digest = work.get_nowait()
                except queue.Empty:
                    return
                nb = notebooks[sub.notebook]
                if sub.status == "ok":
                    rows, parts, jail = grade_submission(sandbox, plan, nb, sub)
                else:
                    rows, parts, jail = rows_for(sub, nb, source.name, sub.status, sub.message), [], ""
                with lock:
                    book.record(rows, digest, source.fingerprint, plan.seed, parts)
                    if jail and not isolation:
                        isolation.append(jail)
                    bar.update(1)
        except BaseException as error:  # noqa: BLE001 -- reported below; the other threads go on
            errors.append(error)
        finally:
            sandbox.stop()

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(min(jobs, max(1, len(todo))))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        bar.close()
        shutil.rmtree(base, ignore_errors=True)
    if errors:
        left = work.qsize()
        raise GradingIncomplete(f"{len(errors)} grading worker(s) failed ({type(errors[0]).__name__}: {errors[0]}); "
                                f"{left} notebooks were not graded. Rerun the same command to grade the rest.")
    return isolation[0] if isolation else ""


class GradingIncomplete(Exception):
    """The run stopped before every submission was graded (the gradebook keeps what was done)."""
