"""Fixtures for the exercises: a scratch nbgrader course built from ``solutions/``.

``nbgrader_course`` copies the course configuration and the source notebooks into a temporary
folder and runs ``nbgrader generate_assignment`` for every assignment there, so the tests never
touch the repository's own ``exercises/`` or ``gradebook.db``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = ROOT / "solutions"
ASSIGNMENTS = sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and not p.name.startswith("."))
# Authors working on some assignments can restrict these tests to them:
#   AUTOGRADER_ASSIGNMENTS=04b-bptt,08-gru pytest tests/exercises
if os.environ.get("AUTOGRADER_ASSIGNMENTS"):
    ASSIGNMENTS = [a for a in ASSIGNMENTS if a in os.environ["AUTOGRADER_ASSIGNMENTS"].split(",")]
NOTEBOOKS = [(a, nb.name) for a in ASSIGNMENTS for nb in sorted((SOLUTIONS / a).glob("*.ipynb"))]


def nbgrader(course: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``nbgrader ARGS`` on the scratch course; its helper tools (alembic) come from this venv."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"],
                            cwd=course, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, \
        f"nbgrader {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


def graded_cells(notebook: Path) -> list[dict]:
    """The nbgrader metadata and source of every graded cell of a notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [{**c["metadata"]["nbgrader"], "source": "".join(c["source"])} for c in nb["cells"]
            if c.get("metadata", {}).get("nbgrader", {}).get("grade")]


@pytest.fixture(scope="session")
def nbgrader_course(tmp_path_factory) -> Path:
    """A scratch course with every assignment generated (``release`` = ``exercises/``)."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(SOLUTIONS, course / "solutions", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for assignment in ASSIGNMENTS:
        nbgrader(course, "generate_assignment", assignment, "--force")
    return course


def pytest_terminal_summary(terminalreporter):
    """The corpus's named share per function (test_corpus.py, issue 13), when it ran."""
    from . import test_corpus

    if test_corpus.RESULTS:
        terminalreporter.section("wrong implementations whose bug the grader names (tests/exercises/test_corpus.py)")
        for line in test_corpus.summary().splitlines():
            terminalreporter.write_line(line)
