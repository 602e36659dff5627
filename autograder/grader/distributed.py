r"""``grade --dask SCHEDULER_ADDRESS``: the grading run spread over a Dask distributed cluster.

The client (the ``grade`` command) loads the assignment and computes the plan (inputs and reference
answers, from the run's seed) once, as usual, and hands it to the cluster as one small task that
every grading task depends on. Each grading task grades one submission on a worker, in a
:class:`~autograder.grader.sandbox.Sandbox` that the worker process starts once and reuses (one per
task running at a time), and returns the rows and parts; the client records each result in the
gradebook as it arrives, exactly as the local thread pool does, so ``grades.csv`` is the same.

A worker that dies (killed, out of memory, its machine gone) loses its tasks; the scheduler gives
them to another worker (up to ``distributed.scheduler.allowed-failures`` deaths per task), and a
task that raised is retried. What was recorded stays recorded: rerunning the command grades the
rest, as after any interrupted run.

Sandbox slots on a worker: a worker process claims :class:`~autograder.grader.sandbox.Slot`\ s
from :data:`DASK_FIRST_SLOT` upwards (lock files shared with local runs, so the worker processes of
one machine -- of one cluster or of several, or a local run beside them -- never collide); whoever
claims a slot next first kills what a dead worker's job left running under that slot's uid and
wipes its folder. Each worker process probes its own host once, as a local run does
(:func:`~autograder.grader.isolation.check_host`), and refuses to grade on a host that cannot
confine student code unless the run was started with ``--unconfined``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading
import uuid
from dataclasses import astuple
from pathlib import Path

from .check import Plan, grade_submission, rows_for
from .isolation import Isolation, check_host
from .load import Assignment, InstructorError, Submission
from .record import Gradebook, GradingIncomplete, Part, Row
from .report import progress
from .sandbox import Limits, Sandbox, Slot, slots_folder

__all__ = ["DASK_FIRST_SLOT", "grade_on_worker", "run_dask"]

DASK_FIRST_SLOT = 1000  # slot (and uid offset) of the first sandbox a Dask worker starts on a machine
CONNECT_TIMEOUT = 30  # seconds to reach the scheduler
TASK_RETRIES = 2  # a task that raised (not one whose worker died: see allowed-failures) runs again


# ---------------------------------------------------------------- the worker side

class _WorkerState:
    """This worker process's sandboxes: idle ones wait in ``idle``; a task takes one (or starts a
    new one on a freshly claimed slot) and gives it back when done."""

    def __init__(self):
        self.lock = threading.Lock()
        self.idle: list[Sandbox] = []
        self.slots: dict[Sandbox, Slot] = {}
        self.isolation: Isolation | None = None
        atexit.register(self.close)

    def confinement(self, limits: Limits, unconfined: bool) -> Isolation:
        """This host's, probed once per worker process (raises when it cannot confine)."""
        with self.lock:
            if self.isolation is None or (self.isolation.unconfined and not unconfined):
                folder = slots_folder() / f"dask-run-{os.getpid()}"
                folder.mkdir(mode=0o755, exist_ok=True)
                folder.chmod(0o755)
                atexit.register(shutil.rmtree, folder, True)
                here = Path(__file__).resolve().parents[2]
                self.isolation = check_host(here / "solutions", here, here, folder, limits, unconfined,
                                            log=lambda *_: None, first_slot=DASK_FIRST_SLOT)
            return self.isolation

    def take(self, limits: Limits, unconfined: bool = False) -> Sandbox:
        isolation = self.confinement(limits, unconfined)
        with self.lock:
            sandbox = self.idle.pop() if self.idle else None
            if sandbox is None:
                slot = Slot(DASK_FIRST_SLOT, label="dask-sandbox")
                sandbox = Sandbox(slot, limits, isolation.conf)
                self.slots[sandbox] = slot
        if astuple(sandbox.limits) != astuple(limits):  # another run, with other limits
            sandbox.stop()
            sandbox.limits = limits
        if sandbox.process is None or sandbox.process.poll() is not None:
            try:
                sandbox.restart()
            except BaseException:
                self.discard(sandbox)
                raise
        return sandbox

    def give_back(self, sandbox: Sandbox) -> None:
        with self.lock:
            self.idle.append(sandbox)

    def discard(self, sandbox: Sandbox) -> None:
        sandbox.stop()
        with self.lock:
            slot = self.slots.pop(sandbox, None)
        if slot is not None:
            slot.release()

    def close(self) -> None:
        with self.lock:
            slots, self.slots, self.idle = self.slots, {}, []
        for sandbox, slot in slots.items():
            sandbox.stop()
            slot.release()


