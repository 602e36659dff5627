"""The trusted side of a check: inputs, the reference's answer, partial credit and diagnostics.

A :class:`Check` belongs to one graded function. It makes test cases from a seeded generator,
asks the reference for the right answer, and scores a student's outcome (produced by
:mod:`autograder.checks.harness`, possibly in another process) part by part. Each
:class:`Part` is worth some points and passes only if it passes on every case. When a value is
wrong, the check compares it with the answers of known mistakes -- the reference run on altered
inputs, or a deliberately wrong formula -- and names the mistake it matches. Messages never
contain the reference's values.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .diagnose import (
    case_pattern,
    explain_arrangement,
    explain_core_mismatch,
    explain_error,
    explain_shape,
    explain_time,
    known_shapes,
    sizes_of,
)
from .harness import Outcome

RTOL, ATOL = 1e-6, 1e-9  # the stated tolerance: |student - reference| <= ATOL + RTOL |reference|
# The reference's whole answer for the case being judged (per thread), so that a wrong value can be
# recognised as the value of *another* output ("cache.h_prev holds h_next").
WHOLE_ANSWER: contextvars.ContextVar = contextvars.ContextVar("whole_answer", default=None)


@dataclass
class Case:
    """One call of the graded function. ``args``/``kwargs`` are plain data (arrays are float64)
    with harness markers; ``label`` describes the case in messages (sizes, never values)."""
    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)  # trusted-side extras (never sent to the student)


class Diagnosis(str):
    """A failure reason that names a known mistake (preferred over other reasons in reports)."""


class Hint(str):
    """A failure reason that says where the error is (which steps, which shapes) without naming
    one mistake: preferred over a bare "wrong", after a :class:`Diagnosis`."""


NOT_ATTEMPTED = "NotImplementedError"
NOT_ATTEMPTED_MESSAGE = "not attempted"  # how the one-line message of an unwritten function starts


@dataclass
class Mistake:
    """A known wrong answer: ``answer(case)`` is what the mistaken function returns (plain data, the
    structure of the reference's output; ``None`` when it does not apply to the case).
    ``switches``: the keyword arguments of the check's configurable model (``Check.simulate``)
    that make this mistake, so that two mistakes can be made at once (unless ``paired`` is off: a
    large family of slips, such as one gate's weights copied into another, is tried alone)."""
    name: str
    message: str
    answer: Callable[[Case], object]
    switches: dict | None = None
    paired: bool = True


@dataclass
class PartResult:
    part: str
    score: float
    max_score: float
    status: str  # ok, wrong, error, timeout, memory, invalid
    message: str = ""
    kind: str = ""  # "diagnosis", "hint", or "" for a plain failure
    reason: str = ""  # the message without the case it failed on


@dataclass
class CheckResult:
    """The result of one check: the parts and their sum, with the seed that made the inputs, and
    ``notes``: what the check says about the failures together (which gradients are right ...)."""
    name: str
    seed: int
    parts: list[PartResult]
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(p.score for p in self.parts), 6)

    @property
    def max_score(self) -> float:
        return round(sum(p.max_score for p in self.parts), 6)

    @property
    def status(self) -> str:
        """``ok`` at full marks; otherwise the most serious status among the failed parts."""
        failed = [p.status for p in self.parts if p.status != "ok"]
        for status in ("timeout", "memory", "error", "invalid", "wrong"):
            if status in failed:
                return status
        return "ok"

    @property
    def not_attempted(self) -> bool:
        """Every part failed because the placeholder still raises NotImplementedError."""
        failed = [p for p in self.parts if p.status != "ok"]
        return bool(failed) and len(failed) == len(self.parts) and all(
            p.status == "error" and NOT_ATTEMPTED in p.reason for p in failed)

    @property
    def message(self) -> str:
        """One line: every distinct diagnosis among the failed parts (then the hints, then the
        first plain failure), the check's notes, and how many other parts failed."""
        failed = [p for p in self.parts if p.status != "ok"]
        if not failed:
            return "all checks passed"
        if self.not_attempted:
            return (f"{NOT_ATTEMPTED_MESSAGE}: the function still raises NotImplementedError (write it in place of "
                    "the placeholder)")
        shown, seen = [], set()
        for kind in ("diagnosis", "hint"):
            for p in failed:
                core = p.reason.split(" is wrong: ", 1)[-1]  # "h is wrong: X" and "cache.h is wrong: X" say X once
                if p.kind == kind and core not in seen:
                    seen.add(core)
                    shown.append(p)
        if not shown:
            shown = [failed[0]]
        text = "; ".join(f"{p.part}: {p.message}" for p in shown)
        if self.notes:
            text += " -- " + "; ".join(self.notes)
        others = len(failed) - len(shown)
        return text + (f" (+{others} more)" if others else "")

    def report(self) -> str:
        lines = [f"{self.name}: {self.score:g} / {self.max_score:g} points  (random inputs, seed {self.seed})"]
        for p in self.parts:
            mark = "✓" if p.status == "ok" else "✗"
            lines.append(f"  {mark} {p.part:<28} {p.score:g}/{p.max_score:g}" + (f"  {p.message}" if p.message else ""))
        return "\n".join(lines)


# ---------------------------------------------------------------- looking inside plain outputs

def get(value, path: tuple):
    """``value[path[0]][path[1]]...``, or a ``LookupError`` with the part that is missing."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, (tuple, list)) or step >= len(value):
                raise LookupError(step)
        elif not isinstance(value, dict) or step not in value:
            raise LookupError(step)
        value = value[step]
    return value


def close(a, b, rtol: float = RTOL, atol: float = ATOL, equal_nan: bool = False) -> bool:
    """Same structure and shape, equal within the stated tolerance (NaN equals NaN only with
    ``equal_nan``, used to recognise a known mistake that overflows)."""
    if isinstance(b, np.ndarray) or isinstance(a, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind not in "biuf" or b.dtype.kind not in "biuf":
            return False
        with np.errstate(all="ignore"):
            return _allclose(a.astype(np.float64), b.astype(np.float64), rtol, atol, equal_nan)
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        return (isinstance(a, (int, float)) and not isinstance(a, bool)
                and _allclose(np.array(float(a)), np.array(float(b)), rtol, atol, equal_nan))
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(close(a[k], b[k], rtol, atol, equal_nan) for k in b)
    if isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and len(a) == len(b)
                and all(close(x, y, rtol, atol, equal_nan) for x, y in zip(a, b)))
    return type(a) is type(b) and a == b


def _allclose(a: np.ndarray, b: np.ndarray, rtol: float, atol: float, equal_nan: bool) -> bool:
    """``np.allclose`` written with array operators only: in a notebook kernel a student can rebind
    ``np.allclose`` or ``np.isclose``, but not the arithmetic of ``ndarray`` itself."""
    ok = (a - b).__abs__() <= atol + rtol * b.__abs__()
    if equal_nan:
        ok = ok | ((a != a) & (b != b))  # NaN test without np.isnan
    return bool(ok.all())


def shape_text(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def value_problem(name: str, got, want) -> str | None:
    """Why ``got`` is not ``want`` when it is about type, shape or finiteness; ``None`` if the
    two are comparable (then only the numbers differ)."""
    if isinstance(want, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"{name} is a {type(got).__name__}; expected a NumPy array"
        if got.shape != want.shape:
            hint = " (transposed?)" if got.shape == want.shape[::-1] and got.ndim > 1 else ""
            return f"{name} has shape {shape_text(got.shape)}; expected {shape_text(want.shape)}{hint}"
        if got.dtype.kind == "f" and not np.isfinite(got).all():
            bad = "NaN" if np.isnan(got).any() else "inf"
            return f"{name} contains {bad}"
        return None
    if isinstance(want, float):
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            return f"{name} is a {type(got).__name__}; expected a number"
        if not np.isfinite(got):
            return f"{name} is {got}"
    return None


def negated(got, want) -> bool:
    """``got`` is ``want`` with the sign flipped (and ``want`` is not zero)."""
    if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return want != 0 and close(float(got), -want)
    return (isinstance(got, np.ndarray) and isinstance(want, np.ndarray) and got.shape == want.shape
            and want.size >= 1 and np.abs(want).max() > 0 and close(got, -want))


def generic_hint(got, want) -> str | None:
    """Diagnose common slips from the numbers alone: off by one in time, a constant factor."""
    if not (isinstance(got, np.ndarray) and isinstance(want, np.ndarray) and got.shape == want.shape
            and got.dtype.kind == "f" and np.isfinite(got).all()):
        return None
    if want.ndim >= 3 and want.shape[-1] > 1 and (close(got[..., 1:], want[..., :-1])
                                                  or close(got[..., :-1], want[..., 1:])):
        return "the values are shifted by one time step (off by one in time)"
    flat_w, flat_g = want.ravel(), got.ravel()
    denom = float(flat_w @ flat_w)
    if denom > 0 and want.size >= 4:  # any two single numbers are "a constant factor" apart
        factor = float(flat_g @ flat_w) / denom
        if abs(factor) > 1e-12 and not np.isclose(factor, 1.0, rtol=1e-6) and close(got, factor * want):
            return f"the values are the right ones times a constant factor ({factor:.4g})"
    return None


# ---------------------------------------------------------------- parts

class Part:
    """A graded property of the output, worth ``points``; ``judge`` returns ``None`` when the
    property holds for the case, else the reason it does not.

    ``stated``: regular expressions that the exercise's text for the function (its section's
    markdown and the answer cell's docstring) must match, because this part enforces something
    the return value's description alone does not say (tests/exercises/test_fairness.py)."""

    stated: tuple[str, ...] = ()

    def __init__(self, title: str, points: float, when=None):
        self.title, self.points, self.when = title, points, when

    def states(self, *patterns: str) -> Part:
        """Require the exercise's text to say what this part checks (see the class docstring)."""
        self.stated = tuple(self.stated) + patterns
        return self

    def applies(self, case: Case) -> bool:
        return self.when is None or bool(self.when(case))

    def judge(self, check: Check, case: Case, outcome: Outcome, want) -> str | None:
        raise NotImplementedError


class Shape(Part):
    """The array at ``path`` has the reference's shape (type and shape only)."""

    def __init__(self, path, points: float, title: str | None = None, when=None):
        self.path = path if isinstance(path, tuple) else (path,)
        super().__init__(title or f"{check_name(self.path)} shape", points, when)

    def judge(self, check, case, outcome, want):
        got, expected = check.locate(outcome.value, self.path), get(want, self.path)
        if isinstance(got, Missing):
            return got.message
        if not isinstance(got, np.ndarray):
            return f"{check_name(self.path)} is a {type(got).__name__}; expected a NumPy array"
        if got.shape != expected.shape:
            try:
                story = explain_shape(check_name(self.path), got.shape, expected.shape, sizes_of(case.label),
                                      check.known(case))
            except Exception:  # a diagnosis must never cost the grade
                story = None
            return Diagnosis(story) if story else value_problem(check_name(self.path), got, expected)
        return None


class Values(Part):
    """The value at ``path`` equals the reference's within the tolerance; on failure the check's
    mistakes and the generic hints are tried for a diagnosis."""

    def __init__(self, path, points: float, title: str | None = None, rtol: float = RTOL, atol: float = ATOL,
                 when=None, only: dict | None = None):
        """``only``: for a dict inside the value, by its path (e.g. ``("cache", "rnn", "params")``),
        the only keys that must be there and right (others may be missing or extra): what the
        function that reads it uses."""
        self.path = path if isinstance(path, tuple) else (path,)
        self.rtol, self.atol = rtol, atol
        self.only = only or {}
        super().__init__(title or f"{check_name(self.path)} values", points, when)

    def judge(self, check, case, outcome, want):
        got, expected = check.locate(outcome.value, self.path), get(want, self.path)
        if isinstance(got, Missing):
            return got.message
        return self.compare(check, case, self.path, got, expected)

    def compare(self, check, case, path, got, expected):
        name = check_name(path)
        if isinstance(expected, dict):  # a cache or a dict of gradients: entry by entry
            if not isinstance(got, dict):
                return f"{name} is a {type(got).__name__}; expected a dict"
            for key in self.only.get(path, expected):
                if key not in got:
                    return f"{name} has no entry {key!r}"
                reason = self.compare(check, case, path + (key,), got[key], expected[key])
                if reason:
                    return reason
            return None
        problem = value_problem(name, got, expected)
        if problem is None and close(got, expected, self.rtol, self.atol):
            return None
        plain = problem or f"{name} is wrong (beyond the tolerance rtol={self.rtol:g}, atol={self.atol:g})"
        try:
            return self._explain(check, case, path, name, got, expected, problem) or plain
        except Exception:  # a diagnosis must never cost the grade: whatever the value, say it is wrong
            return plain

    def _explain(self, check, case, path, name, got, expected, problem):
        """The most telling reason ``got`` is not ``expected``; None when only "wrong" is known."""
        if problem is None and negated(got, expected):
            return Diagnosis(f"{name} is wrong: it has the wrong sign (the right value negated)")
        diagnosis = check.diagnose(case, path, got, expected)
        if diagnosis:
            return Diagnosis(f"{name} is wrong: {diagnosis}")
        if problem is None:
            found = check.inspect(case, path, got, expected)
            if found:
                return Diagnosis(f"{name} is wrong: {found}")
            other = _holds_another(path, got, expected, WHOLE_ANSWER.get())
            if other:
                return Diagnosis(f"{name} holds the values of {other}: an array that was changed after it was "
                                 f"stored (in place), the wrong variable, or outputs in the wrong order")
            story = explain_arrangement(name, got, expected, sizes_of(case.label))
            if story:
                return Diagnosis(story)
        if isinstance(got, np.ndarray) and isinstance(expected, np.ndarray) and got.shape != expected.shape:
            story = explain_shape(name, got.shape, expected.shape, sizes_of(case.label), check.known(case))
            if story:
                return Diagnosis(story)
        if problem:
            return problem
        if (hint := generic_hint(got, expected)) or (hint := explain_time(name, got, expected, self.rtol, self.atol,
                                                                          check.backward)):
            return Hint(hint)
        return None


class Keys(Part):
    """The dict at ``path`` has exactly the API's keys."""

    def __init__(self, path, keys, points: float, title: str | None = None, when=None):
        self.path = path if isinstance(path, tuple) else (path,)
        self.keys = set(keys)
        super().__init__(title or f"{check_name(self.path)} keys", points, when)
        self.stated = tuple(rf"[`'\"]{re.escape(str(k))}[`'\"]" for k in sorted(self.keys, key=str))

    def judge(self, check, case, outcome, want):
        got = check.locate(outcome.value, self.path)
        if isinstance(got, Missing):
            return got.message
        if not isinstance(got, dict):
            return f"{check_name(self.path)} is a {type(got).__name__}; expected a dict"
        missing, extra = sorted(self.keys - got.keys(), key=str), sorted(got.keys() - self.keys, key=str)
        if missing or extra:
            return "; ".join(filter(None, [missing and f"missing keys {missing}",
                                           extra and f"unexpected keys {extra}"]))
        return None


class NoSideEffects(Part):
    """The function leaves its arguments unchanged and returns new arrays, not views of them (a
    caller that later changes the result would otherwise change its own inputs). ``views``: the
    result may hold the inputs themselves (a forward pass's cache keeps its inputs)."""

    def __init__(self, points: float, title: str = "inputs left unchanged", when=None, views: bool = False):
        super().__init__(title, points, when)
        self.views = views
        self.stated = (r"in.place",) if views else (r"in.place", r"\bviews?\b|new\s+arrays?|\bcop(y|ies)\b")

    def judge(self, check, case, outcome, want):
        if outcome.mutated:
            return Diagnosis(f"the function changed its input in place ({', '.join(outcome.mutated[:3])}): "
                             "the caller's arrays must stay as they were, so compute new arrays (a = a + b, "
                             "not a += b; no x[...] = on an argument)")
        if outcome.aliased and not self.views:
            return Diagnosis("the result shares memory with an input (a view, not a new array): a caller who "
                             "changes one changes the other; return a copy")
        return None


class Custom(Part):
    """A property computed by ``rule(case, value, want) -> None | reason``."""

    def __init__(self, title: str, points: float, rule, when=None):
        super().__init__(title, points, when)
        self.rule = rule

    def judge(self, check, case, outcome, want):
        return self.rule(case, outcome.value, want)


def _leaves(value, path=()):
    """``(path, array)`` of every array in a nested answer (dicts and tuples)."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif isinstance(value, (tuple, list)):
        for k, item in enumerate(value):
            yield from _leaves(item, path + (k,))


def _holds_another(path: tuple, got, expected, whole) -> str | None:
    """The name of another output of the right answer whose values ``got`` has, if one has."""
    if whole is None or not isinstance(got, np.ndarray) or not isinstance(expected, np.ndarray):
        return None
    for other, value in _leaves(whole):
        if other != path and value.shape == got.shape and not close(value, expected) and close(got, value):
            if other[-1:] == path[-1:]:  # the same name elsewhere (cache.h and h): not a different output
                continue
            return check_name(other)
    return None


def check_name(path: tuple) -> str:
    return ".".join(str(p) for p in path) if path else "the result"


@dataclass
class Missing:
    message: str


# ---------------------------------------------------------------- the check

REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: make the check available to :func:`autograder.checks.check` by its name."""
    if cls.name in REGISTRY:
        raise ValueError(f"two checks are named {cls.name!r}")
    REGISTRY[cls.name] = cls
    return cls


class Check:
    """Subclass per graded function: set ``name``, ``returns`` (the names of the returned tuple's
    items, or ``None`` for a single value), ``parts``; implement ``cases`` and ``expected``;
    list known ``mistakes``."""

    name: str = ""
    returns: tuple | None = None
    parts: tuple[Part, ...] = ()
    timeout: float = 5.0  # seconds per call; the functions run in milliseconds
    arg_names: tuple[str, ...] = ()  # the function's parameters, to name arrays in messages
    backward: bool = False  # runs from the last time step to the first (for the time diagnosis)

    def cases(self, rng: np.random.Generator) -> list[Case]:
        raise NotImplementedError

    def expected(self, case: Case):
        """The reference's answer for ``case``: the function's return value, as plain data."""
        raise NotImplementedError

    def mistakes(self) -> list[Mistake]:
        return []

    @property
    def points(self) -> float:
        return round(sum(p.points for p in self.parts), 6)

    def locate(self, value, path):
        """The student's value at ``path`` (names as in ``returns``), or :class:`Missing`."""
        if self.returns is not None:
            if not isinstance(value, tuple) or len(value) != len(self.returns):
                what = f"a tuple of {len(value)}" if isinstance(value, tuple) else f"a {type(value).__name__}"
                return Missing(f"the function returned {what}; expected a tuple ({', '.join(self.returns)})")
            value = dict(zip(self.returns, value))
        try:
            return get(value, path)
        except LookupError:
            return Missing(f"the result has no {check_name(path)}")

    def known(self, case: Case) -> dict[str, tuple]:
        """The shapes of the case's input arrays, by name (for messages about shapes)."""
        return known_shapes(case.args, self.arg_names)

    def explain_failure(self, case: Case, outcome: Outcome) -> str:
        """The message of a call that raised (or stopped), with its shapes in the book's symbols
        when that says which array is to blame (then it is a :class:`Diagnosis`)."""
        if outcome.status != "error" or NOT_ATTEMPTED in outcome.message:
            return outcome.message
        try:
            known = self.known(case)
            story = explain_error(outcome.message, sizes_of(case.label), known) or explain_core_mismatch(
                outcome.message, sizes_of(case.label), any(len(s) == 3 for s in known.values()))
        except Exception:  # a diagnosis must never cost the grade
            story = None
        if not story:
            return outcome.message
        if "transposed" in story:
            return Diagnosis(f"{story} ({outcome.message})")
        return Hint(f"{outcome.message}: {story}")

    def inspect(self, case: Case, path: tuple, got, expected) -> str | None:
        """What the wrong value at ``path`` shows by itself, beyond the known mistakes (override:
        e.g. columns that should sum to 1, or which terms a pre-activation is made of)."""
        return None

    def notes(self, results: list[PartResult]) -> list[str]:
        """What the failed parts say together (override: e.g. which gradients are right)."""
        return []

    def reference_named(self, case):
        want = self.expected(case)
        if self.returns is not None:
            want = dict(zip(self.returns, want))
        return want

    simulate = None  # optional: simulate(case, **switches) -> the answer of a configurable, mistaken model

    def _matches(self, wrong, path, got, expected) -> bool:
        if wrong is None:
            return False
        if self.returns is not None:
            wrong = dict(zip(self.returns, wrong))
        try:
            wrong_here = get(wrong, path)
        except LookupError:
            return False
        return not close(wrong_here, expected) and close(got, wrong_here, rtol=1e-5, atol=1e-8, equal_nan=True)

    def diagnose(self, case: Case, path: tuple, got, expected) -> str | None:
        """The message of the first known mistake whose answer matches ``got`` at ``path`` (and
        differs from the right answer there); else of the first pair of mistakes that do, made
        together by the check's configurable model (mistakes with ``switches`` that do not touch the
        same switch)."""
        mistakes = self.mistakes()
        for position, mistake in enumerate(mistakes):
            if self._matches(self._mistake_answer(position, mistake, case), path, got, expected):
                return mistake.message
        if self.simulate is None:
            return None
        paired = [m for m in mistakes if m.switches and m.paired]
        for k, a in enumerate(paired):
            for b in paired[k + 1:]:
                if a.switches.keys() & b.switches.keys():
                    continue
                both = Mistake(f"{a.name} + {b.name}", "", lambda c, a=a, b=b: self.simulate(c, **a.switches,
                                                                                          **b.switches))
                if self._matches(self._mistake_answer(-1, both, case), path, got, expected):
                    return f"two mistakes at once: {a.message}; and {b.message}"
        return None

    def _mistake_answer(self, position: int, mistake: Mistake, case: Case):
        """``mistake.answer(case)``, computed once per mistake and case: a diagnosis tries every
        mistake for every failed part, and the grader keeps one check for a whole class (the list of
        mistakes is the same on every call, so its position names one). ``None`` when the mistake
        cannot apply to the case."""
        store = self.__dict__.setdefault("_answers", {})
        key = (position, mistake.name, id(case))  # a pair of mistakes has position -1 and both names
        hit = store.get(key)
        if hit is None or hit[0] is not case:  # the case is kept in the entry, so its id is not reused
            try:
                answer = mistake.answer(case)
            except Exception:  # a mistake that cannot apply to this case
                answer = None
            store[key] = hit = (case, answer)
        return hit[1]

    def score(self, cases: list[Case], outcomes: list[Outcome], seed: int, wants: list | None = None) -> CheckResult:
        """Score the outcomes of all cases: every part on every case, the most telling failure
        reported. ``wants`` are the reference's answers when already computed (the grader computes
        them once per run, not once per student)."""
        wants = [self.reference_named(c) for c in cases] if wants is None else wants
        results = []
        for part in self.parts:
            failures = []  # (status, reason, case) for every case where the part fails
            applicable = []
            for case, outcome, want in zip(cases, outcomes, wants):
                if not part.applies(case):
                    continue
                applicable.append(case)
                if outcome.status != "ok":
                    failures.append((outcome.status, self.explain_failure(case, outcome), case))
                    continue
                token = WHOLE_ANSWER.set(want)
                try:
                    reason = part.judge(self, case, outcome, want)
                except Exception as error:  # an odd value the part could not read: a failure, never a crash
                    reason = (f"the result could not be checked ({type(error).__name__}): is it of the documented "
                              "type and shape?")
                finally:
                    WHOLE_ANSWER.reset(token)
                if reason:
                    failures.append(("wrong", reason, case))
            passing = [c for c in applicable if all(c is not f[2] for f in failures)]
            if not passing and failures and all(f[0] != "wrong" for f in failures):
                # every case of this part raised: compare with the cases where the call did not raise
                passing = [c for c, o in zip(cases, outcomes) if o.status == "ok"]
            pattern = case_pattern([f[2] for f in failures], passing)
            results.append(self._part_result(part, failures, pattern))
        return CheckResult(self.name, seed, results, self.notes(results))

    @staticmethod
    def _part_result(part: Part, failures: list, pattern: str | None = None) -> PartResult:
        """Full points, or none with the most telling failure: a named mistake beats an error
        (a transposed matrix raises on non-square sizes but is recognised on the square one)."""
        if not failures:
            return PartResult(part.title, part.points, part.points, "ok")
        status, reason, case = next((f for f in failures if isinstance(f[1], Diagnosis)),
                                    next((f for f in failures if isinstance(f[1], Hint)), failures[0]))
        if pattern:  # right on some cases, wrong on others that have something in common
            reason = type(reason)(f"{reason} ({pattern})") if isinstance(reason, (Diagnosis, Hint)) \
                else Hint(f"{reason} ({pattern})")
        message = f"{reason} [case {case.label}]"
        errors = [f for f in failures if f[0] != "wrong" and f[2] is not case]
        if isinstance(reason, (Diagnosis, Hint)) and errors:
            other = str(errors[0][1]).removeprefix("the function ")
            message += (f"; on {len(errors)} other case(s) it {other}" if other.startswith(("raised", "did", "was"))
                        else f"; on {len(errors)} other case(s): {other}")
        kind = "diagnosis" if isinstance(reason, Diagnosis) else "hint" if isinstance(reason, Hint) else ""
        return PartResult(part.title, 0.0, part.points, status, message, kind, str(reason))


