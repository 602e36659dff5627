"""Seccomp filters: which system calls a process may make, checked by the kernel.

Standalone (standard library only): the zygote loads this file by path, as it loads the harness,
and never imports the ``autograder`` package. Two users:

* the sandbox (:func:`sandbox_filter`): every jailed child installs it last, just before the
  student's code runs. It refuses what no exercise needs and what could reach outside the jail:
  sockets of any kind (a socket pair stays possible), signals to any process but the child's own
  (``kill`` of another pid, ``kill(-1)``, ``pidfd_send_signal``), ``ptrace`` and reading another
  process's memory, new namespaces, mounts and ``chroot``, kernel keyrings, BPF, perf events,
  io_uring (whose operations seccomp cannot see) and loading kernel modules. It is one layer
  among several, and holds on hosts where the others (Landlock, namespaces) are missing.
* the tests (:func:`host_filter`): they install a filter that makes ``unshare`` or Landlock fail
  the way a restricted host does, then run the grader under it (``tests/grader/hosts.py``).

Filters are classic BPF programs over ``struct seccomp_data``; x86-64 and AArch64 are known, and
any other architecture (32-bit and x32 system calls on x86-64 included) kills the process.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct

# struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
NR, ARCH, ARG0 = 0, 4, 16
AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
X32_SYSCALL_BIT = 0x40000000
RET_KILL_PROCESS, RET_ALLOW, RET_ERRNO = 0x80000000, 0x7FFF0000, 0x00050000
LD_W_ABS, JEQ, JGE, JSET, RET, JA = 0x20, 0x15, 0x35, 0x45, 0x06, 0x05
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
ALL_NAMESPACES = (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID
                  | CLONE_NEWNET)

# System call numbers: x86-64 (asm/unistd_64.h) and AArch64 (asm-generic/unistd.h).
SYSCALLS = {
    "x86_64": {
        "socket": 41, "kill": 62, "tkill": 200, "tgkill": 234, "rt_sigqueueinfo": 129, "rt_tgsigqueueinfo": 297,
        "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "perf_event_open": 298, "bpf": 321, "userfaultfd": 323, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "keyctl": 250, "add_key": 248, "request_key": 249,
        "unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161,
        "open_by_handle_at": 304, "name_to_handle_at": 303, "kexec_load": 246, "kexec_file_load": 320,
        "init_module": 175, "finit_module": 313, "delete_module": 176, "reboot": 169, "swapon": 167,
        "swapoff": 168, "acct": 163, "quotactl": 179, "clone": 56, "clone3": 435, "open_tree": 428,
        "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
        "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446,
    },
    "aarch64": {
        "socket": 198, "kill": 129, "tkill": 130, "tgkill": 131, "rt_sigqueueinfo": 138, "rt_tgsigqueueinfo": 240,
        "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438, "ptrace": 117, "process_vm_readv": 270,
        "process_vm_writev": 271, "perf_event_open": 241, "bpf": 280, "userfaultfd": 282, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "keyctl": 219, "add_key": 217, "request_key": 218,
        "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51,
        "open_by_handle_at": 265, "name_to_handle_at": 264, "kexec_load": 104, "kexec_file_load": 294,
        "init_module": 105, "finit_module": 273, "delete_module": 106, "reboot": 142, "swapon": 224,
        "swapoff": 225, "acct": 89, "quotactl": 60, "clone": 220, "clone3": 435, "open_tree": 428,
        "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433, "mount_setattr": 442,
        "landlock_create_ruleset": 444, "landlock_add_rule": 445, "landlock_restrict_self": 446,
    },
}

# What a jailed child may never do (EPERM), beyond the calls checked argument by argument below.
SANDBOX_DENIED = ("tkill", "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "ptrace", "process_vm_readv",
                  "process_vm_writev", "perf_event_open", "bpf", "userfaultfd", "io_uring_setup", "io_uring_enter",
                  "io_uring_register", "keyctl", "add_key", "request_key", "unshare", "setns", "mount", "umount2",
                  "pivot_root", "chroot", "open_by_handle_at", "name_to_handle_at", "kexec_load", "kexec_file_load",
                  "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl",
                  "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr")


def machine() -> str | None:
    """``"x86_64"`` or ``"aarch64"`` when filters can be built here, else None."""
    name = platform.machine().lower()
    name = {"amd64": "x86_64", "arm64": "aarch64"}.get(name, name)
    return name if name in SYSCALLS and os.name == "posix" and platform.system() == "Linux" else None


class Program:
    """A small BPF assembler: instructions with symbolic jump targets, resolved by :meth:`bytes`."""

    def __init__(self):
        self.code: list = []  # (opcode, jt, jf, k) with jt/jf labels or None, or ("label", name)

    def label(self, name: str) -> None:
        self.code.append(("label", name))

    def load(self, offset: int) -> None:
        self.code.append((LD_W_ABS, None, None, offset))

    def ret(self, value: int) -> None:
        self.code.append((RET, None, None, value))

    def jump_if(self, op: int, k: int, target: str) -> None:
        """Jump to ``target`` when the accumulator ``op`` ``k`` (==, >=, & != 0); else go on."""
        self.code.append((op, target, None, k))

    def goto(self, target: str) -> None:
        self.code.append((JA, None, None, target))

    def bytes(self) -> bytes:
        positions, index = {}, 0
        for item in self.code:
            if item[0] == "label":
                positions[item[1]] = index
            else:
                index += 1
        out, index = [], 0
        for item in self.code:
            if item[0] == "label":
                continue
            op, jt, jf, k = item
            if op == JA:
                jt, jf, k = 0, 0, positions[k] - index - 1
            else:
                jt = positions[jt] - index - 1 if jt is not None else 0
                jf = positions[jf] - index - 1 if jf is not None else 0
                if not (0 <= jt < 256 and 0 <= jf < 256):
                    raise ValueError("a seccomp jump too long")
            out.append(struct.pack("<HBBI", op, jt, jf, k & 0xFFFFFFFF))
            index += 1
        return b"".join(out)


def _program(arch: str, build) -> bytes:
    """Check the architecture (kill on any other), load the call number, then ``build(p, nr)``."""
    p = Program()
    p.load(ARCH)
    p.jump_if(JEQ, AUDIT_ARCH[arch], "native")
    p.ret(RET_KILL_PROCESS)
    p.label("native")
    p.load(NR)
    if arch == "x86_64":
        p.jump_if(JGE, X32_SYSCALL_BIT, "kill")
    build(p, SYSCALLS[arch])
    p.ret(RET_ALLOW)
    p.label("kill")
    p.ret(RET_KILL_PROCESS)
    return p.bytes()


def _errno(code: int) -> int:
    return RET_ERRNO | code


def sandbox_filter(pid: int, arch: str | None = None) -> bytes:
    """The filter of a jailed child whose pid is ``pid`` (see the module docstring)."""
    arch = arch or machine()

    def build(p: Program, nr: dict) -> None:
        for name in SANDBOX_DENIED:
            p.jump_if(JEQ, nr[name], "eperm")
        p.jump_if(JEQ, nr["socket"], "eacces")
        p.jump_if(JEQ, nr["clone3"], "enosys")  # its flags are in memory, out of a filter's sight: libc falls back
        p.jump_if(JEQ, nr["clone"], "clone")
        p.jump_if(JEQ, nr["kill"], "kill_call")
        for name in ("tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
            p.jump_if(JEQ, nr[name], "own_group_only")
        p.goto("allow")
        p.label("clone")  # fork and threads, never a new namespace
        p.load(ARG0)
        p.jump_if(JSET, ALL_NAMESPACES, "eperm")
        p.goto("allow")
        p.label("kill_call")  # kill(0, s): own group; kill(pid, s) or kill(-pid, s): the child itself
        p.load(ARG0)
        p.jump_if(JEQ, 0, "allow")
        p.jump_if(JEQ, (-pid) & 0xFFFFFFFF, "allow")
        p.label("own_group_only")  # tgkill(tgid, ...), sigqueueinfo(tgid, ...): the child's own threads
        p.load(ARG0)
        p.jump_if(JEQ, pid, "allow")
        p.goto("eperm")
        p.label("eperm")
        p.ret(_errno(errno.EPERM))
        p.label("eacces")
        p.ret(_errno(errno.EACCES))
        p.label("enosys")
        p.ret(_errno(errno.ENOSYS))
        p.label("allow")

    return _program(arch, build)


def host_filter(userns: str, landlock: bool, arch: str | None = None) -> bytes:
    """A filter that makes this machine look like a restricted host, for the tests.

    ``userns``: ``"available"`` (nothing refused), ``"unavailable"`` (no namespace of any kind:
    ``unshare``/``clone`` with a namespace flag and ``mount`` fail with EPERM, as without
    CAP_SYS_ADMIN in a container or with user namespaces disabled) or ``"restricted"`` (a user
    namespace can be made, but no other namespace and no mount, as under Ubuntu 24.04's AppArmor
    restriction). ``landlock=False``: the three Landlock calls fail with EOPNOTSUPP, as on a
    kernel built without Landlock or booted with it disabled."""
    arch = arch or machine()
    refused = {"available": 0, "unavailable": ALL_NAMESPACES,
               "restricted": ALL_NAMESPACES & ~CLONE_NEWUSER}[userns]

    def build(p: Program, nr: dict) -> None:
        if not landlock:
            for name in ("landlock_create_ruleset", "landlock_add_rule", "landlock_restrict_self"):
                p.jump_if(JEQ, nr[name], "eopnotsupp")
        if refused:
            p.jump_if(JEQ, nr["unshare"], "flags")
            p.jump_if(JEQ, nr["clone"], "flags")
            p.jump_if(JEQ, nr["clone3"], "enosys")
            for name in ("setns", "mount", "pivot_root", "open_tree", "move_mount", "fsopen", "fsmount"):
                p.jump_if(JEQ, nr[name], "eperm")
        p.goto("allow")
        p.label("flags")
        p.load(ARG0)
        p.jump_if(JSET, refused or 1, "eperm")
        p.goto("allow")
        p.label("eperm")
        p.ret(_errno(errno.EPERM))
        p.label("eopnotsupp")
        p.ret(_errno(errno.EOPNOTSUPP))
        p.label("enosys")
        p.ret(_errno(errno.ENOSYS))
        p.label("allow")

    return _program(arch, build)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install(program: bytes) -> None:
    """Set no_new_privs and install ``program`` on this thread (and every child it makes later);
    raises OSError when the kernel refuses."""
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(NO_NEW_PRIVS)")
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(SECCOMP_MODE_FILTER)")
