"""A built copy of the book, shared by the book tests (built once per session, with -W)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """``_build/html`` of a full, strict build (warnings are errors) in a temporary folder."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    if not jupyter_book.exists():
        pytest.skip("jupyter-book is not installed (python3 course.py test installs it)")
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run([str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "--all",
                             "-W", "-n", "--keep-going"], capture_output=True, text=True, timeout=900,
                            env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    assert result.returncode == 0, f"book build failed:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    html = out / "_build" / "html"
    assert (html / "index.html").is_file()
    return html


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None
