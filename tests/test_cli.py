"""``python -m autograder data``: verifies corpora, and fails with a message (not a traceback)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "autograder", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120)


def test_data_command_reports_a_missing_mirror_clearly(tmp_path):
    result = run_cli("data", "--mirror", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "input.txt" in result.stderr and str(tmp_path) in result.stderr


@pytest.mark.corpus
def test_data_command_verifies_the_mirror(corpus_mirror):
    result = run_cli("data", "--mirror", str(corpus_mirror))
    assert result.returncode == 0, result.stderr
    assert "59 corpus files present and verified" in result.stdout
