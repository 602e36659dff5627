"""A failing grading worker costs no student their rows (issue 15): the grader's own failures are
retried, recorded as errors when they persist, counted exactly, and graded again by a rerun."""

from __future__ import annotations

import os
import signal

import pytest

import autograder.grader as grader_module
from autograder.grader import GradingIncomplete, grade
from autograder.grader.sandbox import Sandbox, SandboxError

from .conftest import ASSIGNMENT, GRADED, notebook, put, read_grades

SETTINGS = {"jobs": 2, "timeout": 3, "memory_mb": 256, "log": lambda *_: None}


@pytest.fixture
def class_of(submitted):
    def make(n: int) -> list[str]:
        students = [f"s{k:02d}" for k in range(n)]
        for s in students:
            put(submitted, s, notebook())
        return students
    return make


class NeverStarts(Sandbox):
    def start(self):
        raise SandboxError("the worker did not start (simulated)")


def test_workers_that_cannot_start_leave_rows_and_an_exact_count(monkeypatch, submitted, tmp_path, class_of):
    students = class_of(10)
    out = tmp_path / "out"
    monkeypatch.setattr(grader_module, "Sandbox", NeverStarts)
    with pytest.raises(GradingIncomplete) as failure:
        grade(ASSIGNMENT, submitted, out, **SETTINGS)
    assert str(failure.value).startswith("10 notebook(s) were not graded")
    assert "simulated" in str(failure.value)
    grades = read_grades(out)
    assert {s for s, _ in grades} == set(students), "every student has rows"
    assert all(r["status"] == "error" and "rerun" in r["message"] for r in grades.values())
    monkeypatch.setattr(grader_module, "Sandbox", Sandbox)  # the host is fixed: a rerun grades them all
    summary = grade(ASSIGNMENT, submitted, out, **SETTINGS)
    assert summary.graded == 10
    grades = read_grades(out)
    assert all(float(grades[s, g]["score"]) == p for s in students for g, p in GRADED.items())


class DiesOnce(Sandbox):
    """A worker that dies (SIGKILL, not the student's doing) at its first job."""
    died = 0

    def run(self, cells, calls):
        if DiesOnce.died < 1 and self.process is not None:
            DiesOnce.died += 1
            os.kill(self.process.pid, signal.SIGKILL)
        return super().run(cells, calls)


def test_a_worker_that_dies_is_restarted_and_the_submission_regraded(monkeypatch, submitted, tmp_path, class_of):
    students = class_of(4)
    out = tmp_path / "out"
    DiesOnce.died = 0
    monkeypatch.setattr(grader_module, "Sandbox", DiesOnce)
    summary = grade(ASSIGNMENT, submitted, out, **SETTINGS)
    assert DiesOnce.died == 1 and summary.graded == 4
    grades = read_grades(out)
    assert all(float(grades[s, g]["score"]) == p for s in students for g, p in GRADED.items()), grades
