"""The sandboxed worker: a warm interpreter that forks one jailed child per job.

Started by :mod:`autograder.grader.sandbox` as ``python -I zygote.py HARNESS WORKROOT DISK_MB`` with
pipes on stdin/stdout. It imports NumPy, the standard-library modules student code commonly uses,
and the harness (by file path: the ``autograder`` package is never imported here); moves itself
into a network namespace of its own (no network) and a mount namespace with a private tmpfs on
WORKROOT; then waits for jobs. For each job it forks a child that

1. starts a session of its own,
2. sets resource limits (address space, CPU time, file size, open files, processes),
3. drops to an unprivileged user when the grader runs as root,
4. confines itself with Landlock: read-only NumPy and the standard library, read-write its own
   empty working directory, no TCP, no signals to processes outside it,
5. runs the student's cells, then each requested call through ``harness.call``, streaming one
   reply frame per call to the grader.

The zygote reports the child's pid before it runs and its exit status after. This file must
stay standalone (standard library, NumPy, and the harness passed by path).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import resource
import shutil
import signal
import struct
import sys
import time

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
    kind, size = struct.unpack("<4sQ", read_exact(fd, 12))
    return kind.decode(), read_exact(fd, size)


def write_frame(fd: int, kind: str, payload: bytes = b"") -> None:
    data = struct.pack("<4sQ", kind.encode(), len(payload)) + payload
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
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 2, 4, 1 << 14, 1 << 18

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
    Returns a description of what is in force."""
    abi = landlock_abi()
    if abi < 1:
        return "no Landlock"
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


# ---------------------------------------------------------------- the jailed child

PRELOAD = ("math", "cmath", "random", "itertools", "functools", "collections", "heapq", "bisect", "operator",
           "string", "re", "copy", "dataclasses", "typing", "statistics", "fractions", "decimal", "numbers",
           "json", "time", "warnings", "contextlib", "abc", "enum", "textwrap", "unicodedata",
           "numpy.linalg", "numpy.random", "numpy.fft", "numpy.polynomial", "numpy.lib.stride_tricks")


def jail(job: dict, uid: int | None) -> list[str]:
    """Steps 1-4 of the module docstring, in the child; returns what is in force."""
    in_force = [job["network"]]
    os.setsid()
    limits = job["limits"]
    megabytes = limits["memory_mb"] * 1024 * 1024
    for which, value in ((resource.RLIMIT_AS, megabytes), (resource.RLIMIT_CPU, limits["cpu_seconds"]),
                         (resource.RLIMIT_FSIZE, limits["file_mb"] * 1024 * 1024), (resource.RLIMIT_NOFILE, 64),
                         (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(which, (value, value))
    in_force.append(f"limits: {limits['memory_mb']} MB, {limits['cpu_seconds']} s CPU, "
                    f"{limits['file_mb']} MB files, 64 open files")
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        resource.setrlimit(resource.RLIMIT_NPROC, (limits["processes"], limits["processes"]))
        os.setuid(uid)
        in_force.append(f"unprivileged user {uid}, at most {limits['processes']} processes")
    else:
        own = sum(1 for p in os.listdir("/proc") if p.isdigit() and _owned(p))
        resource.setrlimit(resource.RLIMIT_NPROC, (own + limits["processes"], own + limits["processes"]))
        in_force.append(f"at most {limits['processes']} more processes")
    os.chdir(job["workdir"])
    in_force.append(landlock(job["read_only"], [job["workdir"], "/dev/null"]))
    in_force.append(job["disk"])
    return in_force


def _owned(pid: str) -> bool:
    return _real_uid(pid) == os.getuid()


def child(job: dict, uid: int | None, out: int, harness) -> None:
    """Run the job in this (forked) process and ``os._exit``; never returns."""
    code = 0
    try:
        in_force = jail(job, uid)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 -- lives until _exit
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
    except BaseException:  # noqa: BLE001 -- the child must always end with _exit
        code = 2
    os._exit(code)


def _runner(source: str, namespace: dict, label: str):
    def run():  # compiled inside the harness's call, so a SyntaxError is reported like any error
        exec(compile(source, f"<{label}>", "exec"), namespace)  # noqa: S102 -- student code, in the jail
    return run


# ---------------------------------------------------------------- the zygote loop

def main() -> None:
    harness_path = sys.argv[1]
    if sys.path and sys.path[0] == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)  # never import grader modules from the folder this file is in
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    spec = importlib.util.spec_from_file_location("harness", harness_path)
    harness = importlib.util.module_from_spec(spec)
    sys.modules["harness"] = harness  # before running it: dataclasses look their module up
    spec.loader.exec_module(harness)
    for name in PRELOAD:
        importlib.import_module(name)
    namespaces = own_user_namespace()
    disk = private_disk(sys.argv[2], int(sys.argv[3])) if namespaces else "disk: per-file size limit only"
    network = no_network() if namespaces else "no network namespace (TCP blocked by Landlock, ABI 4 or newer)"
    inp, out = 0, os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)  # orphans of a job become ours, to kill and reap
    write_frame(out, "REDY", disk.encode())
    while True:
        try:
            kind, payload = read_frame(inp)
        except EOFError:
            return
        if kind != "JOB ":
            continue
        job = harness.decode(payload)
        uid = job["uid"] if os.getuid() == 0 else None
        job["workdir"] = workdir = os.path.join(sys.argv[2], "work")
        job["network"] = network
        os.mkdir(workdir, 0o700)
        if uid is not None:
            os.chown(workdir, uid, uid)
        go_read, go_write = os.pipe()  # the child waits until its PID frame is out: one writer at a time
        pid = os.fork()
        if pid == 0:
            os.close(inp)
            os.close(go_write)
            os.read(go_read, 1)
            os.close(go_read)
            child(job, uid, out, harness)
        os.close(go_read)
        write_frame(out, "PID ", str(pid).encode())
        os.write(go_write, b"g")
        os.close(go_write)
        _, status = os.waitpid(pid, 0)
        _reap()  # anything the child left behind (a fork bomb's survivors)
        shutil.rmtree(workdir, ignore_errors=True)
        write_frame(out, "EXIT", str(status).encode())


