"""Stage 3, check: turn one submission's sandboxed calls into scored rows.

The inputs and the reference's answers are computed once per run (:func:`make_plan`), in this
trusted process; the sandbox only ever sees the inputs. A call that hangs or crashes costs its own
check: the job is restarted without that check's remaining calls, so the rest of the notebook is
still graded.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np

from ..checks import get_check
from ..checks.harness import Outcome
from ..checks.spec import NOT_ATTEMPTED, NOT_ATTEMPTED_MESSAGE, Case, Check
from .load import Assignment, GradedCell, InstructorError, SourceNotebook, Submission
from .record import Part, Row
from .sandbox import Sandbox

WORKER_RETRIES = 2  # times a submission's calls are run again after the grader's worker (not the student) failed


@dataclass
class PlannedCheck:
    cell: GradedCell
    spec: Check
    cases: list[Case]
    wants: list


@dataclass
class Plan:
    assignment: Assignment
    seed: int
    checks: dict  # notebook name -> list[PlannedCheck]
    timeout: float | None


def make_plan(assignment: Assignment, seed: int, timeout: float | None = None) -> Plan:
    """Inputs and right answers of every check, from the run's seed (each check its own stream,
    so adding a check to a notebook does not change the others' inputs)."""
    checks = {}
    for nb in assignment.notebooks:
        planned = []
        for cell in nb.graded:
            try:
                spec = get_check(cell.check)
            except KeyError as error:
                raise InstructorError(f"{assignment.name}/{nb.name}: {error.args[0]}") from None
            if abs(spec.points - cell.points) > 1e-9:
                raise InstructorError(f"{assignment.name}/{nb.name}: cell {cell.grade_id} is worth {cell.points:g} "
                                      f"points but check {cell.check} adds up to {spec.points:g}")
            cases = spec.cases(np.random.default_rng([seed, zlib.crc32(cell.check.encode())]))
            planned.append(PlannedCheck(cell, spec, cases, [spec.reference_named(c) for c in cases]))
        checks[nb.name] = planned
    return Plan(assignment, seed, checks, timeout)


def rows_for(sub: Submission, source: SourceNotebook, assignment: str, status: str, message: str) -> list[Row]:
    """Zero for every graded cell, with one status and message (missing or invalid notebooks)."""
    return [Row(sub.student, assignment, source.name, c.grade_id, 0.0, c.points, status, message)
            for c in source.graded]


def grade_submission(sandbox: Sandbox, plan: Plan, source: SourceNotebook,
                     sub: Submission) -> tuple[list[Row], list[Part], str]:
    """Rows for every graded cell of one submission, their parts, and the isolation in force."""
    name = plan.assignment.name
    if sub.status != "ok":
        return rows_for(sub, source, name, sub.status, sub.message), [], ""
    cells = [("setup" if kind == "source" else f"cell {value}", value if kind == "source" else sub.code.get(value, ""))
             for kind, value in source.steps]
    planned = plan.checks[source.name]
    requests = [(g, c) for g, p in enumerate(planned) for c in range(len(p.cases))]
    outcomes: dict = {}
    cell_errors: list = []
    isolation = ""
    pending = requests
    retries = WORKER_RETRIES
    for _ in range(len(planned) + 1 + WORKER_RETRIES):
        if not pending:
            break
        calls = [{"function": planned[g].cell.function, "args": planned[g].cases[c].args,
                  "kwargs": planned[g].cases[c].kwargs, "timeout": plan.timeout or planned[g].spec.timeout}
                 for g, c in pending]
        result = sandbox.run(cells, calls)
        isolation = isolation or result.isolation
        cell_errors = cell_errors or result.cell_errors
        for request, outcome in zip(pending, result.outcomes):
            outcomes[request] = outcome
        pending = pending[len(result.outcomes):]
        if pending and result.worker_failed and retries:  # the grader's fault: the same calls again
            retries -= 1
            continue
        if pending:  # the child died or was killed at pending[0]: that check loses its remaining calls
            failed = pending[0][0]
            failure = result.failure or Outcome("error", message="the worker stopped without an answer")
            if result.failure is not None and result.before_calls:
                failed = None  # the notebook's own cells fail: every check would fail the same way
            for request in pending:
                if failed is None or request[0] == failed:
                    outcomes[request] = failure
            pending = [r for r in pending if failed is not None and r[0] != failed]
    for request in pending:
        outcomes[request] = Outcome("error", message="not graded: the worker failed repeatedly")
    rows, parts = [], []
    for g, p in enumerate(planned):
        result = p.spec.score(p.cases, [outcomes[(g, c)] for c in range(len(p.cases))], plan.seed, p.wants)
        message = result.message
        if result.status == "error" and "no function named" in message and cell_errors:
            own = next((e for e in cell_errors if e.startswith(f"cell {p.cell.function}_code:")), None)
            if own and NOT_ATTEMPTED in own:  # the answer cell is still nbgrader's bare placeholder
                message = (f"{NOT_ATTEMPTED_MESSAGE}: its answer cell still raises NotImplementedError (write the "
                           "function in place of the placeholder)")
            else:
                message = f"{message.split(' [case')[0]}; the notebook's code failed: {own or cell_errors[0]}"
        rows.append(Row(sub.student, name, source.name, p.cell.grade_id, result.score, result.max_score,
                        result.status, message))
        parts += [Part(sub.student, name, source.name, p.cell.grade_id, r.part, r.score, r.max_score, r.status,
                       r.message) for r in result.parts]
    if sub.notes:
        notes = "; ".join(sub.notes)
        rows = [replace(r, message=f"{r.message} ({notes})") for r in rows]
    return rows, parts, isolation

