"""Exports to learning platforms (csv, Canvas, Moodle, Gradescope) and the Gradescope autograder.

A small class is graded for two assignments into ``grades/<assignment>/`` as the instructor guide
lays them out; every export is parsed back and compared with the grader's own ``grades.csv``.
``gradescope/run_autograder`` runs in a temporary folder laid out like Gradescope's container.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from autograder.grader.load import load_assignment
from autograder.grader.record import Row
from autograder.instructor.export import ExportError, export
from autograder.instructor.gradescope import results_json, write_results

from .conftest import LIMITS, ROOT, answer_of, grade_cli, notebook, put

NOTATION = "02-notation"
RNN = "03-rnn-forward"
MAXIMA = {NOTATION: 9.0, RNN: 14.0}
# 03: alice solved, bob blank, carol all but softmax, dave no notebook; 02: alice, bob, erin (not in 03).
CLASS_03 = ("alice", "bob", "carol", "dave")
CLASS_02 = ("alice", "bob", "erin")


def grade_notation(submitted: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder", "grade", NOTATION, "--submitted", str(submitted),
                           "--out", str(out), *LIMITS], check=False, capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env={**os.environ, "CI": "true", "AUTOGRADER_SEED": "7"})


def sums(out: Path) -> dict:
    """``{(student, assignment): (score, max_score)}`` summed from grades.csv."""
    total: dict = defaultdict(lambda: [0.0, 0.0])
    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            total[r["student"], r["assignment"]][0] += float(r["score"])
            total[r["student"], r["assignment"]][1] += float(r["max_score"])
    return {k: tuple(v) for k, v in total.items()}


@pytest.fixture(scope="module")
def grades(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("export")
    sub03 = base / "submitted03"
    put(sub03, "alice", notebook())
    put(sub03, "bob", (ROOT / "exercises" / RNN / f"{RNN}.ipynb").read_text(encoding="utf-8"))
    put(sub03, "carol", notebook(softmax="def softmax(z):\n    raise ValueError('not done')\n"))
    (sub03 / "dave").mkdir()
    assert "def softmax" in answer_of("softmax")
    result = grade_cli(sub03, base / "grades" / RNN, timeout=300)
    assert result.returncode == 0, result.stderr
    sub02 = base / "submitted02"
    for student, folder in (("alice", "solutions"), ("bob", "exercises"), ("erin", "solutions")):
        shutil.copytree(ROOT / folder / NOTATION, sub02 / student / NOTATION)
    result = grade_notation(sub02, base / "grades" / NOTATION)
    assert result.returncode == 0, result.stderr
    return base / "grades"


@pytest.fixture(scope="module")
def expected(grades) -> dict:
    return {**sums(grades / RNN), **sums(grades / NOTATION)}


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_the_class_scores_what_the_tests_assume(expected):
    assert expected["alice", RNN] == (14, 14) and expected["bob", RNN] == (0, 14)
    assert expected["carol", RNN] == (11, 14) and expected["dave", RNN] == (0, 14)
    assert expected["alice", NOTATION] == (9, 9) and expected["bob", NOTATION] == (0, 9)
    assert ("erin", RNN) not in expected and ("dave", NOTATION) not in expected


def test_csv_one_row_per_student_one_column_per_assignment(grades, expected):
    [path] = export(grades, "csv")
    assert path == grades / "gradebook.csv"
    header, maxima, *rows = read_csv(path)
    assert header == ["student", NOTATION, RNN, "total"]
    assert maxima == ["(max points)", "9", "14", "23"]
    assert [r[0] for r in rows] == sorted(set(CLASS_02) | set(CLASS_03))
    for student, notation, rnn, total in rows:
        for assignment, cell in ((NOTATION, notation), (RNN, rnn)):
            if (student, assignment) in expected:
                assert float(cell) == expected[student, assignment][0], (student, assignment)
            else:
                assert cell == "", f"{student} was not graded for {assignment}, yet has {cell!r}"
        assert float(total) == sum(v[0] for (s, _), v in expected.items() if s == student)


def test_canvas_import_format(grades, expected):
    [path] = export(grades, "canvas")
    assert path == grades / "canvas.csv"
    header, points, *rows = read_csv(path)
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", NOTATION, RNN]
    assert points[0].strip() == "Points Possible" and points[1:5] == ["", "", "", ""]
    assert [float(p) for p in points[5:]] == [MAXIMA[NOTATION], MAXIMA[RNN]]
    students = sorted(set(CLASS_02) | set(CLASS_03))
    assert [r[3] for r in rows] == students  # SIS Login ID: the student folder
    for row in rows:
        assert len(row) == len(header) and row[0] == row[3]
        for assignment, cell in zip((NOTATION, RNN), row[5:]):
            want = expected.get((row[3], assignment))
            assert (cell == "") if want is None else float(cell) == want[0]


def test_moodle_import_format(grades, expected):
    [path] = export(grades, "moodle")
    header, *rows = read_csv(path)
    assert header == ["username", NOTATION, RNN]
    assert len(rows) == len(set(CLASS_02) | set(CLASS_03))
    for student, notation, rnn in rows:
        assert notation == ("" if (student, NOTATION) not in expected else f"{expected[student, NOTATION][0]:g}")
        assert rnn == ("" if (student, RNN) not in expected else f"{expected[student, RNN][0]:g}")


def check_results(data: dict, assignment: str, score: float, messages: dict | None = None) -> None:
    """``data`` is a valid Gradescope results.json for ``assignment`` scoring ``score``."""
    graded = {c.grade_id: c.points for nb in load_assignment(ROOT / "solutions", assignment).notebooks
              for c in nb.graded}
    assert data["stdout_visibility"] == "hidden" and data["visibility"] == "visible"
    tests = data["tests"]
    assert [t["name"] for t in tests] == list(graded), "every graded cell, in the notebook's order"
    assert data["score"] == pytest.approx(sum(t["score"] for t in tests)) == pytest.approx(score)
    for t in tests:
        assert t["max_score"] == graded[t["name"]]
        assert 0 <= t["score"] <= t["max_score"]
        assert t["status"] == ("passed" if t["score"] == t["max_score"] else "failed")
        assert t["visibility"] == "visible" and isinstance(t["output"], str) and t["output"]
        if messages is not None:
            assert messages[t["name"]] in t["output"]
    assert f"{score:g} of {sum(graded.values()):g} points" in data["output"]


def test_gradescope_export_one_results_json_per_student_and_assignment(grades, expected):
    paths = export(grades, "gradescope")
    assert sorted(paths) == sorted(grades / "gradescope" / a / s / "results.json" for s, a in expected)
    with open(grades / RNN / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for path in paths:
        student, assignment = path.parent.name, path.parent.parent.name
        data = json.loads(path.read_text(encoding="utf-8"))
        messages = {r["grade_id"]: f'{r["status"]}: {r["message"]}' for r in rows if r["student"] == student}
        check_results(data, assignment, expected[student, assignment][0], messages if assignment == RNN else None)
    carol = json.loads((grades / "gradescope" / RNN / "carol" / "results.json").read_text(encoding="utf-8"))
    softmax = carol["tests"][0]
    assert softmax["name"] == "softmax" and softmax["status"] == "failed"
    assert "raised ValueError" in softmax["output"] and "shape: 0 of 0.5" in softmax["output"]
    dave = json.loads((grades / "gradescope" / RNN / "dave" / "results.json").read_text(encoding="utf-8"))
    assert all(t["output"].startswith("missing: ") for t in dave["tests"])


def test_export_chosen_assignments_only(grades, expected):
    [path] = export(grades, "moodle", [RNN])
    header, *rows = read_csv(path)
    assert header == ["username", RNN] and [r[0] for r in rows] == list(CLASS_03)


def test_export_errors_say_what_is_wrong(grades, tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'xlsx'; choose one of csv, canvas, moodle"):
        export(grades, "xlsx")
    with pytest.raises(ExportError, match="no gradebook in .*expected .*/<assignment>/gradebook.sqlite"):
        export(tmp_path, "csv")
    with pytest.raises(ExportError, match="does not exist"):
        export(tmp_path / "nowhere", "csv")
    with pytest.raises(ExportError, match=r"no grades of 09-lstm in .*\(graded: 02-notation, 03-rnn-forward\)"):
        export(grades, "csv", ["09-lstm"])
    with pytest.raises(ExportError, match="not a gradebook"):
        (tmp_path / "x").mkdir()
        sqlite3.connect(tmp_path / "x" / "gradebook.sqlite").execute("CREATE TABLE t (a)").connection.commit()
        export(tmp_path, "csv")


def test_export_refuses_an_unfinished_grading_run(grades, tmp_path):
    copy = tmp_path / "grades" / RNN
    copy.mkdir(parents=True)
    source = sqlite3.connect(grades / RNN / "gradebook.sqlite")
    target = sqlite3.connect(copy / "gradebook.sqlite")
    source.backup(target)
    source.close()
    target.execute("UPDATE runs SET finished = NULL")
    target.commit()
    target.close()
    with pytest.raises(ExportError, match="03-rnn-forward did not finish; run the same grade command again"):
        export(tmp_path / "grades", "csv")


def test_results_json_rejects_mixed_rows_and_write_results_unknown_student(grades, tmp_path):
    rows = [Row("a", RNN, RNN, "softmax", 3, 3, "ok", "all checks passed"),
            Row("b", RNN, RNN, "softmax", 3, 3, "ok", "all checks passed")]
    with pytest.raises(ValueError, match="one student and one assignment"):
        results_json(rows)
    with pytest.raises(ValueError, match="no graded cells"):
        results_json([])
    with pytest.raises(ExportError, match="no grades of student 'zoe' .*students graded: alice, bob, carol, dave"):
        write_results(grades / RNN, RNN, tmp_path / "results.json", student="zoe")
    data = write_results(grades / RNN, RNN, tmp_path / "r" / "results.json", student="carol")
    assert json.loads((tmp_path / "r" / "results.json").read_text(encoding="utf-8")) == data
    assert data["score"] == 11


# ---------------------------------------------------------------- gradescope/run_autograder

def gradescope_box(tmp_path: Path, assignment: str | None, notebooks: dict) -> Path:
    """``tmp/autograder/{source,submission,results}`` as in Gradescope's container: the source is
    the course (its package and solutions linked) with an ASSIGNMENT file."""
    root = tmp_path / "autograder"
    source = root / "source"
    source.mkdir(parents=True)
    for name in ("autograder", "solutions", "pyproject.toml"):
        (source / name).symlink_to(ROOT / name)
    if assignment:
        (source / "ASSIGNMENT").write_text(f"{assignment}\n", encoding="utf-8")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    for name, content in notebooks.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def run_autograder(root: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "gradescope" / "run_autograder")], check=False, capture_output=True,
                          text=True, timeout=120, cwd=root.parent,
                          env={**os.environ, "CI": "true", "AUTOGRADER_ROOT": str(root),
                               "AUTOGRADER_PYTHON": sys.executable, "AUTOGRADER_GRADE_ARGS": " ".join(LIMITS), **env})


def results_of(root: Path) -> dict:
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_run_autograder_solution_full_marks(tmp_path):
    solution = (ROOT / "solutions" / RNN / f"{RNN}.ipynb").read_text(encoding="utf-8")
    root = gradescope_box(tmp_path, RNN, {f"{RNN}.ipynb": solution})
    result = run_autograder(root)
    assert result.returncode == 0, result.stderr
    data = results_of(root)
    check_results(data, RNN, 14, dict.fromkeys(("softmax", "rnn_cell_forward", "rnn_forward", "output_forward"),
                                               "ok: all checks passed"))
    assert all(t["status"] == "passed" for t in data["tests"])
    work = re.search(r"results in (\S+)/grades/grades.csv", result.stderr).group(1)
    assert "gradescope-" in work and not Path(work).exists(), "the temporary layout is removed"


def test_run_autograder_blank_notebook_zero(tmp_path):
    blank = (ROOT / "exercises" / NOTATION / f"{NOTATION}.ipynb").read_text(encoding="utf-8")
    # renamed and inside a folder, as an uploaded zip might be; the assignment from the environment
    root = gradescope_box(tmp_path, None, {f"upload/my {NOTATION}.ipynb": blank})
    result = run_autograder(root, AUTOGRADER_ASSIGNMENT=NOTATION)
    assert result.returncode == 0, result.stderr
    data = results_of(root)
    check_results(data, NOTATION, 0)
    assert all(t["status"] == "failed" and t["output"].startswith("error: ") for t in data["tests"])
    assert all("not attempted" in t["output"] for t in data["tests"])


def test_run_autograder_no_notebook_scores_zero_with_reason(tmp_path):
    root = gradescope_box(tmp_path, RNN, {"notes.txt": "I forgot the notebook"})
    result = run_autograder(root)
    assert result.returncode == 0, result.stderr
    data = results_of(root)
    check_results(data, RNN, 0)
    assert all(t["output"].startswith("missing: no notebook") for t in data["tests"])


def test_run_autograder_unknown_assignment_writes_no_results(tmp_path):
    root = gradescope_box(tmp_path, "99-nothing", {"x.ipynb": "{}"})
    result = run_autograder(root)
    assert result.returncode == 2
    assert "unknown assignment '99-nothing'" in result.stderr
    assert not (root / "results" / "results.json").exists()
    root = gradescope_box(tmp_path / "b", None, {"x.ipynb": "{}"})
    result = run_autograder(root)
    assert result.returncode == 2 and "no assignment to grade" in result.stderr


def test_gradescope_scripts_are_valid_bash():
    for name in ("setup.sh", "run_autograder"):
        path = ROOT / "gradescope" / name
        assert os.access(path, os.X_OK), f"{name} must be executable"
        result = subprocess.run(["bash", "-n", str(path)], check=False, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
