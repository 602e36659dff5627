"""The sandboxed worker: a warm interpreter that forks one jailed child per job.

Started by :mod:`autograder.grader.sandbox` as ``python -I zygote.py HARNESS SECCOMP WORKROOT`` with
pipes on stdin/stdout, then configured by one ``CONF`` frame (the slot's uid, the paths student
code may read, the disk quota, the probe's targets). It imports NumPy, the standard-library
modules student code commonly uses, the harness and the seccomp module (by file path: the
``autograder`` package is never imported here), and then walls itself in with whatever this host
allows, strongest first:

* a user namespace of its own when not root (so that the next two can be made without privileges),
* a network namespace (no network at all),
* a mount namespace with a private tmpfs (the disk quota) and a **file view**: a new root holding
  only read-only bind mounts of the standard library and NumPy, so nothing else of the host --
  the course, the references, the gradebook, other students -- exists for student code;
* without a mount namespace but as root: ``chroot`` into a copy of the same files, made by the
  grader (:func:`autograder.grader.isolation.build_view_tree`).

Before any job it runs a **probe**: a child jailed exactly like a job's, which tries to read the
references, the solutions, another student's folder and a canary file, to write outside its
folder, to open TCP and UDP connections to a listener of the grader's, and to signal the grader
and the zygote. It reports ``REDY`` with what is in force and what the probe managed; the grader
refuses to run student code when the probe got anywhere (:mod:`autograder.grader.isolation`).

For each job it forks a child that

1. closes every file descriptor but its own result pipe (it never sees the grader's channel),
2. starts a session of its own and sets resource limits (memory, CPU time, file size, open files,
   processes),
3. drops to the slot's unprivileged user when the grader runs as root,
4. confines itself with Landlock where the kernel has it (read-only NumPy and the standard library,
   read-write its own empty working directory, no TCP, no signals out),
5. installs the seccomp filter (:mod:`autograder.grader.seccomp`: no sockets, no signals but to
   itself, no ptrace, no namespaces or mounts, ...),
6. runs the student's cells, then each requested call through ``harness.call``, writing one reply
   frame per call into its pipe.

The zygote relays the child's frames to the grader after checking their framing (a child that
writes anything else ends its own job, reported ``BAD``), stops the job on the grader's ``KILL``
frame or when its files outgrow the quota, and after every job stops and kills every process the
job left behind (:func:`kill_descendants`) before it reports ``EXIT``. This file must stay
standalone (standard library, NumPy, and the two modules passed by path).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import importlib.util
import json
import os
import resource
import select
import shutil
import signal
import socket
import struct
import sys
import time

FRAME = struct.Struct("<4sQ")
CHILD_KINDS = {"FAIL", "JAIL", "CELL", "CALL"}  # what a child may send; anything else ends its job
MAX_FRAME = 256 * 1024 * 1024

# ---------------------------------------------------------------- framing (shared with sandbox.py)


def read_exact(fd: int, n: int) -> bytes:
    chunks, remaining = [], n
    while remaining:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int) -> tuple[str, bytes]:
    kind, size = FRAME.unpack(read_exact(fd, FRAME.size))
    return kind.decode("ascii", "replace"), read_exact(fd, size)


def write_frame(fd: int, kind: str, payload: bytes = b"") -> None:
    data = FRAME.pack(kind.encode(), len(payload)) + payload
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


# ---------------------------------------------------------------- Landlock (Linux >= 5.13)

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1, 2, 4, 8
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE, FS_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
NET_BIND_TCP, NET_CONNECT_TCP = 1, 2
SCOPE_ABSTRACT_UNIX, SCOPE_SIGNAL = 1, 2
PR_SET_NO_NEW_PRIVS, PR_SET_CHILD_SUBREAPER = 38, 36
CLONE_NEWNET, CLONE_NEWUSER, CLONE_NEWNS = 0x40000000, 0x10000000, 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 1 << 14, 1 << 18
MNT_DETACH = 2
MS_NOEXEC, MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 8, 1024, 2048, 1 << 21
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    abi = _libc.syscall(SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return int(abi) if abi > 0 else 0


def landlock(read_only: list[str], read_write: list[str]) -> str:
    """Confine this process (and its future children) to the given paths; no TCP, no signals out.
    Returns a description of what is in force ("" when the kernel has no Landlock)."""
    abi = landlock_abi()
    if abi < 1:
        return ""
    fs = FS_ALL_V1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0) | \
        (FS_IOCTL_DEV if abi >= 5 else 0)
    attr = _RulesetAttr(fs, (NET_BIND_TCP | NET_CONNECT_TCP) if abi >= 4 else 0,
                        (SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL) if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = _libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        for paths, access in ((read_only, FS_EXECUTE | FS_READ_FILE | FS_READ_DIR), (read_write, fs)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                allowed = access if os.path.isdir(path) else access & (FS_EXECUTE | FS_READ_FILE | FS_WRITE_FILE
                                                                       | FS_TRUNCATE | FS_IOCTL_DEV)
                rule = _PathBeneath(allowed & fs, fd)
                result = _libc.syscall(SYS_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(1), ctypes.byref(rule),
                                       ctypes.c_uint32(0))
                os.close(fd)
                if result < 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule {path}")
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS)")
        if _libc.syscall(SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)
    return f"Landlock ABI {abi} (files{', TCP' if abi >= 4 else ''}{', signals' if abi >= 6 else ''})"


# ---------------------------------------------------------------- the walls of the zygote

class Walls:
    """What this zygote managed to build around itself (and so around every child)."""

    def __init__(self):
        self.userns = self.netns = self.mountns = self.tmpfs = False
        self.view = ""  # "bind" (private mount namespace) or "chroot", or "" (the host's files)
        self.workdir = ""  # the job folder, as the zygote and its children see it

    def describe(self) -> dict:
        return {"userns": self.userns, "netns": self.netns, "mountns": self.mountns, "tmpfs": self.tmpfs,
                "view": self.view}


def own_user_namespace() -> bool:
    """Without root: enter a user namespace of our own that maps our uid and gid to themselves, so
    the namespaces below can be made (files keep their owner; nothing gains a privilege outside)."""
    uid, gid = os.getuid(), os.getgid()
    if _libc.unshare(ctypes.c_int(CLONE_NEWUSER)) != 0:
        return False
    try:
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
    except OSError:
        return False
    return True


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> bool:
    return _libc.mount(source.encode() if source else None, target.encode(), kind.encode() if kind else None,
                       ctypes.c_ulong(flags), data.encode() if data else None) == 0


def bind_view(root: str, read_only: list[str], disk_mb: int) -> str:
    """In a fresh mount namespace: a ``disk_mb`` tmpfs on ``root`` holding a new root (``root/view``)
    with read-only bind mounts of ``read_only`` at their own paths and one writable folder for the
    jobs; the rest of the new root (the folders leading to those paths) read-only too, so that
    nothing a job writes outside its folder can outlast it. Then ``pivot_root`` into it and drop
    the old root. Returns the jobs' folder as seen inside, or "" when the kernel refuses a step."""
    if not (_mount(None, "/", None, MS_REC | MS_PRIVATE)
            and _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={disk_mb}m,mode=0755")):
        return ""
    view, jobs = os.path.join(root, "view"), os.path.join(root, "jobs")
    os.mkdir(view, 0o755)
    os.mkdir(jobs, 0o755)
    if not _mount(view, view, None, MS_BIND):  # pivot_root wants a mount point
        return ""
    for path in read_only:
        target = view + path
        if os.path.isdir(path):
            os.makedirs(target, 0o755, exist_ok=True)
        elif os.path.exists(path):
            os.makedirs(os.path.dirname(target), 0o755, exist_ok=True)
            open(target, "a").close()
        else:
            continue
        if not (_mount(path, target, None, MS_BIND | MS_REC)
                and _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV
                           | _locked_flags(path))):
            return ""
    inside = _free_name(view + "/job")[len(view):]
    os.mkdir(view + inside, 0o755)
    old = os.path.join(view, ".old")
    os.mkdir(old, 0o700)
    if not (_mount(jobs, view + inside, None, MS_BIND)
            and _mount(None, view, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)):
        return ""
    number = SYS_PIVOT_ROOT.get(os.uname().machine)
    if number is None or _libc.syscall(number, view.encode(), old.encode()) != 0:
        return ""
    os.chdir("/")
    _libc.umount2(b"/.old", MNT_DETACH)
    return inside


