"""``grade --dask SCHEDULER_ADDRESS``: the grading run spread over a Dask distributed cluster.

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

Sandbox slots on a worker: the unprivileged uid of a sandbox is ``FIRST_UID + slot``, so two
sandboxes on one machine must never share a slot. A worker process claims slots from
:data:`DASK_FIRST_SLOT` upwards by locking a file per slot in ``$TMP/autograder-dask-UID/`` (the
kernel releases the lock when the process ends, however it ends), so the worker processes of one
machine -- of one cluster or of several -- never collide, and stay clear of the local grader's
slots ``0 .. jobs-1``. Whoever claims a slot next first kills what a dead worker's job left
running under that slot's uid and wipes its folder.
"""

from __future__ import annotations

import atexit
import fcntl
import os
import shutil
import signal
import tempfile
import threading
import uuid
from dataclasses import astuple
from pathlib import Path

from .check import Plan, grade_submission, rows_for
from .load import Assignment, InstructorError, Submission
from .record import Gradebook, Part, Row
from .report import progress
from .sandbox import FIRST_UID, Limits, Sandbox

__all__ = ["DASK_FIRST_SLOT", "grade_on_worker", "run_dask"]

DASK_FIRST_SLOT = 1000  # slot (and uid offset) of the first sandbox a Dask worker starts on a machine
MAX_SLOTS = 4096
CONNECT_TIMEOUT = 30  # seconds to reach the scheduler
TASK_RETRIES = 2  # a task that raised (not one whose worker died: see allowed-failures) runs again


# ---------------------------------------------------------------- the worker side

def _folder() -> Path:
    """``$TMP/autograder-dask-UID``: the slot locks and the sandboxes' folders of this machine's
    workers. Ours alone (checked), and only traversable by others: each sandbox user must reach its
    own folder inside."""
    folder = Path(tempfile.gettempdir()) / f"autograder-dask-{os.getuid()}"
    folder.mkdir(mode=0o711, exist_ok=True)
    info = folder.lstat()
    if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise RuntimeError(f"{folder} is not this user's own private folder: cannot start a sandbox in it")
    return folder


class _Slot:
    """One sandbox slot of this machine, held by an exclusive lock on ``slot-N.lock`` (released by
    the kernel when the process ends, however it ends), with its folder ``sandbox-N``."""

    def __init__(self):
        folder = _folder()
        for k in range(MAX_SLOTS):
            slot = DASK_FIRST_SLOT + k
            fd = os.open(folder / f"slot-{slot}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.number, self.fd = slot, fd
            break
        else:
            raise RuntimeError(f"no free sandbox slot on this machine (all {MAX_SLOTS} are in use)")
        # whatever a worker that died with this slot left behind: its job's processes, its folder
        if os.getuid() == 0:
            _kill_uid(FIRST_UID + self.number)
        self.base = folder / f"sandbox-{self.number}"
        shutil.rmtree(self.base, ignore_errors=True)
        self.base.mkdir(mode=0o755)
        self.base.chmod(0o755)

    def release(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)
        os.close(self.fd)


def _kill_uid(uid: int) -> None:
    """SIGKILL every process whose real uid is ``uid`` (a sandbox slot's user, no one else's)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/status") as status:
                real = next((int(line.split()[1]) for line in status if line.startswith("Uid:")), None)
        except (OSError, ValueError):
            continue
        if real == uid:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass


class _WorkerState:
    """This worker process's sandboxes: idle ones wait in ``idle``; a task takes one (or starts a
    new one on a freshly claimed slot) and gives it back when done."""

    def __init__(self):
        self.lock = threading.Lock()
        self.idle: list[Sandbox] = []
        self.slots: dict[Sandbox, _Slot] = {}
        atexit.register(self.close)

    def take(self, limits: Limits) -> Sandbox:
        with self.lock:
            sandbox = self.idle.pop() if self.idle else None
            if sandbox is None:
                slot = _Slot()
                sandbox = Sandbox(slot.number, limits, slot.base)
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


def grade_on_worker(plan: Plan, sub: Submission, limits: Limits) -> tuple[list[Row], list[Part], str]:
    """One Dask task: grade one submission (``status == "ok"``) with this worker's sandbox, for
    ``plan`` (the client's: the run's seed, inputs and reference answers). Returns
    ``(rows, parts, isolation)`` as :func:`~autograder.grader.check.grade_submission` does."""
    state = _state()
    sandbox = state.take(limits)
    try:
        source = next(nb for nb in plan.assignment.notebooks if nb.name == sub.notebook)
        result = grade_submission(sandbox, plan, source, sub)
    except BaseException:
        state.discard(sandbox)  # a sandbox in an unknown state is not reused
        raise
    state.give_back(sandbox)
    return result


def _the_plan(plan: Plan) -> Plan:
    """The plan as a task of its own: sent to the cluster once, fetched once by each worker, and
    recomputed by the scheduler (from this task) if the worker holding it dies."""
    return plan


# ---------------------------------------------------------------- the client side

def run_dask(address: str, todo: list[tuple[Submission, str]], plan: Plan, source: Assignment, book: Gradebook,
             limits: Limits, connect_timeout: float | None = None) -> str:
    """Grade ``todo`` (``(submission, digest)`` pairs) on the Dask cluster whose scheduler is at
    ``address``; record each submission in ``book`` as its result arrives (the same
    :meth:`Gradebook.record` calls as the local run). Returns the isolation in force on the workers
    (as the local run does); raises ``GradingIncomplete`` when some submissions could not be graded
    and :class:`InstructorError` when the scheduler cannot be reached."""
    from . import GradingIncomplete

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
                future = client.submit(grade_on_worker, plan_future, sub, limits, pure=False, retries=TASK_RETRIES,
                                       key=f"autograder-grade-{source.name}-{run}-{k}")
                futures[future] = (sub, digest)
            for future in as_completed(futures, loop=client.loop):
                sub, digest = futures.pop(future)
                try:
                    rows, parts, jail = future.result()
                except Exception as error:  # noqa: BLE001 -- reported below; the other tasks go on
                    errors.append(f"{sub.student}/{sub.notebook}: {type(error).__name__}: {error}")
                    continue
                finally:
                    future.release()
                book.record(rows, digest, source.fingerprint, plan.seed, parts)
                isolation = isolation or jail
                bar.update(1)
            plan_future.release()
    finally:
        bar.close()
    if errors:
        raise GradingIncomplete(f"{len(errors)} notebooks could not be graded on the Dask cluster ({errors[0]}). "
                                "Rerun the same command to grade the rest.")
    return isolation
