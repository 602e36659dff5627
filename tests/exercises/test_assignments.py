"""Every assignment as nbgrader sees it: in sync, consistent with the checks, fully graded.

Must show (issue 5): the solution scores full marks under ``nbgrader autograde``; the released
blank notebook scores 0 with every cell still graded; each solution runs in under 60 seconds;
``exercises/`` is what ``nbgrader generate_assignment`` makes of ``solutions/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.checks import REGISTRY

from .conftest import ASSIGNMENTS, NOTEBOOKS, ROOT, SOLUTIONS, graded_cells, nbgrader

DECLARATION = re.compile(r'^check\("(\w+)",\s*(\w+)\)\s*$', re.MULTILINE)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)


def test_there_are_assignments():
    assert NOTEBOOKS, "no source notebooks under solutions/"


def test_exercises_in_sync(nbgrader_course):
    """``exercises/`` must be exactly the generated release: nobody edits it by hand."""
    fix = "run `python3 course.py exercises` to regenerate exercises/ from solutions/"
    for assignment in ASSIGNMENTS:
        made, committed = nbgrader_course / "exercises" / assignment, ROOT / "exercises" / assignment
        made_files = {p.relative_to(made) for p in made.rglob("*") if p.is_file()}
        committed_files = {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
        assert made_files == committed_files, \
            f"{assignment}: missing {sorted(map(str, made_files - committed_files))}, " \
            f"extra {sorted(map(str, committed_files - made_files))}; {fix}"
        stale = [str(f) for f in sorted(made_files) if (made / f).read_bytes() != (committed / f).read_bytes()]
        assert not stale, f"{assignment}: out of date: {stale}; {fix}"
    released = {p.name for p in (ROOT / "exercises").iterdir() if p.is_dir()}
    orphans = sorted(released - set(os.listdir(SOLUTIONS)))
    assert not orphans, f"exercises without a source: {orphans}"


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS)
def test_graded_cells_declare_their_check(assignment, notebook):
    """Each graded cell declares one check, named like the cell, worth exactly the cell's points;
    the grading command reads these declarations, so they must be well formed."""
    cells = graded_cells(SOLUTIONS / assignment / notebook)
    assert cells, f"{assignment}/{notebook} has no graded cell"
    for cell in cells:
        hidden = HIDDEN.search(cell["source"])
        assert hidden, f"graded cell {cell['grade_id']} has no hidden tests"
        declared = DECLARATION.findall(hidden.group(1))
        assert len(declared) == 1, f"graded cell {cell['grade_id']} must declare exactly one check"
        name, function = declared[0]
        # a bonus form of a function has a check (and a cell) of its own: gru_cell_forward_reset_after
        assert name == cell["grade_id"] and function == name.removesuffix("_reset_after"), \
            f"cell {cell['grade_id']} checks {name} on {function}"
        assert name in REGISTRY, f"no check named {name}"
        assert REGISTRY[name]().points == cell["points"], \
            f"{name}: the cell is worth {cell['points']} points, the check's parts add up to {REGISTRY[name]().points}"


@pytest.mark.skipif(bool(os.environ.get("AUTOGRADER_ASSIGNMENTS")), reason="only some assignments selected")
def test_every_check_is_used():
    used = {c["grade_id"] for a, nb in NOTEBOOKS for c in graded_cells(SOLUTIONS / a / nb)}
    assert set(REGISTRY) - used == set(), f"checks no notebook uses: {sorted(set(REGISTRY) - used)}"


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS)
def test_visible_code_does_not_use_the_package(assignment, notebook):
    """Students do not have ``autograder`` (it holds the references): outside the hidden tests a
    source notebook must not import it."""
    nb = json.loads((SOLUTIONS / assignment / notebook).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        visible = HIDDEN.sub("", "".join(cell["source"]))
        assert "autograder" not in visible, f"a visible cell of {notebook} mentions the autograder package"


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS)
def test_solution_runs_clean_and_fast(assignment, notebook, tmp_path):
    """The solution runs top to bottom with no error (visible tests pass, hidden checks give full
    marks) in under 60 seconds."""
    folder = tmp_path / assignment
    shutil.copytree(SOLUTIONS / assignment, folder)
    nb = nbformat.read(folder / notebook, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    elapsed = time.perf_counter() - start
    assert elapsed < 60, f"{notebook} took {elapsed:.1f} s; solutions must run in under 60 s"
    for cell in nb.cells:
        grade = cell.get("metadata", {}).get("nbgrader", {})
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{grade.get('grade_id')}: {out.get('ename')}: {out.get('evalue')}"
            assert not (out.output_type == "stream" and out.name == "stderr"), \
                f"{grade.get('grade_id')} wrote to stderr"
        if grade.get("grade"):
            results = [o for o in cell.outputs if o.output_type == "execute_result"]
            assert results and float(results[0].data["text/plain"]) == grade["points"], \
                f"{grade['grade_id']}: the solution did not score full marks"


@pytest.fixture(scope="module")
def autograded(nbgrader_course):
    """Submit, for every assignment, the solution (student ``solver``) and the released blank
    notebook (student ``blank``), and run ``nbgrader autograde``; return the gradebook."""
    from nbgrader.api import Gradebook

    for assignment in ASSIGNMENTS:
        for student, source in (("solver", "solutions"), ("blank", "exercises")):
            target = nbgrader_course / "submitted" / student / assignment
            shutil.copytree(nbgrader_course / source / assignment, target, dirs_exist_ok=True)
        nbgrader(nbgrader_course, "autograde", assignment, "--create", "--force")
    gradebook = Gradebook(f"sqlite:///{nbgrader_course / 'gradebook.db'}")
    yield gradebook
    gradebook.close()


def _grades(gradebook, assignment, notebook, student):
    submission = gradebook.find_submission_notebook(notebook.removesuffix(".ipynb"), assignment, student)
    return {g.name: (g.score, g.max_score) for g in submission.grades}


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS)
def test_nbgrader_gives_the_solution_full_marks(autograded, assignment, notebook):
    grades = _grades(autograded, assignment, notebook, "solver")
    assert grades, "no graded cells recorded"
    wrong = {name: g for name, g in grades.items() if g[0] != g[1]}
    assert not wrong, f"the solution lost points under nbgrader autograde: {wrong}"


@pytest.mark.parametrize("assignment,notebook", NOTEBOOKS)
def test_nbgrader_gives_the_blank_notebook_zero(autograded, assignment, notebook):
    grades = _grades(autograded, assignment, notebook, "blank")
    expected = {c["grade_id"] for c in graded_cells(SOLUTIONS / assignment / notebook)}
    assert set(grades) == expected, "every graded cell is still graded"
    scored = {name: g for name, g in grades.items() if g[0] != 0}
    assert not scored, f"the blank notebook scored points: {scored}"
