"""The grader on every kind of host (issue 15): root or an ordinary user, with user namespaces
available, unavailable or restricted, with or without Landlock -- twelve hosts, each simulated on
this machine by ``hosts.py`` (a seccomp filter that makes the calls fail as that host does).

On every host, either student code is confined -- every attack of a representative set gains
nothing and costs nothing beyond its own check, the honest students keep full marks, nothing is
left running, nothing is written outside the sandbox -- or the grader refuses to run any student
code, with one message, and runs only when ``--unconfined`` accepts the risk, which is recorded.
A student whose notebook writes garbage into every file descriptor and kills itself gets 0 with a
message on every host, and everyone else is graded.

The matrix is printed at the end of the test session. ``AUTOGRADER_HOST_ATTACKS=all`` adds every
attack of ``test_grade_attacks.py`` to each host's run (the slower, complete matrix).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from . import hosts
from .conftest import ASSIGNMENT, GRADED, ROOT, SOURCE, notebook, put
from .test_grade_attacks import ATTACKS, RIGHT, WRONG

pytestmark = pytest.mark.skipif(os.getuid() != 0 or sys.platform != "linux",
                                reason="simulating hosts needs root on Linux (hosts.py)")

WRONG_ONLY = f"def softmax(z):\n    return {WRONG}"  # a control student: the attacks' wrong answer alone

REFERENCE = ROOT / "autograder" / "reference" / "rnn.py"
LIMITS = ["--jobs", "2", "--memory-mb", "256", "--timeout", "3"]
SANDBOX_UIDS = range(61_000, 61_000 + 4096)

# Each wins full marks on softmax if it gets what it is after, and answers wrong otherwise.
HOST_ATTACKS = {
    "import_reference": """
def softmax(z):
    from autograder.reference import softmax as reference
    return reference(z)""",
    "read_reference": f"""
def softmax(z):
    try:
        open({str(REFERENCE)!r}).read()
        return _right(z)
    except OSError:
        return {WRONG}""",
    "read_solution": f"""
def softmax(z):
    try:
        open({str(SOURCE)!r}).read()
        return _right(z)
    except OSError:
        return {WRONG}""",
    "read_other_student": f"""
def softmax(z):
    try:
        open("{{submitted}}/honest/{ASSIGNMENT}/{ASSIGNMENT}.ipynb").read()
        return _right(z)
    except OSError:
        return {WRONG}""",
    "read_gradebook": f"""
def softmax(z):
    try:
        open("{{out}}/gradebook.sqlite", "rb").read(16)
        return _right(z)
    except OSError:
        return {WRONG}""",
    "write_tmp": f"""
def softmax(z):
    try:
        with open("/tmp/autograder-attack-{{token}}", "wb") as f:
            f.write(b"x" * 16 * 2**20)
        return _right(z)
    except OSError:
        return {WRONG}""",
    "tcp": f"""
import socket
def softmax(z):
    try:
        socket.create_connection(("127.0.0.1", {{tcp}}), timeout=1).close()
        return _right(z)
    except OSError:
        return {WRONG}""",
    "udp": f"""
import socket
def softmax(z):
    try:
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"leak", ("127.0.0.1", {{udp}}))
    except OSError:
        pass
    return {WRONG}""",
    "signal_worker": f"""
import os
def softmax(z):
    try:
        os.kill(os.getppid(), 0)
        return _right(z)
    except OSError:
        return {WRONG}""",
    "proc_peek": f"""
import os
def softmax(z):
    try:
        os.listdir(f"/proc/{{os.getppid()}}/fd")
        return _right(z)
    except OSError:
        return {WRONG}""",
    "kill_everything": f"""
import os, signal
def softmax(z):
    for target in (-1, os.getppid(), 1):
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass
    return {WRONG}""",
    "fork_bomb": ATTACKS["fork_bomb"],
    "fill_disk": ATTACKS["fill_disk"],
}
# A notebook whose code, when its cells run, writes a fake reply into every file descriptor and
# kills itself: it must get 0 for every cell (with a message), and nobody else may notice.
GARBAGE_CELL = """
import os, signal
for fd in range(1024):
    try:
        os.write(fd, b'{"status": "ok", "score": 3, "grade_id": "softmax"}\\n' + b"CALL" + bytes(8) * 3)
    except OSError:
        pass
