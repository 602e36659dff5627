"""Stage 2, run in sandbox: the trusted side of the worker protocol.

A :class:`Sandbox` owns one zygote (:mod:`autograder.grader.zygote`): a warm interpreter, started
with an empty environment and no access to the ``autograder`` package, that forks a jailed child
per job. The grader configures it (``CONF``), reads what it could build and what its probe found
(``REDY``), then sends jobs -- the notebook's cells and the calls to make -- and reads back one
frame per call, relayed by the zygote from the child's own pipe, then ``EXIT``. Every frame is
checked (kind, order, size, plain data only); a child that overruns its time is stopped (``KILL``),
a zygote that misbehaves is replaced. Nothing the child sends can do more than be the value its
function returned, or end its own job.

A sandbox runs in a :class:`Slot`: a number claimed with a lock file, so that sandboxes on one
machine -- of one run, of concurrent runs, of Dask workers -- never share a folder or, when the
grader is root, the unprivileged uid ``FIRST_UID + slot`` their children run as.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..checks import harness
from ..checks.harness import InvalidOutput, Outcome

ZYGOTE = Path(__file__).with_name("zygote.py")
SECCOMP = Path(__file__).with_name("seccomp.py")
HARNESS = Path(harness.__file__)
MAX_REPLY = 256 * 1024 * 1024
STATUSES = {"ok", "error", "timeout", "memory", "invalid"}
FIRST_UID = 61_000  # slot k runs student code as uid FIRST_UID + k when the grader is root
MAX_SLOTS = 4096
FRAME = struct.Struct("<4sQ")
# Parts of the standard library no student code needs: left out of what the jail may read.
STDLIB_LEFT_OUT = {"site-packages", "dist-packages", "test", "idlelib", "tkinter", "turtledemo", "ensurepip",
                   "lib2to3", "pydoc_data", "config-3.11-x86_64-linux-gnu"}


@dataclass
class Limits:
    memory_mb: int = 1024     # memory the student's code may allocate on top of the interpreter
    cpu_seconds: int = 60     # CPU time of one child (all cells and calls)
    file_mb: int = 16         # largest file the child may write
    processes: int = 16       # processes (and threads) the child may have
    cell_timeout: float = 10  # wall time of one notebook cell
    disk_mb: int = 64         # all files the child may write (a private tmpfs, or a watched folder)

    def for_child(self) -> dict:
        return {"memory_mb": self.memory_mb + _baseline_mb(), "cpu_seconds": self.cpu_seconds,
                "file_mb": self.file_mb, "processes": self.processes}


@dataclass
class JobResult:
    """What came back: ``outcomes[i]`` for the calls answered (possibly fewer than asked),
    ``failure`` set when the child died or was stopped before answering the rest."""
    outcomes: list = field(default_factory=list)
    cell_errors: list = field(default_factory=list)
    isolation: str = ""
    failure: Outcome | None = None
    before_calls: bool = False  # the failure came while the notebook's own cells ran (no call made)
    worker_failed: bool = False  # the grader's worker failed (not the student's code): worth a retry


class SandboxError(Exception):
    """The zygote itself failed (not the student's code): the grader restarts it."""


@functools.lru_cache(maxsize=1)
def read_only_paths() -> tuple[str, ...]:
    """What student code may read: NumPy and the standard library, nothing of the course.

    The standard library's folder is listed entry by entry, leaving out ``site-packages``: where
    Python itself (not a virtual environment) holds installed packages, the course's own package
    may be among them."""
    import sysconfig

    paths = set()
    for key in ("stdlib", "platstdlib"):
        folder = Path(sysconfig.get_paths()[key])
        for entry in folder.iterdir():
            if entry.name not in STDLIB_LEFT_OUT and not entry.name.startswith("config-"):
                paths.add(str(entry))
    paths.add(str(Path(np.__file__).parent))
    libs = Path(np.__file__).parent.with_name("numpy.libs")
    if libs.is_dir():
        paths.add(str(libs))
    return tuple(sorted(paths))


class Slot:
    """A sandbox slot of this machine: a number held by an exclusive lock on
    ``$TMP/autograder-UID/slot-N.lock`` (released by the kernel when the process ends, however it
    ends), with its own folder ``<label>-N``. Whoever claims a slot first clears what a dead owner
    left: the processes of its uid (as root) and its folder."""

    def __init__(self, first: int = 0, label: str = "sandbox"):
        folder = slots_folder()
        for k in range(MAX_SLOTS):
            number = first + k
            fd = os.open(folder / f"slot-{number}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.number, self.fd = number, fd
            break
        else:
            raise RuntimeError(f"no free sandbox slot on this machine (all {MAX_SLOTS} are in use)")
        self.uid = FIRST_UID + self.number if os.getuid() == 0 else None
        if self.uid is not None:
            kill_uid(self.uid)
        self.base = folder / f"{label}-{self.number}"
        shutil.rmtree(self.base, ignore_errors=True)
        self.base.mkdir(mode=0o755, exist_ok=True)  # what could not be removed stays, and is not used
        self.base.chmod(0o755)

    def release(self) -> None:
        if self.uid is not None:
            kill_uid(self.uid)
        shutil.rmtree(self.base, ignore_errors=True)
        os.close(self.fd)


def slots_folder() -> Path:
    """``$TMP/autograder-UID``: this user's slot locks and sandbox folders. Ours alone (checked),
    and only traversable by others: each sandbox user must reach its own folder inside."""
    folder = Path(tempfile.gettempdir()) / f"autograder-{os.getuid()}"
    folder.mkdir(mode=0o711, exist_ok=True)
    info = folder.lstat()
    if not folder.is_dir() or folder.is_symlink() or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise RuntimeError(f"{folder} is not this user's own private folder: cannot start a sandbox in it")
    return folder


class Sandbox:
    def __init__(self, slot: Slot, limits: Limits, conf: dict | None = None):
        """``conf``: what :mod:`autograder.grader.isolation` decided (read-only paths, a chroot
        tree, the probe's targets); merged into the zygote's ``CONF`` frame."""
        self.slot, self.limits = slot, limits
        self.conf = dict(conf or {})
        self.process: subprocess.Popen | None = None
        self.ready: dict = {}
        self.log = self.slot.base / "worker.log"

    def last_words(self) -> str:
        """The last line the worker wrote on its standard error (its traceback's last line)."""
        try:
            lines = self.log.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return lines[-1][:200] if lines else ""

    # -- the zygote
    def start(self) -> None:
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "Haswell")}
        root = self.slot.base / "root"
        if not root.is_dir():
            root.mkdir()
        with open(self.log, "ab") as log:  # a crash of the worker itself leaves its traceback here
            self.process = subprocess.Popen([sys.executable, "-I", str(ZYGOTE), str(HARNESS), str(SECCOMP),
                                             str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                            env=env, cwd=str(self.slot.base), start_new_session=True)
        conf = {"uid": self.slot.uid, "slot": self.slot.number, "read_only": list(read_only_paths()),
                "disk_mb": self.limits.disk_mb, "limits": self.limits.for_child(), **self.conf}
        self._send("CONF", json.dumps(conf).encode())
        try:
            kind, payload = self._read(time.monotonic() + 60)
            if kind != "REDY":
                raise SandboxError(f"the worker did not start (sent {kind!r})")
            self.ready = json.loads(payload)
        except (EOFError, TimeoutError, ValueError) as error:
            self.stop()
            raise SandboxError(f"the worker did not start ({type(error).__name__})") from None

    @property
    def isolation(self) -> str:
        return "\n".join(self.ready.get("in_force", []))

    def stop(self) -> None:
        """Kill the zygote and everything below it (stopped first, so a fork bomb cannot outrun
        it), and, as root, every process of the slot's uid."""
        if self.process is None:
            return
        stop_tree(self.process.pid)
        if self.slot.uid is not None:
            kill_uid(self.slot.uid)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    # -- framing with deadlines
    def _read_exact(self, n: int, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()
        chunks = []
        while n:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _read(self, deadline: float) -> tuple[str, bytes]:
        kind, size = FRAME.unpack(self._read_exact(FRAME.size, deadline))
        if size > MAX_REPLY:
            raise SandboxError("a reply larger than the limit")
        return kind.decode("ascii", "replace"), self._read_exact(size, deadline)

    def _send(self, kind: str, payload: bytes = b"") -> None:
        try:
            self.process.stdin.write(FRAME.pack(kind.encode(), len(payload)) + payload)
            self.process.stdin.flush()
        except (OSError, ValueError) as error:
            raise SandboxError(f"cannot reach the worker: {error}") from None

    # -- one job
    def run(self, cells: list[tuple[str, str]], calls: list[dict]) -> JobResult:
        """Run ``cells`` then ``calls`` (each ``{"function", "args", "kwargs", "timeout"}``) in a
        fresh jailed child. Never raises for anything the student's code does; raises
        :class:`SandboxError` only when the worker cannot be (re)started."""
        if self.process is None or self.process.poll() is not None:
            self.restart()
        lim = self.limits
        job = {"cells": [list(c) for c in cells], "calls": calls, "cell_timeout": lim.cell_timeout,
               "limits": lim.for_child()}
        result = JobResult()
        try:
            self._send("JOB ", harness.encode(job))
            self._collect(result, calls, len(cells))
        except (SandboxError, EOFError, TimeoutError, ValueError) as error:
            reason = str(error) or type(error).__name__
            if self.last_words():
                reason += f": {self.last_words()}"
            result.failure = Outcome("error", message=f"the grading worker failed ({reason})")
            result.worker_failed = True
            self.restart()
        return result

    def _collect(self, result: JobResult, calls: list[dict], n_cells: int) -> None:
        """Read the child's frames (relayed by the zygote), then the zygote's EXIT; stop the
        child at a deadline, or when it sends something out of place."""
        lim = self.limits
        expected = [("JAIL", 30.0), ("CELL", lim.cell_timeout * max(n_cells, 1) + 5)]
        expected += [("CALL", float(c["timeout"]) + 2) for c in calls]
        for kind_wanted, seconds in expected:
            result.before_calls = kind_wanted in ("JAIL", "CELL")  # meaningful with a failure only
            try:
                kind, payload = self._read(time.monotonic() + seconds)
            except TimeoutError:
                self._send("KILL")
                result.failure = Outcome("timeout", message=_timeout_message(kind_wanted, seconds, lim))
                break
            if kind == "EXIT":  # the child ended early: crashed, out of memory, killed by a limit
                result.failure = _exit_outcome(_exit_status(payload), kind_wanted, lim)
                return
            if kind == "FAIL" and kind_wanted == "JAIL":  # the host refused a step of the jail
                with contextlib.suppress(InvalidOutput):
                    payload = str(harness.decode(payload))
                result.failure = Outcome("error", message=f"the sandbox could not be set up here ({payload!s:.300})")
                result.worker_failed = True
                break
            if kind != kind_wanted:
                self._send("KILL")
                result.failure = Outcome("invalid", message="the notebook's code sent the grader a message out of "
                                                             "place (it wrote into the grader's channel)")
                break
            try:
                value = harness.decode(payload)
            except InvalidOutput as error:
                self._send("KILL")
                result.failure = Outcome("invalid", message=str(error))
                break
            if kind == "JAIL":
                result.isolation = str(value)[:2000] if isinstance(value, str) else ""
            elif kind == "CELL":
                result.cell_errors = [str(e)[:300] for e in value] if isinstance(value, list) else []
            else:
                result.outcomes.append(_outcome(value))
        while True:  # to the zygote's EXIT: frames after a failure are the child's, and discarded
            kind, payload = self._read(time.monotonic() + 30)
            if kind == "EXIT":
                break
        status = _exit_status(payload)
        if status.get("stopped") not in (None, "", "killed"):  # the zygote ended the job: disk, channel
            result.failure = _stopped_outcome(status["stopped"], lim)
        elif result.failure is None and len(result.outcomes) < len(calls):
            result.failure = _exit_outcome(status, "CALL", lim)


def _exit_status(payload: bytes) -> dict:
    value = json.loads(payload)
    if not isinstance(value, dict):
        raise SandboxError("a malformed EXIT frame")
    return value


def _outcome(value) -> Outcome:
    """A reply frame as an Outcome, or ``invalid`` when it is not the expected shape."""
    if not (isinstance(value, tuple) and len(value) == 5 and value[0] in STATUSES and isinstance(value[2], str)
            and all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in value[3:])):
        return Outcome("invalid", message="the worker's reply was malformed")
    status, plain, message, mutated, aliased = value
    return Outcome(status, plain if status == "ok" else None, message[:300], mutated[:10], aliased[:10])


def _stopped_outcome(stopped: str, lim: Limits) -> Outcome:
    if stopped == "disk":
        return Outcome("error", message=f"wrote more than {lim.disk_mb} MB of files")
    return Outcome("invalid", message=f"{stopped} (its job was stopped)")


def _exit_outcome(exit_info: dict, stage: str, lim: Limits) -> Outcome:
    where = "while running the notebook's cells" if stage in ("JAIL", "CELL") else "during a call"
    if exit_info.get("stopped") and exit_info["stopped"] != "killed":
        return _stopped_outcome(exit_info["stopped"], lim)
    status = exit_info.get("status")
    if not isinstance(status, int):
        return Outcome("error", message=f"the process ended {where}")
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return Outcome("timeout", message=f"used more than {lim.cpu_seconds} s of CPU time {where}")
        if sig == signal.SIGXFSZ:
            return Outcome("error", message=f"wrote a file larger than {lim.file_mb} MB {where}")
        return Outcome("error", message=f"the process was killed by signal {signal.Signals(sig).name} {where}")
    code = os.WEXITSTATUS(status)  # any code: student code can call os._exit with any number
    return Outcome("error", message=f"the process exited (status {code}) {where}: sys.exit, os._exit or a crash")


def _timeout_message(stage: str, seconds: float, lim: Limits) -> str:
    if stage in ("JAIL", "CELL"):
        return f"the notebook's cells did not finish within {seconds:g} s ({lim.cell_timeout:g} s per cell)"
    return f"the function did not return within {seconds - 2:g} s"


# ---------------------------------------------------------------- killing what a job left behind

def _process_table() -> dict[int, tuple[int, int]]:
    """``{pid: (parent pid, real uid)}`` of every visible process."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                parent = int(f.read().rsplit(b")", 1)[1].split()[1])
            with open(f"/proc/{entry}/status", "rb") as f:
                uid = next(int(line.split()[1]) for line in f if line.startswith(b"Uid:"))
            table[int(entry)] = (parent, uid)
        except (OSError, ValueError, IndexError, StopIteration):
            continue
    return table


def stop_tree(top: int, deadline: float = 10.0) -> None:
    """SIGSTOP ``top`` and every process below it until a pass finds no new one (a stopped
    process cannot fork), then SIGKILL them all."""
    stopped: set[int] = set()
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in _process_table().items():
            children.setdefault(parent, []).append(pid)
        below, frontier = {top}, [top]
        while frontier:
            for pid in children.get(frontier.pop(), ()):
                if pid not in below:
                    below.add(pid)
                    frontier.append(pid)
        new = below - stopped
        if not new:
            break
        for pid in new:
            _signal(pid, signal.SIGSTOP)
        stopped |= new
    for pid in stopped:
        _signal(pid, signal.SIGKILL)


def kill_uid(uid: int) -> None:
    """SIGKILL every process of ``uid`` (a slot's own user, nobody else's) at once: ``kill -9
    -1`` run as that user reaches every process of the user in one system call, so a fork bomb
    cannot outrun it. Only as root (without root the slots have no users of their own)."""
    if os.getuid() != 0:
        return
    kill = shutil.which("kill", path="/usr/bin:/bin")
    if kill is None:
        return
    for _ in range(2):
        try:
            subprocess.run([kill, "-9", "-1"], user=uid, group=uid, extra_groups=[], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin"},
                           timeout=30)
        except (OSError, subprocess.SubprocessError):  # cannot become the user (no CAP_SETUID): nothing
            return  # of that user's can be running either


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, sig)


_BASELINE: list[int] = []


def _baseline_mb() -> int:
    """Virtual memory of a warm worker (Python and NumPy mapped), measured once: the memory limit
    is added on top, so ``--memory-mb`` is what the student's code may allocate."""
    if not _BASELINE:
        code = ("import numpy, resource; "
                "print(int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize())")
        try:
            out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60,
                                 check=False, env={"OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
            _BASELINE.append(int(out.stdout.strip()) // 2**20 + 256)
        except (ValueError, OSError, subprocess.SubprocessError):
            _BASELINE.append(1024)
    return _BASELINE[0]