def _locked_flags(path: str) -> int:
    """The flags of the mount holding ``path`` that a read-only remount must keep (in a user
    namespace the kernel refuses to clear them)."""
    flag = os.statvfs(path).f_flag
    return ((MS_NOEXEC if flag & os.ST_NOEXEC else 0) | (MS_NOATIME if flag & os.ST_NOATIME else 0)
            | (MS_NODIRATIME if flag & os.ST_NODIRATIME else 0) | (MS_RELATIME if flag & os.ST_RELATIME else 0))


def build_walls(conf: dict, root: str) -> Walls:
    walls = Walls()
    is_root = os.getuid() == 0
    walls.userns = is_root or own_user_namespace()
    if walls.userns:
        walls.netns = _libc.unshare(ctypes.c_int(CLONE_NEWNET)) == 0
        walls.mountns = _libc.unshare(ctypes.c_int(CLONE_NEWNS)) == 0
    jobs = bind_view(root, conf["read_only"], conf["disk_mb"]) if walls.mountns else ""
    if jobs:  # the job's folder is the one writable mount: nothing outside it outlasts a job
        walls.view, walls.tmpfs, walls.workdir = "bind", True, jobs
        return walls
    if is_root and conf.get("view_tree"):
        os.chroot(conf["view_tree"])
        os.chdir("/")
        walls.view = "chroot"
    # a chroot tree is shared by the run's sandboxes: each needs a job folder of its own
    walls.workdir = _free_name(f"/job-{conf['slot']}" if walls.view else os.path.join(root, "job"))
    return walls


