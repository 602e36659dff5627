"""Stage 4, record: the gradebook, ``OUTDIR/gradebook.sqlite``.

One transaction per graded submission replaces that submission's rows, so a run killed at any
moment (even ``kill -9``) leaves every submission either fully graded or not graded at all. A
rerun skips the submissions whose notebook (SHA-256) and assignment source are unchanged since
they were graded, and an interrupted run is resumed with the seed it started with, so the
finished gradebook is the one an uninterrupted run would have written.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    assignment TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    seed INTEGER NOT NULL,
    started REAL NOT NULL,
    finished REAL,
    isolation TEXT
);
CREATE TABLE IF NOT EXISTS submissions (
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    notebook TEXT NOT NULL,
    digest TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    seed INTEGER NOT NULL,
    graded_at REAL NOT NULL,
    isolation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (student, assignment, notebook)
);
CREATE TABLE IF NOT EXISTS results (
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    notebook TEXT NOT NULL,
    position INTEGER NOT NULL,
    grade_id TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (student, assignment, notebook, grade_id)
);
CREATE TABLE IF NOT EXISTS parts (
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    notebook TEXT NOT NULL,
    grade_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    part TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (student, assignment, notebook, grade_id, position)
);
"""

STATUSES = ("ok", "wrong", "error", "timeout", "memory", "missing", "invalid")


class GradingIncomplete(Exception):
    """The run stopped before every submission was graded (the gradebook keeps what was done)."""


@dataclass(frozen=True)
class Part:
    """One partial-credit part of one graded cell (what the feedback pages list)."""
    student: str
    assignment: str
    notebook: str
    grade_id: str
    part: str
    score: float
    max_score: float
    status: str
    message: str


@dataclass(frozen=True)
class Row:
    """One line of ``grades.csv``: one graded cell of one student's notebook."""
    student: str
    assignment: str
    notebook: str
    grade_id: str
    score: float
    max_score: float
    status: str
    message: str


class Gradebook:
    def __init__(self, path: Path):
        self.path = Path(path)
        # shared by the grading threads, which take turns under the grader's lock
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(submissions)")}
        if "isolation" not in columns:  # a gradebook written before isolation was kept per submission
            self.db.execute("ALTER TABLE submissions ADD COLUMN isolation TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def start_run(self, assignment: str, fingerprint: str, new_seed: int, isolation: str) -> int:
        """The seed for this run: the unfinished run's seed when resuming one (same source), else
        ``new_seed``. A changed source starts over."""
        row = self.db.execute("SELECT fingerprint, seed, finished FROM runs WHERE assignment = ?",
                              (assignment,)).fetchone()
        if row and row[0] == fingerprint and row[2] is None:
            seed = row[1]
        else:
            seed = new_seed
        self.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, NULL, ?)",
                        (assignment, fingerprint, seed, time.time(), isolation))
        return seed

    def set_isolation(self, assignment: str, isolation: str) -> None:
        """What confined student code in the latest run (``isolation.Isolation.summary``)."""
        self.db.execute("UPDATE runs SET isolation = ? WHERE assignment = ?", (isolation, assignment))

    def isolation(self, assignment: str) -> str:
        """What confined the student code behind the grades now in the gradebook: the
        ``UNCONFINED`` line if any submission was graded so (with how many), else the line most
        submissions were graded under; "" when no student code ran."""
        counts = self.db.execute("SELECT isolation, COUNT(*) FROM submissions WHERE assignment = ? AND "
                                 "isolation != '' GROUP BY isolation ORDER BY COUNT(*) DESC",
                                 (assignment,)).fetchall()
        unconfined = [(text, n) for text, n in counts if text.startswith("UNCONFINED")]
        if unconfined:
            n = sum(n for _, n in unconfined)
            return f"{unconfined[0][0]} ({n} notebook{'s' if n != 1 else ''} graded so)"
        return counts[0][0] if counts else ""

    def finish_run(self, assignment: str) -> None:
        self.db.execute("UPDATE runs SET finished = ? WHERE assignment = ?", (time.time(), assignment))

    def is_current(self, student: str, assignment: str, notebook: str, digest: str, fingerprint: str) -> bool:
        """True when this exact notebook was already graded against this exact source."""
        row = self.db.execute("SELECT digest, fingerprint FROM submissions WHERE student = ? AND assignment = ? "
                              "AND notebook = ?", (student, assignment, notebook)).fetchone()
        return row is not None and row == (digest, fingerprint)

    def record(self, rows: list[Row], digest: str, fingerprint: str, seed: int, parts: list[Part] = (),
               isolation: str = "") -> None:
        """Replace one submission's rows (and their parts) in one transaction (all share
        student/notebook); ``isolation``: what confined its code ("" when none ran)."""
        first = rows[0]
        key = (first.student, first.assignment, first.notebook)
        with self.db:  # BEGIN ... COMMIT, or ROLLBACK on error
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DELETE FROM results WHERE student = ? AND assignment = ? AND notebook = ?", key)
            self.db.execute("DELETE FROM parts WHERE student = ? AND assignment = ? AND notebook = ?", key)
            self.db.executemany("INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [(p.student, p.assignment, p.notebook, p.grade_id, i, p.part, p.score, p.max_score,
                                  p.status, p.message) for i, p in enumerate(parts)])
            self.db.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                [(r.student, r.assignment, r.notebook, i, r.grade_id, r.score, r.max_score,
                                  r.status, r.message) for i, r in enumerate(rows)])
            self.db.execute("INSERT OR REPLACE INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (*key, digest, fingerprint, seed, time.time(), isolation))

    def forget_others(self, assignment: str, students: set[str]) -> None:
        """Drop rows of students whose folder is gone, so the CSV lists exactly the folders there."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for (student,) in self.db.execute("SELECT DISTINCT student FROM submissions WHERE assignment = ?",
                                              (assignment,)).fetchall():
                if student not in students:
                    self.db.execute("DELETE FROM results WHERE student = ? AND assignment = ?", (student, assignment))
                    self.db.execute("DELETE FROM parts WHERE student = ? AND assignment = ?", (student, assignment))
                    self.db.execute("DELETE FROM submissions WHERE student = ? AND assignment = ?",
                                    (student, assignment))

    def parts(self, assignment: str | None = None) -> list[Part]:
        """Every recorded part, ordered by student, notebook, cell and part."""
        query = "SELECT student, assignment, notebook, grade_id, part, score, max_score, status, message FROM parts"
        args: tuple = ()
        if assignment is not None:
            query += " WHERE assignment = ?"
            args = (assignment,)
        query += " ORDER BY student, assignment, notebook, position"
        return [Part(*r) for r in self.db.execute(query, args).fetchall()]

    def rows(self, assignment: str | None = None) -> list[Row]:
        """Every recorded row, ordered by student, notebook and the cells' order in the notebook."""
        query = "SELECT student, assignment, notebook, grade_id, score, max_score, status, message FROM results"
        args: tuple = ()
        if assignment is not None:
            query += " WHERE assignment = ?"
            args = (assignment,)
        query += " ORDER BY student, assignment, notebook, position"
        return [Row(*r) for r in self.db.execute(query, args).fetchall()]
