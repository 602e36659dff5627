"""How well this host can confine student code, tested before any student code runs.

:func:`check_host` starts one sandbox whose zygote builds every wall the host allows
(:mod:`autograder.grader.zygote`) and runs a **probe**: a child jailed exactly like a student's,
which tries to read the hidden references, the solutions, the submissions and a canary file of the
grader's, to write outside its folder, to reach a TCP and a UDP listener the grader opens on
127.0.0.1, and to signal the grader and the zygote. When the host has no mount namespace and no
Landlock but the grader is root, the probe is repeated inside a ``chroot`` view made by
:func:`build_view_tree`. If the probe still gets anywhere, the grader refuses to run student code
(:class:`HostNotConfined`, one message saying what is missing and what to do), unless the
instructor accepts the risk with ``--unconfined``, which is recorded with the run.

What a run had is :class:`Isolation`: stored in the gradebook, logged, and shown in the report.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path

from .load import InstructorError
from .sandbox import Limits, Sandbox, SandboxError, Slot, read_only_paths

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "rnn.py"
UNCONFINED = "UNCONFINED"


class HostNotConfined(InstructorError):
    """The host cannot keep student code from the references and other students' work."""


@dataclass
class Isolation:
    """What confined student code in a run."""
    in_force: list[str] = field(default_factory=list)  # the walls and the child's jail, one line each
    breaches: list[str] = field(default_factory=list)  # what the probe managed (empty when confined)
    conf: dict = field(default_factory=dict)  # for the sandboxes: read-only paths, chroot tree, probe
    unconfined: bool = False  # --unconfined: run although the probe got out

    @property
    def summary(self) -> str:
        """One line for logs, the gradebook and the report."""
        if self.breaches:
            return f"{UNCONFINED} (--unconfined): student code could {'; '.join(self.breaches)}"
        return "confined: " + "; ".join(self.in_force)


class _Listeners:
    """A TCP and a UDP socket on 127.0.0.1 for the probe to try; the UDP one says if anything came."""

    def __enter__(self):
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(4)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.setblocking(False)
        return self

    def ports(self) -> tuple[int, int]:
        return self.tcp.getsockname()[1], self.udp.getsockname()[1]

    def udp_received(self) -> bool:
        try:
            self.udp.recv(64)
            return True
        except BlockingIOError:
            return False

    def __exit__(self, *exc):
        self.tcp.close()
        self.udp.close()


def _targets(solutions: Path, submitted: Path, out: Path, canary: Path, tcp: int, udp: int) -> dict:
    """What the probe tries: every kind of file that must stay out of reach, and the way out."""
    read = [str(REFERENCE), str(Path(solutions).resolve()), str(Path(submitted).resolve()), str(Path(out).resolve()),
            str(REFERENCE.parents[1]), str(canary), "/etc/passwd"]
    write = [str(canary.with_name("probe-wrote-here")), f"/tmp/autograder-probe-{secrets.token_hex(4)}"]
    return {"read": read, "write": write, "tcp": tcp, "udp": udp, "grader": os.getpid()}


def build_view_tree(base: Path) -> Path:
    """A copy of what student code may read (the standard library and NumPy, at their own paths)
    under ``base/view``, to ``chroot`` into where no mount namespace can be made. Owned by root,
    read-only to the sandbox users."""
    tree = Path(base) / "view"
    shutil.rmtree(tree, ignore_errors=True)
    for path in read_only_paths():
        source, target = Path(path), tree / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("tests"))
        elif source.is_file():
            shutil.copy2(source, target)
    tree.chmod(0o755)
    return tree


def check_host(solutions: Path, submitted: Path, out: Path, base: Path, limits: Limits,
               unconfined: bool = False, log=print, first_slot: int = 0) -> Isolation:
    """Probe this host's confinement (see the module docstring). Returns the :class:`Isolation` the
    sandboxes of the run must use; raises :class:`HostNotConfined` when student code would not be
    confined and ``unconfined`` is False."""
    canary = Path(base) / f"canary-{secrets.token_hex(4)}"
    canary.write_text("the grader's canary: student code must not read this\n")
    canary.chmod(0o644)
    try:
        with _Listeners() as listeners:
            conf = {"probe": _targets(solutions, submitted, out, canary, *listeners.ports())}
            ready = _probe(conf, limits, first_slot)
            walls = ready.get("walls", {})
            if _breached(ready) and ready.get("root") and not walls.get("view") and not ready.get("landlock"):
                log("no mount namespace and no Landlock here: confining student code with chroot instead")
                conf["view_tree"] = str(build_view_tree(base))
                ready = _probe(conf, limits, first_slot)
            breaches = _breaches(ready, listeners)
    finally:
        canary.unlink(missing_ok=True)
    conf.pop("probe")
    isolation = Isolation(in_force=list(ready.get("in_force", [])), breaches=breaches, conf=conf)
    if breaches and not unconfined:
        raise HostNotConfined(refusal(ready, breaches))
    isolation.unconfined = bool(breaches)
    return isolation


def _probe(conf: dict, limits: Limits, first_slot: int) -> dict:
    slot = Slot(first_slot, label="probe")
    sandbox = Sandbox(slot, limits, conf)
    try:
        sandbox.start()
        return sandbox.ready
    except SandboxError as error:
        raise InstructorError(f"the sandbox could not start on this machine: {error}") from None
    finally:
        sandbox.stop()
        slot.release()


def _breached(ready: dict) -> bool:
    return not isinstance(ready.get("probe"), list) or bool(ready["probe"])


def _breaches(ready: dict, listeners: _Listeners) -> list[str]:
    probe = ready.get("probe")
    if not isinstance(probe, list):
        return [f"not be confined: {probe}"]
    found = list(probe)
    if listeners.udp_received() and not any(b.startswith("UDP") for b in found):
        found.append("UDP to the grader's listener")
    return found


def refusal(ready: dict, breaches: list[str]) -> str:
    """The one message of a refused run: what the probe managed, what is missing, what to do."""
    walls = ready.get("walls", {})
    missing = []
    if not ready.get("landlock"):
        missing.append("Landlock (Linux 5.13 or newer, with Landlock among the enabled security modules)")
    if not walls.get("userns"):
        missing.append("user namespaces (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone, or "
                       "an AppArmor restriction such as Ubuntu 24.04's kernel.apparmor_restrict_unprivileged_userns)")
    elif not walls.get("mountns"):
        missing.append("mount and network namespaces inside a user namespace (restricted on this host)")
    if not ready.get("seccomp"):
        missing.append("seccomp filters")
    return ("this machine cannot confine student code, so nothing was graded: the grader's own probe, jailed as "
            f"a student's notebook would be, could {'; '.join(breaches[:6])}. Missing here: "
            f"{'; '.join(missing) or 'nothing the grader knows of'}. Do one of: run the grader as root (sudo), "
            "enable unprivileged user namespaces, grade in the course's container (instructor guide, 'Grading "
            "in a container'), or accept the risk with --unconfined (recorded in the gradebook and shown in the "
            "report).")
