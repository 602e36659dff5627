"""The grading command's contract, end to end on generated submissions (issue 6)."""

from __future__ import annotations

import csv
import sqlite3

from .conftest import (
    ASSIGNMENT,
    GRADED,
    answer_of,
    grade_cli,
    notebook,
    put,
    read_grades,
)

HEADER = "student,assignment,notebook,grade_id,score,max_score,status,message"
STATUSES = {"ok", "wrong", "error", "timeout", "memory", "missing", "invalid"}


def test_grades_csv_has_a_row_per_student_folder_and_graded_cell(submitted, tmp_path):
    put(submitted, "ann", notebook())                                         # the solution
    put(submitted, "ben", notebook(softmax="def softmax(z):\n    e = np.exp(z)\n    return e / e.sum(axis=0)"))
    put(submitted, "cat", notebook(**{name: "# YOUR CODE HERE\nraise NotImplementedError()" for name in GRADED}))
    put(submitted, "dan", "{ not json")
    (submitted / "eve").mkdir()                                                # an empty folder
    out = tmp_path / "out"
    result = grade_cli(submitted, out)
    assert result.returncode == 0, result.stderr
    lines = (out / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(lines))
    assert {(r["student"], r["grade_id"]) for r in rows} == \
        {(s, g) for s in ["ann", "ben", "cat", "dan", "eve"] for g in GRADED}
    assert all(r["status"] in STATUSES and r["assignment"] == ASSIGNMENT and r["notebook"] == ASSIGNMENT for r in rows)
    grades = read_grades(out)
    assert all(float(grades["ann", g]["score"]) == p and grades["ann", g]["status"] == "ok" for g, p in GRADED.items())
    assert grades["ben", "softmax"]["status"] == "wrong" and float(grades["ben", "softmax"]["score"]) == 2
    assert "exp overflowed" in grades["ben", "softmax"]["message"]
    assert float(grades["ben", "rnn_forward"]["score"]) == 4
    assert all(grades["cat", g]["status"] == "error" and grades["cat", g]["message"].startswith("not attempted")
               for g in GRADED)
    assert all(grades["dan", g]["status"] == "invalid" and "not valid JSON" in grades["dan", g]["message"]
               for g in GRADED)
    assert all(grades["eve", g]["status"] == "missing" for g in GRADED)
    assert "isolation:" in result.stderr and "seed 7" in result.stderr
    with sqlite3.connect(out / "gradebook.sqlite") as db:  # every part is kept, for the feedback pages
        parts = db.execute("SELECT part, score, max_score, status, message FROM parts WHERE student = 'ben' "
                           "AND grade_id = 'softmax' ORDER BY position").fetchall()
    assert [p[0] for p in parts] == ["shape", "values", "no overflow for large logits", "z left unchanged"]
    assert parts[2][1:4] == (0.0, 1.0, "wrong") and "exp overflowed" in parts[2][4]
    assert parts[3][1:4] == (0.25, 0.25, "ok")


def test_rerun_grades_only_what_changed(submitted, tmp_path):
    put(submitted, "ann", notebook())
    put(submitted, "ben", notebook())
    out = tmp_path / "out"
    assert grade_cli(submitted, out).returncode == 0
    put(submitted, "ben", notebook(softmax=answer_of("softmax").replace("z.max(axis=0, keepdims=True)", "0")))
    result = grade_cli(submitted, out)
    assert result.returncode == 0
    assert "1 notebooks to grade (1 unchanged)" in result.stderr
    grades = read_grades(out)
    assert grades["ann", "softmax"]["status"] == "ok" and grades["ben", "softmax"]["status"] == "wrong"
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 2 * len(GRADED)
    (submitted / "ben" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").unlink()
    (submitted / "ben" / ASSIGNMENT).rmdir()
    (submitted / "ben").rmdir()
    assert grade_cli(submitted, out).returncode == 0
    assert {s for s, _ in read_grades(out)} == {"ann"}, "a removed student folder leaves the CSV"


def test_instructor_errors_exit_non_zero_with_a_message(submitted, tmp_path):
    result = grade_cli(submitted, tmp_path / "out", seed=None, timeout=120)
    assert result.returncode == 0  # an empty submissions folder is a complete (empty) run
    import subprocess
    import sys
    bad = subprocess.run([sys.executable, "-m", "autograder", "grade", "no-such-assignment", "--submitted",
                          str(submitted), "--out", str(tmp_path / "o2")], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown assignment 'no-such-assignment'" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--submitted",
                              str(tmp_path / "nowhere"), "--out", str(tmp_path / "o3")], capture_output=True, text=True)
    assert missing.returncode == 2 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
