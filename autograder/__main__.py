"""Command line: ``python -m autograder COMMAND``.

    python -m autograder grade ASSIGNMENT --submitted DIR --out OUTDIR [--jobs N] [--timeout SECONDS] [--memory-mb MB]
                                [--dask SCHEDULER_ADDRESS] [--nbgrader-db PATH] [--unconfined]
        Grade nbgrader's layout DIR/<student>/<ASSIGNMENT>/<notebook>.ipynb against the trusted
        source notebook in solutions/ASSIGNMENT/, running student code in a sandbox. Writes
        OUTDIR/grades.csv and OUTDIR/gradebook.sqlite; a rerun grades only what changed. First
        probes the host: where student code could not be confined it refuses (exit 2), unless
        --unconfined accepts the risk (recorded in the gradebook and the report).

    python -m autograder feedback ASSIGNMENT --out OUTDIR [--book-url URL]
        One HTML page per student and notebook in OUTDIR/feedback/<student>/<ASSIGNMENT>/: every
        check with its score, every part with the grader's message, a hint linking the book.

    python -m autograder report ASSIGNMENT --out OUTDIR
        The instructor's summary in OUTDIR/report/: score distributions per question, mean and
        median, the most common diagnoses, and the submissions that timed out or were invalid.

    python -m autograder export --out OUTDIR --format csv|canvas|moodle|gradescope|nbgrader [--assignments A ...]
                                [--nbgrader-db PATH]
        One gradebook for the whole course from OUTDIR/<assignment>/gradebook.sqlite: one row per
        student, one column per assignment, in each LMS's import format (or Gradescope's
        results.json per submission, or the scores written into nbgrader's gradebook.db).

    python -m autograder data [--mirror DIR] [--cache-dir DIR]
        Fetch and verify every pinned corpus file (for an offline class: run once, then copy
        the cache folder and point AUTOGRADER_DATA_MIRROR at it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def data_command(args: argparse.Namespace) -> int:
    from .data import SHAKESPEARE, TANG_POEMS, DataError, fetch

    files = [SHAKESPEARE, *TANG_POEMS]
    try:
        paths = [fetch(f, mirror=args.mirror, cache_dir=args.cache_dir) for f in files]
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    folders = sorted({str(p.parent) for p in paths})
    print(f"{len(paths)} corpus files present and verified (SHA-256) in:")
    for folder in folders:
        print(f"  {folder}")
    return 0


def grade_command(args: argparse.Namespace) -> int:
    from .grader import GradingIncomplete, InstructorError, grade

    try:
        summary = grade(args.assignment, args.submitted, args.out, jobs=args.jobs, timeout=args.timeout,
                        memory_mb=args.memory_mb, solutions=args.source, dask=args.dask, unconfined=args.unconfined,
                        log=lambda text: print(text, file=sys.stderr, flush=True))
    except InstructorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except GradingIncomplete as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    except OSError as error:  # the machine's, not the input's: a folder that cannot be made, a refused call
        print(f"error: the grader could not run here: {error}", file=sys.stderr)
        return 2
    print(f"graded {summary.graded} notebooks of {summary.students} students "
          f"({summary.skipped} unchanged) in {summary.seconds:.1f} s; results in {args.out / 'grades.csv'}",
          file=sys.stderr)
    if args.nbgrader_db is not None:
        from .grader.record import Gradebook
        from .instructor.nbgrader_db import write_nbgrader

        try:
            with Gradebook(args.out / "gradebook.sqlite") as book:
                rows = book.rows(args.assignment)
            print(write_nbgrader(rows, args.nbgrader_db), file=sys.stderr)
        except InstructorError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    return 0


def instructor_step(step) -> int:
    """Run ``step()`` (which returns a one-line summary); an instructor-side problem is one line on
    stderr and exit status 2, never a traceback."""
    from .grader import InstructorError

    try:
        summary = step()
    except InstructorError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary, file=sys.stderr)
    return 0


def feedback_command(args: argparse.Namespace) -> int:
    from .instructor.feedback import write_feedback

    def step():
        pages = write_feedback(args.assignment, args.out, solutions=args.source, book_url=args.book_url)
        return f"wrote {len(pages)} feedback pages in {args.out / 'feedback'}"
    return instructor_step(step)


def report_command(args: argparse.Namespace) -> int:
    from .instructor.summary import write_report

    return instructor_step(lambda: f"wrote the report {write_report(args.assignment, args.out)}")


def export_command(args: argparse.Namespace) -> int:
    from .instructor.export import export

    def step():
        paths = export(args.out, args.format, args.assignments, args.nbgrader_db)
        return f"wrote {len(paths)} file(s): {paths[0]}{' ...' if len(paths) > 1 else ''}"
    return instructor_step(step)


def positive(kind):
    def parse(text: str):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value
    return parse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade submissions in a sandbox; writes grades.csv and gradebook.sqlite")
    g.add_argument("assignment", help="assignment name, a folder of solutions/ (e.g. 03-rnn-forward)")
    g.add_argument("--submitted", type=Path, required=True, help="nbgrader layout: DIR/<student>/<assignment>/")
    g.add_argument("--out", type=Path, required=True, help="folder for grades.csv and gradebook.sqlite")
    g.add_argument("--jobs", type=positive(int), help="sandboxes in parallel (default: all cores)")
    g.add_argument("--timeout", type=positive(float), help="seconds for each call of a student function "
                   "(default: each check's own, 5 s)")
    g.add_argument("--memory-mb", type=positive(int), default=1024, help="memory student code may use (MB)")
    g.add_argument("--source", type=Path, help="the solutions/ folder (default: the course's)")
    g.add_argument("--dask", metavar="SCHEDULER_ADDRESS", help="grade on the Dask distributed cluster whose "
                   "scheduler is at this address (e.g. tcp://host:8786) instead of local sandboxes; "
                   "needs the course's dask extra on every machine")
    g.add_argument("--nbgrader-db", type=Path, help="also write the scores into nbgrader's gradebook.db (or a "
                   "database URL), where formgrader and `nbgrader export` show them; needs nbgrader")
    g.add_argument("--unconfined", action="store_true", help="grade even where the grader's probe finds that "
                   "this host cannot confine student code (it could read the references and other students' "
                   "work); recorded in the gradebook and shown in the report")
    g.set_defaults(func=grade_command)
    f = sub.add_parser("feedback", help="one HTML feedback page per student from a graded OUTDIR")
    f.add_argument("assignment")
    f.add_argument("--out", type=Path, required=True, help="the folder grade wrote (gradebook.sqlite)")
    f.add_argument("--book-url", help="where the book is published (default: $AUTOGRADER_BOOK_URL or the local build)")
    f.add_argument("--source", type=Path, help="the solutions/ folder (default: the course's)")
    f.set_defaults(func=feedback_command)
    r = sub.add_parser("report", help="the instructor's summary page of a graded OUTDIR")
    r.add_argument("assignment")
    r.add_argument("--out", type=Path, required=True, help="the folder grade wrote (gradebook.sqlite)")
    r.set_defaults(func=report_command)
    from .instructor.export import FORMATS

    x = sub.add_parser("export", help="a course gradebook for an LMS from the graded assignments in OUTDIR")
    x.add_argument("--out", type=Path, required=True, help="folder holding <assignment>/gradebook.sqlite")
    x.add_argument("--format", required=True, choices=FORMATS)
    x.add_argument("--assignments", nargs="+", help="only these assignments (default: all graded)")
    x.add_argument("--nbgrader-db", type=Path, help="with --format nbgrader: nbgrader's gradebook.db (or a database "
                   "URL) to write the scores into")
    x.set_defaults(func=export_command)
    data = sub.add_parser("data", help="fetch and verify the course's corpora")
    data.add_argument("--mirror", type=Path, help="read the corpora from this mirror folder")
    data.add_argument("--cache-dir", type=Path, help="download into this folder")
    data.set_defaults(func=data_command)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
