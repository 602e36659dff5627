"""``grade --dask``: a class graded on a local Dask cluster of worker processes gives the same
grades.csv and gradebook as the local run, even when a worker is killed mid-run (issue 7)."""

from __future__ import annotations

import csv
import logging
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from autograder.grader import GradingIncomplete, InstructorError, grade
from autograder.grader.record import Gradebook

from .conftest import ASSIGNMENT, GRADED, answer_of, notebook, put

distributed = pytest.importorskip("distributed")

SLOW = "import time\ntime.sleep(0.3)\n"  # every runnable notebook takes a moment: the kill lands mid-run
N = 24
SEED = "11"


def make_class(submitted: Path) -> dict[str, str]:
    """24 students: right, wrong, broken (raises, syntax error), not a notebook, no notebook."""
    wrong = answer_of("rnn_cell_forward").replace(" + b)", ")")
    kinds = {}
    for i in range(N):
        student = f"s{i:02d}"
        kind = ("right", "wrong", "raises", "syntax", "invalid", "right", "missing", "wrong")[i % 8]
        answers = {"softmax": SLOW + answer_of("softmax")}
        if kind == "wrong":
            answers["rnn_cell_forward"] = wrong
        elif kind == "raises":
            answers["output_forward"] = "def output_forward(h, params):\n    raise ValueError('todo')"
        elif kind == "syntax":
            answers["rnn_forward"] = "def rnn_forward(x, h0, params:\n    return"
        if kind == "invalid":
            put(submitted, student, '{"cells": 7}')
        elif kind == "missing":
            (submitted / student / ASSIGNMENT).mkdir(parents=True)
        else:
            put(submitted, student, notebook(**answers))
        kinds[student] = kind
    return kinds