def _free_name(path: str) -> str:
    """``path``, or ``path_``, ``path__`` ... whichever does not exist yet (a job's own folder)."""
    while os.path.lexists(path):
        path += "_"
    return path


# ---------------------------------------------------------------- processes

PROC_FD = -1  # /proc, opened before the walls go up: the zygote's own view may have no /proc


def _read_proc(entry: str, name: str) -> str:
    fd = os.open(f"{entry}/{name}", os.O_RDONLY, dir_fd=PROC_FD)
    try:
        return os.read(fd, 8192).decode(errors="replace")
    finally:
        os.close(fd)


def _parents() -> dict[int, int]:
    """``{pid: parent pid}`` of every process this zygote can see."""
    table = {}
    for entry in os.listdir(PROC_FD):
        if entry.isdigit():
            try:
                table[int(entry)] = int(_read_proc(entry, "stat").rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    return table


def _has_children() -> bool:
    """True while this zygote has a child, running or not yet reaped (whose status is kept)."""
    try:
        pid, status = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    if pid:
        REAPED[pid] = status
    return True


def kill_descendants(deadline: float = 10.0) -> int:
    """Stop, then kill, every process below this zygote (it is a child subreaper: whatever a job
    forked, double-forked or orphaned stays below it), and reap them. Stopping first is what makes
    this end against a fork bomb: a stopped process cannot fork, and a child forked just before its
    parent stopped is found on the next pass. Returns how many processes were killed."""
    me, stopped = os.getpid(), set()
    end = time.monotonic() + deadline
    if not _has_children():  # the usual case: the job's child ended and left nothing behind
        return 0
    while time.monotonic() < end:
        below, frontier = set(), [me]
        children: dict[int, list[int]] = {}
        for pid, parent in _parents().items():
            children.setdefault(parent, []).append(pid)
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
    _reap(end)
    return len(stopped)


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, sig)


REAPED: dict[int, int] = {}  # exit statuses of children reaped by _reap (the job's child among them)


def _reap(end: float) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > end:
                return
            time.sleep(0.002)
        else:
            REAPED[pid] = status


def count_processes(uid: int) -> int:
    """How many processes ``uid`` has (its share of RLIMIT_NPROC is already taken)."""
    count = 0
    for entry in os.listdir(PROC_FD):
        if entry.isdigit():
            try:
                status = _read_proc(entry, "status")
                count += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("Uid:")) == uid
            except (OSError, ValueError, IndexError, StopIteration):
                continue
    return count


# ---------------------------------------------------------------- the jailed child

PRELOAD = ("math", "cmath", "random", "itertools", "functools", "collections", "heapq", "bisect", "operator",
           "string", "re", "copy", "dataclasses", "typing", "statistics", "fractions", "decimal", "numbers",
           "json", "time", "warnings", "contextlib", "abc", "enum", "textwrap", "unicodedata",
           "numpy.linalg", "numpy.random", "numpy.fft", "numpy.polynomial", "numpy.lib.stride_tricks")


