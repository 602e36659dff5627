#!/usr/bin/env python3
"""The course's two commands. Needs only Python 3.10+; everything else goes into ./.venv.

    python3 course.py book   # set up, then build the HTML book into _build/html
    python3 course.py test   # set up, then run the whole test suite

Authors also use ``python3 course.py execute`` (re-run chapter pages, storing outputs) and
``python3 course.py exercises`` (regenerate the student notebooks from solutions/).

Set AUTOGRADER_DATA_MIRROR to a folder of corpora (laid out as ../shared/data) to avoid
downloads; without it the corpora are downloaded from their upstream repositories on first
use, SHA-256 checked, and cached.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
TORCH = "torch==2.13.0"
# Stored chapter outputs are compared digit for digit with a fresh run (nbval). Float results
# depend on the SIMD kernels NumPy and OpenBLAS pick for the CPU, so every run uses the same
# x86-64 level, AVX2 (no AVX-512): pages executed on one machine reproduce on another.
REPRODUCIBLE_ENV = {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}


def run(*cmd: str | Path, check: bool = True) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=check).returncode


def setup(extras: str) -> None:
    """Create .venv if needed and install the package with ``extras`` (pinned in pyproject.toml)."""
    if sys.version_info < (3, 10):
        sys.exit(f"Python 3.10 or newer is needed; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"creating a virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    code = run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f".[{extras}]",
               check=False)
    if code != 0:
        sys.exit(f"setup failed: installing the course into {VENV} exited with {code} (see pip's message "
                 "above; delete .venv to start over)")


def install_torch(required: bool) -> None:
    """PyTorch is optional (equivalence tests, benchmark). Without ``--torch`` it is installed
    only if its wheel is available locally (pip's find-links), never by a multi-GB download;
    its small dependencies then come from the index."""
    if subprocess.run([str(PYTHON), "-c", "import torch"], capture_output=True).returncode == 0:
        return
    quiet = ("-m", "pip", "install", "--quiet", "--disable-pip-version-check")
    if required or run(PYTHON, *quiet, "--no-index", "--no-deps", TORCH, check=False) == 0:
        run(PYTHON, *quiet, TORCH)
    else:
        print("PyTorch not installed: the PyTorch comparison tests will be skipped "
              "(pass --torch to install it)", flush=True)


def book(args: argparse.Namespace) -> int:
    setup("book")
    # --all: a full build, so an erroring cell in an unchanged page cannot hide; -W -n: warnings
    # (and broken references) are errors.
    return run(PYTHON.with_name("jupyter-book"), "build", ".", "--all", "-W", "-n", "--keep-going", check=False)


def execute(args: argparse.Namespace) -> int:
    """Re-run chapter notebooks in place, storing fresh outputs (authors run this after an edit;
    the test suite's nbval check fails until they do)."""
    setup("book")
    notebooks = args.notebooks or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("*.ipynb"))
    return run(PYTHON.with_name("jupyter"), "nbconvert", "--to", "notebook", "--execute", "--inplace",
               "--ExecutePreprocessor.timeout=900", *notebooks, check=False)


def exercises(args: argparse.Namespace) -> int:
    """Regenerate the student notebooks in exercises/ from the source notebooks in solutions/
    (``nbgrader generate_assignment``); the test suite fails while they differ."""
    setup("book,dev")
    names = args.assignments or sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
    env_path = f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}"  # nbgrader calls alembic
    os.environ["PATH"] = env_path
    for name in names:
        code = run(PYTHON, "-m", "nbgrader", "generate_assignment", name, "--force", check=False)
        if code != 0:
            return code
    return 0


def test(args: argparse.Namespace) -> int:
    setup("book,dev")
    install_torch(args.torch)
    code = run(PYTHON, "-m", "pytest", *args.pytest_args, check=False)
    if code == 5:  # pytest: no tests were collected -- a broken suite, not a pass
        print("pytest collected no tests", file=sys.stderr)
        return 1
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("book", help="set up and build the HTML book into _build/html").set_defaults(func=book)
    e = sub.add_parser("execute", help="(authors) re-run chapter notebooks, storing their outputs")
    e.add_argument("notebooks", nargs="*", help="notebooks to run (default: every chapter)")
    e.set_defaults(func=execute)
    x = sub.add_parser("exercises", help="(authors) regenerate exercises/ from solutions/ with nbgrader")
    x.add_argument("assignments", nargs="*", help="assignments to generate (default: all)")
    x.set_defaults(func=exercises)
    t = sub.add_parser("test", help="set up and run the whole test suite (extra arguments go to pytest)")
    t.add_argument("--torch", action="store_true", help="install PyTorch from the registry if missing")
    t.set_defaults(func=test)
    for name, value in REPRODUCIBLE_ENV.items():
        os.environ.setdefault(name, value)
    args, rest = parser.parse_known_args()
    args.pytest_args = rest
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