def graded_count(out: Path) -> int:
    try:
        with sqlite3.connect(out / "gradebook.sqlite", timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    except sqlite3.Error:
        return 0


def dask_sandboxes() -> list[int]:
    """Pids of sandbox zygotes started by Dask workers (their command line names their folder)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"zygote.py" in command and b"dask-sandbox-" in command:
            found.append(int(pid))
    return found


@pytest.fixture(params=[(3, 1)])
def cluster(request):
    """A local cluster of ``n`` worker processes with ``t`` threads each (``t`` sandboxes a process)."""
    n, t = request.param
    with distributed.LocalCluster(n_workers=n, threads_per_worker=t, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR, death_timeout=60) as cluster:
        yield cluster
    deadline = time.monotonic() + 20  # the workers' sandboxes end with them
    while dask_sandboxes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not dask_sandboxes(), "a Dask worker's sandbox outlived the cluster"


def test_dask_run_equals_local_run_with_a_worker_killed_mid_run(tmp_path, monkeypatch, cluster):
    monkeypatch.setenv("AUTOGRADER_SEED", SEED)
    monkeypatch.setenv("CI", "true")
    submitted = tmp_path / "submitted"
    kinds = make_class(submitted)
    local_out, dask_out = tmp_path / "local", tmp_path / "dask"
    settings = {"timeout": 3, "memory_mb": 256}
    local = grade(ASSIGNMENT, submitted, local_out, jobs=2, log=lambda *_: None, **settings)
    assert local.graded == N and local.seed == int(SEED)

    not_run = sum(k in ("invalid", "missing") for k in kinds.values())  # recorded by the client at once
    killed: dict = {}

    def kill_a_busy_worker() -> None:
        with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
            deadline = time.monotonic() + 60
            while graded_count(dask_out) < not_run + 3 and time.monotonic() < deadline:
                time.sleep(0.02)
            busy = {w: keys for w, keys in client.processing().items()
                    if any(str(k).startswith("autograder-grade-") for k in keys)}
            if not busy:
                return
            address = min(busy)
            pid = client.run(os.getpid, workers=[address])[address]
            killed.update(pid=pid, tasks=len(busy[address]), graded=graded_count(dask_out))
            os.kill(pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    log: list[str] = []
    killer.start()
    summary = grade(ASSIGNMENT, submitted, dask_out, dask=cluster.scheduler_address, log=log.append, **settings)
    killer.join(30)

    # a worker was killed while it had grading tasks, with part of the class recorded
    assert killed, "no worker was busy grading: the run ended before the kill"
    assert killed["tasks"] >= 1 and not_run + 3 <= killed["graded"] < N
    # ... and the run completed all the same, with the run's seed
    assert summary.graded == N and summary.seed == int(SEED)
    assert f"seed {SEED}, on the Dask cluster at {cluster.scheduler_address}" in log[0]
    assert "unprivileged user 62" in summary.isolation or os.getuid() != 0  # Dask slots: uids clear of local ones

    # the same grades.csv, byte for byte, and the same gradebook (rows and parts)
    assert (dask_out / "grades.csv").read_bytes() == (local_out / "grades.csv").read_bytes()
    with Gradebook(local_out / "gradebook.sqlite") as a, Gradebook(dask_out / "gradebook.sqlite") as b:
        assert a.rows(ASSIGNMENT) == b.rows(ASSIGNMENT) and a.parts(ASSIGNMENT) == b.parts(ASSIGNMENT)
        assert len(b.parts(ASSIGNMENT)) > 0

    # and the grades are the ones each kind of submission deserves (not merely equal)
    with open(dask_out / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == N * len(GRADED)
    total = {s: sum(float(r["score"]) for r in rows if r["student"] == s) for s in kinds}
    for student, kind in kinds.items():
        statuses = {r["grade_id"]: r["status"] for r in rows if r["student"] == student}
        if kind == "right":
            assert total[student] == sum(GRADED.values()) and set(statuses.values()) == {"ok"}
        elif kind == "wrong":
            assert statuses["rnn_cell_forward"] == "wrong" and statuses["softmax"] == "ok"
        elif kind == "raises":
            assert statuses["output_forward"] == "error" and statuses["softmax"] == "ok"
        elif kind == "syntax":
            assert statuses["rnn_forward"] == "error" and statuses["softmax"] == "ok"
        else:
            assert set(statuses.values()) == {kind} and total[student] == 0


@pytest.mark.parametrize("cluster", [(1, 2)], indirect=True)
def test_dask_rerun_grades_nothing_and_a_bad_address_is_the_instructors_error(tmp_path, monkeypatch, cluster):
    """One worker process running two tasks at a time (two sandboxes); a rerun grades nothing."""
    monkeypatch.setenv("AUTOGRADER_SEED", SEED)
    monkeypatch.setenv("CI", "true")
    submitted = tmp_path / "submitted"
    put(submitted, "alice", notebook())
    put(submitted, "bob", notebook(softmax="def softmax(z):\n    return z"))
    for i in range(4):
        put(submitted, f"c{i}", notebook(softmax=SLOW + answer_of("softmax")))
    out = tmp_path / "out"
    first = grade(ASSIGNMENT, submitted, out, dask=cluster.scheduler_address, timeout=3, memory_mb=256,
                  log=lambda *_: None)
    assert first.graded == 6
    local = grade(ASSIGNMENT, submitted, tmp_path / "local", jobs=2, timeout=3, memory_mb=256, log=lambda *_: None)
    assert local.graded == 6
    assert (out / "grades.csv").read_bytes() == (tmp_path / "local" / "grades.csv").read_bytes()
    before = (out / "grades.csv").read_bytes()
    again = grade(ASSIGNMENT, submitted, out, dask=cluster.scheduler_address, timeout=3, memory_mb=256,
                  log=lambda *_: None)
    assert again.graded == 0 and again.skipped == 6 and (out / "grades.csv").read_bytes() == before
    rows = list(csv.DictReader(before.decode().splitlines()))
    assert {r["status"] for r in rows if r["student"] != "bob"} == {"ok"}
    assert {r["grade_id"]: r["status"] for r in rows if r["student"] == "bob"}["softmax"] == "wrong"

    put(submitted, "carol", notebook())
    monkeypatch.setattr("autograder.grader.distributed.CONNECT_TIMEOUT", 2)
    with pytest.raises((InstructorError, GradingIncomplete), match="Dask scheduler at tcp://127.0.0.1:1"):
        grade(ASSIGNMENT, submitted, tmp_path / "nowhere", dask="tcp://127.0.0.1:1", timeout=3, memory_mb=256,
              log=lambda *_: None)