_STATE: dict[int, _WorkerState] = {}  # by pid: a forked copy of this module must not reuse its parent's
_STATE_LOCK = threading.Lock()


def _state() -> _WorkerState:
    with _STATE_LOCK:
        state = _STATE.get(os.getpid())
        if state is None:
            state = _STATE[os.getpid()] = _WorkerState()
        return state


def grade_on_worker(plan: Plan, sub: Submission, limits: Limits,
                    unconfined: bool = False) -> tuple[list[Row], list[Part], str]:
    """One Dask task: grade one submission (``status == "ok"``) with this worker's sandbox, for
    ``plan`` (the client's: the run's seed, inputs and reference answers). Returns
    ``(rows, parts, isolation)``, the last being this worker host's isolation summary."""
    state = _state()
    sandbox = state.take(limits, unconfined)
    try:
        source = next(nb for nb in plan.assignment.notebooks if nb.name == sub.notebook)
        rows, parts, _ = grade_submission(sandbox, plan, source, sub)
    except BaseException:
        state.discard(sandbox)  # a sandbox in an unknown state is not reused
        raise
    state.give_back(sandbox)
    return rows, parts, state.isolation.summary


def _the_plan(plan: Plan) -> Plan:
    """The plan as a task of its own: sent to the cluster once, fetched once by each worker, and
    recomputed by the scheduler (from this task) if the worker holding it dies."""
    return plan


# ---------------------------------------------------------------- the client side

def run_dask(address: str, todo: list[tuple[Submission, str]], plan: Plan, source: Assignment, book: Gradebook,
             limits: Limits, connect_timeout: float | None = None, unconfined: bool = False) -> str:
    """Grade ``todo`` (``(submission, digest)`` pairs) on the Dask cluster whose scheduler is at
    ``address``; record each submission in ``book`` as its result arrives (the same
    :meth:`Gradebook.record` calls as the local run). Returns the isolation in force on the workers
    (as the local run does); raises ``GradingIncomplete`` when some submissions could not be graded
    and :class:`InstructorError` when the scheduler cannot be reached."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InstructorError("--dask needs Dask distributed: pip install 'rnn-course[dask]'") from None
    notebooks = {nb.name: nb for nb in source.notebooks}
    isolation = ""
    errors: list[str] = []
    bar = progress(len(todo), f"grading {source.name} on {address}")
    try:
        local = [(sub, digest) for sub, digest in todo if sub.status != "ok"]
        for sub, digest in local:  # missing or invalid: nothing to run, recorded here
            book.record(rows_for(sub, notebooks[sub.notebook], source.name, sub.status, sub.message), digest,
                        source.fingerprint, plan.seed, [])
            bar.update(1)
        remote = [(sub, digest) for sub, digest in todo if sub.status == "ok"]
        if not remote:
            return ""
        try:
            client = Client(address, timeout=connect_timeout or CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as error:
            raise InstructorError(f"cannot reach the Dask scheduler at {address}: {error}") from None
        with client:
            run = uuid.uuid4().hex[:8]
            plan_future = client.submit(_the_plan, plan, key=f"autograder-plan-{source.name}-{run}", pure=False)
            futures = {}
            for k, (sub, digest) in enumerate(remote):
                future = client.submit(grade_on_worker, plan_future, sub, limits, unconfined, pure=False,
                                       retries=TASK_RETRIES, key=f"autograder-grade-{source.name}-{run}-{k}")
                futures[future] = (sub, digest)
            for future in as_completed(futures, loop=client.loop):
                sub, digest = futures.pop(future)
                try:
                    rows, parts, jail = future.result()
                except Exception as error:
                    errors.append(f"{sub.student}/{sub.notebook}: {type(error).__name__}: {error}")
                    continue
                finally:
                    future.release()
                book.record(rows, digest, source.fingerprint, plan.seed, parts, jail)
                isolation = isolation or jail
                bar.update(1)
            plan_future.release()
    finally:
        bar.close()
    if errors:
        raise GradingIncomplete(f"{len(errors)} notebooks could not be graded on the Dask cluster ({errors[0]}). "
                                "Rerun the same command to grade the rest.")
    return isolation
