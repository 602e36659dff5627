"""The grading command: ``python -m autograder grade ASSIGNMENT --submitted DIR --out OUTDIR``.

Stages, one module each: :mod:`load` (trusted source notebook, submissions) -> :mod:`sandbox`
(student code in a jailed, forked worker) -> :mod:`check` (inputs, reference answers, scores) ->
:mod:`record` (the SQLite gradebook, resumable) -> :mod:`report` (grades.csv, progress).
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..checks import new_seed
from .check import grade_submission, make_plan, rows_for
from .isolation import HostNotConfined, check_host
from .load import InstructorError, find_submissions, load_assignment, student_folders
from .record import Gradebook, GradingIncomplete
from .report import progress, write_csv
from .sandbox import Limits, Sandbox, Slot, slots_folder

__all__ = ["GradeSummary", "GradingIncomplete", "HostNotConfined", "InstructorError", "default_solutions", "grade"]


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
          memory_mb: int = 1024, solutions: Path | None = None, log=print, dask: str | None = None,
          unconfined: bool = False) -> GradeSummary:
    """Grade every student folder of ``submitted`` for ``assignment``; results in ``out``.

    Before any student code runs, the host's confinement is probed (:mod:`autograder.grader.isolation`):
    a host that cannot keep student code from the references and other students' work raises
    :class:`HostNotConfined`, unless ``unconfined`` accepts the risk (recorded in the gradebook).

    ``dask``: the address of a Dask distributed scheduler (``tcp://host:8786``) to grade on that
    cluster instead of ``jobs`` local sandboxes (see :mod:`autograder.grader.distributed`); the
    gradebook, ``grades.csv`` and the grades are the same; each worker probes its own host."""
    start = time.perf_counter()
    solutions = solutions or default_solutions()
    source = load_assignment(solutions, assignment)
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
        isolation = ""
        run_folder = None
        try:
            if dask:
                from .distributed import run_dask

                isolation = run_dask(dask, todo, plan, source, book, limits, unconfined=unconfined)
                if isolation:
                    log(f"isolation (on the workers): {isolation}")
            elif any(sub.status == "ok" for sub, _ in todo):
                run_folder = _run_folder()
                confinement = check_host(solutions, submitted, out, run_folder, limits, unconfined, log)
                isolation = confinement.summary
                book.set_isolation(assignment, isolation)
                log(f"isolation: {isolation}")
                _run(todo, plan, source, book, jobs, limits, confinement.conf, isolation)
            else:
                _run(todo, plan, source, book, jobs, limits, {}, "")
        finally:
            if run_folder is not None:
                shutil.rmtree(run_folder, ignore_errors=True)
            book.forget_others(assignment, {f.name for f in students})
            write_csv(out / "grades.csv", book.rows(assignment))
        if isolation:
            book.set_isolation(assignment, isolation)
        book.finish_run(assignment)
    return GradeSummary(len(students), len(todo), len(students) * len(source.notebooks) - len(todo), seed,
                        isolation, time.perf_counter() - start)


def _run_folder() -> Path:
    """A folder for this run's probe canary and chroot view: readable by the sandbox users, so
    that only the jail (not the file modes) keeps them out."""
    folder = slots_folder() / f"run-{os.getpid()}-{int(time.time() * 1000)}"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    return folder


RETRY = "retry:"  # prefix of a digest recorded for a notebook the grader failed on: a rerun grades it again
MAX_START_FAILURES = 3  # a worker whose sandbox cannot start this many times in a row stops taking work


def _run(todo, plan, source, book, jobs, limits, conf, isolation) -> None:
    """Grade ``todo`` on ``jobs`` sandboxes (one thread each); record each submission as it ends.

    Whatever happens to a sandbox, every submission gets its rows: one the grader itself failed on
    (its worker could not be restarted), or never started because every worker gave up, is
    recorded as ``error`` with the reason, and is graded again by the next run. Raises
    :class:`GradingIncomplete` naming exactly how many notebooks were not graded."""
    work: queue.Queue = queue.Queue()
    for item in todo:
        work.put(item)
    notebooks = {nb.name: nb for nb in source.notebooks}
    lock = threading.Lock()
    failed: list[str] = []
    bar = progress(len(todo), f"grading {source.name}")

    def record(rows, digest, parts=(), ran=True):
        with lock:
            book.record(rows, digest, source.fingerprint, plan.seed, list(parts), isolation if ran else "")
            bar.update(1)

    def worker() -> None:
        slot = sandbox = None
        start_failures = 0
        try:
            while True:
                try:
                    sub, digest = work.get_nowait()
                except queue.Empty:
                    return
                nb = notebooks[sub.notebook]
                if sub.status != "ok":
                    record(rows_for(sub, nb, source.name, sub.status, sub.message), digest, ran=False)
                    continue
                try:
                    if sandbox is None:
                        slot = Slot()
                        sandbox = Sandbox(slot, limits, conf)
                    rows, parts, _ = grade_submission(sandbox, plan, nb, sub)
                    start_failures = 0
                except Exception as error:
                    start_failures += 1
                    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                    with lock:
                        failed.append(reason)
                    record(rows_for(sub, nb, source.name, "error", f"not graded: the grading worker failed "
                                    f"({reason}); rerun the command to grade it"), RETRY + digest, ran=False)
                    if start_failures >= MAX_START_FAILURES:
                        return
                    continue
                record(rows, digest, parts)
        finally:
            if sandbox is not None:
                sandbox.stop()
            if slot is not None:
                slot.release()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(jobs, max(1, len(todo))))]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        bar.close()
    left = 0
    while not work.empty():  # every worker gave up: these were never started, and get their rows too
        sub, digest = work.get_nowait()
        left += 1
        record(rows_for(sub, notebooks[sub.notebook], source.name, "error", "not graded: the grading workers "
                        f"failed ({failed[0] if failed else 'unknown'}); rerun the command to grade it"),
               RETRY + digest, ran=False)
    if failed or left:
        raise GradingIncomplete(f"{len(failed) + left} notebook(s) were not graded (the grading worker failed: "
                                f"{failed[0] if failed else 'unknown'}); each has rows with status error in "
                                "grades.csv. Rerun the same command to grade them.")