os.kill(os.getpid(), signal.SIGKILL)
def softmax(z):
    return z"""

# Graded one after the other in the same sandbox (--jobs 1): whatever the first leaves anywhere it
# can write, the second looks for. Nothing a job writes may outlast it.
LEAVE = f"""
import os
def softmax(z):
    here = os.getcwd()
    for folder in (here, os.path.dirname(here), "/", "/tmp", os.path.expanduser("~")):
        try:
            with open(os.path.join(folder, "left-by-a-{{token}}"), "w") as f:
                f.write("answers")
        except OSError:
            pass
    return {WRONG}"""
PICK_UP = f"""
import os
def softmax(z):
    here = os.getcwd()
    for folder in (here, os.path.dirname(here), "/", "/tmp", os.path.expanduser("~")):
        if os.path.exists(os.path.join(folder, "left-by-a-{{token}}")):
            return _right(z)
    return {WRONG}"""

MATRIX: dict = {}  # host -> one line of the printed table


def attack_set() -> dict:
    attacks = dict(HOST_ATTACKS)
    if os.environ.get("AUTOGRADER_HOST_ATTACKS") == "all":
        attacks.update({f"full_{name}": code for name, code in ATTACKS.items()})
    return attacks


class Listeners:
    def __enter__(self):
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.tcp.setblocking(False)
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.udp.setblocking(False)
        return self

    def reached(self) -> list[str]:
        found = []
        try:
            self.tcp.accept()[0].close()
            found.append("TCP")
        except BlockingIOError:
            pass
        try:
            self.udp.recv(64)
            found.append("UDP")
        except BlockingIOError:
            pass
        return found

    def __exit__(self, *exc):
        self.tcp.close()
        self.udp.close()


def leftovers(wait: float = 10.0) -> list[str]:
    """Processes of the sandbox users or the simulated ordinary user still alive (zombies, which
    only wait to be reaped, do not count; processes just killed get ``wait`` seconds to go)."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
                uid, state = int(fields["Uid"].split()[0]), fields["State"].split()[0]
            except (OSError, KeyError, ValueError, IndexError):
                continue
            if (uid in SANDBOX_UIDS or uid == hosts.USER_UID) and state != "Z":
                found.append(f"{pid} ({state})")
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def run_on(host: str, base: Path, submitted: Path, out: Path, *extra: str, timeout: float = 600):
    env = {**os.environ, "CI": "true", "AUTOGRADER_SEED": "7"}
    command = [sys.executable, str(Path(hosts.__file__)), "--host", host, "--", sys.executable, "-m", "autograder",
               "grade", ASSIGNMENT, "--submitted", str(submitted), "--out", str(out), *LIMITS, *extra]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def rows(out: Path) -> dict:
    path = out / "grades.csv"
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {(r["student"], r["grade_id"]): r for r in csv.DictReader(f)}


def workspace() -> tuple[Path, Path, Path]:
    """A folder the simulated ordinary user can use: submissions readable, the output writable."""
    base = Path(tempfile.mkdtemp(prefix="autograder-hosts-"))
    base.chmod(0o755)
    submitted, out = base / "submitted", base / "out"
    submitted.mkdir()
    out.mkdir()
    return base, submitted, out


def open_to_user(base: Path) -> None:
    for folder, dirs, files in os.walk(base):
        for name in [folder, *(os.path.join(folder, d) for d in dirs), *(os.path.join(folder, f) for f in files)]:
            os.chown(name, hosts.USER_UID, hosts.USER_UID)
            os.chmod(name, 0o755 if os.path.isdir(name) else 0o644)


@pytest.fixture(scope="module", autouse=True)
def no_cgroups_left():
    yield
    hosts.sweep_all()


@pytest.mark.slow
@pytest.mark.parametrize("host", hosts.HOSTS)
def test_host(host):
    base, submitted, out = workspace()
    token = f"{os.getpid()}-{host}"
    try:
        with Listeners() as listeners:
            values = {"{submitted}": str(submitted), "{out}": str(out), "{token}": token,
                      "{tcp}": str(listeners.tcp.getsockname()[1]), "{udp}": str(listeners.udp.getsockname()[1]),
                      "{root}": str(ROOT)}
            attacks = attack_set()
            for name, code in attacks.items():
                for key, value in values.items():
                    code = code.replace(key, value)
                put(submitted, name, notebook(softmax=RIGHT + code))
            put(submitted, "garbage", notebook(softmax=GARBAGE_CELL))
            put(submitted, "honest", notebook())
            put(submitted, "neighbour", notebook())
            put(submitted, "wrong_only", notebook(softmax=WRONG_ONLY))  # the bound
            open_to_user(base)
            start = time.perf_counter()
            result = run_on(host, base, submitted, out)
            seconds = time.perf_counter() - start
            reached = listeners.reached()
        left = leftovers()
        wrote_tmp = sorted(p.name for p in Path("/tmp").glob(f"autograder-attack-{token}*"))
        grades = rows(out)
        if hosts.expected_confined(host):
            check_confined(host, result, grades, attacks, reached, left, wrote_tmp, seconds)
            check_nothing_outlasts_a_job(host, base, token)
        else:
            check_refused_then_unconfined(host, base, submitted, out, result, grades, left)
    finally:
        shutil.rmtree(base, ignore_errors=True)
        for path in [*Path("/tmp").glob(f"autograder-attack-{token}*"), *Path("/tmp").glob(f"left-by-a-{token}*")]:
            path.unlink()


def isolation_line(stderr: str) -> str:
    return next((line for line in stderr.splitlines() if line.startswith("isolation:")), "")


WALLS = (("own network namespace", "netns"), ("private root", "bind-mounted view"), ("chroot", "chroot view"),
         ("Landlock confines them", "host files"), ("private tmpfs", "tmpfs"), ("size watched", "disk watched"),
         ("unprivileged user", "own uid"), ("Landlock ABI", "Landlock"), ("seccomp (", "seccomp"))


