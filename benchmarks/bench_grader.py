"""Throughput of the grader against ``nbgrader autograde`` on the same generated submissions.

    .venv/bin/python benchmarks/bench_grader.py [--n 100] [--scale 1000] [--jobs N] [--skip-nbgrader]

Generates ``--n`` submissions of assignment 3 (half correct, three in ten partly wrong, one in
five broken: a function that raises, an empty answer, a notebook that is not JSON), grades them
with ``nbgrader autograde`` (one call for the whole class, as instructors run it) and with
``python -m autograder grade``, and prints both throughputs and their ratio. Then it grades
``--scale`` submissions with this grader alone (the goal: 1,000 in under 2 minutes on 2 cores).
Results are also written to benchmarks/results/grader.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "03-rnn-forward"
SOURCE = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def answers() -> dict:
    nb = json.loads(SOURCE.read_text(encoding="utf-8"))
    return {c["metadata"]["nbgrader"]["grade_id"].removesuffix("_code"): "".join(c["source"])
            for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")}


def submission(kind: int) -> str:
    """Notebook text of the ``kind``-th submission of the mix (a cycle of 10)."""
    nb = json.loads(SOURCE.read_text(encoding="utf-8"))
    right = answers()
    change = {}
    if kind in (5, 6):
        change["rnn_cell_forward"] = right["rnn_cell_forward"].replace(" + b)", ")")      # missing bias
    if kind == 7:
        change["softmax"] = "def softmax(z):\n    e = np.exp(z)\n    return e / e.sum(axis=0)"  # overflows
    if kind == 8:
        change["rnn_forward"] = "def rnn_forward(x, h0, params):\n    raise ValueError('not done')"
    if kind == 9:
        return "{ this is not a notebook"
    for cell in nb["cells"]:
        name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "").removesuffix("_code")
        if name in change:
            cell["source"] = change[name]
    return json.dumps(nb)


def make_class(folder: Path, n: int, prefix: str = "student") -> None:
    texts = [submission(k) for k in range(10)]
    for i in range(n):
        target = folder / f"{prefix}{i:05d}" / ASSIGNMENT
        target.mkdir(parents=True)
        (target / f"{ASSIGNMENT}.ipynb").write_text(texts[i % 10], encoding="utf-8")


def env() -> dict:
    return {**os.environ, "CI": "true", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def time_nbgrader(n: int, work: Path) -> float:
    course = work / "nbgrader-course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, course / "solutions" / ASSIGNMENT)
    nbgrader = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*nbgrader, "generate_assignment", ASSIGNMENT, "--force", f"--CourseDirectory.root={course}"],
                   cwd=course, env=env(), check=True, capture_output=True)
    make_class(course / "submitted", n)
    start = time.perf_counter()
    subprocess.run([*nbgrader, "autograde", ASSIGNMENT, "--create", "--force", f"--CourseDirectory.root={course}"],
                   cwd=course, env=env(), check=False, capture_output=True)
    return time.perf_counter() - start


def time_ours(n: int, work: Path, jobs: int | None, name: str) -> float:
    submitted = work / f"{name}-submitted"
    make_class(submitted, n)
    command = [sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--submitted", str(submitted),
               "--out", str(work / f"{name}-out")] + (["--jobs", str(jobs)] if jobs else [])
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"the grader failed:\n{result.stderr}")
    rows = (work / f"{name}-out" / "grades.csv").read_text().count("\n") - 1
    assert rows == 4 * n, f"expected {4 * n} rows, got {rows}"
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="submissions graded by both tools")
    parser.add_argument("--scale", type=int, default=1000, help="submissions graded by this grader alone (0: skip)")
    parser.add_argument("--jobs", type=int, help="sandboxes for this grader (default: all cores)")
    parser.add_argument("--skip-nbgrader", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count()
    results = {"cores": cores, "n": args.n}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ours = time_ours(args.n, work, args.jobs, "same")
        results["ours_seconds"] = ours
        print(f"{'tool':<28} {'submissions':>11} {'seconds':>9} {'per second':>11}")
        if not args.skip_nbgrader:
            theirs = time_nbgrader(args.n, work)
            results["nbgrader_seconds"] = theirs
            print(f"{'nbgrader autograde':<28} {args.n:>11} {theirs:>9.1f} {args.n / theirs:>11.2f}")
        print(f"{'python -m autograder grade':<28} {args.n:>11} {ours:>9.1f} {args.n / ours:>11.2f}")
        if not args.skip_nbgrader:
            ratio = (args.n / ours) / (args.n / theirs)
            results["ratio"] = ratio
            print(f"throughput ratio (autograder / nbgrader): {ratio:.1f}x   (goal: at least 30x)")
        if args.scale:
            big = time_ours(args.scale, work, args.jobs, "scale")
            results["scale"] = {"n": args.scale, "seconds": big}
            print(f"{'python -m autograder grade':<28} {args.scale:>11} {big:>9.1f} {args.scale / big:>11.2f}"
                  f"   (goal: under 120 s on 2 cores; this machine has {cores})")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "grader.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
