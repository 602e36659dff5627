#!/usr/bin/env python3
"""Set up and test the course on every supported Python found on this machine (issue 16).

    python3 tests/python_matrix.py                 # every supported Python found
    python3 tests/python_matrix.py --python 3.11 --python /opt/py313/bin/python3.13

For each Python, in a fresh copy of the course (the files git tracks, plus new ones not ignored),
it runs the README's two commands as a new user would: ``pythonX course.py book`` (a fresh
``.venv`` with that Python, the pinned stack installed, the book built with warnings as errors),
then ``pythonX course.py test`` on a representative part of the suite: the reference tests, one
chapter re-executed under nbval (its stored outputs compared digit for digit) and one grading run
(the grader's attack tests: one sandboxed run of 29 notebooks). It prints a table of times and
results, and exits non-zero if any Python failed or none was found.

Pythons are looked for as ``python3.M`` on PATH and in the usual install places (/usr/bin,
/usr/local/bin, Homebrew, pyenv's and uv's folders); no particular installer is assumed.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from course import supported_range  # noqa: E402 -- the one place the range is written

CHAPTER = "chapters/03-rnn-forward.ipynb"
SUITE = ["tests/reference", CHAPTER, "tests/grader/test_grade_attacks.py"]


def candidates(minor: int, major: int = 3) -> list[str]:
    """Where Python ``major.minor`` may be installed, most likely first."""
    name = f"python{major}.{minor}"
    home = Path.home()
    places = [shutil.which(name)]
    places += [f"{d}/{name}" for d in ("/usr/bin", "/usr/local/bin", "/opt/homebrew/bin")]
    pyenv = os.environ.get("PYENV_ROOT", str(home / ".pyenv"))
    places += sorted(glob.glob(f"{pyenv}/versions/{major}.{minor}.*/bin/{name}"), reverse=True)
    places += sorted(glob.glob(str(home / f".local/share/uv/python/cpython-{major}.{minor}.*/bin/{name}")),
                     reverse=True)
    return [p for p in places if p]


def version_of(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([python, "-c", "import sys; sys.stdout.write('%d %d' % sys.version_info[:2])"],
                             capture_output=True, text=True, timeout=30)
        major, minor = out.stdout.split()
        return int(major), int(minor)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def find(minor: int, major: int = 3) -> str | None:
    """A working interpreter for ``major.minor``, or None."""
    for path in candidates(minor, major):
        if os.access(path, os.X_OK) and version_of(path) == (major, minor):
            return path
    return None


def supported_pythons() -> dict[str, str | None]:
    """``{"3.11": path or None, ...}`` over the supported range."""
    (major, low), (_, high) = supported_range()
    return {f"{major}.{m}": find(m, major) for m in range(low, high + 1)}


def fresh_copy(destination: Path) -> Path:
    """The course as a new clone would have it, plus the working tree's uncommitted changes."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=False)
    files = [f for f in listed.stdout.decode().split("\0") if f] if listed.returncode == 0 else None
    if files is None:  # not a git checkout: everything but the build products
        shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__"))
        return destination
    for name in files:
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


@dataclass
class Result:
    version: str
    python: str
    steps: list = field(default_factory=list)  # (name, seconds, ok, detail)
    seconds: float = 0.0  # everything: copy, both commands, removing the virtual environment

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step[2] for step in self.steps)


def step(result: Result, name: str, command: list[str], cwd: Path, log: Path, timeout: float) -> bool:
    start = time.perf_counter()
    env = {**os.environ, "CI": "true", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("VIRTUAL_ENV", None)
    print(f"  {time.strftime('%H:%M:%S')} {name}: {' '.join(command)}", file=sys.stderr, flush=True)
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(command)}\n")
        out.flush()
        try:
            code = subprocess.run(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  env=env, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    text = log.read_text(encoding="utf-8", errors="replace")
    summary = re.findall(r"^=* ?(\d+ (?:passed|failed|errors?)\b.*?) in [\d.]+s", text, re.M)
    detail = summary[-1] if summary and name == "tests" else ("" if code == 0 else f"exit {code}")
    result.steps.append((name, time.perf_counter() - start, code == 0, detail))
    return code == 0


def check(version: str, python: str, workdir: Path, timeout: float) -> Result:
    result = Result(version, python)
    start = time.perf_counter()
    course = fresh_copy(workdir / "course")
    log = workdir / "log.txt"
    built = step(result, "book", [python, "course.py", "book"], course, log, timeout)
    if built and not (course / "_build" / "html" / "index.html").is_file():
        result.steps[-1] = ("book", result.steps[-1][1], False, "no _build/html/index.html")
    step(result, "tests", [python, "course.py", "test", "-q", "-p", "no:cacheprovider", *SUITE], course, log, timeout)
    shutil.rmtree(course / ".venv", ignore_errors=True)
    result.seconds = time.perf_counter() - start
    if not result.ok:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
        print(f"--- Python {version}: the last lines of {log}\n" + "\n".join(tail), file=sys.stderr)
    return result


def table(results: list[Result]) -> str:
    lines = ["| Python | interpreter | set-up + book | tests (reference, nbval " + CHAPTER.split("/")[1]
             + ", grading) | total | result |", "|---|---|---|---|---|---|"]
    for r in results:
        cells = {name: (f"{seconds:.0f} s" + (f", {detail}" if detail else "")) for name, seconds, _, detail in r.steps}
        lines.append(f"| {r.version} | `{r.python}` | {cells.get('book', '-')} | {cells.get('tests', '-')} | "
                     f"{r.seconds:.0f} s | {'pass' if r.ok else 'FAIL'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", action="append", default=[],
                        help="a version (3.12) or an interpreter's path; repeat for several (default: every "
                             "supported version found)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for each command (default 1800)")
    parser.add_argument("--keep", action="store_true", help="keep the copies and logs (printed at the end)")
    args = parser.parse_args(argv)
    found = supported_pythons()
    wanted: list[tuple[str, str | None]] = []
    for item in args.python or list(found):
        if re.fullmatch(r"\d+\.\d+", item):
            wanted.append((item, found.get(item) or find(int(item.split(".")[1]), int(item.split(".")[0]))))
        else:
            version = version_of(item)
            wanted.append((f"{version[0]}.{version[1]}" if version else "?", item if version else None))
    missing = [v for v, p in wanted if p is None]
    if missing:
        print(f"not found on this machine: Python {', '.join(missing)}", file=sys.stderr)
    results = []
    base = Path(tempfile.mkdtemp(prefix="python-matrix-"))
    try:
        for version, python in wanted:
            if python is None:
                continue
            print(f"Python {version} ({python}) ...", file=sys.stderr, flush=True)
            (base / version).mkdir()
            results.append(check(version, python, base / version, args.timeout))
            print(table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    finally:
        if args.keep:
            print(f"copies and logs kept in {base}", file=sys.stderr)
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(table(results))
    return 0 if results and not missing and all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
