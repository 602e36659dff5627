"""Every Python the README promises (issue 16): one stated range, a one-line refusal outside it,
and the course set up and tested on the oldest and newest supported Python (tests/python_matrix.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import supported_range
from tests import python_matrix

ROOT = Path(__file__).resolve().parents[1]
LOW, HIGH = supported_range()
RANGE_TEXT = f"Python {LOW[0]}.{LOW[1]} to {HIGH[0]}.{HIGH[1]}"
TOO_OLD = [(2, 7)] + [(3, m) for m in range(6, LOW[1])]


def test_the_range_is_stated_once_and_repeated_everywhere():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'requires-python = ">={LOW[0]}\.{LOW[1]},<{HIGH[0]}\.{HIGH[1] + 1}"', pyproject)
    assert (LOW, HIGH) == ((3, 11), (3, 13)), "update the README, the guides and this test together"
    for page in ("README.md", "guides/instructor-guide.md"):
        text = (ROOT / page).read_text(encoding="utf-8")
        assert RANGE_TEXT in text, f"{page} does not say {RANGE_TEXT!r}"
        assert not re.search(r"Python 3\.\d+ or newer", text), f"{page} still promises an open-ended range"
    setup_sh = (ROOT / "gradescope" / "setup.sh").read_text(encoding="utf-8")
    assert "course.py" in setup_sh and "version_info" not in setup_sh, "setup.sh must use course.py's check"


def course_copy(tmp_path: Path, requires: str | None = None) -> Path:
    """course.py and pyproject.toml alone: nothing else is needed to reach the version check."""
    shutil.copy(ROOT / "course.py", tmp_path / "course.py")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if requires:
        text = re.sub(r'requires-python = "[^"]*"', f'requires-python = "{requires}"', text)
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    return tmp_path


def assert_refused(result: subprocess.CompletedProcess, version: str, folder: Path) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"is Python {version}" in lines[0] and RANGE_TEXT.replace("Python ", "") in lines[0], lines[0]
    assert not (folder / ".venv").exists(), "nothing may be installed on an unsupported Python"


@pytest.mark.parametrize("command", ["book", "test", "--help"])
def test_an_unsupported_python_gets_one_line_before_anything_is_installed(tmp_path, command):
    folder = course_copy(tmp_path, requires=">=3.99,<3.100")  # this interpreter is outside that range
    result = subprocess.run([sys.executable, "course.py", command], cwd=folder, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1 and len(lines) == 1, result
    assert f"is Python {sys.version.split()[0]}" in lines[0] and "3.99 to 3.99" in lines[0]
    assert not (folder / ".venv").exists()


@pytest.mark.parametrize("version", TOO_OLD, ids=lambda v: f"{v[0]}.{v[1]}")
def test_older_pythons_themselves_get_the_line(tmp_path, version):
    """The file must parse on old Pythons for the check to run at all (2.7 included)."""
    python = python_matrix.find(version[1], version[0])
    if python is None:
        pytest.skip(f"Python {version[0]}.{version[1]} is not installed here")
    folder = course_copy(tmp_path)
    result = subprocess.run([python, "course.py", "book"], cwd=folder, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    found = subprocess.run([python, "-c", "import sys; sys.stdout.write(sys.version.split()[0])"], capture_output=True,
                           text=True).stdout.strip()
    assert_refused(result, found, folder)


def test_an_existing_venv_of_an_unsupported_python_is_named(tmp_path):
    folder = course_copy(tmp_path)
    fake = folder / ".venv" / "bin" / "python"
    fake.parent.mkdir(parents=True)
    fake.write_text("#!/bin/sh\necho 3.10.13\n")
    fake.chmod(0o755)
    result = subprocess.run([sys.executable, "course.py", "book"], cwd=folder, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 1, result
    assert "is Python 3.10.13" in result.stderr and "delete .venv" in result.stderr
    assert "Traceback" not in result.stderr


def ends_of_the_range() -> list[str]:
    return sorted({f"{LOW[0]}.{LOW[1]}", f"{HIGH[0]}.{HIGH[1]}"})


@pytest.mark.slow
@pytest.mark.parametrize("version", ends_of_the_range())
def test_matrix_on_the_oldest_and_newest_supported_python(version):
    """A fresh copy set up and built with that Python, then the reference tests, one chapter under
    nbval and one grading run (``python3 tests/python_matrix.py`` runs every version found)."""
    major, minor = (int(v) for v in version.split("."))
    if python_matrix.find(minor, major) is None:
        message = f"Python {version} is not installed here (tests/python_matrix.py looks on PATH, pyenv, uv)"
        if os.environ.get("AUTOGRADER_REQUIRE_PYTHONS") == "1":
            pytest.fail(message + "; AUTOGRADER_REQUIRE_PYTHONS=1 makes this an error")
        pytest.skip(message)
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "python_matrix.py"), "--python", version],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=3600)
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr[-5000:]
    assert f"| {version} |" in result.stdout and "| pass |" in result.stdout