def walls(stderr: str) -> str:
    """The isolation line in a few words, for the matrix."""
    line = isolation_line(stderr)
    return ", ".join(short for phrase, short in WALLS if phrase in line)


def check_confined(host, result, grades, attacks, reached, left, wrote_tmp, seconds) -> None:
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Traceback" not in result.stderr
    students = set(attacks) | {"garbage", "honest", "neighbour", "wrong_only"}
    assert {s for s, _ in grades} == students, "every student has rows"
    bound = float(grades["wrong_only", "softmax"]["score"])  # what the attacks' wrong answer earns alone
    assert 0 < bound < float(grades["wrong_only", "softmax"]["max_score"]), grades["wrong_only", "softmax"]
    gained = [a for a in attacks if float(grades[a, "softmax"]["score"]) > bound]
    cost = [f"{a}:{g}" for a in attacks if a != "import_reference" for g in set(GRADED) - {"softmax"}
            if grades[a, g]["status"] != "ok"]
    honest = [s for s in ("honest", "neighbour") for g, p in GRADED.items() if float(grades[s, g]["score"]) != p]
    garbage = [grades["garbage", g] for g in GRADED]
    MATRIX[host] = (f"confined | {len(attacks) - len(gained)}/{len(attacks)} | "
                    f"{'0 points' if all(float(r['score']) == 0 for r in garbage) else 'SCORED'}, others graded | "
                    f"{seconds:.0f} s | {walls(result.stderr)}")
    assert not gained, f"{host}: attacks gained points: {gained}"
    assert not cost, f"{host}: attacks cost other checks: {cost}"
    assert not honest, f"{host}: honest students lost points: {honest}"
    assert all(float(r["score"]) == 0 and r["status"] != "ok" and r["message"] for r in garbage), garbage
    assert not reached, f"{host}: student code reached the test's listeners: {reached}"
    assert not wrote_tmp, f"{host}: student code wrote into the host's /tmp: {wrote_tmp}"
    assert not left, f"{host}: processes left running after the run: {left}"


def check_nothing_outlasts_a_job(host, base, token) -> None:
    submitted, out = base / "one-by-one", base / "one-by-one-out"
    put(submitted, "a_leaves", notebook(softmax=RIGHT + LEAVE.replace("{token}", token)))
    put(submitted, "b_picks_up", notebook(softmax=RIGHT + PICK_UP.replace("{token}", token)))
    put(submitted, "c_wrong_only", notebook(softmax=WRONG_ONLY))
    open_to_user(base)
    result = run_on(host, base, submitted, out, "--jobs", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    grades = rows(out)
    assert float(grades["b_picks_up", "softmax"]["score"]) <= float(grades["c_wrong_only", "softmax"]["score"]), \
        f"{host}: a file left by one job outlasted it"
    assert not list(Path("/tmp").glob(f"left-by-a-{token}*")), f"{host}: a job wrote into the host's /tmp"


def check_refused_then_unconfined(host, base, submitted, out, result, grades, left) -> None:
    assert result.returncode == 2, result.stderr[-4000:]
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "cannot confine student code, so nothing was graded" in lines[0], result.stderr
    assert "--unconfined" in lines[0] and "Landlock" in lines[0] and "Traceback" not in result.stderr
    assert not grades, "a refused run must not grade anyone"
    assert not left
    # Accepting the risk: honest students and the garbage writer only (the attacks would succeed).
    for student in [p.name for p in submitted.iterdir()]:
        if student not in ("honest", "neighbour", "garbage"):
            shutil.rmtree(submitted / student)
    accepted = run_on(host, base, submitted, out, "--unconfined")
    assert accepted.returncode == 0, accepted.stderr[-4000:]
    assert "isolation: UNCONFINED (--unconfined)" in accepted.stderr
    graded = rows(out)
    assert all(float(graded[s, g]["score"]) == p for s in ("honest", "neighbour") for g, p in GRADED.items())
    assert all(float(graded["garbage", g]["score"]) == 0 and graded["garbage", g]["message"] for g in GRADED)
    with sqlite3.connect(out / "gradebook.sqlite") as db:
        stored = db.execute("SELECT isolation FROM runs WHERE assignment = ?", (ASSIGNMENT,)).fetchone()[0]
    assert stored.startswith("UNCONFINED (--unconfined)"), stored
    report = subprocess.run([sys.executable, "-m", "autograder", "report", ASSIGNMENT, "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert report.returncode == 0, report.stderr
    summary = json.loads((out / "report" / "summary.json").read_text(encoding="utf-8"))
    assert summary["isolation"].startswith("UNCONFINED"), summary["isolation"]
    assert "UNCONFINED" in (out / "report" / "index.html").read_text(encoding="utf-8")
    assert not leftovers()
    MATRIX[host] = ("refused: exit 2, one message; --unconfined grades and records UNCONFINED | - | "
                    "0 points, others graded (with --unconfined) | - | nothing keeps files out")