def own_user_namespace() -> bool:
    """Without root: enter a user namespace of our own that maps our uid and gid to themselves, so
    the namespaces below can be made (files keep their owner; nothing gains a privilege outside)."""
    if os.getuid() == 0:
        return True
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


def no_network() -> str:
    """Move this zygote, and so every child it forks, into a network namespace of its own: no
    interface but a loopback that is down, so no connection of any kind leaves it."""
    if _libc.unshare(ctypes.c_int(CLONE_NEWNET)) == 0:
        return "no network (own network namespace)"
    return "network namespace unavailable (TCP blocked by Landlock where the kernel has ABI 4)"


def private_disk(root: str, megabytes: int) -> str:
    """Mount a tmpfs of ``megabytes`` on ``root`` in a mount namespace of this zygote's own, so a
    child that fills its disk fills only this small, private space (wiped after every job).
    Without the privilege to do so, files stay limited one by one (RLIMIT_FSIZE)."""
    if _libc.unshare(ctypes.c_int(CLONE_NEWNS)) == 0 and \
            _libc.mount(b"none", b"/", None, ctypes.c_ulong(MS_REC | MS_PRIVATE), None) == 0 and \
            _libc.mount(b"tmpfs", root.encode(), b"tmpfs", ctypes.c_ulong(MS_NOSUID | MS_NODEV),
                        f"size={megabytes}m,mode=0755".encode()) == 0:
        return f"disk: a private {megabytes} MB tmpfs"
    return "disk: per-file size limit only (no private tmpfs)"


def _reap() -> None:
    """Kill and wait for every process left over from the job. We are a child subreaper, so the
    orphans of a job become our children: kill our children until there are none (their own
    children are then handed to us, and die in the next round)."""
    me, deadline = os.getpid(), time.monotonic() + 30
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        return  # the usual case: the child left nothing behind
    while time.monotonic() < deadline:
        for pid in os.listdir("/proc"):
            if pid.isdigit() and _parent(pid) == me:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except OSError:
                    pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return
        time.sleep(0.005)


def _parent(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _real_uid(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


if __name__ == "__main__":
    main()
