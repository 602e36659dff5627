"""``pip install .`` alone gives every instructor command (issue 15): a fresh virtual environment
with the course package and its runtime dependencies only (no extras) runs the instructor guide's
walkthrough -- grade, feedback, report, export -- and the optional parts say in one line which
extra they need."""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path

import pytest

from tests.book.test_guides import walkthrough_blocks

from .conftest import ASSIGNMENT, ROOT


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """A virtual environment holding ``pip install .`` of a copy of the course package."""
    base = tmp_path_factory.mktemp("plain")
    source = base / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "autograder", source / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    env = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                             str(source)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return env


def run(env: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(env / "bin" / "python"), "-m", "autograder", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "CI": "true"}, stdin=subprocess.DEVNULL)


@pytest.mark.slow
def test_the_package_alone_has_no_extras(plain, tmp_path):
    check = subprocess.run([str(plain / "bin" / "python"), "-c", "import autograder, importlib.util as u; "
                            "print(autograder.__file__); print(u.find_spec('nbgrader'), u.find_spec('distributed'), "
                            "u.find_spec('jupyter_book'))"], cwd=tmp_path, capture_output=True, text=True)
    where, missing = check.stdout.splitlines()
    assert str(plain) in where, "the installed package, not the repository's, must be imported"
    assert missing == "None None None"


@pytest.mark.slow
def test_plain_install_runs_the_instructor_walkthrough(plain, tmp_path):
    for name in ("solutions", "exercises"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv").symlink_to(plain)
    for block in walkthrough_blocks(ROOT / "guides" / "instructor-guide.md"):
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=tmp_path, capture_output=True,
                                text=True, timeout=600, env={**os.environ, "CI": "true"})
        assert result.returncode == 0, f"{block}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr
    assert (tmp_path / "grades" / ASSIGNMENT / "report" / "index.html").is_file()
    assert (tmp_path / "grades" / "gradebook.csv").is_file()


@pytest.mark.slow
def test_optional_parts_name_their_extra_in_one_line(plain, tmp_path):
    (tmp_path / "solutions").symlink_to(ROOT / "solutions")
    submitted = tmp_path / "submitted"
    (submitted / "alice" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", submitted / "alice" / ASSIGNMENT)
    dask = run(plain, tmp_path, "grade", ASSIGNMENT, "--submitted", str(submitted), "--out", "out",
               "--dask", "tcp://127.0.0.1:9")
    assert dask.returncode == 2 and "Traceback" not in dask.stderr
    assert "pip install 'rnn-course[dask]'" in dask.stderr.strip().splitlines()[-1]
    graded = run(plain, tmp_path, "grade", ASSIGNMENT, "--submitted", str(submitted), "--out", "out", "--jobs", "1")
    assert graded.returncode == 0, graded.stderr
    nbgrader = run(plain, tmp_path, "export", "--out", str(tmp_path), "--format", "nbgrader", "--nbgrader-db",
                   str(tmp_path / "gradebook.db"))
    assert nbgrader.returncode == 2 and "Traceback" not in nbgrader.stderr
    assert "pip install 'rnn-course[nbgrader]'" in nbgrader.stderr.strip().splitlines()[-1]
