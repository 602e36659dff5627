"""Run a command as if on another kind of host: the tests' simulator of restricted machines (issue 15).

    python tests/grader/hosts.py --host user-restricted-nolandlock [--uid 1001] [--caps setuid,...] -- COMMAND ...

must start as root on Linux. A host is ``<who>-<namespaces>-<landlock>``:

* who: ``root``, or ``user`` -- an ordinary user (uid 1001 by default, no capabilities). The
  Python installation may sit under a folder other users cannot enter (``/root``, mode 700); the
  command then runs in a private mount namespace where that folder is an empty, traversable tmpfs
  with only the Python installation mounted back into it.
* namespaces: ``available`` (as this machine), ``unavailable`` (no namespace of any kind, no
  mount: user namespaces disabled, or a container without CAP_SYS_ADMIN) or ``restricted`` (a user
  namespace can be made, but nothing inside it: Ubuntu 24.04's AppArmor restriction).
* landlock: ``landlock`` (as this machine) or ``nolandlock`` (the kernel's Landlock calls fail
  with EOPNOTSUPP, as where it is not enabled).

The restrictions are a seccomp filter (:func:`autograder.grader.seccomp.host_filter`) installed
just before the command starts; the kernel keeps it on every process the command makes. As a
safety net the command also runs in its own pids and memory cgroups when this machine lets us
make them (so a sandbox bug cannot exhaust the machine during the tests).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import itertools
import os
import stat
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WHO = ("root", "user")
NAMESPACES = ("available", "unavailable", "restricted")
LANDLOCK = ("landlock", "nolandlock")
HOSTS = [f"{w}-{n}-{ll}" for w, n, ll in itertools.product(WHO, NAMESPACES, LANDLOCK)]
USER_UID = 1001
PIDS_MAX = 2048
MEMORY_MAX = 8 * 2**30

CAPABILITIES = ("chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
                "linux_immutable", "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock",
                "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin",
                "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
                "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
                "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore")  # by number
PR_CAPBSET_DROP = 24
CLONE_NEWNS = 0x00020000
MS_BIND, MS_REC, MS_PRIVATE, MS_MOVE = 4096, 1 << 14, 1 << 18, 8192


def _seccomp():
    spec = importlib.util.spec_from_file_location("seccomp", ROOT / "autograder" / "grader" / "seccomp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expected_confined(host: str) -> bool:
    """Whether the grader can confine student code on ``host`` (else it must refuse): files need
    Landlock, a mount namespace, or root's chroot."""
    who, namespaces, landlock = host.split("-")
    return landlock == "landlock" or who == "root" or namespaces == "available"


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        raise OSError(ctypes.get_errno(), what)


def _mount(libc, source, target, kind, flags, data=None) -> None:
    _check(libc.mount(source.encode() if source else None, str(target).encode(), kind.encode() if kind else None,
                      ctypes.c_ulong(flags), data.encode() if data else None), f"mount {target}")


def expose(paths: list[str]) -> None:
    """In a new mount namespace, make ``paths`` reachable by any user: the highest folder above
    them that others cannot enter is covered with an empty tmpfs (mode 755) into which the paths
    are mounted back."""
    blocked = sorted({_blocking_ancestor(Path(p)) for p in paths} - {None}, key=lambda p: len(p.parts))
    if not blocked:
        return
    libc = _libc()
    _check(libc.unshare(ctypes.c_int(CLONE_NEWNS)), "unshare(CLONE_NEWNS)")
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    stash = Path(tempfile.mkdtemp(prefix="hostsim-"))
    kept = []
    for k, path in enumerate(paths):
        spot = stash / str(k)
        spot.mkdir()
        _mount(libc, path, spot, None, MS_BIND | MS_REC)
        kept.append((spot, path))
    for folder in blocked:
        _mount(libc, "tmpfs", folder, "tmpfs", 0, "mode=0755")
    for spot, path in kept:
        Path(path).mkdir(parents=True, exist_ok=True)
        _mount(libc, str(spot), path, None, MS_MOVE)


def _blocking_ancestor(path: Path) -> Path | None:
    for folder in [*reversed(path.parents), path]:
        if folder == Path("/"):
            continue
        try:
            mode = folder.stat().st_mode
        except OSError:
            return None
        if not mode & stat.S_IXOTH:
            return folder
    return None


