"""Stage 2, run in sandbox: the trusted side of the worker protocol.

A :class:`Sandbox` owns one zygote (:mod:`autograder.grader.zygote`): a warm interpreter, started
with an empty environment and no access to the ``autograder`` package, that forks a jailed child
per job. The grader sends a job -- the notebook's cells and the calls to make -- and reads back
one frame per call. Every frame is checked (kind, size, plain data only); a child that overruns
its time is killed, a zygote that misbehaves is replaced. Nothing the child sends can do more
than be the value its function returned.
"""

from __future__ import annotations

import functools
import os
import select
import signal
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..checks import harness
from ..checks.harness import InvalidOutput, Outcome

ZYGOTE = Path(__file__).with_name("zygote.py")
HARNESS = Path(harness.__file__)
MAX_REPLY = 256 * 1024 * 1024
STATUSES = {"ok", "error", "timeout", "memory", "invalid"}
FIRST_UID = 61_000  # slot k runs student code as uid FIRST_UID + k when the grader is root


@dataclass
class Limits:
    memory_mb: int = 1024     # memory the student's code may allocate on top of the interpreter
    cpu_seconds: int = 60     # CPU time of one child (all cells and calls)
    file_mb: int = 16         # largest file the child may write
    processes: int = 16       # processes (and threads) the child may have
    cell_timeout: float = 10  # wall time of one notebook cell
    disk_mb: int = 64         # all files the child may write (a private tmpfs when possible)


@dataclass
class JobResult:
    """What came back: ``outcomes[i]`` for the calls answered (possibly fewer than asked),
    ``failure`` set when the child died or was killed before answering the rest."""
    outcomes: list = field(default_factory=list)
    cell_errors: list = field(default_factory=list)
    isolation: str = ""
    failure: Outcome | None = None
    before_calls: bool = False  # the failure came while the notebook's own cells ran (no call made)


class SandboxError(Exception):
    """The zygote itself failed (not the student's code): the grader restarts it."""


