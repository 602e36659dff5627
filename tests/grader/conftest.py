"""Generated submissions for the grader's tests, built from assignment 3's source notebook.

A submission is the source notebook with some answer cells replaced (or the whole file replaced by
junk), written to nbgrader's layout ``submitted/<student>/<assignment>/<notebook>.ipynb``.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = "03-rnn-forward"
SOURCE = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
GRADED = {"softmax": 3.0, "rnn_cell_forward": 4.0, "rnn_forward": 4.0, "output_forward": 3.0}
# Bounded limits for every grading run in the tests: a sandbox bug must not take the machine down.
LIMITS = ["--jobs", "2", "--memory-mb", "256", "--timeout", "3"]


def notebook(**answers: str) -> dict:
    """The source notebook with the answer cells ``<name>_code`` replaced by ``answers[name]``."""
    nb = json.loads(SOURCE.read_text(encoding="utf-8"))
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        name = grade_id.removesuffix("_code")
        if grade_id.endswith("_code") and name in answers:
            cell["source"] = answers[name]
    return nb


def answer_of(name: str) -> str:
    """The solution's code of answer cell ``<name>_code``."""
    for cell in json.loads(SOURCE.read_text(encoding="utf-8"))["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == f"{name}_code":
            return "".join(cell["source"])
    raise KeyError(name)


def put(submitted: Path, student: str, content, name: str = f"{ASSIGNMENT}.ipynb") -> Path:
    folder = submitted / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, dict):
        path.write_text(json.dumps(content), encoding="utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def grade_cli(submitted: Path, out: Path, *extra: str, seed: int | None = 7, timeout: float = 600,
              **popen) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": "true"}
    if seed is not None:
        env["AUTOGRADER_SEED"] = str(seed)
    return subprocess.run([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--submitted", str(submitted),
                           "--out", str(out), *LIMITS, *extra], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT, **popen)


def read_grades(out: Path) -> dict:
    """``{(student, grade_id): row}`` from grades.csv."""
    import csv

    with open(out / "grades.csv", newline="", encoding="utf-8") as f:
        return {(r["student"], r["grade_id"]): r for r in csv.DictReader(f)}


@pytest.fixture
def submitted(tmp_path) -> Path:
    path = tmp_path / "submitted"
    path.mkdir()
    return path


def pytest_terminal_summary(terminalreporter):
    """The host matrix of test_grade_hosts.py (issue 15), when it ran."""
    from . import test_grade_hosts

    if not test_grade_hosts.MATRIX:
        return
    terminalreporter.section("grader on every host (tests/grader/test_grade_hosts.py)")
    terminalreporter.write_line("| host | student code | attacks defeated | garbage writer | time | walls in force |")
    terminalreporter.write_line("|---|---|---|---|---|---|")
    for host in test_grade_hosts.hosts.HOSTS:
        if host in test_grade_hosts.MATRIX:
            terminalreporter.write_line(f"| {host} | {test_grade_hosts.MATRIX[host]} |")