def cgroup_net(pid: int) -> list[Path]:
    """Put process ``pid`` in pids and memory cgroups of its own (v2, or v1's controllers), if the
    machine allows; returns the cgroup folders made (none when it does not)."""
    name = f"autograder-hosts-{pid}"
    targets = []
    if Path("/sys/fs/cgroup/cgroup.controllers").is_file():
        targets.append((Path("/sys/fs/cgroup") / name, {"pids.max": PIDS_MAX, "memory.max": MEMORY_MAX}))
    else:
        targets.append((Path("/sys/fs/cgroup/pids") / name, {"pids.max": PIDS_MAX}))
        targets.append((Path("/sys/fs/cgroup/memory") / name, {"memory.limit_in_bytes": MEMORY_MAX}))
    made = []
    for folder, settings in targets:
        try:
            folder.mkdir(exist_ok=True)
            made.append(folder)
            for key, value in settings.items():
                (folder / key).write_text(str(value))
            (folder / "cgroup.procs").write_text(str(pid))
        except OSError:
            continue
    return made


def sweep(folders: list[Path]) -> None:
    """Kill every process left in the cgroups ``folders`` (stopped first), then remove them."""
    import signal
    import time

    for _ in range(50):
        pids = set()
        for folder in folders:
            try:
                pids |= {int(p) for p in (folder / "cgroup.procs").read_text().split()}
            except OSError:
                continue
        if not pids:
            break
        for sig in (signal.SIGSTOP, signal.SIGKILL):
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, sig)
        time.sleep(0.05)
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


def sweep_all() -> None:
    """Remove what earlier, killed runs of this script left in the cgroup tree."""
    for parent in (Path("/sys/fs/cgroup"), Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup/memory")):
        if parent.is_dir():
            sweep(sorted(parent.glob("autograder-hosts-*")))


def keep_only(capabilities: list[str]) -> None:
    """Drop every capability but ``capabilities`` from the bounding set: root then has only those
    after the next exec (as in ``docker run --cap-drop ALL --cap-add ...``)."""
    unknown = set(capabilities) - set(CAPABILITIES)
    if unknown:
        raise SystemExit(f"hosts.py: unknown capabilities {sorted(unknown)}")
    libc = _libc()
    last = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    for number in range(last + 1):
        name = CAPABILITIES[number] if number < len(CAPABILITIES) else ""
        if name not in capabilities:
            _check(libc.prctl(PR_CAPBSET_DROP, number, 0, 0, 0), f"drop capability {name or number}")


def become(host: str, uid: int, capabilities: list[str] | None = None) -> None:
    """Turn this (root) process into ``host``'s user, with ``host``'s restrictions (and, for root,
    only ``capabilities`` when given)."""
    who, namespaces, landlock = host.split("-")
    seccomp = _seccomp()
    if seccomp.machine() is None:
        raise SystemExit("hosts.py: seccomp filters are not known for this machine's architecture")
    if who == "user":
        expose(sorted({sys.base_prefix, str(Path(sys.executable).resolve().parent.parent)}))
        home = Path(tempfile.mkdtemp(prefix="hostsim-home-"))
        os.chown(home, uid, uid)
        os.environ["HOME"] = str(home)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    elif capabilities is not None:
        keep_only(capabilities)
    seccomp.install(seccomp.host_filter(namespaces, landlock == "landlock"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", required=True, choices=HOSTS)
    parser.add_argument("--uid", type=int, default=USER_UID, help="the ordinary user's uid (default 1001)")
    parser.add_argument("--caps", help="root hosts: the only capabilities kept, comma-separated (e.g. setuid,kill)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    if os.getuid() != 0:
        raise SystemExit("hosts.py must start as root (it simulates both root and ordinary users)")
    go_read, go_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the command: in its cgroups, as the host's user, under the host's filter
        os.close(go_write)
        os.read(go_read, 1)
        try:
            become(args.host, args.uid, args.caps.split(",") if args.caps else None)
            os.execvp(command[0], command)
        except BaseException as error:  # report, then end the child
            print(f"hosts.py: {error}", file=sys.stderr)
        os._exit(127)
    cgroups = cgroup_net(pid)
    os.write(go_write, b"g")
    import signal

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: sweep(cgroups) or os._exit(143))
    try:
        _, status = os.waitpid(pid, 0)
    finally:
        sweep(cgroups)
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)


if __name__ == "__main__":
    sys.exit(main())