@functools.lru_cache(maxsize=1)
def read_only_paths() -> tuple[str, ...]:
    """What student code may read: NumPy and the standard library, nothing of the course."""
    import sysconfig

    paths = {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib")}
    paths.add(str(Path(np.__file__).parent))
    libs = Path(np.__file__).parent.with_name("numpy.libs")
    if libs.is_dir():
        paths.add(str(libs))
    return tuple(sorted(paths))


class Sandbox:
    def __init__(self, slot: int, limits: Limits, base: Path):
        self.slot, self.limits = slot, limits
        self.base = Path(base)
        self.uid = FIRST_UID + slot if os.getuid() == 0 else None
        self.process: subprocess.Popen | None = None
        self.disk = ""

    # -- the zygote
    def start(self) -> None:
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", "Haswell")}
        self.root = self.base / f"slot-{self.slot}"
        self.root.mkdir(exist_ok=True)
        self.process = subprocess.Popen([sys.executable, "-I", str(ZYGOTE), str(HARNESS), str(self.root),
                                         str(self.limits.disk_mb)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                        cwd=str(self.base), start_new_session=True)
        kind, payload = self._read(time.monotonic() + 60)
        if kind != "REDY":
            raise SandboxError(f"the worker did not start (sent {kind!r})")
        self.disk = payload.decode()

    def stop(self) -> None:
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
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
        kind, size = struct.unpack("<4sQ", self._read_exact(12, deadline))
        if size > MAX_REPLY:
            raise SandboxError("a reply larger than the limit")
        return kind.decode("ascii", "replace"), self._read_exact(size, deadline)

    # -- one job
    def run(self, cells: list[tuple[str, str]], calls: list[dict]) -> JobResult:
        """Run ``cells`` then ``calls`` (each ``{"function", "args", "kwargs", "timeout"}``) in a
        fresh jailed child; never raises for anything the student's code does."""
        if self.process is None or self.process.poll() is not None:
            self.restart()
        lim = self.limits
        job = {"cells": [list(c) for c in cells], "calls": calls, "uid": self.uid, "disk": self.disk,
               "cell_timeout": lim.cell_timeout, "read_only": list(read_only_paths()),
               "limits": {"memory_mb": lim.memory_mb + _baseline_mb(), "cpu_seconds": lim.cpu_seconds,
                          "file_mb": lim.file_mb, "processes": lim.processes}}
        result = JobResult()
        pid = None
        try:
            self._send("JOB ", harness.encode(job))
            kind, payload = self._read(time.monotonic() + 30)
            if kind != "PID ":
                raise SandboxError("protocol")
            pid = int(payload)
            self._collect(result, calls, len(cells), pid)
        except SandboxError as error:
            result.failure = result.failure or Outcome("error", message=f"the grading worker failed ({error})")
            self.restart()
        return result

    def _send(self, kind: str, payload: bytes) -> None:
        try:
            self.process.stdin.write(struct.pack("<4sQ", kind.encode(), len(payload)) + payload)
            self.process.stdin.flush()
        except OSError as error:
            raise SandboxError(f"cannot reach the worker: {error}") from None

    def _collect(self, result: JobResult, calls: list[dict], n_cells: int, pid: int) -> None:
        """Read the child's frames, then the zygote's EXIT; kill the child at a deadline."""
        lim = self.limits
        expected = [("JAIL", 30.0), ("CELL", lim.cell_timeout * max(n_cells, 1) + 5)]
        expected += [("CALL", float(c["timeout"]) + 2) for c in calls]
        for kind_wanted, seconds in expected:
            result.before_calls = kind_wanted in ("JAIL", "CELL")  # meaningful with a failure only
            try:
                kind, payload = self._read(time.monotonic() + seconds)
            except TimeoutError:
                self._kill(pid)
                result.failure = Outcome("timeout", message=_timeout_message(kind_wanted, seconds, lim))
                break
            except (EOFError, SandboxError):
                raise SandboxError("the worker closed its pipe") from None
            if kind == "EXIT":  # the child ended early: crashed, out of memory, killed by a limit
                result.failure = _exit_outcome(int(payload), kind_wanted, lim)
                return
            if kind != kind_wanted:
                self._kill(pid)
                raise SandboxError(f"unexpected frame {kind!r}")
            try:
                value = harness.decode(payload)
            except InvalidOutput as error:
                self._kill(pid)
                result.failure = Outcome("invalid", message=str(error))
                break
            if kind == "JAIL":
                result.isolation = str(value)[:2000] if isinstance(value, str) else ""
            elif kind == "CELL":
                result.cell_errors = [str(e)[:300] for e in value] if isinstance(value, list) else []
            else:
                result.outcomes.append(_outcome(value))
        try:
            kind, payload = self._read(time.monotonic() + 30)
        except (TimeoutError, EOFError):
            raise SandboxError("the worker did not report the child's exit") from None
        if kind != "EXIT":
            raise SandboxError(f"unexpected frame {kind!r}")

    def _kill(self, pid: int) -> None:
        for target in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
            try:
                target()
            except OSError:
                pass


def _outcome(value) -> Outcome:
    """A reply frame as an Outcome, or ``invalid`` when it is not the expected shape."""
    if not (isinstance(value, tuple) and len(value) == 5 and value[0] in STATUSES and isinstance(value[2], str)
            and all(isinstance(v, list) and all(isinstance(s, str) for s in v) for v in value[3:])):
        return Outcome("invalid", message="the worker's reply was malformed")
    status, plain, message, mutated, aliased = value
    return Outcome(status, plain if status == "ok" else None, message[:300], mutated[:10], aliased[:10])


def _exit_outcome(status: int, stage: str, lim: Limits) -> Outcome:
    where = "while running the notebook's cells" if stage in ("JAIL", "CELL") else "during a call"
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


_BASELINE: list[int] = []


def _baseline_mb() -> int:
    """Virtual memory of a warm worker (Python and NumPy mapped), measured once: the memory limit
    is added on top, so ``--memory-mb`` is what the student's code may allocate."""
    if not _BASELINE:
        code = "import numpy, resource; print(int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize())"
        try:
            out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60, check=False,
                                 env={"OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"})
            _BASELINE.append(int(out.stdout.strip()) // 2**20 + 256)
        except (ValueError, OSError, subprocess.SubprocessError):
            _BASELINE.append(1024)
    return _BASELINE[0]
