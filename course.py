#!/usr/bin/env python3
"""The course's two commands. Needs only a supported Python (3.11, 3.12 or 3.13: pyproject.toml's
``requires-python``); everything else goes into ./.venv.

    python3 course.py book   # set up, then build the HTML book into _build/html
    python3 course.py test   # set up, then run the whole test suite

Authors also use ``python3 course.py execute`` (re-run chapter pages, storing outputs) and
``python3 course.py exercises`` (regenerate the student notebooks from solutions/).

Set AUTOGRADER_DATA_MIRROR to a folder of corpora (laid out as ../shared/data) to avoid
downloads; without it the corpora are downloaded from their upstream repositories on first
use, SHA-256 checked, and cached.
"""
# The first thing this file does is check the Python it runs on, and it must get that far on any
# Python a user may have: so the whole file uses only syntax that Python 2.7 and every Python 3
# parse (no f-strings, no annotations), and imports nothing newer before the check.
from __future__ import print_function

import os
import re
import sys

ROOT_DIR = os.path.dirname(os.path.abspath(__file__))


def supported_range():
    """``(oldest, newest)`` supported Python, as ``(major, minor)``, from pyproject.toml's
    ``requires-python = ">=3.A,<3.B"``: the one place the range is written."""
    with open(os.path.join(ROOT_DIR, "pyproject.toml")) as f:
        match = re.search(r'requires-python\s*=\s*">=(\d+)\.(\d+),\s*<(\d+)\.(\d+)"', f.read())
    low = (int(match.group(1)), int(match.group(2)))
    high = (int(match.group(3)), int(match.group(4)) - 1)
    return low, high


def version_problem(found, what, version):
    """One line saying why Python ``found`` (a ``(major, minor)`` tuple; ``version`` in full)
    cannot be used, or None."""
    low, high = supported_range()
    if low <= tuple(found) <= high:
        return None
    return ("course.py: {0} is Python {1}; the course supports Python {2}.{3} to {4}.{5} (its pinned NumPy, "
            "Matplotlib and nbgrader need them). Run it with one of those, e.g. python{4}.{5} course.py"
            .format(what, version, low[0], low[1], high[0], high[1]))


if __name__ == "__main__":
    problem = version_problem(sys.version_info[:2], "this", sys.version.split()[0])
    if problem:
        sys.exit(problem)

import argparse  # noqa: E402 -- after the version check, which must come first
import subprocess  # noqa: E402
import venv  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(ROOT_DIR)
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
TORCH = "torch==2.13.0"
# Stored chapter outputs are compared digit for digit with a fresh run (nbval). Float results
# depend on the SIMD kernels NumPy and OpenBLAS pick for the CPU, so every run uses the same
# x86-64 level, AVX2 (no AVX-512): pages executed on one machine reproduce on another.
REPRODUCIBLE_ENV = {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}


def run(*cmd, **options):
    """Run ``cmd`` in the course folder, echoing it; returns the exit status (``check=True``, the
    default, raises on failure instead)."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, check=options.get("check", True)).returncode


def setup(extras):
    """Create .venv if needed and install the package with ``extras`` (pinned in pyproject.toml)."""
    if PYTHON.exists():
        found = subprocess.run([str(PYTHON), "-c", "import sys; print(sys.version.split()[0])"],
                               capture_output=True, text=True).stdout.strip()
        problem = None
        if found:
            problem = version_problem(tuple(int(v) for v in found.split(".")[:2]), "the existing " + str(VENV), found)
        if problem:
            sys.exit(problem + " (delete .venv first)")
    else:
        print("creating a virtual environment in {0}".format(VENV), flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    code = run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e",
               ".[{0}]".format(extras), check=False)
    if code != 0:
        sys.exit("setup failed: installing the course into {0} exited with {1} (see pip's message above; "
                 "delete .venv to start over)".format(VENV, code))


def install_torch(required):
    """PyTorch is optional (equivalence tests, benchmark). Without ``--torch`` it is installed
    only if its wheel is available locally (pip's find-links), never by a multi-GB download;
    its small dependencies then come from the index."""
    if subprocess.run([str(PYTHON), "-c", "import torch"], capture_output=True).returncode == 0:
        return
    quiet = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if required or run(*(quiet + ["--no-index", "--no-deps", TORCH]), check=False) == 0:
        run(*(quiet + [TORCH]))
    else:
        print("PyTorch not installed: the PyTorch comparison tests will be skipped "
              "(pass --torch to install it)", flush=True)


def book(args):
    setup("book")
    # --all: a full build, so an erroring cell in an unchanged page cannot hide; -W -n: warnings
    # (and broken references) are errors.
    return run(PYTHON.with_name("jupyter-book"), "build", ".", "--all", "-W", "-n", "--keep-going", check=False)


def execute(args):
    """Re-run chapter notebooks in place, storing fresh outputs (authors run this after an edit;
    the test suite's nbval check fails until they do)."""
    setup("book")
    notebooks = args.notebooks or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "chapters").glob("*.ipynb"))
    return run(*([PYTHON.with_name("jupyter"), "nbconvert", "--to", "notebook", "--execute", "--inplace",
                  "--ExecutePreprocessor.timeout=900"] + notebooks), check=False)


def exercises(args):
    """Regenerate the student notebooks in exercises/ from the source notebooks in solutions/
    (``nbgrader generate_assignment``); the test suite fails while they differ."""
    setup("book,dev")
    names = args.assignments or sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())
    os.environ["PATH"] = str(PYTHON.parent) + os.pathsep + os.environ.get("PATH", "")  # nbgrader calls alembic
    for name in names:
        code = run(PYTHON, "-m", "nbgrader", "generate_assignment", name, "--force", check=False)
        if code != 0:
            return code
    return 0


def test(args):
    setup("book,dev")
    install_torch(args.torch)
    code = run(*([PYTHON, "-m", "pytest"] + args.pytest_args), check=False)
    if code == 5:  # pytest: no tests were collected -- a broken suite, not a pass
        print("pytest collected no tests", file=sys.stderr)
        return 1
    return code


def main():
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
