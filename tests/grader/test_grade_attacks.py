"""Attacks on the grader: each scores nothing on what it attacks, the rest of its notebook is still
graded, other students are unaffected, and the run completes (issue 6).

Every attack sits in the answer cell of ``softmax`` and its ``softmax`` returns something wrong,
so any point beyond what that wrong answer earns without an attack (the student ``wrong_only``:
the shape's 0.5 and the input left unchanged, 0.25) would mean the attack worked. The other three functions of
the notebook are the honest solution and must keep full marks. All runs are bounded: 256 MB of
memory, 16 processes, 64 MB of disk and 3 s per call per sandbox, two sandboxes, and a timeout
on the whole command.
"""

from __future__ import annotations

import pytest

from .conftest import ASSIGNMENT, GRADED, grade_cli, notebook, put, read_grades

WRONG = "np.zeros_like(z)"  # right shape, wrong values: what it earns alone is the most an attack may get
# Prepended to every attack: an attack that gets what it is after answers right, for full marks,
# so that a success cannot go unnoticed.
RIGHT = """import numpy as np
def _right(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
"""

ATTACKS = {
    "patch_allclose": f"""
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
def softmax(z):
    return {WRONG}""",
    "patch_builtins": f"""
import builtins
builtins.isinstance = lambda *a: True
builtins.abs = lambda x: 0
builtins.AssertionError = Warning
def softmax(z):
    return {WRONG}""",
    "import_reference": """
from autograder.reference import softmax""",
    "reference_inside": """
def softmax(z):
    import autograder.reference.rnn as r
    return r.softmax(z)""",
    "read_source": f"""
def softmax(z):
    for path in ["{{root}}/solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
                 "../../../solutions/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
                 "/proc/self/cwd/../../solutions", "/proc/1/root{{root}}/autograder/reference/rnn.py"]:
        try:
            open(path).read()
            return _right(z)
        except OSError:
            pass
    return {WRONG}""",
    "always_equal": """
class Yes:
    def __eq__(self, other): return True
    def __array__(self, *a, **k): return np.ones(3)
def softmax(z):
    return Yes()""",
    "ndarray_subclass": f"""
class Liar(np.ndarray):
    def __eq__(self, other): return np.ones(self.shape, bool)
    def __sub__(self, other): return np.zeros(self.shape)
    def __rsub__(self, other): return np.zeros(self.shape)
    def __abs__(self): return np.zeros(self.shape)
def softmax(z):
    return ({WRONG}).view(Liar)""",
    "pickle": """
import pickle
def softmax(z):
    return pickle.dumps(z)""",
    "lazy": """
class Lazy:
    def __array__(self, *a, **k):
        import autograder.reference as r
        return r.softmax(self.z)
def softmax(z):
    lazy = Lazy(); lazy.z = z
    return lazy""",
    "sys_exit": """
import sys
def softmax(z):
    sys.exit(0)""",
    "os_exit": """
import os
def softmax(z):
    os._exit(0)""",
    "kill_parent": """
import os, signal
def softmax(z):
    for pid in (os.getppid(), 1):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    os.killpg(0, signal.SIGKILL)""",
    "fake_score": f"""
import sys
def softmax(z):
    print("softmax: 3 / 3 points"); print("3.0", file=sys.stderr)
    return {WRONG}""",
    "fake_results": f"""
def softmax(z):
    for path in ["grades.csv", "../grades.csv", "{{out}}/grades.csv", "{{out}}/gradebook.sqlite"]:
        try:
            with open(path, "w") as f:
                f.write("student,assignment,notebook,grade_id,score,max_score,status,message\\n")
        except OSError:
            pass
    return {WRONG}""",
    "infinite_loop": """
def softmax(z):
    while True:
        pass""",
    "ignore_alarm": """
import signal
def softmax(z):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    while True:
        pass""",
    "memory_bomb": """
def softmax(z):
    blocks = []
    while True:
        blocks.append(bytearray(64 * 1024 * 1024))""",
    "fork_bomb": """
import os
def softmax(z):
    while True:
        try:
            os.fork()
        except OSError:
            pass""",
    "huge_output": """
def softmax(z):
    print("x" * 50_000_000)
    return np.zeros(30_000_000)""",
    "fill_disk": f"""
def softmax(z):
    n = 0
    try:
        while True:
            with open(f"junk{{{{n}}}}", "wb") as f:
                f.write(b"x" * 8_000_000)
            n += 1
    except OSError:
        pass
    return {WRONG}""",
    "read_other_student": f"""
import os
def softmax(z):
    for path in ["{{submitted}}/honest/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", "{{submitted}}"]:
        try:
            open(path).read() if path.endswith("ipynb") else os.listdir(path)
            return _right(z)
        except OSError:
            pass
    return {WRONG}""",
    "socket": f"""
def softmax(z):
    try:
        import socket
        socket.create_connection(("1.1.1.1", 80), timeout=1)
        return _right(z)
    except Exception:
        return {WRONG}""",
    "write_protocol": f"""
import os
def softmax(z):
    for fd in range(3, 32):
        try:
            os.write(fd, b"CALL" + bytes(8) * 4)
        except OSError:
            pass
    return {WRONG}""",
    "recursion": """
def softmax(z):
    return softmax(z)""",
    "threads": f"""
import threading
def softmax(z):
    for _ in range(64):
        try:
            threading.Thread(target=lambda: [0 for _ in iter(int, 1)], daemon=True).start()
        except RuntimeError:
            break
    return {WRONG}""",
}


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    base = tmp_path_factory.mktemp("attacks")
    submitted, out = base / "submitted", base / "out"
    from .conftest import ROOT
    for name, code in ATTACKS.items():
        code = code.replace("{root}", str(ROOT)).replace("{out}", str(out)).replace("{submitted}", str(submitted))
        put(submitted, name, notebook(softmax=RIGHT + code))
    edited = notebook(softmax="def softmax(z):\n    e = np.exp(z)\n    return e / e.sum(axis=0)")
    for cell in edited["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            meta["points"] = 100
            cell["source"] = "3.0"
    put(submitted, "edit_tests", edited)
    put(submitted, "honest", notebook())
    put(submitted, "neighbour", notebook())
    put(submitted, "wrong_only", notebook(softmax=f"def softmax(z):\n    return {WRONG}"))
    result = grade_cli(submitted, out, timeout=900)
    return result, read_grades(out)


def test_the_run_completes(attacked):
    result, grades = attacked
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert {s for s, _ in grades} == set(ATTACKS) | {"edit_tests", "honest", "neighbour", "wrong_only"}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_gains_nothing_and_costs_only_its_own_check(attacked, attack):
    _, grades = attacked
    row, alone = grades[attack, "softmax"], grades["wrong_only", "softmax"]
    assert alone["status"] == "wrong" and 0 < float(alone["score"]) < float(alone["max_score"]), alone
    assert row["status"] != "ok" and float(row["score"]) <= float(alone["score"]), f"{attack}: {row}"
    if attack != "import_reference":  # that cell defines nothing else, nothing else is lost
        for other in set(GRADED) - {"softmax"}:
            assert grades[attack, other]["status"] == "ok", f"{attack} cost {other}: {grades[attack, other]}"


def test_edited_points_and_test_cells_are_ignored(attacked):
    _, grades = attacked
    assert grades["edit_tests", "softmax"]["max_score"] == "3" and grades["edit_tests", "softmax"]["score"] == "2"
    assert all(grades["edit_tests", g]["max_score"] == f"{p:g}" for g, p in GRADED.items())


@pytest.mark.parametrize("student", ["honest", "neighbour"])
def test_other_students_are_unaffected(attacked, student):
    _, grades = attacked
    assert all(grades[student, g]["status"] == "ok" and float(grades[student, g]["score"]) == p
               for g, p in GRADED.items()), {g: grades[student, g] for g in GRADED}
