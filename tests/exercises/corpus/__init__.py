"""A corpus of realistic wrong implementations of the graded functions (issue 13).

Each module ``aNN.py`` (one per assignment) lists :class:`Entry`\\ s: a whole implementation of one
graded function with the bug(s) students really make, written for this course from scratch, and a
regular expression that a message must match to *name* the bug. :func:`grade_corpus` hands every
entry to the real grader as one student (the solution notebook with that function's answer cell
replaced by the entry's source, everything else right), and reports, per function, how many
entries lost points and how many got a message that names their bug.
"""

from __future__ import annotations

import copy
import csv
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MODULES = {"03-rnn-forward": "a03", "04a-loss-and-cell": "a04", "04b-bptt": "a04", "08-gru": "a08", "09-lstm": "a09"}


@dataclass(frozen=True)
class Entry:
    function: str  # the graded function (its answer cell is <function>_code)
    name: str      # a short identifier, unique within the assignment
    bug: str       # the bug, in words
    names: str     # a regular expression (case-insensitive): a message naming the bug matches it
    source: str    # the student's whole answer cell: the function (and any helper it defines)

    def __post_init__(self):
        re.compile(self.names)


def graded_functions(assignment: str) -> set[str]:
    """The functions the assignment's source notebook grades (``check("name", function)``)."""
    nb = json.loads((ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    found = set()
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            found |= set(re.findall(r'check\("[^"]+",\s*(\w+)\)', "".join(cell["source"])))
    return found


def entries(assignment: str) -> list[Entry]:
    """The corpus entries of the functions this assignment grades (one module may serve two
    assignments that split a chapter's exercise)."""
    module = importlib.import_module(f"{__name__}.{MODULES[assignment]}")
    functions = graded_functions(assignment)
    found = [e for e in module.ENTRIES if e.function in functions]
    names = [e.name for e in found]
    assert len(names) == len(set(names)), f"{assignment}: two corpus entries share a name"
    return found


def held_out(assignment: str) -> list[Entry]:
    """The held-out entries (``holdout.py``: written after the diagnosis was tuned on the corpus,
    to measure how it generalises) of the functions this assignment grades."""
    from .holdout import ENTRIES

    functions = graded_functions(assignment)
    return [e for e in ENTRIES.get(assignment, []) if e.function in functions]


def _notebook(assignment: str, answers: dict[str, str]) -> dict:
    source = ROOT / "solutions" / assignment / f"{assignment}.ipynb"
    nb = copy.deepcopy(json.loads(source.read_text(encoding="utf-8")))
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("_code") and grade_id[:-5] in answers:
            cell["source"] = answers[grade_id[:-5]]
    return nb


@dataclass
class Graded:
    entry: Entry
    score: float
    max_score: float
    status: str
    message: str

    @property
    def lost_points(self) -> bool:
        return self.score < self.max_score

    @property
    def named(self) -> bool:
        return bool(re.search(self.entry.names, self.message, re.IGNORECASE))


def grade_corpus(assignment: str, found: list[Entry] | None = None, jobs: int = 2,
                 timeout: float = 5) -> list[Graded]:
    """Grade every entry as one student with the real grader (sandboxed, bounded limits)."""
    found = entries(assignment) if found is None else found
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        submitted, out = Path(tmp) / "submitted", Path(tmp) / "out"
        for entry in found:
            folder = submitted / entry.name / assignment
            folder.mkdir(parents=True)
            nb = _notebook(assignment, {entry.function: entry.source})
            (folder / f"{assignment}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        env = {**os.environ, "CI": "true", "AUTOGRADER_SEED": "13"}
        result = subprocess.run([sys.executable, "-m", "autograder", "grade", assignment, "--submitted",
                                 str(submitted), "--out", str(out), "--jobs", str(jobs), "--memory-mb", "512",
                                 "--timeout", str(timeout)], capture_output=True, text=True, env=env, cwd=ROOT,
                                timeout=1800)
        assert result.returncode == 0, result.stderr[-3000:]
        with open(out / "grades.csv", newline="", encoding="utf-8") as f:
            rows = {(r["student"], r["grade_id"]): r for r in csv.DictReader(f)}
    graded = []
    for entry in found:  # the function's cell, and its bonus cell if it has one (08's reset-after form)
        mine = [r for (student, grade_id), r in rows.items()
                if student == entry.name and grade_id in (entry.function, entry.function + "_reset_after")]
        failed = [r for r in mine if float(r["score"]) < float(r["max_score"])] or mine
        graded.append(Graded(entry, sum(float(r["score"]) for r in mine), sum(float(r["max_score"]) for r in mine),
                             failed[0]["status"], " | ".join(r["message"] for r in failed)))
    return graded


def table(graded: list[Graded]) -> str:
    """Per function: entries, how many lost points, how many were named, the share named."""
    lines = ["| function | entries | lost points | named | share named |", "|---|---|---|---|---|"]
    functions = list(dict.fromkeys(g.entry.function for g in graded))
    for function in functions:
        mine = [g for g in graded if g.entry.function == function]
        named = sum(g.named for g in mine)
        lines.append(f"| {function} | {len(mine)} | {sum(g.lost_points for g in mine)} | {named} | "
                     f"{named / len(mine):.0%} |")
    return "\n".join(lines)
