"""Stage 1, load: what to grade (from the trusted source notebook) and what was handed in.

Everything about grading -- which cells are graded, their points, which check each runs -- is read
from ``solutions/<assignment>/`` only. From a submission the grader takes nothing but the code of
the solution cells, matched to the source by nbgrader's ``grade_id``; every other cell (imports,
helpers) is taken from the source, and test cells are never taken from the submission, so
editing points, tests or metadata in a submitted notebook changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DECLARATION = re.compile(r'^\s*check\(\s*"(\w+)"\s*,\s*(\w+)\s*\)\s*$', re.MULTILINE)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
# Locked cells the grader does not run: visible tests and demonstrations (by grade_id suffix).
SKIPPED_SUFFIXES = ("_visible", "_demo")
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


class InstructorError(Exception):
    """A problem on the instructor's side (unknown assignment, unreadable folder): stop the run."""


@dataclass(frozen=True)
class GradedCell:
    """A graded cell of the source notebook: its id, points and the check it declares."""
    grade_id: str
    points: float
    check: str
    function: str


@dataclass(frozen=True)
class SourceNotebook:
    """The trusted notebook: ``steps`` is the code to run in order, each ``("source", code)`` (a
    locked cell, taken from here) or ``("solution", grade_id)`` (the student's cell)."""
    name: str
    steps: tuple
    graded: tuple  # of GradedCell
    solution_ids: frozenset


@dataclass(frozen=True)
class Assignment:
    name: str
    folder: Path
    notebooks: tuple  # of SourceNotebook

    @property
    def fingerprint(self) -> str:
        """A hash of the source notebooks: a changed source invalidates earlier grades."""
        digest = hashlib.sha256()
        for nb in self.notebooks:
            digest.update(repr((nb.name, nb.steps, nb.graded)).encode())
        return digest.hexdigest()[:16]


def load_assignment(solutions: Path, name: str) -> Assignment:
    """Read ``solutions/<name>/*.ipynb``; :class:`InstructorError` if it is missing or unusable."""
    folder = Path(solutions) / name
    if not re.fullmatch(r"[\w.-]+", name) or not folder.is_dir():
        known = sorted(p.name for p in Path(solutions).iterdir() if p.is_dir()) if Path(solutions).is_dir() else []
        raise InstructorError(f"unknown assignment {name!r}: no folder {folder}"
                              + (f" (known: {', '.join(known)})" if known else ""))
    notebooks = []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InstructorError(f"cannot read source notebook {path}: {error}") from None
        notebooks.append(_source_notebook(path, nb))
    if not notebooks:
        raise InstructorError(f"assignment {name!r} has no notebook in {folder}")
    return Assignment(name, folder, tuple(notebooks))


def _source_notebook(path: Path, nb: dict) -> SourceNotebook:
    steps, graded, solution_ids = [], [], set()
    for index, cell in enumerate(nb.get("cells", [])):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = "".join(cell.get("source", []))
        grade_id = meta.get("grade_id")
        if cell.get("cell_type") != "code":
            continue
        if meta.get("grade"):
            hidden = HIDDEN.search(source)
            declared = DECLARATION.findall(hidden.group(1)) if hidden else []
            if len(declared) != 1:
                raise InstructorError(f"{path}: graded cell {grade_id or index} must declare exactly one "
                                      'check("name", function) between the hidden-test markers')
            graded.append(GradedCell(grade_id, float(meta.get("points", 0)), *declared[0]))
        elif meta.get("solution"):
            if not grade_id:
                raise InstructorError(f"{path}: solution cell {index} has no grade_id")
            steps.append(("solution", grade_id))
            solution_ids.add(grade_id)
        elif not (grade_id or "").endswith(SKIPPED_SUFFIXES):
            steps.append(("source", source))
    if not graded:
        raise InstructorError(f"{path}: no graded cell")
    return SourceNotebook(path.stem, tuple(steps), tuple(graded), frozenset(solution_ids))


# ---------------------------------------------------------------- submissions

@dataclass
class Submission:
    """One student's hand-in of one notebook: ``code`` maps solution grade_ids to the student's
    code; ``status``/``message`` say why there is nothing to run (``missing``, ``invalid``)."""
    student: str
    notebook: str
    path: Path | None
    code: dict = field(default_factory=dict)
    status: str = "ok"
    message: str = ""
    notes: list = field(default_factory=list)  # problems that do not stop grading
    digest: str = ""


