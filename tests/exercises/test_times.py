"""The estimated times (issue 13): every notebook states its time in its first cell, and the
student guide's table of exercises has every exercise's functions, points and time, all by the
formula of ``times.py``, so that a change to a notebook that changes its estimate fails here until
``python3 tests/exercises/times.py --write`` and the guide are brought in line."""

from __future__ import annotations

import json

import pytest

from .times import ROOT, TIME_LINE, guide_table, hours, measure, notebooks, time_line


@pytest.mark.parametrize("name, path", notebooks(), ids=[n for n, _ in notebooks()])
def test_the_first_cell_states_the_time(name, path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"])
    found = TIME_LINE.findall(first)
    assert found == [time_line(measure(path))], f"{name}: run python3 tests/exercises/times.py --write"


@pytest.mark.parametrize("name, path", notebooks(), ids=[n for n, _ in notebooks()])
def test_the_student_version_states_it_too(name, path):
    student = ROOT / "exercises" / name / path.name
    first = "".join(json.loads(student.read_text(encoding="utf-8"))["cells"][0]["source"])
    assert time_line(measure(path)) in first, f"{name}: regenerate the exercises (python3 course.py exercises)"


def test_the_student_guide_has_the_table():
    guide = (ROOT / "guides" / "student-guide.md").read_text(encoding="utf-8")
    assert guide_table() in guide, "update the table in guides/student-guide.md (python3 tests/exercises/times.py)"


def test_the_estimate_follows_the_formula():
    light = {"words": 1200, "functions": 3, "lines": 20, "bonus": {"words": 0, "functions": 0, "lines": 0}}
    assert hours(light) == 2.0  # 10 + 30 + 70 = 110 minutes
    assert hours({"words": 0, "functions": 0, "lines": 0}) == 0.0  # no bonus, no time
    assert hours({"words": 60, "functions": 0, "lines": 0}) == 0.5  # at least half an hour
    assert "and about 1 hour more for the bonus" in time_line(
        {**light, "bonus": {"words": 600, "functions": 2, "lines": 6}})  # 5 + 20 + 21 = 46 minutes


def test_no_exercise_is_a_spike():
    """The level curve: no exercise's main part is estimated above 4.5 hours."""
    assert max(hours(measure(path)) for _, path in notebooks()) <= 4.5