def jail(job: dict, keep: int, null: int, seccomp) -> list[str]:
    """Steps 1-5 of the module docstring, in the child; returns what is in force."""
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)
    os.setsid()
    in_force = list(job["walls"])
    limits = job["limits"]
    megabytes = limits["memory_mb"] * 1024 * 1024
    for which, value in ((resource.RLIMIT_AS, megabytes), (resource.RLIMIT_CPU, limits["cpu_seconds"]),
                         (resource.RLIMIT_FSIZE, limits["file_mb"] * 1024 * 1024), (resource.RLIMIT_NOFILE, 64),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))
    in_force.append(f"limits: {limits['memory_mb']} MB, {limits['cpu_seconds']} s CPU, "
                    f"{limits['file_mb']} MB files, 64 open files")
    uid = job["uid"]
    processes = limits["processes"]
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        os.setuid(uid)
        in_force.append(f"unprivileged user {uid}, at most {processes} processes")
    else:
        total = job["own_processes"] + processes
        resource.setrlimit(resource.RLIMIT_NPROC, (total, total))
        in_force.append(f"at most {processes} more processes")
    os.chdir(job["workdir"])
    confined = landlock(job["read_only"], [job["workdir"]])
    in_force.append(confined or "no Landlock")
    if seccomp is not None and seccomp.machine():
        seccomp.install(seccomp.sandbox_filter(os.getpid()))
        in_force.append("seccomp (no sockets, no signals out, no ptrace, no namespaces or mounts)")
    else:
        in_force.append("no seccomp")
    return in_force


def child(job: dict, out: int, null: int, harness, seccomp) -> None:
    """Run the job in this (forked) process and ``os._exit``; never returns."""
    try:
        in_force = jail(job, out, null, seccomp)
    except BaseException as error:  # the host refused a step of the jail: say which, run nothing
        with contextlib.suppress(BaseException):
            write_frame(out, "FAIL", harness.encode(f"{type(error).__name__}: {error}"[:300]))
        os._exit(3)
    code = 0
    try:
        sys.stdout = sys.stderr = _Null()
        write_frame(out, "JAIL", harness.encode("\n".join(in_force)))
        namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        errors = []
        for label, source in job["cells"]:
            outcome = harness.call(_runner(source, namespace, label), timeout=job["cell_timeout"])
            if outcome.status != "ok":
                errors.append(f"{label}: {outcome.message}")
        write_frame(out, "CELL", harness.encode(errors))
        for request in job["calls"]:
            fn = namespace.get(request["function"])
            if fn is None:
                outcome = harness.Outcome("error", message=f"no function named {request['function']} is defined "
                                                           "(renamed, or its cell failed?)")
            else:
                outcome = harness.call(fn, request["args"], request["kwargs"], request["timeout"])
            write_frame(out, "CALL", harness.encode(
                (outcome.status, outcome.value, outcome.message, outcome.mutated, outcome.aliased)))
    except BaseException:
        code = 2
    os._exit(code)