def student_folders(submitted: Path) -> list[Path]:
    """Every student folder in ``submitted`` (nbgrader's ``submitted/<student>/``)."""
    submitted = Path(submitted)
    if not submitted.is_dir():
        raise InstructorError(f"the submissions folder {submitted} does not exist or is not a folder")
    try:
        return sorted(p for p in submitted.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as error:
        raise InstructorError(f"cannot read the submissions folder {submitted}: {error}") from None


def find_submissions(student_dir: Path, assignment: Assignment) -> list[Submission]:
    """The student's submission of every notebook of the assignment (one each, possibly missing
    or invalid); never raises for anything inside the student's folder."""
    student = student_dir.name
    folder = student_dir / assignment.name
    found = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    out = []
    for source in assignment.notebooks:
        expected = folder / f"{source.name}.ipynb"
        if not folder.is_dir():
            out.append(Submission(student, source.name, None, status="missing",
                                  message=f"no folder {assignment.name}/ in {student}/"))
            continue
        if expected.is_file():
            path = expected
        elif len(assignment.notebooks) == 1 and len(found) == 1:
            path = found[0]  # renamed notebook: the only one there is the submission
        elif not found:
            out.append(Submission(student, source.name, None, status="missing",
                                  message=f"no notebook in {student}/{assignment.name}/ (expected {expected.name})"))
            continue
        else:
            names = ", ".join(p.name for p in found)
            out.append(Submission(student, source.name, None, status="invalid",
                                  message=f"{student}/{assignment.name}/ holds {len(found)} notebooks ({names}) "
                                          f"and none is named {expected.name}; keep exactly one"))
            continue
        sub = read_submission(path, source, student)
        if path != expected:
            sub.notes.append(f"graded {path.name} (expected the name {expected.name})")
        out.append(sub)
    return out


def read_submission(path: Path, source: SourceNotebook, student: str = "") -> Submission:
    """The solution-cell code of a submitted notebook, or an ``invalid`` submission whose message
    names the file and the problem."""
    sub = Submission(student, source.name, path)
    where = f"{path.parent.parent.name}/{path.parent.name}/{path.name}"
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return _invalid(sub, f"{where} is {size / 2**20:.0f} MB; a notebook over "
                                 f"{MAX_NOTEBOOK_BYTES // 2**20} MB is not graded")
        raw = path.read_bytes()
    except OSError as error:
        return _invalid(sub, f"{where} cannot be read: {error.strerror or error}")
    sub.digest = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        return _invalid(sub, f"{where} is empty")
    try:
        nb = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return _invalid(sub, f"{where} is not a notebook (binary data, not UTF-8 text)")
    except ValueError as error:
        return _invalid(sub, f"{where} is not valid JSON ({error})")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return _invalid(sub, f"{where} is not a Jupyter notebook (no list of cells)")
    if nb.get("nbformat") != 4:
        return _invalid(sub, f"{where} has notebook format version {nb.get('nbformat')!r}; expected 4 "
                             "(save it with a current JupyterLab)")
    current, added_first = None, []  # cells the student added run after the answer cell above them
    for index, cell in enumerate(nb["cells"]):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        nbgrader = meta.get("nbgrader") if isinstance(meta.get("nbgrader"), dict) else None
        text = cell.get("source", "")
        text = "".join(text) if isinstance(text, list) and all(isinstance(t, str) for t in text) else text
        if not isinstance(text, str):
            return _invalid(sub, f"{where}: code cell {index} has no readable source")
        if nbgrader is None:  # a cell the student added
            if current is None:
                added_first.append(text)
            else:
                sub.code[current] += "\n\n" + text
            continue
        grade_id = nbgrader.get("grade_id")
        if grade_id in source.solution_ids and grade_id not in sub.code:
            current = grade_id
            sub.code[grade_id] = text
    if added_first and sub.code:
        first = next(iter(sub.code))
        sub.code[first] = "\n\n".join(added_first + [sub.code[first]])
    deleted = sorted(source.solution_ids - sub.code.keys())
    if deleted and len(deleted) == len(source.solution_ids):
        return _invalid(sub, f"{where} has none of the assignment's answer cells "
                             f"({', '.join(deleted)}); was it made from this assignment's notebook?")
    if deleted:
        sub.notes.append(f"answer cells deleted: {', '.join(deleted)}")
    return sub


def _invalid(sub: Submission, message: str) -> Submission:
    sub.status, sub.message = "invalid", message
    return sub
