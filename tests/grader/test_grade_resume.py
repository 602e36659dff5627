"""kill -9 in the middle of a run, then the same command again: the final grades.csv is the same
as an uninterrupted run's -- nothing lost, nothing duplicated (issue 6)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

from .conftest import ASSIGNMENT, LIMITS, ROOT, answer_of, grade_cli, notebook, put

SLOW = "import time\ntime.sleep(0.15)\n"  # every notebook takes a moment, so the kill lands mid-run


def make_class(submitted, n=40):
    wrong = answer_of("rnn_cell_forward").replace(" + b)", ")")
    for i in range(n):
        kind = i % 4
        answers = {"softmax": SLOW + answer_of("softmax")}
        if kind == 1:
            answers["rnn_cell_forward"] = wrong
        if kind == 2:
            answers["output_forward"] = "def output_forward(h, params):\n    raise ValueError('todo')"
        put(submitted, f"s{i:02d}", notebook(**answers) if kind != 3 else '{"cells": 7}')


def graded_count(out) -> int:
    try:
        with sqlite3.connect(out / "gradebook.sqlite", timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_minus_9_then_rerun_gives_the_uninterrupted_csv(tmp_path):
    submitted = tmp_path / "submitted"
    make_class(submitted)
    reference = tmp_path / "uninterrupted"
    assert grade_cli(submitted, reference, seed=5).returncode == 0

    out = tmp_path / "out"
    env = {**os.environ, "CI": "true", "AUTOGRADER_SEED": "5"}
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", ASSIGNMENT, "--submitted", str(submitted),
                             "--out", str(out), *LIMITS], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while graded_count(out) < 8 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = graded_count(out)
    assert 0 < done < 40, f"killed after {done} submissions"

    rerun = grade_cli(submitted, out, seed=None)  # no seed given: the interrupted run's seed is resumed
    assert rerun.returncode == 0, rerun.stderr
    assert f"({done} unchanged)" in rerun.stderr and "seed 5" in rerun.stderr
    assert (out / "grades.csv").read_bytes() == (reference / "grades.csv").read_bytes()
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 40 * 4