class _Null:
    """Where the child's own prints go (the harness captures each call's output itself)."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _runner(source: str, namespace: dict, label: str):
    def run():  # compiled inside the harness's call, so a SyntaxError is reported like any error
        exec(compile(source, f"<{label}>", "exec"), namespace)
    return run


# ---------------------------------------------------------------- the probe

PROBE_SOURCE = r'''
import os, socket
breaches = []
for path in PROBE["read"]:
    try:
        if os.path.isdir(path):
            os.listdir(path)
        else:
            with open(path, "rb") as f:
                f.read(1)
        breaches.append("read " + path)
    except OSError:
        pass
here = os.getcwd()
for path in PROBE["write"] + [os.path.join(os.path.dirname(here), "probe-beside"), "/probe-at-the-root"]:
    try:
        with open(path, "wb") as f:
            f.write(b"x")
        breaches.append("wrote " + path)
        os.unlink(path)
    except OSError:
        pass
for kind, address in (("TCP", socket.SOCK_STREAM), ("UDP", socket.SOCK_DGRAM)):
    try:
        s = socket.socket(socket.AF_INET, address)
        s.settimeout(2)
        if kind == "TCP":
            s.connect(("127.0.0.1", PROBE["tcp"]))
        else:
            s.sendto(b"probe", ("127.0.0.1", PROBE["udp"]))
        breaches.append(kind + " to the grader's listener")
        s.close()
    except OSError:
        pass
for name, pid in (("the grader", PROBE["grader"]), ("the worker", PROBE["zygote"])):
    try:
        os.kill(pid, 0)
        breaches.append("can signal " + name)
    except OSError:
        pass
def probe():
    return breaches
'''


def run_probe(conf: dict, walls_text: list[str], null: int, harness, seccomp) -> tuple[list[str] | str, list[str]]:
    """Jail a child exactly as a job's and let it try every way out. Returns its list of what
    worked (or a message when the jail itself failed) and the lines of what was in force."""
    target = conf["probe"]
    probe = {**target, "zygote": os.getpid()}
    source = f"PROBE = {json.dumps(probe)}\n" + PROBE_SOURCE
    job = make_job({"cells": [["probe", source]], "calls": [{"function": "probe", "args": [], "kwargs": {},
                                                              "timeout": 20}],
                    "cell_timeout": 20, "limits": conf["limits"]}, conf, walls_text)
    frames, status, _ = run_job(job, null, harness, seccomp, stdin=None)
    try:
        replies = {kind: harness.decode(payload) for kind, payload in frames}
    except Exception as error:  # reported as the probe's failure
        return f"the probe's reply was unreadable ({error})", walls_text
    jail_text = str(replies.get("JAIL", "")).splitlines() or walls_text
    call = replies.get("CALL")
    if "FAIL" in replies:
        return f"the jail could not be set up ({replies['FAIL']})", jail_text
    if not (isinstance(call, tuple) and call[0] == "ok" and isinstance(call[1], list)):
        why = call[2] if isinstance(call, tuple) else f"exit status {status}"
        return f"the probe could not run in the jail ({why})", jail_text
    return [str(b) for b in call[1]], jail_text


# ---------------------------------------------------------------- one job

WORKDIR = ""
WALLS: Walls | None = None


def make_job(request: dict, conf: dict, walls_text: list[str]) -> dict:
    job = dict(request)
    job["uid"] = conf["uid"] if os.getuid() == 0 else None
    job["read_only"] = conf["read_only"]
    job["workdir"] = WALLS.workdir
    job["walls"] = walls_text
    job["own_processes"] = 0 if os.getuid() == 0 else count_processes(os.getuid())
    return job


def _folder_size(path: str, limit: int) -> int:
    """Bytes in files under ``path`` (stops counting past ``limit``, or 50,000 entries)."""
    total, seen, stack = 0, 0, [path]
    while stack and total <= limit:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if seen > 50_000:
                        return limit + 1
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        total += entry.stat(follow_symlinks=False).st_blocks * 512
        except OSError:
            continue
    return total


def run_job(job: dict, null: int, harness, seccomp, stdin: int | None):
    """Fork the job's child and relay its frames. With ``stdin`` (the grader's channel) frames go
    to the grader as they come and a ``KILL`` frame stops the job; without it (the probe) they are
    returned. Returns ``(frames kept, exit status, why the job was stopped or "")``."""
    workdir = job["workdir"]
    if not os.path.isdir(workdir):
        os.mkdir(workdir, 0o700)
    os.chmod(workdir, 0o700)
    if job["uid"] is not None:
        os.chown(workdir, job["uid"], job["uid"])
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        child(job, write_end, null, harness, seccomp)
    os.close(write_end)
    os.set_blocking(read_end, False)
    try:  # readable when the child ends (Linux 5.3 or newer): no polling for its exit
        exited = os.pidfd_open(pid)
    except (AttributeError, OSError):
        exited = None
    kept, buffer, status, stopped = [], bytearray(), None, ""
    quota = job.get("disk_bytes") or 0
    next_disk_check = time.monotonic() + 0.1
    reading = True
    while status is None:
        watch = [read_end] if reading else []
        if stdin is not None:
            watch.append(stdin)
        if exited is not None:
            watch.append(exited)
        ready = select.select(watch, [], [], 0.1 if exited is not None else 0.01)[0]
        if stdin is not None and stdin in ready:
            kind, _ = read_frame(stdin)
            if kind == "KILL" and not stopped:
                stopped = "killed"
                kill_descendants()
        if reading and read_end in ready:
            problem, reading = _relay(read_end, buffer, kept, stdin)
            if problem and not stopped:
                stopped = problem
                kill_descendants()
        if pid in REAPED:  # stopped, killed and reaped above
            status = REAPED.pop(pid)
        else:
            finished, code = os.waitpid(pid, os.WNOHANG)
            if finished:
                status = code
        if quota and not stopped and time.monotonic() > next_disk_check:
            next_disk_check = time.monotonic() + 0.1
            if _folder_size(workdir, quota) > quota:
                stopped = "disk"
                kill_descendants()
    if reading and not stopped:  # what the child wrote just before it ended
        problem, _ = _relay(read_end, buffer, kept, stdin)
        stopped = problem or stopped
    kill_descendants()  # whatever the job left running
    REAPED.clear()
    os.close(read_end)
    if exited is not None:
        os.close(exited)
    wipe(workdir)
    return kept, status, stopped


def wipe(folder: str) -> None:
    """Remove everything in ``folder`` (kept itself: it may be a mount point), whatever modes the
    job left on what it made."""
    def unlock(function, path, _):
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            function(path)

    with contextlib.suppress(OSError):
        os.chmod(folder, 0o700)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, onerror=unlock)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _relay(fd: int, buffer: bytearray, kept: list, out: int | None) -> tuple[str, bool]:
    """Read what the child wrote; pass on (or keep) each complete, well-formed frame. Returns
    ``(problem, still reading)``: a problem ends the job."""
    while True:
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            return "", True
        if not chunk:
            return ("", False) if not buffer else ("the notebook's code left a truncated message", False)
        buffer += chunk
        while len(buffer) >= FRAME.size:
            kind, size = FRAME.unpack_from(buffer)
            kind = kind.decode("ascii", "replace")
            if kind not in CHILD_KINDS or size > MAX_FRAME:
                return "the notebook's code wrote into the grader's channel", False
            if len(buffer) < FRAME.size + size:
                break
            frame = bytes(buffer[:FRAME.size + size])
            del buffer[:FRAME.size + size]
            if out is None:
                kept.append((kind, frame[FRAME.size:]))
            else:
                write_frame_raw(frame)


OUT = -1


def write_frame_raw(frame: bytes) -> None:
    view = memoryview(frame)
    while view:
        view = view[os.write(OUT, view):]


# ---------------------------------------------------------------- the zygote loop

def main() -> None:
    global OUT, PROC_FD, WALLS
    harness_path, seccomp_path, root = sys.argv[1], sys.argv[2], sys.argv[3]
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)  # never import grader modules from the folder this file is in
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    harness, seccomp = _load("harness", harness_path), _load("seccomp", seccomp_path)
    for name in PRELOAD:
        importlib.import_module(name)
    socket.socket  # noqa: B018 -- the probe imports socket inside the jail; have it loaded
    inp, OUT = 0, os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)
    PROC_FD = os.open("/proc", os.O_RDONLY | os.O_DIRECTORY)
    kind, payload = read_frame(inp)
    if kind != "CONF":
        return
    conf = json.loads(payload)
    WALLS = build_walls(conf, root)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans of a job become ours, to stop and kill
    walls_text = _walls_text(WALLS)
    probe, in_force = run_probe(conf, walls_text, null, harness, seccomp) if conf.get("probe") else ([], walls_text)
    ready = {"walls": WALLS.describe(), "in_force": in_force, "landlock": landlock_abi(),
             "seccomp": bool(seccomp.machine()), "root": os.getuid() == 0, "probe": probe}
    write_frame(OUT, "REDY", json.dumps(ready).encode())
    while True:
        try:
            kind, payload = read_frame(inp)
        except EOFError:
            return
        if kind != "JOB ":
            continue
        job = make_job(harness.decode(payload), conf, walls_text)
        if not WALLS.tmpfs:
            job["disk_bytes"] = conf["disk_mb"] * 1024 * 1024
        _, status, stopped = run_job(job, null, harness, seccomp, stdin=inp)
        write_frame(OUT, "EXIT", json.dumps({"status": status, "stopped": stopped}).encode())


def _walls_text(walls: Walls) -> list[str]:
    text = ["no network (own network namespace)" if walls.netns else "the host's network (sockets refused by seccomp)"]
    if walls.view == "bind":
        text.append("files: a private root with only Python's standard library and NumPy, read-only")
    elif walls.view == "chroot":
        text.append("files: chroot into a copy of Python's standard library and NumPy")
    else:
        text.append("files: the host's (Landlock confines them)")
    text.append("disk: a private tmpfs" if walls.tmpfs else "disk: the working folder's size watched")
    return text


def _load(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before running it: dataclasses look their module up
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    try:
        main()
    except (EOFError, BrokenPipeError):
        pass
    except OSError as error:
        if error.errno not in (errno.EPIPE, errno.EBADF):
            raise
